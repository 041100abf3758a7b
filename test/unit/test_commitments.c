/*
 * test_commitments.c: the commitment and arrears state machines and the
 * due-date rules of the nightly job (DOMAIN D7.2-D7.4), every pair of
 * states.
 */
#include <string.h>

#include "commitments.h"
#include "tap.h"

/* the transitions D7.2-D7.4 allow, written out independently */
static int
expected(obligation_kind k, int from, int to)
{
	if (k == OB_COMMITMENT)
		return (from == CS_OPEN && (to == CS_FULFILLED || to == CS_OVERDUE || to == CS_CHANGED_LAWFULLY)) ||
			(from == CS_OVERDUE && (to == CS_FULFILLED || to == CS_BROKEN || to == CS_CHANGED_LAWFULLY));
	return (from == AS_OPEN && (to == AS_OVERDUE || to == AS_PAID)) ||
		(from == AS_OVERDUE && (to == AS_BROKEN || to == AS_PAID)) ||
		(from == AS_BROKEN && to == AS_PAID);
}

int
main(void)
{
	int			k,
				from,
				to;

	for (k = 0; k < OB_COUNT; k++)
	{
		int			n = obligation_state_count((obligation_kind) k);
		int			legal = 0,
					bad = 0,
					events_ok = 1;

		for (from = 0; from < n; from++)
			for (to = 0; to < n; to++)
			{
				bool		a = obligation_transition_allowed((obligation_kind) k, from, to);

				if (a != expected((obligation_kind) k, from, to))
					bad++;
				legal += a;
				/* an event exactly for the legal transitions */
				if ((obligation_event((obligation_kind) k, from, to) != NULL) != a)
					events_ok = 0;
			}
		ok(bad == 0, "D7.2-D7.4 %s: every pair of states as the rules say (%d legal)",
		   k == OB_COMMITMENT ? "commitment" : "arrears", legal);
		ok(legal == (k == OB_COMMITMENT ? 6 : 5), "D7 %s: the number of legal transitions",
		   k == OB_COMMITMENT ? "commitment" : "arrears");
		ok(events_ok, "D7 %s: an event name for each legal transition, none for the others",
		   k == OB_COMMITMENT ? "commitment" : "arrears");
		for (from = 0; from < n; from++)
			ok(obligation_state_from_name((obligation_kind) k,
										  obligation_state_name((obligation_kind) k, from)) == from,
			   "state name round trip: %s", obligation_state_name((obligation_kind) k, from));
		ok(obligation_state_name((obligation_kind) k, n) == NULL &&
		   obligation_state_name((obligation_kind) k, -1) == NULL &&
		   obligation_state_from_name((obligation_kind) k, "nope") == OB_STATE_NONE &&
		   obligation_state_from_name((obligation_kind) k, NULL) == OB_STATE_NONE,
		   "unknown states have no name and no number");
		ok(!obligation_transition_allowed((obligation_kind) k, -1, 0) &&
		   !obligation_transition_allowed((obligation_kind) k, 0, n),
		   "out-of-range states are never legal");
	}
	ok(!obligation_transition_allowed(OB_COUNT, 0, 1) && obligation_state_count(OB_COUNT) == 0,
	   "an unknown kind has no states");

	/* closed states */
	ok(obligation_state_closed(OB_COMMITMENT, CS_FULFILLED) && obligation_state_closed(OB_COMMITMENT, CS_BROKEN) &&
	   obligation_state_closed(OB_COMMITMENT, CS_CHANGED_LAWFULLY) &&
	   !obligation_state_closed(OB_COMMITMENT, CS_OPEN) && !obligation_state_closed(OB_COMMITMENT, CS_OVERDUE),
	   "D7.2, D7.3 fulfilled, broken and changed_lawfully commitments are closed");
	ok(obligation_state_closed(OB_ARREARS, AS_PAID) && !obligation_state_closed(OB_ARREARS, AS_BROKEN),
	   "D7.4 only paid arrears are closed: a broken debt is still owed and may be paid");

	/* events */
	ok(strcmp(obligation_event(OB_COMMITMENT, OB_STATE_NONE, CS_OPEN), "make") == 0 &&
	   strcmp(obligation_event(OB_ARREARS, OB_STATE_NONE, AS_OPEN), "add") == 0 &&
	   obligation_event(OB_COMMITMENT, OB_STATE_NONE, CS_BROKEN) == NULL,
	   "inserts: make / add, and only in state open");
	ok(strcmp(obligation_event(OB_COMMITMENT, CS_OVERDUE, CS_BROKEN), "break") == 0 &&
	   strcmp(obligation_event(OB_COMMITMENT, CS_OPEN, CS_CHANGED_LAWFULLY), "change") == 0 &&
	   strcmp(obligation_event(OB_ARREARS, AS_BROKEN, AS_PAID), "paid") == 0,
	   "history event names");

	/* disclosures (SPEC 6): make, fulfil, break, change of commitments */
	ok(strcmp(obligation_disclosure_event(OB_COMMITMENT, OB_STATE_NONE, CS_OPEN), "commitment_made") == 0 &&
	   strcmp(obligation_disclosure_event(OB_COMMITMENT, CS_OPEN, CS_FULFILLED), "commitment_fulfilled") == 0 &&
	   strcmp(obligation_disclosure_event(OB_COMMITMENT, CS_OVERDUE, CS_FULFILLED), "commitment_fulfilled") == 0 &&
	   strcmp(obligation_disclosure_event(OB_COMMITMENT, CS_OVERDUE, CS_BROKEN), "commitment_broken") == 0 &&
	   strcmp(obligation_disclosure_event(OB_COMMITMENT, CS_OVERDUE, CS_CHANGED_LAWFULLY), "commitment_changed") == 0,
	   "D7 making, fulfilling, breaking and changing a commitment are disclosed");
	ok(obligation_disclosure_event(OB_COMMITMENT, CS_OPEN, CS_OVERDUE) == NULL &&
	   obligation_disclosure_event(OB_COMMITMENT, CS_OPEN, CS_BROKEN) == NULL &&
	   obligation_disclosure_event(OB_ARREARS, AS_OVERDUE, AS_BROKEN) == NULL &&
	   obligation_disclosure_event(OB_ARREARS, OB_STATE_NONE, AS_OPEN) == NULL,
	   "overdue, illegal steps and arrears are not disclosed");

	/* required columns */
	ok(obligation_required_columns(OB_COMMITMENT, CS_FULFILLED) == (OBCOL_FULFILLED_ON | OBCOL_EVIDENCE) &&
	   obligation_required_columns(OB_COMMITMENT, CS_CHANGED_LAWFULLY) ==
	   (OBCOL_CHANGED_ON | OBCOL_LEGAL_BASIS | OBCOL_COMPENSATION) &&
	   (obligation_required_columns(OB_COMMITMENT, CS_BROKEN) & OBCOL_BREACH_RECORD) &&
	   obligation_required_columns(OB_COMMITMENT, CS_OPEN) == 0 &&
	   obligation_required_columns(OB_ARREARS, AS_PAID) == OBCOL_PAID_ON &&
	   (obligation_required_columns(OB_ARREARS, AS_BROKEN) & OBCOL_BREACH_RECORD),
	   "D7.2, D7.3 each state carries its evidence: fulfilment, legal basis and compensation, breach record");

	/* D7.2: the nightly steps; due = day 100, grace of 2 working days ends on day 104 */
	ok(obligation_due_step(OB_COMMITMENT, CS_OPEN, true, 100, 100, 104) == OB_STATE_NONE,
	   "D7.2 on its due date a commitment is still open");
	ok(obligation_due_step(OB_COMMITMENT, CS_OPEN, true, 101, 100, 104) == CS_OVERDUE,
	   "D7.2 the day after its due date it is overdue");
	ok(obligation_due_step(OB_COMMITMENT, CS_OVERDUE, true, 104, 100, 104) == OB_STATE_NONE,
	   "D7.2 on the last day of the grace it is overdue, not broken");
	ok(obligation_due_step(OB_COMMITMENT, CS_OVERDUE, true, 105, 100, 104) == CS_BROKEN,
	   "D7.2 after the grace it is broken");
	ok(obligation_due_step(OB_COMMITMENT, CS_OPEN, true, 200, 100, 104) == CS_OVERDUE &&
	   obligation_due_step(OB_COMMITMENT, CS_OVERDUE, true, 200, 100, 104) == CS_BROKEN,
	   "D7.2 a late run goes open -> overdue -> broken in two steps");
	ok(obligation_due_step(OB_COMMITMENT, CS_OVERDUE, true, 101, 100, 100) == CS_BROKEN,
	   "D7.2 default grace 0: broken the day after the due date");
	ok(obligation_due_step(OB_COMMITMENT, CS_FULFILLED, true, 200, 100, 104) == OB_STATE_NONE &&
	   obligation_due_step(OB_COMMITMENT, CS_CHANGED_LAWFULLY, true, 200, 100, 104) == OB_STATE_NONE &&
	   obligation_due_step(OB_COMMITMENT, CS_BROKEN, true, 200, 100, 104) == OB_STATE_NONE,
	   "D7.3 closed commitments take no step (a lawful change is never a breach)");
	ok(obligation_due_step(OB_ARREARS, AS_OPEN, false, 200, 100, 100) == OB_STATE_NONE &&
	   obligation_due_step(OB_ARREARS, AS_OPEN, true, 101, 100, 100) == AS_OVERDUE &&
	   obligation_due_step(OB_ARREARS, AS_OVERDUE, true, 101, 100, 100) == AS_BROKEN &&
	   obligation_due_step(OB_ARREARS, AS_BROKEN, true, 300, 100, 100) == OB_STATE_NONE,
	   "D7.4 arrears: nothing owed, no step; unpaid past the due date plus grace, broken once");
	ok(obligation_due_step(OB_COMMITMENT, CS_OPEN, true, 300, 100, 99) == OB_STATE_NONE &&
	   obligation_due_step(OB_COUNT, 0, true, 300, 100, 100) == OB_STATE_NONE,
	   "an impossible grace (ending before the due date) or kind takes no step");
	ok(obligation_step_date(OB_COMMITMENT, CS_OVERDUE, 100, 104) == 101 &&
	   obligation_step_date(OB_COMMITMENT, CS_BROKEN, 100, 104) == 105 &&
	   obligation_step_date(OB_ARREARS, AS_BROKEN, 100, 100) == 101,
	   "D7.2 overdue from the day after the due date, broken from the day after the grace");
	ok(commitment_fulfil_in_time(104, 104) && !commitment_fulfil_in_time(105, 104),
	   "D7.2 a fulfilment is accepted up to the last day of the grace only");
	return done_testing();
}
