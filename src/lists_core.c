/*
 * lists_core.c: the safety-production lists of DOMAIN D3 (joint
 * punishment D3.1, blacklist D3.2, listing terms D3.3/D2.10, red list
 * D3.4) and the one-pass sums of the quarterly ranking (D5).  Pure C, no
 * PostgreSQL headers; the contract is lists.h.
 *
 * The rules, as 1.1's PL/pgSQL _punishment and _incentive stated them
 * (bench/reference.sql and test/ keep that form as the reference):
 *
 *   - a record counts for punishment at as_of when it is a dishonesty
 *     record decided, confirmed by as_of, and neither revoked nor
 *     repaired by as_of ("How records count");
 *   - every decision date t of a counting record is a candidate; the
 *     window of t is (t - window_days, t]; a condition is met at t when
 *     the window holds enough records and one of them is decided on t
 *     (the record that completes the condition, D3.3);
 *   - blacklist (level 2) conditions first; the joint punishment
 *     (level 1) conditions only when no blacklist condition is met;
 *   - per level, from 2 down to 1: the listings of the triggers of that
 *     level or above, each lasting the term from its date and extended
 *     by every trigger before it ends; the level is the highest whose
 *     last listing is in force at as_of.
 */
#include "lists.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const lists_severity_names[3] = {"minor", "general", "serious"};
const char *const lists_accident_names[4] = {"general", "larger", "major", "especially_major"};
const char *const lists_level_names[3] = {"none", "joint_punishment", "blacklist"};
const char *const lists_failed_names[LF_COUNT] = {
	"commitment", "no_dishonesty_3y", "no_penalty_3y", "no_fatality_3y",
	"standard_level1", "not_punished"
};

void
lists_params_default(lists_params *p)
{
	memset(p, 0, sizeof(*p));
	p->window_days = 365;
	p->term.months = 12;		/* D2.10: 1 year */
	p->joint_larger_accidents = 1;
	p->joint_fatal_general_accidents = 3;
	p->joint_serious_dishonesty = false;
	p->blacklist_major_accidents = 1;
	p->blacklist_larger_accidents = 2;
	p->n_joint = 1;
	strcpy(p->joint_category[0], "safety_violation");
	p->n_black = 0;
	p->lookback_days = 1095;
	p->incentive_term.months = 36;	/* D2.10: 3 years */
}

#define USECS_PER_DAY INT64_C(86400000000)

static const char *
term_check(const lists_term *t)
{
	/* longer than a day, at most 100 years, each part within that */
	double		days = t->months * 30.0 + t->days + (double) t->usecs / USECS_PER_DAY;

	if (t->months < 0 || t->days < 0 || t->usecs < 0 || t->months > 1200 ||
		t->days > LISTS_MAX_DAYS || t->usecs > LISTS_MAX_DAYS * USECS_PER_DAY)
		return "an interval from 1 day to 100 years with no negative part";
	if (days < 1 || days > LISTS_MAX_DAYS + 30)
		return "an interval from 1 day to 100 years with no negative part";
	return NULL;
}

const char *
lists_params_check(const lists_params *p, const char **why)
{
	static const char days_why[] = "an integer from 1 to 36500";
	static const char count_why[] = "an integer from 0 to 1000000";

	if (p->window_days < 1 || p->window_days > LISTS_MAX_DAYS)
		return *why = days_why, "punishment.window_days";
	if ((*why = term_check(&p->term)) != NULL)
		return "punishment.term";
	if (p->joint_larger_accidents < 0 || p->joint_larger_accidents > 1000000)
		return *why = count_why, "punishment.joint_larger_accidents";
	if (p->joint_fatal_general_accidents < 0 || p->joint_fatal_general_accidents > 1000000)
		return *why = count_why, "punishment.joint_fatal_general_accidents";
	if (p->blacklist_major_accidents < 0 || p->blacklist_major_accidents > 1000000)
		return *why = count_why, "punishment.blacklist_major_accidents";
	if (p->blacklist_larger_accidents < 0 || p->blacklist_larger_accidents > 1000000)
		return *why = count_why, "punishment.blacklist_larger_accidents";
	if (p->n_joint < 0 || p->n_joint > LISTS_MAX_CATEGORIES)
		return *why = "an array of at most 16 category codes", "punishment.joint_categories";
	if (p->n_black < 0 || p->n_black > LISTS_MAX_CATEGORIES)
		return *why = "an array of at most 16 category codes", "punishment.blacklist_categories";
	if (p->lookback_days < 1 || p->lookback_days > LISTS_MAX_DAYS)
		return *why = days_why, "incentive.lookback_days";
	if ((*why = term_check(&p->incentive_term)) != NULL)
		return "incentive.term";
	*why = NULL;
	return NULL;
}

static inline bool
is_name(const lists_record *r, const char *name, size_t len)
{
	return r->category_len == len && memcmp(r->category, name, len) == 0;
}
#define IS(r, lit) is_name((r), (lit), sizeof(lit) - 1)

void
lists_classify(const lists_params *p, lists_record *r)
{
	int			i;

	if (IS(r, "safety_accident"))
		r->cls = LC_SAFETY_ACCIDENT;
	else if (IS(r, "safety_violation"))
		r->cls = LC_SAFETY_VIOLATION;
	else if (IS(r, "occupational_disease"))
		r->cls = LC_OCCUPATIONAL_DISEASE;
	else if (IS(r, "admin_penalty"))
		r->cls = LC_ADMIN_PENALTY;
	else if (IS(r, "credit_commitment"))
		r->cls = LC_CREDIT_COMMITMENT;
	else if (IS(r, "safety_standard_level1"))
		r->cls = LC_SAFETY_STANDARD_LEVEL1;
	else
		r->cls = LC_OTHER;
	r->joint_category = false;
	r->black_category = false;
	for (i = 0; i < p->n_joint; i++)
		if (is_name(r, p->joint_category[i], strlen(p->joint_category[i])))
			r->joint_category = true;
	for (i = 0; i < p->n_black; i++)
		if (is_name(r, p->black_category[i], strlen(p->black_category[i])))
			r->black_category = true;
}

static int
record_cmp(const void *a, const void *b)
{
	const lists_record *x = a;
	const lists_record *y = b;

	if (x->decided_on != y->decided_on)
		return x->decided_on < y->decided_on ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

void
lists_sort(lists_record *r, int n)
{
	int			i;

	for (i = 1; i < n; i++)
		if (record_cmp(&r[i - 1], &r[i]) > 0)
			break;
	if (i < n)
		qsort(r, n, sizeof(lists_record), record_cmp);
}

/* ------------------------------------------------------------ dates */

/* the Julian day algorithms of PostgreSQL's datetime.c (date2j, j2date) */
#define POSTGRES_EPOCH_JDATE 2451545

static int
date2j(int y, int m, int d)
{
	int			julian;
	int			century;

	if (m > 2)
	{
		m += 1;
		y += 4800;
	}
	else
	{
		m += 13;
		y += 4799;
	}
	century = y / 100;
	julian = y * 365 - 32167;
	julian += y / 4 - century + century / 4;
	julian += 7834 * m / 256 + d;
	return julian;
}

static void
j2date(int jd, int *year, int *month, int *day)
{
	unsigned int julian;
	unsigned int quad;
	unsigned int extra;
	int			y;

	julian = jd;
	julian += 32044;
	quad = julian / 146097;
	extra = (julian - quad * 146097) * 4 + 3;
	julian += 60 + quad * 3 + extra / 146097;
	quad = julian / 1461;
	julian -= quad * 1461;
	y = julian * 4 / 1461;
	julian = ((y != 0) ? ((julian + 305) % 365) : ((julian + 306) % 366)) + 123;
	y += quad * 4;
	*year = y - 4800;
	quad = julian * 2141 / 65536;
	*day = julian - 7834 * quad / 256;
	*month = (quad + 10) % 12 + 1;
}

static int
days_in_month(int y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool		leap = (y % 4 == 0) && (y % 100 != 0 || y % 400 == 0);

	return (m == 2 && leap) ? 29 : dm[m - 1];
}

/* date + interval, then ::date: months (the day clamped to the month's end), days, time */
int32_t
lists_add_term(int32_t day, const lists_term *t)
{
	int			y,
				m,
				d;
	int64_t		jd;
	int64_t		us;

	j2date(day + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	if (t->months != 0)
	{
		int			mm = (m - 1) + t->months;

		y += mm / 12;
		mm %= 12;
		if (mm < 0)
		{
			mm += 12;
			y -= 1;
		}
		m = mm + 1;
		if (d > days_in_month(y, m))
			d = days_in_month(y, m);
	}
	jd = (int64_t) date2j(y, m, d) - POSTGRES_EPOCH_JDATE + t->days;
	/* the time part: whole days of it (floor, as timestamp -> date) */
	us = t->usecs;
	if (us >= 0)
		jd += us / USECS_PER_DAY;
	else
		jd -= (-us + USECS_PER_DAY - 1) / USECS_PER_DAY;
	return (int32_t) jd;
}

/* ISO 8601 as PostgreSQL prints a date with DateStyle ISO: 2026-01-31, 0044-03-15 BC */
void
lists_date_text(int32_t day, char *buf, size_t len)
{
	int			y,
				m,
				d;

	j2date(day + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	if (y > 0)
		snprintf(buf, len, "%04d-%02d-%02d", y, m, d);
	else
		snprintf(buf, len, "%04d-%02d-%02d BC", 1 - y, m, d);
}

/* ------------------------------------------------------------ D3.1-D3.3 */

size_t
lists_work_size(int n)
{
	size_t		a = sizeof(int32_t) * (size_t) (n > 0 ? n : 1);

	a = (a + 7) & ~(size_t) 7;
	return a + sizeof(lists_trigger) * (size_t) (n > 0 ? n : 1);
}

void
lists_work_init(lists_work *w, void *mem, int n)
{
	size_t		a = sizeof(int32_t) * (size_t) (n > 0 ? n : 1);

	a = (a + 7) & ~(size_t) 7;
	w->count = mem;
	w->trig = (lists_trigger *) ((char *) mem + a);
	w->n_count = 0;
	w->n_trig = 0;
}

/* "How records count" for punishment (D3, D4): confirmed, not revoked, not repaired */
static inline bool
counts_for_punishment(const lists_record *r, int32_t as_of)
{
	return r->dishonest && r->decided_on <= as_of &&
		r->confirmed_on != LISTS_NO_DATE && r->confirmed_on <= as_of &&
		(r->revoked_on == LISTS_NO_DATE || r->revoked_on > as_of) &&
		(r->repaired_on == LISTS_NO_DATE || r->repaired_on > as_of);
}

static inline bool
is_major(const lists_record *r)
{
	return r->cls == LC_SAFETY_ACCIDENT && r->accident_level >= LA_MAJOR;
}

static inline bool
is_larger_up(const lists_record *r)
{
	return r->cls == LC_SAFETY_ACCIDENT && r->accident_level >= LA_LARGER;
}

static inline bool
is_fatal_general(const lists_record *r)
{
	return r->cls == LC_SAFETY_ACCIDENT && r->accident_level == LA_GENERAL && r->deaths > 0;
}

/* the triggers of D3.3 among the counting records at as_of */
static void
find_triggers(const lists_params *p, const lists_record *r, int n, int32_t as_of, lists_work *w)
{
	const int32_t *c = w->count;
	int			m = 0;
	int			i,
				j,
				lo = 0;
	int			major = 0,
				larger_up = 0,
				fatal = 0;

	for (i = 0; i < n; i++)
		if (counts_for_punishment(&r[i], as_of))
			w->count[m++] = i;
	w->n_count = m;
	w->n_trig = 0;
	for (i = 0; i < m; i = j)
	{
		int32_t		t = r[c[i]].decided_on;
		int			t_major = 0,
					t_larger = 0,
					t_fatal = 0,
					t_joint = 0,
					t_black = 0,
					t_serious = 0;
		int			lv = 0;
		unsigned	why = 0;

		/* the records decided on t join the window */
		for (j = i; j < m && r[c[j]].decided_on == t; j++)
		{
			const lists_record *x = &r[c[j]];

			major += is_major(x);
			larger_up += is_larger_up(x);
			fatal += is_fatal_general(x);
			t_major += is_major(x);
			t_larger += is_larger_up(x);
			t_fatal += is_fatal_general(x);
			t_joint += x->joint_category;
			t_black += x->black_category && x->severity == 2;
			t_serious += x->severity == 2;
		}
		/* those decided on or before t - window_days leave it */
		while ((int64_t) r[c[lo]].decided_on <= (int64_t) t - p->window_days)
		{
			const lists_record *x = &r[c[lo]];

			major -= is_major(x);
			larger_up -= is_larger_up(x);
			fatal -= is_fatal_general(x);
			lo++;
		}
		/* D3.2 blacklist */
		if (t_major > 0 && major >= p->blacklist_major_accidents)
			lv = 2, why |= LW_BLACK_MAJOR;
		if (t_larger > 0 && larger_up >= p->blacklist_larger_accidents)
			lv = 2, why |= LW_BLACK_LARGER;
		if (t_black > 0)
			lv = 2, why |= LW_BLACK_CATEGORY;
		/* D3.1 joint punishment, D2.10 serious dishonesty */
		if (lv < 2)
		{
			if (t_larger > 0 && larger_up >= p->joint_larger_accidents)
				lv = 1, why |= LW_JOINT_LARGER;
			if (t_fatal > 0 && fatal >= p->joint_fatal_general_accidents)
				lv = 1, why |= LW_JOINT_FATAL;
			if (t_joint > 0)
				lv = 1, why |= LW_JOINT_CATEGORY;
			if (p->joint_serious_dishonesty && t_serious > 0)
				lv = 1, why |= LW_JOINT_SERIOUS;
		}
		if (lv > 0)
		{
			lists_trigger *g = &w->trig[w->n_trig++];

			g->t = t;
			g->level = lv;
			g->why = why;
			g->larger_up = larger_up;
			g->fatal_general = fatal;
			g->lo = lo;
			g->hi = j;
		}
	}
}

void
lists_punish(const lists_params *p, const lists_record *r, int n, int32_t as_of,
			 lists_work *w, lists_punishment *out)
{
	int			lvl;

	out->level = LEVEL_NONE;
	out->listed_from = LISTS_NO_DATE;
	out->listed_until = LISTS_NO_DATE;
	out->first = 0;
	find_triggers(p, r, n, as_of, w);
	/* D3.3: the highest level whose last listing is in force at as_of */
	for (lvl = 2; lvl >= 1; lvl--)
	{
		int32_t		from = LISTS_NO_DATE,
					until = LISTS_NO_DATE;
		int			first = 0;
		int			k;

		for (k = 0; k < w->n_trig; k++)
		{
			const lists_trigger *g = &w->trig[k];
			int32_t		end;

			if (g->level < lvl)
				continue;
			if (until == LISTS_NO_DATE || g->t >= until)
			{
				from = g->t;
				first = k;
			}
			end = lists_add_term(g->t, &p->term);
			if (until == LISTS_NO_DATE || end > until)
				until = end;
			if (until < g->t)	/* greatest(until, t): a term is never negative */
				until = g->t;
		}
		if (until != LISTS_NO_DATE && until > as_of)
		{
			out->level = lvl;
			out->listed_from = from;
			out->listed_until = until;
			out->first = first;
			return;
		}
	}
}

bool
lists_reason_included(const lists_punishment *out, const lists_work *w, int k)
{
	return out->level != LEVEL_NONE && k >= out->first && k < w->n_trig &&
		w->trig[k].level >= out->level;
}

/* a small appender over a caller's buffer that counts what it could not write */
typedef struct text_out
{
	char	   *buf;
	size_t		len;
	size_t		used;
} text_out;

static void
put(text_out *o, const char *s, size_t n)
{
	if (o->used < o->len)
	{
		size_t		room = o->len - o->used;

		memcpy(o->buf + o->used, s, n < room ? n : room);
	}
	o->used += n;
}

static void
puts_(text_out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void
put_num(text_out *o, long long v)
{
	char		b[32];
	int			k = snprintf(b, sizeof(b), "%lld", v);

	put(o, b, (size_t) k);
}

static void
put_date(text_out *o, int32_t day)
{
	char		b[32];

	lists_date_text(day, b, sizeof(b));
	puts_(o, b);
}

/*
 * "listed on %s by %s": the conditions joined by ", ", then ": " and the
 * counting records of the window, "record %s (%s %s%s, %s)" joined by "; "
 * (1.1's _punishment wrote the same text with format()).
 */
size_t
lists_reason_text(const lists_params *p, const lists_record *r, const lists_work *w,
				  int k, char *buf, size_t len)
{
	const lists_trigger *g = &w->trig[k];
	text_out	o = {buf, len > 0 ? len - 1 : 0, 0};
	bool		first = true;
	int			i;

#define SEP() do { if (!first) puts_(&o, ", "); first = false; } while (0)
	puts_(&o, "listed on ");
	put_date(&o, g->t);
	puts_(&o, " by ");
	if (g->why & LW_BLACK_MAJOR)
	{
		SEP();
		puts_(&o, "D3.2 重大及以上事故 a major or especially major accident within ");
		put_num(&o, p->window_days);
		puts_(&o, " days");
	}
	if (g->why & LW_BLACK_LARGER)
	{
		SEP();
		puts_(&o, "D3.2 ");
		put_num(&o, g->larger_up);
		puts_(&o, " larger (较大) or worse accidents within ");
		put_num(&o, p->window_days);
		puts_(&o, " days");
	}
	if (g->why & LW_BLACK_CATEGORY)
	{
		SEP();
		puts_(&o, "D3.2 a serious record of a blacklisting category (性质恶劣)");
	}
	if (g->why & LW_JOINT_LARGER)
	{
		SEP();
		puts_(&o, "D3.1 a larger (较大) or worse accident within ");
		put_num(&o, p->window_days);
		puts_(&o, " days");
	}
	if (g->why & LW_JOINT_FATAL)
	{
		SEP();
		puts_(&o, "D3.1 ");
		put_num(&o, g->fatal_general);
		puts_(&o, " fatal general accidents within ");
		put_num(&o, p->window_days);
		puts_(&o, " days");
	}
	if (g->why & LW_JOINT_CATEGORY)
	{
		SEP();
		puts_(&o, "D3.1 a safety_violation (安全生产严重违法违规)");
	}
	if (g->why & LW_JOINT_SERIOUS)
	{
		SEP();
		puts_(&o, "D2.10 a serious (严重) dishonesty record within ");
		put_num(&o, p->window_days);
		puts_(&o, " days");
	}
#undef SEP
	puts_(&o, ": ");
	for (i = g->lo; i < g->hi; i++)
	{
		const lists_record *x = &r[w->count[i]];

		if (i > g->lo)
			puts_(&o, "; ");
		puts_(&o, "record ");
		put_num(&o, (long long) x->id);
		puts_(&o, " (");
		put(&o, x->category, x->category_len);
		puts_(&o, " ");
		if (x->accident_level >= 0 && x->accident_level <= 3)
		{
			puts_(&o, lists_accident_names[x->accident_level]);
			puts_(&o, " ");
		}
		if (x->deaths > 0)
		{
			put_num(&o, x->deaths);
			puts_(&o, " deaths");
		}
		else if (x->severity >= 0 && x->severity <= 2)
			puts_(&o, lists_severity_names[x->severity]);
		puts_(&o, ", ");
		put_date(&o, x->decided_on);
		puts_(&o, ")");
	}
	if (len > 0)
		buf[o.used < o.len ? o.used : o.len] = '\0';
	return o.used;
}

/* ------------------------------------------------------------ D3.4 */

unsigned
lists_incentive_mask(const lists_params *p, const lists_record *r, int n, int32_t as_of)
{
	bool		commitment = false,
				level1 = false,
				dishonesty = false,
				penalty = false,
				fatality = false;
	int64_t		since = (int64_t) as_of - p->lookback_days;
	unsigned	failed = 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		const lists_record *x = &r[i];
		bool		in_effect;
		bool		recent;

		/* counting at as_of; repaired records still count for look-backs */
		if (x->decided_on > as_of || x->confirmed_on == LISTS_NO_DATE || x->confirmed_on > as_of ||
			(x->revoked_on != LISTS_NO_DATE && x->revoked_on <= as_of))
			continue;
		in_effect = as_of < x->publicity_until &&
			(x->repaired_on == LISTS_NO_DATE || x->repaired_on > as_of);
		recent = x->decided_on > since;
		switch (x->cls)
		{
			case LC_CREDIT_COMMITMENT:
				commitment |= in_effect;	/* (1) */
				break;
			case LC_SAFETY_STANDARD_LEVEL1:
				level1 |= in_effect;	/* (5) */
				break;
			case LC_SAFETY_VIOLATION:
				dishonesty |= recent;	/* (2) */
				break;
			case LC_SAFETY_ACCIDENT:
				dishonesty |= recent && x->accident_level >= LA_LARGER; /* (2) */
				fatality |= recent && x->deaths > 0;	/* (4) */
				break;
			case LC_ADMIN_PENALTY:
				penalty |= recent && x->safety_domain;	/* (3) */
				break;
			case LC_OCCUPATIONAL_DISEASE:
				fatality |= recent; /* (4) */
				break;
		}
	}
	if (!commitment)
		failed |= LF_COMMITMENT;
	if (dishonesty)
		failed |= LF_NO_DISHONESTY;
	if (penalty)
		failed |= LF_NO_PENALTY;
	if (fatality)
		failed |= LF_NO_FATALITY;
	if (!level1)
		failed |= LF_STANDARD_LEVEL1;
	return failed;
}

/* ------------------------------------------------------------ ranking */

static int32_t
first_of_month(int32_t day, int months)
{
	lists_term t = {months, 0, 0};
	int			y,
				m,
				d;

	j2date(day + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	return lists_add_term(date2j(y, m, 1) - POSTGRES_EPOCH_JDATE, &t);
}

void
rank_quarter(int32_t quarter_start, int k, int32_t *first, int32_t *last)
{
	*first = first_of_month(quarter_start, -3 * (k + 1));
	*last = first_of_month(quarter_start, -3 * k) - 1;
}

static inline bool
between(int32_t d, int32_t lo, int32_t hi)
{
	return d != LISTS_NO_DATE && d >= lo && d <= hi;
}

void
rank_add(const eval_model *m, double *state, const int32_t *first, const int32_t *last,
		 const char *category, size_t category_len, bool dishonest, int severity,
		 int32_t decided_on, int32_t confirmed_on, const rank_dates *d)
{
	int			k;

	for (k = 0; k < RANK_QUARTERS; k++)
	{
		double	   *s = state + k * RQ_LEN;
		int32_t		qs,
					qe;
		eval_record r;
		eval_effect e;
		int32_t		gone;

		qs = first[k];
		qe = last[k];
		if (decided_on > qe)
			continue;			/* the ranking's join: decided by the quarter's end */
		r.category = category;
		r.category_len = category_len;
		r.dishonest = dishonest;
		r.severity = severity;
		r.decided_on = decided_on;
		r.confirmed = confirmed_on != LISTS_NO_DATE && confirmed_on <= qe;
		r.revoked = d->revoked_on != LISTS_NO_DATE && d->revoked_on <= qe;
		r.repaired = d->repaired_on != LISTS_NO_DATE && d->repaired_on <= qe;
		eval_record_effect(m, &r, qe, &e);
		eval_state_add(s, &e);
		s[RQ_ROWS] += 1;
		if (between(d->published_on, qs, qe))
		{
			s[RQ_PUBLISHED] += 1;
			if (d->publish_due != LISTS_NO_DATE && d->published_on <= d->publish_due)
				s[RQ_PUBLISHED_ON_TIME] += 1;
		}
		/* coalesce(repaired_on, revoked_on, expired_on, 'infinity') > the quarter's end */
		gone = d->repaired_on != LISTS_NO_DATE ? d->repaired_on :
			d->revoked_on != LISTS_NO_DATE ? d->revoked_on : d->expired_on;
		if (d->published_on != LISTS_NO_DATE && d->published_on <= qe &&
			d->publicity_until != LISTS_NO_DATE && d->publicity_until > qe &&
			(gone == LISTS_NO_DATE || gone > qe))
			s[RQ_IN_PUBLICITY] += 1;
		if (between(d->repaired_on, qs, qe))
			s[RQ_REPAIRED] += 1;
	}
}
