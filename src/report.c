/*
 * report.c: the glue of the credit report (report.h; issue 17):
 * credit_report(subject_id, as_of) has its body built by
 * integrity._report_body (sql/src/55_report.sql) and canonicalized by
 * canonical_json, signs REPORT_DOMAIN || body with the platform's key
 * (keys.c: the key never leaves C) and wraps body and signature in the
 * document of report_core.c.  The only message signed here is a report
 * body the extension itself built: there is no signing function in SQL.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "utils/builtins.h"

#include "crypto.h"
#include "keys.h"
#include "origin.h"
#include "pg_util.h"
#include "report.h"

static SPIPlanPtr body_plan = NULL;

PG_FUNCTION_INFO_V1(credit_report);
Datum
credit_report(PG_FUNCTION_ARGS)
{
	Oid			types[2] = {INT8OID, DATEOID};
	Datum		v[2];
	bool		isnull;
	Datum		d;
	text	   *body_text;
	char	   *body;
	size_t		body_len;
	char	   *msg;
	char	   *doc;
	size_t		doc_len;
	uint8		sig[ED25519_SIG_LEN];
	char		err[256];
	signing_key *key;
	text	   *result;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	integrity_keep_plan(&body_plan,
						"SELECT integrity.canonical_json(integrity._report_body($1, $2)::text)", 2, types);
	v[0] = PG_GETARG_DATUM(0);
	v[1] = PG_GETARG_DATUM(1);
	if (SPI_execute_plan(body_plan, v, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not build the credit report of subject %lld", (long long) PG_GETARG_INT64(0));
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	if (isnull)
		elog(ERROR, "empty credit report of subject %lld", (long long) PG_GETARG_INT64(0));
	body_text = DatumGetTextPP(d);
	body_len = VARSIZE_ANY_EXHDR(body_text);
	body = VARDATA_ANY(body_text);

	/* the platform's key, in the report's own domain (report.h) */
	key = current_key();
	register_key(integrity_origin(), key);
	msg = palloc(body_len + REPORT_DOMAIN_LEN);
	report_message(body, body_len, msg);
	if (!ed25519_sign(key, msg, body_len + REPORT_DOMAIN_LEN, sig, err, sizeof(err)))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not sign the credit report: %s", err)));
	doc = palloc(report_document_bound(body_len) + 1);
	if (!report_document_write(body, body_len, signing_key_id(key), sig, doc, &doc_len,
							   err, sizeof(err)))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not write the credit report: %s", err)));
	/* the result outlives SPI: copied into the caller's context */
	result = (text *) SPI_palloc(VARHDRSZ + doc_len);
	SET_VARSIZE(result, VARHDRSZ + doc_len);
	memcpy(VARDATA(result), doc, doc_len);
	SPI_finish();
	PG_RETURN_TEXT_P(result);
}
