/*
 * test_log.c: unit tests of src/log_core.c, the entry hash and the check
 * of one entry of the disclosure log (TAP output).
 */
#include "crypto.h"
#include "log.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
test_entry_hash(void)
{
	uint8_t		prev[SHA256_LEN],
				ph[SHA256_LEN],
				buf[72],
				expect[SHA256_LEN],
				got[SHA256_LEN];
	int			i;

	for (i = 0; i < SHA256_LEN; i++)
	{
		prev[i] = (uint8_t) i;
		ph[i] = (uint8_t) (0xA0 + i);
	}
	memcpy(buf, prev, 32);
	/* seq 0x0102030405060708, big-endian */
	for (i = 0; i < 8; i++)
		buf[32 + i] = (uint8_t) (i + 1);
	memcpy(buf + 40, ph, 32);
	sha256(buf, sizeof(buf), expect);
	ok(entry_hash(prev, UINT64_C(0x0102030405060708), ph, got) &&
	   memcmp(got, expect, 32) == 0,
	   "entry_hash = sha256(prev || seq big-endian || payload_hash)");

	memset(prev, 0, 32);
	sha256("{}", 2, ph);
	memcpy(buf, prev, 32);
	memset(buf + 32, 0, 8);
	buf[39] = 1;
	memcpy(buf + 40, ph, 32);
	sha256(buf, sizeof(buf), expect);
	ok(entry_hash(prev, 1, ph, got) && memcmp(got, expect, 32) == 0,
	   "entry_hash of seq 1 with zero prev_hash");
}

/*
 * log_entry_check and log_entry_signed: the check of one entry that
 * verify_chain and tools/integrity-verify share (SPEC 6), each fault in
 * the order the checks are made.
 */
static void
test_entry_check(void)
{
	static const char payload[] = "{\"event\":\"publish\",\"seq\":1}";
	static const char seed[] = "0123456789abcdef0123456789abcdef";
	uint8_t		zero[SHA256_LEN] = {0},
				ph[SHA256_LEN],
				eh[SHA256_LEN],
				other[SHA256_LEN],
				out[SHA256_LEN],
				sig[ED25519_SIG_LEN];
	char		err[128];
	signing_key *key = signing_key_load(seed, 32, err, sizeof(err));
	verifier   *v = key ? verifier_new(signing_key_public(key), err, sizeof(err)) : NULL;
	log_entry	e;

	sha256(payload, strlen(payload), ph);
	entry_hash(zero, 1, ph, eh);
	memset(other, 0x55, sizeof(other));
	e.seq = 1;
	e.payload = payload;
	e.payload_len = strlen(payload);
	e.payload_hash = ph;
	e.prev_hash = zero;
	e.entry_hash = eh;
	memset(out, 0, sizeof(out));
	ok(log_entry_check(&e, zero, out) == LOG_ENTRY_OK && memcmp(out, eh, SHA256_LEN) == 0,
	   "SPEC 6 a good entry passes and gives its entry hash");
	ok(log_entry_check(&e, NULL, NULL) == LOG_ENTRY_OK,
	   "SPEC 6 the first row of a partial log: prev_hash taken as given");
	e.payload_len--;
	ok(log_entry_check(&e, zero, out) == LOG_ENTRY_PAYLOAD_HASH,
	   "SPEC 6 a changed payload: payload_hash fault");
	e.payload_len++;
	e.payload_hash = NULL;
	ok(log_entry_check(&e, zero, out) == LOG_ENTRY_PAYLOAD_HASH,
	   "SPEC 6 a missing payload_hash: payload_hash fault");
	e.payload_hash = ph;
	ok(log_entry_check(&e, other, out) == LOG_ENTRY_PREV_HASH,
	   "SPEC 6 prev_hash not the previous entry hash: prev_hash fault");
	e.entry_hash = other;
	ok(log_entry_check(&e, zero, out) == LOG_ENTRY_ENTRY_HASH,
	   "SPEC 6 entry_hash not the hash of the entry: entry_hash fault");
	e.entry_hash = eh;
	e.seq = 2;
	ok(log_entry_check(&e, zero, out) == LOG_ENTRY_ENTRY_HASH,
	   "SPEC 6 the seq is part of the entry hash");
	ok(key != NULL && v != NULL && ed25519_sign(key, eh, SHA256_LEN, sig, err, sizeof(err)) &&
	   log_entry_signed(v, eh, sig), "SPEC 6 the signature of the entry hash verifies");
	sig[0] ^= 1;
	ok(!log_entry_signed(v, eh, sig) && !log_entry_signed(v, eh, NULL) &&
	   !log_entry_signed(NULL, eh, sig), "SPEC 6 a changed, missing or unkeyed signature fails");
	verifier_free(v);
	signing_key_free(key);
}

int
main(void)
{
	test_entry_hash();
	test_entry_check();
	crypto_release_cache();
	return done_testing();
}
