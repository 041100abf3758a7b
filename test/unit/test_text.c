/*
 * test_text.c: unit tests of src/text_core.c, the text helpers the cores
 * share (TAP output).
 */
#include "text.h"
#include "tap.h"

#include <string.h>

static void
test_utf8(void)
{
	static const struct
	{
		const char *s;
		size_t		len;
		uint32_t	cp;
		const char *desc;
	}			good[] = {
		{"A", 1, 0x41, "ascii"},
		{"\0", 1, 0, "a NUL byte is one character"},
		{"\xC2\x80", 2, 0x80, "smallest 2-byte sequence"},
		{"\xE4\xB8\xAD", 3, 0x4E2D, "a Chinese character"},
		{"\xF4\x8F\xBF\xBF", 4, 0x10FFFF, "U+10FFFF"},
	};
	static const struct
	{
		const char *s;
		size_t		len;
		const char *desc;
	}			bad[] = {
		{"\xC0\x80", 2, "overlong 2-byte sequence"},
		{"\xE0\x80\x80", 3, "overlong 3-byte sequence"},
		{"\xED\xA0\x80", 3, "encoded surrogate"},
		{"\xF4\x90\x80\x80", 4, "above U+10FFFF"},
		{"\xE4\xB8", 2, "truncated sequence"},
		{"\x80", 1, "lone continuation byte"},
		{"", 0, "empty input"},
	};
	size_t		i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
	{
		uint32_t	cp = 0xFFFFFFFF;

		ok(utf8_decode((const unsigned char *) good[i].s, good[i].len, &cp) == good[i].len &&
		   cp == good[i].cp, "utf8_decode: %s", good[i].desc);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		uint32_t	cp;

		ok(utf8_decode((const unsigned char *) bad[i].s, bad[i].len, &cp) == 0,
		   "utf8_decode refuses: %s", bad[i].desc);
	}
}

static void
test_hex_and_decimal(void)
{
	uint64_t	v = 0;
	char		err[16];

	ok(hex_digit_value('0') == 0 && hex_digit_value('9') == 9 && hex_digit_value('a') == 10 &&
	   hex_digit_value('F') == 15, "hex digits of either case");
	ok(hex_digit_value('g') == -1 && hex_digit_value('x') == -1 && hex_digit_value(0xFF) == -1,
	   "not hex digits: -1");
	ok(parse_decimal_u64("18446744073709551615", 20, &v) && v == UINT64_MAX,
	   "parse_decimal_u64: the largest uint64");
	ok(!parse_decimal_u64("18446744073709551616", 20, &v), "parse_decimal_u64: overflow refused");
	ok(!parse_decimal_u64("01", 2, &v) && !parse_decimal_u64("", 0, &v) &&
	   !parse_decimal_u64("+1", 2, &v), "parse_decimal_u64: leading zero, empty and sign refused");
	ok(has_prefix("\\x00", 4, "\\x") && !has_prefix("\\", 1, "\\x"), "has_prefix");
	text_error(err, sizeof(err), "%s %d", "cut to the buffer", 1);
	ok(strcmp(err, "cut to the buff") == 0, "text_error cuts the reason to the buffer");
	text_error(NULL, 0, "nothing");
	text_error(err, 0, "nothing");
	ok(strcmp(err, "cut to the buff") == 0, "text_error with errlen 0 writes nothing");
}

int
main(void)
{
	test_utf8();
	test_hex_and_decimal();
	return done_testing();
}
