/*
 * report.h: the signed credit report 信用报告 (issue 17; SPEC 11).
 *
 * credit_report(subject_id, as_of) returns a canonical JSON document
 * (json_canon.h, the writer of the payloads)
 *
 *   {"body":BODY,"signature":{"algorithm":"Ed25519",
 *    "domain":"integrity-credit-report/v1","key_id":K,"value":HEX}}
 *
 * where BODY (sql/src/55_report.sql, _report_body) holds the platform's
 * origin, the subject (persons masked, D1.4), the evaluation, the lists and
 * the restrictions at as_of, every disclosure entry about the subject with
 * its inclusion proof, and the checkpoint (tree_head(), with whatever
 * cosignature lines it carries) they are proven against.  The signature is
 * Ed25519 over REPORT_DOMAIN || BODY: no other message the platform signs
 * starts so (entry signatures cover 32-byte entry hashes, checkpoints a
 * note body starting "integrity/<origin>\n", cosignatures
 * "cosignature/v1\n"), so a report signature is never one of theirs.
 *
 * The pure part (report_core.c, no PostgreSQL headers): writing the
 * document around a signed body, and reading and checking a report
 * (tools/integrity-verify --report, test/unit/test_report.c).  The
 * checkpoint itself is checked by the caller (the verifier's
 * verify_checkpoint_text), which gives the tree size and root the entries'
 * proofs are checked against.
 */
#ifndef INTEGRITY_REPORT_H
#define INTEGRITY_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

#define REPORT_FORMAT	"integrity-credit-report/v1"
/* the signed message is REPORT_DOMAIN followed by the body's bytes */
#define REPORT_DOMAIN	REPORT_FORMAT "\n"
#define REPORT_DOMAIN_LEN (sizeof(REPORT_DOMAIN) - 1)

/* ------------------------------------------------------------ writing */

/* the message to sign: REPORT_DOMAIN || body, into out (body_len + REPORT_DOMAIN_LEN bytes) */
extern void report_message(const char *body, size_t body_len, char *out);

/* an output buffer of this many bytes always holds the document */
extern size_t report_document_bound(size_t body_len);

/*
 * The document around body (canonical JSON object, checked) signed by sig
 * under key_id, into out (report_document_bound bytes), NUL-terminated.
 */
extern bool report_document_write(const char *body, size_t body_len, const char *key_id,
								  const uint8_t sig[ED25519_SIG_LEN], char *out, size_t *outlen,
								  char *err, size_t errlen);

/* ------------------------------------------------------------ reading */

typedef struct report_entry
{
	uint64_t	seq;
	char	   *event;
	char	   *payload;		/* the payload's bytes, as hashed */
	size_t		payload_len;
	uint8_t		payload_hash[SHA256_LEN];
	uint8_t		prev_hash[SHA256_LEN];
	uint8_t		entry_hash[SHA256_LEN];
	char		key_id[KEY_ID_LEN + 1];
	uint8_t		signature[ED25519_SIG_LEN];
	uint8_t    *proof;			/* nproof hashes of SHA256_LEN bytes */
	size_t		nproof;
	/* from the payload: the back-link (absent on entries made before 1.2) */
	bool		linked;
	uint64_t	subject_id;
	uint64_t	prev_seq;
	uint64_t	record_id;		/* 0: none (a commitment's entry) */
} report_entry;

typedef struct report
{
	const char *body;			/* the body's bytes inside the document */
	size_t		body_len;
	char		key_id[KEY_ID_LEN + 1];
	uint8_t		signature[ED25519_SIG_LEN];
	char	   *origin;
	char	   *as_of;
	uint64_t	subject_id;
	char	   *checkpoint;		/* the note text, as tree_head() gave it */
	size_t		checkpoint_len;
	uint64_t	tree_size;		/* the body's statement of the checkpoint's size */
	report_entry *entries;		/* in seq order */
	size_t		nentries;
} report;

/*
 * Read a report document: it must be canonical JSON of the form above
 * (format REPORT_FORMAT, entries in ascending seq order, hashes as
 * lower-case hex).  Allocates with malloc (report_free).  False with a
 * reason on any departure; *r is then freed.
 */
extern bool report_parse(const char *doc, size_t len, report *r, char *err, size_t errlen);
extern void report_free(report *r);

/* the report's signature under v (the key of r->key_id) */
extern bool report_check_signature(const report *r, verifier *v, char *err, size_t errlen);

/*
 * Entry i: payload_hash = SHA-256(payload), entry_hash = SHA-256(prev_hash
 * || seq || payload_hash), its signature under v (its key_id's key), and
 * its inclusion proof in the tree of size leaves with root (the verified
 * checkpoint's); err names the check that failed.
 */
extern bool report_check_entry(const report *r, size_t i, verifier *v, uint64_t size,
							   const uint8_t root[SHA256_LEN], char *err, size_t errlen);

/*
 * The back-links: every linked entry is about r->subject_id and names the
 * entry before it in the report (0 for the first); entries without a link
 * (before 1.2) may only come before the linked ones, the first linked one
 * then naming the newest of them.  So nothing about the subject is missing
 * up to the newest entry listed.
 */
extern bool report_check_links(const report *r, char *err, size_t errlen);

/*
 * The top-level members subject_id and prev_seq of a canonical payload
 * (*linked false when it has none: before 1.2), and record_id (0 if none).
 */
extern bool report_payload_links(const char *payload, size_t len, bool *linked,
								 uint64_t *subject_id, uint64_t *prev_seq, uint64_t *record_id,
								 char *err, size_t errlen);

/* ------------------------------------------------- report.c (server glue) */
#ifdef POSTGRES_H
/* SQL: credit_report(subject_id bigint, as_of date) RETURNS text (fmgr) */
#endif							/* POSTGRES_H */

#endif							/* INTEGRITY_REPORT_H */
