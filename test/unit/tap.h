/*
 * tap.h: the TAP output of the pure-C unit tests (test/unit/test_X.c, one
 * per concept X): "ok N - description" or "not ok N - description" and,
 * at the end, "1..N".
 */
#ifndef INTEGRITY_TAP_H
#define INTEGRITY_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int	tap_n = 0;
static int	tap_failed = 0;

/* one test: cond holds; the description is printf-style */
static bool tap_ok(bool cond, const char *fmt,...) __attribute__((format(printf, 2, 3), unused));

static bool
tap_ok(bool cond, const char *fmt,...)
{
	va_list		ap;

	tap_n++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	return cond;
}

#define ok(cond, ...) tap_ok((cond) ? true : false, __VA_ARGS__)

/* a diagnostic line: "# " and the printf-style text */
static void diag(const char *fmt,...) __attribute__((format(printf, 1, 2), unused));

static void
diag(const char *fmt,...)
{
	va_list		ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* the plan line, and the exit status of the test program */
static int	done_testing(void) __attribute__((unused));

static int
done_testing(void)
{
	printf("1..%d\n", tap_n);
	if (tap_failed)
		printf("# %d of %d tests failed\n", tap_failed, tap_n);
	return tap_failed ? 1 : 0;
}

#endif							/* INTEGRITY_TAP_H */
