/*
 * log_core.c: the entry hash of the disclosure log and the check of one
 * entry (log.h), the same for verify_chain (log.c) and
 * tools/integrity-verify.  Pure C over crypto_core.c; no PostgreSQL headers.
 */
#include "log.h"

#include <string.h>

bool
entry_hash(const uint8_t prev[SHA256_LEN], uint64_t seq,
		   const uint8_t payload_hash[SHA256_LEN], uint8_t out[SHA256_LEN])
{
	uint8_t		buf[SHA256_LEN + 8 + SHA256_LEN];
	int			i;

	memcpy(buf, prev, SHA256_LEN);
	for (i = 0; i < 8; i++)
		buf[SHA256_LEN + i] = (uint8_t) (seq >> (56 - 8 * i));
	memcpy(buf + SHA256_LEN + 8, payload_hash, SHA256_LEN);
	return sha256(buf, sizeof(buf), out);
}

log_entry_fault
log_entry_check(const log_entry *e, const uint8_t *expect_prev, uint8_t entry_out[SHA256_LEN])
{
	uint8_t		computed[SHA256_LEN];

	if (e->payload_hash == NULL)
		return LOG_ENTRY_PAYLOAD_HASH;
	if (!sha256(e->payload, e->payload_len, computed))
		return LOG_ENTRY_HASH_FAILED;
	if (memcmp(computed, e->payload_hash, SHA256_LEN) != 0)
		return LOG_ENTRY_PAYLOAD_HASH;
	if (e->prev_hash == NULL ||
		(expect_prev != NULL && memcmp(e->prev_hash, expect_prev, SHA256_LEN) != 0))
		return LOG_ENTRY_PREV_HASH;
	if (e->entry_hash == NULL)
		return LOG_ENTRY_ENTRY_HASH;
	if (!entry_hash(e->prev_hash, e->seq, e->payload_hash, computed))
		return LOG_ENTRY_HASH_FAILED;
	if (memcmp(computed, e->entry_hash, SHA256_LEN) != 0)
		return LOG_ENTRY_ENTRY_HASH;
	if (entry_out)
		memcpy(entry_out, computed, SHA256_LEN);
	return LOG_ENTRY_OK;
}

bool
log_entry_signed(verifier *v, const uint8_t entry[SHA256_LEN], const uint8_t *sig)
{
	return v != NULL && sig != NULL && verifier_verify(v, entry, SHA256_LEN, sig);
}
