/*
 * commitments.h: government commitments and arrears (DOMAIN D7): the two
 * state machines, the columns each state needs, and the due-date and
 * grace rules of the nightly job (commitments_due).
 *
 *   commitment:  open -> fulfilled | overdue | changed_lawfully
 *                overdue -> fulfilled | broken | changed_lawfully
 *                fulfilled, broken, changed_lawfully are closed (final)
 *   arrears:     open -> overdue | paid;  overdue -> broken | paid;
 *                broken -> paid (a debt stays owed after the breach);
 *                paid is closed
 *
 * Dates are days (PostgreSQL DateADT: days since 2000-01-01).  The working
 * days themselves (D7.2: a due date on a rest day or holiday moves to the
 * next working day; the grace counts working days) come from the calendar
 * in SQL (integrity.add_workdays); the rules here take the dates it gives.
 *
 * Pure C, no PostgreSQL headers: unit-tested by test/unit/test_commitments.c.
 */
#ifndef INTEGRITY_COMMITMENTS_H
#define INTEGRITY_COMMITMENTS_H

#include <stdbool.h>
#include <stdint.h>

/* the two kinds of obligation, one state machine each */
typedef enum obligation_kind
{
	OB_COMMITMENT = 0,
	OB_ARREARS,
	OB_COUNT
} obligation_kind;

/* In the order of the SQL enum integrity.commitment_state. */
typedef enum commitment_state
{
	CS_OPEN = 0,
	CS_FULFILLED,
	CS_OVERDUE,
	CS_BROKEN,
	CS_CHANGED_LAWFULLY,
	CS_COUNT
} commitment_state;

/* In the order of the SQL enum integrity.arrears_state. */
typedef enum arrears_state
{
	AS_OPEN = 0,
	AS_OVERDUE,
	AS_BROKEN,
	AS_PAID,
	AS_COUNT
} arrears_state;

#define OB_STATE_NONE (-1)

/* the number of states of a kind, and their SQL labels */
extern int	obligation_state_count(obligation_kind k);
extern const char *obligation_state_name(obligation_kind k, int state);

/* -1 if the name is not a state of the kind */
extern int	obligation_state_from_name(obligation_kind k, const char *name);

/* closed: no transition and no edit any more */
extern bool obligation_state_closed(obligation_kind k, int state);

/* Is from -> to a legal transition (D7.2-D7.4)? */
extern bool obligation_transition_allowed(obligation_kind k, int from, int to);

/*
 * The event written to the history (commitment_event / arrears_event) for
 * from -> to: "fulfil", "overdue", "break", "change" for commitments,
 * "overdue", "break", "paid" for arrears; NULL when illegal.  An insert
 * (from = OB_STATE_NONE) is "make" / "add".
 */
extern const char *obligation_event(obligation_kind k, int from, int to);

/*
 * The signed disclosure (SPEC 6) of from -> to, or NULL when the step is
 * not disclosed: making (from = OB_STATE_NONE), fulfilling, breaking and
 * changing a commitment ("commitment_made", "commitment_fulfilled",
 * "commitment_broken", "commitment_changed").  Arrears are not disclosed
 * (their breach becomes a breach_of_contract record, published as records are).
 */
extern const char *obligation_disclosure_event(obligation_kind k, int from, int to);

/*
 * The columns a row in the given state must carry (bit set of
 * OBCOL_*): a fulfilled commitment its fulfilment date and evidence, a
 * broken one its date and breach record, a lawfully changed one its date,
 * legal basis and compensation (D7.3), ...
 */
#define OBCOL_FULFILLED_ON		(1u << 0)
#define OBCOL_EVIDENCE			(1u << 1)
#define OBCOL_OVERDUE_ON		(1u << 2)
#define OBCOL_BROKEN_ON			(1u << 3)
#define OBCOL_BREACH_RECORD		(1u << 4)
#define OBCOL_CHANGED_ON		(1u << 5)
#define OBCOL_LEGAL_BASIS		(1u << 6)
#define OBCOL_COMPENSATION		(1u << 7)
#define OBCOL_PAID_ON			(1u << 8)
extern unsigned obligation_required_columns(obligation_kind k, int state);

/*
 * D7.2, D7.4: the step the nightly job takes for an obligation in state
 * `state` on as_of, given its due date (already moved to a working day)
 * and the last day of its grace (the due date plus the grace in working
 * days; equal to the due date without grace).  `unpaid` is whether
 * something is still owed (always true for a commitment that is open or
 * overdue).  Returns the next state, or OB_STATE_NONE when nothing is due:
 *   open, as_of > due           -> overdue (from the day after the due date)
 *   overdue, as_of > grace_end  -> broken  (from the day after the grace)
 * The job applies steps until none is left (open -> overdue -> broken).
 */
extern int	obligation_due_step(obligation_kind k, int state, bool unpaid,
								int32_t as_of, int32_t due, int32_t grace_end);

/*
 * The date of the step to `to` (overdue or broken): overdue_on = due + 1,
 * broken_on = grace_end + 1, so that a run for a past as_of, or a late
 * run, stamps the same dates as a run on the day itself.
 */
extern int32_t obligation_step_date(obligation_kind k, int to, int32_t due, int32_t grace_end);

/*
 * D7.2: may a commitment still be fulfilled on fulfilled_on?  Only by the
 * end of the grace: after it the commitment is broken, whether or not the
 * nightly job has run yet (so no late entry can hide a breach).
 */
extern bool commitment_fulfil_in_time(int32_t fulfilled_on, int32_t grace_end);

#endif
