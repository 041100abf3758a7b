/*
 * fuzz_ident.c: libFuzzer target for src/ident_core.c (SPEC 2; DOMAIN D1).
 *
 * Build and run (or `make -f fuzz/fuzz.mk fuzz`):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *       fuzz/fuzz_ident.c src/ident_core.c -o /tmp/fuzz_ident
 *   /tmp/fuzz_ident -max_total_time=60 /tmp/ident-work fuzz/corpus/ident
 *
 * The whole input is the text given to the parsers, so that the seed corpus
 * can hold plain codes.  "today" (yyyymmdd, any int) is tried as the fixed
 * day of the unit tests, as 9999-12-31, as INT32_MIN, and as the last four
 * bytes of the input read as a signed 32-bit integer.
 *
 * Properties checked for uscc_parse and cn_id_parse, strict and not:
 *   success  - exactly 18 canonical characters from the right alphabet,
 *              NUL-terminated, with the right check character(s);
 *            - re-parsing the canonical form strictly succeeds and gives the
 *              same characters; strict success implies that the input was
 *              already canonical, and non-strict success on the same input;
 *              non-strict success means "blanks trimmed and letters
 *              folded" gives exactly the canonical form;
 *            - pack / unpack give the canonical form back, and the packed
 *              form sorts like the text (compared with the previous valid
 *              code seen by this process);
 *            - an independent reference validator, written here from
 *              DOMAIN.md D1 (not from ident_core.c), agrees: this is what
 *              uscc_is_valid / cn_id_is_valid return in SQL;
 *   failure  - a problem code (never IDENT_OK), a position in 1..18 when
 *              the problem has one, bad_char NUL-terminated inside its
 *              buffer (non-empty for a bad character), a length other than
 *              18 for IDENT_BAD_LENGTH, expected != found for a bad check
 *              character, and the reference validator agrees;
 *   both     - parsing twice gives the same answer (no hidden state).
 *
 * person_name_mask gets the input with an output buffer of exactly
 * len + 1 bytes (ASan reports any write past it); the returned length
 * is at most len and out[n] is NUL; for valid UTF-8 the output is
 * valid UTF-8 with as many characters as the trimmed input, and begins with
 * the input's first character.
 *
 * Any violation prints the reason and calls abort().
 */
#include "ident.h"

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CHECK(cond, ...) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_ident: line %d: check failed: %s\n  ", __LINE__, #cond); \
	fprintf(stderr, __VA_ARGS__); fputc('\n', stderr); abort(); } } while (0)

/* ------------------------------------------------------------------ *
 * Reference validators, from DOMAIN.md D1 only.
 * ------------------------------------------------------------------ */

/* D1.1: the 31 characters, no I, O, S, V, Z. */
static const char ref_alphabet[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static int
ref_index(char c)
{
	const char *p;

	if (c == '\0')
		return -1;
	p = strchr(ref_alphabet, c);
	return p ? (int) (p - ref_alphabet) : -1;
}

static bool
ref_blank(unsigned char c)
{
	/* ASCII blanks, as the SPEC's "surrounding blanks trimmed" */
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static void
ref_trim(const char **s, size_t *len)
{
	while (*len > 0 && ref_blank((unsigned char) (*s)[0]))
	{
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ref_blank((unsigned char) (*s)[*len - 1]))
		(*len)--;
}

/* D1.1a: authority -> allowed categories (GB 32100 table, as in DOMAIN.md). */
static bool
ref_category_ok(char authority, char category)
{
	static const struct
	{
		char		a;
		const char *cats;
	}			table[] = {
		{'1', "1239"}, {'2', "19"}, {'3', "123459"}, {'4', "19"},
		{'5', "1239"}, {'6', "129"}, {'7', "129"}, {'8', "19"},
		{'9', "123"}, {'A', "19"}, {'N', "1239"}, {'Y', "1"},
	};
	size_t		i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].a == authority)
			return category != '\0' && strchr(table[i].cats, category) != NULL;
	return false;
}

static bool
ref_uscc(const char *s, size_t len, bool strict, char out[19])
{
	int			i;
	long		sum = 0;
	long		w = 1;
	int			c;

	if (!strict)
		ref_trim(&s, &len);
	if (len != 18)
		return false;
	for (i = 0; i < 18; i++)
	{
		char		ch = s[i];

		if (!strict && ch >= 'a' && ch <= 'z')
			ch = (char) (ch - 32);
		if (ref_index(ch) < 0)
			return false;
		out[i] = ch;
	}
	out[18] = '\0';
	/* D1.1: weights 3^i mod 31 */
	for (i = 0; i < 17; i++)
	{
		sum += ref_index(out[i]) * w;
		w = (w * 3) % 31;
	}
	if (out[17] != ref_alphabet[(31 - sum % 31) % 31])
		return false;
	/* D1.2: GB 11714 over characters 9-16 */
	{
		static const int ow[8] = {3, 7, 9, 10, 5, 8, 4, 2};
		int			osum = 0;
		char		want;

		for (i = 0; i < 8; i++)
		{
			char		ch = out[8 + i];

			osum += ((ch >= '0' && ch <= '9') ? ch - '0' : 10 + ch - 'A') * ow[i];
		}
		c = 11 - osum % 11;
		want = c == 10 ? 'X' : c == 11 ? '0' : (char) ('0' + c);
		if (out[16] != want)
			return false;
	}
	if (!ref_category_ok(out[0], out[1]))
		return false;
	for (i = 2; i < 8; i++)
		if (out[i] < '0' || out[i] > '9')
			return false;
	return true;
}

static bool
ref_cn_id(const char *s, size_t len, bool strict, int today, char out[19])
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			i,
				sum = 0,
				y,
				m,
				d,
				dim;

	if (!strict)
		ref_trim(&s, &len);
	if (len != 18)
		return false;
	for (i = 0; i < 18; i++)
	{
		char		ch = s[i];

		if (i == 17 && ch == 'x' && !strict)
			ch = 'X';
		if (!(ch >= '0' && ch <= '9') && !(i == 17 && ch == 'X'))
			return false;
		out[i] = ch;
	}
	out[18] = '\0';
	y = atoi((char[]) {out[6], out[7], out[8], out[9], 0});
	m = atoi((char[]) {out[10], out[11], 0});
	d = atoi((char[]) {out[12], out[13], 0});
	/*
	 * D1.3 "a real date, not in the future"; D1.3a keeps dates before 1900.
	 * ident_core.c also refuses years before 1800 (no living person): the
	 * reference follows that documented choice.
	 */
	if (y < 1800 || m < 1 || m > 12 || d < 1)
		return false;
	dim = mdays[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
	if (d > dim)
		return false;
	if ((long) y * 10000 + m * 100 + d > (long) today)
		return false;
	for (i = 0; i < 17; i++)
		sum += (out[i] - '0') * w[i];
	return out[17] == "10X98765432"[sum % 11];
}

/* Strict RFC 3629 UTF-8 check; returns the number of code points or -1. */
static long
utf8_chars(const unsigned char *s, size_t n)
{
	size_t		i = 0;
	long		count = 0;

	while (i < n)
	{
		unsigned char c = s[i];
		uint32_t	cp;
		size_t		k,
					j;

		if (c < 0x80)
		{
			i++;
			count++;
			continue;
		}
		if ((c & 0xE0) == 0xC0)
		{
			k = 2;
			cp = c & 0x1F;
		}
		else if ((c & 0xF0) == 0xE0)
		{
			k = 3;
			cp = c & 0x0F;
		}
		else if ((c & 0xF8) == 0xF0)
		{
			k = 4;
			cp = c & 0x07;
		}
		else
			return -1;
		if (n - i < k)
			return -1;
		for (j = 1; j < k; j++)
		{
			if ((s[i + j] & 0xC0) != 0x80)
				return -1;
			cp = (cp << 6) | (s[i + j] & 0x3F);
		}
		if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) ||
			(k == 4 && cp < 0x10000) || cp > 0x10FFFF ||
			(cp >= 0xD800 && cp <= 0xDFFF))
			return -1;
		i += k;
		count++;
	}
	return count;
}

/* ------------------------------------------------------------------ *
 * Checks
 * ------------------------------------------------------------------ */

static void
check_error(const char *what, const ident_error *e, const char *in, size_t len)
{
	CHECK(e->problem > IDENT_OK && e->problem <= IDENT_FUTURE_DATE,
		  "%s: failure with problem %d", what, (int) e->problem);
	CHECK(memchr(e->bad_char, '\0', sizeof(e->bad_char)) != NULL,
		  "%s: bad_char is not NUL-terminated", what);
	CHECK(e->position >= 0 && e->position <= 18,
		  "%s: position %d out of range", what, e->position);
	switch (e->problem)
	{
		case IDENT_BAD_LENGTH:
			CHECK(e->length >= 0 && e->length != 18,
				  "%s: bad length reported as %d", what, e->length);
			CHECK(e->position == 0, "%s: bad length with position %d", what, e->position);
			break;
		case IDENT_BAD_CHARACTER:
			CHECK(e->position >= 1, "%s: bad character without position", what);
			/* empty only when the bad character is a NUL byte (binary recv) */
			CHECK(e->bad_char[0] != '\0' || memchr(in, '\0', len) != NULL,
				  "%s: bad character not reported", what);
			break;
		case IDENT_BAD_CHECK:
			CHECK(e->position == 18, "%s: check character at position %d", what, e->position);
			CHECK(e->expected != e->found && e->expected != '\0' && e->found != '\0',
				  "%s: check expected '%c' found '%c'", what, e->expected, e->found);
			break;
		case IDENT_BAD_ORG_CHECK:
			CHECK(e->position == 17, "%s: org check at position %d", what, e->position);
			CHECK(e->expected != e->found, "%s: org check expected == found", what);
			break;
		case IDENT_BAD_AUTHORITY:
			CHECK(e->position == 1, "%s: authority at position %d", what, e->position);
			CHECK(uscc_authority_name(e->authority) == NULL, "%s: known authority refused", what);
			break;
		case IDENT_BAD_CATEGORY:
			CHECK(e->position == 2, "%s: category at position %d", what, e->position);
			/* the errdetail prints the authority's name: it must exist */
			CHECK(uscc_authority_name(e->authority) != NULL, "%s: category error for an unknown authority", what);
			break;
		case IDENT_BAD_REGION:
			CHECK(e->position >= 3 && e->position <= 8, "%s: region at position %d", what, e->position);
			CHECK(e->bad_char[0] != '\0', "%s: region character not reported", what);
			(void) in;
			break;
		case IDENT_BAD_DATE:
		case IDENT_FUTURE_DATE:
			CHECK(e->position == 7, "%s: date at position %d", what, e->position);
			CHECK(e->date >= 0 && e->date <= 99999999, "%s: date %d", what, e->date);
			break;
		case IDENT_OK:
			break;
	}
}

static bool
same_error(const ident_error *a, const ident_error *b)
{
	return a->problem == b->problem && a->length == b->length &&
		a->position == b->position && strcmp(a->bad_char, b->bad_char) == 0 &&
		a->expected == b->expected && a->found == b->found &&
		a->authority == b->authority && a->category == b->category && a->date == b->date;
}

/* the non-strict canonical form of the input, by hand: trim, fold */
static bool
folded_equals(const char *s, size_t len, const char *canon, bool uscc)
{
	size_t		i;

	ref_trim(&s, &len);
	if (len != 18)
		return false;
	for (i = 0; i < 18; i++)
	{
		char		c = s[i];

		if (c >= 'a' && c <= 'z' && (uscc || (i == 17 && c == 'x')))
			c = (char) (c - 32);
		if (c != canon[i])
			return false;
	}
	return true;
}

static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

static char last_uscc[USCC_LEN + 1];
static char last_cn_id[CN_ID_LEN + 1];

static void
check_uscc(const char *in, size_t len)
{
	char		canon[USCC_LEN + 1],
				canon2[USCC_LEN + 1],
				ref[19];
	ident_error e,
				e2;
	int			strict;
	bool		okay[2];

	for (strict = 0; strict <= 1; strict++)
	{
		const char *what = strict ? "uscc strict" : "uscc";
		bool		r;

		memset(canon, 0x55, sizeof(canon));
		r = uscc_parse(in, len, strict, canon, &e);
		okay[strict] = r;
		CHECK(uscc_parse(in, len, strict, canon2, &e2) == r, "%s: not deterministic", what);
		CHECK(ref_uscc(in, len, strict, ref) == r,
			  "%s: core says %s, reference says %s (problem %d)", what,
			  r ? "valid" : "invalid", r ? "invalid" : "valid", (int) e.problem);
		if (!r)
		{
			CHECK(same_error(&e, &e2), "%s: error not deterministic", what);
			check_error(what, &e, in, len);
			continue;
		}
		CHECK(e.problem == IDENT_OK, "%s: success with problem %d", what, (int) e.problem);
		CHECK(canon[USCC_LEN] == '\0' && strlen(canon) == USCC_LEN, "%s: canonical form not 18 characters", what);
		CHECK(strcmp(canon, ref) == 0, "%s: canonical %s, reference %s", what, canon, ref);
		CHECK(strspn(canon, ref_alphabet) == USCC_LEN, "%s: %s outside the alphabet", what, canon);
		CHECK(uscc_check_char(canon) == canon[17], "%s: check char", what);
		CHECK(uscc_org_check_char(canon + 8) == canon[16], "%s: org check char", what);
		CHECK(uscc_authority_name(canon[0]) != NULL &&
			  uscc_category_name(canon[0], canon[1]) != NULL, "%s: no authority/category name", what);
		CHECK(folded_equals(in, len, canon, true), "%s: %s is not the trimmed, folded input", what, canon);
		if (strict)
			CHECK(len == USCC_LEN && memcmp(in, canon, USCC_LEN) == 0,
				  "%s: strict accepted a non-canonical input", what);
		/* the canonical form re-parses strictly to itself */
		CHECK(uscc_parse(canon, USCC_LEN, true, canon2, &e2) && strcmp(canon, canon2) == 0,
			  "%s: canonical %s does not re-parse", what, canon);
		/* pack / unpack */
		{
			uint8_t		packed[USCC_STORAGE_LEN],
						packed_last[USCC_STORAGE_LEN];

			uscc_pack(canon, packed);
			CHECK(uscc_unpack(packed, canon2) && strcmp(canon, canon2) == 0,
				  "%s: pack/unpack of %s gives %s", what, canon, canon2);
			if (last_uscc[0] != '\0')
			{
				uscc_pack(last_uscc, packed_last);
				CHECK(sign(memcmp(packed, packed_last, USCC_STORAGE_LEN)) ==
					  sign(strcmp(canon, last_uscc)),
					  "%s: packed order of %s and %s differs from text order", what, canon, last_uscc);
			}
			memcpy(last_uscc, canon, sizeof(last_uscc));
		}
	}
	CHECK(!okay[1] || okay[0], "uscc: strict success without non-strict success");
}

static void
check_cn_id(const char *in, size_t len, int today)
{
	char		canon[CN_ID_LEN + 1],
				canon2[CN_ID_LEN + 1],
				ref[19];
	ident_error e,
				e2;
	int			strict;
	bool		okay[2];

	for (strict = 0; strict <= 1; strict++)
	{
		const char *what = strict ? "cn_id strict" : "cn_id";
		bool		r;

		memset(canon, 0x55, sizeof(canon));
		r = cn_id_parse(in, len, strict, today, canon, &e);
		okay[strict] = r;
		CHECK(cn_id_parse(in, len, strict, today, canon2, &e2) == r, "%s: not deterministic", what);
		CHECK(ref_cn_id(in, len, strict, today, ref) == r,
			  "%s (today %d): core says %s, reference says %s (problem %d)", what, today,
			  r ? "valid" : "invalid", r ? "invalid" : "valid", (int) e.problem);
		if (!r)
		{
			CHECK(same_error(&e, &e2), "%s: error not deterministic", what);
			check_error(what, &e, in, len);
			if (e.problem == IDENT_FUTURE_DATE)
				CHECK(e.date > today, "%s: future date %d not after today %d", what, e.date, today);
			continue;
		}
		CHECK(e.problem == IDENT_OK, "%s: success with problem %d", what, (int) e.problem);
		CHECK(canon[CN_ID_LEN] == '\0' && strlen(canon) == CN_ID_LEN, "%s: canonical form not 18 characters", what);
		CHECK(strcmp(canon, ref) == 0, "%s: canonical %s, reference %s", what, canon, ref);
		CHECK(strspn(canon, "0123456789") >= 17 &&
			  ((canon[17] >= '0' && canon[17] <= '9') || canon[17] == 'X'),
			  "%s: %s outside the alphabet", what, canon);
		CHECK(cn_id_check_char(canon) == canon[17], "%s: check char", what);
		CHECK(folded_equals(in, len, canon, false), "%s: %s is not the trimmed input", what, canon);
		if (strict)
			CHECK(len == CN_ID_LEN && memcmp(in, canon, CN_ID_LEN) == 0,
				  "%s: strict accepted a non-canonical input", what);
		CHECK(cn_id_parse(canon, CN_ID_LEN, true, today, canon2, &e2) && strcmp(canon, canon2) == 0,
			  "%s: canonical %s does not re-parse", what, canon);
		{
			int64_t		v = cn_id_pack(canon);
			char		masked[CN_ID_LEN + 1];

			CHECK(v >= 0 && v <= INT64_C(99999999999999999), "%s: packed value %lld", what, (long long) v);
			CHECK(cn_id_unpack(v, canon2) && strcmp(canon, canon2) == 0,
				  "%s: pack/unpack of %s gives %s", what, canon, canon2);
			if (last_cn_id[0] != '\0')
			{
				int64_t		lv = cn_id_pack(last_cn_id);

				CHECK(((v > lv) - (v < lv)) == sign(strcmp(canon, last_cn_id)),
					  "%s: packed order of %s and %s differs from text order", what, canon, last_cn_id);
			}
			memcpy(last_cn_id, canon, sizeof(last_cn_id));
			/* D1.4: 6 + 8 stars + 4 */
			cn_id_mask(canon, masked);
			CHECK(masked[18] == '\0' && memcmp(masked, canon, 6) == 0 &&
				  memcmp(masked + 6, "********", 8) == 0 && memcmp(masked + 14, canon + 14, 4) == 0,
				  "%s: mask of %s is %s", what, canon, masked);
		}
	}
	CHECK(!okay[1] || okay[0], "cn_id: strict success without non-strict success");
}

static void
check_unpack_garbage(const uint8_t *data, size_t size)
{
	/* unpack of arbitrary stored bytes: never out of bounds, and a value it
	 * accepts is a canonical code whose check character it derived */
	uint8_t		b[USCC_STORAGE_LEN] = {0};
	char		canon[USCC_LEN + 1];
	int64_t		v = 0;

	memcpy(b, data, size < USCC_STORAGE_LEN ? size : USCC_STORAGE_LEN);
	if (uscc_unpack(b, canon))
	{
		uint8_t		again[USCC_STORAGE_LEN];

		CHECK(strlen(canon) == USCC_LEN && strspn(canon, ref_alphabet) == USCC_LEN,
			  "uscc_unpack: bad characters");
		uscc_pack(canon, again);
		CHECK(memcmp(again, b, USCC_STORAGE_LEN) == 0, "uscc_unpack/pack not inverse");
	}
	memcpy(&v, data, size < sizeof(v) ? size : sizeof(v));
	if (cn_id_unpack(v, canon))
	{
		CHECK(v >= 0 && strlen(canon) == CN_ID_LEN, "cn_id_unpack accepted %lld", (long long) v);
		CHECK(cn_id_pack(canon) == v, "cn_id_unpack/pack not inverse");
	}
	else
		CHECK(v < 0 || v > INT64_C(99999999999999999), "cn_id_unpack refused %lld", (long long) v);
}

static void
check_mask(const char *in, size_t len)
{
	size_t		cap = len + 1;
	char	   *out = malloc(cap);	/* exactly the documented size: ASan
									 * reports any write past it */
	size_t		n;
	long		in_chars,
				out_chars;
	const char *t = in;
	size_t		tlen = len;

	CHECK(out != NULL, "malloc");
	n = person_name_mask(in, len, out);
	CHECK(n <= len, "mask returned %zu for %zu input bytes", n, len);
	CHECK(out[n] == '\0', "mask output not NUL-terminated");
	in_chars = utf8_chars((const unsigned char *) in, len);
	if (in_chars >= 0)
	{
		out_chars = utf8_chars((const unsigned char *) out, n);
		CHECK(out_chars >= 0, "mask of valid UTF-8 gives invalid UTF-8");
		ref_trim(&t, &tlen);
		CHECK(out_chars == utf8_chars((const unsigned char *) t, tlen),
			  "mask changed the number of characters: %ld -> %ld", utf8_chars((const unsigned char *) t, tlen), out_chars);
		if (tlen > 0)
		{
			size_t		first = 1;

			while (first < tlen && ((unsigned char) t[first] & 0xC0) == 0x80)
				first++;
			/* D1.4: a name of one character is masked whole (issue 13) */
			if (first >= tlen)
				CHECK(n == 1 && out[0] == '*', "mask showed a one-character name");
			else
				CHECK(n >= first && memcmp(out, t, first) == 0, "mask did not keep the first character");
		}
		else
			CHECK(n == 0, "mask of blanks is not empty");
	}
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* copy so that ASan sees reads past the end of the input */
	char	   *in = malloc(size ? size : 1);
	int			todays[4] = {20261121, 99991231, INT_MIN, 0};
	int			n = 3;
	int			i;

	if (in == NULL)
		return 0;
	memcpy(in, data, size);
	if (size >= 4)
	{
		int32_t		t;

		memcpy(&t, data + size - 4, 4);
		todays[n++] = t;
	}
	check_uscc(in, size);
	for (i = 0; i < n; i++)
		check_cn_id(in, size, todays[i]);
	check_mask(in, size);
	check_unpack_garbage(data, size);
	free(in);
	return 0;
}
