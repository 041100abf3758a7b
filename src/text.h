/*
 * text.h: the small text helpers that several pure-C cores share (the
 * text concept, docs/DESIGN.md): the error buffer of the core API, hex
 * digits, strict UTF-8 decoding, prefixes and strict decimals.
 *
 * No PostgreSQL headers, no allocation; unit-tested by test/unit/test_text.c.
 */
#ifndef INTEGRITY_TEXT_H
#define INTEGRITY_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Write a lower-case reason into err (errlen bytes, NUL-terminated; nothing
 * when err is NULL or errlen is 0): the error convention of every core.
 */
extern void text_error(char *err, size_t errlen, const char *fmt,...)
			__attribute__((format(printf, 3, 4)));

/* The value of a hex digit (either case), or -1. */
extern int	hex_digit_value(unsigned char c);

/*
 * Decode one UTF-8 sequence at s[0..len) (RFC 3629): its length and, in
 * *cp, the code point; 0 if it is not well formed (truncated, overlong,
 * a surrogate or above U+10FFFF) or len is 0.  A NUL byte is a sequence
 * of length 1.
 */
extern size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);

/* True when p[0..len) starts with the NUL-terminated prefix. */
extern bool has_prefix(const char *p, size_t len, const char *prefix);

/* Strict ASCII decimal: digits only, no sign, no leading zeros, fits uint64. */
extern bool parse_decimal_u64(const char *s, size_t len, uint64_t *value);

#endif							/* INTEGRITY_TEXT_H */
