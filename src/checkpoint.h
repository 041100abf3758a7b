/*
 * checkpoint.h: the C2SP tlog-checkpoint signed note of an origin's log
 * (SPEC 6, docs/DESIGN.md "Disclosure log"), the signed-note verifier
 * keys (c2sp.org/signed-note) and the Ed25519 cosignatures of witnesses
 * (c2sp.org/tlog-cosignature, cosignature/v1; issue 16).
 *
 * No PostgreSQL headers: used by the server glue (merkle.c, tree_head), by
 * tools/integrity-verify and by test/unit/test_checkpoint.c.  Conventions
 * of crypto.h.
 */
#ifndef INTEGRITY_CHECKPOINT_H
#define INTEGRITY_CHECKPOINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "crypto.h"

#define CHECKPOINT_KEY_HASH_LEN 4
#define CHECKPOINT_NAME_PREFIX	"integrity/"

/*
 * Upper bound of the checkpoint text length for an origin of origin_len
 * bytes, including the terminating NUL.
 */
#define CHECKPOINT_MAX_LEN(origin_len)	(2 * (size_t) (origin_len) + 200)

/*
 * True if origin can be used in the key name "integrity/<origin>": non-empty,
 * at most 255 bytes, valid UTF-8, no control characters, no Unicode spaces
 * and no '+'.
 */
extern bool checkpoint_origin_ok(const char *origin, char *err, size_t errlen);

/* SHA-256("integrity/<origin>" || 0x0A || 0x01 || pub)[0:4]. */
extern bool checkpoint_key_hash(const char *origin,
								const uint8_t pub[ED25519_PUBLIC_KEY_LEN],
								uint8_t out[CHECKPOINT_KEY_HASH_LEN]);

/*
 * Write the C2SP tlog-checkpoint signed note
 *   "integrity/<origin>\n<tree_size>\n<base64 root>\n\n"
 *   "\u2014 integrity/<origin> <base64(key hash || signature)>\n"
 * into out (outsize bytes; CHECKPOINT_MAX_LEN(strlen(origin)) is always
 * enough), NUL-terminated; *outlen (may be NULL) gets its length.
 */
extern bool checkpoint_format(const signing_key *key, const char *origin,
							  uint64_t tree_size, const uint8_t root[SHA256_LEN],
							  char *out, size_t outsize, size_t *outlen,
							  char *err, size_t errlen);

/*
 * Check a checkpoint note (text of len bytes, need not be NUL-terminated):
 * note syntax (UTF-8, no control characters but newline, ends in newline,
 * signature lines), a signature by key name "integrity/<origin>" with the
 * key hash of pub that verifies (signatures of other keys are ignored, a
 * failing signature of this key rejects the note), and the body: exactly
 * the origin line, a decimal tree size without leading zeros and a base64
 * 32-byte root hash.  On success fills *tree_size and root.
 */
extern bool checkpoint_verify(const uint8_t pub[ED25519_PUBLIC_KEY_LEN],
							  const char *origin, const char *text, size_t len,
							  uint64_t *tree_size, uint8_t root[SHA256_LEN],
							  char *err, size_t errlen);

/*
 * checkpoint_verify under each of the n public keys pubs of the origin (its
 * rotated keys): true at the first that verifies the note.  Otherwise err
 * gets the reason of a key that signed it, if any did (a bad signature
 * says more than "not signed by this key"), else the first reason.
 */
extern bool checkpoint_verify_any(const uint8_t (*pubs)[ED25519_PUBLIC_KEY_LEN], int n,
								  const char *origin, const char *text, size_t len,
								  uint64_t *tree_size, uint8_t root[SHA256_LEN],
								  char *err, size_t errlen);

/*
 * The origin a note's first line "integrity/<origin>" names, into out
 * (CHECKPOINT_ORIGIN_BUF bytes); false if the first line is not of that
 * form (the origin itself is not checked: checkpoint_origin_ok).
 */
#define CHECKPOINT_ORIGIN_BUF	256
extern bool checkpoint_note_origin(const char *text, size_t len, char out[CHECKPOINT_ORIGIN_BUF]);

/* ------------------------------------------- signed-note verifier keys */

/* c2sp.org/signed-note signature types */
#define NOTE_TYPE_ED25519		0x01	/* a log's checkpoint signature */
#define NOTE_TYPE_COSIGNATURE	0x04	/* tlog-cosignature cosignature/v1 */
#define NOTE_NAME_MAX			255
#define NOTE_KEY_ID_LEN			4

/* upper bound of a vkey's text, with its NUL */
#define VKEY_MAX_LEN	(NOTE_NAME_MAX + 1 + 8 + 1 + \
						 BASE64_ENCODED_LEN(1 + ED25519_PUBLIC_KEY_LEN) + 1)

/* a parsed verifier key <name>+<hex key ID>+<base64(type || key)> */
typedef struct note_vkey
{
	char		name[NOTE_NAME_MAX + 1];
	uint8_t		type;
	uint8_t		key_id[NOTE_KEY_ID_LEN];
	uint8_t		pub[ED25519_PUBLIC_KEY_LEN];
} note_vkey;

/*
 * A key name of a signed note: non-empty, at most 255 bytes, valid UTF-8,
 * no Unicode spaces, no control characters, no '+'.
 */
extern bool note_name_ok(const char *name, size_t len, char *err, size_t errlen);

/* key ID = SHA-256(name || 0x0A || type || pub)[0:4] */
extern bool note_key_id(const char *name, size_t name_len, uint8_t type,
						const uint8_t pub[ED25519_PUBLIC_KEY_LEN],
						uint8_t out[NOTE_KEY_ID_LEN]);

/*
 * Write the vkey "<name>+<8 hex>+<base64(type || pub)>" and a NUL into out
 * (VKEY_MAX_LEN bytes are always enough).  Returns its length, 0 on error.
 */
extern size_t vkey_format(const char *name, uint8_t type,
						  const uint8_t pub[ED25519_PUBLIC_KEY_LEN],
						  char *out, size_t outsize, char *err, size_t errlen);

/*
 * Parse a vkey (surrounding ASCII white space ignored): the name checked,
 * the key ID must be the one the name, type and key give, the type one
 * of the two Ed25519 types above with a 32-byte key.
 */
extern bool vkey_parse(const char *text, size_t len, note_vkey *out,
					   char *err, size_t errlen);

/* ------------------------------------------------- cosignature/v1 lines */

/* the decoded bytes of a cosignature: key ID || 8-byte timestamp || signature */
#define COSIGNATURE_LEN		(NOTE_KEY_ID_LEN + 8 + ED25519_SIG_LEN)
#define COSIGNATURE_TIME_MAX	((uint64_t) INT64_MAX)	/* at most 2^63 - 1 */

/* upper bound of a cosignature line (without newline) for a name, with its NUL */
#define COSIGNATURE_LINE_MAX(name_len)	(4 + (size_t) (name_len) + 1 + \
										 BASE64_ENCODED_LEN(COSIGNATURE_LEN) + 1)

/*
 * The body of a signed note text[0..len): *body_len is the length through
 * the newline before the blank line that starts the signatures; the note
 * syntax of checkpoint_verify (UTF-8, no control characters but newline,
 * ends in newline, at least one signature line) is checked.
 */
extern bool note_body_len(const char *text, size_t len, size_t *body_len,
						  char *err, size_t errlen);

/*
 * The cosignature/v1 line "\u2014 <name> <base64(key ID || timestamp ||
 * signature)>" (no newline) of the note body[0..body_len) by key as name at
 * timestamp (POSIX seconds): the signature is over "cosignature/v1\ntime
 * <timestamp>\n" || body.  Written with a NUL into out; *outlen its length.
 */
extern bool cosignature_line(const signing_key *key, const char *name,
							 uint64_t timestamp, const char *body, size_t body_len,
							 char *out, size_t outsize, size_t *outlen,
							 char *err, size_t errlen);

/*
 * The witnesses among w[0..nw) (vkeys of type NOTE_TYPE_COSIGNATURE) that
 * cosigned the note text[0..len): valid[i] is set for each w[i] with a
 * line of its name and key ID whose signature verifies and whose
 * timestamp is at most now; *count gets how many distinct witnesses that
 * is.  Lines of other names or key IDs are ignored; a line of a given
 * witness that is malformed or does not verify rejects the note (false,
 * err says which), one with a timestamp after now is only not counted
 * (*future is incremented when future is not NULL).
 */
extern bool cosignatures_check(const char *text, size_t len, const note_vkey *w,
							   int nw, uint64_t now, bool *valid, int *count,
							   int *future, char *err, size_t errlen);

#endif							/* INTEGRITY_CHECKPOINT_H */
