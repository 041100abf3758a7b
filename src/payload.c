/*
 * payload.c: the glue of payload_core.c.  The record_log trigger builds the
 * canonical payload of a disclosure from the record's new row and one
 * lookup (kept plan) of its subject and category, instead of calling
 * integrity._disclosure_payload() and canonicalizing its text.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/json.h"
#include "utils/rel.h"
#include "utils/timestamp.h"

#include "integrity_pg.h"
#include "payload.h"

/* attribute numbers of integrity.record that the payload reads */
typedef struct payload_columns
{
	Oid			relid;
	int			origin,
				id,
				subject_id,
				category,
				severity,
				domain,
				decided_on,
				document_no,
				source_unit,
				summary,
				publicity_until,
				accident_level,
				deaths,
				supersedes,
				state;
} payload_columns;

static payload_columns pcols;
static SPIPlanPtr subject_plan = NULL;

static int
payload_column(TupleDesc desc, const char *name)
{
	int			n = SPI_fnumber(desc, name);

	if (n <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_TRIGGERED_ACTION_EXCEPTION),
				 errmsg("record trigger: column \"%s\" not found", name)));
	return n;
}

static void
load_payload_columns(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);

	if (pcols.relid == RelationGetRelid(rel))
		return;
	pcols.relid = InvalidOid;
	pcols.origin = payload_column(desc, "origin");
	pcols.id = payload_column(desc, "id");
	pcols.subject_id = payload_column(desc, "subject_id");
	pcols.category = payload_column(desc, "category");
	pcols.severity = payload_column(desc, "severity");
	pcols.domain = payload_column(desc, "domain");
	pcols.decided_on = payload_column(desc, "decided_on");
	pcols.document_no = payload_column(desc, "document_no");
	pcols.source_unit = payload_column(desc, "source_unit");
	pcols.summary = payload_column(desc, "summary");
	pcols.publicity_until = payload_column(desc, "publicity_until");
	pcols.accident_level = payload_column(desc, "accident_level");
	pcols.deaths = payload_column(desc, "deaths");
	pcols.supersedes = payload_column(desc, "supersedes");
	pcols.state = payload_column(desc, "state");
	pcols.relid = RelationGetRelid(rel);
}

static payload_text
no_text(void)
{
	payload_text t = {NULL, 0};

	return t;
}

static payload_text
cstring_text(const char *s)
{
	payload_text t;

	t.s = s;
	t.len = strlen(s);
	return t;
}

/* a text datum (possibly toasted) */
static payload_text
datum_text(Datum d, bool isnull)
{
	payload_text t;
	text	   *v;

	if (isnull)
		return no_text();
	v = DatumGetTextPP(d);
	t.s = VARDATA_ANY(v);
	t.len = VARSIZE_ANY_EXHDR(v);
	return t;
}

/* an enum column as its label */
static payload_text
enum_text(Datum d, bool isnull)
{
	if (isnull)
		return no_text();
	return cstring_text(DatumGetCString(DirectFunctionCall1(enum_out, d)));
}

/* a date as to_jsonb() writes it (ISO 8601, whatever DateStyle says) */
static payload_text
date_json(Datum d, bool isnull)
{
	if (isnull)
		return no_text();
	return cstring_text(JsonEncodeDateTime(NULL, d, DATEOID, NULL));
}

/*
 * The canonical payload of the disclosure of event for the record row tup
 * (of rel, integrity.record), as integrity._disclosure_payload() and
 * canonicalization give it; NULL when it has no fast form (payload.h), in
 * which case the caller takes that reference path.  The caller is
 * connected to SPI.
 */
char *
disclosure_payload_build(Relation rel, HeapTuple tup, const char *event, size_t *len)
{
	TupleDesc	desc = RelationGetDescr(rel);
	disclosure_fields f;
	Datum		v[3];
	bool		isnull;
	Datum		d;
	HeapTuple	st;
	TupleDesc	sdesc;
	char	   *out;
	char		err[128];

	/* the reference writes the server's bytes; the fast path is UTF-8 only */
	if (GetDatabaseEncoding() != PG_UTF8)
		return NULL;
	load_payload_columns(rel);
	memset(&f, 0, sizeof(f));
	f.event = cstring_text(event);
	f.disclosed_on = date_json(DirectFunctionCall1(timestamptz_date,
												   TimestampTzGetDatum(GetCurrentTransactionStartTimestamp())),
							   false);

	d = heap_getattr(tup, pcols.origin, desc, &isnull);
	f.origin = datum_text(d, isnull);
	v[0] = d;
	if (isnull)
		return NULL;
	d = heap_getattr(tup, pcols.id, desc, &isnull);
	if (isnull)
		return NULL;
	f.record_id = DatumGetInt64(d);
	d = heap_getattr(tup, pcols.state, desc, &isnull);
	f.state = enum_text(d, isnull);
	d = heap_getattr(tup, pcols.category, desc, &isnull);
	if (isnull)
		return NULL;
	f.category = datum_text(d, false);
	v[2] = d;
	d = heap_getattr(tup, pcols.severity, desc, &isnull);
	f.severity = enum_text(d, isnull);
	d = heap_getattr(tup, pcols.domain, desc, &isnull);
	f.domain = enum_text(d, isnull);
	d = heap_getattr(tup, pcols.decided_on, desc, &isnull);
	f.decided_on = date_json(d, isnull);
	d = heap_getattr(tup, pcols.document_no, desc, &isnull);
	f.document_no = datum_text(d, isnull);
	d = heap_getattr(tup, pcols.source_unit, desc, &isnull);
	f.source_unit = datum_text(d, isnull);
	d = heap_getattr(tup, pcols.summary, desc, &isnull);
	f.summary = datum_text(d, isnull);
	d = heap_getattr(tup, pcols.publicity_until, desc, &isnull);
	f.publicity_until = date_json(d, isnull);
	d = heap_getattr(tup, pcols.accident_level, desc, &isnull);
	f.accident_level = enum_text(d, isnull);
	d = heap_getattr(tup, pcols.deaths, desc, &isnull);
	f.deaths_null = isnull;
	f.deaths = isnull ? 0 : DatumGetInt32(d);
	d = heap_getattr(tup, pcols.supersedes, desc, &isnull);
	f.supersedes_null = isnull;
	f.supersedes = isnull ? 0 : DatumGetInt64(d);
	d = heap_getattr(tup, pcols.subject_id, desc, &isnull);
	if (isnull)
		return NULL;
	v[1] = d;

	/* the subject and the category: one statement, kept plan */
	if (subject_plan == NULL)
	{
		Oid			types[3] = {TEXTOID, INT8OID, TEXTOID};

		integrity_keep_plan(&subject_plan, "SELECT s.kind::text, s.name, s.uscc::text, s.legacy_code, s.cn_id::text, c.name "
							   "FROM integrity.subject s, integrity.category c "
							   "WHERE s.origin = $1 AND s.id = $2 AND c.code = $3",
							3, types);
	}
	if (SPI_execute_plan(subject_plan, v, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read the subject of record %lld", (long long) f.record_id);
	if (SPI_processed != 1)
		return NULL;			/* the reference reports it */
	st = SPI_tuptable->vals[0];
	sdesc = SPI_tuptable->tupdesc;
	d = SPI_getbinval(st, sdesc, 1, &isnull);
	f.subject_kind = datum_text(d, isnull);
	d = SPI_getbinval(st, sdesc, 2, &isnull);
	f.subject_name = datum_text(d, isnull);
	d = SPI_getbinval(st, sdesc, 3, &isnull);
	f.uscc = datum_text(d, isnull);
	d = SPI_getbinval(st, sdesc, 4, &isnull);
	f.legacy_code = datum_text(d, isnull);
	d = SPI_getbinval(st, sdesc, 5, &isnull);
	f.cn_id = datum_text(d, isnull);
	d = SPI_getbinval(st, sdesc, 6, &isnull);
	f.category_name = datum_text(d, isnull);

	out = palloc(disclosure_payload_bound(&f));
	if (!disclosure_payload_write(&f, out, len, err, sizeof(err)))
	{
		pfree(out);
		return NULL;
	}
	return out;
}
