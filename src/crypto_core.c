/*
 * crypto_core.c: SHA-256, Ed25519, base64/hex and the C2SP checkpoint note
 * for the signed disclosure log.  Pure C over the OpenSSL 3 EVP API; no
 * PostgreSQL headers.  See crypto.h for the contract of each function.
 */
#include "crypto.h"

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
#define CHECKPOINT_ORIGIN_MAX	255
#define NOTE_MAX_LEN			(1024 * 1024)
#define NOTE_MAX_SIGNATURES		100

static const char em_dash_space[] = "\xE2\x80\x94 ";	/* U+2014 U+0020 */

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

static void set_err(char *err, size_t errlen, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

static void
set_err(char *err, size_t errlen, const char *fmt,...)
{
	va_list		ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* An OpenSSL call failed: drop its error queue and report reason. */
static bool
openssl_fail(char *err, size_t errlen, const char *reason)
{
	ERR_clear_error();
	set_err(err, errlen, "%s", reason);
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
		set_err(err, errlen, "private key file is not a regular file");
		return false;
	}
	if (owner == server_uid)
	{
		if (mode & (S_IRWXG | S_IRWXO))
		{
			set_err(err, errlen,
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
			set_err(err, errlen,
					"private key file has group or world access (mode %04o): "
					"a file owned by root must have permissions "
					"u=rw,g=r (0640) or less",
					(unsigned int) (mode & 07777));
			return false;
		}
		return true;
	}
	set_err(err, errlen,
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

static bool
has_prefix(const char *p, size_t len, const char *prefix)
{
	size_t		n = strlen(prefix);

	return len >= n && memcmp(p, prefix, n) == 0;
}

signing_key *
signing_key_load(const void *contents, size_t len, char *err, size_t errlen)
{
	EVP_PKEY   *pkey = NULL;
	signing_key *key;
	size_t		publen = ED25519_PUBLIC_KEY_LEN;

	if (contents == NULL || len == 0)
	{
		set_err(err, errlen, "private key file is empty");
		return NULL;
	}
	if (len > KEY_FILE_MAX_LEN)
	{
		set_err(err, errlen, "private key file is too large");
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
			set_err(err, errlen,
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
		set_err(err, errlen, "no signing key");
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
		set_err(err, errlen, "public key is empty");
		return false;
	}
	if (len == ED25519_PUBLIC_KEY_LEN)
	{
		memcpy(pub, data, ED25519_PUBLIC_KEY_LEN);
		return true;
	}
	if (len > KEY_FILE_MAX_LEN)
	{
		set_err(err, errlen, "public key is too large");
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
		set_err(err, errlen,
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
		set_err(err, errlen, "base64 length is not a multiple of 4");
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
				set_err(err, errlen, "invalid base64 character at offset %zu",
						i + k);
				return false;
			}
		}
		bits = ((uint32_t) v[0] << 18) | ((uint32_t) v[1] << 12) |
			((uint32_t) v[2] << 6) | (uint32_t) v[3];
		if ((pad == 1 && (bits & 0xff) != 0) ||
			(pad == 2 && (bits & 0xffff) != 0))
		{
			set_err(err, errlen, "non-canonical base64 (unused bits set)");
			return false;
		}
		if (o + 3 - pad > outcap)
		{
			set_err(err, errlen, "base64 value is too long");
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

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

bool
crypto_hex_decode(const char *in, size_t inlen, uint8_t *out, size_t outcap,
		   size_t *outlen, char *err, size_t errlen)
{
	size_t		i;

	if (inlen % 2 != 0)
	{
		set_err(err, errlen, "odd number of hex digits");
		return false;
	}
	if (inlen / 2 > outcap)
	{
		set_err(err, errlen, "hex value is too long");
		return false;
	}
	for (i = 0; i < inlen; i += 2)
	{
		int			hi = hex_value((unsigned char) in[i]);
		int			lo = hex_value((unsigned char) in[i + 1]);

		if (hi < 0 || lo < 0)
		{
			set_err(err, errlen, "invalid hex digit at offset %zu",
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
		set_err(err, errlen, "bytea value does not start with \\x");
		return false;
	}
	return crypto_hex_decode(in + 2, inlen - 2, out, outcap, outlen, err, errlen);
}

/* ------------------------------------------------- checkpoint (C2SP) */

/*
 * Decode one UTF-8 sequence at s[0..len); returns its length (0 if invalid:
 * truncated, overlong, surrogate or above U+10FFFF) and the code point.
 */
static size_t
utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	uint32_t	c;
	size_t		n,
				i;

	if (len == 0)
		return 0;
	if (s[0] < 0x80)
	{
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
	{
		n = 2;
		c = s[0] & 0x1F;
	}
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
	{
		n = 3;
		c = s[0] & 0x0F;
	}
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
	{
		n = 4;
		c = s[0] & 0x07;
	}
	else
		return 0;
	if (len < n)
		return 0;
	for (i = 1; i < n; i++)
	{
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10FFFF ||
		(c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

/* Unicode White_Space (the same set as Go's unicode.IsSpace). */
static bool
unicode_space(uint32_t c)
{
	return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 ||
		c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) ||
		c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
		c == 0x3000;
}

bool
checkpoint_origin_ok(const char *origin, char *err, size_t errlen)
{
	const unsigned char *s = (const unsigned char *) origin;
	size_t		len,
				i = 0;

	if (origin == NULL || origin[0] == '\0')
	{
		set_err(err, errlen, "origin is empty");
		return false;
	}
	len = strlen(origin);
	if (len > CHECKPOINT_ORIGIN_MAX)
	{
		set_err(err, errlen, "origin is longer than %d bytes",
				CHECKPOINT_ORIGIN_MAX);
		return false;
	}
	while (i < len)
	{
		uint32_t	c;
		size_t		n = utf8_next(s + i, len - i, &c);

		if (n == 0)
		{
			set_err(err, errlen, "origin is not valid utf-8");
			return false;
		}
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||
			unicode_space(c) || c == '+')
		{
			set_err(err, errlen,
					"origin must not contain spaces, control characters or '+'");
			return false;
		}
		i += n;
	}
	return true;
}

bool
checkpoint_key_hash(const char *origin,
					const uint8_t pub[ED25519_PUBLIC_KEY_LEN],
					uint8_t out[CHECKPOINT_KEY_HASH_LEN])
{
	uint8_t		buf[sizeof(CHECKPOINT_NAME_PREFIX) + CHECKPOINT_ORIGIN_MAX +
					2 + ED25519_PUBLIC_KEY_LEN];
	uint8_t		digest[SHA256_LEN];
	size_t		olen = strlen(origin);
	size_t		plen = strlen(CHECKPOINT_NAME_PREFIX);
	size_t		n = 0;

	if (olen > CHECKPOINT_ORIGIN_MAX)
		return false;
	memcpy(buf, CHECKPOINT_NAME_PREFIX, plen);
	n += plen;
	memcpy(buf + n, origin, olen);
	n += olen;
	buf[n++] = 0x0A;
	buf[n++] = 0x01;			/* signature type: Ed25519 */
	memcpy(buf + n, pub, ED25519_PUBLIC_KEY_LEN);
	n += ED25519_PUBLIC_KEY_LEN;
	if (!sha256(buf, n, digest))
		return false;
	memcpy(out, digest, CHECKPOINT_KEY_HASH_LEN);
	return true;
}

bool
checkpoint_format(const signing_key *key, const char *origin,
				  uint64_t tree_size, const uint8_t root[SHA256_LEN],
				  char *out, size_t outsize, size_t *outlen,
				  char *err, size_t errlen)
{
	uint8_t		sigbuf[CHECKPOINT_KEY_HASH_LEN + ED25519_SIG_LEN];
	char		size_text[24];
	size_t		olen,
				body_len,
				need,
				n;

	if (key == NULL)
	{
		set_err(err, errlen, "no signing key");
		return false;
	}
	if (!checkpoint_origin_ok(origin, err, errlen))
		return false;
	olen = strlen(origin);
	snprintf(size_text, sizeof(size_text), "%" PRIu64, tree_size);

	/* body: name \n size \n b64(root) \n */
	body_len = strlen(CHECKPOINT_NAME_PREFIX) + olen + 1 +
		strlen(size_text) + 1 + BASE64_ENCODED_LEN(SHA256_LEN) + 1;
	/* + blank line, em dash, space, name, space, b64(sig), newline, NUL */
	need = body_len + 1 + strlen(em_dash_space) +
		strlen(CHECKPOINT_NAME_PREFIX) + olen + 1 +
		BASE64_ENCODED_LEN(sizeof(sigbuf)) + 1 + 1;
	if (out == NULL || outsize < need)
	{
		set_err(err, errlen, "checkpoint buffer too small (%zu bytes needed)",
				need);
		return false;
	}

	n = (size_t) snprintf(out, outsize, "%s%s\n%s\n",
						  CHECKPOINT_NAME_PREFIX, origin, size_text);
	n += base64_encode(root, SHA256_LEN, out + n);
	out[n++] = '\n';
	if (n != body_len)
	{
		set_err(err, errlen, "internal error: checkpoint body length");
		return false;
	}

	if (!checkpoint_key_hash(origin, key->pub, sigbuf))
		return openssl_fail(err, errlen, "could not hash the checkpoint key");
	if (!ed25519_sign(key, out, body_len, sigbuf + CHECKPOINT_KEY_HASH_LEN,
					  err, errlen))
		return false;

	out[n++] = '\n';
	n += (size_t) snprintf(out + n, outsize - n, "%s%s%s ", em_dash_space,
						   CHECKPOINT_NAME_PREFIX, origin);
	n += base64_encode(sigbuf, sizeof(sigbuf), out + n);
	out[n++] = '\n';
	out[n] = '\0';
	if (outlen)
		*outlen = n;
	return true;
}

/* Strict ASCII decimal: digits only, no sign, no leading zeros, fits uint64. */
bool
parse_decimal_u64(const char *s, size_t len, uint64_t *value)
{
	uint64_t	v = 0;
	size_t		i;

	if (len == 0 || len > 20 || (len > 1 && s[0] == '0'))
		return false;
	for (i = 0; i < len; i++)
	{
		unsigned int d;

		if (s[i] < '0' || s[i] > '9')
			return false;
		d = (unsigned int) (s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	*value = v;
	return true;
}

bool
checkpoint_verify(const uint8_t pub[ED25519_PUBLIC_KEY_LEN],
				  const char *origin, const char *text, size_t len,
				  uint64_t *tree_size, uint8_t root[SHA256_LEN],
				  char *err, size_t errlen)
{
	const unsigned char *u = (const unsigned char *) text;
	char		name[sizeof(CHECKPOINT_NAME_PREFIX) + CHECKPOINT_ORIGIN_MAX];
	uint8_t		key_hash[CHECKPOINT_KEY_HASH_LEN];
	size_t		name_len,
				i,
				body_len,
				sep,
				p,
				nsig = 0;
	bool		found_sep = false;
	bool		name_seen = false;
	int			verified = 0;
	const char *line,
			   *nl;
	uint64_t	size_value;
	uint8_t		root_value[SHA256_LEN];
	size_t		rootlen;
	verifier   *v;

	if (!checkpoint_origin_ok(origin, err, errlen))
		return false;
	name_len = (size_t) snprintf(name, sizeof(name), "%s%s",
								 CHECKPOINT_NAME_PREFIX, origin);

	if (text == NULL || len == 0)
	{
		set_err(err, errlen, "checkpoint is empty");
		return false;
	}
	if (len > NOTE_MAX_LEN)
	{
		set_err(err, errlen, "checkpoint is too long");
		return false;
	}
	if (text[len - 1] != '\n')
	{
		set_err(err, errlen, "checkpoint does not end with a newline");
		return false;
	}
	for (i = 0; i < len;)
	{
		uint32_t	c;
		size_t		n = utf8_next(u + i, len - i, &c);

		if (n == 0)
		{
			set_err(err, errlen, "checkpoint is not valid utf-8");
			return false;
		}
		if ((c < 0x20 && c != '\n') || c == 0x7F)
		{
			set_err(err, errlen, "checkpoint contains a control character");
			return false;
		}
		i += n;
	}

	/* The signatures follow the last blank line. */
	for (sep = len - 1; sep > 0; sep--)
	{
		if (text[sep - 1] == '\n' && text[sep] == '\n')
		{
			found_sep = true;
			break;
		}
	}
	if (!found_sep)
	{
		set_err(err, errlen, "checkpoint has no signature block");
		return false;
	}
	body_len = sep;				/* text[0..sep) ends with the body's newline */
	p = sep + 1;
	if (p >= len)
	{
		set_err(err, errlen, "checkpoint has no signature lines");
		return false;
	}

	if (!checkpoint_key_hash(origin, pub, key_hash))
		return openssl_fail(err, errlen, "could not hash the checkpoint key");
	v = verifier_new(pub, err, errlen);
	if (v == NULL)
		return false;

	while (p < len)
	{
		const char *sig_name,
				   *b64;
		size_t		line_len,
					sig_name_len,
					b64_len,
					dec_len;
		uint8_t		head[6];
		uint8_t		sigbuf[CHECKPOINT_KEY_HASH_LEN + ED25519_SIG_LEN];
		const char *space;

		line = text + p;
		nl = memchr(line, '\n', len - p);	/* exists: text ends in \n */
		line_len = (size_t) (nl - line);
		p += line_len + 1;
		if (++nsig > NOTE_MAX_SIGNATURES)
		{
			verifier_free(v);
			set_err(err, errlen, "checkpoint has too many signatures");
			return false;
		}
		if (!has_prefix(line, line_len, em_dash_space))
		{
			verifier_free(v);
			set_err(err, errlen, "malformed checkpoint signature line");
			return false;
		}
		sig_name = line + strlen(em_dash_space);
		space = memchr(sig_name, ' ', (size_t) (nl - sig_name));
		if (space == NULL || space == sig_name)
		{
			verifier_free(v);
			set_err(err, errlen, "malformed checkpoint signature line");
			return false;
		}
		sig_name_len = (size_t) (space - sig_name);
		b64 = space + 1;
		b64_len = (size_t) (nl - b64);
		if (b64_len < 8 || b64_len % 4 != 0 ||
			memchr(b64, ' ', b64_len) != NULL ||
			!base64_decode(b64, 8, head, sizeof(head), &dec_len, NULL, 0) ||
			dec_len < CHECKPOINT_KEY_HASH_LEN + (b64_len == 8 ? 1u : 0u))
		{
			verifier_free(v);
			set_err(err, errlen, "malformed checkpoint signature line");
			return false;
		}
		if (sig_name_len != name_len || memcmp(sig_name, name, name_len) != 0)
			continue;			/* another key: ignored */
		name_seen = true;
		if (memcmp(head, key_hash, CHECKPOINT_KEY_HASH_LEN) != 0)
			continue;			/* same name, another key: ignored */
		if (!base64_decode(b64, b64_len, sigbuf, sizeof(sigbuf), &dec_len,
						   NULL, 0) ||
			dec_len != sizeof(sigbuf))
		{
			verifier_free(v);
			set_err(err, errlen, "malformed checkpoint signature by key %s",
					name);
			return false;
		}
		if (!verifier_verify(v, text, body_len,
							 sigbuf + CHECKPOINT_KEY_HASH_LEN))
		{
			verifier_free(v);
			set_err(err, errlen,
					"checkpoint signature by key %s does not verify", name);
			return false;
		}
		verified++;
	}
	verifier_free(v);
	if (verified == 0)
	{
		if (name_seen)
			set_err(err, errlen,
					"checkpoint is signed as %s but by a different key "
					"(key hash mismatch)", name);
		else
			set_err(err, errlen, "checkpoint has no signature by key %s",
					name);
		return false;
	}

	/* The body, now authenticated: origin, tree size, root hash. */
	line = text;
	nl = memchr(line, '\n', body_len);
	if (nl == NULL || (size_t) (nl - line) != name_len ||
		memcmp(line, name, name_len) != 0)
	{
		set_err(err, errlen, "checkpoint origin line is not %s", name);
		return false;
	}
	line = nl + 1;
	nl = memchr(line, '\n', (size_t) (text + body_len - line));
	if (nl == NULL ||
		!parse_decimal_u64(line, (size_t) (nl - line), &size_value))
	{
		set_err(err, errlen,
				"checkpoint tree size is not a decimal number without "
				"leading zeros");
		return false;
	}
	line = nl + 1;
	nl = memchr(line, '\n', (size_t) (text + body_len - line));
	if (nl == NULL ||
		!base64_decode(line, (size_t) (nl - line), root_value, SHA256_LEN,
					   &rootlen, NULL, 0) ||
		rootlen != SHA256_LEN)
	{
		set_err(err, errlen,
				"checkpoint root hash is not the base64 of 32 bytes");
		return false;
	}
	if ((size_t) (nl + 1 - text) != body_len)
	{
		set_err(err, errlen, "checkpoint has unexpected extension lines");
		return false;
	}
	*tree_size = size_value;
	memcpy(root, root_value, SHA256_LEN);
	return true;
}
