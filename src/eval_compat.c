/*
 * eval_compat.c: the 1.0 form of the score_state aggregate's functions
 * (a float8[4] state), which databases created by 1.0 and not yet updated
 * still call (sql/integrity--1.0.sql names these C symbols); 1.1 and 1.2
 * use the internal state of eval.c.  Not part of the 1.2 install script.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/array.h"

#include "eval.h"

/*
 * score_state_transfn(state float8[], category, kind, severity, decided_on,
 * confirmed_on, revoked_on, repaired_on, as_of, model).  Modifies the state
 * in place when called as an aggregate (the state array is ours).
 */
PG_FUNCTION_INFO_V1(score_state_transfn);
Datum
score_state_transfn(PG_FUNCTION_ARGS)
{
	ArrayType  *state;
	double	   *s;
	eval_record r;
	eval_effect e;
	int32		as_of;
	model_cache *mc;

	if (PG_ARGISNULL(0))
	{
		double		zero[EVAL_STATE_LEN] = {0, 0, 0, 0};
		MemoryContext aggcxt,
					old;

		if (!AggCheckCallContext(fcinfo, &aggcxt))
			aggcxt = CurrentMemoryContext;
		old = MemoryContextSwitchTo(aggcxt);
		state = state_array(zero);
		MemoryContextSwitchTo(old);
	}
	else if (AggCheckCallContext(fcinfo, NULL))
		state = PG_GETARG_ARRAYTYPE_P(0);
	else
		state = PG_GETARG_ARRAYTYPE_P_COPY(0);
	s = state_values(state);
	if (!record_from_args(fcinfo, 1, &r, &as_of, &mc))
		PG_RETURN_ARRAYTYPE_P(state);
	eval_record_effect(&mc->model, &r, as_of, &e);
	eval_state_add(s, &e);
	PG_RETURN_ARRAYTYPE_P(state);
}

PG_FUNCTION_INFO_V1(score_state_combine);
Datum
score_state_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *a;
	ArrayType  *b;
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		aggcxt = CurrentMemoryContext;
	if (PG_ARGISNULL(0) && PG_ARGISNULL(1))
		PG_RETURN_NULL();
	if (PG_ARGISNULL(0))
	{
		MemoryContext old = MemoryContextSwitchTo(aggcxt);

		a = PG_GETARG_ARRAYTYPE_P_COPY(1);
		MemoryContextSwitchTo(old);
		PG_RETURN_ARRAYTYPE_P(a);
	}
	a = PG_GETARG_ARRAYTYPE_P(0);
	if (PG_ARGISNULL(1))
		PG_RETURN_ARRAYTYPE_P(a);
	b = PG_GETARG_ARRAYTYPE_P(1);
	eval_state_combine(state_values(a), state_values(b));
	PG_RETURN_ARRAYTYPE_P(a);
}

