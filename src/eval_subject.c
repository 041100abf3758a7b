/*
 * eval_subject.c: evaluate() of SPEC 5 in C (since 1.1): one subject's
 * score, grade and breakdown at as_of under a model, with the rules of
 * eval_core.c and the model parsed by eval.c.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "datatype/timestamp.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/float.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/tuplestore.h"

#include "eval.h"
#include "pg_util.h"

/*
 * evaluate(subject_id bigint, as_of date, model text) RETURNS TABLE(score
 * numeric, grade text, vetoed boolean, breakdown jsonb): SPEC 5, the whole
 * of it in C since 1.1.  Two kept SPI plans read the model and the subject
 * (one statement) and the subject's records decided by as_of (an index
 * scan of record_subject_idx); the rules are eval_core.c's.  Its answers
 * are those of the SQL form _evaluate (test/05_eval.sql compares
 * them), which 1.0 called.
 */
static SPIPlanPtr eval_head_plan = NULL;
static SPIPlanPtr eval_rec_plan = NULL;

/* the last model parsed by evaluate, kept for the session */
static eval_model *eval_model_cached = NULL;
static char *eval_model_bytes = NULL;
static Size eval_model_len = 0;


static const eval_model *
eval_session_model(Jsonb *j)
{
	Size		len = VARSIZE(j);

	if (eval_model_cached != NULL && eval_model_len == len &&
		memcmp(eval_model_bytes, j, len) == 0)
		return eval_model_cached;
	if (eval_model_cached == NULL)
		eval_model_cached = MemoryContextAlloc(TopMemoryContext, sizeof(eval_model));
	if (eval_model_bytes != NULL)
		pfree(eval_model_bytes);
	eval_model_bytes = NULL;
	eval_model_len = 0;
	parse_model(j, eval_model_cached);
	eval_model_bytes = MemoryContextAlloc(TopMemoryContext, len);
	memcpy(eval_model_bytes, j, len);
	eval_model_len = len;
	return eval_model_cached;
}

/* what _check_as_of says */
static void
eval_check_as_of(bool isnull, DateADT as_of)
{
	static DateADT lo = 0,
				hi = 0;

	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("as_of is required")));
	if (lo == 0)
	{
		lo = date2j(1949, 10, 1) - POSTGRES_EPOCH_JDATE;
		hi = date2j(2999, 12, 31) - POSTGRES_EPOCH_JDATE;
	}
	if (as_of < lo || as_of > hi)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("as_of %s is out of range",
						DatumGetCString(DirectFunctionCall1(date_out, DateADTGetDatum(as_of)))),
				 errdetail("as_of must be between 1949-10-01 and 2999-12-31.")));
}

/* jsonb building */
static void
jb_key(JsonbParseState **ps, const char *k)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) k;
	v.val.string.len = strlen(k);
	pushJsonbValue(ps, WJB_KEY, &v);
}

static void
jb_str(JsonbParseState **ps, JsonbIteratorToken tok, const char *s, int len)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) s;
	v.val.string.len = len;
	pushJsonbValue(ps, tok, &v);
}

/* a float8 as to_jsonb(float8) writes it (its text, read as a number) */
static void
jb_float(JsonbParseState **ps, JsonbIteratorToken tok, double d)
{
	JsonbValue	v;
	char	   *txt = float8out_internal(d);

	if (isnan(d) || isinf(d))
	{
		jb_str(ps, tok, txt, strlen(txt));
		return;
	}
	v.type = jbvNumeric;
	v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(txt),
														ObjectIdGetDatum(InvalidOid),
														Int32GetDatum(-1)));
	pushJsonbValue(ps, tok, &v);
}

static void
jb_numeric(JsonbParseState **ps, JsonbIteratorToken tok, Numeric n)
{
	JsonbValue	v;

	v.type = jbvNumeric;
	v.val.numeric = n;
	pushJsonbValue(ps, tok, &v);
}

static void
jb_date(JsonbParseState **ps, JsonbIteratorToken tok, DateADT d)
{
	/* pushJsonbValue keeps the pointer: the text must outlive the call */
	char	   *buf = JsonEncodeDateTime(NULL, DateADTGetDatum(d), DATEOID, NULL);

	jb_str(ps, tok, buf, strlen(buf));
}

/* a key of the model as it is (params -> 'key'), JSON null when missing */
static void
jb_model_key(JsonbParseState **ps, Jsonb *params, const char *key)
{
	JsonbValue	v;

	if (getKeyJsonValueFromContainer(&params->root, key, strlen(key), &v) == NULL)
		v.type = jbvNull;
	pushJsonbValue(ps, WJB_VALUE, &v);
}

/* the record data of an item, as read from the SPI row */
typedef struct eval_row
{
	const char *severity;
	int			severity_len;
	const char *state;
	int			state_len;
	bool		repaired;		/* repaired_on <= as_of */
} eval_row;

static void
jb_item_head(JsonbParseState **ps, const eval_item *it)
{
	pushJsonbValue(ps, WJB_BEGIN_OBJECT, NULL);
	jb_key(ps, "record_id");
	jb_numeric(ps, WJB_VALUE, int64_to_numeric(it->id));
	jb_key(ps, "category");
	jb_str(ps, WJB_VALUE, it->rec.category, it->rec.category_len);
	jb_key(ps, "decided_on");
	jb_date(ps, WJB_VALUE, it->rec.decided_on);
}

static Jsonb *
eval_breakdown(Jsonb *params, const eval_model *m, eval_item *items, const eval_row *rows,
			   int n, DateADT as_of, const double *state, Numeric score)
{
	JsonbParseState *ps = NULL;
	JsonbValue	capv;
	bool		has_cap;
	int			i;

	pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
	jb_key(&ps, "as_of");
	jb_date(&ps, WJB_VALUE, as_of);
	jb_key(&ps, "start");
	jb_model_key(&ps, params, "start");

	/* D5 deductions, in decided_on, id order */
	jb_key(&ps, "deductions");
	pushJsonbValue(&ps, WJB_BEGIN_ARRAY, NULL);
	for (i = 0; i < n; i++)
	{
		const eval_item *it = &items[i];
		const eval_row *r = &rows[it->row];

		if (!(it->eff.deduction > 0))
			continue;
		jb_item_head(&ps, it);
		jb_key(&ps, "severity");
		jb_str(&ps, WJB_VALUE, r->severity, r->severity_len);
		jb_key(&ps, "state_as_of");
		if (r->repaired)
			jb_str(&ps, WJB_VALUE, "repaired", 8);
		else
			jb_str(&ps, WJB_VALUE, "counting", 8);
		jb_key(&ps, "age_factor");
		jb_float(&ps, WJB_VALUE, it->eff.age_factor);
		jb_key(&ps, "points");
		jb_float(&ps, WJB_VALUE, -it->eff.deduction);
		pushJsonbValue(&ps, WJB_END_OBJECT, NULL);
	}
	pushJsonbValue(&ps, WJB_END_ARRAY, NULL);

	/* D5 bonuses (before the cap) */
	jb_key(&ps, "bonuses");
	pushJsonbValue(&ps, WJB_BEGIN_ARRAY, NULL);
	for (i = 0; i < n; i++)
	{
		const eval_item *it = &items[i];

		if (!(it->eff.bonus > 0))
			continue;
		jb_item_head(&ps, it);
		jb_key(&ps, "points");
		jb_float(&ps, WJB_VALUE, it->eff.bonus);
		pushJsonbValue(&ps, WJB_END_OBJECT, NULL);
	}
	pushJsonbValue(&ps, WJB_END_ARRAY, NULL);
	jb_key(&ps, "bonus_cap");
	jb_model_key(&ps, params, "bonus_cap");

	/* D5 一票否决 */
	jb_key(&ps, "vetoes");
	pushJsonbValue(&ps, WJB_BEGIN_ARRAY, NULL);
	for (i = 0; i < n; i++)
	{
		const eval_item *it = &items[i];

		if (!it->eff.veto)
			continue;
		jb_item_head(&ps, it);
		jb_key(&ps, "rule");
		jb_str(&ps, WJB_VALUE, "D5 一票否决", strlen("D5 一票否决"));
		pushJsonbValue(&ps, WJB_END_OBJECT, NULL);
	}
	pushJsonbValue(&ps, WJB_END_ARRAY, NULL);

	/* "How records count": the records that do not, by id */
	qsort(items, n, sizeof(eval_item), eval_item_id_cmp);
	jb_key(&ps, "not_counted");
	pushJsonbValue(&ps, WJB_BEGIN_ARRAY, NULL);
	for (i = 0; i < n; i++)
	{
		const eval_item *it = &items[i];
		const eval_row *r = &rows[it->row];

		if (it->eff.counted)
			continue;
		pushJsonbValue(&ps, WJB_BEGIN_OBJECT, NULL);
		jb_key(&ps, "record_id");
		jb_numeric(&ps, WJB_VALUE, int64_to_numeric(it->id));
		jb_key(&ps, "state");
		jb_str(&ps, WJB_VALUE, r->state, r->state_len);
		pushJsonbValue(&ps, WJB_END_OBJECT, NULL);
	}
	pushJsonbValue(&ps, WJB_END_ARRAY, NULL);

	jb_key(&ps, "total_deduction");
	jb_float(&ps, WJB_VALUE, state[EVAL_DEDUCTION]);
	/* least(bonuses, (params ->> 'bonus_cap')::float8): a JSON null cap is no cap */
	has_cap = getKeyJsonValueFromContainer(&params->root, "bonus_cap", 9, &capv) != NULL &&
		capv.type != jbvNull;
	jb_key(&ps, "total_bonus");
	jb_float(&ps, WJB_VALUE, eval_total_bonus(m, state, has_cap));
	jb_key(&ps, "score");
	jb_numeric(&ps, WJB_VALUE, score);
	return JsonbValueToJsonb(pushJsonbValue(&ps, WJB_END_OBJECT, NULL));
}

static const char *
text_datum(Datum d, int *len)
{
	text	   *t = DatumGetTextPP(d);

	*len = VARSIZE_ANY_EXHDR(t);
	return VARDATA_ANY(t);
}

PG_FUNCTION_INFO_V1(evaluate_subject);
Datum
evaluate_subject(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	MemoryContext callcxt = CurrentMemoryContext;
	DateADT		as_of = PG_ARGISNULL(1) ? 0 : PG_GETARG_DATEADT(1);
	Datum		hargs[2];
	char		hnulls[2];
	Datum		rargs[3];
	bool		isnull;
	Jsonb	   *params;
	const eval_model *m;
	Datum		origin;
	SPITupleTable *tt;
	eval_item  *items;
	eval_row   *rows;
	int			n,
				i;
	double		state[EVAL_STATE_LEN];
	double		score;
	bool		vetoed;
	Numeric		score_num;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	eval_check_as_of(PG_ARGISNULL(1), as_of);
	InitMaterializedSRF(fcinfo, 0);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	if (eval_head_plan == NULL || eval_rec_plan == NULL)
	{
		const char *nsp = quote_identifier(get_namespace_name(get_func_namespace(fcinfo->flinfo->fn_oid)));
		Oid			htypes[2] = {TEXTOID, INT8OID};
		Oid			rtypes[3] = {TEXTOID, INT8OID, DATEOID};

		integrity_keep_plan(&eval_head_plan,
					   psprintf("SELECT (SELECT m.params FROM %s.score_model m WHERE m.name = $1), "
								"(SELECT s.origin FROM %s.subject s WHERE s.origin = %s._origin() AND s.id = $2)",
								nsp, nsp, nsp), 2, htypes);
		integrity_keep_plan(&eval_rec_plan,
					   psprintf("SELECT r.id, r.category, r.kind, r.severity::text, r.decided_on, "
								"r.confirmed_on, r.revoked_on, r.repaired_on, r.state::text "
								"FROM %s.record r "
								"WHERE r.origin = $1 AND r.subject_id = $2 AND r.decided_on <= $3",
								nsp), 3, rtypes);
	}

	/* the model (_model) and the subject (_subject), in that order */
	hargs[0] = PG_ARGISNULL(2) ? (Datum) 0 : PG_GETARG_DATUM(2);
	hnulls[0] = PG_ARGISNULL(2) ? 'n' : ' ';
	hargs[1] = PG_ARGISNULL(0) ? (Datum) 0 : PG_GETARG_DATUM(0);
	hnulls[1] = PG_ARGISNULL(0) ? 'n' : ' ';
	if (SPI_execute_plan(eval_head_plan, hargs, hnulls, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "evaluate: model and subject lookup failed");
	tt = SPI_tuptable;
	params = NULL;
	{
		Datum		d = SPI_getbinval(tt->vals[0], tt->tupdesc, 1, &isnull);

		if (!isnull)
		{
			MemoryContext old = MemoryContextSwitchTo(callcxt);

			params = DatumGetJsonbPCopy(d);
			MemoryContextSwitchTo(old);
		}
	}
	if (params == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown score model \"%s\"",
						PG_ARGISNULL(2) ? "<NULL>" : text_to_cstring(PG_GETARG_TEXT_PP(2))),
				 errhint("The models are listed in integrity.score_model.")));
	m = eval_session_model(params);
	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("subject_id is required")));
	origin = SPI_getbinval(tt->vals[0], tt->tupdesc, 2, &isnull);
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("subject " INT64_FORMAT " does not exist", PG_GETARG_INT64(0))));

	/* the subject's records decided by as_of */
	rargs[0] = origin;
	rargs[1] = PG_GETARG_DATUM(0);
	rargs[2] = DateADTGetDatum(as_of);
	if (SPI_execute_plan(eval_rec_plan, rargs, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "evaluate: record scan failed");
	tt = SPI_tuptable;
	n = (int) SPI_processed;

	MemoryContextSwitchTo(callcxt);
	items = palloc0(sizeof(eval_item) * Max(n, 1));
	rows = palloc0(sizeof(eval_row) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		HeapTuple	tup = tt->vals[i];
		TupleDesc	td = tt->tupdesc;
		eval_item  *it = &items[i];
		eval_row   *r = &rows[i];
		int			len;
		const char *sev;
		Datum		d;

		CHECK_FOR_INTERRUPTS();
		it->row = i;
		it->id = DatumGetInt64(SPI_getbinval(tup, td, 1, &isnull));
		it->rec.category = text_datum(SPI_getbinval(tup, td, 2, &isnull), &len);
		it->rec.category_len = len;
		sev = text_datum(SPI_getbinval(tup, td, 3, &isnull), &len);
		it->rec.dishonest = len == 9 && memcmp(sev, "dishonest", 9) == 0;
		r->severity = text_datum(SPI_getbinval(tup, td, 4, &isnull), &r->severity_len);
		it->rec.severity = (r->severity_len == 5 && memcmp(r->severity, "minor", 5) == 0) ? 0 :
			(r->severity_len == 7 && memcmp(r->severity, "general", 7) == 0) ? 1 :
			(r->severity_len == 7 && memcmp(r->severity, "serious", 7) == 0) ? 2 : -1;
		it->rec.decided_on = DatumGetDateADT(SPI_getbinval(tup, td, 5, &isnull));
		d = SPI_getbinval(tup, td, 6, &isnull);
		it->rec.confirmed = !isnull && DatumGetDateADT(d) <= as_of;
		d = SPI_getbinval(tup, td, 7, &isnull);
		it->rec.revoked = !isnull && DatumGetDateADT(d) <= as_of;
		d = SPI_getbinval(tup, td, 8, &isnull);
		it->rec.repaired = r->repaired = !isnull && DatumGetDateADT(d) <= as_of;
		r->state = text_datum(SPI_getbinval(tup, td, 9, &isnull), &r->state_len);
	}

	eval_subject(m, items, n, as_of, state);
	score = eval_score(m, state);
	vetoed = state[EVAL_VETO] > 0;
	score_num = DatumGetNumeric(DirectFunctionCall2(numeric_round,
													DirectFunctionCall1(float8_numeric, Float8GetDatum(score)),
													Int32GetDatum(2)));
	values[0] = NumericGetDatum(score_num);
	values[1] = CStringGetTextDatum(eval_grade(m, score, vetoed));
	values[2] = BoolGetDatum(vetoed);
	values[3] = JsonbPGetDatum(eval_breakdown(params, m, items, rows, n, as_of, state, score_num));
	tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);

	SPI_finish();
	return (Datum) 0;
}
