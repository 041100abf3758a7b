/*
 * commitments.c: the C triggers that enforce the states of commitments
 * and arrears (DOMAIN D7.2-D7.4) on integrity.commitment and
 * integrity.arrears, whoever writes the tables, and the SQL entry points
 * of the due-date rules (src/commitments_core.c).
 *
 *   obligation_guard  BEFORE INSERT OR UPDATE OR DELETE FOR EACH ROW,
 *                     argument 'commitment' or 'arrears': legal
 *                     transitions only, the columns each state needs, no
 *                     edit of the content or of a closed row, no DELETE
 *   obligation_log    AFTER INSERT OR UPDATE FOR EACH ROW: the
 *                     commitment_event / arrears_event row of every step
 *                     and, for making, fulfilling, breaking and changing a
 *                     commitment, the signed disclosure (SPEC 6)
 *
 * A commitment disclosure has a NULL record_id: it is keyed by the
 * commitment_id member of its payload (see docs/DESIGN.md).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "commitments.h"
#include "log.h"
#include "pg_util.h"

/*
 * The context an API function gives the triggers (as _set_context does for
 * records): the reason of the next history rows, and whether an INSERT
 * comes from commitment_add / arrears_add (a load by the owner, such as
 * pg_restore, is taken as it is and not logged again).  Cleared by the API
 * function, at the end of the transaction, or when the subtransaction that
 * set it aborts.
 */
static char *ctx_reason = NULL;
static bool ctx_adding = false;
static int	ctx_level = 0;
static bool ctx_callbacks = false;

static void
ctx_clear(void)
{
	if (ctx_reason)
		pfree(ctx_reason);
	ctx_reason = NULL;
	ctx_adding = false;
	ctx_level = 0;
}

static void
ctx_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT ||
		event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT ||
		event == XACT_EVENT_PREPARE)
		ctx_clear();
}

static void
ctx_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					 SubTransactionId parentSubid, void *arg)
{
	if (event == SUBXACT_EVENT_ABORT_SUB && ctx_level >= GetCurrentTransactionNestLevel())
		ctx_clear();
}

/* integrity._obligation_context(reason text, adding boolean) */
PG_FUNCTION_INFO_V1(obligation_context);
Datum
obligation_context(PG_FUNCTION_ARGS)
{
	if (!ctx_callbacks)
	{
		RegisterXactCallback(ctx_xact_callback, NULL);
		RegisterSubXactCallback(ctx_subxact_callback, NULL);
		ctx_callbacks = true;
	}
	ctx_clear();
	if (!PG_ARGISNULL(0))
		ctx_reason = MemoryContextStrdup(TopMemoryContext, text_to_cstring(PG_GETARG_TEXT_PP(0)));
	ctx_adding = !PG_ARGISNULL(1) && PG_GETARG_BOOL(1);
	ctx_level = GetCurrentTransactionNestLevel();
	PG_RETURN_VOID();
}

/* ------------------------------------------------------------ the rows */

/* the closure columns: set once, by a transition, each needed by a state */
static const struct
{
	const char *name;
	unsigned	bit;
	bool		is_date;
	bool		is_text;
}			closure_columns[] = {
	{"fulfilled_on", OBCOL_FULFILLED_ON, true, false},
	{"evidence", OBCOL_EVIDENCE, false, true},
	{"overdue_on", OBCOL_OVERDUE_ON, true, false},
	{"broken_on", OBCOL_BROKEN_ON, true, false},
	{"breach_record_id", OBCOL_BREACH_RECORD, false, false},
	{"changed_on", OBCOL_CHANGED_ON, true, false},
	{"legal_basis", OBCOL_LEGAL_BASIS, false, true},
	{"compensation", OBCOL_COMPENSATION, false, false},
	{"paid_on", OBCOL_PAID_ON, true, false},
};
#define N_CLOSURE (sizeof(closure_columns) / sizeof(closure_columns[0]))

static void
check_protocol(FunctionCallInfo fcinfo, const char *name, bool before, obligation_kind *kind)
{
	TriggerData *td;
	const char *arg;

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" was not called by the trigger manager", name)));
	td = (TriggerData *) fcinfo->context;
	if (!TRIGGER_FIRED_FOR_ROW(td->tg_event) ||
		(before ? !TRIGGER_FIRED_BEFORE(td->tg_event) : !TRIGGER_FIRED_AFTER(td->tg_event)))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" must be fired %s each row", name, before ? "BEFORE" : "AFTER")));
	arg = td->tg_trigger->tgnargs == 1 ? td->tg_trigger->tgargs[0] : "";
	if (strcmp(arg, "commitment") == 0)
		*kind = OB_COMMITMENT;
	else if (strcmp(arg, "arrears") == 0)
		*kind = OB_ARREARS;
	else
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("function \"%s\" needs the argument 'commitment' or 'arrears'", name)));
}

static int
column(TupleDesc desc, const char *name)
{
	int			n = SPI_fnumber(desc, name);

	if (n <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
				 errmsg("obligation trigger: column \"%s\" not found", name),
				 errhint("The trigger belongs on integrity.commitment or integrity.arrears.")));
	return n;
}

static int
state_of(obligation_kind k, HeapTuple tup, TupleDesc desc)
{
	char	   *s = SPI_getvalue(tup, desc, column(desc, "state"));
	int			st = obligation_state_from_name(k, s);

	if (s)
		pfree(s);
	return st;
}

static int64
id_of(HeapTuple tup, TupleDesc desc)
{
	bool		isnull;
	Datum		d = heap_getattr(tup, column(desc, "id"), desc, &isnull);

	return isnull ? 0 : DatumGetInt64(d);
}

/* true when the value is NULL, or text that is only blanks */
static bool
blank_value(HeapTuple tup, TupleDesc desc, int attnum, bool is_text)
{
	bool		isnull;
	Datum		d = heap_getattr(tup, attnum, desc, &isnull);
	char	   *s,
			   *p;
	bool		blank = true;

	if (isnull)
		return true;
	if (!is_text)
		return false;
	s = TextDatumGetCString(d);
	for (p = s; *p && blank;)
	{
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == '\f' || *p == '\v')
			p++;
		else if ((unsigned char) p[0] == 0xE3 && (unsigned char) p[1] == 0x80 && (unsigned char) p[2] == 0x80)
			p += 3;
		else
			blank = false;
	}
	pfree(s);
	return blank;
}

static const char *
kind_noun(obligation_kind k)
{
	return k == OB_COMMITMENT ? "commitment" : "arrears";
}

/* ------------------------------------------------------------- guard */

static void
guard_insert(obligation_kind k, HeapTuple tup, TupleDesc desc)
{
	int			st = state_of(k, tup, desc);
	size_t		i;

	if (st != 0)				/* open */
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("new %s %lld must start in state open", kind_noun(k), (long long) id_of(tup, desc)),
				 errhint("Add it with integrity.%s_add().", kind_noun(k))));
	for (i = 0; i < N_CLOSURE; i++)
	{
		int			att = SPI_fnumber(desc, closure_columns[i].name);

		if (att > 0 && !blank_value(tup, desc, att, false))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("new %s %lld cannot carry %s", kind_noun(k), (long long) id_of(tup, desc),
							closure_columns[i].name),
					 errdetail("Fulfilment, breach, change and payment are later steps (D7.2-D7.4).")));
	}
}

static void
guard_update(obligation_kind k, HeapTuple oldtup, HeapTuple newtup, TupleDesc desc)
{
	int64		id = id_of(newtup, desc);
	int			from = state_of(k, oldtup, desc);
	int			to = state_of(k, newtup, desc);
	unsigned	required;
	int			att;
	size_t		i;
	DateADT		now = transaction_today();

	if (from != OB_STATE_NONE && obligation_state_closed(k, from))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s %lld is closed (%s) and cannot be changed", kind_noun(k), (long long) id,
						obligation_state_name(k, from)),
				 errdetail(k == OB_COMMITMENT
						   ? "A fulfilled, broken or lawfully changed commitment is final (D7.2, D7.3)."
						   : "Paid arrears are final (D7.4).")));
	if (from == to)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s %lld changes only by a transition", kind_noun(k), (long long) id),
				 errdetail("Its content is fixed when it is made; every change is a step of its history (D7)."),
				 errhint(k == OB_COMMITMENT
						 ? "Use integrity.commitment_fulfil(), commitment_change() or commitments_due()."
						 : "Use integrity.arrears_pay() or commitments_due().")));
	if (!obligation_transition_allowed(k, from, to))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("illegal transition of %s %lld from %s to %s", kind_noun(k), (long long) id,
						from == OB_STATE_NONE ? "null" : obligation_state_name(k, from),
						to == OB_STATE_NONE ? "null" : obligation_state_name(k, to)),
				 errdetail(k == OB_COMMITMENT
						   ? "A commitment goes open -> fulfilled | overdue | changed_lawfully, overdue -> fulfilled | broken | changed_lawfully (D7.2, D7.3)."
						   : "Arrears go open -> overdue | paid, overdue -> broken | paid, broken -> paid (D7.4).")));

	/* every column but the state and the closure columns is content */
	for (att = 1; att <= desc->natts; att++)
	{
		Form_pg_attribute a = TupleDescAttr(desc, att - 1);
		bool		on,
					nn;
		Datum		ov,
					nv;
		bool		closure = false;

		if (a->attisdropped || strcmp(NameStr(a->attname), "state") == 0)
			continue;
		for (i = 0; i < N_CLOSURE; i++)
			if (strcmp(NameStr(a->attname), closure_columns[i].name) == 0)
				closure = true;
		ov = heap_getattr(oldtup, att, desc, &on);
		nv = heap_getattr(newtup, att, desc, &nn);
		if (on == nn && (on || datum_image_eq(ov, nv, a->attbyval, a->attlen)))
			continue;
		if (!closure)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("column %s of %s %lld cannot be changed", NameStr(a->attname), kind_noun(k),
							(long long) id),
					 errdetail("What was committed or owed is fixed when it is recorded (D7).")));
		if (!on)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("column %s of %s %lld is set once", NameStr(a->attname), kind_noun(k),
							(long long) id)));
	}

	/* the columns the new state needs; only those may be newly set */
	required = obligation_required_columns(k, to);
	for (i = 0; i < N_CLOSURE; i++)
	{
		bool		was,
					is;

		att = SPI_fnumber(desc, closure_columns[i].name);
		if (att <= 0)
			continue;
		was = !blank_value(oldtup, desc, att, false);
		is = !blank_value(newtup, desc, att, closure_columns[i].is_text);
		if ((required & closure_columns[i].bit) && !is)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("%s %lld in state %s needs %s", kind_noun(k), (long long) id,
							obligation_state_name(k, to), closure_columns[i].name),
					 errdetail(k == OB_COMMITMENT
							   ? "Fulfilment needs its date and evidence (D7.2), a breach its date and record (D7.2), a lawful change its date, legal basis and compensation (D7.3)."
							   : "A breach needs its date and record, a payment in full its date (D7.4).")));
		if (!was && !blank_value(newtup, desc, att, false))
		{
			bool		isnull;

			if (!(required & closure_columns[i].bit))
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("%s %lld cannot set %s when it becomes %s", kind_noun(k), (long long) id,
								closure_columns[i].name, obligation_state_name(k, to))));
			/* no step is dated ahead of time: a breach signed early would be false */
			if (closure_columns[i].is_date &&
				DatumGetDateADT(heap_getattr(newtup, att, desc, &isnull)) > now)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("%s of %s %lld is in the future", closure_columns[i].name, kind_noun(k),
								(long long) id)));
		}
	}
}

PG_FUNCTION_INFO_V1(obligation_guard);
Datum
obligation_guard(PG_FUNCTION_ARGS)
{
	TriggerData *td;
	TupleDesc	desc;
	obligation_kind k;

	check_protocol(fcinfo, "obligation_guard", true, &k);
	td = (TriggerData *) fcinfo->context;
	desc = RelationGetDescr(td->tg_relation);

	if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s %lld cannot be deleted", kind_noun(k), (long long) id_of(td->tg_trigtuple, desc)),
				 errdetail("Commitments and arrears are never deleted; a lawful change is recorded (D7.3)."),
				 errhint(k == OB_COMMITMENT ? "Withdraw a commitment with integrity.commitment_change()."
						 : "Arrears end when they are paid (integrity.arrears_pay()).")));
	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		/* a load by the owner (pg_restore) keeps its rows as they were */
		if (ctx_adding)
			guard_insert(k, td->tg_trigtuple, desc);
		return PointerGetDatum(td->tg_trigtuple);
	}
	guard_update(k, td->tg_trigtuple, td->tg_newtuple, desc);
	return PointerGetDatum(td->tg_newtuple);
}

/* --------------------------------------------------------------- log */

static SPIPlanPtr event_plan[OB_COUNT];
static SPIPlanPtr payload_plan = NULL;

static void
write_event(obligation_kind k, const char *origin, int64 id, const char *event, int from, int to)
{
	Datum		v[6];
	char		nulls[6] = {' ', ' ', ' ', ' ', ' ', ' '};
	Oid			types[6] = {TEXTOID, INT8OID, TEXTOID, TEXTOID, TEXTOID, TEXTOID};

	integrity_keep_plan(&event_plan[k], k == OB_COMMITMENT
						? "INSERT INTO integrity.commitment_event "
						"(origin, id, commitment_id, event, from_state, to_state, actor, reason) "
						"VALUES ($1, pg_catalog.nextval('integrity.commitment_event_id_seq'), $2, $3, "
						"$4::integrity.commitment_state, $5::integrity.commitment_state, pg_catalog.session_user(), $6)"
						: "INSERT INTO integrity.arrears_event "
						"(origin, id, arrears_id, event, from_state, to_state, actor, reason) "
						"VALUES ($1, pg_catalog.nextval('integrity.arrears_event_id_seq'), $2, $3, "
						"$4::integrity.arrears_state, $5::integrity.arrears_state, pg_catalog.session_user(), $6)",
						6, types);
	v[0] = CStringGetTextDatum(origin);
	v[1] = Int64GetDatum(id);
	v[2] = CStringGetTextDatum(event);
	if (from == OB_STATE_NONE)
		nulls[3] = 'n';
	else
		v[3] = CStringGetTextDatum(obligation_state_name(k, from));
	v[4] = CStringGetTextDatum(obligation_state_name(k, to));
	if (ctx_reason)
		v[5] = CStringGetTextDatum(ctx_reason);
	else
		nulls[5] = 'n';
	if (SPI_execute_plan(event_plan[k], v, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not write the %s history", kind_noun(k));
}

/* SPEC 6: the signed disclosure of a commitment step, keyed by its payload */
typedef struct commitment_payload_arg
{
	const char *origin;
	int64		id;
	const char *event;
} commitment_payload_arg;

/*
 * The canonical payload, built once log.c knows the back-link (issue 17:
 * subject_id and prev_seq, as in a record's payload; none on a 1.1 catalog).
 */
static char *
commitment_payload(void *arg, int64 prev_seq, size_t *len)
{
	commitment_payload_arg *a = arg;
	Oid			types[4] = {TEXTOID, INT8OID, TEXTOID, INT8OID};
	Datum		v[4];
	bool		isnull;
	text	   *payload;
	char	   *bytes;

	integrity_keep_plan(&payload_plan,
						"SELECT integrity.canonical_json((integrity._commitment_payload($1, $2, $3) "
						"OPERATOR(pg_catalog.||) CASE WHEN $4 OPERATOR(pg_catalog.<) 0 THEN '{}'::jsonb "
						"ELSE pg_catalog.jsonb_build_object('subject_id', c.subject_id, 'prev_seq', $4) END)::text) "
						"FROM integrity.commitment c WHERE c.origin OPERATOR(pg_catalog.=) $1 AND c.id OPERATOR(pg_catalog.=) $2",
						4, types);
	v[0] = CStringGetTextDatum(a->origin);
	v[1] = Int64GetDatum(a->id);
	v[2] = CStringGetTextDatum(a->event);
	v[3] = Int64GetDatum(prev_seq);
	if (SPI_execute_plan(payload_plan, v, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not build the disclosure payload of commitment %lld", (long long) a->id);
	payload = DatumGetTextPP(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (isnull)
		elog(ERROR, "empty disclosure payload for commitment %lld", (long long) a->id);
	bytes = text_to_cstring(payload);
	*len = strlen(bytes);
	return bytes;
}

static void
disclose(const char *origin, int64 id, int64 subject_id, const char *event)
{
	commitment_payload_arg a;

	a.origin = origin;
	a.id = id;
	a.event = event;
	log_append_linked(origin, LOG_NO_RECORD, subject_id, event, commitment_payload, &a, NULL);
}

PG_FUNCTION_INFO_V1(obligation_log);
Datum
obligation_log(PG_FUNCTION_ARGS)
{
	TriggerData *td;
	TupleDesc	desc;
	obligation_kind k;
	HeapTuple	newtup;
	int			from = OB_STATE_NONE,
				to;
	int64		id;
	char	   *origin;
	const char *event;
	const char *disc;

	check_protocol(fcinfo, "obligation_log", false, &k);
	td = (TriggerData *) fcinfo->context;
	desc = RelationGetDescr(td->tg_relation);
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		newtup = td->tg_newtuple;
		from = state_of(k, td->tg_trigtuple, desc);
	}
	else if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		newtup = td->tg_trigtuple;
		if (!ctx_adding)
			return PointerGetDatum(NULL);	/* a load: its history comes with it */
	}
	else
		return PointerGetDatum(NULL);
	to = state_of(k, newtup, desc);
	event = obligation_event(k, from, to);
	if (event == NULL)
		elog(ERROR, "no event for %s step %d -> %d", kind_noun(k), from, to);	/* the guard refused it */
	disc = obligation_disclosure_event(k, from, to);
	id = id_of(newtup, desc);
	origin = SPI_getvalue(newtup, desc, column(desc, "origin"));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	write_event(k, origin, id, event, from, to);
	if (disc)
	{
		bool		isnull;
		Datum		subject = heap_getattr(newtup, column(desc, "subject_id"), desc, &isnull);

		disclose(origin, id, isnull ? 0 : DatumGetInt64(subject), disc);
	}
	SPI_finish();
	return PointerGetDatum(NULL);
}

/* ------------------------------------------------- the due-date rules */

static obligation_kind
kind_arg(text *t)
{
	char	   *s = text_to_cstring(t);

	if (strcmp(s, "commitment") == 0)
		return OB_COMMITMENT;
	if (strcmp(s, "arrears") == 0)
		return OB_ARREARS;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown obligation kind \"%s\"", s),
			 errhint("The kinds are commitment and arrears.")));
	return OB_COUNT;
}

static int
state_arg(obligation_kind k, text *t)
{
	char	   *s = text_to_cstring(t);
	int			st = obligation_state_from_name(k, s);

	if (st == OB_STATE_NONE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown %s state \"%s\"", kind_noun(k), s)));
	return st;
}

/* integrity._due_step(kind, state, unpaid, as_of, due, grace_end): STRICT */
PG_FUNCTION_INFO_V1(obligation_due_step_sql);
Datum
obligation_due_step_sql(PG_FUNCTION_ARGS)
{
	obligation_kind k = kind_arg(PG_GETARG_TEXT_PP(0));
	int			st = state_arg(k, PG_GETARG_TEXT_PP(1));
	int			next = obligation_due_step(k, st, PG_GETARG_BOOL(2), PG_GETARG_DATEADT(3),
										   PG_GETARG_DATEADT(4), PG_GETARG_DATEADT(5));

	if (next == OB_STATE_NONE)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text(obligation_state_name(k, next)));
}

/* integrity._step_date(kind, to_state, due, grace_end): STRICT */
PG_FUNCTION_INFO_V1(obligation_step_date_sql);
Datum
obligation_step_date_sql(PG_FUNCTION_ARGS)
{
	obligation_kind k = kind_arg(PG_GETARG_TEXT_PP(0));
	int			to = state_arg(k, PG_GETARG_TEXT_PP(1));
	DateADT		due = PG_GETARG_DATEADT(2);
	DateADT		grace_end = PG_GETARG_DATEADT(3);

	if (DATE_NOT_FINITE(due) || DATE_NOT_FINITE(grace_end))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("due dates must be finite")));
	PG_RETURN_DATEADT(obligation_step_date(k, to, due, grace_end));
}
