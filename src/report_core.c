/*
 * report_core.c: the signed credit report's document (report.h): written
 * around a signed body, read and checked.  No PostgreSQL headers.
 *
 * The reader takes canonical JSON only (json_is_canonical first), so its
 * tree walk needs no white space or escape forms but the canonical ones;
 * each value keeps its span in the document, and the body's span is the
 * signed bytes (canonical text is canonical in every part).
 */
#include "report.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_canon.h"
#include "log.h"
#include "merkle.h"
#include "text.h"

/* ------------------------------------------------------------ writing */

void
report_message(const char *body, size_t body_len, char *out)
{
	memcpy(out, REPORT_DOMAIN, REPORT_DOMAIN_LEN);
	memcpy(out + REPORT_DOMAIN_LEN, body, body_len);
}

size_t
report_document_bound(size_t body_len)
{
	return body_len + 256 + 2 * ED25519_SIG_LEN;
}

bool
report_document_write(const char *body, size_t body_len, const char *key_id,
					  const uint8_t sig[ED25519_SIG_LEN], char *out, size_t *outlen,
					  char *err, size_t errlen)
{
	char		hex[2 * ED25519_SIG_LEN + 1];
	char	   *p = out;
	size_t		i;

	if (body_len < 2 || body[0] != '{' || !json_is_canonical(body, body_len))
	{
		text_error(err, errlen, "the report body is not a canonical json object");
		return false;
	}
	if (strlen(key_id) != KEY_ID_LEN)
	{
		text_error(err, errlen, "key_id is not %d hex digits", KEY_ID_LEN);
		return false;
	}
	for (i = 0; i < KEY_ID_LEN; i++)
		if (!((key_id[i] >= '0' && key_id[i] <= '9') || (key_id[i] >= 'a' && key_id[i] <= 'f')))
		{
			text_error(err, errlen, "key_id is not %d hex digits", KEY_ID_LEN);
			return false;
		}
	crypto_hex_encode(sig, ED25519_SIG_LEN, hex);
	/* members in canonical order: body < signature; algorithm < domain < key_id < value */
	p += sprintf(p, "{\"body\":");
	memcpy(p, body, body_len);
	p += body_len;
	p += sprintf(p, ",\"signature\":{\"algorithm\":\"Ed25519\",\"domain\":\"%s\","
				 "\"key_id\":\"%s\",\"value\":\"%s\"}}", REPORT_FORMAT, key_id, hex);
	*outlen = (size_t) (p - out);
	return true;
}

/* ------------------------------------------------------------ a tree of canonical JSON */

typedef enum
{
	JV_NULL, JV_FALSE, JV_TRUE, JV_NUMBER, JV_STRING, JV_ARRAY, JV_OBJECT
} jv_kind;

typedef struct jv
{
	jv_kind		kind;
	const char *start;			/* the value's text in the document */
	size_t		len;
	char	   *str;			/* JV_STRING: unescaped, NUL-terminated */
	size_t		str_len;
	size_t		n;				/* JV_ARRAY, JV_OBJECT: members */
	char	  **keys;			/* JV_OBJECT: unescaped names */
	struct jv **kids;
} jv;

typedef struct jreader
{
	const char *p;
	const char *end;
	bool		oom;
} jreader;

static void
jv_free(jv *v)
{
	size_t		i;

	if (v == NULL)
		return;
	for (i = 0; i < v->n; i++)
	{
		if (v->keys)
			free(v->keys[i]);
		jv_free(v->kids[i]);
	}
	free(v->keys);
	free(v->kids);
	free(v->str);
	free(v);
}

/* a canonical string at r->p (the opening quote), unescaped */
static char *
read_string(jreader *r, size_t *out_len)
{
	const char *s = r->p + 1;
	const char *q = s;
	char	   *out,
			   *w;

	while (q < r->end && *q != '"')
		q += (*q == '\\') ? 2 : 1;
	if (q >= r->end)
		return NULL;
	out = malloc((size_t) (q - s) + 1);
	if (out == NULL)
	{
		r->oom = true;
		return NULL;
	}
	for (w = out; s < q; s++)
	{
		if (*s != '\\')
		{
			*w++ = *s;
			continue;
		}
		s++;
		switch (*s)
		{
			case 'b': *w++ = '\b'; break;
			case 'f': *w++ = '\f'; break;
			case 'n': *w++ = '\n'; break;
			case 'r': *w++ = '\r'; break;
			case 't': *w++ = '\t'; break;
			case 'u':
				/* canonical: only \u00xx for the other controls */
				*w++ = (char) (hex_digit_value((unsigned char) s[3]) * 16 +
							   hex_digit_value((unsigned char) s[4]));
				s += 4;
				break;
			default: *w++ = *s; break;	/* " and \ */
		}
	}
	*w = '\0';
	*out_len = (size_t) (w - out);
	r->p = q + 1;
	return out;
}

static jv *read_value(jreader *r, int depth);

static bool
add_kid(jv *v, char *key, jv *kid)
{
	jv		  **kids = realloc(v->kids, (v->n + 1) * sizeof(jv *));
	char	  **keys;

	if (kids == NULL)
		return false;
	v->kids = kids;
	if (v->kind == JV_OBJECT)
	{
		keys = realloc(v->keys, (v->n + 1) * sizeof(char *));
		if (keys == NULL)
			return false;
		v->keys = keys;
		v->keys[v->n] = key;
	}
	v->kids[v->n++] = kid;
	return true;
}

static jv *
read_container(jreader *r, jv *v, int depth)
{
	char		close = v->kind == JV_OBJECT ? '}' : ']';

	r->p++;
	if (r->p < r->end && *r->p == close)
	{
		r->p++;
		return v;
	}
	for (;;)
	{
		char	   *key = NULL;
		size_t		klen;
		jv		   *kid;

		if (v->kind == JV_OBJECT)
		{
			key = read_string(r, &klen);
			if (key == NULL || r->p >= r->end || *r->p != ':')
			{
				free(key);
				return NULL;
			}
			r->p++;
		}
		kid = read_value(r, depth + 1);
		if (kid == NULL || !add_kid(v, key, kid))
		{
			free(key);
			jv_free(kid);
			r->oom = r->oom || kid != NULL;
			return NULL;
		}
		if (r->p < r->end && *r->p == ',')
		{
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close)
		{
			r->p++;
			return v;
		}
		return NULL;
	}
}

static jv *
read_value(jreader *r, int depth)
{
	jv		   *v;
	jv		   *done;

	if (r->p >= r->end || depth > JSON_CANON_MAX_DEPTH)
		return NULL;
	v = calloc(1, sizeof(jv));
	if (v == NULL)
	{
		r->oom = true;
		return NULL;
	}
	v->start = r->p;
	switch (*r->p)
	{
		case '{':
		case '[':
			v->kind = *r->p == '{' ? JV_OBJECT : JV_ARRAY;
			done = read_container(r, v, depth);
			break;
		case '"':
			v->kind = JV_STRING;
			v->str = read_string(r, &v->str_len);
			done = v->str ? v : NULL;
			break;
		case 'n':
			v->kind = JV_NULL;
			r->p += 4;
			done = v;
			break;
		case 't':
			v->kind = JV_TRUE;
			r->p += 4;
			done = v;
			break;
		case 'f':
			v->kind = JV_FALSE;
			r->p += 5;
			done = v;
			break;
		default:
			v->kind = JV_NUMBER;
			while (r->p < r->end && strchr("-+.0123456789eE", *r->p) != NULL)
				r->p++;
			done = v;
			break;
	}
	if (done == NULL)
	{
		jv_free(v);
		return NULL;
	}
	v->len = (size_t) (r->p - v->start);
	return v;
}

/* a canonical document as a tree, or NULL with a reason */
static jv *
jv_parse(const char *doc, size_t len, char *err, size_t errlen)
{
	jreader		r;
	jv		   *v;

	if (!json_is_canonical(doc, len))
	{
		char	   *out = NULL;
		size_t		outlen;
		char		why[JSON_CANON_ERRLEN];

		if (json_canonicalize(doc, len, &out, &outlen, why, sizeof(why)))
		{
			free(out);
			text_error(err, errlen, "not in canonical form (rfc 8785: sorted members, no blanks)");
		}
		else
			text_error(err, errlen, "not json: %s", why);
		return NULL;
	}
	r.p = doc;
	r.end = doc + len;
	r.oom = false;
	v = read_value(&r, 0);
	if (v == NULL || r.p != r.end)
	{
		jv_free(v);
		text_error(err, errlen, r.oom ? "out of memory" : "unreadable json");
		return NULL;
	}
	return v;
}

static jv *
member(const jv *o, const char *name)
{
	size_t		i;

	if (o == NULL || o->kind != JV_OBJECT)
		return NULL;
	for (i = 0; i < o->n; i++)
		if (strcmp(o->keys[i], name) == 0)
			return o->kids[i];
	return NULL;
}

/* a non-negative integer member (JSON number without fraction) */
static bool
uint_member(const jv *o, const char *name, uint64_t *out)
{
	jv		   *v = member(o, name);

	return v != NULL && v->kind == JV_NUMBER && parse_decimal_u64(v->start, v->len, out);
}

static const char *
str_member(const jv *o, const char *name)
{
	jv		   *v = member(o, name);

	return v != NULL && v->kind == JV_STRING ? v->str : NULL;
}

/* lower-case hex of exactly n bytes */
static bool
hex_member(const jv *o, const char *name, uint8_t *out, size_t n)
{
	const char *s = str_member(o, name);
	size_t		got;
	size_t		i;

	if (s == NULL || strlen(s) != 2 * n)
		return false;
	for (i = 0; i < 2 * n; i++)
		if (s[i] >= 'A' && s[i] <= 'F')
			return false;
	return crypto_hex_decode(s, 2 * n, out, n, &got, NULL, 0) && got == n;
}

/* ------------------------------------------------------------ reading */

static char *
dup_str(const char *s)
{
	return s ? strdup(s) : NULL;
}

bool
report_payload_links(const char *payload, size_t len, bool *linked,
					 uint64_t *subject_id, uint64_t *prev_seq, uint64_t *record_id,
					 char *err, size_t errlen)
{
	jv		   *p = jv_parse(payload, len, err, errlen);
	bool		has_s,
				has_p;

	if (p == NULL)
		return false;
	if (p->kind != JV_OBJECT)
	{
		jv_free(p);
		text_error(err, errlen, "payload is not a json object");
		return false;
	}
	has_s = member(p, "subject_id") != NULL;
	has_p = member(p, "prev_seq") != NULL;
	*linked = has_s || has_p;
	*subject_id = *prev_seq = *record_id = 0;
	if (*linked && (!uint_member(p, "subject_id", subject_id) || !uint_member(p, "prev_seq", prev_seq)))
	{
		jv_free(p);
		text_error(err, errlen, "payload has a malformed back-link (subject_id, prev_seq)");
		return false;
	}
	if (member(p, "record_id") != NULL && !uint_member(p, "record_id", record_id))
	{
		jv_free(p);
		text_error(err, errlen, "payload has a malformed record_id");
		return false;
	}
	jv_free(p);
	return true;
}

/* entry i of the report's entries array */
static bool
read_entry(const jv *e, report_entry *out, size_t i, char *err, size_t errlen)
{
	jv		   *proof = member(e, "inclusion_proof");
	jv		   *payload = member(e, "payload");
	char		why[256];
	size_t		k;

	if (e->kind != JV_OBJECT || !uint_member(e, "seq", &out->seq) || out->seq == 0)
	{
		text_error(err, errlen, "entry %zu has no seq", i + 1);
		return false;
	}
#define ENTRY_BAD(what) do { text_error(err, errlen, "entry seq=%" PRIu64 ": %s", out->seq, what); return false; } while (0)
	if (payload == NULL || payload->kind != JV_STRING)
		ENTRY_BAD("no payload");
	out->payload = malloc(payload->str_len + 1);
	if (out->payload == NULL)
		ENTRY_BAD("out of memory");
	memcpy(out->payload, payload->str, payload->str_len + 1);
	out->payload_len = payload->str_len;
	out->event = dup_str(str_member(e, "event"));
	if (out->event == NULL)
		ENTRY_BAD("no event");
	if (!hex_member(e, "payload_hash", out->payload_hash, SHA256_LEN))
		ENTRY_BAD("payload_hash is not 32 bytes of lower-case hex");
	if (!hex_member(e, "prev_hash", out->prev_hash, SHA256_LEN))
		ENTRY_BAD("prev_hash is not 32 bytes of lower-case hex");
	if (!hex_member(e, "entry_hash", out->entry_hash, SHA256_LEN))
		ENTRY_BAD("entry_hash is not 32 bytes of lower-case hex");
	if (!hex_member(e, "signature", out->signature, ED25519_SIG_LEN))
		ENTRY_BAD("signature is not 64 bytes of lower-case hex");
	if (str_member(e, "key_id") == NULL || strlen(str_member(e, "key_id")) != KEY_ID_LEN)
		ENTRY_BAD("key_id is not 16 hex digits");
	strcpy(out->key_id, str_member(e, "key_id"));
	if (proof == NULL || proof->kind != JV_ARRAY || proof->n > MERKLE_MAX_PROOF)
		ENTRY_BAD("no inclusion_proof array");
	out->nproof = proof->n;
	out->proof = malloc(proof->n * SHA256_LEN + 1);
	if (out->proof == NULL)
		ENTRY_BAD("out of memory");
	for (k = 0; k < proof->n; k++)
	{
		jv		   *h = proof->kids[k];
		size_t		got;

		if (h->kind != JV_STRING || h->str_len != 2 * SHA256_LEN ||
			!crypto_hex_decode(h->str, h->str_len, out->proof + k * SHA256_LEN, SHA256_LEN, &got, NULL, 0))
			ENTRY_BAD("inclusion_proof holds a value that is not 32 bytes of hex");
	}
	if (!report_payload_links(out->payload, out->payload_len, &out->linked, &out->subject_id,
							  &out->prev_seq, &out->record_id, why, sizeof(why)))
		ENTRY_BAD(why);
#undef ENTRY_BAD
	return true;
}

static bool
read_body(const jv *body, report *r, char *err, size_t errlen)
{
	jv		   *subject = member(body, "subject");
	jv		   *cp = member(body, "checkpoint");
	jv		   *entries = member(body, "entries");
	const char *format = str_member(body, "format");
	size_t		i;

	if (format == NULL || strcmp(format, REPORT_FORMAT) != 0)
	{
		text_error(err, errlen, "body.format is not \"%s\"", REPORT_FORMAT);
		return false;
	}
	r->origin = dup_str(str_member(body, "origin"));
	r->as_of = dup_str(str_member(body, "as_of"));
	if (r->origin == NULL || r->as_of == NULL)
	{
		text_error(err, errlen, "body has no origin or as_of");
		return false;
	}
	if (!uint_member(subject, "id", &r->subject_id) || r->subject_id == 0)
	{
		text_error(err, errlen, "body.subject has no id");
		return false;
	}
	if (str_member(cp, "text") == NULL || !uint_member(cp, "tree_size", &r->tree_size))
	{
		text_error(err, errlen, "body.checkpoint has no text or tree_size");
		return false;
	}
	r->checkpoint = dup_str(str_member(cp, "text"));
	r->checkpoint_len = strlen(r->checkpoint);
	if (entries == NULL || entries->kind != JV_ARRAY)
	{
		text_error(err, errlen, "body has no entries array");
		return false;
	}
	r->entries = calloc(entries->n + 1, sizeof(report_entry));
	if (r->entries == NULL)
	{
		text_error(err, errlen, "out of memory");
		return false;
	}
	for (i = 0; i < entries->n; i++)
	{
		r->nentries = i + 1;
		if (!read_entry(entries->kids[i], &r->entries[i], i, err, errlen))
			return false;
		if (i > 0 && r->entries[i].seq <= r->entries[i - 1].seq)
		{
			text_error(err, errlen, "entries are not in ascending seq order at seq=%" PRIu64,
					   r->entries[i].seq);
			return false;
		}
	}
	return true;
}

bool
report_parse(const char *doc, size_t len, report *r, char *err, size_t errlen)
{
	jv		   *top;
	jv		   *body;
	jv		   *sig;
	const char *s;
	bool		ok = false;

	memset(r, 0, sizeof(*r));
	top = jv_parse(doc, len, err, errlen);
	if (top == NULL)
		return false;
	body = member(top, "body");
	sig = member(top, "signature");
	if (top->kind != JV_OBJECT || top->n != 2 || body == NULL || body->kind != JV_OBJECT || sig == NULL)
		text_error(err, errlen, "not a credit report: expected {\"body\":{...},\"signature\":{...}}");
	else if ((s = str_member(sig, "algorithm")) == NULL || strcmp(s, "Ed25519") != 0 ||
			 (s = str_member(sig, "domain")) == NULL || strcmp(s, REPORT_FORMAT) != 0)
		text_error(err, errlen, "signature is not Ed25519 in domain \"%s\"", REPORT_FORMAT);
	else if ((s = str_member(sig, "key_id")) == NULL || strlen(s) != KEY_ID_LEN)
		text_error(err, errlen, "signature.key_id is not 16 hex digits");
	else if (!hex_member(sig, "value", r->signature, ED25519_SIG_LEN))
		text_error(err, errlen, "signature.value is not 64 bytes of lower-case hex");
	else
	{
		strcpy(r->key_id, s);
		r->body = body->start;
		r->body_len = body->len;
		ok = read_body(body, r, err, errlen);
	}
	jv_free(top);
	if (!ok)
		report_free(r);
	return ok;
}

void
report_free(report *r)
{
	size_t		i;

	for (i = 0; i < r->nentries; i++)
	{
		free(r->entries[i].event);
		free(r->entries[i].payload);
		free(r->entries[i].proof);
	}
	free(r->entries);
	free(r->origin);
	free(r->as_of);
	free(r->checkpoint);
	memset(r, 0, sizeof(*r));
}

/* ------------------------------------------------------------ checks */

bool
report_check_signature(const report *r, verifier *v, char *err, size_t errlen)
{
	char	   *msg = malloc(r->body_len + REPORT_DOMAIN_LEN + 1);
	bool		ok;

	if (msg == NULL)
	{
		text_error(err, errlen, "out of memory");
		return false;
	}
	report_message(r->body, r->body_len, msg);
	ok = verifier_verify(v, msg, r->body_len + REPORT_DOMAIN_LEN, r->signature);
	free(msg);
	if (!ok)
		text_error(err, errlen, "report signature: not a valid signature of key %s over the body",
				   r->key_id);
	return ok;
}

bool
report_check_entry(const report *r, size_t i, verifier *v, uint64_t size,
				   const uint8_t root[SHA256_LEN], char *err, size_t errlen)
{
	const report_entry *e = &r->entries[i];
	log_entry	le;
	uint8_t		leaf[SHA256_LEN];
	char		why[256];

	le.seq = e->seq;
	le.payload = e->payload;
	le.payload_len = e->payload_len;
	le.payload_hash = e->payload_hash;
	le.prev_hash = e->prev_hash;
	le.entry_hash = e->entry_hash;
	switch (log_entry_check(&le, NULL, NULL))
	{
		case LOG_ENTRY_OK:
			break;
		case LOG_ENTRY_PAYLOAD_HASH:
			text_error(err, errlen, "entry seq=%" PRIu64 ": payload_hash is not the sha-256 of payload", e->seq);
			return false;
		case LOG_ENTRY_ENTRY_HASH:
		case LOG_ENTRY_PREV_HASH:
			text_error(err, errlen, "entry seq=%" PRIu64 ": entry_hash is not sha-256(prev_hash || seq || payload_hash)", e->seq);
			return false;
		default:
			text_error(err, errlen, "entry seq=%" PRIu64 ": sha-256 failed", e->seq);
			return false;
	}
	if (!log_entry_signed(v, e->entry_hash, e->signature))
	{
		text_error(err, errlen, "entry seq=%" PRIu64 ": signature: not a valid signature of key %s",
				   e->seq, e->key_id);
		return false;
	}
	if (e->seq > size)
	{
		text_error(err, errlen, "entry seq=%" PRIu64 ": inclusion proof: beyond the checkpoint's tree size %" PRIu64,
				   e->seq, size);
		return false;
	}
	if (!merkle_leaf_hash(e->entry_hash, SHA256_LEN, leaf) ||
		!merkle_verify_inclusion(e->seq - 1, size, leaf, e->proof, e->nproof, root, why, sizeof(why)))
	{
		text_error(err, errlen, "entry seq=%" PRIu64 ": inclusion proof: does not lead to the checkpoint's root at tree size %" PRIu64 " (%s)",
				   e->seq, size, why);
		return false;
	}
	return true;
}

bool
report_check_links(const report *r, char *err, size_t errlen)
{
	uint64_t	before = 0;		/* the seq of the entry before, 0 at the start */
	bool		seen_linked = false;
	size_t		i;

	for (i = 0; i < r->nentries; i++)
	{
		const report_entry *e = &r->entries[i];

		if (!e->linked)
		{
			if (seen_linked)
			{
				text_error(err, errlen, "back-link: entry seq=%" PRIu64 " has no prev_seq but follows linked entries", e->seq);
				return false;
			}
			before = e->seq;
			continue;
		}
		seen_linked = true;
		if (e->subject_id != r->subject_id)
		{
			text_error(err, errlen, "back-link: entry seq=%" PRIu64 " is about subject %" PRIu64 ", not %" PRIu64,
					   e->seq, e->subject_id, r->subject_id);
			return false;
		}
		if (e->prev_seq != before)
		{
			text_error(err, errlen, "back-link: entry seq=%" PRIu64 " names prev_seq %" PRIu64 " but the entry before it in the report is %" PRIu64 " (an entry is missing)",
					   e->seq, e->prev_seq, before);
			return false;
		}
		before = e->seq;
	}
	return true;
}
