/*
 * lifecycle_guard.c: record_guard, the BEFORE ROW trigger of
 * integrity.record that enforces the lifecycle (SPEC 4; DOMAIN D2.2-D2.7)
 * whoever writes the table: legal transitions (lifecycle_core.c), frozen
 * content once confirmed, the dates of transitions set here, DELETE
 * refused.  The other triggers and publish() are lifecycle.c's.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "commands/trigger.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datum.h"
#include "utils/inval.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "lifecycle.h"
#include "pg_util.h"

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
	if (lifecycle_context_to() == RS_NONE || lifecycle_context_to() != to)
		return;
	if (from == to)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("illegal transition of record %lld from %s to %s", (long long) id,
						record_state_names[from], record_state_names[to]),
				 errdetail("Record %lld is already %s.", (long long) id, record_state_names[from])));
	if ((to == RS_OBJECTED || to == RS_REPAIRED || to == RS_REVOKED) && is_blank_text(lifecycle_context_reason()))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a reason is required to move record %lld to %s", (long long) id,
						record_state_names[to]),
				 errdetail("Objections, repairs and revocations are explained to the subject and the public.")));
	if (from == RS_OBJECTED && to != RS_REVOKED && is_blank_text(lifecycle_context_reason()))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a reason is required to resolve the objection to record %lld", (long long) id)));
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
	bool		rem_old = DatumGetBool(r->ov[record_cols.remedied - 1]);
	bool		rem_new = DatumGetBool(r->nv[record_cols.remedied - 1]);
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
	if (changed != 0 && changed != record_cols.remedied && changed != record_cols.remedied_on &&
		changed != record_cols.updated_at)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("column \"%s\" of record %lld changes only with a transition (state %s to %s)",
						NameStr(TupleDescAttr(desc, changed - 1)->attname), (long long) id,
						record_state_names[state], record_state_names[state]),
				 errhint("Use integrity.transition(record_id, to_state, reason).")));
	if (!rem_old && rem_new && r->nn[record_cols.remedied_on - 1])
		guard_set(repl, record_cols.remedied_on, DateADTGetDatum(transaction_today()));
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
		!DatumGetBool(r->nv[record_cols.publishable - 1]))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("record %lld cannot be published", (long long) id),
				 errdetail("Minor records and records of unpublished categories are not published (D2.6).")));

	/* D2.7: credit repair once the minimum publicity period has passed */
	if (to == RS_REPAIRED && !r->nn[record_cols.repair_allowed_from - 1])
	{
		DateADT		allowed = DatumGetDateADT(r->nv[record_cols.repair_allowed_from - 1]);

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
			return from == RS_NOTIFIED ? record_cols.confirmed_on : 0;
		case RS_PUBLISHED:
			return from == RS_CONFIRMED ? record_cols.published_on : 0;
		case RS_REPAIRED:
			return record_cols.repaired_on;
		case RS_REVOKED:
			return record_cols.revoked_on;
		case RS_EXPIRED:
			{
				/* D2.6: publicity ended on publicity_until */
				bool		until_null = r->nn[record_cols.publicity_until - 1];
				DateADT		until = until_null ? 0 : DatumGetDateADT(r->nv[record_cols.publicity_until - 1]);

				if (!until_null && until > now_date)
					ereport(ERROR,
							(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
							 errmsg("record %lld cannot expire before %s", (long long) id,
									date_text(until)),
							 errdetail("Its maximum publicity period ends on %s (D2.6).",
									   date_text(until))));
				*d = until_null ? now_date : until;
				return record_cols.expired_on;
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
		if (r->nn[record_cols.objection_due - 1])
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("objection to record %lld needs objection_due", (long long) id),
					 errhint("Use integrity.object(record_id, reason).")));
		guard_set(repl, record_cols.state_before_objection, ObjectIdGetDatum(record_cols.state_oid[from]));
		guard_set(repl, record_cols.objected_on, DateADTGetDatum(now_date));
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

		if (changed == record_cols.state || changed == record_cols.updated_at ||
			changed == record_cols.remedied || changed == record_cols.remedied_on ||
			(to == RS_OBJECTED && changed == record_cols.objection_due))
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
	id = r.on[record_cols.id - 1] ? 0 : DatumGetInt64(r.ov[record_cols.id - 1]);
	from = record_state_value(r.ov[record_cols.state - 1], r.on[record_cols.state - 1]);
	to = record_state_value(r.nv[record_cols.state - 1], r.nn[record_cols.state - 1]);
	before_objection = record_state_value(r.ov[record_cols.state_before_objection - 1],
								   r.on[record_cols.state_before_objection - 1]);
	check_requested_transition(id, from, to);

	/* Content of a confirmed record never changes (and identity never). */
	changed = guard_changed_columns(g, &r, desc->natts, lc_changed, &nlc);
	if (changed != 0 && (record_state_content_frozen(from) || from != to ||
						 changed == record_cols.origin || changed == record_cols.id))
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
	guard_set(&repl, record_cols.updated_at, TimestampTzGetDatum(GetCurrentTransactionStartTimestamp()));
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

	td = record_trigger_begin(fcinfo, "record_guard", true);
	desc = RelationGetDescr(td->tg_relation);

	if (TRIGGER_FIRED_BY_DELETE(td->tg_event))
	{
		oldtup = td->tg_trigtuple;
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("record %lld cannot be deleted",
						(long long) record_id_of(oldtup, desc)),
				 errdetail("Records are never deleted (D2.4)."),
				 errhint("Withdraw wrong information with integrity.revoke(record_id, reason).")));
	}

	if (TRIGGER_FIRED_BY_INSERT(td->tg_event))
	{
		newtup = td->tg_trigtuple;
		/* a load by the owner (pg_restore) keeps its rows as they were */
		if (!lifecycle_context_adding())
			return PointerGetDatum(newtup);
		to = record_state_of(newtup, desc, record_cols.state);
		if (to != RS_COLLECTED)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("new record %lld must start in state collected, not %s",
							(long long) record_id_of(newtup, desc),
							to == RS_NONE ? "null" : record_state_names[to]),
					 errhint("Add records with integrity.record_add().")));
		if (!record_is_null(newtup, desc, record_cols.confirmed_on) ||
			!record_is_null(newtup, desc, record_cols.published_on) || !record_is_null(newtup, desc, record_cols.objected_on) ||
			!record_is_null(newtup, desc, record_cols.repaired_on) || !record_is_null(newtup, desc, record_cols.revoked_on) ||
			!record_is_null(newtup, desc, record_cols.expired_on) || !record_is_null(newtup, desc, record_cols.state_before_objection))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("new record %lld cannot carry transition dates",
							(long long) record_id_of(newtup, desc))));
		return PointerGetDatum(newtup);
	}

	/* UPDATE */
	return guard_update(td, desc);
}
