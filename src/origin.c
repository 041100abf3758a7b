/*
 * origin.c: the local origin (SPEC 3): integrity._origin(),
 * integrity._forget_origin() and the origin argument of the log functions.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "storage/proc.h"
#include "utils/builtins.h"

#include "origin.h"
#include "pg_util.h"

/*
 * The local origin, read from integrity.settings once per transaction (it
 * cannot change while the platform has records, SPEC 3).
 */
static LocalTransactionId origin_lxid = InvalidLocalTransactionId;
static char origin_cache[64];
static bool origin_cache_set = false;

const char *
local_origin(void)
{
	bool		connected = false;

	if (origin_lxid == MyProc->lxid && origin_lxid != InvalidLocalTransactionId)
		return origin_cache_set ? origin_cache : NULL;
	if (SPI_connect() == SPI_OK_CONNECT)
		connected = true;
	origin_cache_set = false;
	if (SPI_execute("SELECT origin FROM integrity.settings", true, 1) == SPI_OK_SELECT &&
		SPI_processed == 1)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
		{
			text_to_cstring_buffer(DatumGetTextPP(d), origin_cache, sizeof(origin_cache));
			origin_cache_set = true;
		}
	}
	if (connected)
		SPI_finish();
	origin_lxid = MyProc->lxid;
	return origin_cache_set ? origin_cache : NULL;
}

static void
origin_not_set(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("the origin of this platform is not set"),
			 errhint("Call integrity.set_origin('<6-digit region code>') once, as integrity_admin.")));
}

const char *
integrity_origin(void)
{
	const char *o = local_origin();

	if (o == NULL)
		origin_not_set();
	return o;
}

/*
 * An origin named by the caller must be one whose log is held here (the
 * local one, or a lower level's replicated here): an unknown origin is an
 * error, never an empty log that "verifies" (an auditor's typo must not
 * read as a pass).
 */
static SPIPlanPtr held_origin_plan = NULL;

void
require_held_origin(const char *origin)
{
	Oid			types[1] = {TEXTOID};
	Datum		vals[1];
	bool		isnull;

	integrity_keep_plan(&held_origin_plan,
						"SELECT EXISTS (SELECT 1 FROM integrity.chain_head WHERE origin = $1)"
						" OR EXISTS (SELECT 1 FROM integrity.disclosure WHERE origin = $1)"
						" OR EXISTS (SELECT 1 FROM integrity.signing_key WHERE origin = $1)", 1, types);
	vals[0] = CStringGetTextDatum(origin);
	if (SPI_execute_plan(held_origin_plan, vals, NULL, true, 1) == SPI_OK_SELECT &&
		SPI_processed == 1 &&
		DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("no disclosure log of origin \"%s\" is held here", origin),
			 errhint("The origins held here are listed by SELECT origin FROM integrity.chain_head; NULL names the local origin.")));
}

char *
origin_arg(FunctionCallInfo fcinfo, int argno)
{
	if (!PG_ARGISNULL(argno))
	{
		char	   *given = text_to_cstring(PG_GETARG_TEXT_PP(argno));
		const char *o = local_origin();

		if (o == NULL || strcmp(o, given) != 0)
			require_held_origin(given);
		return given;
	}
	return pstrdup(integrity_origin());
}

/*
 * integrity._origin(): the local origin, or 55000.  (The C symbol keeps
 * the name the 1.0 and 1.1 scripts give it.)
 */
PG_FUNCTION_INFO_V1(local_origin_cached);
Datum
local_origin_cached(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(integrity_origin()));
}

/* integrity._forget_origin(): forget the cached origin (set_origin calls it after a change) */
PG_FUNCTION_INFO_V1(forget_origin);
Datum
forget_origin(PG_FUNCTION_ARGS)
{
	origin_lxid = InvalidLocalTransactionId;
	PG_RETURN_VOID();
}
