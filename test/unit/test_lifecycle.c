/*
 * test_lifecycle.c: the state machine core (SPEC 4; DOMAIN D2.2-D2.4),
 * every pair of states.
 */
#include <string.h>

#include "lifecycle.h"
#include "tap.h"

/* expected[from][to] for before_objection = confirmed / published */
static int
expected(int from, int to, int before)
{
	if (from == to || record_state_is_final((record_state) from))
		return 0;
	if (to == RS_REVOKED)
		return 1;							/* D2.4 */
	switch (from)
	{
		case RS_COLLECTED: return to == RS_NOTIFIED;
		case RS_NOTIFIED: return to == RS_CONFIRMED;
		case RS_CONFIRMED: return to == RS_PUBLISHED || to == RS_OBJECTED;
		case RS_PUBLISHED: return to == RS_REPAIRED || to == RS_EXPIRED || to == RS_OBJECTED;
		case RS_OBJECTED: return to == before;	/* D2.3 */
	}
	return 0;
}

int
main(void)
{
	int			from,
				to,
				b,
				legal = 0;
	int			befores[2] = {RS_CONFIRMED, RS_PUBLISHED};

	for (from = 0; from < RS_COUNT; from++)
		for (to = 0; to < RS_COUNT; to++)
			for (b = 0; b < 2; b++)
			{
				int			want = expected(from, to, befores[b]);
				int			got = record_transition_allowed((record_state) from, (record_state) to, befores[b]);

				legal += got && b == 0;
				ok(want == got, "D2.2 %s -> %s (objected from %s): %s", record_state_names[from],
				   record_state_names[to], record_state_names[befores[b]], want ? "legal" : "illegal");
			}
	ok(legal == 13, "13 legal transitions when objected from confirmed (%d)", legal);
	ok(record_state_from_name("published") == RS_PUBLISHED && record_state_from_name("x") == -1,
	   "state names");
	ok(strcmp(record_transition_event(RS_OBJECTED, RS_REVOKED), "objection_upheld") == 0 &&
	   strcmp(record_transition_event(RS_OBJECTED, RS_PUBLISHED), "objection_rejected") == 0,
	   "D2.3 objection events");
	ok(strcmp(record_disclosure_event(RS_CONFIRMED, RS_PUBLISHED, false), "publish") == 0, "SPEC 6 publish disclosed");
	ok(record_disclosure_event(RS_CONFIRMED, RS_OBJECTED, false) == NULL, "objection of an unpublished record is not disclosed");
	ok(strcmp(record_disclosure_event(RS_PUBLISHED, RS_OBJECTED, true), "objection") == 0, "objection of a published record disclosed");
	ok(strcmp(record_disclosure_event(RS_OBJECTED, RS_PUBLISHED, true), "objection_resolved") == 0, "resolution disclosed");
	ok(strcmp(record_disclosure_event(RS_OBJECTED, RS_REVOKED, true), "objection_resolved") == 0, "upheld objection disclosed");
	ok(strcmp(record_disclosure_event(RS_PUBLISHED, RS_EXPIRED, true), "expire") == 0, "expiry disclosed");
	ok(strcmp(record_disclosure_event(RS_PUBLISHED, RS_REPAIRED, true), "repair") == 0, "repair disclosed");
	ok(record_disclosure_event(RS_NOTIFIED, RS_REVOKED, false) == NULL, "revocation of an unpublished record is not disclosed");
	ok(record_disclosure_event(RS_COLLECTED, RS_NOTIFIED, false) == NULL, "notify not disclosed");
	return done_testing();
}
