/*
 * test_json_canon.c: unit tests of src/json_canon_core.c (TAP output).
 *
 *   gcc -std=gnu99 -Wall -Wextra -Werror -Isrc test/unit/test_json_canon.c \
 *       src/json_canon_core.c -lm -o /tmp/t && /tmp/t
 *
 * Expected values: RFC 8785 (section 3.2.2/3.2.3 examples, the Appendix B
 * number table), the cyberphone/json-canonicalization test data (member
 * order adjusted where our code-point rule differs from UTF-16 order), and
 * ECMAScript Number.prototype.toString results.
 */
#include "json_canon.h"
#include "tap.h"

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Print s[0..n) as a C-ish literal for diagnostics. */
static void
diag_bytes(const char *label, const char *s, size_t n)
{
	size_t		i;

	printf("#   %s: \"", label);
	for (i = 0; i < n; i++)
	{
		unsigned char c = (unsigned char) s[i];

		if (c < 0x20 || c == 0x7F)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	printf("\" (%zu bytes)\n", n);
}

/*
 * Canonicalize in[0..inlen) and compare with expected; also check that the
 * output is a fixed point (canonical(canonical(x)) == canonical(x)) and that
 * json_is_canonical agrees.
 */
static void
check_n(const char *in, size_t inlen, const char *expected, const char *desc)
{
	char	   *out = NULL,
			   *out2 = NULL;
	size_t		outlen = 0,
				out2len = 0;
	char		err[JSON_CANON_ERRLEN];
	char		d2[300];
	int			good;

	good = json_canonicalize(in, inlen, &out, &outlen, err, sizeof(err));
	if (good)
		good = outlen == strlen(expected) && memcmp(out, expected, outlen) == 0 &&
			out[outlen] == '\0';
	ok(good, "%s", desc);
	if (!good)
	{
		diag_bytes("input", in, inlen);
		if (out != NULL)
			diag_bytes("got", out, outlen);
		else
			printf("#   error: %s\n", err);
		diag_bytes("expected", expected, strlen(expected));
	}
	snprintf(d2, sizeof(d2), "%s (idempotent)", desc);
	good = json_canonicalize(expected, strlen(expected), &out2, &out2len,
							 err, sizeof(err)) &&
		out2len == strlen(expected) && memcmp(out2, expected, out2len) == 0 &&
		json_is_canonical(expected, strlen(expected));
	ok(good, "%s", d2);
	free(out);
	free(out2);
}

static void
check(const char *in, const char *expected, const char *desc)
{
	check_n(in, strlen(in), expected, desc);
}

/* Canonicalization must fail with exactly this message. */
static void
check_err_n(const char *in, size_t inlen, const char *expected, const char *desc)
{
	char	   *out = (char *) "sentinel";
	size_t		outlen = 99;
	char		err[JSON_CANON_ERRLEN];
	bool		r;
	int			good;

	memset(err, 'x', sizeof(err));
	r = json_canonicalize(in, inlen, &out, &outlen, err, sizeof(err));
	good = !r && out == NULL && outlen == 0 && strcmp(err, expected) == 0 &&
		!json_is_canonical(in, inlen);
	ok(good, "%s", desc);
	if (!good)
	{
		diag_bytes("input", in, inlen);
		if (r)
		{
			diag_bytes("unexpectedly got", out, outlen);
			free(out);
		}
		else
			printf("#   error:    %s\n#   expected: %s\n", err, expected);
	}
}

static void
check_err(const char *in, const char *expected, const char *desc)
{
	check_err_n(in, strlen(in), expected, desc);
}

static double
from_bits(uint64_t bits)
{
	double		d;

	memcpy(&d, &bits, sizeof(d));
	return d;
}

/*
 * The double with these bits, written with 17 significant digits (which
 * round-trips), must canonicalize to expected.
 */
static void
check_bits(uint64_t bits, const char *expected)
{
	char		in[64];
	char		desc[128];

	snprintf(in, sizeof(in), "%.17e", from_bits(bits));
	snprintf(desc, sizeof(desc), "number %016llx -> %s",
			 (unsigned long long) bits, expected);
	check(in, expected, desc);
}

/* --- counting allocator ------------------------------------------------ */

static long live_blocks = 0;
static long alloc_budget = -1;	/* < 0: unlimited */

static void *
count_alloc(size_t n)
{
	void	   *p;

	if (n == 0)
	{
		fprintf(stderr, "# zero-byte allocation requested\n");
		abort();
	}
	if (alloc_budget == 0)
		return NULL;
	if (alloc_budget > 0)
		alloc_budget--;
	p = malloc(n);
	if (p != NULL)
		live_blocks++;
	return p;
}

static void *
count_realloc(void *old, size_t n)
{
	if (old == NULL || n == 0)
	{
		fprintf(stderr, "# realloc(NULL) or realloc(, 0) requested\n");
		abort();
	}
	if (alloc_budget == 0)
		return NULL;
	if (alloc_budget > 0)
		alloc_budget--;
	return realloc(old, n);
}

static void
count_free(void *p)
{
	if (p == NULL)
	{
		fprintf(stderr, "# free(NULL) requested\n");
		abort();
	}
	live_blocks--;
	free(p);
}


/* RFC 8785 Appendix B: IEEE 754 bit patterns and their serialization. */
static const struct
{
	uint64_t	bits;
	const char *text;
}			appendix_b[] =
{
	{0x0000000000000000ULL, "0"},
	{0x8000000000000000ULL, "0"},
	{0x0000000000000001ULL, "5e-324"},
	{0x8000000000000001ULL, "-5e-324"},
	{0x7fefffffffffffffULL, "1.7976931348623157e+308"},
	{0xffefffffffffffffULL, "-1.7976931348623157e+308"},
	{0x4340000000000000ULL, "9007199254740992"},
	{0xc340000000000000ULL, "-9007199254740992"},
	{0x4430000000000000ULL, "295147905179352830000"},
	{0x44b52d02c7e14af5ULL, "9.999999999999997e+22"},
	{0x44b52d02c7e14af6ULL, "1e+23"},
	{0x44b52d02c7e14af7ULL, "1.0000000000000001e+23"},
	{0x444b1ae4d6e2ef4eULL, "999999999999999700000"},
	{0x444b1ae4d6e2ef4fULL, "999999999999999900000"},
	{0x444b1ae4d6e2ef50ULL, "1e+21"},
	{0x3eb0c6f7a0b5ed8cULL, "9.999999999999997e-7"},
	{0x3eb0c6f7a0b5ed8dULL, "0.000001"},
	{0x41b3de4355555553ULL, "333333333.3333332"},
	{0x41b3de4355555554ULL, "333333333.33333325"},
	{0x41b3de4355555555ULL, "333333333.3333333"},
	{0x41b3de4355555556ULL, "333333333.3333334"},
	{0x41b3de4355555557ULL, "333333333.33333343"},
	{0xbecbf647612f3696ULL, "-0.0000033333333333333333"},
	{0x43143ff3c1cb0959ULL, "1424953923781206.2"},
	/* cyberphone es6testfile corner lines */
	{0x4340000000000001ULL, "9007199254740994"},
	{0x4340000000000002ULL, "9007199254740996"},
	{0x0010000000000000ULL, "2.2250738585072014e-308"},
	{0x000fffffffffffffULL, "2.225073858507201e-308"},
	/*
	 * Powers of two whose closest 16-digit decimal does not round-trip but
	 * the next one up does (lopsided rounding interval): a plain "%.*e"
	 * search would give 17 digits here.
	 */
	{0x0060000000000000ULL, "7.120236347223045e-307"},	/* 2^-1017 */
	{0x4580000000000000ULL, "6.189700196426902e+26"},	/* 2^89 */
	{0x3d30000000000000ULL, "5.684341886080802e-14"},	/* 2^-44 */
	{0x3e70000000000000ULL, "5.960464477539063e-8"},	/* 2^-24 */
};

/* Decimal text in, ECMAScript text out. */
static const struct
{
	const char *in;
	const char *out;
}			numbers[] =
{
	{"0", "0"},
	{"-0", "0"},
	{"-0.0e-5", "0"},
	{"0e999999999999999999999", "0"},
	{"1", "1"},
	{"-1", "-1"},
	{"1E2", "100"},
	{"1e+2", "100"},
	{"100e-2", "1"},
	{"1.0", "1"},
	{"1.50", "1.5"},
	{"4.50", "4.5"},
	{"2e-3", "0.002"},
	{"1E30", "1e+30"},
	{"0.000000000000000000000000001", "1e-27"},
	{"333333333.33333329", "333333333.3333333"},
	{"1e21", "1e+21"},
	{"1e20", "100000000000000000000"},
	{"123456789012345678901", "123456789012345680000"},
	{"1.2345678901234568e20", "123456789012345680000"},
	{"1.2345678901234568e21", "1.2345678901234568e+21"},
	{"1e-7", "1e-7"},
	{"1.5e-7", "1.5e-7"},
	{"0.000001", "0.000001"},
	{"0.0000012345", "0.0000012345"},
	{"0.1", "0.1"},
	{"0.30000000000000004", "0.30000000000000004"},
	{"123.456", "123.456"},
	{"-123.456e3", "-123456"},
	{"9007199254740993", "9007199254740992"},
	{"1.7976931348623157e308", "1.7976931348623157e+308"},
	{"1.7976931348623158e308", "1.7976931348623157e+308"},
	{"4.9e-324", "5e-324"},
	{"2.4703282292062328e-324", "5e-324"},
	{"2.4703282292062327e-324", "0"},
	{"-2.4703282292062327e-324", "0"},
	{"1e-400", "0"},
	{"1e-99999999999999999999999", "0"},
	{"0.00000000000000000000000000000000000000000000000000000000000000001e65", "1"},
	{"1000000000000000000000000000000e-30", "1"},
	/* more than 800 significant digits: the dropped tail still rounds */
	{"9007199254740993"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"1e-801", "9007199254740994"},
	{"9007199254740993"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"0e-801", "9007199254740992"},
	{"0.9007199254740993"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"00000000000000000000000000000000000000000000000000000000000000000000000000000000"
		"1e16", "9007199254740994"},
};

static void
test_numbers(void)
{
	size_t		i;
	char		desc[200];

	for (i = 0; i < sizeof(appendix_b) / sizeof(appendix_b[0]); i++)
		check_bits(appendix_b[i].bits, appendix_b[i].text);

	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
	{
		snprintf(desc, sizeof(desc), "number %.40s%s -> %s", numbers[i].in,
				 strlen(numbers[i].in) > 40 ? "..." : "", numbers[i].out);
		check(numbers[i].in, numbers[i].out, desc);
	}

	/* every power of two and every power of ten is its own fixed point */
	{
		int			e,
					bad = 0;

		for (e = -1074; e <= 1023 && bad < 3; e++)
		{
			char		in[64];
			char	   *out;
			size_t		outlen;
			char		err[JSON_CANON_ERRLEN];

			snprintf(in, sizeof(in), "%.17e", ldexp(1.0, e));
			if (!json_canonicalize(in, strlen(in), &out, &outlen, err, sizeof(err)))
			{
				bad++;
				continue;
			}
			if (strtod(out, NULL) != ldexp(1.0, e) || !json_is_canonical(out, outlen))
			{
				printf("# 2^%d: %s\n", e, out);
				bad++;
			}
			free(out);
		}
		ok(bad == 0, "powers of two round-trip and are fixed points");
	}

	/*
	 * Pseudo-random doubles written with 17, 16 and 15 digits: the output
	 * reads back as the same double (or, for fewer digits, as what the
	 * input reads as) and is a fixed point.
	 */
	{
		uint64_t	state = 0x243F6A8885A308D3ULL;
		int			n,
					bad = 0;

		for (n = 0; n < 30000 && bad < 3; n++)
		{
			uint64_t	bits;
			double		v,
						want;
			char		in[64];
			char	   *out;
			size_t		outlen;
			char		err[JSON_CANON_ERRLEN];
			int			prec = 17 - n % 3;

			state = state * 6364136223846793005ULL + 1442695040888963407ULL;
			bits = state ^ (state >> 29);
			if (n % 5 == 0)
				bits &= 0x800FFFFFFFFFFFFFULL;	/* subnormals */
			v = from_bits(bits);
			if (!isfinite(v))
				continue;
			snprintf(in, sizeof(in), "%.*e", prec - 1, v);
			want = strtod(in, NULL);
			if (!json_canonicalize(in, strlen(in), &out, &outlen, err, sizeof(err)))
			{
				printf("# %s: %s\n", in, err);
				bad++;
				continue;
			}
			if (strtod(out, NULL) != want || !json_is_canonical(out, outlen))
			{
				printf("# %s -> %s\n", in, out);
				bad++;
			}
			free(out);
		}
		ok(bad == 0, "30000 pseudo-random doubles read back and are fixed points");
	}
}

static void
test_locale(void)
{
	static const char *const names[] = {
		"de_DE.UTF-8", "de_DE.utf8", "fr_FR.UTF-8", "fr_FR.utf8", "ru_RU.UTF-8",
		"nl_NL.UTF-8", "de_DE", "fr_FR"
	};
	size_t		i;
	const char *got = NULL;

	for (i = 0; i < sizeof(names) / sizeof(names[0]) && got == NULL; i++)
		got = setlocale(LC_NUMERIC, names[i]);
	if (got == NULL || strcmp(localeconv()->decimal_point, ".") == 0)
	{
		setlocale(LC_NUMERIC, "C");
		tap_n++;
		printf("ok %d # SKIP no locale with a decimal comma installed\n", tap_n);
		tap_n++;
		printf("ok %d # SKIP no locale with a decimal comma installed\n", tap_n);
		tap_n++;
		printf("ok %d # SKIP no locale with a decimal comma installed\n", tap_n);
		return;
	}
	printf("# LC_NUMERIC=%s decimal_point=\"%s\"\n", got, localeconv()->decimal_point);
	/* check_n would print inputs with %.17e, so use literal inputs here */
	check("[1.5,333333333.33333329,1e-7,0.000001,-2.5e30]",
		  "[1.5,333333333.3333333,1e-7,0.000001,-2.5e+30]",
		  "numbers under a decimal-comma LC_NUMERIC");
	{
		int			bad = 0;

		for (i = 0; i < sizeof(appendix_b) / sizeof(appendix_b[0]); i++)
		{
			char	   *out;
			size_t		outlen;
			char		err[JSON_CANON_ERRLEN];
			const char *t = appendix_b[i].text;

			/* "-0" is the input for the minus-zero row */
			if (i == 1)
				t = "-0";
			if (!json_canonicalize(t, strlen(t), &out, &outlen, err, sizeof(err)))
			{
				bad++;
				continue;
			}
			if (strcmp(out, appendix_b[i].text) != 0)
			{
				printf("# %s -> %s\n", t, out);
				bad++;
			}
			free(out);
		}
		ok(bad == 0, "appendix b texts are fixed points under a decimal-comma LC_NUMERIC");
	}
	setlocale(LC_NUMERIC, "C");
}

static void
test_rfc8785(void)
{
	/* RFC 8785 section 3.2.2 example, also cyberphone testdata/values.json */
	check("{\n"
		  "  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
		  "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
		  "  \"literals\": [null, true, false]\n"
		  "}",
		  "{\"literals\":[null,true,false],"
		  "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
		  "\"string\":\"\xe2\x82\xac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}",
		  "rfc 8785 3.2.2 example");

	/*
	 * RFC 8785 section 3.2.3 sorting example.  RFC 8785 (UTF-16 order) puts
	 * U+1F600 before U+FB33; our spec sorts by code point, so U+FB33 first.
	 */
	check("{\n"
		  "  \"\\u20ac\": \"Euro Sign\",\n"
		  "  \"\\r\": \"Carriage Return\",\n"
		  "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
		  "  \"1\": \"One\",\n"
		  "  \"\\ud83d\\ude00\": \"Emoji: Grinning Face\",\n"
		  "  \"\\u0080\": \"Control\",\n"
		  "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\"\n"
		  "}",
		  "{\"\\r\":\"Carriage Return\","
		  "\"1\":\"One\","
		  "\"\xc2\x80\":\"Control\","
		  "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
		  "\"\xe2\x82\xac\":\"Euro Sign\","
		  "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\","
		  "\"\xf0\x9f\x98\x80\":\"Emoji: Grinning Face\"}",
		  "rfc 8785 3.2.3 sorting example, by code point");

	/* cyberphone testdata/structures.json */
	check("{\n"
		  "  \"1\": {\"f\": {\"f\": \"hi\",\"F\": 5} ,\"\\n\": 56.0},\n"
		  "  \"10\": { },\n"
		  "  \"\": \"empty\",\n"
		  "  \"a\": { },\n"
		  "  \"111\": [ { } ],\n"
		  "  \"A\": { }\n"
		  "}",
		  "{\"\":\"empty\",\"1\":{\"\\n\":56,\"f\":{\"F\":5,\"f\":\"hi\"}},"
		  "\"10\":{},\"111\":[{}],\"A\":{},\"a\":{}}",
		  "cyberphone structures.json");

	/* cyberphone testdata/arrays.json */
	check("[\n  56,\n  {\n    \"d\": true,\n    \"10\": null,\n    \"1\": [ ]\n  }\n]",
		  "[56,{\"1\":[],\"10\":null,\"d\":true}]",
		  "cyberphone arrays.json");

	/* cyberphone testdata/french.json: no locale collation */
	check("{\n  \"peach\": \"This sorting order\",\n"
		  "  \"p\xc3\xa9\x63h\xc3\xa9\": \"is wrong according to French\",\n"
		  "  \"p\xc3\xaa\x63he\": \"but canonicalization MUST\",\n"
		  "  \"sin\":   \"ingnore locale\"\n}\n",
		  "{\"peach\":\"This sorting order\","
		  "\"p\xc3\xa9\x63h\xc3\xa9\":\"is wrong according to French\","
		  "\"p\xc3\xaa\x63he\":\"but canonicalization MUST\","
		  "\"sin\":\"ingnore locale\"}",
		  "cyberphone french.json");

	/* cyberphone testdata/unicode.json: no normalization */
	check("{\n  \"Unnormalized Unicode\":\"\\u1e0d\\u0307\"\n}\n",
		  "{\"Unnormalized Unicode\":\"\xe1\xb8\x8d\xcc\x87\"}",
		  "cyberphone unicode.json, not normalized");

	/* cyberphone testdata/weird.json, in code-point order */
	check("{\n"
		  "  \"\\u20ac\": \"Euro Sign\",\n"
		  "  \"1\": \"One\",\n"
		  "  \"\\u0080\": \"Control\\u007f\",\n"
		  "  \"\\ud83d\\ude02\": \"Smiley\",\n"
		  "  \"\\u00f6\": \"Latin Small Letter O With Diaeresis\",\n"
		  "  \"\\ufb33\": \"Hebrew Letter Dalet With Dagesh\",\n"
		  "  \"</script>\": \"Browser Challenge\"\n"
		  "}\n",
		  "{\"1\":\"One\",\"</script>\":\"Browser Challenge\","
		  "\"\xc2\x80\":\"Control\x7f\","
		  "\"\xc3\xb6\":\"Latin Small Letter O With Diaeresis\","
		  "\"\xe2\x82\xac\":\"Euro Sign\","
		  "\"\xef\xac\xb3\":\"Hebrew Letter Dalet With Dagesh\","
		  "\"\xf0\x9f\x98\x82\":\"Smiley\"}",
		  "cyberphone weird.json, code-point order");
}

static void
test_structure(void)
{
	check("null", "null", "top-level null");
	check(" true ", "true", "top-level true with blanks");
	check("false", "false", "top-level false");
	check("\"\"", "\"\"", "empty string");
	check("42", "42", "top-level number");
	check("[]", "[]", "empty array");
	check("{}", "{}", "empty object");
	check(" \t\r\n[ \t\r\n1 \t\r\n, \t\r\n{ \t\r\n\"a\" \t\r\n: \t\r\n2 \t\r\n} \t\r\n] \t\r\n",
		  "[1,{\"a\":2}]", "all four blanks between every token");
	check("{\"b\":[{\"z\":1,\"y\":2}],\"a\":{\"d\":{\"f\":1,\"e\":2},\"c\":3}}",
		  "{\"a\":{\"c\":3,\"d\":{\"e\":2,\"f\":1}},\"b\":[{\"y\":2,\"z\":1}]}",
		  "nested objects sorted at every level");
	check("[3,1,2]", "[3,1,2]", "arrays keep their order");
	check("{\"aa\":1,\"a\":2,\"\":3,\"a\\u0000\":4,\"ab\":5}",
		  "{\"\":3,\"a\":2,\"a\\u0000\":4,\"aa\":1,\"ab\":5}",
		  "prefixes sort first, embedded nul compared as a byte");
	check("{\"B\":1,\"a\":2,\"_\":3,\"~\":4,\"\\u007f\":5}",
		  "{\"B\":1,\"_\":3,\"a\":2,\"~\":4,\"\x7f\":5}",
		  "ascii keys sort by byte");
	check("{\"\\ud800\\udc00\":1,\"\\uffff\":2,\"\\ue000\":3}",
		  "{\"\xee\x80\x80\":3,\"\xef\xbf\xbf\":2,\"\xf0\x90\x80\x80\":1}",
		  "supplementary key after U+FFFF (code-point order, not UTF-16)");
	{
		/* 300 members in reverse order */
		char		in[8000],
					exp[8000];
		size_t		o = 0,
					x = 0;
		int			i;

		in[o++] = '{';
		exp[x++] = '{';
		for (i = 299; i >= 0; i--)
			o += (size_t) snprintf(in + o, sizeof(in) - o, "%s\"k%03d\":%d",
								   i == 299 ? "" : ",", i, i);
		for (i = 0; i < 300; i++)
			x += (size_t) snprintf(exp + x, sizeof(exp) - x, "%s\"k%03d\":%d",
								   i == 0 ? "" : ",", i, i);
		in[o++] = '}';
		in[o] = '\0';
		exp[x++] = '}';
		exp[x] = '\0';
		check(in, exp, "300 members in reverse order");
	}
	{
		/* nesting: exactly the limit is fine */
		char		in[2 * JSON_CANON_MAX_DEPTH + 40];
		int			i;

		for (i = 0; i < JSON_CANON_MAX_DEPTH; i++)
			in[i] = '[';
		for (i = 0; i < JSON_CANON_MAX_DEPTH; i++)
			in[JSON_CANON_MAX_DEPTH + i] = ']';
		in[2 * JSON_CANON_MAX_DEPTH] = '\0';
		check(in, in, "256 nested arrays");
	}
}

static void
test_strings(void)
{
	check("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", "\"\\\"\\\\/\\b\\f\\n\\r\\t\"",
		  "two-character escapes; \\/ becomes /");
	check("\"\\u0041\\u00e9\\u00E9\\u4e2D\\uD83D\\uDE02\"",
		  "\"A\xc3\xa9\xc3\xa9\xe4\xb8\xad\xf0\x9f\x98\x82\"",
		  "\\u escapes decoded, either hex case, surrogate pair");
	check("\"\\u2028\\u2029\xe2\x80\xa8\"", "\"\xe2\x80\xa8\xe2\x80\xa9\xe2\x80\xa8\"",
		  "u+2028 and u+2029 literal");
	check("\"\\u007f\x7f<>&'\"", "\"\x7f\x7f<>&'\"", "del and html characters literal");
	check("\"\\uffff\\ufffe\xef\xbf\xbf\"", "\"\xef\xbf\xbf\xef\xbf\xbe\xef\xbf\xbf\"",
		  "noncharacters pass");
	check("\"\xf4\x8f\xbf\xbf\\udbff\\udfff\"",
		  "\"\xf4\x8f\xbf\xbf\xf4\x8f\xbf\xbf\"", "u+10ffff raw and escaped");
	check("\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xf0\x90\x80\x80\"",
		  "\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\xf0\x90\x80\x80\"",
		  "utf-8 boundary sequences pass");
	check_n("\"\\u0000\"", 8, "\"\\u0000\"", "escaped nul");

	/* every control character, escaped in the input */
	{
		static const char *const canon[32] = {
			"\\u0000", "\\u0001", "\\u0002", "\\u0003", "\\u0004", "\\u0005",
			"\\u0006", "\\u0007", "\\b", "\\t", "\\n", "\\u000b", "\\f", "\\r",
			"\\u000e", "\\u000f", "\\u0010", "\\u0011", "\\u0012", "\\u0013",
			"\\u0014", "\\u0015", "\\u0016", "\\u0017", "\\u0018", "\\u0019",
			"\\u001a", "\\u001b", "\\u001c", "\\u001d", "\\u001e", "\\u001f"
		};
		char		in[400],
					exp[400],
					desc[100];
		size_t		o,
					x;
		int			c;

		for (c = 0; c < 32; c++)
		{
			snprintf(in, sizeof(in), "{\"k\\u%04X\":\"a\\u%04Xb\"}", c, c);
			snprintf(exp, sizeof(exp), "{\"k%s\":\"a%sb\"}", canon[c], canon[c]);
			snprintf(desc, sizeof(desc), "control 0x%02x escaped in key and value", c);
			check(in, exp, desc);
		}
		/* all of them in one string, lower-case escapes */
		o = 0;
		x = 0;
		in[o++] = '"';
		exp[x++] = '"';
		for (c = 0; c < 32; c++)
		{
			o += (size_t) snprintf(in + o, sizeof(in) - o, "\\u%04x", c);
			x += (size_t) snprintf(exp + x, sizeof(exp) - x, "%s", canon[c]);
		}
		in[o++] = '"';
		in[o] = '\0';
		exp[x++] = '"';
		exp[x] = '\0';
		check(in, exp, "all 32 controls in one string");

		/* every control character raw inside a string is refused */
		for (c = 0; c < 32; c++)
		{
			char		raw[4] = {'"', (char) c, '"', 0};
			char		msg[100];

			snprintf(msg, sizeof(msg),
					 "unescaped control character 0x%02x in string at offset 1", c);
			snprintf(desc, sizeof(desc), "raw control 0x%02x in string refused", c);
			check_err_n(raw, 3, msg, desc);
		}
	}
}

static const char payload_pretty[] =
	"{\n"
	"  \"行政相对人名称\": \"北京某某科技有限公司\",\n"
	"  \"行政相对人类别\": \"法人及非法人组织\",\n"
	"  \"统一社会信用代码\": \"91110108MA01XXXXXX\",\n"
	"  \"法定代表人\": \"张*\",\n"
	"  \"证件类型\": \"\",\n"
	"  \"证件号码\": \"\",\n"
	"  \"行政处罚决定书文号\": \"京市监罚〔2024〕12号\",\n"
	"  \"违法行为类型\": \"虚假宣传\",\n"
	"  \"违法事实\": \"在其网站发布\\\"全国第一\\\"等用语；\\n涉及金额 1/2 万元\",\n"
	"  \"处罚依据\": \"《中华人民共和国反不正当竞争法》第二十条\",\n"
	"  \"处罚类别\": \"罚款\",\n"
	"  \"处罚内容\": \"罚款1.5万元\",\n"
	"  \"罚款金额（万元）\": 1.50,\n"
	"  \"处罚决定日期\": \"2024-03-15\",\n"
	"  \"处罚有效期\": \"2099-12-31\",\n"
	"  \"公示截止期\": \"2025-03-15\",\n"
	"  \"处罚机关\": \"北京市市场监督管理局\",\n"
	"  \"处罚机关统一社会信用代码\": \"11110000MB0XXXXXXX\",\n"
	"  \"数据来源单位\": \"北京市市场监督管理局\",\n"
	"  \"数据来源单位统一社会信用代码\": \"11110000MB0XXXXXXX\",\n"
	"  \"备注\": null\n"
	"}\n";

static const char payload_escaped[] =
	"{\"\\u884c\\u653f\\u76f8\\u5bf9\\u4eba\\u540d\\u79f0\": \"\\u5317\\u4eac\\u67d0\\u67"
	"d0\\u79d1\\u6280\\u6709\\u9650\\u516c\\u53f8\", \"\\u884c\\u653f\\u76f8\\u5bf9\\u4e"
	"ba\\u7c7b\\u522b\": \"\\u6cd5\\u4eba\\u53ca\\u975e\\u6cd5\\u4eba\\u7ec4\\u7ec7\", \""
	"\\u7edf\\u4e00\\u793e\\u4f1a\\u4fe1\\u7528\\u4ee3\\u7801\": \"91110108MA01XXXXXX"
	"\", \"\\u6cd5\\u5b9a\\u4ee3\\u8868\\u4eba\": \"\\u5f20*\", \"\\u8bc1\\u4ef6\\u7c7b\\u5"
	"78b\": \"\", \"\\u8bc1\\u4ef6\\u53f7\\u7801\": \"\", \"\\u884c\\u653f\\u5904\\u7f5a\\u5"
	"1b3\\u5b9a\\u4e66\\u6587\\u53f7\": \"\\u4eac\\u5e02\\u76d1\\u7f5a\\u30142024\\u301"
	"512\\u53f7\", \"\\u8fdd\\u6cd5\\u884c\\u4e3a\\u7c7b\\u578b\": \"\\u865a\\u5047\\u5ba"
	"3\\u4f20\", \"\\u8fdd\\u6cd5\\u4e8b\\u5b9e\": \"\\u5728\\u5176\\u7f51\\u7ad9\\u53d1\\u"
	"5e03\\\"\\u5168\\u56fd\\u7b2c\\u4e00\\\"\\u7b49\\u7528\\u8bed\\uff1b\\n\\u6d89\\u53ca"
	"\\u91d1\\u989d 1/2 \\u4e07\\u5143\", \"\\u5904\\u7f5a\\u4f9d\\u636e\": \"\\u300a\\u4"
	"e2d\\u534e\\u4eba\\u6c11\\u5171\\u548c\\u56fd\\u53cd\\u4e0d\\u6b63\\u5f53\\u7ade\\u"
	"4e89\\u6cd5\\u300b\\u7b2c\\u4e8c\\u5341\\u6761\", \"\\u5904\\u7f5a\\u7c7b\\u522b\":"
	" \"\\u7f5a\\u6b3e\", \"\\u5904\\u7f5a\\u5185\\u5bb9\": \"\\u7f5a\\u6b3e1.5\\u4e07\\u5"
	"143\", \"\\u7f5a\\u6b3e\\u91d1\\u989d\\uff08\\u4e07\\u5143\\uff09\": 1.5, \"\\u5904"
	"\\u7f5a\\u51b3\\u5b9a\\u65e5\\u671f\": \"2024-03-15\", \"\\u5904\\u7f5a\\u6709\\u65"
	"48\\u671f\": \"2099-12-31\", \"\\u516c\\u793a\\u622a\\u6b62\\u671f\": \"2025-03-15"
	"\", \"\\u5904\\u7f5a\\u673a\\u5173\": \"\\u5317\\u4eac\\u5e02\\u5e02\\u573a\\u76d1\\u"
	"7763\\u7ba1\\u7406\\u5c40\", \"\\u5904\\u7f5a\\u673a\\u5173\\u7edf\\u4e00\\u793e\\u"
	"4f1a\\u4fe1\\u7528\\u4ee3\\u7801\": \"11110000MB0XXXXXXX\", \"\\u6570\\u636e\\u67"
	"65\\u6e90\\u5355\\u4f4d\": \"\\u5317\\u4eac\\u5e02\\u5e02\\u573a\\u76d1\\u7763\\u7b"
	"a1\\u7406\\u5c40\", \"\\u6570\\u636e\\u6765\\u6e90\\u5355\\u4f4d\\u7edf\\u4e00\\u79"
	"3e\\u4f1a\\u4fe1\\u7528\\u4ee3\\u7801\": \"11110000MB0XXXXXXX\", \"\\u5907\\u6ce8"
	"\": null}";

static const char payload_canonical[] =
	"{\"公示截止期\":\"2025-03-15\",\"处罚依据\":\"《中华人"
	"民共和国反不正当竞争法》第二十条\",\"处罚内"
	"容\":\"罚款1.5万元\",\"处罚决定日期\":\"2024-03-15\",\"处"
	"罚有效期\":\"2099-12-31\",\"处罚机关\":\"北京市市场监"
	"督管理局\",\"处罚机关统一社会信用代码\":\"111100"
	"00MB0XXXXXXX\",\"处罚类别\":\"罚款\",\"备注\":null,\"数据来"
	"源单位\":\"北京市市场监督管理局\",\"数据来源单"
	"位统一社会信用代码\":\"11110000MB0XXXXXXX\",\"法定代"
	"表人\":\"张*\",\"统一社会信用代码\":\"91110108MA01XXXXX"
	"X\",\"罚款金额（万元）\":1.5,\"行政处罚决定书文号"
	"\":\"京市监罚〔2024〕12号\",\"行政相对人名称\":\"北"
	"京某某科技有限公司\",\"行政相对人类别\":\"法人"
	"及非法人组织\",\"证件号码\":\"\",\"证件类型\":\"\",\"违"
	"法事实\":\"在其网站发布\\\"全国第一\\\"等用语；\\n"
	"涉及金额 1/2 万元\",\"违法行为类型\":\"虚假宣传\""
	"}";

static void
test_chinese(void)
{
	check("{\"行政相对人名称\":\"张*\",\"罚款金额（万元）\":\"1.5\"}",
		  "{\"罚款金额（万元）\":\"1.5\",\"行政相对人名称\":\"张*\"}",
		  "chinese keys and values");
	check("{\"\\u884c\\u653f\\u76f8\\u5bf9\\u4eba\\u540d\\u79f0\":\"\\u5f20*\","
		  "\"\\u7f5a\\u6b3e\\u91d1\\u989d\\uff08\\u4e07\\u5143\\uff09\":1.50}",
		  "{\"罚款金额（万元）\":1.5,\"行政相对人名称\":\"张*\"}",
		  "chinese keys and values from \\u escapes");
	check(payload_pretty, payload_canonical, "admin_penalty payload (21 D5a fields), pretty");
	check(payload_escaped, payload_canonical, "admin_penalty payload, \\u-escaped");
	check("{\"一\":1,\"丁\":2,\"七\":3,\"〇\":4,\"Ａ\":5,\"a\":6,\"é\":7}",
		  "{\"a\":6,\"é\":7,\"〇\":4,\"一\":1,\"丁\":2,\"七\":3,\"Ａ\":5}",
		  "cjk keys sort by code point, not by pinyin or stroke");
	check_err("{\"罚款\":1,\"罚款\":2}",
			  "duplicate key \"罚款\" at offset 12", "duplicate chinese key");
}

static void
test_errors(void)
{
	char		big[2 * JSON_CANON_MAX_DEPTH + 10];
	int			i;

	/* structure */
	check_err("", "unexpected end of input at offset 0, expected a value", "empty input");
	check_err(" \n ", "unexpected end of input at offset 3, expected a value", "only blanks");
	check_err("{", "unexpected end of input at offset 1, expected string (object key)",
			  "unclosed object");
	check_err("{\"a\"", "unexpected end of input at offset 4, expected ':'", "missing colon at end");
	check_err("{\"a\" 1}", "unexpected character '1' at offset 5, expected ':'", "missing colon");
	check_err("{\"a\":", "unexpected end of input at offset 5, expected a value", "missing member value");
	check_err("{\"a\":1", "unexpected end of input at offset 6, expected ',' or '}'",
			  "unclosed object after member");
	check_err("{\"a\":1 \"b\":2}", "unexpected character '\"' at offset 7, expected ',' or '}'",
			  "missing comma between members");
	check_err("{\"a\":1,}", "unexpected character '}' at offset 7, expected string (object key)",
			  "trailing comma in object");
	check_err("{1:2}", "unexpected character '1' at offset 1, expected string (object key)",
			  "non-string key");
	check_err("{'a':1}", "unexpected byte 0x27 at offset 1, expected string (object key)",
			  "single-quoted key");
	check_err("[", "unexpected end of input at offset 1, expected a value", "unclosed array");
	check_err("[1", "unexpected end of input at offset 2, expected ',' or ']'", "unclosed array after element");
	check_err("[1 2]", "unexpected character '2' at offset 3, expected ',' or ']'", "missing comma in array");
	check_err("[1,]", "unexpected character ']' at offset 3, expected a value", "trailing comma in array");
	check_err("[,1]", "unexpected character ',' at offset 1, expected a value", "leading comma in array");
	check_err("]", "unexpected character ']' at offset 0, expected a value", "stray bracket");
	check_err("[] []", "unexpected character '[' at offset 3, expected end of input", "two documents");
	check_err("{} x", "unexpected character 'x' at offset 3, expected end of input", "trailing garbage");
	check_err("1 2", "unexpected character '2' at offset 2, expected end of input", "two numbers");
	check_err("\"a\"\"b\"", "unexpected character '\"' at offset 3, expected end of input", "two strings");
	check_err_n("[1]\0", 4, "unexpected byte 0x00 at offset 3, expected end of input", "trailing nul byte");
	check_err_n("[1,\0]", 5, "unexpected byte 0x00 at offset 3, expected a value", "nul byte between tokens");
	check_err("\xef\xbb\xbf{}", "unexpected byte 0xef at offset 0, expected a value", "byte order mark");
	check_err("\f1", "unexpected byte 0x0c at offset 0, expected a value", "form feed is not a blank");
	check_err("\xc2\xa0" "1", "unexpected byte 0xc2 at offset 0, expected a value", "nbsp is not a blank");
	check_err("/* c */ 1", "unexpected character '/' at offset 0, expected a value", "comment");

	/* literals */
	check_err("nul", "invalid literal at offset 0, expected \"null\"", "truncated null");
	check_err("[tru]", "invalid literal at offset 1, expected \"true\"", "truncated true");
	check_err("fals", "invalid literal at offset 0, expected \"false\"", "truncated false");
	check_err("True", "unexpected character 'T' at offset 0, expected a value", "capitalised True");
	check_err("nulll", "unexpected character 'l' at offset 4, expected end of input", "null with extra letter");
	check_err("NaN", "unexpected character 'N' at offset 0, expected a value", "NaN");
	check_err("Infinity", "unexpected character 'I' at offset 0, expected a value", "Infinity");
	check_err("undefined", "unexpected character 'u' at offset 0, expected a value", "undefined");

	/* numbers */
	check_err("-Infinity", "invalid number at offset 0: digit expected at offset 1", "-Infinity");
	check_err("+1", "unexpected character '+' at offset 0, expected a value", "plus sign");
	check_err(".5", "unexpected character '.' at offset 0, expected a value", "no integer part");
	check_err("01", "leading zero in number at offset 0", "leading zero");
	check_err("[-007]", "leading zero in number at offset 1", "negative leading zero");
	check_err("-", "invalid number at offset 0: digit expected at offset 1", "lone minus");
	check_err("- 1", "invalid number at offset 0: digit expected at offset 1", "minus then blank");
	check_err("1.", "invalid number at offset 0: digit expected at offset 2", "no fraction digits");
	check_err("1.e5", "invalid number at offset 0: digit expected at offset 2", "no fraction digits before exponent");
	check_err("1e", "invalid number at offset 0: digit expected at offset 2", "no exponent digits");
	check_err("[1E+]", "invalid number at offset 1: digit expected at offset 4", "signed exponent without digits");
	check_err("1x", "unexpected character 'x' at offset 1, expected end of input", "letter after number");
	check_err("0x10", "unexpected character 'x' at offset 1, expected end of input", "hex number");
	check_err("1.5.2", "unexpected character '.' at offset 3, expected end of input", "two decimal points");
	check_err("1e309", "number out of range at offset 0", "1e309");
	check_err("[0, -1e309]", "number out of range at offset 4", "-1e309");
	check_err("1.8e308", "number out of range at offset 0", "1.8e308");
	check_err("1.7976931348623159e308", "number out of range at offset 0", "just above the largest double");
	check_err("1e99999999999999999999999", "number out of range at offset 0", "huge exponent");
	check_err("123456789e99999999999999999", "number out of range at offset 0", "huge exponent with digits");

	/* strings */
	check_err("\"abc", "unterminated string starting at offset 0", "unterminated string");
	check_err("[\"abc\\", "unterminated string starting at offset 1", "unterminated string after backslash");
	check_err("{\"a", "unterminated string starting at offset 1", "unterminated key");
	check_err("\"\\x\"", "invalid escape '\\x' at offset 1", "unknown escape");
	check_err("\"\\U0041\"", "invalid escape '\\U' at offset 1", "upper-case \\U");
	check_err("\"\\'\"", "invalid escape '\\'' at offset 1", "escaped single quote");
	check_err("\"a\\\xe4\xb8\xad\"", "invalid escape at offset 2", "backslash before non-ascii");
	check_err("\"\\u12\"", "invalid \\u escape at offset 1", "short \\u escape");
	check_err("\"\\u12G4\"", "invalid \\u escape at offset 1", "non-hex \\u escape");
	check_err("\"\\u", "invalid \\u escape at offset 1", "\\u at end of input");
	check_err("\"ab\\ud800\"", "unpaired surrogate \\ud800 at offset 3", "lone high surrogate");
	check_err("\"\\udbff\\u0041\"", "unpaired surrogate \\udbff at offset 1", "high surrogate then non-surrogate");
	check_err("\"\\ud800\\ud800\"", "unpaired surrogate \\ud800 at offset 1", "two high surrogates");
	check_err("\"\\ud800x\"", "unpaired surrogate \\ud800 at offset 1", "high surrogate then a letter");
	check_err("\"\\ud800\\n\"", "unpaired surrogate \\ud800 at offset 1", "high surrogate then another escape");
	check_err("\"\\udc00\"", "unpaired surrogate \\udc00 at offset 1", "lone low surrogate");
	check_err("\"\\uDFFF\\uD800\"", "unpaired surrogate \\udfff at offset 1", "reversed surrogate pair");

	/* utf-8 */
	check_err("\"\x80\"", "invalid utf-8 at offset 1", "lone continuation byte");
	check_err("\"a\xbf\"", "invalid utf-8 at offset 2", "lone continuation byte 0xbf");
	check_err("\"\xc0\xaf\"", "invalid utf-8 at offset 1", "overlong 2-byte (0xc0)");
	check_err("\"\xc1\xbf\"", "invalid utf-8 at offset 1", "overlong 2-byte (0xc1)");
	check_err("\"\xe0\x80\xaf\"", "invalid utf-8 at offset 1", "overlong 3-byte");
	check_err("\"\xe0\x9f\xbf\"", "invalid utf-8 at offset 1", "overlong 3-byte u+07ff");
	check_err("\"\xf0\x80\x80\xaf\"", "invalid utf-8 at offset 1", "overlong 4-byte");
	check_err("\"\xf0\x8f\xbf\xbf\"", "invalid utf-8 at offset 1", "overlong 4-byte u+ffff");
	check_err("\"\xed\xa0\x80\"", "invalid utf-8 at offset 1", "utf-8 encoded high surrogate");
	check_err("\"\xed\xbf\xbf\"", "invalid utf-8 at offset 1", "utf-8 encoded low surrogate");
	check_err("\"\xed\xa0\xbd\xed\xb8\x82\"", "invalid utf-8 at offset 1", "cesu-8 surrogate pair");
	check_err("\"\xf4\x90\x80\x80\"", "invalid utf-8 at offset 1", "above u+10ffff");
	check_err("\"\xf5\x80\x80\x80\"", "invalid utf-8 at offset 1", "lead byte 0xf5");
	check_err("\"\xf8\x88\x80\x80\x80\"", "invalid utf-8 at offset 1", "5-byte form");
	check_err("\"\xfe\"", "invalid utf-8 at offset 1", "byte 0xfe");
	check_err("\"\xff\"", "invalid utf-8 at offset 1", "byte 0xff");
	check_err("\"ab\xe4\xb8\"", "invalid utf-8 at offset 3", "truncated 3-byte sequence before quote");
	check_err("\"\xe4\xb8", "invalid utf-8 at offset 1", "truncated sequence at end of input");
	check_err("\"\xf0\x9f\x98\"", "invalid utf-8 at offset 1", "truncated 4-byte sequence");
	check_err("\"\xe4" "a\xad\"", "invalid utf-8 at offset 1", "ascii inside a sequence");
	check_err("{\"k\xc3\x28\":1}", "invalid utf-8 at offset 3", "invalid utf-8 in a key");

	/* duplicates */
	check_err("{\"a\":1,\"a\":2}", "duplicate key \"a\" at offset 7", "duplicate key");
	check_err("{\"a\":1,\"\\u0061\":2}", "duplicate key \"a\" at offset 7", "duplicate after unescaping");
	check_err("{\"\\/\":1,\"/\":2}", "duplicate key \"/\" at offset 8", "duplicate \\/ and /");
	check_err("{\"\xf0\x9f\x98\x82\":1,\"\\ud83d\\ude02\":2}",
			  "duplicate key \"\xf0\x9f\x98\x82\" at offset 10", "duplicate raw and escaped pair");
	check_err("{\"b\":0,\"a\":1,\"c\":2,\"b\":3,\"a\":4}", "duplicate key \"b\" at offset 19",
			  "earliest repeated key is reported");
	check_err("[{\"x\":{\"y\":1,\"y\":2}}]", "duplicate key \"y\" at offset 13", "duplicate in nested object");
	check("{\"a\":{\"a\":1},\"b\":{\"a\":2}}", "{\"a\":{\"a\":1},\"b\":{\"a\":2}}",
		  "same key in different objects is fine");
	check_err("{\"\":1,\"\":2}", "duplicate key \"\" at offset 6", "duplicate empty key");
	check_err("{\"a\\n\\\"\\\\\\u0000\":1,\"a\\n\\\"\\\\\\u0000\":2}",
			  "duplicate key \"a\\u000a\\\"\\\\\\u0000\" at offset 19",
			  "duplicate key with controls and quotes shown escaped");
	check_err("{\"0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789\":1,"
			  "\"0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789\":2}",
			  "duplicate key \"0123456789012345678901234567890123456789012345678901234567890123456789012345...\" at offset 106",
			  "long duplicate key is shortened");

	/* nesting */
	for (i = 0; i <= JSON_CANON_MAX_DEPTH; i++)
		big[i] = '[';
	for (i = 0; i <= JSON_CANON_MAX_DEPTH; i++)
		big[JSON_CANON_MAX_DEPTH + 1 + i] = ']';
	check_err_n(big, 2 * (JSON_CANON_MAX_DEPTH + 1),
				"nesting deeper than 256 levels at offset 256", "257 nested arrays");
	for (i = 0; i < JSON_CANON_MAX_DEPTH; i++)
		big[i] = '[';
	memcpy(big + JSON_CANON_MAX_DEPTH, "{\"a\":1}", 7);
	check_err_n(big, JSON_CANON_MAX_DEPTH + 7,
				"nesting deeper than 256 levels at offset 256", "object at depth 257");
	{
		/* deep nesting through objects */
		char		in[20 * (JSON_CANON_MAX_DEPTH + 2)];
		size_t		o = 0;

		for (i = 0; i <= JSON_CANON_MAX_DEPTH; i++)
			o += (size_t) snprintf(in + o, sizeof(in) - o, "{\"k\":");
		check_err_n(in, o, "nesting deeper than 256 levels at offset 1280",
					"257 nested objects");
	}
}

static void
test_err_buffer(void)
{
	char		small[8];
	char	   *out;
	size_t		outlen;
	bool		r;

	r = json_canonicalize("{\"a\":1,\"a\":2}", 13, &out, &outlen, small, sizeof(small));
	ok(!r && strcmp(small, "duplica") == 0, "message cut to the error buffer");

	/* "duplicate key \"" is 15 bytes; a 3-byte character must not be cut */
	{
		char		e17[17],
					e18[18],
					e19[19];

		r = json_canonicalize("{\"罚\":1,\"罚\":2}", strlen("{\"罚\":1,\"罚\":2}"),
							  &out, &outlen, e17, sizeof(e17));
		ok(!r && strcmp(e17, "duplicate key \"") == 0,
		   "cut message does not end inside a utf-8 sequence (1 of 3 bytes)");
		r = json_canonicalize("{\"罚\":1,\"罚\":2}", strlen("{\"罚\":1,\"罚\":2}"),
							  &out, &outlen, e18, sizeof(e18));
		ok(!r && strcmp(e18, "duplicate key \"") == 0,
		   "cut message does not end inside a utf-8 sequence (2 of 3 bytes)");
		r = json_canonicalize("{\"罚\":1,\"罚\":2}", strlen("{\"罚\":1,\"罚\":2}"),
							  &out, &outlen, e19, sizeof(e19));
		ok(!r && strcmp(e19, "duplicate key \"罚") == 0,
		   "cut message keeps a whole character");
	}
	r = json_canonicalize("[1,", 3, &out, &outlen, NULL, 0);
	ok(!r && out == NULL, "no error buffer is fine");
	r = json_canonicalize("[1,", 3, &out, &outlen, small, 0);
	ok(!r, "zero-length error buffer is fine");
	r = json_canonicalize(NULL, 0, &out, &outlen, small, sizeof(small));
	ok(!r && out == NULL, "null input is empty input");
	r = json_canonicalize("[1 ]", 4, NULL, NULL, small, sizeof(small));
	ok(r, "validation only (out == NULL)");
	ok(json_is_canonical("{\"a\":[1,\"x\"]}", 13), "json_is_canonical: canonical text");
	ok(!json_is_canonical("{\"a\": [1,\"x\"]}", 14), "json_is_canonical: blank");
	ok(!json_is_canonical("{\"b\":1,\"a\":2}", 13), "json_is_canonical: unsorted");
	ok(!json_is_canonical("1.0", 3), "json_is_canonical: non-canonical number");
	ok(!json_is_canonical("\"\\u0041\"", 8), "json_is_canonical: needless escape");
	ok(!json_is_canonical("{", 1), "json_is_canonical: invalid");
	/* the input need not be NUL-terminated: only inlen bytes are read */
	{
		char		buf[4] = {'[', '1', ']', 'x'};

		r = json_canonicalize(buf, 3, &out, &outlen, small, sizeof(small));
		ok(r && outlen == 3 && memcmp(out, "[1]", 3) == 0, "input length is respected");
		if (r)
			free(out);
	}
}

static void
test_allocator(void)
{
	static const char doc[] =
		"{\"z\":[1,2,{\"y\":\"\\u00e9\",\"b\":[true,false,null],\"a\":1.50}],"
		"\"k\":\"行政相对人\",\"a\":{\"q\":{\"r\":{\"s\":[]}}},\"m\":\"" 
		"a long string value that makes the output buffer grow past its first size, "
		"a long string value that makes the output buffer grow past its first size\"}";
	char	   *out;
	size_t		outlen;
	char		err[JSON_CANON_ERRLEN];
	bool		r;
	long		budget;
	int			leaks = 0,
				oom_msgs = 0,
				tries = 0;

	json_canon_set_allocator(count_alloc, count_realloc, count_free);

	live_blocks = 0;
	alloc_budget = -1;
	r = json_canonicalize(doc, strlen(doc), &out, &outlen, err, sizeof(err));
	ok(r && live_blocks == 1, "custom allocator: only the output is left");
	if (r)
		count_free(out);
	ok(live_blocks == 0, "custom allocator: output freed with free_fn");

	r = json_canonicalize("{\"a\":[1,2,{\"b\":1,\"b\":2}]}", 26, &out, &outlen, err, sizeof(err));
	ok(!r && live_blocks == 0, "custom allocator: nothing left after a duplicate key");
	r = json_canonicalize("[\"abc\",{\"x\":1e999}]", 19, &out, &outlen, err, sizeof(err));
	ok(!r && live_blocks == 0, "custom allocator: nothing left after a bad number");
	r = json_canonicalize("{\"b\":[\"\xc0\"]}", 11, &out, &outlen, err, sizeof(err));
	ok(!r && live_blocks == 0, "custom allocator: nothing left after invalid utf-8");

	/* fail the n-th allocation for every n until the call succeeds */
	for (budget = 0;; budget++)
	{
		live_blocks = 0;
		alloc_budget = budget;
		tries++;
		r = json_canonicalize(doc, strlen(doc), &out, &outlen, err, sizeof(err));
		if (r)
		{
			count_free(out);
			if (live_blocks != 0)
				leaks++;
			break;
		}
		if (live_blocks != 0)
			leaks++;
		if (strcmp(err, "out of memory") == 0)
			oom_msgs++;
		if (budget > 1000)
			break;
	}
	alloc_budget = -1;
	printf("# allocation failure injected at %d points\n", tries - 1);
	ok(r && tries > 3, "custom allocator: eventually succeeds");
	ok(leaks == 0, "custom allocator: no leak when any allocation fails");
	ok(oom_msgs == tries - 1, "custom allocator: failure reported as \"out of memory\"");

	json_canon_set_allocator(NULL, NULL, NULL);
	r = json_canonicalize("[1]", 3, &out, &outlen, err, sizeof(err));
	ok(r, "default allocator restored");
	if (r)
		free(out);
}

int
main(void)
{
	test_numbers();
	test_locale();
	test_rfc8785();
	test_structure();
	test_strings();
	test_chinese();
	test_errors();
	test_err_buffer();
	test_allocator();
	return done_testing();
}
