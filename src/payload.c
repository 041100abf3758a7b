/*
 * payload.c: the glue of payload_core.c, the one place where the payload
 * of a disclosure is built.  The record_log trigger has it written from
 * the record's new row and one lookup (kept plan) of its subject and
 * category; what that cannot write byte-exactly comes from the SQL
 * reference integrity._disclosure_payload(), canonicalized in C.
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

#include "json_canon.h"
#include "payload.h"
#include "pg_util.h"

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

static void
load_payload_columns(Relation rel)
{
	TupleDesc	desc = RelationGetDescr(rel);

	if (pcols.relid == RelationGetRelid(rel))
		return;
	pcols.relid = InvalidOid;
	pcols.origin = record_column_number(desc, "origin");
	pcols.id = record_column_number(desc, "id");
	pcols.subject_id = record_column_number(desc, "subject_id");
	pcols.category = record_column_number(desc, "category");
	pcols.severity = record_column_number(desc, "severity");
	pcols.domain = record_column_number(desc, "domain");
	pcols.decided_on = record_column_number(desc, "decided_on");
	pcols.document_no = record_column_number(desc, "document_no");
	pcols.source_unit = record_column_number(desc, "source_unit");
	pcols.summary = record_column_number(desc, "summary");
	pcols.publicity_until = record_column_number(desc, "publicity_until");
	pcols.accident_level = record_column_number(desc, "accident_level");
	pcols.deaths = record_column_number(desc, "deaths");
	pcols.supersedes = record_column_number(desc, "supersedes");
	pcols.state = record_column_number(desc, "state");
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
 * (of rel, integrity.record), written by payload_core.c; NULL when it has
 * no fast form (payload.h), in which case reference_payload is taken.
 */
static char *
fast_payload(Relation rel, HeapTuple tup, const char *event, int64 prev_seq, size_t *len)
{
	TupleDesc	desc = RelationGetDescr(rel);
	disclosure_fields f;
	Datum		v[3];
	Datum	   *vals;
	bool	   *nulls;
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
	/* the row deformed once: its text columns come before most of these */
	vals = palloc(desc->natts * sizeof(Datum));
	nulls = palloc(desc->natts * sizeof(bool));
	heap_deform_tuple(tup, desc, vals, nulls);
#define COLUMN(c) (isnull = nulls[pcols.c - 1], vals[pcols.c - 1])
	memset(&f, 0, sizeof(f));
	f.event = cstring_text(event);
	f.disclosed_on = date_json(DirectFunctionCall1(timestamptz_date,
												   TimestampTzGetDatum(GetCurrentTransactionStartTimestamp())),
							   false);

	d = COLUMN(origin);
	f.origin = datum_text(d, isnull);
	v[0] = d;
	if (isnull)
		return NULL;
	d = COLUMN(id);
	if (isnull)
		return NULL;
	f.record_id = DatumGetInt64(d);
	d = COLUMN(state);
	f.state = enum_text(d, isnull);
	d = COLUMN(category);
	if (isnull)
		return NULL;
	f.category = datum_text(d, false);
	v[2] = d;
	d = COLUMN(severity);
	f.severity = enum_text(d, isnull);
	d = COLUMN(domain);
	f.domain = enum_text(d, isnull);
	d = COLUMN(decided_on);
	f.decided_on = date_json(d, isnull);
	d = COLUMN(document_no);
	f.document_no = datum_text(d, isnull);
	d = COLUMN(source_unit);
	f.source_unit = datum_text(d, isnull);
	d = COLUMN(summary);
	f.summary = datum_text(d, isnull);
	d = COLUMN(publicity_until);
	f.publicity_until = date_json(d, isnull);
	d = COLUMN(accident_level);
	f.accident_level = enum_text(d, isnull);
	d = COLUMN(deaths);
	f.deaths_null = isnull;
	f.deaths = isnull ? 0 : DatumGetInt32(d);
	d = COLUMN(supersedes);
	f.supersedes_null = isnull;
	f.supersedes = isnull ? 0 : DatumGetInt64(d);
	d = COLUMN(subject_id);
	if (isnull)
		return NULL;
	v[1] = d;
	f.linked = prev_seq >= 0;
	f.subject_id = DatumGetInt64(d);
	f.prev_seq = prev_seq;

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

#undef COLUMN
	out = palloc(disclosure_payload_bound(&f));
	if (!disclosure_payload_write(&f, out, len, err, sizeof(err)))
	{
		pfree(out);
		return NULL;
	}
	return out;
}

static SPIPlanPtr reference_plan = NULL;

/*
 * The reference path: integrity._disclosure_payload() builds the payload
 * in SQL (D1.4 masking there), canonicalized here.
 */
static SPIPlanPtr reference_linked_plan = NULL;

static char *
reference_payload(const char *origin, int64 record_id, const char *event, int64 prev_seq,
				  size_t *len)
{
	Oid			types[4] = {TEXTOID, INT8OID, TEXTOID, INT8OID};
	Datum		vals[4];
	SPIPlanPtr	plan;
	char	   *raw;
	char	   *payload;
	char		err[JSON_CANON_ERRLEN];

	/* the 3-argument call also runs on a 1.1 catalog (no back-link there) */
	if (prev_seq >= 0)
		plan = integrity_keep_plan(&reference_linked_plan,
								   "SELECT integrity._disclosure_payload($1, $2, $3, $4)::text", 4, types);
	else
		plan = integrity_keep_plan(&reference_plan,
								   "SELECT integrity._disclosure_payload($1, $2, $3)::text", 3, types);
	vals[0] = CStringGetTextDatum(origin);
	vals[1] = Int64GetDatum(record_id);
	vals[2] = CStringGetTextDatum(event);
	vals[3] = Int64GetDatum(prev_seq);
	if (SPI_execute_plan(plan, vals, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not build the disclosure payload of record %lld", (long long) record_id);
	raw = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	if (raw == NULL)
		elog(ERROR, "empty disclosure payload for record %lld", (long long) record_id);
	json_canon_use_palloc();
	if (!json_canonicalize(raw, strlen(raw), &payload, len, err, sizeof(err)))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not canonicalize the disclosure payload: %s", err)));
	return payload;
}

char *
disclosure_payload(Relation rel, HeapTuple tup, const char *origin, int64 record_id,
				   const char *event, int64 prev_seq, size_t *len)
{
	char	   *payload = fast_payload(rel, tup, event, prev_seq, len);

	if (payload == NULL)
		payload = reference_payload(origin, record_id, event, prev_seq, len);
	return payload;
}

int64
disclosure_subject_id(Relation rel, HeapTuple tup)
{
	bool		isnull;
	Datum		d;

	load_payload_columns(rel);
	d = heap_getattr(tup, pcols.subject_id, RelationGetDescr(rel), &isnull);
	return isnull ? 0 : DatumGetInt64(d);
}
