/*
 * chain.c: the signed, hash-chained disclosure log (SPEC 6).
 */
#include "postgres.h"

#include "utils/guc.h"

#include "integrity_pg.h"

static char *signing_key_file = NULL;

void
integrity_signing_init(void)
{
	DefineCustomStringVariable("integrity.signing_key_file",
							   "Ed25519 private key that signs the disclosure log.",
							   "PEM (openssl genpkey -algorithm ed25519) or a raw 32-byte seed; "
							   "owned by the server user with mode 0600, or by root with 0640.",
							   &signing_key_file,
							   "",
							   PGC_SIGHUP,
							   GUC_SUPERUSER_ONLY,
							   NULL, NULL, NULL);
	MarkGUCPrefixReserved("integrity");
}
