/*
 * fuzz_lists.c: libFuzzer target for src/lists_core.c (DOMAIN D3).
 *
 * Build and run (make fuzz FUZZ_TARGETS=lists):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *       fuzz/fuzz_lists.c src/lists_core.c src/eval_core.c -o /tmp/fuzz_lists
 *
 * Per input: the params (window, term, thresholds, flags) and up to 64
 * records of one subject (dates, categories, severities, accident levels,
 * deaths, confirmed/revoked/repaired dates) and an as_of are taken from the
 * bytes.  Then:
 *   1. lists_punish's triggers equal a naive recomputation of D3.1-D3.3
 *      (every counting record's date, its window counted from scratch);
 *   2. its level, listed_from and listed_until equal a naive replay of the
 *      listings per level; an in-force listing covers as_of;
 *   3. every reason text has the length lists_reason_text announced, and a
 *      short buffer is never overrun;
 *   4. lists_incentive_mask and rank_add run on the same records (memory
 *      safety; rank sums are finite and non-negative counts).
 * Any mismatch calls abort().
 */
#include "lists.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FZ_MAXREC 64

static const char *const cats[8] = {
	"safety_accident", "safety_violation", "occupational_disease", "admin_penalty",
	"credit_commitment", "safety_standard_level1", "judicial_judgment", "breach_of_contract"
};

typedef struct
{
	const uint8_t *p;
	size_t		n;
} in_t;

static unsigned
take(in_t *in)
{
	unsigned	v;

	if (in->n == 0)
		return 0;
	v = in->p[0];
	in->p++;
	in->n--;
	return v;
}

static int
take16(in_t *in)
{
	return (int) (take(in) | (take(in) << 8));
}

static bool
counts(const lists_record *r, int32_t as_of)
{
	return r->dishonest && r->decided_on <= as_of && r->confirmed_on != LISTS_NO_DATE &&
		r->confirmed_on <= as_of && (r->revoked_on == LISTS_NO_DATE || r->revoked_on > as_of) &&
		(r->repaired_on == LISTS_NO_DATE || r->repaired_on > as_of);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	in_t		in = {data, size};
	lists_params p;
	lists_record r[FZ_MAXREC];
	lists_work	w;
	lists_punishment pu;
	void	   *mem;
	int			n,
				i,
				k,
				lvl;
	int32_t		as_of;
	int			nt = 0;
	int32_t		tt[FZ_MAXREC];
	int			tl[FZ_MAXREC];
	const char *why;

	lists_params_default(&p);
	p.window_days = 4 * (1 + take16(&in) % 200);	/* a multiple of the date grid below */
	p.term.months = take(&in) % 40;
	p.term.days = take(&in) % 60;
	if (p.term.months == 0 && p.term.days == 0)
		p.term.days = 1;
	p.joint_larger_accidents = take(&in) % 4;
	p.joint_fatal_general_accidents = take(&in) % 5;
	p.blacklist_major_accidents = take(&in) % 3;
	p.blacklist_larger_accidents = take(&in) % 4;
	p.joint_serious_dishonesty = take(&in) & 1;
	if (take(&in) & 1)
	{
		p.n_black = 1;
		strcpy(p.black_category[0], "breach_of_contract");
	}
	p.lookback_days = 1 + take16(&in) % 2000;
	if (lists_params_check(&p, &why) != NULL)
		abort();
	{
		unsigned	g = take(&in);

		as_of = 9000 + (int) (g % 20) * (p.window_days / 4) + (int) ((g >> 5) % 3) - 1;
	}
	n = take(&in) % (FZ_MAXREC + 1);
	for (i = 0; i < n; i++)
	{
		unsigned	c = take(&in);
		unsigned	f = take(&in);

		memset(&r[i], 0, sizeof(r[i]));
		r[i].id = take16(&in);
		r[i].category = cats[c % 8];
		r[i].category_len = (uint16_t) strlen(r[i].category);
		r[i].dishonest = (c % 8) != 4 && (c % 8) != 5;
		/* dates on a grid of a quarter window (plus -1, 0, +1 day), so that
		 * records exactly window_days apart and term ends on as_of are common */
		{
			unsigned	g = take(&in);

			r[i].decided_on = 9000 + (int) (g % 16) * (p.window_days / 4) + (int) ((g >> 4) % 3) - 1;
		}
		r[i].confirmed_on = (f & 1) ? LISTS_NO_DATE : r[i].decided_on + (int) (take(&in) % 30);
		r[i].revoked_on = (f & 2) ? r[i].decided_on + (int) take16(&in) % 900 : LISTS_NO_DATE;
		r[i].repaired_on = (f & 4) ? r[i].decided_on + (int) take16(&in) % 900 : LISTS_NO_DATE;
		r[i].publicity_until = r[i].decided_on + (int) take16(&in) % 1200;
		r[i].severity = (int8_t) ((f >> 3) % 3);
		r[i].accident_level = (c % 8) == 0 ? (int8_t) ((f >> 5) % 4) : LA_NONE;
		r[i].deaths = (c % 8) == 0 ? (int) (take(&in) % 4) : 0;
		r[i].safety_domain = (f >> 7) & 1;
		lists_classify(&p, &r[i]);
	}
	lists_sort(r, n);
	for (i = 1; i < n; i++)
		if (r[i - 1].decided_on > r[i].decided_on ||
			(r[i - 1].decided_on == r[i].decided_on && r[i - 1].id > r[i].id))
			abort();
	mem = malloc(lists_work_size(n));
	lists_work_init(&w, mem, n);
	lists_punish(&p, r, n, as_of, &w, &pu);

	/* 1. the triggers, naively: each distinct date of a counting record */
	for (i = 0; i < n; i++)
	{
		int32_t		t = r[i].decided_on;
		int			major = 0,
					larger = 0,
					fatal = 0,
					t_major = 0,
					t_larger = 0,
					t_fatal = 0,
					t_joint = 0,
					t_black = 0,
					t_serious = 0,
					lv = 0;

		if (!counts(&r[i], as_of) || (i > 0 && r[i - 1].decided_on == t && counts(&r[i - 1], as_of)))
			continue;
		/* the first counting record of its date only */
		for (k = 0; k < i; k++)
			if (r[k].decided_on == t && counts(&r[k], as_of))
				break;
		if (k < i)
			continue;
		for (k = 0; k < n; k++)
		{
			const lists_record *x = &r[k];
			bool		acc = x->cls == LC_SAFETY_ACCIDENT;

			if (!counts(x, as_of) || x->decided_on <= t - p.window_days || x->decided_on > t)
				continue;
			major += acc && x->accident_level >= LA_MAJOR;
			larger += acc && x->accident_level >= LA_LARGER;
			fatal += acc && x->accident_level == LA_GENERAL && x->deaths > 0;
			if (x->decided_on == t)
			{
				t_major += acc && x->accident_level >= LA_MAJOR;
				t_larger += acc && x->accident_level >= LA_LARGER;
				t_fatal += acc && x->accident_level == LA_GENERAL && x->deaths > 0;
				t_joint += x->joint_category;
				t_black += x->black_category && x->severity == 2;
				t_serious += x->severity == 2;
			}
		}
		if ((t_major && major >= p.blacklist_major_accidents) ||
			(t_larger && larger >= p.blacklist_larger_accidents) || t_black)
			lv = 2;
		else if ((t_larger && larger >= p.joint_larger_accidents) ||
				 (t_fatal && fatal >= p.joint_fatal_general_accidents) || t_joint ||
				 (p.joint_serious_dishonesty && t_serious))
			lv = 1;
		if (lv > 0)
		{
			tt[nt] = t;
			tl[nt] = lv;
			nt++;
		}
	}
	if (nt != w.n_trig)
		abort();
	for (k = 0; k < nt; k++)
		if (w.trig[k].t != tt[k] || w.trig[k].level != tl[k])
			abort();

	/* 2. the listing, naively */
	{
		int			level = 0;
		int32_t		from = LISTS_NO_DATE,
					until = LISTS_NO_DATE;

		for (lvl = 2; lvl >= 1 && level == 0; lvl--)
		{
			int32_t		f = LISTS_NO_DATE,
						u = LISTS_NO_DATE;

			for (k = 0; k < nt; k++)
			{
				int32_t		e = lists_add_term(tt[k], &p.term);

				if (tl[k] < lvl)
					continue;
				if (u == LISTS_NO_DATE || tt[k] >= u)
					f = tt[k];
				if (u == LISTS_NO_DATE || e > u)
					u = e;
			}
			if (u != LISTS_NO_DATE && u > as_of)
			{
				level = lvl;
				from = f;
				until = u;
			}
		}
		if (pu.level != level || pu.listed_from != from || pu.listed_until != until)
			abort();
		if (level > 0 && !(from <= as_of && as_of < until))
			abort();
	}

	/* 3. the reasons text */
	for (k = 0; k < w.n_trig; k++)
	{
		size_t		len = lists_reason_text(&p, r, &w, k, NULL, 0);
		char	   *b = malloc(len + 1);
		char		small[8];

		if (lists_reason_text(&p, r, &w, k, b, len + 1) != len || strlen(b) != len)
			abort();
		if (lists_reason_text(&p, r, &w, k, small, sizeof(small)) != len || strlen(small) >= sizeof(small))
			abort();
		free(b);
		(void) lists_reason_included(&pu, &w, k);
	}

	/* 4. D3.4 and the ranking's sums */
	(void) lists_incentive_mask(&p, r, n, as_of);
	{
		eval_model m;
		double		s[RANK_STATE_LEN];
		int32_t		f[RANK_QUARTERS],
					l[RANK_QUARTERS];
		rank_dates	d;

		eval_model_default(&m);
		memset(s, 0, sizeof(s));
		for (k = 0; k < RANK_QUARTERS; k++)
			rank_quarter(as_of, k, &f[k], &l[k]);
		for (i = 0; i < n; i++)
		{
			d.published_on = r[i].confirmed_on;
			d.publish_due = r[i].decided_on + 9;
			d.publicity_until = r[i].publicity_until;
			d.repaired_on = r[i].repaired_on;
			d.revoked_on = r[i].revoked_on;
			d.expired_on = LISTS_NO_DATE;
			rank_add(&m, s, f, l, r[i].category, r[i].category_len, r[i].dishonest, r[i].severity,
					 r[i].decided_on, r[i].confirmed_on, &d);
		}
		for (k = 0; k < RANK_QUARTERS; k++)
			if (s[k * RQ_LEN + RQ_ROWS] < 0 || s[k * RQ_LEN + RQ_ROWS] > n ||
				s[k * RQ_LEN + RQ_PUBLISHED_ON_TIME] > s[k * RQ_LEN + RQ_PUBLISHED])
				abort();
	}
	free(mem);
	return 0;
}
