/*
 * lifecycle.c: the C triggers that enforce the record lifecycle (SPEC 4;
 * DOMAIN D2.2-D2.7) on integrity.record, whoever writes the table, and
 * the append-only guard of record_event and disclosure.
 *
 *   record_guard   BEFORE INSERT OR UPDATE OR DELETE FOR EACH ROW:
 *                  legal transitions, frozen content, dates of transitions
 *                  (lifecycle_guard.c)
 *   record_log     AFTER INSERT OR UPDATE FOR EACH ROW: the record_event
 *                  row and, for published records, the disclosure row
 *   refuse_change  BEFORE UPDATE OR DELETE (row) and TRUNCATE (statement)
 *
 * and the context that the API functions give the triggers (_set_context),
 * and publish() / publish_many() in one C call each.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/inval.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "lifecycle.h"
#include "log.h"
#include "origin.h"
#include "payload.h"
#include "pg_util.h"

record_columns record_cols;

/*
 * The context an API function gives the triggers: the reason of the next
 * record_event rows, and whether an INSERT comes from record_add (a load
 * by the owner, such as pg_restore, is taken as it is and not logged
 * again).  It lives until the API function clears it, the transaction
 * ends, or the subtransaction that set it aborts.
 */
static char *pending_reason = NULL;
static bool pending_add = false;
static int	pending_to = RS_NONE;	/* the state an API function asked for */
static int	pending_level = 0;
static bool callbacks_registered = false;

static void
clear_context(void)
{
	if (pending_reason)
		pfree(pending_reason);
	pending_reason = NULL;
	pending_add = false;
	pending_to = RS_NONE;
	pending_level = 0;
}

static void
context_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT ||
		event == XACT_EVENT_PREPARE)
		clear_context();
}

static void
context_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						 SubTransactionId parentSubid, void *arg)
{
	/* an API call that failed inside a savepoint leaves nothing behind */
	if (event == SUBXACT_EVENT_ABORT_SUB && pending_level >= GetCurrentTransactionNestLevel())
		clear_context();
}

/*
 * integrity._set_context(reason text, adding boolean): called by the
 * SECURITY DEFINER API functions only (EXECUTE revoked from PUBLIC).
 */
PG_FUNCTION_INFO_V1(set_context);
Datum
set_context(PG_FUNCTION_ARGS)
{
	if (!callbacks_registered)
	{
		RegisterXactCallback(context_xact_callback, NULL);
		RegisterSubXactCallback(context_subxact_callback, NULL);
		callbacks_registered = true;
	}
	clear_context();
	if (!PG_ARGISNULL(0))
		pending_reason = MemoryContextStrdup(TopMemoryContext,
											 text_to_cstring(PG_GETARG_TEXT_PP(0)));
	pending_add = !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);
	if (PG_NARGS() > 2 && !PG_ARGISNULL(2))
		pending_to = record_state_from_name(text_to_cstring(PG_GETARG_TEXT_PP(2)));
	pending_level = GetCurrentTransactionNestLevel();
	PG_RETURN_VOID();
}

/* the context of the API call in progress (record_guard reads it) */
const char *
lifecycle_context_reason(void)
{
	return pending_reason;
}

bool
lifecycle_context_adding(void)
{
	return pending_add;
}

int
lifecycle_context_to(void)
{
	return pending_to;
}

void
load_record_columns(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			i;

	if (record_cols.relid == RelationGetRelid(rel))
		return;
	record_cols.relid = InvalidOid;
	record_cols.origin = record_column_number(desc, "origin");
	record_cols.id = record_column_number(desc, "id");
	record_cols.state = record_column_number(desc, "state");
	record_cols.state_before_objection = record_column_number(desc, "state_before_objection");
	record_cols.confirmed_on = record_column_number(desc, "confirmed_on");
	record_cols.published_on = record_column_number(desc, "published_on");
	record_cols.objected_on = record_column_number(desc, "objected_on");
	record_cols.objection_due = record_column_number(desc, "objection_due");
	record_cols.repaired_on = record_column_number(desc, "repaired_on");
	record_cols.revoked_on = record_column_number(desc, "revoked_on");
	record_cols.expired_on = record_column_number(desc, "expired_on");
	record_cols.remedied = record_column_number(desc, "remedied");
	record_cols.remedied_on = record_column_number(desc, "remedied_on");
	record_cols.updated_at = record_column_number(desc, "updated_at");
	record_cols.publishable = record_column_number(desc, "publishable");
	record_cols.repair_allowed_from = record_column_number(desc, "repair_allowed_from");
	record_cols.publicity_until = record_column_number(desc, "publicity_until");
	record_cols.state_type = TupleDescAttr(desc, record_cols.state - 1)->atttypid;
	for (i = 0; i < RS_COUNT; i++)
		record_cols.state_oid[i] = DatumGetObjectId(DirectFunctionCall2(enum_in,
																 CStringGetDatum(record_state_names[i]),
																 ObjectIdGetDatum(record_cols.state_type)));
	record_cols.relid = RelationGetRelid(rel);
}

int
record_state_value(Datum d, bool isnull)
{
	int			i;

	if (isnull)
		return RS_NONE;
	for (i = 0; i < RS_COUNT; i++)
		if (record_cols.state_oid[i] == DatumGetObjectId(d))
			return i;
	return RS_NONE;
}

int
record_state_of(HeapTuple tup, TupleDesc desc, int attnum)
{
	bool		isnull;
	Datum		d = heap_getattr(tup, attnum, desc, &isnull);

	return record_state_value(d, isnull);
}

int64
record_id_of(HeapTuple tup, TupleDesc desc)
{
	bool		isnull;
	Datum		d = heap_getattr(tup, record_cols.id, desc, &isnull);

	return isnull ? 0 : DatumGetInt64(d);
}

bool
record_is_null(HeapTuple tup, TupleDesc desc, int attnum)
{
	bool		isnull;

	(void) heap_getattr(tup, attnum, desc, &isnull);
	return isnull;
}

char *
date_text(DateADT d)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)));
}

/* The columns that only a transition (or mark_remedied) may change. */
bool
is_lifecycle_column(int attnum)
{
	return attnum == record_cols.state || attnum == record_cols.state_before_objection ||
		attnum == record_cols.confirmed_on || attnum == record_cols.published_on ||
		attnum == record_cols.objected_on ||
		attnum == record_cols.objection_due || attnum == record_cols.repaired_on ||
		attnum == record_cols.revoked_on || attnum == record_cols.expired_on ||
		attnum == record_cols.remedied || attnum == record_cols.remedied_on ||
		attnum == record_cols.updated_at;
}

/* The old and the new row of an UPDATE, deformed once per trigger call. */
typedef struct row_pair
{
	TupleDesc	desc;
	Datum	   *oldv;
	Datum	   *newv;
	bool	   *oldn;
	bool	   *newn;
} row_pair;

static void
deform_pair(row_pair *p, HeapTuple oldtup, HeapTuple newtup, TupleDesc desc)
{
	p->desc = desc;
	p->oldv = palloc(desc->natts * sizeof(Datum));
	p->newv = palloc(desc->natts * sizeof(Datum));
	p->oldn = palloc(desc->natts * sizeof(bool));
	p->newn = palloc(desc->natts * sizeof(bool));
	heap_deform_tuple(oldtup, desc, p->oldv, p->oldn);
	heap_deform_tuple(newtup, desc, p->newv, p->newn);
}

/*
 * First attribute (1-based) after "after" whose value differs, among the
 * content columns or among the lifecycle columns; 0 if none.
 */
static int
next_changed_column(const row_pair *p, bool lifecycle, int after)
{
	int			i;

	for (i = after + 1; i <= p->desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(p->desc, i - 1);

		if (att->attisdropped || is_lifecycle_column(i) != lifecycle)
			continue;
		if (p->oldn[i - 1] != p->newn[i - 1])
			return i;
		if (!p->oldn[i - 1] &&
			!datum_image_eq(p->oldv[i - 1], p->newv[i - 1], att->attbyval, att->attlen))
			return i;
	}
	return 0;
}

#define first_changed_column(p, l) next_changed_column(p, l, 0)

static void
check_trigger_protocol(FunctionCallInfo fcinfo, const char *name, bool before)
{
	TriggerData *td;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" was not called by the trigger manager", name)));
	td = (TriggerData *) fcinfo->context;
	if (!TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		(before ? !TRIGGER_FIRED_BEFORE(td->tg_event) : !TRIGGER_FIRED_AFTER(td->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" must be fired %s each row", name,
						before ? "BEFORE" : "AFTER")));
}

TriggerData *
record_trigger_begin(FunctionCallInfo fcinfo, const char *name, bool before)
{
	TriggerData *td;

	check_trigger_protocol(fcinfo, name, before);
	td = (TriggerData *) fcinfo->context;
	load_record_columns(td->tg_relation);
	return td;
}

/* ---------------------------------------------------------------- history */

static SPIPlanPtr event_plan = NULL;

static void
write_event(const char *origin, int64 record_id, const char *event, int from, int to)
{
	Datum		values[6];
	char		nulls[6] = {' ', ' ', ' ', ' ', ' ', ' '};

	if (event_plan == NULL)
	{
		Oid			argtypes[6] = {TEXTOID, INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID};

		integrity_keep_plan(&event_plan, "INSERT INTO integrity.record_event "
							   "(origin, id, record_id, event, from_state, to_state, actor, reason) "
							   "VALUES ($1, pg_catalog.nextval('integrity.record_event_id_seq'), $2, $3, "
							   "$4::integrity.record_state, $5::integrity.record_state, "
							   "pg_catalog.session_user(), $6)",
							6, argtypes);
	}
	values[0] = CStringGetTextDatum(origin);
	values[1] = Int64GetDatum(record_id);
	values[2] = CStringGetTextDatum(event);
	if (from == RS_NONE)
	{
		values[3] = (Datum) 0;
		nulls[3] = 'n';
	}
	else
		values[3] = CStringGetTextDatum(record_state_names[from]);
	values[4] = CStringGetTextDatum(record_state_names[to]);
	if (pending_reason)
		values[5] = CStringGetTextDatum(pending_reason);
	else
	{
		values[5] = (Datum) 0;
		nulls[5] = 'n';
	}
	if (SPI_execute_plan(event_plan, values, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not write record_event");
}

/*
 * record_log: AFTER INSERT OR UPDATE FOR EACH ROW on integrity.record.
 * SPEC 4: each transition writes a record_event row in the same
 * transaction; SPEC 6: transitions of published records are disclosed.
 */
/* the payload of a record's disclosure, once log.c knows the back-link */
typedef struct record_payload_arg
{
	Relation	rel;
	HeapTuple	tup;
	const char *origin;
	int64		id;
	const char *event;
} record_payload_arg;

static char *
record_payload(void *arg, int64 prev_seq, size_t *len)
{
	record_payload_arg *pa = arg;

	return disclosure_payload(pa->rel, pa->tup, pa->origin, pa->id, pa->event, prev_seq, len);
}

PG_FUNCTION_INFO_V1(record_log);
Datum
record_log(PG_FUNCTION_ARGS)
{
	TriggerData *td;
	TupleDesc	desc;
	HeapTuple	oldtup = NULL,
				newtup;
	int			from = RS_NONE,
				to;
	int64		id;
	char	   *origin;
	const char *event;
	const char *disclose = NULL;
	row_pair	pair;

	td = record_trigger_begin(fcinfo, "record_log", false);
	desc = RelationGetDescr(td->tg_relation);
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		oldtup = td->tg_trigtuple;
		newtup = td->tg_newtuple;
		from = record_state_of(oldtup, desc, record_cols.state);
	}
	else if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		newtup = td->tg_trigtuple;
		if (!pending_add)
			return PointerGetDatum(NULL);	/* a load: its history comes with it */
	}
	else
		return PointerGetDatum(NULL);

	to = record_state_of(newtup, desc, record_cols.state);
	id = record_id_of(newtup, desc);
	origin = SPI_getvalue(newtup, desc, record_cols.origin);

	if (oldtup == NULL)
		event = "collect";
	else if (from != to)
	{
		event = record_transition_event(from, to);
		disclose = record_disclosure_event(from, to,
										   !record_is_null(oldtup, desc, record_cols.published_on));
	}
	else if (deform_pair(&pair, oldtup, newtup, desc), first_changed_column(&pair, false) != 0)
		event = "correction";
	else
	{
		bool		isnull;

		if (DatumGetBool(heap_getattr(newtup, record_cols.remedied, desc, &isnull)) &&
			!DatumGetBool(heap_getattr(oldtup, record_cols.remedied, desc, &isnull)))
			event = "remedied";
		else
			return PointerGetDatum(NULL);	/* nothing happened */
	}

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (disclose)
	{
		/* the record_event row is written by the disclosure's statement */
		record_event_row ev;
		record_payload_arg pa;

		ev.event = event;
		ev.from_state = from == RS_NONE ? NULL : record_state_names[from];
		ev.to_state = record_state_names[to];
		ev.reason = pending_reason;
		/* issue 17: the payload names the previous entry about the subject */
		pa.rel = td->tg_relation;
		pa.tup = newtup;
		pa.origin = origin;
		pa.id = id;
		pa.event = disclose;
		log_append_linked(origin, id, disclosure_subject_id(td->tg_relation, newtup), disclose,
						  record_payload, &pa, &ev);
	}
	else
		write_event(origin, id, event, from, to);
	SPI_finish();
	return PointerGetDatum(NULL);
}

/*
 * refuse_change: record_event and disclosure are append-only (SPEC 3, 6).
 * BEFORE UPDATE OR DELETE FOR EACH ROW and BEFORE TRUNCATE FOR EACH
 * STATEMENT.
 */
PG_FUNCTION_INFO_V1(refuse_change);
Datum
refuse_change(PG_FUNCTION_ARGS)
{
	TriggerData *td;
	const char *what;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"refuse_change\" was not called by the trigger manager")));
	td = (TriggerData *) fcinfo->context;
	if (!TRIGGER_FIRED_BEFORE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"refuse_change\" must be fired BEFORE")));
	if (TRIGGER_FIRED_BY_TRUNCATE(td->tg_event))
		what = "TRUNCATE";
	else if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		what = "DELETE";
	else if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
		what = "UPDATE";
	else
		return PointerGetDatum(td->tg_trigtuple);	/* INSERT is fine */
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("table %s.%s is append-only: %s is not allowed",
					get_namespace_name(RelationGetNamespace(td->tg_relation)),
					RelationGetRelationName(td->tg_relation), what),
			 errdetail("History and disclosures are never changed or removed.")));
	PG_RETURN_NULL();
}

/* ---------------------------------------------------------------- publish */

static SPIPlanPtr publish_plan = NULL;
static SPIPlanPtr publish_seq_plan = NULL;

/*
 * Publish one record of origin, as transition(record_id, 'published', NULL)
 * does: the requested state for record_guard's checks, one UPDATE (the
 * record_log trigger appends the disclosure), P0002 for an unknown record.
 * Returns the seq of the disclosure, or 0 if there is none.  The caller is
 * connected to SPI.
 */
static int64
publish_one(const char *origin, int64 record_id)
{
	Datum		v[2];
	uint64		n;
	int64		seq;
	bool		isnull;

	if (publish_plan == NULL)
	{
		Oid			types[2] = {TEXTOID, INT8OID};

		integrity_keep_plan(&publish_plan, "UPDATE integrity.record r SET state = 'published' "
							   "WHERE r.origin = $1 AND r.id = $2",
							2, types);
	}
	v[0] = CStringGetTextDatum(origin);
	v[1] = Int64GetDatum(record_id);

	/* as _set_context(NULL, false, 'published'): what the caller asked for */
	if (!callbacks_registered)
	{
		RegisterXactCallback(context_xact_callback, NULL);
		RegisterSubXactCallback(context_subxact_callback, NULL);
		callbacks_registered = true;
	}
	clear_context();
	pending_to = RS_PUBLISHED;
	pending_level = GetCurrentTransactionNestLevel();
	if (SPI_execute_plan(publish_plan, v, NULL, false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not update record %lld", (long long) record_id);
	n = SPI_processed;
	clear_context();
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("record %lld does not exist", (long long) record_id),
				 errhint("Record ids are those of this platform's origin.")));

	seq = log_last_seq(origin, record_id);
	if (seq > 0)
		return seq;
	/* not appended by this call (a trigger of someone else's?): look it up */
	if (publish_seq_plan == NULL)
	{
		Oid			types[2] = {TEXTOID, INT8OID};

		integrity_keep_plan(&publish_seq_plan, "SELECT d.seq FROM integrity.disclosure d "
							   "WHERE d.origin = $1 AND d.record_id = $2 AND d.event = 'publish' "
							   "ORDER BY d.seq DESC LIMIT 1",
							2, types);
	}
	if (SPI_execute_plan(publish_seq_plan, v, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the disclosure of record %lld", (long long) record_id);
	if (SPI_processed != 1)
		return 0;
	seq = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	return isnull ? 0 : seq;
}

/*
 * integrity.publish(record_id): the hot path of SPEC 6 in one C call, with
 * the origin read once and no PL/pgSQL in between; returns the seq of the
 * disclosure that the record_log trigger appended.  SECURITY DEFINER with a
 * fixed search_path in SQL.
 */
PG_FUNCTION_INFO_V1(publish_record);
Datum
publish_record(PG_FUNCTION_ARGS)
{
	const char *origin = integrity_origin();
	int64		seq;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("record_id is required")));
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	seq = publish_one(origin, PG_GETARG_INT64(0));
	SPI_finish();
	if (seq == 0)
		PG_RETURN_NULL();
	PG_RETURN_INT64(seq);
}

/*
 * integrity.publish_many(record_ids bigint[]): publish(id) for each element
 * in array order, in one call (SPEC 9: the per-call costs paid once); the
 * same rules and errors, and the first error cancels the whole call.
 * Returns the seqs in the order of the array.
 */
PG_FUNCTION_INFO_V1(publish_records);
Datum
publish_records(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const char *origin = integrity_origin();
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				i;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("record_ids is required")));
	arr = PG_GETARG_ARRAYTYPE_P(0);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("record_ids must be a one-dimensional array")));
	deconstruct_array(arr, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE, &elems, &nulls, &n);
	for (i = 0; i < n; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("record_id is required"),
					 errdetail("Element %d of record_ids is NULL.", i + 1)));

	InitMaterializedSRF(fcinfo, MAT_SRF_USE_EXPECTED_DESC);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	for (i = 0; i < n; i++)
	{
		int64		seq = publish_one(origin, DatumGetInt64(elems[i]));
		Datum		value = Int64GetDatum(seq);
		bool		isnull = (seq == 0);

		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, &value, &isnull);
	}
	SPI_finish();
	return (Datum) 0;
}
