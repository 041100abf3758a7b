/*
 * integrity_pg.h: declarations shared by the PostgreSQL glue files.
 */
#ifndef INTEGRITY_PG_H
#define INTEGRITY_PG_H

#include "access/htup.h"
#include "access/tupdesc.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/relcache.h"

/* chain.c: the plan of sql, prepared and SPI_keepplan'ed on the first call into *slot */
extern SPIPlanPtr integrity_keep_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *argtypes);

/* lifecycle.c: the attribute number of a column of integrity.record (an error if missing) */
extern int	record_column_number(TupleDesc desc, const char *name);

/* chain.c: the integrity.signing_key_file setting */
extern void integrity_signing_init(void);

/* the record_event row of a transition (NULL: no from_state, no reason) */
typedef struct record_event_row
{
	const char *event;
	const char *from_state;
	const char *to_state;
	const char *reason;
} record_event_row;

/*
 * chain.c: append the disclosure of record_id's event to the origin's log
 * (caller connected to SPI) with the canonical payload given, or, if
 * given_payload is NULL, the one integrity._disclosure_payload() builds;
 * ev, if given, is written by the same statement.  Returns the seq.
 */
extern int64 disclosure_append_payload(const char *origin, int64 record_id, const char *event,
									   const char *given_payload, size_t given_len,
									   const record_event_row *ev);

/* chain.c: the local origin (55000 if not set); the seq appended last for a record, or 0 */
extern const char *integrity_origin(void);
extern int64 disclosure_last_seq(const char *origin, int64 record_id);

/*
 * payload.c: the canonical payload of a disclosure of the record row tup
 * (caller connected to SPI); NULL when only the reference path
 * (integrity._disclosure_payload) can build it.
 */
extern char *disclosure_payload_build(Relation rel, HeapTuple tup, const char *event, size_t *len);

/*
 * eval_fmgr.c: the parsed evaluation model of a jsonb argument (cached for
 * the query, as score_state's), for src/lists.c
 */
struct eval_model;
extern const struct eval_model *eval_model_arg(FunctionCallInfo fcinfo, int argno);

#endif
