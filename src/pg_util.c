/*
 * pg_util.c: the helpers of pg_util.h, shared by the glue files.
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/timestamp.h"

#include "json_canon.h"
#include "pg_util.h"

/* ------------------------------------------------------------ SPI plans */

SPIPlanPtr
integrity_keep_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *argtypes)
{
	if (*slot == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(sql, nargs, argtypes);

		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
				 SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		*slot = plan;
	}
	return *slot;
}

/* ---------------------------------------------------------------- bytea */

bytea *
bytes_to_bytea(const uint8 *b, size_t n)
{
	bytea	   *r = palloc(VARHDRSZ + n);

	SET_VARSIZE(r, VARHDRSZ + n);
	memcpy(VARDATA(r), b, n);
	return r;
}

bool
bytea_exact(Datum d, uint8 *out, size_t n)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	struct varlena *p;
	bool		ok;

	if (!VARATT_IS_EXTENDED(v) || VARATT_IS_SHORT(v))
	{
		if (VARSIZE_ANY_EXHDR(v) != n)
			return false;
		memcpy(out, VARDATA_ANY(v), n);
		return true;
	}
	p = pg_detoast_datum_packed(v);
	ok = VARSIZE_ANY_EXHDR(p) == n;
	if (ok)
		memcpy(out, VARDATA_ANY(p), n);
	if (p != v)
		pfree(p);
	return ok;
}

/* ------------------------------------------------- integrity.record */

int
record_column_number(TupleDesc desc, const char *name)
{
	int			n = SPI_fnumber(desc, name);

	if (n <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
				 errmsg("record trigger: column \"%s\" not found", name),
				 errhint("The trigger belongs on integrity.record.")));
	return n;
}

/* ---------------------------------------------------------------- today */

DateADT
transaction_today(void)
{
	static TimestampTz cached_start = 0;
	static const void *cached_tz = NULL;
	static DateADT cached_date = 0;
	static bool cached = false;
	TimestampTz start = GetCurrentTransactionStartTimestamp();

	if (!cached || start != cached_start || cached_tz != (const void *) session_timezone)
	{
		cached_date = DatumGetDateADT(DirectFunctionCall1(timestamptz_date,
														  TimestampTzGetDatum(start)));
		cached_start = start;
		cached_tz = (const void *) session_timezone;
		cached = true;
	}
	return cached_date;
}

/* ------------------------------------------------------------ json_canon */

static void *
canon_alloc(size_t n)
{
	return palloc(n);
}

static void *
canon_realloc(void *p, size_t n)
{
	return repalloc(p, n);
}

static void
canon_free(void *p)
{
	pfree(p);
}

void
json_canon_use_palloc(void)
{
	json_canon_set_allocator(canon_alloc, canon_realloc, canon_free);
}
