/*
 * integrity.c: module entry point.
 */
#include "postgres.h"

#include "fmgr.h"

#include "keys.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

void
_PG_init(void)
{
	integrity_signing_init();
}
