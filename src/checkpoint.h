/*
 * checkpoint.h: the C2SP tlog-checkpoint signed note of an origin's log
 * (SPEC 6, docs/DESIGN.md "Disclosure log"); cosignatures go here too.
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

#endif							/* INTEGRITY_CHECKPOINT_H */
