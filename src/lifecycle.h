/*
 * lifecycle.h: the record state machine (SPEC 4; DOMAIN D2.2-D2.4).
 * Pure C, no PostgreSQL headers.
 */
#ifndef INTEGRITY_LIFECYCLE_H
#define INTEGRITY_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>

/* In the order of the SQL enum integrity.record_state. */
typedef enum record_state
{
	RS_COLLECTED = 0,
	RS_NOTIFIED,
	RS_CONFIRMED,
	RS_PUBLISHED,
	RS_OBJECTED,
	RS_REPAIRED,
	RS_EXPIRED,
	RS_REVOKED,
	RS_COUNT
} record_state;

#define RS_NONE (-1)

extern const char *const record_state_names[RS_COUNT];

/* -1 if the name is not a state */
extern int	record_state_from_name(const char *name);

/* repaired, expired and revoked are final */
extern bool record_state_is_final(record_state s);

/* the content of a record may change only before it is confirmed */
extern bool record_state_content_frozen(record_state s);

/*
 * Is from -> to a legal transition?  before_objection is the state the
 * record had when it was objected (only used when from is RS_OBJECTED).
 */
extern bool record_transition_allowed(record_state from, record_state to,
									  int before_objection);

/*
 * The event name of a transition, as written to record_event.event
 * ("notify", "confirm", "publish", "objection", "objection_rejected",
 * "objection_upheld", "repair", "expire", "revoke"), or NULL if illegal.
 */
extern const char *record_transition_event(record_state from, record_state to);

/*
 * The disclosure event (SPEC 6: publish, objection, objection_resolved,
 * repair, revoke, expire) of a transition of a record that is or was
 * published, or NULL when the transition is not disclosed.
 */
extern const char *record_disclosure_event(record_state from, record_state to,
										   bool was_published);

/* Is s[0..len) one of the disclosure events above (tools/integrity-verify)? */
extern bool disclosure_event_known(const char *s, size_t len);

/* -------------------------------- lifecycle.c, lifecycle_guard.c (server glue) */
#ifdef POSTGRES_H

#include "access/htup.h"
#include "access/tupdesc.h"
#include "commands/trigger.h"
#include "fmgr.h"
#include "utils/date.h"
#include "utils/relcache.h"

/* Attribute numbers of integrity.record, looked up by name once. */
typedef struct record_columns
{
	Oid			relid;
	Oid			state_type;
	Oid			state_oid[RS_COUNT];
	int			origin,
				id,
				state,
				state_before_objection,
				confirmed_on,
				published_on,
				objected_on,
				objection_due,
				repaired_on,
				revoked_on,
				expired_on,
				remedied,
				remedied_on,
				updated_at,
				publishable,
				repair_allowed_from,
				publicity_until;
} record_columns;

/* the columns of integrity.record, loaded for rel by load_record_columns */
extern record_columns record_cols;
extern void load_record_columns(Relation rel);

/* the state an enum value stands for (RS_NONE for NULL or unknown) */
extern int	record_state_value(Datum d, bool isnull);

/* a row's state (RS_NONE for NULL), id (0 for NULL), and whether a column is NULL */
extern int	record_state_of(HeapTuple tup, TupleDesc desc, int attnum);
extern int64 record_id_of(HeapTuple tup, TupleDesc desc);
extern bool record_is_null(HeapTuple tup, TupleDesc desc, int attnum);

/* the columns that only a transition (or mark_remedied) may change */
extern bool is_lifecycle_column(int attnum);

/* a date as date_out writes it */
extern char *date_text(DateADT d);

/*
 * The start of a row trigger on integrity.record: ERROR 39P01 unless called
 * by the trigger manager for each row, BEFORE (or AFTER); the columns
 * loaded; its TriggerData.
 */
extern TriggerData *record_trigger_begin(FunctionCallInfo fcinfo, const char *name, bool before);

/*
 * The context an API function gave the triggers (_set_context): the
 * reason of the event, whether an INSERT comes from record_add, the state
 * asked for (RS_NONE: none).
 */
extern const char *lifecycle_context_reason(void);
extern bool lifecycle_context_adding(void);
extern int	lifecycle_context_to(void);

#endif							/* POSTGRES_H */

#endif
