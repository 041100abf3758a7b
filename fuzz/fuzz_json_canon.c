/*
 * fuzz_json_canon.c: libFuzzer target for src/json_canon_core.c.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *       fuzz/fuzz_json_canon.c src/json_canon_core.c -lm -o /tmp/fuzz_json_canon
 *   /tmp/fuzz_json_canon -max_total_time=60 fuzz/corpus/json_canon
 *
 * Properties checked for every input:
 *   - on failure: the error text is non-empty, valid UTF-8 and starts with a
 *     lower-case letter;
 *   - on success: the output is valid UTF-8, has no blank outside strings
 *     and no raw control character inside them, is NUL-terminated, is
 *     accepted again, and canonicalizing it again gives the same bytes.
 */
#include "json_canon.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Strict RFC 3629 UTF-8 check (independent of the code under test). */
static int
valid_utf8(const unsigned char *s, size_t n)
{
	size_t		i = 0;

	while (i < n)
	{
		unsigned char c = s[i];
		uint32_t	cp;
		size_t		k,
					j;

		if (c < 0x80)
		{
			i++;
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
			return 0;
		if (n - i < k)
			return 0;
		for (j = 1; j < k; j++)
		{
			if ((s[i + j] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + j] & 0x3F);
		}
		if ((k == 2 && cp < 0x80) || (k == 3 && cp < 0x800) ||
			(k == 4 && cp < 0x10000) || cp > 0x10FFFF ||
			(cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += k;
	}
	return 1;
}

/* No blank outside strings, no raw control character inside them. */
static int
tight(const unsigned char *s, size_t n)
{
	size_t		i;
	int			in_str = 0;

	for (i = 0; i < n; i++)
	{
		unsigned char c = s[i];

		if (in_str)
		{
			if (c < 0x20)
				return 0;
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		}
		else if (c == '"')
			in_str = 1;
		else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c < 0x20)
			return 0;
	}
	return !in_str;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char	   *out = NULL,
			   *out2 = NULL;
	size_t		outlen = 0,
				out2len = 0;
	char		err[JSON_CANON_ERRLEN];

	if (!json_canonicalize((const char *) data, size, &out, &outlen, err, sizeof(err)))
	{
		if (out != NULL || outlen != 0)
			abort();
		if (err[0] < 'a' || err[0] > 'z' ||
			!valid_utf8((const unsigned char *) err, strlen(err)))
		{
			fprintf(stderr, "bad error text: %s\n", err);
			abort();
		}
		return 0;
	}
	if (out == NULL || out[outlen] != '\0')
		abort();
	if (!valid_utf8((const unsigned char *) out, outlen))
	{
		fprintf(stderr, "output is not valid utf-8\n");
		abort();
	}
	if (!tight((const unsigned char *) out, outlen))
	{
		fprintf(stderr, "blank or raw control in output: %s\n", out);
		abort();
	}
	if (!json_canonicalize(out, outlen, &out2, &out2len, err, sizeof(err)))
	{
		fprintf(stderr, "output refused (%s): %s\n", err, out);
		abort();
	}
	if (out2len != outlen || memcmp(out, out2, outlen) != 0)
	{
		fprintf(stderr, "not idempotent:\n%s\n%s\n", out, out2);
		abort();
	}
	if (!json_is_canonical(out, outlen))
		abort();
	free(out);
	free(out2);
	return 0;
}
