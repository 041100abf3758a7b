/*
 * json_canon.h: strict JSON (RFC 8259) parser that emits the canonical form
 * of signed disclosure payloads (SPEC 6).
 *
 * The canonical form is RFC 8785 (JCS) with one deliberate difference:
 * object members are sorted by the Unicode code points of their names
 * (equivalently, by the bytes of their UTF-8 encoding), not by UTF-16 code
 * units.  The two orders differ only for names holding characters above
 * U+FFFF next to characters in U+E000..U+FFFF.
 *
 *   - no whitespace between tokens;
 *   - strings are UTF-8; only '"', '\\' and U+0000..U+001F are escaped
 *     (\b \f \n \r \t, the other controls as \u00xx in lower-case hex);
 *     everything else, '/', U+007F, U+2028 and U+2029 included, is literal;
 *   - numbers are IEEE 754 doubles written as ECMAScript
 *     Number.prototype.toString() does (shortest round-trip digits; -0 is 0);
 *   - literals true, false, null.
 *
 * Refused (the error text is lower-case and names a byte offset into the
 * input): invalid UTF-8 (overlong forms, encoded surrogates, code points
 * above U+10FFFF, truncated sequences), unpaired surrogate escapes,
 * unescaped control characters in strings, duplicate member names (compared
 * after unescaping), numbers outside the finite double range, nesting deeper
 * than JSON_CANON_MAX_DEPTH, anything after the value but whitespace, and
 * every other departure from the RFC 8259 grammar (a byte order mark too).
 *
 * No PostgreSQL headers: unit-tested by test/unit/test_json_canon.c and
 * fuzzed by fuzz/fuzz_json_canon.c.
 */
#ifndef INTEGRITY_JSON_CANON_H
#define INTEGRITY_JSON_CANON_H

#include <stdbool.h>
#include <stddef.h>

/* Arrays and objects nested deeper than this are refused. */
#define JSON_CANON_MAX_DEPTH 256

/* An err buffer of this size holds every message unshortened. */
#define JSON_CANON_ERRLEN 256

/*
 * Choose the allocator for the output and for the intermediate buffers
 * (default malloc/realloc/free; passing any NULL restores the default).
 * The module never calls realloc_fn or free_fn with a NULL pointer and never
 * asks for 0 bytes, so palloc/repalloc/pfree fit.  Every intermediate
 * buffer is freed before json_canonicalize returns, on success and on error.
 * An allocator that returns NULL makes json_canonicalize fail with
 * "out of memory"; one that throws (ereport) is fine too.
 */
extern void json_canon_set_allocator(void *(*alloc) (size_t),
									 void *(*realloc_fn) (void *, size_t),
									 void (*free_fn) (void *));

/*
 * Canonicalize in[0..inlen) (need not be NUL-terminated; may hold NUL
 * bytes, which are refused).  On success returns true, *out = a buffer from
 * the chosen allocator holding the canonical text followed by a NUL (not
 * counted in *outlen); the caller frees it with free_fn.  On failure returns
 * false, sets *out = NULL, *outlen = 0 and writes a NUL-terminated lower-case
 * reason into err (when errlen > 0; the text is cut at a character boundary
 * if it does not fit), e.g. "duplicate key \"a\" at offset 7".
 */
extern bool json_canonicalize(const char *in, size_t inlen,
							  char **out, size_t *outlen,
							  char *err, size_t errlen);

/* True when in[0..inlen) is valid and already byte-for-byte canonical. */
extern bool json_is_canonical(const char *in, size_t inlen);

/*
 * The canonical escape of byte c inside a string (the rules above) into
 * esc, and its length (2 or 6); 0 when c stands for itself.  For writers
 * of canonical text (payload_core.c).
 */
extern size_t json_canon_escape(unsigned char c, char esc[6]);

/* The canonical order of member names: by their bytes, a prefix first. */
extern int	json_canon_name_cmp(const char *a, size_t alen, const char *b, size_t blen);

#endif							/* INTEGRITY_JSON_CANON_H */
