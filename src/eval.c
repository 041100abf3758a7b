/*
 * eval.c: the glue of the evaluation model (SPEC 5; DOMAIN D5).
 *
 *   score_state(...)  aggregate over a subject's records with an internal
 *                     C state, combine, serial and deserial functions, so
 *                     it runs in parallel query (the 1.0 float8[] state
 *                     functions are in eval_compat.c)
 *   _score_result     score, grade and veto of a state under a model
 *   _record_effect    what one record does to the score (for breakdown)
 *   _model_check      validates a score_model's params (CHECK constraint)
 *   evaluate          SPEC 5 evaluate() of one subject, score and breakdown,
 *                     in C since 1.1: eval_subject.c
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

/* ------------------------------------------------------------ the model */

static void
model_error(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid score model: %s", what),
			 errhint("See the 'default' row of integrity.score_model for the expected shape.")));
}

static bool
get_key(JsonbContainer *c, const char *key, JsonbValue *out)
{
	JsonbValue *v = getKeyJsonValueFromContainer(c, key, strlen(key), out);

	return v != NULL;
}

static double
num_value(JsonbValue *v, const char *what)
{
	if (v->type != jbvNumeric)
		model_error(psprintf("%s must be a number", what));
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v->val.numeric)));
}

static double
num_key(JsonbContainer *c, const char *key, double dflt, bool required)
{
	JsonbValue	v;

	if (!get_key(c, key, &v))
	{
		if (required)
			model_error(psprintf("\"%s\" is missing", key));
		return dflt;
	}
	return num_value(&v, key);
}

static JsonbContainer *
container_key(JsonbContainer *c, const char *key, bool array)
{
	JsonbValue	v;

	if (!get_key(c, key, &v))
		model_error(psprintf("\"%s\" is missing", key));
	if (v.type != jbvBinary ||
		(array ? !JsonContainerIsArray(v.val.binary.data) : !JsonContainerIsObject(v.val.binary.data)))
		model_error(psprintf("\"%s\" must be %s", key, array ? "an array" : "an object"));
	return v.val.binary.data;
}

static void
copy_string(JsonbValue *v, char *out, size_t outlen, const char *what)
{
	if (v->type != jbvString || v->val.string.len <= 0 || (size_t) v->val.string.len >= outlen)
		model_error(psprintf("%s must be a non-empty string of fewer than %d bytes", what, (int) outlen));
	memcpy(out, v->val.string.val, v->val.string.len);
	out[v->val.string.len] = '\0';
}

/*
 * The list sections of a model (D3, D2.10), read by punishment_status and
 * incentive_status: checked here, where every model is checked (the CHECK
 * of integrity.score_model), so that no list computation meets a field of
 * the wrong type or an absurd window.  Errors name the field.
 */
static void
int_field(JsonbContainer *c, const char *section, const char *key, int lo, int hi)
{
	JsonbValue	v;
	double		d;

	if (!get_key(c, key, &v))
		model_error(psprintf("\"%s.%s\" is missing", section, key));
	d = num_value(&v, psprintf("%s.%s", section, key));
	if (d != (double) (int) d || d < lo || d > hi)
		model_error(psprintf("%s.%s must be an integer from %d to %d", section, key, lo, hi));
}

static void
term_field(JsonbContainer *c, const char *section, const char *key)
{
	JsonbValue	v;
	char		buf[32];
	int			n = 0,
				used = 0;
	char		unit[16];

	if (!get_key(c, key, &v) || v.type != jbvString || v.val.string.len <= 0 ||
		v.val.string.len >= (int) sizeof(buf))
		model_error(psprintf("%s.%s must be a term such as \"1 year\"", section, key));
	memcpy(buf, v.val.string.val, v.val.string.len);
	buf[v.val.string.len] = '\0';
	if (sscanf(buf, "%d %15s%n", &n, unit, &used) != 2 || used != (int) strlen(buf) || n < 1 ||
		(strcmp(unit, "year") != 0 && strcmp(unit, "years") != 0 && strcmp(unit, "month") != 0 &&
		 strcmp(unit, "months") != 0 && strcmp(unit, "day") != 0 && strcmp(unit, "days") != 0) ||
		n > ((unit[0] == 'y') ? 100 : (unit[0] == 'm') ? 1200 : 36500))
		model_error(psprintf("%s.%s must be \"N years\", \"N months\" or \"N days\", at most 100 years",
							 section, key));
}

static void
category_list_field(JsonbContainer *c, const char *section, const char *key)
{
	JsonbContainer *a;
	int			i,
				n;
	char		name[EVAL_NAME_LEN];

	a = container_key(c, key, true);
	n = JsonContainerSize(a);
	if (n > EVAL_MAX_CATEGORIES)
		model_error(psprintf("%s.%s has more than %d categories", section, key, EVAL_MAX_CATEGORIES));
	for (i = 0; i < n; i++)
		copy_string(getIthJsonbValueFromContainer(a, i), name, sizeof(name),
					psprintf("each element of %s.%s", section, key));
}

static void
check_list_params(JsonbContainer *root)
{
	JsonbValue	v;
	JsonbContainer *c;

	if (get_key(root, "punishment", &v))
	{
		c = container_key(root, "punishment", false);
		int_field(c, "punishment", "window_days", 1, 3650);
		term_field(c, "punishment", "term");
		int_field(c, "punishment", "joint_larger_accidents", 1, 1000);
		int_field(c, "punishment", "joint_fatal_general_accidents", 1, 1000);
		int_field(c, "punishment", "blacklist_major_accidents", 1, 1000);
		int_field(c, "punishment", "blacklist_larger_accidents", 1, 1000);
		category_list_field(c, "punishment", "joint_categories");
		category_list_field(c, "punishment", "blacklist_categories");
		if (!get_key(c, "joint_serious_dishonesty", &v) || v.type != jbvBool)
			model_error("punishment.joint_serious_dishonesty must be true or false");
	}
	if (get_key(root, "incentive", &v))
	{
		c = container_key(root, "incentive", false);
		int_field(c, "incentive", "lookback_days", 1, 3650);
		term_field(c, "incentive", "term");
	}
}

/*
 * Parse a score_model params document:
 * {"start":100,"min":0,"max":100,
 *  "deduction":{"minor":1,"general":5,"serious":15},
 *  "age_factors":[{"within_days":365,"factor":1},{"within_days":1095,"factor":0.5}],
 *  "repaired_factor":0.5,
 *  "bonus":{"commendation":{"points":2,"within_days":365}},"bonus_cap":10,
 *  "veto":{"categories":["statistical_fraud"],"within_days":1095},
 *  "grades":[{"grade":"A","min":90},...],"veto_grade":"D", ...}
 */
void
parse_model(Jsonb *j, eval_model *m)
{
	JsonbContainer *root = &j->root;
	JsonbContainer *c;
	JsonbValue	v;
	int			i,
				n;

	if (!JsonContainerIsObject(root))
		model_error("params must be a JSON object");
	memset(m, 0, sizeof(*m));
	m->start = num_key(root, "start", 100, true);
	m->min_score = num_key(root, "min", 0, false);
	m->max_score = num_key(root, "max", m->start, false);

	c = container_key(root, "deduction", false);
	m->deduction[0] = num_key(c, "minor", 0, true);
	m->deduction[1] = num_key(c, "general", 0, true);
	m->deduction[2] = num_key(c, "serious", 0, true);

	c = container_key(root, "age_factors", true);
	n = JsonContainerSize(c);
	if (n < 1 || n > EVAL_MAX_AGE_BANDS)
		model_error("age_factors must have 1 to 8 bands");
	for (i = 0; i < n; i++)
	{
		JsonbValue *e = getIthJsonbValueFromContainer(c, i);

		if (e == NULL || e->type != jbvBinary || !JsonContainerIsObject(e->val.binary.data))
			model_error("each age factor must be an object");
		m->age_within_days[i] = (int) num_key(e->val.binary.data, "within_days", 0, true);
		m->age_factor[i] = num_key(e->val.binary.data, "factor", 0, true);
		if (i > 0 && m->age_within_days[i] <= m->age_within_days[i - 1])
			model_error("age factor bands must be in ascending within_days");
	}
	m->n_age = n;
	m->repaired_factor = num_key(root, "repaired_factor", 1, false);

	if (get_key(root, "bonus", &v))
	{
		JsonbIterator *it;
		JsonbIteratorToken tok;
		JsonbValue	kv;

		c = container_key(root, "bonus", false);
		it = JsonbIteratorInit(c);
		n = 0;
		while ((tok = JsonbIteratorNext(&it, &kv, true)) != WJB_DONE)
		{
			if (tok != WJB_KEY)
				continue;
			if (n >= EVAL_MAX_CATEGORIES)
				model_error("too many bonus categories");
			copy_string(&kv, m->bonus_category[n], EVAL_NAME_LEN, "a bonus category");
			tok = JsonbIteratorNext(&it, &kv, true);
			if (tok != WJB_VALUE || kv.type != jbvBinary || !JsonContainerIsObject(kv.val.binary.data))
				model_error("each bonus must be an object");
			m->bonus_points[n] = num_key(kv.val.binary.data, "points", 0, true);
			m->bonus_within_days[n] = (int) num_key(kv.val.binary.data, "within_days", 0, true);
			n++;
		}
		m->n_bonus = n;
	}
	m->bonus_cap = num_key(root, "bonus_cap", 0, false);

	if (get_key(root, "veto", &v))
	{
		JsonbContainer *cats;

		c = container_key(root, "veto", false);
		cats = container_key(c, "categories", true);
		n = JsonContainerSize(cats);
		if (n > EVAL_MAX_CATEGORIES)
			model_error("too many veto categories");
		for (i = 0; i < n; i++)
			copy_string(getIthJsonbValueFromContainer(cats, i), m->veto_category[i],
						EVAL_NAME_LEN, "a veto category");
		m->n_veto = n;
		m->veto_within_days = (int) num_key(c, "within_days", 0, true);
	}

	c = container_key(root, "grades", true);
	n = JsonContainerSize(c);
	if (n < 1 || n > EVAL_MAX_GRADES)
		model_error("grades must have 1 to 8 bands");
	for (i = 0; i < n; i++)
	{
		JsonbValue *e = getIthJsonbValueFromContainer(c, i);
		JsonbValue	g;

		if (e == NULL || e->type != jbvBinary || !JsonContainerIsObject(e->val.binary.data))
			model_error("each grade must be an object");
		if (!get_key(e->val.binary.data, "grade", &g))
			model_error("each grade needs \"grade\"");
		copy_string(&g, m->grade[i], sizeof(m->grade[i]), "a grade");
		m->grade_min[i] = num_key(e->val.binary.data, "min", 0, true);
		if (i > 0 && m->grade_min[i] >= m->grade_min[i - 1])
			model_error("grades must be in descending min");
	}
	m->n_grades = n;
	if (get_key(root, "veto_grade", &v))
		copy_string(&v, m->veto_grade, sizeof(m->veto_grade), "veto_grade");
	else
		strlcpy(m->veto_grade, m->grade[n - 1], sizeof(m->veto_grade));
	check_list_params(root);
	eval_model_finish(m);
}

model_cache *
get_model(FunctionCallInfo fcinfo, int argno)
{
	Pointer		arg;
	model_cache *mc = (model_cache *) fcinfo->flinfo->fn_extra;
	Jsonb	   *j;
	Size		len;

	/* the functions that take a model are not STRICT (a NULL state is a
	 * subject without records), so a NULL model is refused here, once for all */
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("score model must not be null"),
				 errhint("Pass the params of a row of integrity.score_model, e.g. that of 'default'.")));
	arg = DatumGetPointer(PG_GETARG_DATUM(argno));

	/*
	 * When the model is a constant or a parameter (an initplan), the same
	 * datum serves every row and is parsed once.  Otherwise (a model per
	 * row) the bytes are compared, and a different model is parsed.
	 */
	if (mc != NULL && mc->arg == arg && mc->bytes != NULL &&
		get_fn_expr_arg_stable(fcinfo->flinfo, argno))
		return mc;
	j = PG_GETARG_JSONB_P(argno);
	len = VARSIZE(j);
	if (mc != NULL && mc->len == len && memcmp(mc->bytes, j, len) == 0)
	{
		mc->arg = arg;
		return mc;
	}
	if (mc == NULL)
	{
		mc = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(model_cache));
		fcinfo->flinfo->fn_extra = mc;
	}
	else if (mc->bytes)
		pfree(mc->bytes);
	mc->bytes = NULL;
	mc->len = 0;
	parse_model(j, &mc->model);
	mc->bytes = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, len);
	memcpy(mc->bytes, j, len);
	mc->len = len;
	mc->arg = arg;
	return mc;
}

/* severity enum value -> 0, 1, 2 */
static int
severity_index(FunctionCallInfo fcinfo, model_cache *mc, int argno, Oid value)
{
	int			i;

	if (mc->severity_oid[0] == InvalidOid)
	{
		static const char *const names[3] = {"minor", "general", "serious"};
		Oid			typoid = get_fn_expr_argtype(fcinfo->flinfo, argno);

		if (!OidIsValid(typoid))
			elog(ERROR, "could not determine the severity type");
		for (i = 0; i < 3; i++)
			mc->severity_oid[i] = DatumGetObjectId(DirectFunctionCall2(enum_in,
																		CStringGetDatum(names[i]),
																		ObjectIdGetDatum(typoid)));
	}
	for (i = 0; i < 3; i++)
		if (mc->severity_oid[i] == value)
			return i;
	return -1;
}

/*
 * Arguments shared by score_state_transfn (shifted by one) and
 * _record_effect: category text, kind text, severity, decided_on,
 * confirmed_on, revoked_on, repaired_on, as_of, model jsonb.
 */
bool
record_from_args(FunctionCallInfo fcinfo, int base, eval_record *r, int32 *as_of,
				 model_cache **mcp)
{
	model_cache *mc;
	text	   *cat;
	text	   *kind;

	if (PG_ARGISNULL(base + 0) || PG_ARGISNULL(base + 1) || PG_ARGISNULL(base + 2) ||
		PG_ARGISNULL(base + 3) || PG_ARGISNULL(base + 7) || PG_ARGISNULL(base + 8))
		return false;
	mc = get_model(fcinfo, base + 8);
	*mcp = mc;
	cat = PG_GETARG_TEXT_PP(base + 0);
	kind = PG_GETARG_TEXT_PP(base + 1);
	r->category = VARDATA_ANY(cat);
	r->category_len = VARSIZE_ANY_EXHDR(cat);
	r->dishonest = VARSIZE_ANY_EXHDR(kind) == 9 && memcmp(VARDATA_ANY(kind), "dishonest", 9) == 0;
	r->severity = severity_index(fcinfo, mc, base + 2, PG_GETARG_OID(base + 2));
	r->decided_on = PG_GETARG_DATEADT(base + 3);
	*as_of = PG_GETARG_DATEADT(base + 7);
	r->confirmed = !PG_ARGISNULL(base + 4) && PG_GETARG_DATEADT(base + 4) <= *as_of;
	r->revoked = !PG_ARGISNULL(base + 5) && PG_GETARG_DATEADT(base + 5) <= *as_of;
	r->repaired = !PG_ARGISNULL(base + 6) && PG_GETARG_DATEADT(base + 6) <= *as_of;
	return true;
}

/* ------------------------------------------------------------ aggregate */

ArrayType *
state_array(const double *s)
{
	Datum		d[EVAL_STATE_LEN];
	int			i;

	for (i = 0; i < EVAL_STATE_LEN; i++)
		d[i] = Float8GetDatum(s[i]);
	return construct_array(d, EVAL_STATE_LEN, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

double *
state_values(ArrayType *a)
{
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != EVAL_STATE_LEN || ARR_HASNULL(a) ||
		ARR_ELEMTYPE(a) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("score state must be a float8[] of %d elements", EVAL_STATE_LEN)));
	return (double *) ARR_DATA_PTR(a);
}

/* _score_result(state float8[], model jsonb) -> (score numeric, grade text, vetoed boolean) */
PG_FUNCTION_INFO_V1(score_result);
Datum
score_result(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	double		zero[EVAL_STATE_LEN] = {0, 0, 0, 0};
	double	   *s = PG_ARGISNULL(0) ? zero : state_values(PG_GETARG_ARRAYTYPE_P(0));
	model_cache *mc = get_model(fcinfo, 1);
	double		score = eval_score(&mc->model, s);
	bool		vetoed = s[EVAL_VETO] > 0;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	/* scores are reported with one decimal (deductions are multiples of 0.25) */
	values[0] = DirectFunctionCall2(numeric_round,
									DirectFunctionCall1(float8_numeric, Float8GetDatum(score)),
									Int32GetDatum(2));
	values[1] = CStringGetTextDatum(eval_grade(&mc->model, score, vetoed));
	values[2] = BoolGetDatum(vetoed);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * _record_effect(category, kind, severity, decided_on, confirmed_on,
 * revoked_on, repaired_on, as_of, model) -> (counted, deduction, bonus,
 * veto, age_factor): one record's part of the score, for breakdown.
 */
PG_FUNCTION_INFO_V1(record_effect);
Datum
record_effect(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	eval_record r;
	eval_effect e;
	int32		as_of;
	model_cache *mc;
	Datum		values[5];
	bool		nulls[5] = {false, false, false, false, false};

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	memset(&e, 0, sizeof(e));
	if (record_from_args(fcinfo, 0, &r, &as_of, &mc))
		eval_record_effect(&mc->model, &r, as_of, &e);
	values[0] = BoolGetDatum(e.counted);
	values[1] = Float8GetDatum(e.deduction);
	values[2] = Float8GetDatum(e.bonus);
	values[3] = BoolGetDatum(e.veto);
	values[4] = Float8GetDatum(e.age_factor);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* _model_check(params jsonb) RETURNS boolean: raises on a bad model */
PG_FUNCTION_INFO_V1(model_check);
Datum
model_check(PG_FUNCTION_ARGS)
{
	eval_model	m;

	parse_model(PG_GETARG_JSONB_P(0), &m);
	PG_RETURN_BOOL(true);
}

/* scalar forms of score_result, cheap enough for a view over every subject */
static double *
state_or_zero(FunctionCallInfo fcinfo, double *zero)
{
	return PG_ARGISNULL(0) ? zero : state_values(PG_GETARG_ARRAYTYPE_P(0));
}

/* score_of(state float8[], model jsonb) RETURNS numeric */
PG_FUNCTION_INFO_V1(score_of);
Datum
score_of(PG_FUNCTION_ARGS)
{
	double		zero[EVAL_STATE_LEN] = {0, 0, 0, 0};
	double	   *s = state_or_zero(fcinfo, zero);
	model_cache *mc = get_model(fcinfo, 1);

	return DirectFunctionCall2(numeric_round,
							   DirectFunctionCall1(float8_numeric,
												   Float8GetDatum(eval_score(&mc->model, s))),
							   Int32GetDatum(2));
}

/* grade_of(state float8[], model jsonb) RETURNS text */
PG_FUNCTION_INFO_V1(grade_of);
Datum
grade_of(PG_FUNCTION_ARGS)
{
	double		zero[EVAL_STATE_LEN] = {0, 0, 0, 0};
	double	   *s = state_or_zero(fcinfo, zero);
	model_cache *mc = get_model(fcinfo, 1);

	PG_RETURN_TEXT_P(cstring_to_text(eval_grade(&mc->model, eval_score(&mc->model, s),
												s[EVAL_VETO] > 0)));
}

/* ------------------------------------------------- aggregate, 1.1 state */

/*
 * Since 1.1 score_state keeps its sums in an internal C state (SSPACE 32,
 * so that the planner can size a hash aggregate), with serial/deserial
 * functions for parallel aggregation; its final function returns the same
 * float8[4] as the 1.0 aggregate did.  The 1.0 functions above stay for
 * databases not yet updated.
 */
typedef struct ScoreAggState
{
	double		s[EVAL_STATE_LEN];
} ScoreAggState;

static ScoreAggState *
agg_state_new(FunctionCallInfo fcinfo, const char *fn)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "%s called in non-aggregate context", fn);
	return (ScoreAggState *) MemoryContextAllocZero(aggcxt, sizeof(ScoreAggState));
}

/*
 * _score_state_sfunc(state internal, category, kind, severity, decided_on,
 * confirmed_on, revoked_on, repaired_on, as_of, model): the columns come
 * as direct arguments; the model is parsed once per query (get_model).
 */
PG_FUNCTION_INFO_V1(score_state_sfunc);
Datum
score_state_sfunc(PG_FUNCTION_ARGS)
{
	ScoreAggState *st;
	eval_record r;
	eval_effect e;
	int32		as_of;
	model_cache *mc;

	if (PG_ARGISNULL(0))
		st = agg_state_new(fcinfo, "_score_state_sfunc");
	else
		st = (ScoreAggState *) PG_GETARG_POINTER(0);
	if (record_from_args(fcinfo, 1, &r, &as_of, &mc))
	{
		eval_record_effect(&mc->model, &r, as_of, &e);
		eval_state_add(st->s, &e);
	}
	PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(score_state_combinefn);
Datum
score_state_combinefn(PG_FUNCTION_ARGS)
{
	ScoreAggState *a = PG_ARGISNULL(0) ? NULL : (ScoreAggState *) PG_GETARG_POINTER(0);
	ScoreAggState *b = PG_ARGISNULL(1) ? NULL : (ScoreAggState *) PG_GETARG_POINTER(1);

	if (b == NULL)
	{
		if (a == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(a);
	}
	if (a == NULL)
	{
		/* the state must live in the aggregate's context */
		a = agg_state_new(fcinfo, "_score_state_combinefn");
		memcpy(a, b, sizeof(ScoreAggState));
		PG_RETURN_POINTER(a);
	}
	eval_state_combine(a->s, b->s);
	PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(score_state_serialize);
Datum
score_state_serialize(PG_FUNCTION_ARGS)
{
	ScoreAggState *st = (ScoreAggState *) PG_GETARG_POINTER(0);
	bytea	   *out = palloc(VARHDRSZ + EVAL_STATE_BYTES);

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "_score_state_serialize called in non-aggregate context");
	SET_VARSIZE(out, VARHDRSZ + EVAL_STATE_BYTES);
	eval_state_pack(st->s, (unsigned char *) VARDATA(out));
	PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(score_state_deserialize);
Datum
score_state_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *in = PG_GETARG_BYTEA_PP(0);
	ScoreAggState *st;

	if (!AggCheckCallContext(fcinfo, NULL))
		elog(ERROR, "_score_state_deserialize called in non-aggregate context");
	if (VARSIZE_ANY_EXHDR(in) != EVAL_STATE_BYTES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("score state must be %d bytes", (int) EVAL_STATE_BYTES)));
	st = palloc(sizeof(ScoreAggState));
	eval_state_unpack((const unsigned char *) VARDATA_ANY(in), st->s);
	PG_RETURN_POINTER(st);
}

/* the final function: the float8[4] that score_of, grade_of and score_result read */
PG_FUNCTION_INFO_V1(score_state_final);
Datum
score_state_final(PG_FUNCTION_ARGS)
{
	ScoreAggState *st = (ScoreAggState *) PG_GETARG_POINTER(0);

	PG_RETURN_ARRAYTYPE_P(state_array(st->s));
}
