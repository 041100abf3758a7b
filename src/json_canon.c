/*
 * json_canon.c: the glue of json_canon_core.c, integrity.canonical_json().
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/builtins.h"

#include "json_canon.h"
#include "pg_util.h"

/* canonical_json(text) RETURNS text: the canonical form of a JSON text (json_canon.h) */
PG_FUNCTION_INFO_V1(canonical_json);
Datum
canonical_json(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char	   *out;
	size_t		outlen;
	char		err[JSON_CANON_ERRLEN];

	json_canon_use_palloc();
	if (!json_canonicalize(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &out, &outlen, err, sizeof(err)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid JSON: %s", err)));
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, (int) outlen));
}
