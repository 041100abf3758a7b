/*
 * test_lists.c: the safety-production lists (DOMAIN D3.1-D3.4, D2.10) and
 * the ranking's quarter sums, pure C (src/lists_core.c).
 */
#include <stdlib.h>
#include <string.h>

#include "lists.h"
#include "tap.h"

/* day numbers: 2026-01-01 is 9497 days after 2000-01-01 */
#define D2026 9497

static lists_params P;

static lists_record
rec(int64_t id, const char *cat, int age_from_base, int sev, int level, int deaths)
{
	lists_record r;

	memset(&r, 0, sizeof(r));
	r.id = id;
	r.category = cat;
	r.category_len = (uint16_t) strlen(cat);
	r.dishonest = strcmp(cat, "credit_commitment") != 0 && strcmp(cat, "safety_standard_level1") != 0 &&
		strcmp(cat, "commendation") != 0;
	r.decided_on = D2026 + age_from_base;
	r.confirmed_on = r.decided_on + 1;
	r.revoked_on = LISTS_NO_DATE;
	r.repaired_on = LISTS_NO_DATE;
	r.publicity_until = r.decided_on + 3 * 365;
	r.severity = (int8_t) sev;
	r.accident_level = (int8_t) level;
	r.deaths = deaths;
	lists_classify(&P, &r);
	return r;
}

static lists_punishment
punish(lists_record *r, int n, int32_t as_of, lists_work *w, void **mem)
{
	lists_punishment out;

	free(*mem);
	*mem = malloc(lists_work_size(n));
	lists_work_init(w, *mem, n);
	lists_sort(r, n);
	lists_punish(&P, r, n, as_of, w, &out);
	return out;
}

static char *
reason(lists_record *r, lists_work *w, int k)
{
	size_t		len = lists_reason_text(&P, r, w, k, NULL, 0);
	char	   *b = malloc(len + 1);
	size_t		again = lists_reason_text(&P, r, w, k, b, len + 1);

	ok(again == len && strlen(b) == len, "reason text: the length asked for is the length written (%zu)", len);
	return b;
}

int
main(void)
{
	lists_record r[16];
	lists_work	w;
	void	   *mem = NULL;
	lists_punishment pu;
	lists_term	year = {12, 0, 0};
	lists_term	t;
	char		buf[64];
	const char *why;
	const char *bad;
	char	   *txt;
	unsigned	mask;
	int32_t		qs,
				qe;

	lists_params_default(&P);

	/* dates */
	lists_date_text(D2026, buf, sizeof(buf));
	ok(strcmp(buf, "2026-01-01") == 0, "day 9497 is 2026-01-01 (%s)", buf);
	lists_date_text(0, buf, sizeof(buf));
	ok(strcmp(buf, "2000-01-01") == 0, "day 0 is 2000-01-01");
	lists_date_text(-730119 - 366, buf, sizeof(buf));
	ok(strstr(buf, " BC") != NULL, "a date before year 1 is written BC (%s)", buf);
	/* 2024-02-29 + 1 year = 2025-02-28 (the month's end, as date + interval) */
	ok(lists_add_term(D2026 - 672, &year) == D2026 - 307, "2024-02-29 + 1 year is 2025-02-28");
	ok(lists_add_term(D2026, &year) == D2026 + 365, "2026-01-01 + 1 year is 2027-01-01");
	t.months = 36; t.days = 0; t.usecs = 0;
	ok(lists_add_term(D2026, &t) == D2026 + 1096, "2026-01-01 + 3 years is 2029-01-01");
	t.months = 0; t.days = 10; t.usecs = 36 * INT64_C(3600000000);
	ok(lists_add_term(D2026, &t) == D2026 + 11, "10 days 36 hours: 11 whole days");
	t.months = 1; t.days = 0; t.usecs = 0;
	ok(lists_add_term(D2026 + 30, &t) == D2026 + 58, "2026-01-31 + 1 month is 2026-02-28");

	/* params checks (22023 naming the field in the glue) */
	ok(lists_params_check(&P, &why) == NULL, "the default params are valid");
	P.window_days = 0;
	bad = lists_params_check(&P, &why);
	ok(bad && strcmp(bad, "punishment.window_days") == 0 && why, "window_days 0 names punishment.window_days");
	P.window_days = 365;
	P.term.months = 1201;
	bad = lists_params_check(&P, &why);
	ok(bad && strcmp(bad, "punishment.term") == 0, "a term over 100 years names punishment.term");
	P.term.months = 0;
	P.term.usecs = 3600;
	bad = lists_params_check(&P, &why);
	ok(bad && strcmp(bad, "punishment.term") == 0, "a term under a day names punishment.term");
	P.term.months = -12;
	P.term.usecs = 0;
	bad = lists_params_check(&P, &why);
	ok(bad && strcmp(bad, "punishment.term") == 0, "a negative term names punishment.term");
	P.term.months = 12;
	P.incentive_term.days = -1;
	bad = lists_params_check(&P, &why);
	ok(bad && strcmp(bad, "incentive.term") == 0, "a negative incentive term names incentive.term");
	P.incentive_term.days = 0;
	P.blacklist_larger_accidents = -1;
	bad = lists_params_check(&P, &why);
	ok(bad && strcmp(bad, "punishment.blacklist_larger_accidents") == 0, "a negative count names its field");
	lists_params_default(&P);

	/* classification */
	r[0] = rec(1, "safety_violation", 0, 2, LA_NONE, 0);
	ok(r[0].cls == LC_SAFETY_VIOLATION && r[0].joint_category && !r[0].black_category,
	   "safety_violation is a joint-punishment category of the default model");
	r[0] = rec(1, "safety_violation_x", 0, 2, LA_NONE, 0);
	ok(r[0].cls == LC_OTHER && !r[0].joint_category, "a longer code is another category");

	/* no records: none */
	pu = punish(r, 0, D2026, &w, &mem);
	ok(pu.level == LEVEL_NONE && pu.listed_from == LISTS_NO_DATE, "no records: none");

	/* D3.1: one larger accident -> joint punishment for 1 year (D3.3, D2.10) */
	r[0] = rec(10, "safety_accident", 0, 2, LA_LARGER, 3);
	pu = punish(r, 1, D2026 + 10, &w, &mem);
	ok(pu.level == LEVEL_JOINT && pu.listed_from == D2026 && pu.listed_until == D2026 + 365,
	   "D3.1 a larger accident: joint_punishment from its date for a year");
	r[1] = rec(11, "safety_accident", 10, 2, LA_MAJOR, 12);
	pu = punish(r, 2, D2026 + 20, &w, &mem);
	ok(pu.level == LEVEL_BLACKLIST && pu.listed_from == D2026 + 10, "D3.2 a major accident after a larger one: blacklist");
	txt = reason(r, &w, pu.first);
	ok(strcmp(txt, "listed on 2026-01-11 by D3.2 重大及以上事故 a major or especially major accident within 365 days, "
			   "D3.2 2 larger (较大) or worse accidents within 365 days: "
			   "record 10 (safety_accident larger 3 deaths, 2026-01-01); record 11 (safety_accident major 12 deaths, 2026-01-11)") == 0,
	   "D3.2 reasons text of a major accident: %s", txt);
	free(txt);
	pu = punish(r, 1, D2026 + 10, &w, &mem);
	txt = reason(r, &w, pu.first);
	ok(strcmp(txt, "listed on 2026-01-01 by D3.1 a larger (较大) or worse accident within 365 days: "
			   "record 10 (safety_accident larger 3 deaths, 2026-01-01)") == 0, "D3.3 reasons text: %s", txt);
	free(txt);
	/* term end: in force the day before listed_until, not on it */
	pu = punish(r, 1, D2026 + 364, &w, &mem);
	ok(pu.level == LEVEL_JOINT, "D2.10 still listed on the last day of the term");
	pu = punish(r, 1, D2026 + 365, &w, &mem);
	ok(pu.level == LEVEL_NONE, "D2.10 no longer listed on listed_until");
	/* not confirmed by as_of: does not count */
	pu = punish(r, 1, D2026, &w, &mem);
	ok(pu.level == LEVEL_NONE, "How records count: not yet confirmed on its decision date");
	/* revoked, repaired */
	r[0].revoked_on = D2026 + 5;
	pu = punish(r, 1, D2026 + 4, &w, &mem);
	ok(pu.level == LEVEL_JOINT, "revoked later: counts before");
	pu = punish(r, 1, D2026 + 5, &w, &mem);
	ok(pu.level == LEVEL_NONE, "revoked on as_of: does not count");
	r[0].revoked_on = LISTS_NO_DATE;
	r[0].repaired_on = D2026 + 5;
	pu = punish(r, 1, D2026 + 6, &w, &mem);
	ok(pu.level == LEVEL_NONE, "repaired: does not count for punishment");
	r[0].repaired_on = LISTS_NO_DATE;

	/* D3.2: two larger accidents within 365 days -> blacklist; 365 days apart -> not */
	r[0] = rec(10, "safety_accident", 0, 2, LA_LARGER, 3);
	r[1] = rec(11, "safety_accident", 364, 2, LA_LARGER, 4);
	pu = punish(r, 2, D2026 + 370, &w, &mem);
	ok(pu.level == LEVEL_BLACKLIST && pu.listed_from == D2026 + 364,
	   "D3.2 two larger accidents 364 days apart: blacklist from the second");
	txt = reason(r, &w, pu.first);
	ok(strstr(txt, "D3.2 2 larger (较大) or worse accidents within 365 days: record 10 (") != NULL &&
	   strstr(txt, "; record 11 (safety_accident larger 4 deaths, 2026-12-31)") != NULL,
	   "D3.2 the reasons name both records: %s", txt);
	free(txt);
	r[1] = rec(11, "safety_accident", 365, 2, LA_LARGER, 4);
	pu = punish(r, 2, D2026 + 370, &w, &mem);
	ok(pu.level == LEVEL_JOINT && pu.listed_from == D2026 + 365 && pu.listed_until == D2026 + 730,
	   "D3.2 365 days apart: outside the window; the second joint listing starts on the day the first ends");
	ok(w.n_trig == 2 && !lists_reason_included(&pu, &w, 0) && lists_reason_included(&pu, &w, 1),
	   "D3.3 a listing that starts when the last ended has only its own trigger as reason");
	r[1] = rec(11, "safety_accident", 364, 1, LA_GENERAL, 0);
	r[2] = rec(12, "safety_violation", 300, 2, LA_NONE, 0);
	pu = punish(r, 3, D2026 + 370, &w, &mem);
	ok(pu.level == LEVEL_JOINT && pu.listed_from == D2026 && pu.listed_until == D2026 + 665 &&
	   lists_reason_included(&pu, &w, 0) && lists_reason_included(&pu, &w, 1),
	   "D3.3 a trigger before the listing ends extends it; both are reasons");

	/* blacklist ends, joint punishment of a later trigger still in force */
	r[0] = rec(20, "safety_accident", 0, 2, LA_MAJOR, 12);
	r[1] = rec(21, "safety_violation", 200, 2, LA_NONE, 0);
	pu = punish(r, 2, D2026 + 400, &w, &mem);
	ok(pu.level == LEVEL_JOINT && pu.listed_from == D2026 && pu.listed_until == D2026 + 565,
	   "D3.3 blacklist over, the joint listing (extended by the violation) in force");
	pu = punish(r, 2, D2026 + 100, &w, &mem);
	ok(pu.level == LEVEL_BLACKLIST && pu.listed_until == D2026 + 365, "D3.2 a major accident: blacklist");

	/* D3.1: 3 fatal general accidents within the window, the third completes it */
	r[0] = rec(30, "safety_accident", 0, 1, LA_GENERAL, 1);
	r[1] = rec(31, "safety_accident", 100, 1, LA_GENERAL, 2);
	r[2] = rec(32, "safety_accident", 200, 1, LA_GENERAL, 0);
	r[3] = rec(33, "safety_accident", 300, 1, LA_GENERAL, 1);
	r[4] = rec(34, "admin_penalty", 250, 1, LA_NONE, 0);
	pu = punish(r, 5, D2026 + 310, &w, &mem);
	ok(pu.level == LEVEL_JOINT && pu.listed_from == D2026 + 300, "D3.1 the third fatal general accident lists");
	txt = reason(r, &w, pu.first);
	ok(strstr(txt, "D3.1 3 fatal general accidents within 365 days") != NULL &&
	   strstr(txt, "record 32 (safety_accident general general, ") != NULL &&
	   strstr(txt, "record 34 (admin_penalty general, ") != NULL,
	   "the reasons list every counting dishonesty record of the window: %s", txt);
	free(txt);
	r[0] = rec(30, "safety_accident", 0, 1, LA_GENERAL, 1);
	r[1] = rec(31, "safety_accident", 100, 1, LA_GENERAL, 2);
	r[2] = rec(32, "safety_accident", 200, 1, LA_GENERAL, 0);
	r[3] = rec(33, "safety_accident", 365, 1, LA_GENERAL, 1);
	r[4] = rec(34, "admin_penalty", 250, 1, LA_NONE, 0);
	pu = punish(r, 5, D2026 + 370, &w, &mem);
	ok(pu.level == LEVEL_NONE, "D3.1 the first of three fatal accidents 365 days before the third: not within");

	/* equal dates are listed in id order */
	r[0] = rec(42, "safety_violation", 0, 2, LA_NONE, 0);
	r[1] = rec(41, "admin_penalty", 0, 1, LA_NONE, 0);
	pu = punish(r, 2, D2026 + 10, &w, &mem);
	txt = reason(r, &w, pu.first);
	ok(strstr(txt, "record 41 (admin_penalty general, 2026-01-01); record 42 (") != NULL,
	   "records of one day in id order: %s", txt);
	free(txt);

	/* blacklisting categories and serious dishonesty (model parameters) */
	P.n_black = 1;
	strcpy(P.black_category[0], "breach_of_contract");
	P.joint_serious_dishonesty = true;
	r[0] = rec(50, "breach_of_contract", 0, 2, LA_NONE, 0);
	r[1] = rec(51, "judicial_judgment", 10, 2, LA_NONE, 0);
	pu = punish(r, 2, D2026 + 20, &w, &mem);
	ok(pu.level == LEVEL_BLACKLIST, "D3.2 a serious record of a blacklisting category");
	r[0] = rec(50, "breach_of_contract", 0, 1, LA_NONE, 0);
	pu = punish(r, 2, D2026 + 20, &w, &mem);
	ok(pu.level == LEVEL_JOINT && pu.listed_from == D2026 + 10, "D2.10 serious dishonesty: joint punishment");
	txt = reason(r, &w, pu.first);
	ok(strstr(txt, "by D2.10 a serious (严重) dishonesty record within 365 days: ") != NULL, "D2.10 reason: %s", txt);
	free(txt);
	lists_params_default(&P);

	/* D3.4 red list */
	r[0] = rec(60, "credit_commitment", -100, 1, LA_NONE, 0);
	r[1] = rec(61, "safety_standard_level1", -50, 1, LA_NONE, 0);
	mask = lists_incentive_mask(&P, r, 2, D2026);
	ok(mask == 0, "D3.4 a commitment and level 1 in effect, nothing else: every condition met");
	mask = lists_incentive_mask(&P, r, 1, D2026);
	ok(mask == LF_STANDARD_LEVEL1, "D3.4 (5) no level 1: standard_level1");
	r[0].publicity_until = D2026;
	mask = lists_incentive_mask(&P, r, 2, D2026);
	ok(mask == LF_COMMITMENT, "D3.4 (1) a commitment whose publicity ends on as_of is not in effect");
	r[0].publicity_until = D2026 + 1;
	r[2] = rec(62, "safety_accident", -1094, 1, LA_GENERAL, 1);
	r[3] = rec(63, "admin_penalty", -10, 1, LA_NONE, 0);
	r[3].safety_domain = true;
	r[4] = rec(64, "safety_violation", -20, 2, LA_NONE, 0);
	r[4].repaired_on = D2026 - 5;
	mask = lists_incentive_mask(&P, r, 5, D2026);
	ok(mask == (LF_NO_FATALITY | LF_NO_PENALTY | LF_NO_DISHONESTY),
	   "D3.4 (2)-(4): a repaired violation still counts, a fatal accident 1094 days ago, a safety penalty");
	r[2].decided_on = D2026 - 1095;
	r[3].safety_domain = false;
	r[4].revoked_on = D2026 - 1;
	mask = lists_incentive_mask(&P, r, 5, D2026);
	ok(mask == 0, "D3.4 1095 days ago is not within 3 years; revoked and other-domain records do not count");
	ok(strcmp(lists_failed_names[5], "not_punished") == 0, "the sixth condition is not_punished");

	/* ranking quarters: quarter_start 2026-10-01 */
	rank_quarter(D2026 + 273, 0, &qs, &qe);
	ok(qs == D2026 + 181 && qe == D2026 + 272, "quarter 0 before 2026-10-01 is 2026-07-01 .. 2026-09-30");
	rank_quarter(D2026 + 273, 4, &qs, &qe);
	ok(qs == D2026 - 184 && qe == D2026 - 93, "quarter 4 is 2025-07-01 .. 2025-09-30");
	{
		eval_model m;
		double		s[RANK_STATE_LEN];
		rank_dates	d = {D2026 + 190, D2026 + 195, D2026 + 600, LISTS_NO_DATE, LISTS_NO_DATE, LISTS_NO_DATE};

		eval_model_default(&m);
		int32_t		f[RANK_QUARTERS],
					l[RANK_QUARTERS];
		int			k;

		for (k = 0; k < RANK_QUARTERS; k++)
			rank_quarter(D2026 + 273, k, &f[k], &l[k]);
		memset(s, 0, sizeof(s));
		rank_add(&m, s, f, l, "admin_penalty", 13, true, 1, D2026 + 185, D2026 + 186, &d);
		ok(s[RQ_ROWS] == 1 && s[RQ_PUBLISHED] == 1 && s[RQ_PUBLISHED_ON_TIME] == 1 &&
		   s[RQ_IN_PUBLICITY] == 1 && s[RQ_DEDUCTION] == 5, "quarter 0: counted, published on time, in publicity");
		ok(s[RQ_LEN + RQ_ROWS] == 0 && s[RQ_LEN + RQ_DEDUCTION] == 0, "quarter 1: decided after its end, nothing");
	}

	free(mem);
	return done_testing();
}
