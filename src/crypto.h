/*
 * crypto.h: the pure-C primitives of the signed disclosure log (SPEC 6,
 * docs/DESIGN.md "Disclosure log"): SHA-256, Ed25519 keys and signatures,
 * key files, base64 and hex.  The log's formats built on them are log.h
 * (entry hash, entry check) and checkpoint.h (the signed note).
 *
 * No PostgreSQL headers: this file and crypto_core.c are used by the
 * server glue, by tools/integrity-verify and by test/unit/test_crypto.c.
 * Everything goes through the OpenSSL 3 EVP API.
 *
 * Conventions:
 *  - Fallible functions return bool and, on failure, write a lower-case
 *    reason into err (errlen bytes, always NUL-terminated when errlen > 0).
 *    err may be NULL when errlen is 0.
 *  - Nothing here prints, exits or longjmps.  No function leaves an entry in
 *    the OpenSSL error queue behind (it is cleared on every failure path).
 *  - Memory: only signing_key_load() and verifier_new() allocate (with
 *    OpenSSL's malloc); their objects must be released with the matching
 *    _free function.  Everything else writes into caller-provided buffers.
 *    sha256() keeps one reusable digest context in a static
 *    variable (the server backend and the tool are single-threaded; the
 *    functions are not thread-safe); crypto_release_cache() frees it.
 */
#ifndef INTEGRITY_CRYPTO_H
#define INTEGRITY_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SHA256_LEN				32
#define ED25519_PUBLIC_KEY_LEN	32
#define ED25519_SEED_LEN		32
#define ED25519_SIG_LEN			64
#define KEY_ID_LEN				16	/* hex characters, without the NUL */

/* ---------------------------------------------------------------- hashing */

/* out = SHA-256(data).  False only if OpenSSL fails (out of memory). */
extern bool sha256(const void *data, size_t len, uint8_t out[SHA256_LEN]);

/* Free the static digest context used by sha256(). */
extern void crypto_release_cache(void);

/* ------------------------------------------------------------ key files */

/*
 * The rule PostgreSQL applies to ssl_key_file: a regular file, owned by the
 * server user with no group or world permissions (0600 or less), or owned
 * by root with no group write/execute and no world permissions (0640 or
 * less).  Any other owner is refused.
 */
extern bool key_file_permissions_ok(uid_t owner, mode_t mode, uid_t server_uid,
									char *err, size_t errlen);

/* ------------------------------------------------------------- Ed25519 */

typedef struct signing_key signing_key;

/*
 * Load a private key from the contents of a key file: PEM "PRIVATE KEY"
 * (PKCS#8, as written by `openssl genpkey -algorithm ed25519`), or exactly
 * 32 raw bytes (the seed).  Returns NULL and fills err on failure.  The
 * caller still owns (and should wipe) the contents buffer.
 */
extern signing_key *signing_key_load(const void *contents, size_t len,
									 char *err, size_t errlen);
extern void signing_key_free(signing_key *key);

/* The raw 32-byte public key; the key_id (16 lower-case hex chars + NUL). */
extern const uint8_t *signing_key_public(const signing_key *key);
extern const char *signing_key_id(const signing_key *key);

/* Pure Ed25519 (RFC 8032) signature of msg. */
extern bool ed25519_sign(const signing_key *key, const void *msg, size_t len,
						 uint8_t sig[ED25519_SIG_LEN],
						 char *err, size_t errlen);

/* True when sig is a valid signature of msg under pub (false on error). */
extern bool ed25519_verify(const uint8_t pub[ED25519_PUBLIC_KEY_LEN],
						   const void *msg, size_t len,
						   const uint8_t sig[ED25519_SIG_LEN]);

/*
 * Verifier bound to one public key, reusing its EVP_PKEY and EVP_MD_CTX:
 * use it to check many signatures (verify_chain, integrity-verify).
 */
typedef struct verifier verifier;

extern verifier *verifier_new(const uint8_t pub[ED25519_PUBLIC_KEY_LEN],
							  char *err, size_t errlen);
extern bool verifier_verify(verifier *v, const void *msg, size_t len,
							const uint8_t sig[ED25519_SIG_LEN]);
extern void verifier_free(verifier *v);

/* key_id = lower-case hex of SHA-256(pub)[0:8]; out gets 16 chars + NUL. */
extern bool key_id_of(const uint8_t pub[ED25519_PUBLIC_KEY_LEN],
					  char out[KEY_ID_LEN + 1]);

/*
 * Parse a public key given as PEM "PUBLIC KEY" (`openssl pkey -pubout`),
 * exactly 32 raw bytes, or 64 hex digits with or without a leading "\x"
 * (surrounding ASCII white space ignored for the text forms).
 */
extern bool public_key_parse(const void *data, size_t len,
							 uint8_t pub[ED25519_PUBLIC_KEY_LEN],
							 char *err, size_t errlen);

/* ------------------------------------------------------ base64 and hex */

/* Characters base64_encode writes for n bytes (without the NUL). */
#define BASE64_ENCODED_LEN(n)	((((n) + 2) / 3) * 4)
/* Upper bound of the bytes base64_decode produces from n characters. */
#define BASE64_DECODED_MAX(n)	(((n) / 4) * 3)

/*
 * RFC 4648 section 4 (standard alphabet, with padding).  Writes
 * BASE64_ENCODED_LEN(len) characters and a NUL; returns the character count.
 */
extern size_t base64_encode(const uint8_t *in, size_t len, char *out);

/*
 * Strict decoding: length a multiple of 4, alphabet characters only,
 * padding only at the end, unused bits zero (so every input has one
 * encoding).  Fails if the result does not fit in outcap bytes.
 */
extern bool base64_decode(const char *in, size_t inlen,
						  uint8_t *out, size_t outcap, size_t *outlen,
						  char *err, size_t errlen);

/* Lower-case hex: writes 2 * len characters and a NUL. */
extern void crypto_hex_encode(const uint8_t *in, size_t len, char *out);

/* Plain hex digits (either case, even count, no prefix). */
extern bool crypto_hex_decode(const char *in, size_t inlen,
					   uint8_t *out, size_t outcap, size_t *outlen,
					   char *err, size_t errlen);

/* PostgreSQL bytea text output in hex format: "\x" followed by hex. */
extern bool bytea_hex_decode(const char *in, size_t inlen,
							 uint8_t *out, size_t outcap, size_t *outlen,
							 char *err, size_t errlen);

#endif							/* INTEGRITY_CRYPTO_H */
