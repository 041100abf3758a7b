/*
 * lists.c: PostgreSQL glue of the safety-production lists (DOMAIN D3)
 * and of the quarterly ranking's one-pass sums; the rules are
 * lists_core.c's (lists.h).
 *
 *   _punishment(origin, subject, as_of, params)   D3.1-D3.3 of one subject
 *   _incentive(origin, subject, as_of, params)    D3.4 of one subject
 *   _blacklist_now()   every subject listed today under the default model,
 *   _redlist_now()     every subject on the red list today: one pass over
 *                      record_subject_idx, no argument (what the views call)
 *   _rank_state(...)   aggregate: the five quarters of monitoring_ranking
 *
 * The records are read by kept SPI plans whose rows go straight to a
 * DestReceiver of ours (no tuple table): for one subject an index scan of
 * record_subject_idx, for all subjects an index-only scan of the whole
 * index in (origin, subject_id, decided_on) order, each subject handed to
 * the core when the next begins.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "executor/tuptable.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/params.h"
#include "tcop/dest.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "eval.h"
#include "lists.h"
#include "pg_util.h"

static int32 as_of_arg(FunctionCallInfo fcinfo, int argno);

/* ------------------------------------------------------------ params */

static void
params_error(const char *field, const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid score model: %s must be %s", field, why),
			 errhint("See the 'default' row of integrity.score_model for the expected shape.")));
}

static bool
get_key(JsonbContainer *c, const char *key, JsonbValue *out)
{
	return getKeyJsonValueFromContainer(c, key, strlen(key), out) != NULL;
}

/* an integral number within [lo, hi], or the field's error */
static int
int_field(JsonbContainer *c, const char *key, const char *field, int dflt, int lo, int hi)
{
	JsonbValue	v;
	double		d;

	if (!get_key(c, key, &v))
		return dflt;
	if (v.type != jbvNumeric)
		params_error(field, psprintf("an integer from %d to %d", lo, hi));
	d = DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v.val.numeric)));
	if (!(d >= lo && d <= hi) || d != (double) (int) d)
		params_error(field, psprintf("an integer from %d to %d", lo, hi));
	return (int) d;
}

/* an interval text ("1 year") within what lists_params_check allows */
static void
term_field(JsonbContainer *c, const char *key, const char *field, lists_term *out)
{
	JsonbValue	v;
	char	   *s;
	Interval   *iv = NULL;
	MemoryContext cxt = CurrentMemoryContext;

	if (!get_key(c, key, &v))
		return;
	if (v.type != jbvString || v.val.string.len < 1 || v.val.string.len > 100)
		params_error(field, "an interval text such as \"1 year\"");
	s = pnstrdup(v.val.string.val, v.val.string.len);
	/* interval_in's own error (22007, 22015) becomes the field's */
	PG_TRY();
	{
		iv = DatumGetIntervalP(DirectFunctionCall3(interval_in, CStringGetDatum(s),
												   ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		iv = NULL;
	}
	PG_END_TRY();
	if (iv == NULL)
		params_error(field, "an interval text such as \"1 year\"");
	out->months = iv->month;
	out->days = iv->day;
	out->usecs = iv->time;
}

static int
categories_field(JsonbContainer *c, const char *key, const char *field,
				 char (*names)[LISTS_NAME_LEN], int dflt_n)
{
	JsonbValue	v;
	JsonbContainer *a;
	int			n,
				i;
	static const char why[] = "an array of at most 16 category codes (strings of 1 to 63 bytes)";

	if (!get_key(c, key, &v))
		return dflt_n;
	if (v.type != jbvBinary || !JsonContainerIsArray(v.val.binary.data))
		params_error(field, why);
	a = v.val.binary.data;
	n = JsonContainerSize(a);
	if (n > LISTS_MAX_CATEGORIES)
		params_error(field, why);
	for (i = 0; i < n; i++)
	{
		JsonbValue *e = getIthJsonbValueFromContainer(a, i);

		if (e == NULL || e->type != jbvString || e->val.string.len < 1 ||
			e->val.string.len >= LISTS_NAME_LEN)
			params_error(field, why);
		memcpy(names[i], e->val.string.val, e->val.string.len);
		names[i][e->val.string.len] = '\0';
	}
	return n;
}

static JsonbContainer *
section(JsonbContainer *root, const char *key)
{
	JsonbValue	v;

	if (!get_key(root, key, &v))
		return NULL;
	if (v.type != jbvBinary || !JsonContainerIsObject(v.val.binary.data))
		params_error(key, "an object");
	return v.val.binary.data;
}

/*
 * The lists' part of a score_model's params.  A stored model passed the
 * stricter check_list_params of _model_check (src/eval_fmgr.c, the CHECK of
 * score_model); _punishment and _incentive take any jsonb from their
 * (owner-only) callers, so it is checked again here, within the bounds the
 * core needs: a missing section or field takes the DOMAIN default
 * (lists_params_default), a present one must be valid, 22023 naming the
 * field.
 */
static void
params_from_jsonb(Jsonb *j, lists_params *p)
{
	JsonbContainer *root = &j->root;
	JsonbContainer *c;
	const char *why;
	const char *bad;

	lists_params_default(p);
	if (!JsonContainerIsObject(root))
		params_error("params", "a JSON object");
	if ((c = section(root, "punishment")) != NULL)
	{
		JsonbValue	v;

		p->window_days = int_field(c, "window_days", "punishment.window_days", p->window_days, 1, LISTS_MAX_DAYS);
		term_field(c, "term", "punishment.term", &p->term);
		p->joint_larger_accidents = int_field(c, "joint_larger_accidents", "punishment.joint_larger_accidents",
											  p->joint_larger_accidents, 0, 1000000);
		p->joint_fatal_general_accidents = int_field(c, "joint_fatal_general_accidents",
													 "punishment.joint_fatal_general_accidents",
													 p->joint_fatal_general_accidents, 0, 1000000);
		p->blacklist_major_accidents = int_field(c, "blacklist_major_accidents", "punishment.blacklist_major_accidents",
												 p->blacklist_major_accidents, 0, 1000000);
		p->blacklist_larger_accidents = int_field(c, "blacklist_larger_accidents", "punishment.blacklist_larger_accidents",
												  p->blacklist_larger_accidents, 0, 1000000);
		p->n_joint = categories_field(c, "joint_categories", "punishment.joint_categories",
									  p->joint_category, p->n_joint);
		p->n_black = categories_field(c, "blacklist_categories", "punishment.blacklist_categories",
									  p->black_category, p->n_black);
		if (get_key(c, "joint_serious_dishonesty", &v))
		{
			if (v.type != jbvBool)
				params_error("punishment.joint_serious_dishonesty", "true or false");
			p->joint_serious_dishonesty = v.val.boolean;
		}
	}
	if ((c = section(root, "incentive")) != NULL)
	{
		p->lookback_days = int_field(c, "lookback_days", "incentive.lookback_days", p->lookback_days, 1, LISTS_MAX_DAYS);
		term_field(c, "term", "incentive.term", &p->incentive_term);
	}
	if ((bad = lists_params_check(p, &why)) != NULL)
		params_error(bad, why);
}

/* the parsed params of a jsonb, cached by its bytes for the session */
static lists_params *params_cached = NULL;
static char *params_bytes = NULL;
static Size params_len = 0;

static const lists_params *
session_params(Jsonb *j)
{
	Size		len = VARSIZE(j);
	lists_params p;

	if (params_cached != NULL && params_len == len && memcmp(params_bytes, j, len) == 0)
		return params_cached;
	params_from_jsonb(j, &p);	/* may raise: the cache is untouched then */
	if (params_cached == NULL)
		params_cached = MemoryContextAlloc(TopMemoryContext, sizeof(lists_params));
	if (params_bytes != NULL)
		pfree(params_bytes);
	params_bytes = NULL;
	params_len = 0;
	*params_cached = p;
	params_bytes = MemoryContextAlloc(TopMemoryContext, len);
	memcpy(params_bytes, j, len);
	params_len = len;
	return params_cached;
}

/* ------------------------------------------------------------ reading records */

/* the enum values the rules compare with, found once per session */
typedef struct enum_oids
{
	Oid			severity_type;
	Oid			severity[3];
	Oid			level_type;
	Oid			level[4];
	Oid			domain_type;
	Oid			safety_domain;	/* 安全生产 */
} enum_oids;

static enum_oids enums;

static Oid
enum_value(Oid typ, const char *label)
{
	return DatumGetObjectId(DirectFunctionCall2(enum_in, CStringGetDatum(label), ObjectIdGetDatum(typ)));
}

static void
enums_of(TupleDesc td, int sev_att, int lvl_att, int dom_att)
{
	Oid			st = TupleDescAttr(td, sev_att)->atttypid;
	Oid			lt = TupleDescAttr(td, lvl_att)->atttypid;
	Oid			dt = TupleDescAttr(td, dom_att)->atttypid;
	int			i;

	if (enums.severity_type == st && enums.level_type == lt && enums.domain_type == dt)
		return;
	for (i = 0; i < 3; i++)
		enums.severity[i] = enum_value(st, lists_severity_names[i]);
	for (i = 0; i < 4; i++)
		enums.level[i] = enum_value(lt, lists_accident_names[i]);
	enums.safety_domain = dt == TEXTOID ? InvalidOid : enum_value(dt, "安全生产");
	enums.severity_type = st;
	enums.level_type = lt;
	enums.domain_type = dt;
}

/* the columns both plans read, in this order, after origin and subject_id for the scan */
#define RECORD_COLUMNS "r.decided_on, r.id, r.category, r.kind, r.severity, r.accident_level, r.deaths, " \
	"r.domain, r.confirmed_on, r.revoked_on, r.repaired_on, r.publicity_until"
#define NCOLS 12

/* the interned category codes of a scan (a few dozen at most) */
typedef struct category_name
{
	char	   *name;
	int			len;
} category_name;

typedef struct subject_scan
{
	DestReceiver pub;
	const lists_params *params;
	int32		as_of;
	int			base;			/* 2 when origin and subject_id come first, else 0 */
	MemoryContext cxt;			/* the scan's memory */
	MemoryContext subject_cxt;	/* reset after each subject */
	/* the current subject */
	char	   *origin;
	int			origin_len;
	int64		subject_id;
	bool		have_subject;
	lists_record *recs;
	int			n,
				cap;
	/* the interned categories */
	category_name *cats;
	int			n_cats,
				cap_cats;
	int			last_cat;
	/* what to do with each subject */
	void		(*subject_done) (struct subject_scan *s);
	/* the output of the list functions */
	Tuplestorestate *out;
	TupleDesc	out_desc;
	void	   *work;
	size_t		work_size;
} subject_scan;

static const char *
intern_category(subject_scan *s, const char *p, int len)
{
	int			i;

	if (s->last_cat >= 0 && s->cats[s->last_cat].len == len &&
		memcmp(s->cats[s->last_cat].name, p, len) == 0)
		return s->cats[s->last_cat].name;
	for (i = 0; i < s->n_cats; i++)
		if (s->cats[i].len == len && memcmp(s->cats[i].name, p, len) == 0)
		{
			s->last_cat = i;
			return s->cats[i].name;
		}
	if (s->n_cats == s->cap_cats)
	{
		s->cap_cats = s->cap_cats ? s->cap_cats * 2 : 32;
		s->cats = s->cats ? repalloc(s->cats, sizeof(category_name) * s->cap_cats)
			: MemoryContextAlloc(s->cxt, sizeof(category_name) * s->cap_cats);
	}
	s->cats[s->n_cats].name = MemoryContextAlloc(s->cxt, len + 1);
	memcpy(s->cats[s->n_cats].name, p, len);
	s->cats[s->n_cats].name[len] = '\0';
	s->cats[s->n_cats].len = len;
	s->last_cat = s->n_cats;
	return s->cats[s->n_cats++].name;
}

static int32
date_or_none(Datum *v, bool *isnull, int i)
{
	return isnull[i] ? LISTS_NO_DATE : DatumGetDateADT(v[i]);
}

static void
flush_subject(subject_scan *s)
{
	if (s->have_subject)
	{
		lists_sort(s->recs, s->n);
		s->subject_done(s);
		MemoryContextReset(s->subject_cxt);
	}
	s->n = 0;
}

static bool
scan_receive(TupleTableSlot *slot, DestReceiver *self)
{
	subject_scan *s = (subject_scan *) self;
	Datum	   *v;
	bool	   *isnull;
	int			b = s->base;
	lists_record *r;
	text	   *t;
	Oid			o;
	int			i;

	slot_getallattrs(slot);
	v = slot->tts_values;
	isnull = slot->tts_isnull;
	if (b == 2)
	{
		text	   *ot = DatumGetTextPP(v[0]);
		int			olen = VARSIZE_ANY_EXHDR(ot);
		int64		sid = DatumGetInt64(v[1]);

		if (!s->have_subject || sid != s->subject_id || olen != s->origin_len ||
			memcmp(VARDATA_ANY(ot), s->origin, olen) != 0)
		{
			flush_subject(s);
			CHECK_FOR_INTERRUPTS();
			if (olen != s->origin_len || s->origin == NULL || memcmp(VARDATA_ANY(ot), s->origin, olen) != 0)
			{
				if (s->origin)
					pfree(s->origin);
				s->origin = MemoryContextAlloc(s->cxt, olen + 1);
				memcpy(s->origin, VARDATA_ANY(ot), olen);
				s->origin[olen] = '\0';
				s->origin_len = olen;
			}
			s->subject_id = sid;
			s->have_subject = true;
		}
	}
	else
		s->have_subject = true;
	if (s->n == s->cap)
	{
		if (s->cap >= INT_MAX / 2)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("subject " INT64_FORMAT " has too many records for the lists", s->subject_id)));
		s->cap = s->cap ? s->cap * 2 : 64;
		/* a subject may have more records than 1 GB of them: the huge forms */
		s->recs = s->recs ? repalloc_huge(s->recs, sizeof(lists_record) * (Size) s->cap)
			: MemoryContextAllocHuge(s->cxt, sizeof(lists_record) * (Size) s->cap);
	}
	r = &s->recs[s->n++];
	r->decided_on = DatumGetDateADT(v[b + 0]);
	r->id = DatumGetInt64(v[b + 1]);
	t = DatumGetTextPP(v[b + 2]);
	r->category_len = (uint16) Min(VARSIZE_ANY_EXHDR(t), 65535);
	r->category = intern_category(s, VARDATA_ANY(t), r->category_len);
	t = DatumGetTextPP(v[b + 3]);
	r->dishonest = VARSIZE_ANY_EXHDR(t) == 9 && memcmp(VARDATA_ANY(t), "dishonest", 9) == 0;
	o = DatumGetObjectId(v[b + 4]);
	r->severity = -1;
	for (i = 0; i < 3; i++)
		if (enums.severity[i] == o)
			r->severity = i;
	r->accident_level = LA_NONE;
	if (!isnull[b + 5])
	{
		o = DatumGetObjectId(v[b + 5]);
		for (i = 0; i < 4; i++)
			if (enums.level[i] == o)
				r->accident_level = i;
	}
	r->deaths = isnull[b + 6] ? 0 : DatumGetInt32(v[b + 6]);
	if (isnull[b + 7])
		r->safety_domain = false;
	else if (enums.domain_type == TEXTOID)
	{
		t = DatumGetTextPP(v[b + 7]);
		r->safety_domain = VARSIZE_ANY_EXHDR(t) == strlen("安全生产") &&
			memcmp(VARDATA_ANY(t), "安全生产", strlen("安全生产")) == 0;
	}
	else
		r->safety_domain = DatumGetObjectId(v[b + 7]) == enums.safety_domain;
	r->confirmed_on = date_or_none(v, isnull, b + 8);
	r->revoked_on = date_or_none(v, isnull, b + 9);
	r->repaired_on = date_or_none(v, isnull, b + 10);
	r->publicity_until = date_or_none(v, isnull, b + 11);
	lists_classify(s->params, r);
	return true;
}

static void
scan_startup(DestReceiver *self, int operation, TupleDesc typeinfo)
{
	subject_scan *s = (subject_scan *) self;

	enums_of(typeinfo, s->base + 4, s->base + 5, s->base + 7);
}

static void
scan_shutdown(DestReceiver *self)
{
}

static void
scan_destroy(DestReceiver *self)
{
}

static void
scan_init(subject_scan *s, const lists_params *p, int32 as_of, bool whole)
{
	memset(s, 0, sizeof(*s));
	s->pub.receiveSlot = scan_receive;
	s->pub.rStartup = scan_startup;
	s->pub.rShutdown = scan_shutdown;
	s->pub.rDestroy = scan_destroy;
	s->pub.mydest = DestNone;
	s->params = p;
	s->as_of = as_of;
	s->base = whole ? 2 : 0;
	s->cxt = AllocSetContextCreate(CurrentMemoryContext, "integrity lists scan", ALLOCSET_DEFAULT_SIZES);
	s->subject_cxt = AllocSetContextCreate(s->cxt, "integrity lists subject", ALLOCSET_DEFAULT_SIZES);
	s->last_cat = -1;
}

/* working memory of the core for the current subject */
static void
scan_work(subject_scan *s, lists_work *w)
{
	size_t		need = lists_work_size(s->n);

	if (need > s->work_size)
	{
		if (s->work)
			pfree(s->work);
		s->work = MemoryContextAllocHuge(s->cxt, need);
		s->work_size = need;
	}
	lists_work_init(w, s->work, s->n);
}

/* run a kept read-only plan with its rows going to the scan (connected to SPI) */
static void
run_scan(SPIPlanPtr plan, ParamListInfo params, subject_scan *s)
{
	SPIExecuteOptions opt;
	MemoryContext cxt = CurrentMemoryContext;
	int			rc;

	memset(&opt, 0, sizeof(opt));
	opt.params = params;
	opt.read_only = true;
	opt.dest = (DestReceiver *) s;
	rc = SPI_execute_plan_extended(plan, &opt);
	/* SPI says SPI_OK_UTILITY for a SELECT whose rows go to a DestNone receiver */
	if (rc != SPI_OK_SELECT && rc != SPI_OK_UTILITY)
		elog(ERROR, "lists: record scan failed: %s", SPI_result_code_string(rc));
	/* SPI returns in its own procedure context, freed by SPI_finish */
	MemoryContextSwitchTo(cxt);
}

static const char *
schema_of(FunctionCallInfo fcinfo)
{
	return quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));
}

/* ------------------------------------------------------------ results */

/* the reasons of a listing as text[] (in the subject context) */
static Datum
reasons_array(const lists_params *p, const lists_record *r, const lists_work *w,
			  const lists_punishment *pu)
{
	Datum	   *items = palloc(sizeof(Datum) * Max(w->n_trig, 1));
	int			n = 0;
	int			k;

	for (k = pu->first; k < w->n_trig; k++)
	{
		size_t		len;
		text	   *t;

		if (!lists_reason_included(pu, w, k))
			continue;
		len = lists_reason_text(p, r, w, k, NULL, 0);
		if (len > MaxAllocSize - VARHDRSZ - 1)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("the reasons of a listing are too long")));
		t = palloc(VARHDRSZ + len + 1);
		lists_reason_text(p, r, w, k, VARDATA(t), len + 1);
		SET_VARSIZE(t, VARHDRSZ + len);
		items[n++] = PointerGetDatum(t);
	}
	return PointerGetDatum(construct_array(items, n, TEXTOID, -1, false, TYPALIGN_INT));
}

static Datum
failed_array(unsigned mask)
{
	Datum		items[LF_COUNT];
	int			n = 0;
	int			k;

	for (k = 0; k < LF_COUNT; k++)
		if (mask & (1u << k))
			items[n++] = CStringGetTextDatum(lists_failed_names[k]);
	return PointerGetDatum(construct_array(items, n, TEXTOID, -1, false, TYPALIGN_INT));
}

static int32
add_term(int32 day, const lists_term *t)
{
	return lists_add_term(day, t);
}

/* ------------------------------------------------------------ one subject */

static SPIPlanPtr one_plan = NULL;

static void
one_done(subject_scan *s)
{
	/* nothing: the records stay for the caller */
}

/* the records of one subject into s (connected to SPI) */
static void
read_subject(FunctionCallInfo fcinfo, subject_scan *s, Datum origin, Datum subject)
{
	ParamListInfo pl = makeParamList(2);

	if (one_plan == NULL)
	{
		Oid			types[2] = {TEXTOID, INT8OID};

		integrity_keep_plan(&one_plan,
							psprintf("SELECT " RECORD_COLUMNS " FROM %s.record r "
									 "WHERE r.origin = $1 AND r.subject_id = $2 ORDER BY r.decided_on",
									 schema_of(fcinfo)), 2, types);
	}
	pl->params[0].value = origin;
	pl->params[0].isnull = false;
	pl->params[0].pflags = PARAM_FLAG_CONST;
	pl->params[0].ptype = TEXTOID;
	pl->params[1].value = subject;
	pl->params[1].isnull = false;
	pl->params[1].pflags = PARAM_FLAG_CONST;
	pl->params[1].ptype = INT8OID;
	s->subject_done = one_done;
	run_scan(one_plan, pl, s);
	lists_sort(s->recs, s->n);
}

static void
check_args(FunctionCallInfo fcinfo)
{
	int			i;

	for (i = 0; i < 4; i++)
		if (PG_ARGISNULL(i))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s is required", (const char *[]) {"origin", "subject_id", "as_of", "params"}[i])));
}

/*
 * _punishment(p_origin text, p_subject bigint, as_of date, params jsonb,
 * OUT level text, OUT reasons text[], OUT listed_from date, OUT listed_until date)
 */
PG_FUNCTION_INFO_V1(lists_punishment_one);
Datum
lists_punishment_one(PG_FUNCTION_ARGS)
{
	const lists_params *p;
	int32		as_of;
	subject_scan s;
	lists_work	w;
	lists_punishment pu;
	TupleDesc	td;
	Datum		values[4];
	bool		nulls[4] = {false, false, true, true};
	HeapTuple	tup;
	MemoryContext callcxt = CurrentMemoryContext;

	check_args(fcinfo);
	as_of = as_of_arg(fcinfo, 2);
	p = session_params(PG_GETARG_JSONB_P(3));
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	td = BlessTupleDesc(td);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MemoryContextSwitchTo(callcxt);
	scan_init(&s, p, as_of, false);
	read_subject(fcinfo, &s, PG_GETARG_DATUM(0), PG_GETARG_DATUM(1));
	scan_work(&s, &w);
	lists_punish(p, s.recs, s.n, as_of, &w, &pu);
	values[0] = CStringGetTextDatum(lists_level_names[pu.level]);
	if (pu.level == LEVEL_NONE)
		values[1] = PointerGetDatum(construct_empty_array(TEXTOID));
	else
	{
		values[1] = reasons_array(p, s.recs, &w, &pu);
		values[2] = DateADTGetDatum(pu.listed_from);
		values[3] = DateADTGetDatum(pu.listed_until);
		nulls[2] = nulls[3] = false;
	}
	tup = heap_form_tuple(td, values, nulls);
	MemoryContextDelete(s.cxt);
	SPI_finish();
	PG_RETURN_DATUM(HeapTupleGetDatum(tup));
}

/*
 * _incentive(p_origin text, p_subject bigint, as_of date, params jsonb,
 * OUT eligible boolean, OUT failed text[], OUT valid_until date)
 */
PG_FUNCTION_INFO_V1(lists_incentive_one);
Datum
lists_incentive_one(PG_FUNCTION_ARGS)
{
	const lists_params *p;
	int32		as_of;
	subject_scan s;
	lists_work	w;
	lists_punishment pu;
	unsigned	mask;
	TupleDesc	td;
	Datum		values[3];
	bool		nulls[3] = {false, false, true};
	HeapTuple	tup;
	MemoryContext callcxt = CurrentMemoryContext;

	check_args(fcinfo);
	as_of = as_of_arg(fcinfo, 2);
	p = session_params(PG_GETARG_JSONB_P(3));
	if (get_call_result_type(fcinfo, NULL, &td) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	td = BlessTupleDesc(td);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MemoryContextSwitchTo(callcxt);
	scan_init(&s, p, as_of, false);
	read_subject(fcinfo, &s, PG_GETARG_DATUM(0), PG_GETARG_DATUM(1));
	scan_work(&s, &w);
	mask = lists_incentive_mask(p, s.recs, s.n, as_of);
	lists_punish(p, s.recs, s.n, as_of, &w, &pu);
	if (pu.level != LEVEL_NONE)
		mask |= LF_NOT_PUNISHED;
	values[0] = BoolGetDatum(mask == 0);
	values[1] = failed_array(mask);
	if (mask == 0)
	{
		values[2] = DateADTGetDatum(add_term(as_of, &p->incentive_term));
		nulls[2] = false;
	}
	tup = heap_form_tuple(td, values, nulls);
	MemoryContextDelete(s.cxt);
	SPI_finish();
	PG_RETURN_DATUM(HeapTupleGetDatum(tup));
}

/* ------------------------------------------------------------ every subject */

static SPIPlanPtr all_plan = NULL;
static SPIPlanPtr model_plan = NULL;

static void
blacklist_done(subject_scan *s)
{
	lists_work	w;
	lists_punishment pu;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};
	MemoryContext old;
	int			i;

	/* only a subject with a dishonesty record can be listed */
	for (i = 0; i < s->n; i++)
		if (s->recs[i].dishonest)
			break;
	if (i == s->n)
		return;
	scan_work(s, &w);
	lists_punish(s->params, s->recs, s->n, s->as_of, &w, &pu);
	if (pu.level == LEVEL_NONE)
		return;
	old = MemoryContextSwitchTo(s->subject_cxt);
	values[0] = PointerGetDatum(cstring_to_text_with_len(s->origin, s->origin_len));
	values[1] = Int64GetDatum(s->subject_id);
	values[2] = CStringGetTextDatum(lists_level_names[pu.level]);
	values[3] = reasons_array(s->params, s->recs, &w, &pu);
	values[4] = DateADTGetDatum(pu.listed_from);
	values[5] = DateADTGetDatum(pu.listed_until);
	tuplestore_putvalues(s->out, s->out_desc, values, nulls);
	MemoryContextSwitchTo(old);
}

static void
redlist_done(subject_scan *s)
{
	lists_work	w;
	lists_punishment pu;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	MemoryContext old;

	if (lists_incentive_mask(s->params, s->recs, s->n, s->as_of) != 0)
		return;
	scan_work(s, &w);
	lists_punish(s->params, s->recs, s->n, s->as_of, &w, &pu);
	if (pu.level != LEVEL_NONE)
		return;
	old = MemoryContextSwitchTo(s->subject_cxt);
	values[0] = PointerGetDatum(cstring_to_text_with_len(s->origin, s->origin_len));
	values[1] = Int64GetDatum(s->subject_id);
	values[2] = DateADTGetDatum(add_term(s->as_of, &s->params->incentive_term));
	tuplestore_putvalues(s->out, s->out_desc, values, nulls);
	MemoryContextSwitchTo(old);
}

/*
 * The lists of today under the default model, every subject in one pass:
 * the records of record_subject_idx in its order (an index-only scan
 * after VACUUM), each subject handed to the core when the next begins.
 */
static Datum
lists_all(FunctionCallInfo fcinfo, int32 as_of, void (*done) (subject_scan *s))
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	subject_scan s;
	const lists_params *p;
	bool		isnull;
	Datum		d;
	MemoryContext callcxt = CurrentMemoryContext;

	InitMaterializedSRF(fcinfo, 0);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (all_plan == NULL || model_plan == NULL)
	{
		const char *nsp = schema_of(fcinfo);

		integrity_keep_plan(&model_plan,
							psprintf("SELECT m.params FROM %s.score_model m WHERE m.name = 'default'", nsp),
							0, NULL);
		integrity_keep_plan(&all_plan,
							psprintf("SELECT r.origin, r.subject_id, " RECORD_COLUMNS " FROM %s.record r "
									 "ORDER BY r.origin, r.subject_id, r.decided_on", nsp), 0, NULL);
	}
	if (SPI_execute_plan(model_plan, NULL, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown score model \"default\""),
				 errhint("The models are listed in integrity.score_model.")));
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		elog(ERROR, "the default score model has no params");
	p = session_params(DatumGetJsonbP(d));
	MemoryContextSwitchTo(callcxt);
	scan_init(&s, p, as_of, true);
	s.subject_done = done;
	s.out = rsinfo->setResult;
	s.out_desc = rsinfo->setDesc;
	run_scan(all_plan, NULL, &s);
	flush_subject(&s);
	MemoryContextDelete(s.cxt);
	SPI_finish();
	return (Datum) 0;
}

/* what _check_as_of says: 1949-10-01 to 2999-12-31 */
static int32
as_of_arg(FunctionCallInfo fcinfo, int argno)
{
	DateADT		d;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("as_of is required")));
	d = PG_GETARG_DATEADT(argno);
	if (DATE_NOT_FINITE(d) || d < date2j(1949, 10, 1) - POSTGRES_EPOCH_JDATE ||
		d > date2j(2999, 12, 31) - POSTGRES_EPOCH_JDATE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of %s is out of range", DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(d)))),
				 errdetail("as_of must be between 1949-10-01 and 2999-12-31.")));
	return d;
}

/* _blacklist_now() RETURNS TABLE(origin, subject_id, level, reasons, listed_from, listed_until) */
PG_FUNCTION_INFO_V1(lists_blacklist_now);
Datum
lists_blacklist_now(PG_FUNCTION_ARGS)
{
	return lists_all(fcinfo, GetSQLCurrentDate(), blacklist_done);
}

/* _blacklist_at(as_of date): the same at any as_of */
PG_FUNCTION_INFO_V1(lists_blacklist_at);
Datum
lists_blacklist_at(PG_FUNCTION_ARGS)
{
	return lists_all(fcinfo, as_of_arg(fcinfo, 0), blacklist_done);
}

/* _redlist_now() RETURNS TABLE(origin, subject_id, valid_until) */
PG_FUNCTION_INFO_V1(lists_redlist_now);
Datum
lists_redlist_now(PG_FUNCTION_ARGS)
{
	return lists_all(fcinfo, GetSQLCurrentDate(), redlist_done);
}

/* _redlist_at(as_of date): the same at any as_of */
PG_FUNCTION_INFO_V1(lists_redlist_at);
Datum
lists_redlist_at(PG_FUNCTION_ARGS)
{
	return lists_all(fcinfo, as_of_arg(fcinfo, 0), redlist_done);
}

/* ------------------------------------------------------------ ranking */

/*
 * _rank_state(category, kind, severity, decided_on, confirmed_on,
 * revoked_on, repaired_on, published_on, publish_due, publicity_until,
 * expired_on, quarter_start, model): the five quarters of
 * monitoring_ranking in one pass over a subject's records, as a float8[]
 * of RANK_QUARTERS x RQ_LEN (lists.h).
 */
typedef struct rank_agg
{
	double		s[RANK_STATE_LEN];
	bool		have_quarters;
	int32		quarter_start;	/* the quarters below are of this one */
	int32		first[RANK_QUARTERS];
	int32		last[RANK_QUARTERS];
	Oid			severity_type;
	Oid			severity[3];
} rank_agg;

PG_FUNCTION_INFO_V1(rank_state_sfunc);
Datum
rank_state_sfunc(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	rank_agg   *st;
	const eval_model *m;
	text	   *cat;
	text	   *kind;
	Oid			sev;
	int			severity = -1;
	int			i;
	rank_dates	d;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "_rank_state_sfunc called in non-aggregate context");
	if (PG_ARGISNULL(0))
	{
		st = MemoryContextAllocZero(aggcxt, sizeof(rank_agg));
	}
	else
		st = (rank_agg *) PG_GETARG_POINTER(0);
	/* a record without category, kind, severity or decision date, or no quarter or model: nothing */
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4) ||
		PG_ARGISNULL(12) || PG_ARGISNULL(13))
		PG_RETURN_POINTER(st);
	if (DATE_NOT_FINITE(PG_GETARG_DATEADT(4)))
		PG_RETURN_POINTER(st);
	if (!st->have_quarters || st->quarter_start != PG_GETARG_DATEADT(12))
	{
		int32		q = as_of_arg(fcinfo, 12);	/* the quarters: within the range of as_of */

		for (i = 0; i < RANK_QUARTERS; i++)
			rank_quarter(q, i, &st->first[i], &st->last[i]);
		st->quarter_start = q;
		st->have_quarters = true;
	}
	m = &get_model(fcinfo, 13)->model;
	cat = PG_GETARG_TEXT_PP(1);
	kind = PG_GETARG_TEXT_PP(2);
	sev = PG_GETARG_OID(3);
	if (st->severity_type == InvalidOid)
	{
		Oid			typ = get_fn_expr_argtype(fcinfo->flinfo, 3);

		if (!OidIsValid(typ))
			elog(ERROR, "could not determine the severity type");
		for (i = 0; i < 3; i++)
			st->severity[i] = enum_value(typ, lists_severity_names[i]);
		st->severity_type = typ;
	}
	for (i = 0; i < 3; i++)
		if (st->severity[i] == sev)
			severity = i;
#define DATE_ARG(k) (PG_ARGISNULL(k) ? LISTS_NO_DATE : PG_GETARG_DATEADT(k))
	d.revoked_on = DATE_ARG(6);
	d.repaired_on = DATE_ARG(7);
	d.published_on = DATE_ARG(8);
	d.publish_due = DATE_ARG(9);
	d.publicity_until = DATE_ARG(10);
	d.expired_on = DATE_ARG(11);
	rank_add(m, st->s, st->first, st->last, VARDATA_ANY(cat), VARSIZE_ANY_EXHDR(cat),
			 VARSIZE_ANY_EXHDR(kind) == 9 && memcmp(VARDATA_ANY(kind), "dishonest", 9) == 0,
			 severity, PG_GETARG_DATEADT(4), DATE_ARG(5), &d);
#undef DATE_ARG
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(rank_state_final);
Datum
rank_state_final(PG_FUNCTION_ARGS)
{
	rank_agg   *st;
	Datum		d[RANK_STATE_LEN];
	int			i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (rank_agg *) PG_GETARG_POINTER(0);
	for (i = 0; i < RANK_STATE_LEN; i++)
		d[i] = Float8GetDatum(st->s[i]);
	PG_RETURN_ARRAYTYPE_P(construct_array(d, RANK_STATE_LEN, FLOAT8OID, sizeof(float8),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}
