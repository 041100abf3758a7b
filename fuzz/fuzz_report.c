/*
 * fuzz_report.c: libFuzzer target for src/report_core.c (issue 17): a
 * credit report is untrusted input to integrity-verify --report.
 *
 * Per input: report_parse on the bytes; when it accepts them, every check
 * runs (signature, each entry under a fixed key, the back-links) and must
 * return, and report_free releases everything (ASan's leak check); the
 * payload reader runs on the bytes too.  Only memory safety and the
 * absence of leaks are checked: a random report never verifies.
 */
#include "report.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static verifier *v = NULL;
	static uint8_t root[SHA256_LEN];
	report		r;
	char		err[256];
	bool		linked;
	uint64_t	s,
				p,
				rec;
	size_t		i;

	if (v == NULL)
	{
		uint8_t		pub[ED25519_PUBLIC_KEY_LEN];

		memset(pub, 0x42, sizeof(pub));
		v = verifier_new(pub, err, sizeof(err));
		if (v == NULL)
		{
			/* not a point on the curve: take the identity-free base of a seed */
			uint8_t		seed[32];
			signing_key *k;

			memset(seed, 1, sizeof(seed));
			k = signing_key_load(seed, sizeof(seed), err, sizeof(err));
			v = verifier_new(signing_key_public(k), err, sizeof(err));
			signing_key_free(k);
		}
	}
	(void) report_payload_links((const char *) data, size, &linked, &s, &p, &rec, err, sizeof(err));
	if (!report_parse((const char *) data, size, &r, err, sizeof(err)))
		return 0;
	(void) report_check_signature(&r, v, err, sizeof(err));
	for (i = 0; i < r.nentries; i++)
		(void) report_check_entry(&r, i, v, r.tree_size, root, err, sizeof(err));
	(void) report_check_links(&r, err, sizeof(err));
	report_free(&r);
	return 0;
}
