/*
 * pg_util.h: small helpers that every PostgreSQL glue file uses (the
 * pg_util concept, docs/DESIGN.md): kept SPI plans, bytea in and out, the
 * columns of integrity.record, the per-transaction "today" and the palloc
 * allocator of json_canon.  Glue only: server headers, no core.
 */
#ifndef INTEGRITY_PG_UTIL_H
#define INTEGRITY_PG_UTIL_H

#include "postgres.h"

#include "access/tupdesc.h"
#include "executor/spi.h"
#include "utils/date.h"

/* the plan of sql, prepared and SPI_keepplan'ed on the first call into *slot */
extern SPIPlanPtr integrity_keep_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *argtypes);

/* a new bytea holding b[0..n) */
extern bytea *bytes_to_bytea(const uint8 *b, size_t n);

/*
 * Copy a bytea datum of exactly n bytes into out; false if its length
 * differs.  Inline values are read where they lie; a compressed or
 * external one is detoasted and the copy freed (nothing is left allocated).
 */
extern bool bytea_exact(Datum d, uint8 *out, size_t n);

/* the attribute number of a column of integrity.record (an error if missing) */
extern int	record_column_number(TupleDesc desc, const char *name);

/*
 * Today: the date of the transaction start in the session's time zone,
 * computed once per transaction (and again if the time zone changes).
 */
extern DateADT transaction_today(void);

/* json_canonicalize() allocates with palloc from here on (CurrentMemoryContext) */
extern void json_canon_use_palloc(void);

#endif							/* INTEGRITY_PG_UTIL_H */
