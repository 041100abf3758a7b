/*
 * test_log.c: unit tests of src/log_core.c, the entry hash and the check
 * of one entry of the disclosure log (TAP output).
 */
#include "crypto.h"
#include "log.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
test_entry_hash(void)
{
	uint8_t		prev[SHA256_LEN],
				ph[SHA256_LEN],
				buf[72],
				expect[SHA256_LEN],
				got[SHA256_LEN];
	int			i;

	for (i = 0; i < SHA256_LEN; i++)
	{
		prev[i] = (uint8_t) i;
		ph[i] = (uint8_t) (0xA0 + i);
	}
	memcpy(buf, prev, 32);
	/* seq 0x0102030405060708, big-endian */
	for (i = 0; i < 8; i++)
		buf[32 + i] = (uint8_t) (i + 1);
	memcpy(buf + 40, ph, 32);
	sha256(buf, sizeof(buf), expect);
	ok(entry_hash(prev, UINT64_C(0x0102030405060708), ph, got) &&
	   memcmp(got, expect, 32) == 0,
	   "entry_hash = sha256(prev || seq big-endian || payload_hash)");

	memset(prev, 0, 32);
	sha256("{}", 2, ph);
	memcpy(buf, prev, 32);
	memset(buf + 32, 0, 8);
	buf[39] = 1;
	memcpy(buf + 40, ph, 32);
	sha256(buf, sizeof(buf), expect);
	ok(entry_hash(prev, 1, ph, got) && memcmp(got, expect, 32) == 0,
	   "entry_hash of seq 1 with zero prev_hash");
}

/* ------------------------------------------------------- permissions */

int
main(void)
{
	test_entry_hash();
	crypto_release_cache();
	return done_testing();
}
