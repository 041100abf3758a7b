/*
 * log.h: the signed, hash-chained disclosure log (SPEC 6; DOMAIN D1.4,
 * D5a, D6; docs/DESIGN.md "Disclosure log"): the entry hash and the check
 * of one entry (pure C, log_core.c: shared by verify_chain and
 * tools/integrity-verify, unit-tested by test/unit/test_log.c), and the
 * server's append and verification (log.c, after #ifdef POSTGRES_H).
 */
#ifndef INTEGRITY_LOG_H
#define INTEGRITY_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

/*
 * out = SHA-256(prev || seq as 8-byte big-endian || payload_hash), the
 * disclosure log's entry hash.  False only if OpenSSL fails.
 */
extern bool entry_hash(const uint8_t prev[SHA256_LEN], uint64_t seq,
					   const uint8_t payload_hash[SHA256_LEN],
					   uint8_t out[SHA256_LEN]);

/* One entry as stored: the hash columns are 32 bytes, NULL when missing or malformed. */
typedef struct log_entry
{
	uint64_t	seq;
	const void *payload;
	size_t		payload_len;
	const uint8_t *payload_hash;
	const uint8_t *prev_hash;
	const uint8_t *entry_hash;
} log_entry;

/* The first check of log_entry_check that fails, in the order they are made. */
typedef enum log_entry_fault
{
	LOG_ENTRY_OK = 0,
	LOG_ENTRY_PAYLOAD_HASH,		/* missing, malformed or not SHA-256(payload) */
	LOG_ENTRY_PREV_HASH,		/* missing, malformed or not the expected one */
	LOG_ENTRY_ENTRY_HASH,		/* missing, malformed or not the entry's hash */
	LOG_ENTRY_HASH_FAILED		/* SHA-256 failed (out of memory) */
} log_entry_fault;

/*
 * Check the hashes of one entry: payload_hash = SHA-256(payload); prev_hash
 * = expect_prev (not checked when expect_prev is NULL: the first row of a
 * partial log); entry_hash = entry_hash(prev_hash, seq, payload_hash).  On
 * LOG_ENTRY_OK, entry_out (may be NULL) gets the entry hash.
 */
extern log_entry_fault log_entry_check(const log_entry *e, const uint8_t *expect_prev,
									   uint8_t entry_out[SHA256_LEN]);

/* Is sig (64 bytes; NULL when missing or malformed) v's signature of the entry hash? */
extern bool log_entry_signed(verifier *v, const uint8_t entry[SHA256_LEN], const uint8_t *sig);

/* ------------------------------------------------------ log.c (server glue) */
#ifdef POSTGRES_H

struct merkle_frontier;			/* merkle.h */

/* the record_event row of a transition (NULL: no from_state, no reason) */
typedef struct record_event_row
{
	const char *event;
	const char *from_state;
	const char *to_state;
	const char *reason;
} record_event_row;

/*
 * Append the disclosure of record_id's event to the origin's log with the
 * canonical payload given (payload.h: disclosure_payload), signed with the
 * current key, and its Merkle nodes; ev, if given, is written by the same
 * statement.  The caller is connected to SPI.  Returns the new seq.
 */
#define LOG_NO_RECORD 0		/* record_id of an entry keyed by its payload: NULL (commitments.c) */
extern int64 log_append(const char *origin, int64 record_id, const char *event,
						const char *payload, size_t payload_len,
						const record_event_row *ev);

/*
 * Issue 17: the same, for an entry about subject_id (> 0), whose payload
 * names the previous entry about that subject.  build is called once the
 * chain is locked, with prev_seq that seq (0 for the first entry about the
 * subject), or LOG_NO_LINK on a 1.1 catalog (no back-link then), and
 * returns the canonical payload (palloc'd or the caller's) and its length.
 */
#define LOG_NO_LINK (-1)
typedef char *(*log_payload_fn) (void *arg, int64 prev_seq, size_t *len);
extern int64 log_append_linked(const char *origin, int64 record_id, int64 subject_id,
							   const char *event, log_payload_fn build, void *arg,
							   const record_event_row *ev);

/* the seq this backend appended last if it was for that record, else 0 */
extern int64 log_last_seq(const char *origin, int64 record_id);

/*
 * Check origin's entries from_seq + 1 .. to_seq fully (links, hashes,
 * signatures under the origin's keys held here) and append their leaves to
 * f, the frontier of the tree of its first from_seq entries (witness()).
 * Returns 0, or the first seq that is missing or bad.  Caller connected to
 * SPI.
 */
extern int64 log_check_range(const char *origin, int64 from_seq, int64 to_seq,
							 struct merkle_frontier *f);

#endif							/* POSTGRES_H */

#endif							/* INTEGRITY_LOG_H */
