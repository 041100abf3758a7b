/*
 * integrity-verify: offline verifier of an exported disclosure log (SPEC 6).
 *
 *   integrity-verify --key PUBKEY [--key PUBKEY ...] [--origin CODE]
 *                    [--checkpoint FILE] [--from[=SEQ]] LOG.csv
 *
 * LOG.csv is what
 *   \copy (SELECT origin, seq, record_id, event, payload, payload_hash,
 *          prev_hash, entry_hash, key_id, signature, disclosed_at
 *          FROM integrity.disclosure WHERE origin = '...' ORDER BY seq)
 *         TO 'log.csv' CSV HEADER
 * writes (PostgreSQL CSV, RFC 4180 quoting, columns found by header name,
 * unknown columns ignored, "-" reads standard input).  For every row, in
 * order, it checks: the origin (all rows one origin, --origin if given);
 * seq 1, 2, 3, ... without gaps (with --from the first row may start
 * anywhere, its prev_hash then being taken as given); payload is canonical
 * JSON; payload_hash = SHA-256(payload); prev_hash = the previous row's
 * entry_hash (32 zero bytes for seq 1); entry_hash = SHA-256(prev_hash ||
 * seq as 8-byte big-endian || payload_hash); the Ed25519 signature of
 * entry_hash under the --key whose key_id matches the row's key_id; and,
 * since they lie outside the signed entry, that record_id, event and
 * disclosed_at are well formed and agree with same-named top-level members
 * of the payload when it has them.  With --checkpoint, the C2SP checkpoint
 * note must verify under one of the keys and its root hash must be the
 * RFC 6962 Merkle root of the first tree-size entry hashes.
 *
 * Exit status: 0 and "ok: N entries verified, root <hex>" on stdout when
 * everything holds; 1 and "bad row seq=S: <reason>" (the first bad row),
 * "bad checkpoint: <reason>" or "bad log: <reason>" on stderr otherwise;
 * 2 for usage errors and unreadable files.
 *
 * Build: see the compile line in the Makefile (links src/crypto_core.c,
 * src/merkle_core.c, src/json_canon_core.c, -lcrypto -lm).
 */
#include "crypto.h"
#include "checkpoint.h"
#include "json_canon.h"
#include "log.h"
#include "text.h"
#include "merkle.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXIT_BAD		1
#define EXIT_USAGE		2
#define MAX_KEYS		64
#define KEY_FILE_MAX	65536
#define NOTE_FILE_MAX	(1024 * 1024)
#define FIELD_MAX		(256u * 1024 * 1024)
#define REASON_LEN		512

/* ------------------------------------------------------------ utilities */

static const char *progname = "integrity-verify";

static void usage_error(const char *fmt,...) __attribute__((format(printf, 1, 2), noreturn));

static void
usage_error(const char *fmt,...)
{
	va_list		ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry \"%s --help\" for more information.\n", progname);
	exit(EXIT_USAGE);
}

static void
print_usage(void)
{
	printf("%s checks an exported integrity disclosure log offline.\n\n"
		   "Usage:\n"
		   "  %s --key PUBKEY [--key PUBKEY ...] [--origin CODE]\n"
		   "      [--checkpoint FILE] [--from[=SEQ]] LOG.csv\n\n"
		   "Options:\n"
		   "  --key PUBKEY       Ed25519 public key: a PEM file (openssl pkey -pubout),\n"
		   "                     a file of 32 raw bytes, or 64 hex digits (optionally\n"
		   "                     prefixed by \\x); repeat for rotated keys\n"
		   "  --origin CODE      the origin every row must have (default: the first row's)\n"
		   "  --checkpoint FILE  a tree_head() checkpoint to check against the log\n"
		   "  --from[=SEQ]       the log may start after seq 1 (at SEQ if given); the\n"
		   "                     first row's prev_hash is then taken as given\n"
		   "  --help             show this help\n\n"
		   "LOG.csv is \\copy (SELECT origin, seq, record_id, event, payload, payload_hash,\n"
		   "prev_hash, entry_hash, key_id, signature, disclosed_at FROM integrity.disclosure\n"
		   "WHERE origin = '...' ORDER BY seq) TO 'LOG.csv' CSV HEADER (\"-\": stdin).\n\n"
		   "Exit status: 0 verified, 1 verification failed (first bad row reported),\n"
		   "2 usage error.\n", progname, progname);
}

static void *
xmalloc(size_t n)
{
	void	   *p = malloc(n ? n : 1);

	if (p == NULL)
	{
		fprintf(stderr, "%s: out of memory\n", progname);
		exit(EXIT_USAGE);
	}
	return p;
}

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
	{
		fprintf(stderr, "%s: out of memory\n", progname);
		exit(EXIT_USAGE);
	}
	return p;
}

/* Read a whole (small) file; exits with status 2 if that fails. */
static char *
read_small_file(const char *path, size_t max, size_t *len, const char *what)
{
	FILE	   *fp = fopen(path, "rb");
	char	   *buf;
	size_t		n;

	if (fp == NULL)
		usage_error("could not open %s \"%s\": %s", what, path, strerror(errno));
	buf = xmalloc(max + 1);
	n = fread(buf, 1, max + 1, fp);
	if (ferror(fp))
		usage_error("could not read %s \"%s\": %s", what, path, strerror(errno));
	fclose(fp);
	if (n > max)
		usage_error("%s \"%s\" is larger than %zu bytes", what, path, max);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Strict decimal without sign or leading zeros, fitting in a bigint. */
static bool
parse_seq(const char *s, size_t len, uint64_t *out)
{
	return parse_decimal_u64(s, len, out) && *out <= (uint64_t) INT64_MAX;
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

/* ------------------------------------------------------------------ CSV */

typedef struct csv_field
{
	char	   *data;			/* NUL-terminated copy */
	size_t		len;
	size_t		cap;
	bool		quoted;
} csv_field;

typedef struct csv_reader
{
	FILE	   *fp;
	unsigned long line;			/* current physical line, 1-based */
	unsigned long record_line;	/* line on which the last record began */
	csv_field  *fields;
	int			nfields;
	int			cap;
} csv_reader;

static void
field_add(csv_field *f, char c)
{
	if (f->len + 1 >= f->cap)
	{
		f->cap = f->cap ? 2 * f->cap : 64;
		f->data = xrealloc(f->data, f->cap);
	}
	f->data[f->len++] = c;
}

static csv_field *
next_field(csv_reader *r)
{
	csv_field  *f;

	if (r->nfields == r->cap)
	{
		int			newcap = r->cap ? 2 * r->cap : 16;

		r->fields = xrealloc(r->fields, (size_t) newcap * sizeof(csv_field));
		memset(r->fields + r->cap, 0, (size_t) (newcap - r->cap) * sizeof(csv_field));
		r->cap = newcap;
	}
	f = &r->fields[r->nfields++];
	f->len = 0;
	f->quoted = false;
	return f;
}

/*
 * Read one record.  Returns 1 with r->fields filled, 0 at end of input,
 * -1 on malformed CSV (reason in err).
 */
static int
csv_read_record(csv_reader *r, char *err, size_t errlen)
{
	int			c = getc(r->fp);

	r->nfields = 0;
	r->record_line = r->line;
	if (c == EOF)
	{
		if (ferror(r->fp))
		{
			snprintf(err, errlen, "read error: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	for (;;)
	{
		csv_field  *f = next_field(r);

		if (c == '"')
		{
			f->quoted = true;
			for (;;)
			{
				c = getc(r->fp);
				if (c == EOF)
				{
					snprintf(err, errlen,
							 "unterminated quoted field starting on line %lu",
							 r->record_line);
					return -1;
				}
				if (c == '"')
				{
					c = getc(r->fp);
					if (c != '"')
						break;
				}
				if (c == '\n')
					r->line++;
				if (f->len >= FIELD_MAX)
				{
					snprintf(err, errlen, "field too long on line %lu", r->line);
					return -1;
				}
				field_add(f, (char) c);
			}
			if (c != ',' && c != '\n' && c != '\r' && c != EOF)
			{
				snprintf(err, errlen,
						 "unexpected character after a closing quote on line %lu",
						 r->line);
				return -1;
			}
		}
		else
		{
			while (c != ',' && c != '\n' && c != '\r' && c != EOF)
			{
				if (c == '"')
				{
					snprintf(err, errlen,
							 "quote inside an unquoted field on line %lu",
							 r->line);
					return -1;
				}
				if (f->len >= FIELD_MAX)
				{
					snprintf(err, errlen, "field too long on line %lu", r->line);
					return -1;
				}
				field_add(f, (char) c);
				c = getc(r->fp);
			}
		}
		field_add(f, '\0');
		f->len--;

		if (c == ',')
		{
			c = getc(r->fp);
			continue;
		}
		if (c == '\r')
		{
			c = getc(r->fp);
			if (c != '\n')
			{
				snprintf(err, errlen, "carriage return without newline on line %lu",
						 r->line);
				return -1;
			}
		}
		if (c == '\n')
			r->line++;
		else if (ferror(r->fp))
		{
			snprintf(err, errlen, "read error: %s", strerror(errno));
			return -1;
		}
		return 1;
	}
}

static void
csv_free(csv_reader *r)
{
	int			i;

	for (i = 0; i < r->cap; i++)
		free(r->fields[i].data);
	free(r->fields);
}

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

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
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
						hexval(v[i + 3]) < 0 || hexval(v[i + 4]) < 0)
						return false;
					c = (char) (hexval(v[i + 3]) * 16 + hexval(v[i + 4]));
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

/* ------------------------------------------------------------ the state */

typedef struct key_entry
{
	char		key_id[KEY_ID_LEN + 1];
	uint8_t		pub[ED25519_PUBLIC_KEY_LEN];
	verifier   *v;
} key_entry;

/* Compact Merkle store: the newest complete node of each level suffices
 * for appending and for the root at the current size. */
typedef struct merkle_store
{
	bool		have[64];
	uint64_t	index[64];
	uint8_t		hash[64][MERKLE_HASH_LEN];
} merkle_store;

static bool
store_fetch(void *ctx, int level, uint64_t index, uint8_t out[MERKLE_HASH_LEN])
{
	merkle_store *s = ctx;

	if (level < 0 || level >= 64 || !s->have[level] || s->index[level] != index)
		return false;
	memcpy(out, s->hash[level], MERKLE_HASH_LEN);
	return true;
}

static void
store_emit(void *ctx, int level, uint64_t index, const uint8_t hash[MERKLE_HASH_LEN])
{
	merkle_store *s = ctx;

	if (level < 0 || level >= 64)
		return;
	s->have[level] = true;
	s->index[level] = index;
	memcpy(s->hash[level], hash, MERKLE_HASH_LEN);
}

enum column_id
{
	COL_ORIGIN, COL_SEQ, COL_RECORD_ID, COL_EVENT, COL_PAYLOAD,
	COL_PAYLOAD_HASH, COL_PREV_HASH, COL_ENTRY_HASH, COL_KEY_ID,
	COL_SIGNATURE, COL_DISCLOSED_AT, NCOLUMNS
};

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

static const char *const events[] = {
	"publish", "objection", "objection_resolved", "repair", "revoke", "expire",
};

typedef struct verify_state
{
	key_entry	keys[MAX_KEYS];
	int			nkeys;
	const char *origin_opt;		/* --origin */
	char	   *origin;			/* expected origin (copy) */
	bool		from;			/* --from given */
	bool		from_seq_given;
	uint64_t	from_seq;
	const char *checkpoint_path;
	char	   *checkpoint_text;
	size_t		checkpoint_len;
	bool		checkpoint_checked;	/* signature and body verified */
	uint64_t	cp_size;
	uint8_t		cp_root[SHA256_LEN];

	int			col[NCOLUMNS];	/* field index of each column, or -1 */
	int			ncols_header;

	uint64_t	count;			/* rows verified */
	uint64_t	first_seq;
	uint64_t	next_seq;		/* seq the next row must have */
	uint8_t		prev_entry[SHA256_LEN];
	merkle_store merkle;
} verify_state;

/* ----------------------------------------------------------- failures */

static void bad(const char *fmt,...) __attribute__((format(printf, 1, 2), noreturn));

static void
bad(const char *fmt,...)
{
	va_list		ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fflush(stdout);
	exit(EXIT_BAD);
}

/* ------------------------------------------------------------ keys */

static bool
looks_like_hex_key(const char *arg)
{
	size_t		len = strlen(arg);
	size_t		i;

	if (len >= 2 && arg[0] == '\\' && arg[1] == 'x')
	{
		arg += 2;
		len -= 2;
	}
	if (len != 2 * ED25519_PUBLIC_KEY_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (hexval(arg[i]) < 0)
			return false;
	return true;
}

static void
add_key(verify_state *st, const char *arg)
{
	key_entry  *k;
	char		err[256];
	char	   *data;
	size_t		len;
	int			i;

	if (st->nkeys >= MAX_KEYS)
		usage_error("too many --key options (at most %d)", MAX_KEYS);
	k = &st->keys[st->nkeys];
	if (looks_like_hex_key(arg))
	{
		if (!public_key_parse(arg, strlen(arg), k->pub, err, sizeof(err)))
			usage_error("invalid --key \"%s\": %s", arg, err);
	}
	else
	{
		data = read_small_file(arg, KEY_FILE_MAX, &len, "key file");
		if (!public_key_parse(data, len, k->pub, err, sizeof(err)))
			usage_error("invalid key file \"%s\": %s", arg, err);
		free(data);
	}
	if (!key_id_of(k->pub, k->key_id))
		usage_error("could not hash the public key");
	for (i = 0; i < st->nkeys; i++)
		if (strcmp(st->keys[i].key_id, k->key_id) == 0)
			return;				/* the same key twice */
	k->v = verifier_new(k->pub, err, sizeof(err));
	if (k->v == NULL)
		usage_error("invalid --key \"%s\": %s", arg, err);
	st->nkeys++;
}

static key_entry *
find_key(verify_state *st, const char *key_id)
{
	int			i;

	for (i = 0; i < st->nkeys; i++)
		if (strcmp(st->keys[i].key_id, key_id) == 0)
			return &st->keys[i];
	return NULL;
}

/* ------------------------------------------------------- checkpoint */

/* Verify the checkpoint note under any of the keys, for st->origin. */
static void
check_checkpoint_note(verify_state *st)
{
	char		err[REASON_LEN] = "";
	char		first_err[REASON_LEN] = "";
	int			i;

	if (!checkpoint_origin_ok(st->origin, err, sizeof(err)))
		bad("bad checkpoint: origin \"%s\" cannot name a checkpoint key: %s",
			st->origin, err);
	for (i = 0; i < st->nkeys; i++)
	{
		if (checkpoint_verify(st->keys[i].pub, st->origin, st->checkpoint_text,
							  st->checkpoint_len, &st->cp_size, st->cp_root,
							  err, sizeof(err)))
		{
			st->checkpoint_checked = true;
			return;
		}
		/* prefer a reason from a key that signed it over "not signed by" */
		if (first_err[0] == '\0' ||
			(strstr(err, "different key") == NULL &&
			 strstr(err, "no signature by key") == NULL))
			snprintf(first_err, sizeof(first_err), "%s", err);
	}
	bad("bad checkpoint: %s", first_err);
}

static void
compare_checkpoint_root(verify_state *st)
{
	uint8_t		root[SHA256_LEN];
	char		err[REASON_LEN];
	char		hex_log[2 * SHA256_LEN + 1],
				hex_cp[2 * SHA256_LEN + 1];

	if (!merkle_root(store_fetch, &st->merkle, st->cp_size, root, err, sizeof(err)))
		bad("bad checkpoint: could not compute the merkle root: %s", err);
	if (memcmp(root, st->cp_root, SHA256_LEN) != 0)
	{
		crypto_hex_encode(root, SHA256_LEN, hex_log);
		crypto_hex_encode(st->cp_root, SHA256_LEN, hex_cp);
		bad("bad checkpoint: root hash at tree size %" PRIu64
			" is %s in the checkpoint but %s in the log",
			st->cp_size, hex_cp, hex_log);
	}
}

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

/*
 * Check one row; on failure write the reason and return false.  *seq_known
 * and *seq_report tell the caller which seq to name.
 */
static bool
check_row(verify_state *st, csv_reader *r, uint64_t *seq_report,
		  bool *seq_known, char *reason, size_t rlen)
{
	csv_field  *f = r->fields;
	const int  *col = st->col;
	uint64_t	seq;
	bool		first = (st->count == 0);
	key_entry  *key;
	uint8_t		payload_hash[SHA256_LEN],
				computed[SHA256_LEN],
				prev[SHA256_LEN],
				entry[SHA256_LEN],
				sig[ED25519_SIG_LEN];
	const csv_field *origin;
	const csv_field *payload;
	char		err[JSON_CANON_ERRLEN];

	/* the seq this position must have, for the report */
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

	if (r->nfields != st->ncols_header)
	{
		snprintf(reason, rlen, "line %lu has %d fields, the header has %d",
				 r->record_line, r->nfields, st->ncols_header);
		return false;
	}

	/* seq */
	if (!parse_seq(f[col[COL_SEQ]].data, f[col[COL_SEQ]].len, &seq) || seq == 0)
	{
		snprintf(reason, rlen, "seq \"%.40s\" is not a positive bigint",
				 f[col[COL_SEQ]].data);
		return false;
	}
	if (!*seq_known)
	{
		*seq_report = seq;
		*seq_known = true;
	}
	if (seq != *seq_report)
	{
		snprintf(reason, rlen, "seq is %" PRIu64 ", expected %" PRIu64
				 " (gap, duplicate or reordering)", seq, *seq_report);
		return false;
	}

	/* origin */
	origin = &f[col[COL_ORIGIN]];
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
	if (first && st->checkpoint_text != NULL && !st->checkpoint_checked)
		check_checkpoint_note(st);	/* exits if bad */

	/* key_id */
	key = find_key(st, f[col[COL_KEY_ID]].data);
	if (key == NULL || f[col[COL_KEY_ID]].len != KEY_ID_LEN)
	{
		snprintf(reason, rlen, "unknown key_id \"%.40s\" (no --key has this id)",
				 f[col[COL_KEY_ID]].data);
		return false;
	}

	/* payload */
	payload = &f[col[COL_PAYLOAD]];
	if (!json_is_canonical(payload->data, payload->len))
	{
		char	   *canon = NULL;
		size_t		clen;

		if (!json_canonicalize(payload->data, payload->len, &canon, &clen,
							   err, sizeof(err)))
			snprintf(reason, rlen, "payload is not valid json: %s", err);
		else
			snprintf(reason, rlen, "payload is not in canonical json form");
		free(canon);
		return false;
	}

	/* payload_hash */
	if (!decode_hash_column(&f[col[COL_PAYLOAD_HASH]], "payload_hash",
							payload_hash, SHA256_LEN, reason, rlen))
		return false;
	if (!sha256(payload->data, payload->len, computed))
	{
		snprintf(reason, rlen, "sha-256 failed");
		return false;
	}
	if (memcmp(computed, payload_hash, SHA256_LEN) != 0)
	{
		snprintf(reason, rlen, "payload_hash is not the sha-256 of payload");
		return false;
	}

	/* prev_hash */
	if (!decode_hash_column(&f[col[COL_PREV_HASH]], "prev_hash", prev,
							SHA256_LEN, reason, rlen))
		return false;
	if (seq == 1)
	{
		static const uint8_t zero[SHA256_LEN];

		if (memcmp(prev, zero, SHA256_LEN) != 0)
		{
			snprintf(reason, rlen, "prev_hash of seq 1 is not 32 zero bytes");
			return false;
		}
	}
	else if (!first && memcmp(prev, st->prev_entry, SHA256_LEN) != 0)
	{
		snprintf(reason, rlen, "prev_hash is not the entry_hash of seq %" PRIu64,
				 seq - 1);
		return false;
	}

	/* entry_hash */
	if (!decode_hash_column(&f[col[COL_ENTRY_HASH]], "entry_hash", entry,
							SHA256_LEN, reason, rlen))
		return false;
	if (!entry_hash(prev, seq, payload_hash, computed))
	{
		snprintf(reason, rlen, "sha-256 failed");
		return false;
	}
	if (memcmp(computed, entry, SHA256_LEN) != 0)
	{
		snprintf(reason, rlen,
				 "entry_hash is not sha-256(prev_hash || seq || payload_hash)");
		return false;
	}

	/* signature */
	if (!decode_hash_column(&f[col[COL_SIGNATURE]], "signature", sig,
							ED25519_SIG_LEN, reason, rlen))
		return false;
	if (!verifier_verify(key->v, entry, SHA256_LEN, sig))
	{
		snprintf(reason, rlen, "signature does not verify under key %s",
				 key->key_id);
		return false;
	}

	/* unsigned columns: syntax, and agreement with the payload */
	if (col[COL_RECORD_ID] >= 0)
	{
		const csv_field *rid = &f[col[COL_RECORD_ID]];

		if (!bigint_text_ok(rid->data, rid->len))
		{
			snprintf(reason, rlen, "record_id \"%.40s\" is not a bigint",
					 rid->data);
			return false;
		}
		if (!cross_check(payload, "record_id", rid, reason, rlen))
			return false;
	}
	if (col[COL_EVENT] >= 0)
	{
		const csv_field *ev = &f[col[COL_EVENT]];
		size_t		i;
		bool		known = false;

		for (i = 0; i < sizeof(events) / sizeof(events[0]); i++)
			if (strcmp(ev->data, events[i]) == 0 && strlen(events[i]) == ev->len)
				known = true;
		if (!known)
		{
			snprintf(reason, rlen, "event \"%.40s\" is not a disclosure event",
					 ev->data);
			return false;
		}
		if (!cross_check(payload, "event", ev, reason, rlen))
			return false;
	}
	if (col[COL_DISCLOSED_AT] >= 0 &&
		!timestamp_ok(f[col[COL_DISCLOSED_AT]].data,
					  f[col[COL_DISCLOSED_AT]].len))
	{
		snprintf(reason, rlen,
				 "disclosed_at \"%.60s\" is not an ISO timestamp",
				 f[col[COL_DISCLOSED_AT]].data);
		return false;
	}
	if (!cross_check(payload, "origin", origin, reason, rlen) ||
		!cross_check(payload, "seq", &f[col[COL_SEQ]], reason, rlen))
		return false;

	/* accepted: advance the chain and the tree */
	if (first)
		st->first_seq = seq;
	memcpy(st->prev_entry, entry, SHA256_LEN);
	st->next_seq = seq + 1;
	if (st->first_seq == 1)
	{
		uint8_t		leaf[MERKLE_HASH_LEN];

		if (!merkle_leaf_hash(entry, SHA256_LEN, leaf) ||
			!merkle_append(store_fetch, &st->merkle, store_emit, &st->merkle,
						   seq - 1, leaf, err, sizeof(err)))
		{
			snprintf(reason, rlen, "merkle tree: %s", err);
			return false;
		}
	}
	st->count++;
	return true;
}

static void
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

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"key", required_argument, NULL, 'k'},
		{"origin", required_argument, NULL, 'o'},
		{"checkpoint", required_argument, NULL, 'c'},
		{"from", optional_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0}
	};
	verify_state *st = xmalloc(sizeof(verify_state));
	csv_reader	r;
	const char *log_path;
	char		reason[REASON_LEN];
	char		err[REASON_LEN];
	int			opt,
				i,
				rc;

	memset(st, 0, sizeof(*st));
	memset(&r, 0, sizeof(r));
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1)
	{
		switch (opt)
		{
			case 'k':
				add_key(st, optarg);
				break;
			case 'o':
				st->origin_opt = optarg;
				break;
			case 'c':
				st->checkpoint_path = optarg;
				break;
			case 'f':
				st->from = true;
				if (optarg != NULL)
				{
					if (!parse_seq(optarg, strlen(optarg), &st->from_seq) ||
						st->from_seq == 0)
						usage_error("--from=%s is not a positive seq", optarg);
					st->from_seq_given = true;
				}
				break;
			case 'h':
				print_usage();
				exit(0);
			default:
				usage_error("invalid option or missing argument: \"%s\"",
							argv[optind - 1]);
		}
	}
	if (st->nkeys == 0)
		usage_error("at least one --key is required");
	if (optind != argc - 1)
		usage_error(optind >= argc ? "no LOG.csv given" : "more than one LOG.csv given");
	log_path = argv[optind];

	if (st->origin_opt != NULL)
	{
		st->origin = strdup(st->origin_opt);
		if (st->origin == NULL)
			usage_error("out of memory");
	}
	if (st->checkpoint_path != NULL)
	{
		if (st->from && (!st->from_seq_given || st->from_seq != 1))
			usage_error("--checkpoint needs the whole log from seq 1 "
						"(not --from)");
		st->checkpoint_text = read_small_file(st->checkpoint_path,
											  NOTE_FILE_MAX,
											  &st->checkpoint_len,
											  "checkpoint file");
		if (st->origin != NULL)
			check_checkpoint_note(st);
	}

	if (strcmp(log_path, "-") == 0)
		r.fp = stdin;
	else
	{
		r.fp = fopen(log_path, "rb");
		if (r.fp == NULL)
			usage_error("could not open log \"%s\": %s", log_path,
						strerror(errno));
	}
	r.line = 1;
	read_header(st, &r);

	while ((rc = csv_read_record(&r, err, sizeof(err))) != 0)
	{
		uint64_t	seq_report = 0;
		bool		seq_known = false;

		if (rc < 0)
		{
			if (st->count > 0 || !st->from)
				bad("bad row seq=%" PRIu64 ": malformed csv: %s",
					st->count > 0 ? st->next_seq : 1, err);
			bad("bad row seq=?: malformed csv: %s", err);
		}
		if (!check_row(st, &r, &seq_report, &seq_known, reason, sizeof(reason)))
		{
			if (seq_known)
				bad("bad row seq=%" PRIu64 ": %s", seq_report, reason);
			bad("bad row seq=? (line %lu): %s", r.record_line, reason);
		}
		if (st->checkpoint_checked && st->count == st->cp_size)
			compare_checkpoint_root(st);
	}
	if (r.fp != stdin)
		fclose(r.fp);

	if (st->checkpoint_text != NULL)
	{
		if (!st->checkpoint_checked)
		{
			if (st->origin == NULL)
				usage_error("the log has no rows: give --origin to check "
							"the checkpoint");
			check_checkpoint_note(st);
		}
		if (st->cp_size > st->count)
			bad("bad checkpoint: tree size %" PRIu64 " exceeds the %" PRIu64
				" entries in the log", st->cp_size, st->count);
		if (st->cp_size == 0)
			compare_checkpoint_root(st);
	}

	if (st->count > 0 && st->first_seq != 1)
	{
		char		hex[2 * SHA256_LEN + 1];

		crypto_hex_encode(st->prev_entry, SHA256_LEN, hex);
		printf("ok: %" PRIu64 " entries verified (seq %" PRIu64 "..%" PRIu64
			   ", partial log: no merkle root), head %s\n",
			   st->count, st->first_seq, st->next_seq - 1, hex);
	}
	else
	{
		uint8_t		root[SHA256_LEN];
		char		hex[2 * SHA256_LEN + 1];

		if (!merkle_root(store_fetch, &st->merkle, st->count, root, err,
						 sizeof(err)))
			bad("bad log: could not compute the merkle root: %s", err);
		crypto_hex_encode(root, SHA256_LEN, hex);
		if (st->checkpoint_text != NULL)
			printf("ok: %" PRIu64 " entries verified, root %s, checkpoint at "
				   "tree size %" PRIu64 " verified\n", st->count, hex,
				   st->cp_size);
		else
			printf("ok: %" PRIu64 " entries verified, root %s\n", st->count, hex);
	}

	for (i = 0; i < st->nkeys; i++)
		verifier_free(st->keys[i].v);
	csv_free(&r);
	free(st->origin);
	free(st->checkpoint_text);
	free(st);
	crypto_release_cache();
	return 0;
}
