/*
 * test_eval.c: the scoring core (DOMAIN D5, "How records count").
 */
#include <stdlib.h>
#include <string.h>

#include "eval.h"
#include "tap.h"

#define AS_OF 10000

static eval_record
rec(const char *cat, bool dishonest, int severity, int age)
{
	eval_record r;

	memset(&r, 0, sizeof(r));
	r.category = cat;
	r.category_len = strlen(cat);
	r.dishonest = dishonest;
	r.severity = severity;
	r.decided_on = AS_OF - age;
	r.confirmed = true;
	return r;
}

static double
score_of(const eval_model *m, eval_record *rs, int n, bool *vetoed)
{
	double		st[EVAL_STATE_LEN] = {0, 0, 0, 0};
	int			i;

	for (i = 0; i < n; i++)
	{
		eval_effect e;

		eval_record_effect(m, &rs[i], AS_OF, &e);
		eval_state_add(st, &e);
	}
	*vetoed = st[EVAL_VETO] > 0;
	return eval_score(m, st);
}

int
main(void)
{
	eval_model	m;
	eval_record r[12];
	eval_effect e;
	bool		v;
	int			i;
	double		half[2];

	eval_model_default(&m);

	r[0] = rec("admin_penalty", true, 0, 10);
	eval_record_effect(&m, &r[0], AS_OF, &e);
	ok(e.counted && e.deduction == 1, "D5 minor deducts 1");
	r[0].severity = 1;
	eval_record_effect(&m, &r[0], AS_OF, &e);
	ok(e.deduction == 5, "D5 general deducts 5");
	r[0].severity = 2;
	eval_record_effect(&m, &r[0], AS_OF, &e);
	ok(e.deduction == 15, "D5 serious deducts 15");

	r[0] = rec("admin_penalty", true, 1, 364);
	eval_record_effect(&m, &r[0], AS_OF, &e);
	ok(e.age_factor == 1.0, "D5 decided 364 days ago: factor 1.0");
	r[0] = rec("admin_penalty", true, 1, 365);
	eval_record_effect(&m, &r[0], AS_OF, &e);
	ok(e.age_factor == 0.5 && e.deduction == 2.5, "D5 decided 365 days ago: factor 0.5 (within N days: as_of - N < d)");
	r[0] = rec("admin_penalty", true, 1, 1094);
	eval_record_effect(&m, &r[0], AS_OF, &e);
	ok(e.age_factor == 0.5, "D5 decided 1094 days ago: factor 0.5");
	r[0] = rec("admin_penalty", true, 1, 1095);
	eval_record_effect(&m, &r[0], AS_OF, &e);
	ok(e.counted && e.age_factor == 0 && e.deduction == 0, "D5 decided 1095 days ago: counted, factor 0");

	r[0] = rec("admin_penalty", true, 2, 10);
	r[0].repaired = true;
	eval_record_effect(&m, &r[0], AS_OF, &e);
	ok(e.deduction == 7.5, "How records count: repaired counts half for evaluation");
	r[0].repaired = false;
	r[0].revoked = true;
	eval_record_effect(&m, &r[0], AS_OF, &e);
	ok(!e.counted && e.deduction == 0, "How records count: revoked never counts");
	r[0].revoked = false;
	r[0].confirmed = false;
	eval_record_effect(&m, &r[0], AS_OF, &e);
	ok(!e.counted, "How records count: not yet confirmed does not count");
	r[0] = rec("admin_penalty", true, 2, -1);
	eval_record_effect(&m, &r[0], AS_OF, &e);
	ok(!e.counted, "a record decided after as_of does not count");

	for (i = 0; i < 7; i++)
		r[i] = rec("commendation", false, 1, 10 + i);
	ok(score_of(&m, r, 1, &v) == 100, "D5 the score never exceeds 100");
	r[0] = rec("admin_penalty", true, 2, 10);
	ok(score_of(&m, r, 7, &v) == 95, "D5 six commendations add 12, capped at 10: 100 - 15 + 10 = 95");
	r[0] = rec("commendation", false, 1, 365);
	r[1] = rec("admin_penalty", true, 2, 10);
	ok(score_of(&m, r, 2, &v) == 85, "D5 a commendation 365 days old adds nothing");

	for (i = 0; i < 8; i++)
		r[i] = rec("judicial_judgment", true, 2, 10);
	ok(score_of(&m, r, 8, &v) == 0 && !v, "D5 the score never drops below 0");

	r[0] = rec("statistical_fraud", true, 0, 1094);
	ok(score_of(&m, r, 1, &v) == 99.5 && v, "D5 statistical_fraud within 3 years vetoes");
	ok(strcmp(eval_grade(&m, 99.5, v), "D") == 0, "D5 a veto forces grade D");
	r[0] = rec("statistical_fraud", true, 0, 1095);
	score_of(&m, r, 1, &v);
	ok(!v, "D5 statistical_fraud 1095 days old no longer vetoes");

	ok(strcmp(eval_grade(&m, 90, false), "A") == 0 && strcmp(eval_grade(&m, 89.75, false), "B") == 0,
	   "D5 grade A from 90");
	ok(strcmp(eval_grade(&m, 75, false), "B") == 0 && strcmp(eval_grade(&m, 74.75, false), "C") == 0,
	   "D5 grade B from 75");
	ok(strcmp(eval_grade(&m, 60, false), "C") == 0 && strcmp(eval_grade(&m, 59.75, false), "D") == 0,
	   "D5 grade C from 60, D below");

	/* combine: two halves give the same state as one pass (parallel query) */
	{
		double		a[EVAL_STATE_LEN] = {0, 0, 0, 0},
					b[EVAL_STATE_LEN] = {0, 0, 0, 0},
					all[EVAL_STATE_LEN] = {0, 0, 0, 0};

		r[0] = rec("admin_penalty", true, 1, 10);
		r[1] = rec("statistical_fraud", true, 2, 100);
		r[2] = rec("commendation", false, 1, 5);
		r[3] = rec("accountability", true, 0, 500);
		for (i = 0; i < 4; i++)
		{
			eval_record_effect(&m, &r[i], AS_OF, &e);
			eval_state_add(i < 2 ? a : b, &e);
			eval_state_add(all, &e);
		}
		eval_state_combine(a, b);
		ok(memcmp(a, all, sizeof(a)) == 0, "parallel: combining partial states equals one pass");
		half[0] = a[EVAL_DEDUCTION];
		half[1] = all[EVAL_COUNTED];
		ok(half[0] == 5 + 15 + 0.5 && half[1] == 4, "state sums deductions (20.5) and counts records (4)");
	}
	/* serial/deserial of the aggregate state (parallel aggregation) */
	{
		double		st[EVAL_STATE_LEN] = {20.5, 4, 1, 7},
					back[EVAL_STATE_LEN] = {0, 0, 0, 0};
		unsigned char buf[EVAL_STATE_BYTES];

		eval_state_pack(st, buf);
		eval_state_unpack(buf, back);
		ok(memcmp(st, back, sizeof(st)) == 0, "parallel: a packed state unpacks to the same sums");
		ok(EVAL_STATE_BYTES == 32, "the state is 32 bytes (four sums)");
	}
	/* evaluate(): one subject's items, scored and ordered (SPEC 5 breakdown) */
	{
		eval_item	it[4];
		double		st[EVAL_STATE_LEN];

		memset(it, 0, sizeof(it));
		it[0].id = 9;
		it[0].rec = rec("admin_penalty", true, 1, 10);	/* -5 */
		it[1].id = 3;
		it[1].rec = rec("admin_penalty", true, 2, 10);	/* same day, lower id: first */
		it[2].id = 1;
		it[2].rec = rec("commendation", false, 1, 400);	/* older than a year: no bonus */
		it[3].id = 5;
		it[3].rec = rec("statistical_fraud", true, 0, 500);	/* 0.5 x 1, vetoes */
		it[3].rec.revoked = true;	/* ... unless revoked: not counted */
		for (i = 0; i < 4; i++)
			it[i].row = i;
		eval_subject(&m, it, 4, AS_OF, st);
		ok(it[0].id == 5 && it[1].id == 1 && it[2].id == 3 && it[3].id == 9,
		   "breakdown order: decided_on, then id");
		ok(it[0].row == 3 && it[3].row == 0, "items keep the caller's row index when sorted");
		ok(!it[0].eff.counted && it[1].eff.counted && it[1].eff.bonus == 0,
		   "a revoked record is not counted; an old commendation counts without bonus");
		ok(st[EVAL_DEDUCTION] == 20 && st[EVAL_COUNTED] == 3 && st[EVAL_VETO] == 0,
		   "subject sums: 15 + 5 deducted, 3 counted, no veto");
		qsort(it, 4, sizeof(eval_item), eval_item_id_cmp);
		ok(it[0].id == 1 && it[3].id == 9, "not_counted order: by id");
		st[EVAL_BONUS] = 14;
		ok(eval_total_bonus(&m, st, true) == 10 && eval_total_bonus(&m, st, false) == 14,
		   "total_bonus is capped only when the model has a cap (D5 +10)");
		eval_subject(&m, it, 0, AS_OF, st);
		ok(st[EVAL_DEDUCTION] == 0 && st[EVAL_COUNTED] == 0, "a subject without records: zero sums");
	}
	return done_testing();
}
