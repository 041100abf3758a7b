/*
 * json_canon_core.c: strict JSON parser emitting canonical JSON (SPEC 6,
 * RFC 8785 with member names sorted by code point).  See json_canon.h.
 *
 * One pass over the input writes the canonical text into the output buffer
 * as it goes.  Strings, numbers and literals are final when written; an
 * object's members are written in input order, each member's span and its
 * unescaped name being recorded, and when the object closes the spans are
 * sorted by name and, unless already in order, rewritten in place.  All
 * bookkeeping refers to buffer offsets, never pointers, because the
 * buffers move when they grow.
 *
 * Pure C99 + libc; no PostgreSQL headers, no global state other than the
 * allocator functions.
 */
#include "json_canon.h"
#include "text.h"

#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------------
 * Allocator
 * ------------------------------------------------------------------------ */

static void *(*jc_alloc) (size_t) = malloc;
static void *(*jc_realloc) (void *, size_t) = realloc;
static void (*jc_free) (void *) = free;

void
json_canon_set_allocator(void *(*alloc) (size_t),
						 void *(*realloc_fn) (void *, size_t),
						 void (*free_fn) (void *))
{
	if (alloc == NULL || realloc_fn == NULL || free_fn == NULL)
	{
		jc_alloc = malloc;
		jc_realloc = realloc;
		jc_free = free;
	}
	else
	{
		jc_alloc = alloc;
		jc_realloc = realloc_fn;
		jc_free = free_fn;
	}
}

/* ------------------------------------------------------------------------
 * Parser state
 * ------------------------------------------------------------------------ */

/* A growable byte buffer. */
typedef struct jbuf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} jbuf;

/* One object member as written to the output, in input order. */
typedef struct jmember
{
	size_t		name_off;		/* unescaped name in names buffer */
	size_t		name_len;
	size_t		span_off;		/* "name":value in output */
	size_t		span_len;
	size_t		in_off;			/* offset of the name's '"' in the input */
} jmember;

typedef struct jparser
{
	const unsigned char *in;
	size_t		len;
	size_t		pos;

	jbuf		out;			/* canonical text */
	jbuf		names;			/* unescaped names of open objects' members */
	jbuf		str;			/* an unescaped string value / number digits */
	jbuf		move;			/* object body while its members are reordered */

	jmember    *members;		/* members of all open objects, a stack */
	size_t		nmembers;
	size_t		members_cap;
	jmember    *sort_tmp;		/* merge sort scratch */
	size_t		sort_tmp_cap;

	bool		failed;
	char	   *err;
	size_t		errlen;
} jparser;

/* Cut a NUL-terminated string so it does not end inside a UTF-8 sequence. */
static void
trim_partial_utf8(char *s)
{
	size_t		l = strlen(s);
	size_t		i = l;
	size_t		need;
	unsigned char c;

	/* step back over at most three continuation bytes to a lead byte */
	while (i > 0 && l - i < 3 && (((unsigned char) s[i - 1]) & 0xC0) == 0x80)
		i--;
	if (i == 0)
		return;
	c = (unsigned char) s[i - 1];
	if (c < 0xC0)
		return;					/* ASCII, or not UTF-8 at all */
	need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
	if (l - (i - 1) < need)
		s[i - 1] = '\0';
}

static void fail(jparser *p, const char *fmt,...) __attribute__((format(printf, 2, 3)));

static void
fail(jparser *p, const char *fmt,...)
{
	va_list		ap;

	if (p->failed)
		return;
	p->failed = true;
	if (p->err == NULL || p->errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(p->err, p->errlen, fmt, ap);
	va_end(ap);
	trim_partial_utf8(p->err);
}

static void
oom(jparser *p)
{
	fail(p, "out of memory");
}

/* Make room for "extra" more bytes in b. */
static bool
jbuf_reserve(jparser *p, jbuf *b, size_t extra)
{
	size_t		need;
	size_t		ncap;
	char	   *nd;

	if (extra > SIZE_MAX - b->len - 1)
	{
		oom(p);
		return false;
	}
	need = b->len + extra + 1;	/* room for a closing NUL */
	if (need <= b->cap)
		return true;
	ncap = b->cap ? b->cap : 64;
	while (ncap < need)
	{
		if (ncap > SIZE_MAX / 2)
		{
			ncap = need;
			break;
		}
		ncap *= 2;
	}
	if (b->data == NULL)
		nd = jc_alloc(ncap);
	else
		nd = jc_realloc(b->data, ncap);
	if (nd == NULL)
	{
		oom(p);
		return false;
	}
	b->data = nd;
	b->cap = ncap;
	return true;
}

static bool
jbuf_put(jparser *p, jbuf *b, const void *src, size_t n)
{
	if (!jbuf_reserve(p, b, n))
		return false;
	if (n > 0)
		memcpy(b->data + b->len, src, n);
	b->len += n;
	return true;
}

static bool
jbuf_putc(jparser *p, jbuf *b, char c)
{
	if (b->len + 1 >= b->cap && !jbuf_reserve(p, b, 1))
		return false;
	b->data[b->len++] = c;
	return true;
}

static void
jbuf_free(jbuf *b)
{
	if (b->data != NULL)
		jc_free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* Grow an array of jmember to hold at least "need" elements. */
static bool
members_reserve(jparser *p, jmember **arr, size_t *cap, size_t need)
{
	size_t		ncap;
	jmember    *na;

	if (need <= *cap)
		return true;
	ncap = *cap ? *cap : 16;
	while (ncap < need)
	{
		if (ncap > SIZE_MAX / 2 / sizeof(jmember))
		{
			oom(p);
			return false;
		}
		ncap *= 2;
	}
	if (*arr == NULL)
		na = jc_alloc(ncap * sizeof(jmember));
	else
		na = jc_realloc(*arr, ncap * sizeof(jmember));
	if (na == NULL)
	{
		oom(p);
		return false;
	}
	*arr = na;
	*cap = ncap;
	return true;
}

/* ------------------------------------------------------------------------
 * Lexical helpers
 * ------------------------------------------------------------------------ */

static void
skip_ws(jparser *p)
{
	while (p->pos < p->len)
	{
		unsigned char c = p->in[p->pos];

		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

/* Report the byte at p->pos as unexpected (or the end of input). */
static void
fail_unexpected(jparser *p, const char *what)
{
	unsigned char c;

	if (p->pos >= p->len)
	{
		fail(p, "unexpected end of input at offset %zu%s%s",
			 p->pos, what ? ", expected " : "", what ? what : "");
		return;
	}
	c = p->in[p->pos];
	if (c > 0x20 && c < 0x7F && c != '\'')
		fail(p, "unexpected character '%c' at offset %zu%s%s",
			 c, p->pos, what ? ", expected " : "", what ? what : "");
	else
		fail(p, "unexpected byte 0x%02x at offset %zu%s%s",
			 c, p->pos, what ? ", expected " : "", what ? what : "");
}

/*
 * Length of the valid UTF-8 sequence starting at s[0] (a byte >= 0x80) with
 * avail bytes available, or 0 if it is not a well-formed sequence (RFC 3629:
 * no overlong forms, no surrogates, nothing above U+10FFFF): text.h.
 */
static size_t
utf8_seq_len(const unsigned char *s, size_t avail)
{
	uint32_t	cp;

	return utf8_decode(s, avail, &cp);
}

/* Read 4 hex digits at in[at..]; -1 if missing or not hex. */
static long
read_hex4(jparser *p, size_t at)
{
	long		v = 0;
	size_t		i;

	if (at > p->len || p->len - at < 4)
		return -1;
	for (i = 0; i < 4; i++)
	{
		int			h = hex_digit_value((unsigned char) p->in[at + i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static bool
put_utf8(jparser *p, jbuf *b, unsigned long cp)
{
	char		u[4];
	size_t		n;

	if (cp < 0x80)
	{
		u[0] = (char) cp;
		n = 1;
	}
	else if (cp < 0x800)
	{
		u[0] = (char) (0xC0 | (cp >> 6));
		u[1] = (char) (0x80 | (cp & 0x3F));
		n = 2;
	}
	else if (cp < 0x10000)
	{
		u[0] = (char) (0xE0 | (cp >> 12));
		u[1] = (char) (0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char) (0x80 | (cp & 0x3F));
		n = 3;
	}
	else
	{
		u[0] = (char) (0xF0 | (cp >> 18));
		u[1] = (char) (0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char) (0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char) (0x80 | (cp & 0x3F));
		n = 4;
	}
	return jbuf_put(p, b, u, n);
}

/* ------------------------------------------------------------------------
 * Strings
 * ------------------------------------------------------------------------ */

/*
 * Parse the string starting at p->pos (a '"') and append its unescaped
 * UTF-8 bytes to dst.
 */
static bool
parse_string(jparser *p, jbuf *dst)
{
	size_t		start = p->pos;

	/* dst->data must exist even for an empty string (no NULL + 0) */
	if (!jbuf_reserve(p, dst, 0))
		return false;
	p->pos++;					/* opening quote */
	for (;;)
	{
		size_t		run = p->pos;
		unsigned char c;

		/* copy a run of plain printable ASCII in one go */
		while (p->pos < p->len)
		{
			c = p->in[p->pos];
			if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80)
				break;
			p->pos++;
		}
		if (p->pos > run && !jbuf_put(p, dst, p->in + run, p->pos - run))
			return false;
		if (p->pos >= p->len)
		{
			fail(p, "unterminated string starting at offset %zu", start);
			return false;
		}
		c = p->in[p->pos];
		if (c == '"')
		{
			p->pos++;
			return true;
		}
		else if (c < 0x20)
		{
			fail(p, "unescaped control character 0x%02x in string at offset %zu",
				 c, p->pos);
			return false;
		}
		else if (c >= 0x80)
		{
			size_t		n = utf8_seq_len(p->in + p->pos, p->len - p->pos);

			if (n == 0)
			{
				fail(p, "invalid utf-8 at offset %zu", p->pos);
				return false;
			}
			if (!jbuf_put(p, dst, p->in + p->pos, n))
				return false;
			p->pos += n;
		}
		else
		{
			/* backslash escape */
			size_t		esc = p->pos;
			unsigned char e;
			char		b;

			if (p->len - p->pos < 2)
			{
				fail(p, "unterminated string starting at offset %zu", start);
				return false;
			}
			e = p->in[p->pos + 1];
			switch (e)
			{
				case '"':
					b = '"';
					break;
				case '\\':
					b = '\\';
					break;
				case '/':
					b = '/';
					break;
				case 'b':
					b = '\b';
					break;
				case 'f':
					b = '\f';
					break;
				case 'n':
					b = '\n';
					break;
				case 'r':
					b = '\r';
					break;
				case 't':
					b = '\t';
					break;
				case 'u':
					{
						long		cp = read_hex4(p, esc + 2);

						if (cp < 0)
						{
							fail(p, "invalid \\u escape at offset %zu", esc);
							return false;
						}
						p->pos = esc + 6;
						if (cp >= 0xDC00 && cp <= 0xDFFF)
						{
							fail(p, "unpaired surrogate \\u%04lx at offset %zu",
								 cp, esc);
							return false;
						}
						if (cp >= 0xD800 && cp <= 0xDBFF)
						{
							long		lo = -1;

							if (p->len - p->pos >= 2 &&
								p->in[p->pos] == '\\' && p->in[p->pos + 1] == 'u')
								lo = read_hex4(p, p->pos + 2);
							if (lo < 0xDC00 || lo > 0xDFFF)
							{
								fail(p, "unpaired surrogate \\u%04lx at offset %zu",
									 cp, esc);
								return false;
							}
							p->pos += 6;
							cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
						}
						if (!put_utf8(p, dst, (unsigned long) cp))
							return false;
						continue;
					}
				default:
					if (e > 0x20 && e < 0x7F)
						fail(p, "invalid escape '\\%c' at offset %zu", e, esc);
					else
						fail(p, "invalid escape at offset %zu", esc);
					return false;
			}
			if (!jbuf_putc(p, dst, b))
				return false;
			p->pos += 2;
		}
	}
}

size_t
json_canon_escape(unsigned char c, char esc[6])
{
	static const char hex[] = "0123456789abcdef";

	if (c >= 0x20 && c != '"' && c != '\\')
		return 0;
	esc[0] = '\\';
	switch (c)
	{
		case '"':
			esc[1] = '"';
			return 2;
		case '\\':
			esc[1] = '\\';
			return 2;
		case '\b':
			esc[1] = 'b';
			return 2;
		case '\f':
			esc[1] = 'f';
			return 2;
		case '\n':
			esc[1] = 'n';
			return 2;
		case '\r':
			esc[1] = 'r';
			return 2;
		case '\t':
			esc[1] = 't';
			return 2;
		default:
			esc[1] = 'u';
			esc[2] = '0';
			esc[3] = '0';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 0xF];
			return 6;
	}
}

/* Append s[0..n) (valid UTF-8) to the output as a canonical string. */
static bool
emit_string(jparser *p, const char *s, size_t n)
{
	size_t		i,
				run = 0;

	if (!jbuf_putc(p, &p->out, '"'))
		return false;
	for (i = 0; i < n; i++)
	{
		char		esc[6];
		size_t		elen = json_canon_escape((unsigned char) s[i], esc);

		if (elen == 0)
			continue;
		if (i > run && !jbuf_put(p, &p->out, s + run, i - run))
			return false;
		run = i + 1;
		if (!jbuf_put(p, &p->out, esc, elen))
			return false;
	}
	if (n > run && !jbuf_put(p, &p->out, s + run, n - run))
		return false;
	return jbuf_putc(p, &p->out, '"');
}

/* ------------------------------------------------------------------------
 * Numbers
 * ------------------------------------------------------------------------ */

/*
 * Significant decimal digits kept when converting.  Every midpoint between
 * two adjacent doubles has at most 767 significant digits, so cutting the
 * digit string after 800 digits and standing in a single '1' for any
 * non-zero tail never changes the correctly rounded result.
 */
#define MAX_SIG_DIGITS 800

/*
 * Written exponents are saturated here while reading them: far beyond any
 * double, and far beyond any input length, so the saturation never changes
 * the result.
 */
#define EXP_CLAMP 1000000000000000LL

/*
 * Convert digits[0..n) x 10^exp10 (n >= 1, no leading zero) to a double
 * with strtod.  The text given to strtod has no decimal point, so the
 * C library's locale does not matter.
 */
static double
digits_to_double(const char *digits, size_t n, long exp10)
{
	char		buf[MAX_SIG_DIGITS + 32];

	memcpy(buf, digits, n);
	snprintf(buf + n, sizeof(buf) - n, "e%ld", exp10);
	return strtod(buf, NULL);
}

/*
 * Find a prec-digit decimal that round-trips to v (> 0, finite): the
 * correctly rounded one if it does, else (only when v's rounding interval
 * is lopsided) one of its two neighbours if one does.  On success digits[0..prec) holds it and *exp10 the exponent of its
 * first digit (v ~ d.ddd x 10^exp10).
 *
 * Why this is enough: when v is not a power of two its rounding interval is
 * symmetric, so if the closest prec-digit decimal misses it, all do.  At a
 * power of two the interval below v is half as wide as the one above, and
 * then the neighbour on the far (wide) side may still fall inside it, but
 * nothing further away can.  The one case left out, a neighbour that would
 * change the digit count (999 + 1, 100 - 1), needs a power of two within
 * 1e-15 of a power of ten, which no double is.
 */
static bool
round_trip_digits(double v, int prec, bool lopsided, char digits[20], int *exp10)
{
	char		tmp[64];
	const char *s;
	size_t		k = 0;
	size_t		uprec = (size_t) prec;
	long		scale;
	int			e;
	char		up[20],
				down[20];
	bool		up_ok = false,
				down_ok = false;
	size_t		i;

	/* correctly rounded: d[.ddd]e[+-]xx */
	snprintf(tmp, sizeof(tmp), "%.*e", prec - 1, v);
	/* take the digits, skipping whatever decimal point the locale uses */
	for (s = tmp; *s != '\0' && *s != 'e' && *s != 'E'; s++)
		if (*s >= '0' && *s <= '9' && k < 19)
			digits[k++] = *s;
	if (*s == '\0' || k != uprec)
		return false;			/* cannot happen with a conforming libc */
	e = atoi(s + 1);
	*exp10 = e;
	scale = (long) e - (long) (k - 1);

	if (digits_to_double(digits, k, scale) == v)
		return true;
	if (!lopsided)
		return false;

	memcpy(up, digits, k);
	for (i = k; i-- > 0;)
	{
		if (up[i] != '9')
		{
			up[i]++;
			up_ok = true;
			break;
		}
		up[i] = '0';
	}
	memcpy(down, digits, k);
	for (i = k; i-- > 0;)
	{
		if (down[i] != '0')
		{
			down[i]--;
			down_ok = down[0] != '0';
			break;
		}
		down[i] = '9';
	}
	if (up_ok && digits_to_double(up, k, scale) == v)
	{
		memcpy(digits, up, k);
		return true;
	}
	if (down_ok && digits_to_double(down, k, scale) == v)
	{
		memcpy(digits, down, k);
		return true;
	}
	return false;
}

/* Significant digits of digits[0..k) once trailing zeros are dropped. */
static size_t
strip_zeros(const char *digits, size_t k)
{
	while (k > 1 && digits[k - 1] == '0')
		k--;
	return k;
}

/*
 * Shortest digits that round-trip to v (> 0, finite), as ECMAScript's
 * Number::toString chooses them: the fewest digits k, and among the k-digit
 * candidates the one closest to v.  Returns k; digits gets the k digits
 * (no trailing zero), *exp10 the exponent of the first digit.
 *
 * Precision 15 is tried first.  If it succeeds, the answer has at most as
 * many digits as that result without its trailing zeros (m), and shorter
 * precisions are tried in increasing order below m.  If it fails, nothing
 * with 15 or fewer digits round-trips (any such decimal is a 15-digit one,
 * and round_trip_digits finds every 15-digit one that does), so 16 and then
 * 17 (which always succeeds) remain.
 */
static size_t
shortest_digits(double v, char digits[20], int *exp10)
{
	int			prec;
	size_t		m;
	int			bexp;
	bool		lopsided;

	/*
	 * The rounding interval is lopsided only at a power of two with a
	 * normal predecessor (2^-1022 and below have uniform spacing).
	 */
	lopsided = frexp(v, &bexp) == 0.5 && bexp > -1021;

	if (round_trip_digits(v, 15, lopsided, digits, exp10))
	{
		char		shorter[20];
		int			se;

		m = strip_zeros(digits, 15);
		for (prec = 1; (size_t) prec < m; prec++)
		{
			if (round_trip_digits(v, prec, lopsided, shorter, &se))
			{
				memcpy(digits, shorter, (size_t) prec);
				*exp10 = se;
				return strip_zeros(digits, (size_t) prec);
			}
		}
		return m;
	}
	for (prec = 16; prec <= 17; prec++)
		if (round_trip_digits(v, prec, lopsided, digits, exp10))
			return strip_zeros(digits, (size_t) prec);

	/* unreachable: 17 significant digits always round-trip */
	digits[0] = '0';
	*exp10 = 0;
	return 1;
}

/*
 * Write the non-zero number [-]0.d[0]d[1]...d[k-1] x 10^n (1 <= k <= 17,
 * d[k-1] != '0') as ECMAScript Number::toString lays out its digits.  buf
 * must hold at least 32 bytes; returns the length.
 */
static size_t
format_decimal(bool neg, const char *d, size_t k, int n, char *buf)
{
	size_t		i,
				o = 0;

	if (neg)
		buf[o++] = '-';
	if ((int) k <= n && n <= 21)
	{
		/* integer: the digits, then n - k zeros */
		memcpy(buf + o, d, k);
		o += k;
		for (i = k; i < (size_t) n; i++)
			buf[o++] = '0';
	}
	else if (0 < n && n <= 21)
	{
		/* the first n digits, '.', the rest */
		size_t		un = (size_t) n;

		memcpy(buf + o, d, un);
		o += un;
		buf[o++] = '.';
		memcpy(buf + o, d + un, k - un);
		o += k - un;
	}
	else if (-6 < n && n <= 0)
	{
		buf[o++] = '0';
		buf[o++] = '.';
		for (i = 0; i < (size_t) (-n); i++)
			buf[o++] = '0';
		memcpy(buf + o, d, k);
		o += k;
	}
	else
	{
		buf[o++] = d[0];
		if (k > 1)
		{
			buf[o++] = '.';
			memcpy(buf + o, d + 1, k - 1);
			o += k - 1;
		}
		o += (size_t) snprintf(buf + o, 32 - o, "e%c%d",
							   n - 1 < 0 ? '-' : '+', abs(n - 1));
	}
	buf[o] = '\0';
	return o;
}

/*
 * Write v (finite) as ECMAScript Number.prototype.toString() does.
 * buf must hold at least 32 bytes; returns the length.
 */
static size_t
format_double(double v, char *buf)
{
	char		d[20];
	int			e;
	size_t		k;

	if (v == 0)
	{
		buf[0] = '0';
		buf[1] = '\0';
		return 1;
	}
	k = shortest_digits(fabs(v), d, &e);
	return format_decimal(v < 0, d, k, e + 1, buf);
}

/* where the parts of a number lie in the input (number_scan) */
typedef struct number_span
{
	size_t		start;
	bool		neg;
	size_t		int_start,
				int_end,
				frac_start,
				frac_end;
	long long	exp;			/* the written exponent, clamped */
} number_span;

/* the grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static bool
number_scan(jparser *p, number_span *n)
{
	const unsigned char *in = p->in;
	size_t		len = p->len;
	size_t		pos = p->pos;

	memset(n, 0, sizeof(*n));
	n->start = p->pos;
	if (in[pos] == '-')
	{
		n->neg = true;
		pos++;
	}
	n->int_start = pos;
	if (pos < len && in[pos] == '0')
	{
		pos++;
		if (pos < len && in[pos] >= '0' && in[pos] <= '9')
		{
			fail(p, "leading zero in number at offset %zu", n->start);
			return false;
		}
	}
	else if (pos < len && in[pos] >= '1' && in[pos] <= '9')
	{
		while (pos < len && in[pos] >= '0' && in[pos] <= '9')
			pos++;
	}
	else
	{
		fail(p, "invalid number at offset %zu: digit expected at offset %zu",
			 n->start, pos);
		return false;
	}
	n->int_end = pos;
	if (pos < len && in[pos] == '.')
	{
		pos++;
		n->frac_start = pos;
		while (pos < len && in[pos] >= '0' && in[pos] <= '9')
			pos++;
		n->frac_end = pos;
		if (n->frac_end == n->frac_start)
		{
			fail(p, "invalid number at offset %zu: digit expected at offset %zu",
				 n->start, pos);
			return false;
		}
	}
	if (pos < len && (in[pos] == 'e' || in[pos] == 'E'))
	{
		bool		eneg = false;
		size_t		estart;

		pos++;
		if (pos < len && (in[pos] == '+' || in[pos] == '-'))
		{
			eneg = in[pos] == '-';
			pos++;
		}
		estart = pos;
		while (pos < len && in[pos] >= '0' && in[pos] <= '9')
		{
			if (n->exp < EXP_CLAMP)
				n->exp = n->exp * 10 + (in[pos] - '0');
			pos++;
		}
		if (pos == estart)
		{
			fail(p, "invalid number at offset %zu: digit expected at offset %zu",
				 n->start, pos);
			return false;
		}
		if (n->exp > EXP_CLAMP)
			n->exp = EXP_CLAMP;
		if (eneg)
			n->exp = -n->exp;
	}
	p->pos = pos;
	return true;
}

/*
 * The value is digits x 10^exp10, where digits are the significant
 * digits (at most MAX_SIG_DIGITS kept, in p->str) and exp10 starts at
 * the written exponent, goes up by one for every integer digit dropped
 * and down by one for every fraction digit kept or skipped as a leading
 * zero.  |exp10| stays below EXP_CLAMP + input length.  *sticky: a
 * non-zero digit was dropped; *kept_out the digits kept.
 */
static bool
number_digits(jparser *p, const number_span *n, size_t *kept_out, long long *exp10_out,
			  bool *sticky_out)
{
	const unsigned char *in = p->in;
	long long	exp10 = n->exp;
	size_t		kept = 0;
	bool		sticky = false;
	size_t		i;

	p->str.len = 0;
	if (!jbuf_reserve(p, &p->str, MAX_SIG_DIGITS + 1))
		return false;
	for (i = n->int_start; i < n->int_end; i++)
	{
		char		c = (char) in[i];

		if (kept == 0 && c == '0')
			continue;
		if (kept < MAX_SIG_DIGITS)
			p->str.data[kept++] = c;
		else
		{
			exp10++;
			if (c != '0')
				sticky = true;
		}
	}
	for (i = n->frac_start; i < n->frac_end; i++)
	{
		char		c = (char) in[i];

		if (kept == 0 && c == '0')
			exp10--;
		else if (kept < MAX_SIG_DIGITS)
		{
			p->str.data[kept++] = c;
			exp10--;
		}
		else if (c != '0')
			sticky = true;
	}
	if (sticky)
	{
		/* stands in for the dropped non-zero tail */
		p->str.data[kept++] = '1';
		exp10--;
	}
	else
	{
		while (kept > 0 && p->str.data[kept - 1] == '0')
		{
			kept--;
			exp10++;
		}
	}
	*kept_out = kept;
	*exp10_out = exp10;
	*sticky_out = sticky;
	return true;
}

/* the double of the digits kept (a finite value, or an error) */
static bool
number_value(jparser *p, const number_span *n, size_t kept, long long exp10, double *out)
{
	double		v;

	if (kept == 0)
		v = 0.0;
	else
	{
		/* decimal exponent of the first digit */
		long long	lead = exp10 + (long long) kept - 1;

		if (lead > 400)
		{
			fail(p, "number out of range at offset %zu", n->start);
			return false;
		}
		if (lead < -400)
			v = 0.0;			/* below half the smallest subnormal */
		else
		{
			v = digits_to_double(p->str.data, kept, (long) exp10);
			if (!isfinite(v))
			{
				fail(p, "number out of range at offset %zu", n->start);
				return false;
			}
		}
	}
	*out = n->neg ? -v : v;
	return true;
}

/* Parse the number at p->pos and write its canonical form. */
static bool
parse_number(jparser *p)
{
	number_span n;
	size_t		kept;
	long long	exp10;
	bool		sticky;
	double		v;
	char		nbuf[32];
	size_t		nlen;

	if (!number_scan(p, &n) || !number_digits(p, &n, &kept, &exp10, &sticky) ||
		!number_value(p, &n, kept, exp10, &v))
		return false;

	/*
	 * Fast path: a normal double read from at most DBL_DIG (15) significant
	 * digits.  Two different decimals of at most 15 digits never round to
	 * the same normal double, so no shorter decimal round-trips, nor any
	 * other of the same length: the written digits (without trailing
	 * zeros) are exactly the shortest round-trip digits.
	 */
	if (kept > 0 && kept <= 15 && !sticky && fabs(v) >= DBL_MIN)
		nlen = format_decimal(n.neg, p->str.data, kept, (int) (exp10 + (long long) kept), nbuf);
	else
		nlen = format_double(v, nbuf);
	return jbuf_put(p, &p->out, nbuf, nlen);
}

/* ------------------------------------------------------------------------
 * Values
 * ------------------------------------------------------------------------ */

static bool parse_value(jparser *p, int depth);

int
json_canon_name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t		n = alen < blen ? alen : blen;
	int			c = n ? memcmp(a, b, n) : 0;

	if (c != 0)
		return c;
	if (alen != blen)
		return alen < blen ? -1 : 1;
	return 0;
}

static int
member_cmp(const jparser *p, const jmember *a, const jmember *b)
{
	return json_canon_name_cmp(p->names.data + a->name_off, a->name_len,
							   p->names.data + b->name_off, b->name_len);
}

/* Stable merge sort of m[0..n) by name, using tmp[0..n). */
static void
sort_members(const jparser *p, jmember *m, jmember *tmp, size_t n)
{
	size_t		width,
				i;

	for (width = 1; width < n; width *= 2)
	{
		for (i = 0; i < n; i += 2 * width)
		{
			size_t		lo = i,
						mid = i + width < n ? i + width : n,
						hi = i + 2 * width < n ? i + 2 * width : n;
			size_t		a = lo,
						b = mid,
						o = lo;

			while (a < mid && b < hi)
			{
				if (member_cmp(p, &m[b], &m[a]) < 0)
					tmp[o++] = m[b++];
				else
					tmp[o++] = m[a++];
			}
			while (a < mid)
				tmp[o++] = m[a++];
			while (b < hi)
				tmp[o++] = m[b++];
		}
		memcpy(m, tmp, n * sizeof(jmember));
		if (width > SIZE_MAX / 4)
			break;
	}
}

/* Write a short printable rendering of a member name for messages. */
static void
name_preview(const char *s, size_t n, char *dst, size_t dstlen)
{
	static const char hex[] = "0123456789abcdef";
	size_t		o = 0,
				i = 0;

	while (i < n)
	{
		unsigned char c = (unsigned char) s[i];
		size_t		clen = 1;
		char		rep[8];
		size_t		rlen;

		if (c >= 0xF0)
			clen = 4;
		else if (c >= 0xE0)
			clen = 3;
		else if (c >= 0xC0)
			clen = 2;
		if (clen > n - i)
			clen = n - i;
		if (c < 0x20 || c == '"' || c == '\\' || c == 0x7F)
		{
			rep[0] = '\\';
			if (c == '"' || c == '\\')
			{
				rep[1] = (char) c;
				rlen = 2;
			}
			else
			{
				rep[1] = 'u';
				rep[2] = '0';
				rep[3] = '0';
				rep[4] = hex[c >> 4];
				rep[5] = hex[c & 0xF];
				rlen = 6;
			}
		}
		else
		{
			memcpy(rep, s + i, clen);
			rlen = clen;
		}
		if (o + rlen + 4 > dstlen)
		{
			memcpy(dst + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(dst + o, rep, rlen);
		o += rlen;
		i += clen;
	}
	dst[o] = '\0';
}

/*
 * Members first..nmembers-1 belong to the object whose body (after '{')
 * starts at out offset body; put them in canonical order.
 */
static bool
finish_object(jparser *p, size_t first, size_t body)
{
	jmember    *m = p->members + first;
	size_t		n = p->nmembers - first;
	size_t		i,
				w;
	bool		sorted = true;

	for (i = 1; i < n; i++)
	{
		if (member_cmp(p, &m[i - 1], &m[i]) >= 0)
		{
			sorted = false;
			break;
		}
	}
	if (sorted)
		return true;

	if (!members_reserve(p, &p->sort_tmp, &p->sort_tmp_cap, n))
		return false;
	sort_members(p, m, p->sort_tmp, n);

	/* equal names are adjacent now, in input order: report the earliest repeat */
	{
		const jmember *dup = NULL;

		for (i = 1; i < n; i++)
			if (member_cmp(p, &m[i - 1], &m[i]) == 0 &&
				(dup == NULL || m[i].in_off < dup->in_off))
				dup = &m[i];
		if (dup != NULL)
		{
			char		preview[80];

			name_preview(p->names.data + dup->name_off, dup->name_len,
						 preview, sizeof(preview));
			fail(p, "duplicate key \"%s\" at offset %zu", preview, dup->in_off);
			return false;
		}
	}

	/* rewrite the body in sorted order; its length does not change */
	p->move.len = 0;
	if (!jbuf_put(p, &p->move, p->out.data + body, p->out.len - body))
		return false;
	w = body;
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			p->out.data[w++] = ',';
		memcpy(p->out.data + w, p->move.data + (m[i].span_off - body),
			   m[i].span_len);
		w += m[i].span_len;
	}
	return true;
}

static bool
parse_object(jparser *p, int depth)
{
	size_t		first = p->nmembers;
	size_t		names_mark = p->names.len;
	size_t		body;
	bool		ok;

	p->pos++;					/* '{' */
	if (!jbuf_putc(p, &p->out, '{'))
		return false;
	body = p->out.len;
	skip_ws(p);
	if (p->pos < p->len && p->in[p->pos] == '}')
	{
		p->pos++;
		return jbuf_putc(p, &p->out, '}');
	}
	for (;;)
	{
		jmember		mem;

		skip_ws(p);
		if (p->pos >= p->len || p->in[p->pos] != '"')
		{
			fail_unexpected(p, "string (object key)");
			return false;
		}
		mem.in_off = p->pos;
		mem.name_off = p->names.len;
		if (!parse_string(p, &p->names))
			return false;
		mem.name_len = p->names.len - mem.name_off;
		mem.span_off = p->out.len;
		if (!emit_string(p, p->names.data + mem.name_off, mem.name_len))
			return false;
		skip_ws(p);
		if (p->pos >= p->len || p->in[p->pos] != ':')
		{
			fail_unexpected(p, "':'");
			return false;
		}
		p->pos++;
		if (!jbuf_putc(p, &p->out, ':'))
			return false;
		if (!parse_value(p, depth))
			return false;
		mem.span_len = p->out.len - mem.span_off;
		if (!members_reserve(p, &p->members, &p->members_cap, p->nmembers + 1))
			return false;
		p->members[p->nmembers++] = mem;

		skip_ws(p);
		if (p->pos < p->len && p->in[p->pos] == ',')
		{
			p->pos++;
			if (!jbuf_putc(p, &p->out, ','))
				return false;
			continue;
		}
		if (p->pos < p->len && p->in[p->pos] == '}')
		{
			p->pos++;
			break;
		}
		fail_unexpected(p, "',' or '}'");
		return false;
	}
	ok = finish_object(p, first, body);
	p->nmembers = first;
	p->names.len = names_mark;
	if (!ok)
		return false;
	return jbuf_putc(p, &p->out, '}');
}

static bool
parse_array(jparser *p, int depth)
{
	p->pos++;					/* '[' */
	if (!jbuf_putc(p, &p->out, '['))
		return false;
	skip_ws(p);
	if (p->pos < p->len && p->in[p->pos] == ']')
	{
		p->pos++;
		return jbuf_putc(p, &p->out, ']');
	}
	for (;;)
	{
		if (!parse_value(p, depth))
			return false;
		skip_ws(p);
		if (p->pos < p->len && p->in[p->pos] == ',')
		{
			p->pos++;
			if (!jbuf_putc(p, &p->out, ','))
				return false;
			continue;
		}
		if (p->pos < p->len && p->in[p->pos] == ']')
		{
			p->pos++;
			return jbuf_putc(p, &p->out, ']');
		}
		fail_unexpected(p, "',' or ']'");
		return false;
	}
}

static bool
parse_literal(jparser *p, const char *word)
{
	size_t		n = strlen(word);

	if (p->len - p->pos < n || memcmp(p->in + p->pos, word, n) != 0)
	{
		fail(p, "invalid literal at offset %zu, expected \"%s\"", p->pos, word);
		return false;
	}
	p->pos += n;
	return jbuf_put(p, &p->out, word, n);
}

/* depth: number of arrays/objects enclosing this value */
static bool
parse_value(jparser *p, int depth)
{
	unsigned char c;

	skip_ws(p);
	if (p->pos >= p->len)
	{
		fail_unexpected(p, "a value");
		return false;
	}
	c = p->in[p->pos];
	switch (c)
	{
		case '{':
		case '[':
			if (depth >= JSON_CANON_MAX_DEPTH)
			{
				fail(p, "nesting deeper than %d levels at offset %zu",
					 JSON_CANON_MAX_DEPTH, p->pos);
				return false;
			}
			return c == '{' ? parse_object(p, depth + 1) : parse_array(p, depth + 1);
		case '"':
			{
				p->str.len = 0;
				if (!parse_string(p, &p->str))
					return false;
				return emit_string(p, p->str.data, p->str.len);
			}
		case 't':
			return parse_literal(p, "true");
		case 'f':
			return parse_literal(p, "false");
		case 'n':
			return parse_literal(p, "null");
		default:
			if (c == '-' || (c >= '0' && c <= '9'))
				return parse_number(p);
			fail_unexpected(p, "a value");
			return false;
	}
}

/* ------------------------------------------------------------------------
 * Entry points
 * ------------------------------------------------------------------------ */

bool
json_canonicalize(const char *in, size_t inlen, char **out, size_t *outlen,
				  char *err, size_t errlen)
{
	jparser		p;
	bool		ok;

	memset(&p, 0, sizeof(p));
	p.in = (const unsigned char *) (in != NULL ? in : "");
	p.len = in != NULL ? inlen : 0;
	p.err = err;
	p.errlen = errlen;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (out != NULL)
		*out = NULL;
	if (outlen != NULL)
		*outlen = 0;

	ok = parse_value(&p, 0);
	if (ok)
	{
		skip_ws(&p);
		if (p.pos < p.len)
		{
			fail_unexpected(&p, "end of input");
			ok = false;
		}
	}
	/* make sure the output exists (and is NUL-terminated) */
	if (ok)
		ok = jbuf_reserve(&p, &p.out, 0);

	jbuf_free(&p.names);
	jbuf_free(&p.str);
	jbuf_free(&p.move);
	if (p.members != NULL)
		jc_free(p.members);
	if (p.sort_tmp != NULL)
		jc_free(p.sort_tmp);

	if (!ok || out == NULL)
	{
		jbuf_free(&p.out);
		return ok;
	}
	p.out.data[p.out.len] = '\0';
	*out = p.out.data;
	if (outlen != NULL)
		*outlen = p.out.len;
	return true;
}

bool
json_is_canonical(const char *in, size_t inlen)
{
	char	   *canon;
	size_t		clen;
	bool		same;

	if (!json_canonicalize(in, inlen, &canon, &clen, NULL, 0))
		return false;
	same = clen == inlen && memcmp(canon, in, inlen) == 0;
	jc_free(canon);
	return same;
}
