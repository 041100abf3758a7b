/*
 * lifecycle.c: the C triggers that enforce the record lifecycle (SPEC 4;
 * DOMAIN D2.2-D2.7) on integrity.record, whoever writes the table, and
 * the append-only guard of record_event and disclosure.
 *
 *   record_guard   BEFORE INSERT OR UPDATE OR DELETE FOR EACH ROW:
 *                  legal transitions, frozen content, dates of transitions
 *   record_log     AFTER INSERT OR UPDATE FOR EACH ROW: the record_event
 *                  row and, for published records, the disclosure row
 *   refuse_change  BEFORE UPDATE OR DELETE (row) and TRUNCATE (statement)
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

/* Attribute numbers of integrity.record, looked up by name once. */
typedef struct record_columns
{
	Oid			relid;
	Oid			state_type;
	Oid			state_oid[RS_COUNT];
	int			origin,
				id,
				state,
				state_before_objection,
				confirmed_on,
				published_on,
				objected_on,
				objection_due,
				repaired_on,
				revoked_on,
				expired_on,
				remedied,
				remedied_on,
				updated_at,
				publishable,
				repair_allowed_from,
				publicity_until;
} record_columns;

static record_columns cols;

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

/* true when s is NULL or only blanks (ASCII white space and U+3000) */
static bool
is_blank_text(const char *s)
{
	if (s == NULL)
		return true;
	while (*s)
	{
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' || *s == '\f' || *s == '\v')
			s++;
		else if ((unsigned char) s[0] == 0xE3 && (unsigned char) s[1] == 0x80 &&
				 (unsigned char) s[2] == 0x80)
			s += 3;
		else
			return false;
	}
	return true;
}

/*
 * The rules of a transition asked for through the API (transition() and
 * its wrappers): asking for the state the record is in is illegal, and
 * objections, repairs, revocations and resolutions need a reason.
 */
static void
check_requested_transition(int64 id, int from, int to)
{
	if (pending_to == RS_NONE || pending_to != to)
		return;
	if (from == to)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("illegal transition of record %lld from %s to %s", (long long) id,
						record_state_names[from], record_state_names[to]),
				 errdetail("Record %lld is already %s.", (long long) id, record_state_names[from])));
	if ((to == RS_OBJECTED || to == RS_REPAIRED || to == RS_REVOKED) && is_blank_text(pending_reason))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a reason is required to move record %lld to %s", (long long) id,
						record_state_names[to]),
				 errdetail("Objections, repairs and revocations are explained to the subject and the public.")));
	if (from == RS_OBJECTED && to != RS_REVOKED && is_blank_text(pending_reason))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a reason is required to resolve the objection to record %lld", (long long) id)));
}

static void
load_columns(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			i;

	if (cols.relid == RelationGetRelid(rel))
		return;
	cols.relid = InvalidOid;
	cols.origin = record_column_number(desc, "origin");
	cols.id = record_column_number(desc, "id");
	cols.state = record_column_number(desc, "state");
	cols.state_before_objection = record_column_number(desc, "state_before_objection");
	cols.confirmed_on = record_column_number(desc, "confirmed_on");
	cols.published_on = record_column_number(desc, "published_on");
	cols.objected_on = record_column_number(desc, "objected_on");
	cols.objection_due = record_column_number(desc, "objection_due");
	cols.repaired_on = record_column_number(desc, "repaired_on");
	cols.revoked_on = record_column_number(desc, "revoked_on");
	cols.expired_on = record_column_number(desc, "expired_on");
	cols.remedied = record_column_number(desc, "remedied");
	cols.remedied_on = record_column_number(desc, "remedied_on");
	cols.updated_at = record_column_number(desc, "updated_at");
	cols.publishable = record_column_number(desc, "publishable");
	cols.repair_allowed_from = record_column_number(desc, "repair_allowed_from");
	cols.publicity_until = record_column_number(desc, "publicity_until");
	cols.state_type = TupleDescAttr(desc, cols.state - 1)->atttypid;
	for (i = 0; i < RS_COUNT; i++)
		cols.state_oid[i] = DatumGetObjectId(DirectFunctionCall2(enum_in,
																 CStringGetDatum(record_state_names[i]),
																 ObjectIdGetDatum(cols.state_type)));
	cols.relid = RelationGetRelid(rel);
}

static int
state_of(HeapTuple tup, TupleDesc desc, int attnum)
{
	bool		isnull;
	Datum		d = heap_getattr(tup, attnum, desc, &isnull);
	int			i;

	if (isnull)
		return RS_NONE;
	for (i = 0; i < RS_COUNT; i++)
		if (cols.state_oid[i] == DatumGetObjectId(d))
			return i;
	return RS_NONE;
}

static int64
id_of(HeapTuple tup, TupleDesc desc)
{
	bool		isnull;
	Datum		d = heap_getattr(tup, cols.id, desc, &isnull);

	return isnull ? 0 : DatumGetInt64(d);
}

static bool
is_null(HeapTuple tup, TupleDesc desc, int attnum)
{
	bool		isnull;

	(void) heap_getattr(tup, attnum, desc, &isnull);
	return isnull;
}

static char *
date_text(DateADT d)
{
	return DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)));
}

/* The columns that only a transition (or mark_remedied) may change. */
static bool
is_lifecycle_column(int attnum)
{
	return attnum == cols.state || attnum == cols.state_before_objection ||
		attnum == cols.confirmed_on || attnum == cols.published_on ||
		attnum == cols.objected_on ||
		attnum == cols.objection_due || attnum == cols.repaired_on ||
		attnum == cols.revoked_on || attnum == cols.expired_on ||
		attnum == cols.remedied || attnum == cols.remedied_on ||
		attnum == cols.updated_at;
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

/*
 * What record_guard needs of the table it guards, per attribute: whether
 * the column is content, a lifecycle column or dropped, and how to compare
 * its values.  Built once per relation and kept until a relcache
 * invalidation of that relation (ALTER TABLE and the like), so that an
 * UPDATE pays no catalog lookup and no per-column name test per row.
 */
#define GUARD_SKIP		0		/* dropped column */
#define GUARD_CONTENT	1
#define GUARD_LIFECYCLE 2

typedef struct guard_att
{
	int16		attlen;
	bool		attbyval;
	char		attalign;
	uint8		kind;
} guard_att;

typedef struct guard_layout
{
	Oid			relid;			/* InvalidOid: to be built */
	int			natts;
	int			cap;
	/*
	 * The tail: attributes from tail_from on are all of fixed length and
	 * passed by value (in integrity.record: accident_level .. updated_at,
	 * every lifecycle column among them).  natts if there is none.
	 */
	int			tail_from;
	guard_att  *att;			/* natts entries, in TopMemoryContext */
} guard_layout;

static guard_layout layout = {InvalidOid, 0, 0, 0, NULL};
static bool layout_callback_registered = false;

static void
layout_relcache_callback(Datum arg, Oid relid)
{
	if (relid == InvalidOid || relid == layout.relid)
		layout.relid = InvalidOid;
}

/* cols must be loaded for rel (load_columns) */
static const guard_layout *
guard_layout_for(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);
	int			i;

	if (layout.relid == RelationGetRelid(rel) && layout.natts == desc->natts)
		return &layout;
	if (!layout_callback_registered)
	{
		CacheRegisterRelcacheCallback(layout_relcache_callback, (Datum) 0);
		layout_callback_registered = true;
	}
	layout.relid = InvalidOid;
	if (layout.cap < desc->natts)
	{
		guard_att  *a = MemoryContextAlloc(TopMemoryContext, desc->natts * sizeof(guard_att));

		if (layout.att)
			pfree(layout.att);
		layout.att = a;
		layout.cap = desc->natts;
	}
	for (i = 0; i < desc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(desc, i);

		layout.att[i].attlen = att->attlen;
		layout.att[i].attbyval = att->attbyval;
		layout.att[i].attalign = att->attalign;
		layout.att[i].kind = att->attisdropped ? GUARD_SKIP :
			is_lifecycle_column(i + 1) ? GUARD_LIFECYCLE : GUARD_CONTENT;
	}
	layout.tail_from = desc->natts;
	while (layout.tail_from > 0 && layout.att[layout.tail_from - 1].attbyval &&
		   layout.att[layout.tail_from - 1].attlen > 0)
		layout.tail_from--;
	layout.natts = desc->natts;
	layout.relid = RelationGetRelid(rel);
	return &layout;
}

/*
 * Are two non-null values of a column the same image?  The answer of
 * datum_image_eq, with the common cases (by value, fixed length, two
 * inline varlenas with the same kind of header) done here.
 */
static inline bool
guard_same_image(Datum a, Datum b, const guard_att *att)
{
	if (att->attbyval)
		return a == b;
	if (att->attlen > 0)
		return memcmp(DatumGetPointer(a), DatumGetPointer(b), att->attlen) == 0;
	if (att->attlen == -1)
	{
		const struct varlena *x = (const struct varlena *) DatumGetPointer(a);
		const struct varlena *y = (const struct varlena *) DatumGetPointer(b);

		if (VARATT_IS_SHORT(x) && VARATT_IS_SHORT(y))
			return VARSIZE_SHORT(x) == VARSIZE_SHORT(y) &&
				memcmp(VARDATA_SHORT(x), VARDATA_SHORT(y), VARSIZE_SHORT(x) - VARHDRSZ_SHORT) == 0;
		if (VARATT_IS_4B_U(x) && VARATT_IS_4B_U(y))
			return VARSIZE_4B(x) == VARSIZE_4B(y) &&
				memcmp(VARDATA_4B(x), VARDATA_4B(y), VARSIZE_4B(x) - VARHDRSZ) == 0;
	}
	return datum_image_eq(a, b, att->attbyval, att->attlen);
}

/*
 * The rows of an UPDATE usually differ in a few lifecycle columns only, all
 * in the tail.  guard_split reads the attributes before the tail from the
 * new row (values into nv/nn, pointing into it) and checks that the old row
 * has exactly the same bytes and nulls there; then every column before the
 * tail is unchanged, and *prefix_len is the length of those bytes.  False
 * when that cannot be shown (a content change, different representations
 * of the same value, rows older than an added column): the caller compares
 * column by column instead.
 */
static bool
guard_split(const guard_layout *g, HeapTuple oldtup, HeapTuple newtup,
			Datum *nv, bool *nn, Size *prefix_len)
{
	HeapTupleHeader oh = oldtup->t_data;
	HeapTupleHeader nh = newtup->t_data;
	const char *od = (const char *) oh + oh->t_hoff;
	const char *nd = (const char *) nh + nh->t_hoff;
	Size		olen = oldtup->t_len - oh->t_hoff;
	Size		nlen = newtup->t_len - nh->t_hoff;
	bool		onulls = HeapTupleHasNulls(oldtup);
	bool		nnulls = HeapTupleHasNulls(newtup);
	Size		off = 0;
	int			i;

	if (HeapTupleHeaderGetNatts(oh) != g->natts || HeapTupleHeaderGetNatts(nh) != g->natts)
		return false;
	for (i = 0; i < g->tail_from; i++)
	{
		const guard_att *a = &g->att[i];
		bool		n_null = nnulls && att_isnull(i, nh->t_bits);

		if (n_null != (onulls && att_isnull(i, oh->t_bits)))
			return false;
		nn[i] = n_null;
		if (n_null)
		{
			nv[i] = (Datum) 0;
			continue;
		}
		if (a->attlen == -1)
		{
			if (off >= nlen)
				return false;
			off = att_align_pointer(off, a->attalign, -1, nd + off);
			if (off >= nlen)
				return false;
			nv[i] = PointerGetDatum(nd + off);
			off = att_addlength_pointer(off, -1, nd + off);
		}
		else if (a->attlen > 0)
		{
			off = att_align_nominal(off, a->attalign);
			if (off + a->attlen > nlen)
				return false;
			nv[i] = fetch_att(nd + off, a->attbyval, a->attlen);
			off += a->attlen;
		}
		else
			return false;		/* cstring: not in integrity.record */
		if (off > nlen)
			return false;
	}
	if (off > olen || memcmp(od, nd, off) != 0)
		return false;
	*prefix_len = off;
	return true;
}

/* the tail of a row (see guard_layout), read from prefix_len on */
static bool
guard_tail(const guard_layout *g, HeapTuple tup, Size prefix_len, Datum *v, bool *isnull)
{
	HeapTupleHeader h = tup->t_data;
	const char *d = (const char *) h + h->t_hoff;
	Size		len = tup->t_len - h->t_hoff;
	bool		hasnulls = HeapTupleHasNulls(tup);
	Size		off = prefix_len;
	int			i;

	for (i = g->tail_from; i < g->natts; i++)
	{
		const guard_att *a = &g->att[i];

		if (hasnulls && att_isnull(i, h->t_bits))
		{
			v[i] = (Datum) 0;
			isnull[i] = true;
			continue;
		}
		off = att_align_nominal(off, a->attalign);
		if (off + a->attlen > len)
			return false;
		v[i] = fetch_att(d + off, true, a->attlen);
		isnull[i] = false;
		off += a->attlen;
	}
	return true;
}

/* the state an enum value stands for, RS_NONE for NULL or unknown */
static inline int
guard_state(Datum d, bool isnull)
{
	int			i;

	if (isnull)
		return RS_NONE;
	for (i = 0; i < RS_COUNT; i++)
		if (cols.state_oid[i] == DatumGetObjectId(d))
			return i;
	return RS_NONE;
}

/* columns that record_guard sets on an UPDATE: at most 3 at once */
#define GUARD_MAX_REPL 4
/* lifecycle columns (is_lifecycle_column): 12 */
#define GUARD_MAX_LIFECYCLE 16
/* rows up to this many columns are formed from arrays on the stack */
#define GUARD_STACK_ATTS 64

/* the old and the new row of an UPDATE, as arrays of values and nulls */
typedef struct guard_rows
{
	Datum	   *ov,
			   *nv;
	bool	   *on,
			   *nn;
	int			compare_from;	/* columns before it are known to be equal */
	Datum		ovbuf[GUARD_STACK_ATTS];
	bool		onbuf[GUARD_STACK_ATTS];
	Datum		nvbuf[GUARD_STACK_ATTS];
	bool		nnbuf[GUARD_STACK_ATTS];
} guard_rows;

/* the columns record_guard sets in the new row */
typedef struct guard_repl
{
	int			n;
	int			cols[GUARD_MAX_REPL];
	Datum		vals[GUARD_MAX_REPL];
} guard_repl;

static inline void
guard_set(guard_repl *r, int col, Datum val)
{
	r->cols[r->n] = col;
	r->vals[r->n++] = val;
}

/*
 * Both rows deformed once: from the tuples' bytes when the columns before
 * the tail are the same (guard_split), else into the trigger's own slots
 * (no copies), else into palloc'd arrays.
 */
static void
guard_read_rows(TriggerData *td, const guard_layout *g, TupleDesc desc, guard_rows *r)
{
	HeapTuple	newtup = td->tg_newtuple;
	int			natts = desc->natts;
	Size		prefix_len = 0;

	r->compare_from = 0;
	if (natts <= GUARD_STACK_ATTS &&
		guard_split(g, td->tg_trigtuple, newtup, r->nvbuf, r->nnbuf, &prefix_len) &&
		guard_tail(g, td->tg_trigtuple, prefix_len, r->ovbuf, r->onbuf) &&
		guard_tail(g, newtup, prefix_len, r->nvbuf, r->nnbuf))
	{
		/* the columns before the tail are the same: read once, not compared */
		r->compare_from = g->tail_from;
		memcpy(r->ovbuf, r->nvbuf, r->compare_from * sizeof(Datum));
		memcpy(r->onbuf, r->nnbuf, r->compare_from * sizeof(bool));
		r->ov = r->ovbuf;
		r->on = r->onbuf;
		r->nv = r->nvbuf;
		r->nn = r->nnbuf;
	}
	else if (td->tg_trigslot != NULL && td->tg_newslot != NULL)
	{
		slot_getallattrs(td->tg_trigslot);
		slot_getallattrs(td->tg_newslot);
		r->ov = td->tg_trigslot->tts_values;
		r->on = td->tg_trigslot->tts_isnull;
		r->nv = td->tg_newslot->tts_values;
		r->nn = td->tg_newslot->tts_isnull;
	}
	else
	{
		r->ov = palloc(natts * sizeof(Datum));
		r->nv = palloc(natts * sizeof(Datum));
		r->on = palloc(natts * sizeof(bool));
		r->nn = palloc(natts * sizeof(bool));
		heap_deform_tuple(td->tg_trigtuple, desc, r->ov, r->on);
		heap_deform_tuple(newtup, desc, r->nv, r->nn);
	}
}

/* the first content column that changes (0: none), and the lifecycle ones */
static int
guard_changed_columns(const guard_layout *g, const guard_rows *r, int natts,
					  int *lc_changed, int *nlc)
{
	int			content_changed = 0;
	int			i;

	*nlc = 0;
	for (i = r->compare_from; i < natts; i++)
	{
		const guard_att *a = &g->att[i];

		if (a->kind == GUARD_SKIP)
			continue;
		if (r->on[i] == r->nn[i] && (r->on[i] || guard_same_image(r->ov[i], r->nv[i], a)))
			continue;
		if (a->kind == GUARD_CONTENT)
		{
			if (content_changed == 0)
				content_changed = i + 1;
		}
		else if (*nlc < GUARD_MAX_LIFECYCLE)
			lc_changed[(*nlc)++] = i + 1;
	}
	return content_changed;
}

/* No transition: only remedied may change (false -> true, with its date). */
static void
guard_same_state(const guard_rows *r, TupleDesc desc, int64 id, int state,
				 const int *lc_changed, int nlc, guard_repl *repl)
{
	bool		rem_old = DatumGetBool(r->ov[cols.remedied - 1]);
	bool		rem_new = DatumGetBool(r->nv[cols.remedied - 1]);
	int			changed;

	if (rem_old && !rem_new)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("record %lld is remedied; that cannot be undone", (long long) id)));
	if (!rem_old && rem_new && state == RS_REVOKED)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("record %lld is revoked and cannot be marked remedied", (long long) id)));
	changed = nlc > 0 ? lc_changed[0] : 0;
	if (changed != 0 && changed != cols.remedied && changed != cols.remedied_on &&
		changed != cols.updated_at)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("column \"%s\" of record %lld changes only with a transition (state %s to %s)",
						NameStr(TupleDescAttr(desc, changed - 1)->attname), (long long) id,
						record_state_names[state], record_state_names[state]),
				 errhint("Use integrity.transition(record_id, to_state, reason).")));
	if (!rem_old && rem_new && r->nn[cols.remedied_on - 1])
		guard_set(repl, cols.remedied_on, DateADTGetDatum(transaction_today()));
}

/* the rules of the transition from -> to: allowed, publishable, repairable (D2.2-D2.7) */
static void
guard_transition_allowed(const guard_rows *r, int64 id, int from, int to, int before_objection,
						 DateADT now_date)
{
	if (from == RS_NONE || to == RS_NONE ||
		!record_transition_allowed(from, to, before_objection))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("illegal transition of record %lld from %s to %s",
						(long long) id,
						from == RS_NONE ? "null" : record_state_names[from],
						to == RS_NONE ? "null" : record_state_names[to]),
				 (from == RS_OBJECTED && to != RS_REVOKED && before_objection != RS_NONE) ?
				 errdetail("An objection that is rejected returns the record to %s.",
						   record_state_names[before_objection]) :
				 (from != RS_NONE && record_state_is_final(from)) ?
				 errdetail("State %s is final.", record_state_names[from]) : 0,
				 errhint("The lifecycle is collected -> notified -> confirmed -> published -> repaired | expired; confirmed or published -> objected; any state that is not final -> revoked.")));

	/* D2.6: minor records (and unpublished categories) are not published */
	if (to == RS_PUBLISHED && from == RS_CONFIRMED &&
		!DatumGetBool(r->nv[cols.publishable - 1]))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("record %lld cannot be published", (long long) id),
				 errdetail("Minor records and records of unpublished categories are not published (D2.6).")));

	/* D2.7: credit repair once the minimum publicity period has passed */
	if (to == RS_REPAIRED && !r->nn[cols.repair_allowed_from - 1])
	{
		DateADT		allowed = DatumGetDateADT(r->nv[cols.repair_allowed_from - 1]);

		if (now_date < allowed)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("record %lld cannot be repaired before %s", (long long) id,
							date_text(allowed)),
					 errdetail("Credit repair is allowed from %s, when the minimum publicity period ends (D2.6, D2.7).",
							   date_text(allowed))));
	}
}

/*
 * The transition's own date, set here so nobody can forge it: the column
 * (0: none) and *d its value.
 */
static int
guard_transition_date(const guard_rows *r, int64 id, int from, int to, DateADT now_date,
					  DateADT *d)
{
	*d = now_date;
	switch (to)
	{
		case RS_CONFIRMED:
			return from == RS_NOTIFIED ? cols.confirmed_on : 0;
		case RS_PUBLISHED:
			return from == RS_CONFIRMED ? cols.published_on : 0;
		case RS_REPAIRED:
			return cols.repaired_on;
		case RS_REVOKED:
			return cols.revoked_on;
		case RS_EXPIRED:
			{
				/* D2.6: publicity ended on publicity_until */
				bool		until_null = r->nn[cols.publicity_until - 1];
				DateADT		until = until_null ? 0 : DatumGetDateADT(r->nv[cols.publicity_until - 1]);

				if (!until_null && until > now_date)
					ereport(ERROR,
							(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
							 errmsg("record %lld cannot expire before %s", (long long) id,
									date_text(until)),
							 errdetail("Its maximum publicity period ends on %s (D2.6).",
									   date_text(until))));
				*d = until_null ? now_date : until;
				return cols.expired_on;
			}
		default:
			return 0;
	}
}

/* A transition: its rules, its dates, and no other lifecycle column set by the caller. */
static void
guard_transition(const guard_rows *r, TupleDesc desc, int64 id, int from, int to,
				 int before_objection, const int *lc_changed, int nlc, guard_repl *repl)
{
	DateADT		now_date = transaction_today();
	int			i;

	guard_transition_allowed(r, id, from, to, before_objection, now_date);

	/* D2.7a: entering an objection needs its deadline */
	if (to == RS_OBJECTED)
	{
		if (r->nn[cols.objection_due - 1])
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("objection to record %lld needs objection_due", (long long) id),
					 errhint("Use integrity.object(record_id, reason).")));
		guard_set(repl, cols.state_before_objection, ObjectIdGetDatum(cols.state_oid[from]));
		guard_set(repl, cols.objected_on, DateADTGetDatum(now_date));
	}
	else
	{
		DateADT		d;
		int			datecol = guard_transition_date(r, id, from, to, now_date, &d);

		if (datecol)
			guard_set(repl, datecol, DateADTGetDatum(d));
	}

	/* the other lifecycle columns are not the caller's to set */
	for (i = 0; i < nlc; i++)
	{
		int			changed = lc_changed[i];

		if (changed == cols.state || changed == cols.updated_at ||
			changed == cols.remedied || changed == cols.remedied_on ||
			(to == RS_OBJECTED && changed == cols.objection_due))
			continue;
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("column \"%s\" of record %lld is set by the lifecycle, not by the caller (state %s to %s)",
						NameStr(TupleDescAttr(desc, changed - 1)->attname), (long long) id,
						record_state_names[from], record_state_names[to])));
	}
}

/*
 * The new row with the columns of repl put in, formed from the same arrays;
 * the row as the caller made it when it already holds them.
 */
static HeapTuple
guard_form_row(const guard_layout *g, const guard_rows *r, TupleDesc desc, HeapTuple newtup,
			   const guard_repl *repl)
{
	int			natts = desc->natts;
	Datum		vbuf[GUARD_STACK_ATTS];
	bool		nbuf[GUARD_STACK_ATTS];
	Datum	   *vals;
	bool	   *nulls;
	bool		differs = false;
	HeapTuple	result;
	int			i;

	for (i = 0; i < repl->n; i++)
	{
		int			k = repl->cols[i] - 1;

		if (r->nn[k] || !g->att[k].attbyval || r->nv[k] != repl->vals[i])
			differs = true;
	}
	if (!differs)
		return newtup;

	if (natts <= GUARD_STACK_ATTS)
	{
		vals = vbuf;
		nulls = nbuf;
	}
	else
	{
		vals = palloc(natts * sizeof(Datum));
		nulls = palloc(natts * sizeof(bool));
	}
	memcpy(vals, r->nv, natts * sizeof(Datum));
	memcpy(nulls, r->nn, natts * sizeof(bool));
	for (i = 0; i < repl->n; i++)
	{
		vals[repl->cols[i] - 1] = repl->vals[i];
		nulls[repl->cols[i] - 1] = false;
	}
	result = heap_form_tuple(desc, vals, nulls);
	/* the identity of the row, as heap_modify_tuple keeps it */
	result->t_data->t_ctid = newtup->t_data->t_ctid;
	result->t_self = newtup->t_self;
	result->t_tableOid = newtup->t_tableOid;
	return result;
}

/*
 * record_guard on UPDATE.  Both rows are deformed once and compared column
 * by column in one pass; the dates of the transition and updated_at are
 * put into the new row formed from the same arrays, and only when they
 * differ from what it holds.
 */
static Datum
guard_update(TriggerData *td, TupleDesc desc)
{
	const guard_layout *g = guard_layout_for(td->tg_relation);
	guard_rows	r;
	guard_repl	repl;
	int			from,
				to,
				before_objection,
				changed;
	int64		id;
	int			lc_changed[GUARD_MAX_LIFECYCLE];
	int			nlc;

	guard_read_rows(td, g, desc, &r);
	id = r.on[cols.id - 1] ? 0 : DatumGetInt64(r.ov[cols.id - 1]);
	from = guard_state(r.ov[cols.state - 1], r.on[cols.state - 1]);
	to = guard_state(r.nv[cols.state - 1], r.nn[cols.state - 1]);
	before_objection = guard_state(r.ov[cols.state_before_objection - 1],
								   r.on[cols.state_before_objection - 1]);
	check_requested_transition(id, from, to);

	/* Content of a confirmed record never changes (and identity never). */
	changed = guard_changed_columns(g, &r, desc->natts, lc_changed, &nlc);
	if (changed != 0 && (record_state_content_frozen(from) || from != to ||
						 changed == cols.origin || changed == cols.id))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("cannot change the content of record %lld in state %s (update to state %s)",
						(long long) id, record_state_names[from], record_state_names[to]),
				 errdetail("Column \"%s\" would change; the content of a record is fixed once it is confirmed, and never changes together with a transition.",
						   NameStr(TupleDescAttr(desc, changed - 1)->attname)),
				 errhint("Revoke the record and add a corrected one that supersedes it.")));

	repl.n = 0;
	if (from == to)
		guard_same_state(&r, desc, id, from, lc_changed, nlc, &repl);
	else
		guard_transition(&r, desc, id, from, to, before_objection, lc_changed, nlc, &repl);
	guard_set(&repl, cols.updated_at, TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()));
	return PointerGetDatum(guard_form_row(g, &r, desc, td->tg_newtuple, &repl));
}

/*
 * record_guard: BEFORE INSERT OR UPDATE OR DELETE FOR EACH ROW on
 * integrity.record.  SPEC 4: "any other transition, or any change of a
 * confirmed record's content, is refused with SQLSTATE 55000".
 */
PG_FUNCTION_INFO_V1(record_guard);
Datum
record_guard(PG_FUNCTION_ARGS)
{
	TriggerData *td;
	TupleDesc	desc;
	HeapTuple	oldtup,
				newtup;
	int			to;

	check_trigger_protocol(fcinfo, "record_guard", true);
	td = (TriggerData *) fcinfo->context;
	desc = RelationGetDescr(td->tg_relation);
	load_columns(td->tg_relation);

	if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		oldtup = td->tg_trigtuple;
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("record %lld cannot be deleted",
						(long long) id_of(oldtup, desc)),
				 errdetail("Records are never deleted (D2.4)."),
				 errhint("Withdraw wrong information with integrity.revoke(record_id, reason).")));
	}

	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		newtup = td->tg_trigtuple;
		/* a load by the owner (pg_restore) keeps its rows as they were */
		if (!pending_add)
			return PointerGetDatum(newtup);
		to = state_of(newtup, desc, cols.state);
		if (to != RS_COLLECTED)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("new record %lld must start in state collected, not %s",
							(long long) id_of(newtup, desc),
							to == RS_NONE ? "null" : record_state_names[to]),
					 errhint("Add records with integrity.record_add().")));
		if (!is_null(newtup, desc, cols.confirmed_on) ||
			!is_null(newtup, desc, cols.published_on) || !is_null(newtup, desc, cols.objected_on) ||
			!is_null(newtup, desc, cols.repaired_on) || !is_null(newtup, desc, cols.revoked_on) ||
			!is_null(newtup, desc, cols.expired_on) || !is_null(newtup, desc, cols.state_before_objection))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("new record %lld cannot carry transition dates",
							(long long) id_of(newtup, desc))));
		return PointerGetDatum(newtup);
	}

	/* UPDATE */
	return guard_update(td, desc);
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

	check_trigger_protocol(fcinfo, "record_log", false);
	td = (TriggerData *) fcinfo->context;
	desc = RelationGetDescr(td->tg_relation);
	load_columns(td->tg_relation);
	if (TRIGGER_FIRED_BY_UPDATE(td->tg_event))
	{
		oldtup = td->tg_trigtuple;
		newtup = td->tg_newtuple;
		from = state_of(oldtup, desc, cols.state);
	}
	else if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		newtup = td->tg_trigtuple;
		if (!pending_add)
			return PointerGetDatum(NULL);	/* a load: its history comes with it */
	}
	else
		return PointerGetDatum(NULL);

	to = state_of(newtup, desc, cols.state);
	id = id_of(newtup, desc);
	origin = SPI_getvalue(newtup, desc, cols.origin);

	if (oldtup == NULL)
		event = "collect";
	else if (from != to)
	{
		event = record_transition_event(from, to);
		disclose = record_disclosure_event(from, to,
										   !is_null(oldtup, desc, cols.published_on));
	}
	else if (deform_pair(&pair, oldtup, newtup, desc), first_changed_column(&pair, false) != 0)
		event = "correction";
	else
	{
		bool		isnull;

		if (DatumGetBool(heap_getattr(newtup, cols.remedied, desc, &isnull)) &&
			!DatumGetBool(heap_getattr(oldtup, cols.remedied, desc, &isnull)))
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
		size_t		len = 0;
		char	   *payload = disclosure_payload(td->tg_relation, newtup, origin, id, disclose, &len);

		ev.event = event;
		ev.from_state = from == RS_NONE ? NULL : record_state_names[from];
		ev.to_state = record_state_names[to];
		ev.reason = pending_reason;
		log_append(origin, id, disclose, payload, len, &ev);
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
