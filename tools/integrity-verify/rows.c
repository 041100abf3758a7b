/*
 * rows.c: the check of each row of an exported log (SPEC 6), in order:
 * the number of fields, seq, origin, key_id, canonical payload, the
 * hashes (src/log_core.c, as verify_chain checks them), the signature,
 * and the unsigned columns (record_id, empty only for a commitment's
 * entry (DOMAIN D7), event, disclosed_at) against the payload; then the chain and the Merkle tree advance.
 */
#include "verify.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_canon.h"
#include "lifecycle.h"
#include "log.h"
#include "text.h"

/* ---------------------------------------------------------- the columns */

static const struct
{
	const char *name;
	bool		required;
}			columns[NCOLUMNS] = {
	{"origin", true}, {"seq", true}, {"record_id", false}, {"event", false},
	{"payload", true}, {"payload_hash", true}, {"prev_hash", true},
	{"entry_hash", true}, {"key_id", true}, {"signature", true},
	{"disclosed_at", false},
};

/* ------------------------------------------------ payload member lookup */

/* Skip a JSON string starting at p[i] == '"'; returns index after it. */
static size_t
skip_string(const char *p, size_t len, size_t i)
{
	for (i++; i < len; i++)
	{
		if (p[i] == '\\')
			i++;
		else if (p[i] == '"')
			return i + 1;
	}
	return len;
}

/* Skip one JSON value (canonical, so no white space) at p[i]. */
static size_t
skip_value(const char *p, size_t len, size_t i)
{
	int			depth = 0;

	while (i < len)
	{
		char		c = p[i];

		if (c == '"')
		{
			i = skip_string(p, len, i);
			if (depth == 0)
				return i;
			continue;
		}
		if (c == '{' || c == '[')
			depth++;
		else if (c == '}' || c == ']')
		{
			if (depth == 0)
				return i;		/* end of the enclosing container */
			depth--;
			if (depth == 0)
				return i + 1;
		}
		else if (c == ',' && depth == 0)
			return i;
		i++;
	}
	return len;
}

/*
 * Find top-level member `name` (plain ASCII) of canonical JSON object p; on
 * success its raw value span (strings with their quotes) is [*vs, *vs+*vl).
 */
static bool
payload_member(const char *p, size_t len, const char *name,
			   size_t *vs, size_t *vl)
{
	size_t		nlen = strlen(name);
	size_t		i = 1;

	if (len < 2 || p[0] != '{')
		return false;
	while (i < len && p[i] == '"')
	{
		size_t		kend = skip_string(p, len, i);
		size_t		vend;
		bool		match = (kend - i == nlen + 2 &&
							 memcmp(p + i + 1, name, nlen) == 0);

		if (kend >= len || p[kend] != ':')
			return false;
		vend = skip_value(p, len, kend + 1);
		if (match)
		{
			*vs = kend + 1;
			*vl = vend - (kend + 1);
			return true;
		}
		if (vend >= len || p[vend] != ',')
			return false;
		i = vend + 1;
	}
	return false;
}

/*
 * Does the raw JSON value span equal the column text?  A JSON string is
 * compared after unescaping (canonical escapes only: \" \\ \b \f \n \r \t
 * \u00XX); any other value (a number) is compared as text.
 */
static bool
json_value_equals(const char *v, size_t vl, const char *text, size_t tl)
{
	size_t		i,
				t = 0;

	if (vl == 0 || v[0] != '"')
		return vl == tl && memcmp(v, text, tl) == 0;
	if (vl < 2 || v[vl - 1] != '"')
		return false;
	for (i = 1; i < vl - 1; i++)
	{
		char		c = v[i];

		if (c == '\\')
		{
			if (++i >= vl - 1)
				return false;
			switch (v[i])
			{
				case '"':
				case '\\':
				case '/':
					c = v[i];
					break;
				case 'b':
					c = '\b';
					break;
				case 'f':
					c = '\f';
					break;
				case 'n':
					c = '\n';
					break;
				case 'r':
					c = '\r';
					break;
				case 't':
					c = '\t';
					break;
				case 'u':
					if (i + 4 >= vl - 1 || v[i + 1] != '0' || v[i + 2] != '0' ||
						hex_digit_value((unsigned char) v[i + 3]) < 0 || hex_digit_value((unsigned char) v[i + 4]) < 0)
						return false;
					c = (char) (hex_digit_value((unsigned char) v[i + 3]) * 16 + hex_digit_value((unsigned char) v[i + 4]));
					i += 4;
					break;
				default:
					return false;
			}
		}
		if (t >= tl || text[t] != c)
			return false;
		t++;
	}
	return t == tl;
}

/* ------------------------------------------------------- disclosed_at */

static bool
digits(const char *s, int n)
{
	int			i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

static int
num(const char *s, int n)
{
	int			v = 0,
				i;

	for (i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/*
 * timestamptz in DateStyle ISO, as PostgreSQL prints it:
 * YYYY-MM-DD HH:MM:SS[.ffffff]+HH[:MM[:SS]] [BC] (also 'T', 'Z', and the
 * words infinity / -infinity).
 */
static bool
timestamp_ok(const char *s, size_t len)
{
	size_t		i;
	int			y_digits = 0;

	if ((len == 8 && memcmp(s, "infinity", 8) == 0) ||
		(len == 9 && memcmp(s, "-infinity", 9) == 0))
		return true;
	while ((size_t) y_digits < len && s[y_digits] >= '0' && s[y_digits] <= '9')
		y_digits++;
	if (y_digits < 4 || y_digits > 7)
		return false;
	i = (size_t) y_digits;
	if (len < i + 15 || s[i] != '-' || !digits(s + i + 1, 2) ||
		s[i + 3] != '-' || !digits(s + i + 4, 2) ||
		(s[i + 6] != ' ' && s[i + 6] != 'T') ||
		!digits(s + i + 7, 2) || s[i + 9] != ':' || !digits(s + i + 10, 2) ||
		s[i + 12] != ':' || !digits(s + i + 13, 2))
		return false;
	if (num(s + i + 1, 2) < 1 || num(s + i + 1, 2) > 12 ||
		num(s + i + 4, 2) < 1 || num(s + i + 4, 2) > 31 ||
		num(s + i + 7, 2) > 24 || num(s + i + 10, 2) > 59 ||
		num(s + i + 13, 2) > 60)
		return false;
	i += 15;
	if (i < len && s[i] == '.')
	{
		size_t		f = ++i;

		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++;
		if (i == f || i - f > 6)
			return false;
	}
	if (i < len && s[i] == 'Z')
		i++;
	else
	{
		int			parts = 0;

		if (i >= len || (s[i] != '+' && s[i] != '-') ||
			!digits(s + i + 1, 2))
			return false;
		i += 3;
		while (parts < 2 && i + 2 < len && s[i] == ':' && digits(s + i + 1, 2))
		{
			i += 3;
			parts++;
		}
	}
	if (i + 3 == len && memcmp(s + i, " BC", 3) == 0)
		i += 3;
	return i == len;
}

/* bigint text: optional '-', digits, no leading zeros. */
static bool
bigint_text_ok(const char *s, size_t len)
{
	uint64_t	v;

	if (len > 0 && s[0] == '-')
	{
		s++;
		len--;
		if (len == 1 && s[0] == '0')
			return false;
	}
	if (len == 19 && memcmp(s, "9223372036854775808", 19) == 0)
		return true;			/* INT64_MIN when negative, too big otherwise */
	return parse_seq(s, len, &v);
}

/* --------------------------------------------------------- Merkle store */

/* --------------------------------------------------------------- rows */

/* Decode a "\x..." bytea column that must hold exactly n bytes. */
static bool
decode_hash_column(const csv_field *f, const char *name, uint8_t *out,
				   size_t n, char *reason, size_t rlen)
{
	char		err[128];
	size_t		got;

	if (!bytea_hex_decode(f->data, f->len, out, n, &got, err, sizeof(err)))
	{
		snprintf(reason, rlen, "%s is not a %zu-byte \\x hex value: %s",
				 name, n, err);
		return false;
	}
	if (got != n)
	{
		snprintf(reason, rlen, "%s has %zu bytes, expected %zu", name, got, n);
		return false;
	}
	return true;
}

static bool
cross_check(const csv_field *payload, const char *member,
			const csv_field *col, char *reason, size_t rlen)
{
	size_t		vs,
				vl;

	if (!payload_member(payload->data, payload->len, member, &vs, &vl))
		return true;
	if (!json_value_equals(payload->data + vs, vl, col->data, col->len))
	{
		snprintf(reason, rlen, "%s column does not match the payload's \"%s\"",
				 member, member);
		return false;
	}
	return true;
}

/* the seq this position must have, for the report */
static void
expected_seq(const verify_state *st, bool first, uint64_t *seq_report, bool *seq_known)
{
	if (!first || !st->from)
	{
		*seq_report = first ? 1 : st->next_seq;
		*seq_known = true;
	}
	else if (st->from_seq_given)
	{
		*seq_report = st->from_seq;
		*seq_known = true;
	}
	else
		*seq_known = false;
}

/* the row's seq: a positive bigint, the one expected (gaps, duplicates, order) */
static bool
row_seq(const csv_field *f, uint64_t *seq, uint64_t *seq_report, bool *seq_known,
		char *reason, size_t rlen)
{
	if (!parse_seq(f->data, f->len, seq) || *seq == 0)
	{
		snprintf(reason, rlen, "seq \"%.40s\" is not a positive bigint", f->data);
		return false;
	}
	if (!*seq_known)
	{
		*seq_report = *seq;
		*seq_known = true;
	}
	if (*seq != *seq_report)
	{
		snprintf(reason, rlen, "seq is %" PRIu64 ", expected %" PRIu64
				 " (gap, duplicate or reordering)", *seq, *seq_report);
		return false;
	}
	return true;
}

/* the row's origin: given, and that of every row (and of --origin) */
static bool
row_origin(verify_state *st, const csv_field *origin, char *reason, size_t rlen)
{
	if (origin->len == 0 && !origin->quoted)
	{
		snprintf(reason, rlen, "origin is null");
		return false;
	}
	if (st->origin == NULL)
	{
		st->origin = strdup(origin->data);
		if (st->origin == NULL)
		{
			snprintf(reason, rlen, "out of memory");
			return false;
		}
	}
	else if (origin->len != strlen(st->origin) ||
			 memcmp(origin->data, st->origin, origin->len) != 0)
	{
		snprintf(reason, rlen, "origin \"%.100s\" is not \"%.100s\"",
				 origin->data, st->origin);
		return false;
	}
	return true;
}

/* the payload is canonical JSON (SPEC 6) */
static bool
row_payload(const csv_field *payload, char *reason, size_t rlen)
{
	char		err[JSON_CANON_ERRLEN];
	char	   *canon = NULL;
	size_t		clen;

	if (json_is_canonical(payload->data, payload->len))
		return true;
	if (!json_canonicalize(payload->data, payload->len, &canon, &clen, err, sizeof(err)))
		snprintf(reason, rlen, "payload is not valid json: %s", err);
	else
		snprintf(reason, rlen, "payload is not in canonical json form");
	free(canon);
	return false;
}

/*
 * payload_hash, prev_hash and entry_hash: the check of src/log_core.c
 * that verify_chain makes too; *entry gets the row's entry hash.
 */
static bool
row_hashes(const verify_state *st, const csv_field *f, uint64_t seq, bool first,
		   const csv_field *payload, uint8_t entry[SHA256_LEN], char *reason, size_t rlen)
{
	static const uint8_t zero[SHA256_LEN];
	const int  *col = st->col;
	char		ph_reason[REASON_LEN],
				pv_reason[REASON_LEN],
				eh_reason[REASON_LEN];
	uint8_t		ph[SHA256_LEN],
				pv[SHA256_LEN],
				eh[SHA256_LEN];
	log_entry	e;

	e.seq = seq;
	e.payload = payload->data;
	e.payload_len = payload->len;
	e.payload_hash = decode_hash_column(&f[col[COL_PAYLOAD_HASH]], "payload_hash", ph, SHA256_LEN,
										ph_reason, sizeof(ph_reason)) ? ph : NULL;
	e.prev_hash = decode_hash_column(&f[col[COL_PREV_HASH]], "prev_hash", pv, SHA256_LEN,
									 pv_reason, sizeof(pv_reason)) ? pv : NULL;
	e.entry_hash = decode_hash_column(&f[col[COL_ENTRY_HASH]], "entry_hash", eh, SHA256_LEN,
									  eh_reason, sizeof(eh_reason)) ? eh : NULL;
	/* seq 1 follows 32 zero bytes; the first row of a partial log is taken as given */
	switch (log_entry_check(&e, seq == 1 ? zero : (!first ? st->prev_entry : NULL), entry))
	{
		case LOG_ENTRY_OK:
			return true;
		case LOG_ENTRY_PAYLOAD_HASH:
			if (e.payload_hash == NULL)
				snprintf(reason, rlen, "%s", ph_reason);
			else
				snprintf(reason, rlen, "payload_hash is not the sha-256 of payload");
			return false;
		case LOG_ENTRY_PREV_HASH:
			if (e.prev_hash == NULL)
				snprintf(reason, rlen, "%s", pv_reason);
			else if (seq == 1)
				snprintf(reason, rlen, "prev_hash of seq 1 is not 32 zero bytes");
			else
				snprintf(reason, rlen, "prev_hash is not the entry_hash of seq %" PRIu64,
						 seq - 1);
			return false;
		case LOG_ENTRY_ENTRY_HASH:
			if (e.entry_hash == NULL)
				snprintf(reason, rlen, "%s", eh_reason);
			else
				snprintf(reason, rlen,
						 "entry_hash is not sha-256(prev_hash || seq || payload_hash)");
			return false;
		case LOG_ENTRY_HASH_FAILED:
			break;
	}
	snprintf(reason, rlen, "sha-256 failed");
	return false;
}

/* the Ed25519 signature of the entry hash under the row's key */
static bool
row_signature(const key_entry *key, const csv_field *f, const uint8_t entry[SHA256_LEN],
			  char *reason, size_t rlen)
{
	uint8_t		sig[ED25519_SIG_LEN];

	if (!decode_hash_column(f, "signature", sig, ED25519_SIG_LEN, reason, rlen))
		return false;
	if (!log_entry_signed(key->v, entry, sig))
	{
		snprintf(reason, rlen, "signature does not verify under key %s", key->key_id);
		return false;
	}
	return true;
}

/* the unsigned columns: their syntax, and their agreement with the payload */
static bool
row_unsigned_columns(const verify_state *st, const csv_field *f, const csv_field *payload,
					 char *reason, size_t rlen)
{
	const int  *col = st->col;

	if (col[COL_RECORD_ID] >= 0 && f[col[COL_RECORD_ID]].len == 0 && !f[col[COL_RECORD_ID]].quoted)
	{
		/* NULL: only a commitment's entry has none (D7) */
		if (col[COL_EVENT] < 0 || strncmp(f[col[COL_EVENT]].data, "commitment_", 11) != 0)
		{
			snprintf(reason, rlen, "record_id is empty");
			return false;
		}
	}
	else if (col[COL_RECORD_ID] >= 0)
	{
		const csv_field *rid = &f[col[COL_RECORD_ID]];

		if (!bigint_text_ok(rid->data, rid->len))
		{
			snprintf(reason, rlen, "record_id \"%.40s\" is not a bigint", rid->data);
			return false;
		}
		if (!cross_check(payload, "record_id", rid, reason, rlen))
			return false;
	}
	if (col[COL_EVENT] >= 0)
	{
		const csv_field *ev = &f[col[COL_EVENT]];

		if (!disclosure_event_known(ev->data, ev->len))
		{
			snprintf(reason, rlen, "event \"%.40s\" is not a disclosure event", ev->data);
			return false;
		}
		if (!cross_check(payload, "event", ev, reason, rlen))
			return false;
	}
	if (col[COL_DISCLOSED_AT] >= 0 &&
		!timestamp_ok(f[col[COL_DISCLOSED_AT]].data, f[col[COL_DISCLOSED_AT]].len))
	{
		snprintf(reason, rlen, "disclosed_at \"%.60s\" is not an ISO timestamp",
				 f[col[COL_DISCLOSED_AT]].data);
		return false;
	}
	return cross_check(payload, "origin", &f[col[COL_ORIGIN]], reason, rlen) &&
		cross_check(payload, "seq", &f[col[COL_SEQ]], reason, rlen);
}

/* accepted: advance the chain and, for a log from seq 1, the tree */
static bool
row_accept(verify_state *st, uint64_t seq, bool first, const uint8_t entry[SHA256_LEN],
		   char *reason, size_t rlen)
{
	char		err[REASON_LEN];

	if (first)
		st->first_seq = seq;
	memcpy(st->prev_entry, entry, SHA256_LEN);
	st->next_seq = seq + 1;
	if (st->first_seq == 1)
	{
		uint8_t		leaf[MERKLE_HASH_LEN];

		if (!merkle_leaf_hash(entry, SHA256_LEN, leaf) ||
			!merkle_append(merkle_frontier_fetch, &st->merkle, merkle_frontier_emit, &st->merkle,
						   seq - 1, leaf, err, sizeof(err)))
		{
			snprintf(reason, rlen, "merkle tree: %s", err);
			return false;
		}
	}
	st->count++;
	return true;
}

bool
check_row(verify_state *st, csv_reader *r, uint64_t *seq_report,
		  bool *seq_known, char *reason, size_t rlen)
{
	csv_field  *f = r->fields;
	const int  *col = st->col;
	bool		first = (st->count == 0);
	uint64_t	seq;
	key_entry  *key;
	uint8_t		entry[SHA256_LEN];

	expected_seq(st, first, seq_report, seq_known);
	if (r->nfields != st->ncols_header)
	{
		snprintf(reason, rlen, "line %lu has %d fields, the header has %d",
				 r->record_line, r->nfields, st->ncols_header);
		return false;
	}
	if (!row_seq(&f[col[COL_SEQ]], &seq, seq_report, seq_known, reason, rlen) ||
		!row_origin(st, &f[col[COL_ORIGIN]], reason, rlen))
		return false;
	if (first && st->checkpoint_text != NULL && !st->checkpoint_checked)
		check_checkpoint_note(st);	/* exits if bad */
	key = find_key(st, f[col[COL_KEY_ID]].data);
	if (key == NULL || f[col[COL_KEY_ID]].len != KEY_ID_LEN)
	{
		snprintf(reason, rlen, "unknown key_id \"%.40s\" (no --key has this id)",
				 f[col[COL_KEY_ID]].data);
		return false;
	}
	return row_payload(&f[col[COL_PAYLOAD]], reason, rlen) &&
		row_hashes(st, f, seq, first, &f[col[COL_PAYLOAD]], entry, reason, rlen) &&
		row_signature(key, &f[col[COL_SIGNATURE]], entry, reason, rlen) &&
		row_unsigned_columns(st, f, &f[col[COL_PAYLOAD]], reason, rlen) &&
		row_accept(st, seq, first, entry, reason, rlen);
}

void
read_header(verify_state *st, csv_reader *r)
{
	char		err[REASON_LEN];
	int			rc = csv_read_record(r, err, sizeof(err));
	int			i,
				c;

	if (rc < 0)
		bad("bad log: malformed csv header: %s", err);
	if (rc == 0)
		bad("bad log: the file is empty (no csv header)");
	for (c = 0; c < NCOLUMNS; c++)
		st->col[c] = -1;
	for (i = 0; i < r->nfields; i++)
	{
		const char *name = r->fields[i].data;

		if (i == 0 && strncmp(name, "\xEF\xBB\xBF", 3) == 0)
			name += 3;			/* byte order mark */
		for (c = 0; c < NCOLUMNS; c++)
		{
			if (strcmp(name, columns[c].name) != 0)
				continue;
			if (st->col[c] >= 0)
				bad("bad log: column \"%s\" appears twice in the header",
					columns[c].name);
			st->col[c] = i;
		}
	}
	for (c = 0; c < NCOLUMNS; c++)
		if (columns[c].required && st->col[c] < 0)
			bad("bad log: the csv header has no column \"%s\" (export with "
				"CSV HEADER and the columns listed in --help)", columns[c].name);
	st->ncols_header = r->nfields;
}
