/*
 * payload.h: the public payload of a disclosure (SPEC 6; DOMAIN D1.4, D5a),
 * written directly in its canonical JSON form (json_canon.h: RFC 8785 with
 * members sorted by the code points of their names).
 *
 * The bytes are exactly those that json_canonicalize() gives for the jsonb
 * that integrity._disclosure_payload() (sql/src/30_log.sql, kept as
 * the readable reference) builds from the same row: the record_log trigger
 * calls this core with the fields of the record's new row and of its
 * subject and category, instead of running that PL/pgSQL function, turning
 * its jsonb into text and parsing the text again.
 *
 *   - persons (subject kind civil_servant) appear masked (D1.4): the name
 *     by person_name_mask, the resident ID by cn_id_mask;
 *   - admin_penalty records use the 双公示 field names (D5a);
 *   - a NULL field is JSON null, where the reference does not replace it.
 *
 * Not every input has a fast form: integers beyond +-2^53 (the reference
 * writes them through an IEEE double), text that is not valid UTF-8 or
 * holds NUL, and a resident ID that is not 18 characters.  Then
 * disclosure_payload_write returns false and disclosure_payload() (payload.c)
 * builds it the reference way.
 *
 * No PostgreSQL headers: unit-tested by test/unit/test_payload.c.
 */
#ifndef INTEGRITY_PAYLOAD_H
#define INTEGRITY_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A text field: s == NULL is SQL NULL; s need not be NUL-terminated. */
typedef struct payload_text
{
	const char *s;
	size_t		len;
} payload_text;

typedef struct disclosure_fields
{
	/* the disclosure */
	payload_text event;			/* publish, objection, ... */
	payload_text disclosed_on;	/* current_date, as JSON writes a date */

	/* the record (its new row) */
	payload_text origin;
	int64_t		record_id;
	payload_text state;			/* enum labels as text */
	payload_text category;
	payload_text severity;
	payload_text domain;
	payload_text decided_on;	/* dates as JSON writes them (YYYY-MM-DD) */
	payload_text document_no;
	payload_text source_unit;
	payload_text summary;
	payload_text publicity_until;
	payload_text accident_level;
	int64_t		deaths;
	bool		deaths_null;
	int64_t		supersedes;
	bool		supersedes_null;

	/* its subject and category */
	payload_text subject_kind;
	payload_text subject_name;	/* unmasked: masked here for persons */
	payload_text uscc;			/* canonical text form */
	payload_text legacy_code;
	payload_text cn_id;			/* canonical 18 characters, unmasked */
	payload_text category_name;

	/*
	 * 1.2 (issue 17): the back-link.  When linked, the payload has the
	 * members subject_id and prev_seq (the previous disclosure about the
	 * same subject, 0 for the first), so that the entries about a subject
	 * form a chain a credit report is checked against.
	 */
	bool		linked;
	int64_t		subject_id;
	int64_t		prev_seq;
} disclosure_fields;

/*
 * An output buffer of this many bytes always suffices for f (every text
 * escaped at its worst, six bytes per byte, plus the names and numbers).
 */
extern size_t disclosure_payload_bound(const disclosure_fields *f);

/*
 * Write the canonical payload of f into out (at least
 * disclosure_payload_bound(f) bytes), NUL-terminated; *outlen is its
 * length without the NUL.  False (and a reason in err, if errlen > 0) when
 * f has no fast form, see above.
 */
extern bool disclosure_payload_write(const disclosure_fields *f, char *out, size_t *outlen,
									 char *err, size_t errlen);

/* ------------------------------------------------- payload.c (server glue) */
#ifdef POSTGRES_H

#include "access/htup.h"
#include "utils/relcache.h"

/*
 * The canonical payload of the disclosure of event for the record row tup
 * of rel (integrity.record; origin and record_id are its key), palloc'd,
 * *len its length: written by disclosure_payload_write, or, when that has
 * no fast form, by the reference integrity._disclosure_payload() and
 * json_canonicalize() (the tests compare both byte for byte).  The caller
 * is connected to SPI.  prev_seq >= 0 writes the back-link (subject_id and
 * prev_seq, payload.h above); LOG_NO_LINK (< 0) the payload of 1.1.
 */
extern char *disclosure_payload(Relation rel, HeapTuple tup, const char *origin,
								int64 record_id, const char *event, int64 prev_seq,
								size_t *len);

/* the subject_id of the record row tup of rel (0 if NULL) */
extern int64 disclosure_subject_id(Relation rel, HeapTuple tup);

#endif							/* POSTGRES_H */

#endif							/* INTEGRITY_PAYLOAD_H */
