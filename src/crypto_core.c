/*
 * crypto_core.c: the primitives of the signed disclosure log: SHA-256,
 * Ed25519 keys, signatures and key files, base64 and hex.  Pure C over the
 * OpenSSL 3 EVP API; no PostgreSQL headers.  See crypto.h for the contract
 * of each function.
 */
#include "crypto.h"
#include "text.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#define KEY_FILE_MAX_LEN		65536	/* a PEM Ed25519 key is ~120 bytes */

struct signing_key
{
	EVP_PKEY   *pkey;
	EVP_MD_CTX *ctx;			/* reused for every signature */
	uint8_t		pub[ED25519_PUBLIC_KEY_LEN];
	char		key_id[KEY_ID_LEN + 1];
};

struct verifier
{
	EVP_PKEY   *pkey;
	EVP_MD_CTX *ctx;
	bool		ready;			/* ctx initialised for pkey */
};

/* ---------------------------------------------------------------- errors */

/* An OpenSSL call failed: drop its error queue and report reason. */
static bool
openssl_fail(char *err, size_t errlen, const char *reason)
{
	ERR_clear_error();
	text_error(err, errlen, "%s", reason);
	return false;
}

/* ---------------------------------------------------------------- hashing */

static EVP_MD *sha256_md;
static EVP_MD_CTX *sha256_ctx;

static bool
sha256_prepare(void)
{
	if (sha256_md == NULL)
	{
		sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
		if (sha256_md == NULL)
		{
			ERR_clear_error();
			return false;
		}
	}
	if (sha256_ctx == NULL)
	{
		sha256_ctx = EVP_MD_CTX_new();
		if (sha256_ctx == NULL)
		{
			ERR_clear_error();
			return false;
		}
	}
	return true;
}

bool
sha256(const void *data, size_t len, uint8_t out[SHA256_LEN])
{
	unsigned int outlen = 0;

	if (!sha256_prepare())
		return false;
	if (EVP_DigestInit_ex2(sha256_ctx, sha256_md, NULL) != 1 ||
		EVP_DigestUpdate(sha256_ctx, len ? data : "", len) != 1 ||
		EVP_DigestFinal_ex(sha256_ctx, out, &outlen) != 1 ||
		outlen != SHA256_LEN)
	{
		ERR_clear_error();
		return false;
	}
	return true;
}

void
crypto_release_cache(void)
{
	EVP_MD_CTX_free(sha256_ctx);
	sha256_ctx = NULL;
	EVP_MD_free(sha256_md);
	sha256_md = NULL;
}

/* ------------------------------------------------------------ key files */

bool
key_file_permissions_ok(uid_t owner, mode_t mode, uid_t server_uid,
						char *err, size_t errlen)
{
	if (!S_ISREG(mode))
	{
		text_error(err, errlen, "private key file is not a regular file");
		return false;
	}
	if (owner == server_uid)
	{
		if (mode & (S_IRWXG | S_IRWXO))
		{
			text_error(err, errlen,
					"private key file has group or world access (mode %04o): "
					"a file owned by the database user must have permissions "
					"u=rw (0600) or less",
					(unsigned int) (mode & 07777));
			return false;
		}
		return true;
	}
	if (owner == 0)
	{
		if (mode & (S_IWGRP | S_IXGRP | S_IRWXO))
		{
			text_error(err, errlen,
					"private key file has group or world access (mode %04o): "
					"a file owned by root must have permissions "
					"u=rw,g=r (0640) or less",
					(unsigned int) (mode & 07777));
			return false;
		}
		return true;
	}
	text_error(err, errlen,
			"private key file must be owned by the database user or root");
	return false;
}

/* ------------------------------------------------------------- Ed25519 */

bool
key_id_of(const uint8_t pub[ED25519_PUBLIC_KEY_LEN], char out[KEY_ID_LEN + 1])
{
	uint8_t		digest[SHA256_LEN];

	if (!sha256(pub, ED25519_PUBLIC_KEY_LEN, digest))
		return false;
	crypto_hex_encode(digest, KEY_ID_LEN / 2, out);
	return true;
}

/* Never prompt for a passphrase: encrypted keys are not supported. */
static int
no_passphrase(char *buf, int size, int rwflag, void *u)
{
	(void) buf;
	(void) size;
	(void) rwflag;
	(void) u;
	return -1;
}

/* Skip ASCII white space at both ends of [*p, *p + *len). */
static void
trim_ascii_space(const char **p, size_t *len)
{
	while (*len > 0 && (**p == ' ' || **p == '\t' || **p == '\n' ||
						**p == '\r' || **p == '\f' || **p == '\v'))
	{
		(*p)++;
		(*len)--;
	}
	while (*len > 0)
	{
		char		c = (*p)[*len - 1];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r' &&
			c != '\f' && c != '\v')
			break;
		(*len)--;
	}
}

signing_key *
signing_key_load(const void *contents, size_t len, char *err, size_t errlen)
{
	EVP_PKEY   *pkey = NULL;
	signing_key *key;
	size_t		publen = ED25519_PUBLIC_KEY_LEN;

	if (contents == NULL || len == 0)
	{
		text_error(err, errlen, "private key file is empty");
		return NULL;
	}
	if (len > KEY_FILE_MAX_LEN)
	{
		text_error(err, errlen, "private key file is too large");
		return NULL;
	}

	if (len == ED25519_SEED_LEN)
	{
		pkey = EVP_PKEY_new_raw_private_key_ex(NULL, "ED25519", NULL,
											   contents, ED25519_SEED_LEN);
		if (pkey == NULL)
		{
			openssl_fail(err, errlen, "could not load raw ed25519 seed");
			return NULL;
		}
	}
	else
	{
		const char *text = contents;
		size_t		tlen = len;
		BIO		   *bio;

		trim_ascii_space(&text, &tlen);
		if (!has_prefix(text, tlen, "-----BEGIN PRIVATE KEY-----"))
		{
			text_error(err, errlen,
					"private key file is neither a pem \"private key\" "
					"nor a raw 32-byte ed25519 seed");
			return NULL;
		}
		bio = BIO_new_mem_buf(text, (int) tlen);
		if (bio == NULL)
		{
			openssl_fail(err, errlen, "out of memory");
			return NULL;
		}
		pkey = PEM_read_bio_PrivateKey_ex(bio, NULL, no_passphrase, NULL,
										  NULL, NULL);
		BIO_free(bio);
		if (pkey == NULL)
		{
			openssl_fail(err, errlen, "could not decode pem private key");
			return NULL;
		}
		if (!EVP_PKEY_is_a(pkey, "ED25519"))
		{
			EVP_PKEY_free(pkey);
			openssl_fail(err, errlen, "private key is not an ed25519 key");
			return NULL;
		}
	}

	key = OPENSSL_zalloc(sizeof(*key));
	if (key == NULL)
	{
		EVP_PKEY_free(pkey);
		openssl_fail(err, errlen, "out of memory");
		return NULL;
	}
	key->pkey = pkey;
	key->ctx = EVP_MD_CTX_new();
	if (key->ctx == NULL ||
		EVP_PKEY_get_raw_public_key(pkey, key->pub, &publen) != 1 ||
		publen != ED25519_PUBLIC_KEY_LEN)
	{
		signing_key_free(key);
		openssl_fail(err, errlen, "could not derive the ed25519 public key");
		return NULL;
	}
	if (!key_id_of(key->pub, key->key_id))
	{
		signing_key_free(key);
		openssl_fail(err, errlen, "could not hash the public key");
		return NULL;
	}
	return key;
}

void
signing_key_free(signing_key *key)
{
	if (key == NULL)
		return;
	EVP_MD_CTX_free(key->ctx);
	EVP_PKEY_free(key->pkey);
	OPENSSL_clear_free(key, sizeof(*key));
}

const uint8_t *
signing_key_public(const signing_key *key)
{
	return key->pub;
}

const char *
signing_key_id(const signing_key *key)
{
	return key->key_id;
}

bool
ed25519_sign(const signing_key *key, const void *msg, size_t len,
			 uint8_t sig[ED25519_SIG_LEN], char *err, size_t errlen)
{
	size_t		siglen = ED25519_SIG_LEN;

	if (key == NULL)
	{
		text_error(err, errlen, "no signing key");
		return false;
	}
	if (EVP_DigestSignInit_ex(key->ctx, NULL, NULL, NULL, NULL, key->pkey,
							  NULL) != 1 ||
		EVP_DigestSign(key->ctx, sig, &siglen, len ? msg : (const void *) "",
					   len) != 1 ||
		siglen != ED25519_SIG_LEN)
		return openssl_fail(err, errlen, "ed25519 signing failed");
	return true;
}

verifier *
verifier_new(const uint8_t pub[ED25519_PUBLIC_KEY_LEN], char *err,
			 size_t errlen)
{
	verifier   *v = OPENSSL_zalloc(sizeof(*v));

	if (v == NULL)
	{
		openssl_fail(err, errlen, "out of memory");
		return NULL;
	}
	v->pkey = EVP_PKEY_new_raw_public_key_ex(NULL, "ED25519", NULL, pub,
											 ED25519_PUBLIC_KEY_LEN);
	v->ctx = EVP_MD_CTX_new();
	if (v->pkey == NULL || v->ctx == NULL)
	{
		verifier_free(v);
		openssl_fail(err, errlen, "could not load ed25519 public key");
		return NULL;
	}
	return v;
}

static bool
verifier_init(verifier *v)
{
	v->ready = EVP_DigestVerifyInit_ex(v->ctx, NULL, NULL, NULL, NULL,
									   v->pkey, NULL) == 1;
	return v->ready;
}

/*
 * The context is initialised once and reused: for Ed25519 a one-shot
 * EVP_DigestVerify() keeps no state between calls (this is also how
 * `openssl speed` measures).  Should an OpenSSL version refuse a second
 * call on the same context, or any call fail, the context is initialised
 * again and the check repeated once, so the answer never depends on it.
 */
bool
verifier_verify(verifier *v, const void *msg, size_t len,
				const uint8_t sig[ED25519_SIG_LEN])
{
	const void *m = len ? msg : (const void *) "";

	if (v == NULL)
		return false;
	if (v->ready &&
		EVP_DigestVerify(v->ctx, sig, ED25519_SIG_LEN, m, len) == 1)
		return true;
	ERR_clear_error();
	if (!verifier_init(v))
	{
		ERR_clear_error();
		return false;
	}
	if (EVP_DigestVerify(v->ctx, sig, ED25519_SIG_LEN, m, len) == 1)
		return true;
	ERR_clear_error();
	return false;
}

void
verifier_free(verifier *v)
{
	if (v == NULL)
		return;
	EVP_MD_CTX_free(v->ctx);
	EVP_PKEY_free(v->pkey);
	OPENSSL_free(v);
}

bool
ed25519_verify(const uint8_t pub[ED25519_PUBLIC_KEY_LEN],
			   const void *msg, size_t len, const uint8_t sig[ED25519_SIG_LEN])
{
	verifier   *v = verifier_new(pub, NULL, 0);
	bool		ok;

	if (v == NULL)
		return false;
	ok = verifier_verify(v, msg, len, sig);
	verifier_free(v);
	return ok;
}

bool
public_key_parse(const void *data, size_t len,
				 uint8_t pub[ED25519_PUBLIC_KEY_LEN], char *err, size_t errlen)
{
	const char *text = data;
	size_t		tlen = len;
	size_t		n;

	if (data == NULL || len == 0)
	{
		text_error(err, errlen, "public key is empty");
		return false;
	}
	if (len == ED25519_PUBLIC_KEY_LEN)
	{
		memcpy(pub, data, ED25519_PUBLIC_KEY_LEN);
		return true;
	}
	if (len > KEY_FILE_MAX_LEN)
	{
		text_error(err, errlen, "public key is too large");
		return false;
	}
	trim_ascii_space(&text, &tlen);
	if (has_prefix(text, tlen, "-----BEGIN PUBLIC KEY-----"))
	{
		BIO		   *bio = BIO_new_mem_buf(text, (int) tlen);
		EVP_PKEY   *pkey;
		size_t		publen = ED25519_PUBLIC_KEY_LEN;

		if (bio == NULL)
			return openssl_fail(err, errlen, "out of memory");
		pkey = PEM_read_bio_PUBKEY_ex(bio, NULL, no_passphrase, NULL,
									  NULL, NULL);
		BIO_free(bio);
		if (pkey == NULL)
			return openssl_fail(err, errlen, "could not decode pem public key");
		if (!EVP_PKEY_is_a(pkey, "ED25519"))
		{
			EVP_PKEY_free(pkey);
			return openssl_fail(err, errlen, "public key is not an ed25519 key");
		}
		if (EVP_PKEY_get_raw_public_key(pkey, pub, &publen) != 1 ||
			publen != ED25519_PUBLIC_KEY_LEN)
		{
			EVP_PKEY_free(pkey);
			return openssl_fail(err, errlen,
								"could not extract the raw ed25519 public key");
		}
		EVP_PKEY_free(pkey);
		return true;
	}
	if (has_prefix(text, tlen, "\\x"))
	{
		text += 2;
		tlen -= 2;
	}
	if (tlen != 2 * ED25519_PUBLIC_KEY_LEN ||
		!crypto_hex_decode(text, tlen, pub, ED25519_PUBLIC_KEY_LEN, &n, NULL, 0))
	{
		text_error(err, errlen,
				"public key is neither pem, 32 raw bytes nor 64 hex digits");
		return false;
	}
	return true;
}

/* ------------------------------------------------------ base64 and hex */

static const char b64_alphabet[] =
"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t
base64_encode(const uint8_t *in, size_t len, char *out)
{
	size_t		i,
				o = 0;

	for (i = 0; i + 3 <= len; i += 3)
	{
		uint32_t	v = ((uint32_t) in[i] << 16) | ((uint32_t) in[i + 1] << 8) |
			in[i + 2];

		out[o++] = b64_alphabet[(v >> 18) & 63];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[(v >> 6) & 63];
		out[o++] = b64_alphabet[v & 63];
	}
	if (len - i == 1)
	{
		uint32_t	v = (uint32_t) in[i] << 16;

		out[o++] = b64_alphabet[(v >> 18) & 63];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = '=';
		out[o++] = '=';
	}
	else if (len - i == 2)
	{
		uint32_t	v = ((uint32_t) in[i] << 16) | ((uint32_t) in[i + 1] << 8);

		out[o++] = b64_alphabet[(v >> 18) & 63];
		out[o++] = b64_alphabet[(v >> 12) & 63];
		out[o++] = b64_alphabet[(v >> 6) & 63];
		out[o++] = '=';
	}
	out[o] = '\0';
	return o;
}

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

bool
base64_decode(const char *in, size_t inlen, uint8_t *out, size_t outcap,
			  size_t *outlen, char *err, size_t errlen)
{
	size_t		i,
				o = 0;

	if (inlen % 4 != 0)
	{
		text_error(err, errlen, "base64 length is not a multiple of 4");
		return false;
	}
	for (i = 0; i < inlen; i += 4)
	{
		bool		last = (i + 4 == inlen);
		int			v[4];
		size_t		pad = 0;
		size_t		k;
		uint32_t	bits;

		for (k = 0; k < 4; k++)
		{
			unsigned char c = (unsigned char) in[i + k];

			if (c == '=' && last && k >= 2)
			{
				v[k] = 0;
				pad++;
				continue;
			}
			if (pad > 0 || (v[k] = b64_value(c)) < 0)
			{
				text_error(err, errlen, "invalid base64 character at offset %zu",
						i + k);
				return false;
			}
		}
		bits = ((uint32_t) v[0] << 18) | ((uint32_t) v[1] << 12) |
			((uint32_t) v[2] << 6) | (uint32_t) v[3];
		if ((pad == 1 && (bits & 0xff) != 0) ||
			(pad == 2 && (bits & 0xffff) != 0))
		{
			text_error(err, errlen, "non-canonical base64 (unused bits set)");
			return false;
		}
		if (o + 3 - pad > outcap)
		{
			text_error(err, errlen, "base64 value is too long");
			return false;
		}
		out[o++] = (uint8_t) (bits >> 16);
		if (pad < 2)
			out[o++] = (uint8_t) (bits >> 8);
		if (pad < 1)
			out[o++] = (uint8_t) bits;
	}
	if (outlen)
		*outlen = o;
	return true;
}

void
crypto_hex_encode(const uint8_t *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t		i;

	for (i = 0; i < len; i++)
	{
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = '\0';
}

bool
crypto_hex_decode(const char *in, size_t inlen, uint8_t *out, size_t outcap,
		   size_t *outlen, char *err, size_t errlen)
{
	size_t		i;

	if (inlen % 2 != 0)
	{
		text_error(err, errlen, "odd number of hex digits");
		return false;
	}
	if (inlen / 2 > outcap)
	{
		text_error(err, errlen, "hex value is too long");
		return false;
	}
	for (i = 0; i < inlen; i += 2)
	{
		int			hi = hex_digit_value((unsigned char) in[i]);
		int			lo = hex_digit_value((unsigned char) in[i + 1]);

		if (hi < 0 || lo < 0)
		{
			text_error(err, errlen, "invalid hex digit at offset %zu",
					hi < 0 ? i : i + 1);
			return false;
		}
		out[i / 2] = (uint8_t) ((hi << 4) | lo);
	}
	if (outlen)
		*outlen = inlen / 2;
	return true;
}

bool
bytea_hex_decode(const char *in, size_t inlen, uint8_t *out, size_t outcap,
				 size_t *outlen, char *err, size_t errlen)
{
	if (!has_prefix(in, inlen, "\\x"))
	{
		text_error(err, errlen, "bytea value does not start with \\x");
		return false;
	}
	return crypto_hex_decode(in + 2, inlen - 2, out, outcap, outlen, err, errlen);
}

