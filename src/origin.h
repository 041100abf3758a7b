/*
 * origin.h: the local origin of this platform (SPEC 3), the code that
 * names its log, read from integrity.settings once per transaction.
 * Glue only (origin.c); no core.
 */
#ifndef INTEGRITY_ORIGIN_H
#define INTEGRITY_ORIGIN_H

#include "postgres.h"

#include "fmgr.h"

/* the local origin (cached per transaction), or NULL if it is not set */
extern const char *local_origin(void);

/* the local origin, or ERROR 55000 if it is not set */
extern const char *integrity_origin(void);

/* ERROR 22023 unless origin's log is held here (local, or replicated here) */
extern void require_held_origin(const char *origin);

/*
 * Argument argno of a function that takes an origin: the text given, or
 * the local origin when it is NULL (55000 if that is not set); palloc'd.
 */
extern char *origin_arg(FunctionCallInfo fcinfo, int argno);

#endif							/* INTEGRITY_ORIGIN_H */
