/*
 * checkpoint_core.c: the C2SP tlog-checkpoint signed note of an origin's
 * log (SPEC 6, docs/DESIGN.md "Disclosure log"): writing and verifying
 * it.  Pure C over crypto_core.c; no PostgreSQL headers.  See checkpoint.h.
 */
#include "checkpoint.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

#include "text.h"

#define CHECKPOINT_ORIGIN_MAX	255
#define NOTE_MAX_LEN			(1024 * 1024)
#define NOTE_MAX_SIGNATURES		100

static const char em_dash_space[] = "\xE2\x80\x94 ";	/* U+2014 U+0020 */

/* An OpenSSL call failed: drop its error queue and report reason. */
static bool
openssl_fail(char *err, size_t errlen, const char *reason)
{
	ERR_clear_error();
	text_error(err, errlen, "%s", reason);
	return false;
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

/* the characters of a key name: UTF-8, no spaces, no control characters, no '+' */
static bool
name_chars_ok(const char *name, size_t len, const char *what, char *err, size_t errlen)
{
	const unsigned char *s = (const unsigned char *) name;
	size_t		i = 0;

	while (i < len)
	{
		uint32_t	c;
		size_t		n = utf8_decode(s + i, len - i, &c);

		if (n == 0)
		{
			text_error(err, errlen, "%s is not valid utf-8", what);
			return false;
		}
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||
			unicode_space(c) || c == '+')
		{
			text_error(err, errlen,
					   "%s must not contain spaces, control characters or '+'", what);
			return false;
		}
		i += n;
	}
	return true;
}

bool
checkpoint_origin_ok(const char *origin, char *err, size_t errlen)
{
	size_t		len;

	if (origin == NULL || origin[0] == '\0')
	{
		text_error(err, errlen, "origin is empty");
		return false;
	}
	len = strlen(origin);
	if (len > CHECKPOINT_ORIGIN_MAX)
	{
		text_error(err, errlen, "origin is longer than %d bytes",
				CHECKPOINT_ORIGIN_MAX);
		return false;
	}
	return name_chars_ok(origin, len, "origin", err, errlen);
}

bool
note_name_ok(const char *name, size_t len, char *err, size_t errlen)
{
	if (name == NULL || len == 0)
	{
		text_error(err, errlen, "key name is empty");
		return false;
	}
	if (len > NOTE_NAME_MAX)
	{
		text_error(err, errlen, "key name is longer than %d bytes", NOTE_NAME_MAX);
		return false;
	}
	return name_chars_ok(name, len, "key name", err, errlen);
}

bool
checkpoint_key_hash(const char *origin,
					const uint8_t pub[ED25519_PUBLIC_KEY_LEN],
					uint8_t out[CHECKPOINT_KEY_HASH_LEN])
{
	char		name[sizeof(CHECKPOINT_NAME_PREFIX) + CHECKPOINT_ORIGIN_MAX];
	size_t		olen = strlen(origin);

	if (olen > CHECKPOINT_ORIGIN_MAX)
		return false;
	snprintf(name, sizeof(name), "%s%s", CHECKPOINT_NAME_PREFIX, origin);
	return note_key_id(name, strlen(name), NOTE_TYPE_ED25519, pub, out);
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
		text_error(err, errlen, "no signing key");
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
		text_error(err, errlen, "checkpoint buffer too small (%zu bytes needed)",
				need);
		return false;
	}

	n = (size_t) snprintf(out, outsize, "%s%s\n%s\n",
						  CHECKPOINT_NAME_PREFIX, origin, size_text);
	n += base64_encode(root, SHA256_LEN, out + n);
	out[n++] = '\n';
	if (n != body_len)
	{
		text_error(err, errlen, "internal error: checkpoint body length");
		return false;
	}

	if (!checkpoint_key_hash(origin, signing_key_public(key), sigbuf))
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

/* The note's syntax: not empty, not too long, UTF-8, no control character but newline, ends in newline. */
static bool
note_text_ok(const char *text, size_t len, char *err, size_t errlen)
{
	const unsigned char *u = (const unsigned char *) text;
	size_t		i;

	if (text == NULL || len == 0)
	{
		text_error(err, errlen, "checkpoint is empty");
		return false;
	}
	if (len > NOTE_MAX_LEN)
	{
		text_error(err, errlen, "checkpoint is too long");
		return false;
	}
	if (text[len - 1] != '\n')
	{
		text_error(err, errlen, "checkpoint does not end with a newline");
		return false;
	}
	for (i = 0; i < len;)
	{
		uint32_t	c;
		size_t		n = utf8_decode(u + i, len - i, &c);

		if (n == 0)
		{
			text_error(err, errlen, "checkpoint is not valid utf-8");
			return false;
		}
		if ((c < 0x20 && c != '\n') || c == 0x7F)
		{
			text_error(err, errlen, "checkpoint contains a control character");
			return false;
		}
		i += n;
	}
	return true;
}

/*
 * The signatures follow the last blank line: *body_len is the length of
 * the body (through its last newline), *sig_start where the signature
 * lines begin.
 */
static bool
note_split(const char *text, size_t len, size_t *body_len, size_t *sig_start,
		   char *err, size_t errlen)
{
	size_t		sep;

	for (sep = len - 1; sep > 0; sep--)
	{
		if (text[sep - 1] == '\n' && text[sep] == '\n')
			break;
	}
	if (sep == 0)
	{
		text_error(err, errlen, "checkpoint has no signature block");
		return false;
	}
	*body_len = sep;			/* text[0..sep) ends with the body's newline */
	*sig_start = sep + 1;
	if (*sig_start >= len)
	{
		text_error(err, errlen, "checkpoint has no signature lines");
		return false;
	}
	return true;
}

/* one signature line "\u2014 <name> <base64(key ID || ...)>" of a note */
typedef struct sig_line
{
	const char *name;
	size_t		name_len;
	const char *b64;			/* the whole base64 signature */
	size_t		b64_len;
	uint8_t		key_id[NOTE_KEY_ID_LEN];
} sig_line;

/*
 * The next signature line of the note text[0..len) (which ends in a
 * newline) at *p, into *sl: 1, or 0 at the end; -1 with err when the line
 * is malformed or there are more than NOTE_MAX_SIGNATURES (*nsig counts
 * them).  A line is well formed when its base64 decodes to a key ID and at
 * least one byte more; the signature itself is decoded by the caller.
 */
static int
sig_line_next(const char *text, size_t len, size_t *p, size_t *nsig, sig_line *sl,
			  char *err, size_t errlen)
{
	const char *line,
			   *nl,
			   *space;
	size_t		line_len,
				dec_len;
	uint8_t		head[6];

	if (*p >= len)
		return 0;
	line = text + *p;
	nl = memchr(line, '\n', len - *p);	/* exists: text ends in \n */
	line_len = (size_t) (nl - line);
	*p += line_len + 1;
	if (++*nsig > NOTE_MAX_SIGNATURES)
	{
		text_error(err, errlen, "checkpoint has too many signatures");
		return -1;
	}
	if (!has_prefix(line, line_len, em_dash_space))
		goto malformed;
	sl->name = line + strlen(em_dash_space);
	space = memchr(sl->name, ' ', (size_t) (nl - sl->name));
	if (space == NULL || space == sl->name)
		goto malformed;
	sl->name_len = (size_t) (space - sl->name);
	sl->b64 = space + 1;
	sl->b64_len = (size_t) (nl - sl->b64);
	if (sl->b64_len < 8 || sl->b64_len % 4 != 0 ||
		memchr(sl->b64, ' ', sl->b64_len) != NULL ||
		!base64_decode(sl->b64, 8, head, sizeof(head), &dec_len, NULL, 0) ||
		dec_len < NOTE_KEY_ID_LEN + (sl->b64_len == 8 ? 1u : 0u))
		goto malformed;
	memcpy(sl->key_id, head, NOTE_KEY_ID_LEN);
	return 1;

malformed:
	text_error(err, errlen, "malformed checkpoint signature line");
	return -1;
}

/*
 * The signature lines text[p..len): each well formed; those of key name
 * "integrity/<origin>" with pub's key hash must verify, and there must be
 * one (signatures of other keys are ignored).
 */
static bool
note_signatures_ok(const uint8_t pub[ED25519_PUBLIC_KEY_LEN], const char *origin,
				   const char *name, size_t name_len, const char *text, size_t len,
				   size_t body_len, size_t p, char *err, size_t errlen)
{
	uint8_t		key_hash[CHECKPOINT_KEY_HASH_LEN];
	size_t		nsig = 0;
	bool		name_seen = false;
	int			verified = 0;
	int			r;
	sig_line	sl;
	verifier   *v;

	if (!checkpoint_key_hash(origin, pub, key_hash))
		return openssl_fail(err, errlen, "could not hash the checkpoint key");
	v = verifier_new(pub, err, errlen);
	if (v == NULL)
		return false;

	while ((r = sig_line_next(text, len, &p, &nsig, &sl, err, errlen)) > 0)
	{
		uint8_t		sigbuf[CHECKPOINT_KEY_HASH_LEN + ED25519_SIG_LEN];
		size_t		dec_len;

		if (sl.name_len != name_len || memcmp(sl.name, name, name_len) != 0)
			continue;			/* another key: ignored */
		name_seen = true;
		if (memcmp(sl.key_id, key_hash, CHECKPOINT_KEY_HASH_LEN) != 0)
			continue;			/* same name, another key: ignored */
		if (!base64_decode(sl.b64, sl.b64_len, sigbuf, sizeof(sigbuf), &dec_len,
						   NULL, 0) ||
			dec_len != sizeof(sigbuf))
		{
			verifier_free(v);
			text_error(err, errlen, "malformed checkpoint signature by key %s",
					   name);
			return false;
		}
		if (!verifier_verify(v, text, body_len,
							 sigbuf + CHECKPOINT_KEY_HASH_LEN))
		{
			verifier_free(v);
			text_error(err, errlen,
					   "checkpoint signature by key %s does not verify", name);
			return false;
		}
		verified++;
	}
	verifier_free(v);
	if (r < 0)
		return false;
	if (verified == 0)
	{
		if (name_seen)
			text_error(err, errlen,
					   "checkpoint is signed as %s but by a different key "
					   "(key hash mismatch)", name);
		else
			text_error(err, errlen, "checkpoint has no signature by key %s",
					   name);
		return false;
	}
	return true;
}

/* The body, once authenticated: the origin line, the tree size, the root hash. */
static bool
note_body(const char *text, size_t body_len, const char *name, size_t name_len,
		  uint64_t *tree_size, uint8_t root[SHA256_LEN], char *err, size_t errlen)
{
	const char *line = text;
	const char *nl = memchr(line, '\n', body_len);
	uint64_t	size_value;
	uint8_t		root_value[SHA256_LEN];
	size_t		rootlen;

	if (nl == NULL || (size_t) (nl - line) != name_len ||
		memcmp(line, name, name_len) != 0)
	{
		text_error(err, errlen, "checkpoint origin line is not %s", name);
		return false;
	}
	line = nl + 1;
	nl = memchr(line, '\n', (size_t) (text + body_len - line));
	if (nl == NULL ||
		!parse_decimal_u64(line, (size_t) (nl - line), &size_value))
	{
		text_error(err, errlen,
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
		text_error(err, errlen,
				   "checkpoint root hash is not the base64 of 32 bytes");
		return false;
	}
	if ((size_t) (nl + 1 - text) != body_len)
	{
		text_error(err, errlen, "checkpoint has unexpected extension lines");
		return false;
	}
	*tree_size = size_value;
	memcpy(root, root_value, SHA256_LEN);
	return true;
}

bool
checkpoint_verify(const uint8_t pub[ED25519_PUBLIC_KEY_LEN],
				  const char *origin, const char *text, size_t len,
				  uint64_t *tree_size, uint8_t root[SHA256_LEN],
				  char *err, size_t errlen)
{
	char		name[sizeof(CHECKPOINT_NAME_PREFIX) + CHECKPOINT_ORIGIN_MAX];
	size_t		name_len,
				body_len,
				sig_start;

	if (!checkpoint_origin_ok(origin, err, errlen))
		return false;
	name_len = (size_t) snprintf(name, sizeof(name), "%s%s",
								 CHECKPOINT_NAME_PREFIX, origin);
	return note_text_ok(text, len, err, errlen) &&
		note_split(text, len, &body_len, &sig_start, err, errlen) &&
		note_signatures_ok(pub, origin, name, name_len, text, len, body_len, sig_start,
						   err, errlen) &&
		note_body(text, body_len, name, name_len, tree_size, root, err, errlen);
}

bool
checkpoint_verify_any(const uint8_t (*pubs)[ED25519_PUBLIC_KEY_LEN], int n, const char *origin,
					  const char *text, size_t len, uint64_t *tree_size, uint8_t root[SHA256_LEN],
					  char *err, size_t errlen)
{
	char		e[256];
	bool		have_reason = false;
	int			i;

	text_error(err, errlen, "no public key to verify the checkpoint with");
	for (i = 0; i < n; i++)
	{
		if (checkpoint_verify(pubs[i], origin, text, len, tree_size, root, e, sizeof(e)))
			return true;
		/* prefer a reason from a key that signed it over "not signed by" */
		if (!have_reason ||
			(strstr(e, "different key") == NULL && strstr(e, "no signature by key") == NULL))
			text_error(err, errlen, "%s", e);
		have_reason = true;
	}
	return false;
}

bool
checkpoint_note_origin(const char *text, size_t len, char out[CHECKPOINT_ORIGIN_BUF])
{
	const char *nl = memchr(text, '\n', len);
	size_t		plen = strlen(CHECKPOINT_NAME_PREFIX),
				olen;

	if (nl == NULL || (size_t) (nl - text) <= plen ||
		strncmp(text, CHECKPOINT_NAME_PREFIX, plen) != 0)
		return false;
	olen = (size_t) (nl - text) - plen;
	if (olen >= CHECKPOINT_ORIGIN_BUF)
		return false;
	memcpy(out, text + plen, olen);
	out[olen] = '\0';
	return true;
}

/* ------------------------------------------- signed-note verifier keys */

bool
note_key_id(const char *name, size_t name_len, uint8_t type,
			const uint8_t pub[ED25519_PUBLIC_KEY_LEN], uint8_t out[NOTE_KEY_ID_LEN])
{
	uint8_t		buf[2 * NOTE_NAME_MAX + 2 + ED25519_PUBLIC_KEY_LEN];
	uint8_t		digest[SHA256_LEN];
	size_t		n = 0;

	if (name_len > 2 * NOTE_NAME_MAX)
		return false;
	memcpy(buf, name, name_len);
	n += name_len;
	buf[n++] = 0x0A;
	buf[n++] = type;
	memcpy(buf + n, pub, ED25519_PUBLIC_KEY_LEN);
	n += ED25519_PUBLIC_KEY_LEN;
	if (!sha256(buf, n, digest))
		return false;
	memcpy(out, digest, NOTE_KEY_ID_LEN);
	return true;
}

size_t
vkey_format(const char *name, uint8_t type, const uint8_t pub[ED25519_PUBLIC_KEY_LEN],
			char *out, size_t outsize, char *err, size_t errlen)
{
	uint8_t		id[NOTE_KEY_ID_LEN];
	uint8_t		material[1 + ED25519_PUBLIC_KEY_LEN];
	size_t		len,
				n;

	if (name == NULL || !note_name_ok(name, strlen(name), err, errlen))
		return 0;
	len = strlen(name);
	if (out == NULL || outsize < len + 1 + 2 * NOTE_KEY_ID_LEN + 1 +
		BASE64_ENCODED_LEN(sizeof(material)) + 1)
	{
		text_error(err, errlen, "vkey buffer too small");
		return 0;
	}
	if (!note_key_id(name, len, type, pub, id))
	{
		openssl_fail(err, errlen, "could not hash the key");
		return 0;
	}
	material[0] = type;
	memcpy(material + 1, pub, ED25519_PUBLIC_KEY_LEN);
	memcpy(out, name, len);
	n = len;
	out[n++] = '+';
	crypto_hex_encode(id, NOTE_KEY_ID_LEN, out + n);
	n += 2 * NOTE_KEY_ID_LEN;
	out[n++] = '+';
	n += base64_encode(material, sizeof(material), out + n);
	out[n] = '\0';
	return n;
}

bool
vkey_parse(const char *text, size_t len, note_vkey *out, char *err, size_t errlen)
{
	const char *p1,
			   *p2;
	size_t		name_len,
				dec_len;
	uint8_t		id[NOTE_KEY_ID_LEN];
	uint8_t		material[1 + ED25519_PUBLIC_KEY_LEN + 1];
	uint8_t		want[NOTE_KEY_ID_LEN];

	while (len > 0 && (text[0] == ' ' || text[0] == '\t' || text[0] == '\n' || text[0] == '\r'))
		text++, len--;
	while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t' ||
					   text[len - 1] == '\n' || text[len - 1] == '\r'))
		len--;
	/* the name may not hold '+': the first two are the separators */
	p1 = memchr(text, '+', len);
	p2 = p1 ? memchr(p1 + 1, '+', (size_t) (text + len - p1 - 1)) : NULL;
	if (p1 == NULL || p2 == NULL)
	{
		text_error(err, errlen, "a vkey is <name>+<hex key ID>+<base64 key>");
		return false;
	}
	name_len = (size_t) (p1 - text);
	if (!note_name_ok(text, name_len, err, errlen))
		return false;
	if (p2 - p1 - 1 != 2 * NOTE_KEY_ID_LEN ||
		!crypto_hex_decode(p1 + 1, 2 * NOTE_KEY_ID_LEN, id, sizeof(id), &dec_len, NULL, 0) ||
		dec_len != NOTE_KEY_ID_LEN)
	{
		text_error(err, errlen, "vkey key ID is not 8 hex digits");
		return false;
	}
	if (!base64_decode(p2 + 1, (size_t) (text + len - p2 - 1), material, sizeof(material),
					   &dec_len, NULL, 0) ||
		dec_len != 1 + ED25519_PUBLIC_KEY_LEN)
	{
		text_error(err, errlen, "vkey key is not the base64 of a type byte and a 32-byte Ed25519 key");
		return false;
	}
	if (material[0] != NOTE_TYPE_ED25519 && material[0] != NOTE_TYPE_COSIGNATURE)
	{
		text_error(err, errlen, "vkey type 0x%02x is not Ed25519 (0x01) or cosignature/v1 (0x04)",
				   material[0]);
		return false;
	}
	if (!note_key_id(text, name_len, material[0], material + 1, want))
		return openssl_fail(err, errlen, "could not hash the key");
	if (memcmp(want, id, NOTE_KEY_ID_LEN) != 0)
	{
		text_error(err, errlen, "vkey key ID does not match its name and key");
		return false;
	}
	memcpy(out->name, text, name_len);
	out->name[name_len] = '\0';
	out->type = material[0];
	memcpy(out->key_id, id, NOTE_KEY_ID_LEN);
	memcpy(out->pub, material + 1, ED25519_PUBLIC_KEY_LEN);
	return true;
}

/* ------------------------------------------------- cosignature/v1 lines */

#define COSIGNATURE_HEADER	"cosignature/v1\ntime "

bool
note_body_len(const char *text, size_t len, size_t *body_len, char *err, size_t errlen)
{
	size_t		sig_start;

	return note_text_ok(text, len, err, errlen) &&
		note_split(text, len, body_len, &sig_start, err, errlen);
}

/* "cosignature/v1\ntime <t>\n" || body, in a malloc'ed buffer (NULL: out of memory) */
static char *
cosigned_message(uint64_t timestamp, const char *body, size_t body_len, size_t *len)
{
	char		head[64];
	size_t		hlen = (size_t) snprintf(head, sizeof(head), "%s%" PRIu64 "\n",
										 COSIGNATURE_HEADER, timestamp);
	char	   *msg = malloc(hlen + body_len);

	if (msg == NULL)
		return NULL;
	memcpy(msg, head, hlen);
	memcpy(msg + hlen, body, body_len);
	*len = hlen + body_len;
	return msg;
}

bool
cosignature_line(const signing_key *key, const char *name, uint64_t timestamp,
				 const char *body, size_t body_len, char *out, size_t outsize,
				 size_t *outlen, char *err, size_t errlen)
{
	uint8_t		sig[COSIGNATURE_LEN];
	size_t		name_len,
				msg_len,
				n,
				i;
	char	   *msg;
	bool		ok;

	if (key == NULL)
	{
		text_error(err, errlen, "no witness key");
		return false;
	}
	if (name == NULL || !note_name_ok(name, strlen(name), err, errlen))
		return false;
	name_len = strlen(name);
	if (timestamp > COSIGNATURE_TIME_MAX)
	{
		text_error(err, errlen, "cosignature timestamp is after 2^63 - 1");
		return false;
	}
	if (out == NULL || outsize < COSIGNATURE_LINE_MAX(name_len))
	{
		text_error(err, errlen, "cosignature buffer too small");
		return false;
	}
	if (!note_key_id(name, name_len, NOTE_TYPE_COSIGNATURE, signing_key_public(key), sig))
		return openssl_fail(err, errlen, "could not hash the witness key");
	for (i = 0; i < 8; i++)
		sig[NOTE_KEY_ID_LEN + i] = (uint8_t) (timestamp >> (56 - 8 * i));
	msg = cosigned_message(timestamp, body, body_len, &msg_len);
	if (msg == NULL)
	{
		text_error(err, errlen, "out of memory");
		return false;
	}
	ok = ed25519_sign(key, msg, msg_len, sig + NOTE_KEY_ID_LEN + 8, err, errlen);
	free(msg);
	if (!ok)
		return false;
	n = (size_t) snprintf(out, outsize, "%s%s ", em_dash_space, name);
	n += base64_encode(sig, sizeof(sig), out + n);
	out[n] = '\0';
	if (outlen)
		*outlen = n;
	return true;
}

/* w's line: its signature over the cosigned message of the body at its timestamp */
static bool
cosignature_verifies(const note_vkey *w, const char *text, size_t body_len,
					 const uint8_t sig[COSIGNATURE_LEN], uint64_t *timestamp)
{
	uint64_t	t = 0;
	size_t		msg_len;
	char	   *msg;
	bool		ok;
	int			i;

	for (i = 0; i < 8; i++)
		t = (t << 8) | sig[NOTE_KEY_ID_LEN + i];
	*timestamp = t;
	if (t > COSIGNATURE_TIME_MAX)
		return false;
	msg = cosigned_message(t, text, body_len, &msg_len);
	if (msg == NULL)
		return false;
	ok = ed25519_verify(w->pub, msg, msg_len, sig + NOTE_KEY_ID_LEN + 8);
	free(msg);
	return ok;
}

bool
cosignatures_check(const char *text, size_t len, const note_vkey *w, int nw,
				   uint64_t now, bool *valid, int *count, int *future,
				   char *err, size_t errlen)
{
	size_t		body_len,
				p,
				nsig = 0;
	int			i,
				r;
	sig_line	sl;

	*count = 0;
	for (i = 0; i < nw; i++)
		valid[i] = false;
	if (!note_body_len(text, len, &body_len, err, errlen))
		return false;
	p = body_len + 1;
	while ((r = sig_line_next(text, len, &p, &nsig, &sl, err, errlen)) > 0)
	{
		for (i = 0; i < nw; i++)
		{
			uint8_t		sig[COSIGNATURE_LEN];
			size_t		dec;
			uint64_t	t;

			if (w[i].type != NOTE_TYPE_COSIGNATURE || strlen(w[i].name) != sl.name_len ||
				memcmp(w[i].name, sl.name, sl.name_len) != 0 ||
				memcmp(w[i].key_id, sl.key_id, NOTE_KEY_ID_LEN) != 0)
				continue;
			if (!base64_decode(sl.b64, sl.b64_len, sig, sizeof(sig), &dec, NULL, 0) ||
				dec != COSIGNATURE_LEN)
			{
				text_error(err, errlen, "malformed cosignature by %s", w[i].name);
				return false;
			}
			if (!cosignature_verifies(&w[i], text, body_len, sig, &t))
			{
				text_error(err, errlen, "cosignature by %s does not verify", w[i].name);
				return false;
			}
			if (t > now)
			{
				if (future)
					(*future)++;
				continue;
			}
			if (!valid[i])
				(*count)++;
			valid[i] = true;
		}
	}
	if (r < 0)
		return false;
	return true;
}
