/*
 * eval_core.c: scoring of DOMAIN D5 over the records that count
 * ("How records count").  Pure C, no PostgreSQL headers.
 */
#include "eval.h"

#include <stdlib.h>
#include <string.h>

void
eval_model_default(eval_model *m)
{
	memset(m, 0, sizeof(*m));
	m->start = 100;
	m->min_score = 0;
	m->max_score = 100;
	/* D5: minor 1, general 5, serious 15 */
	m->deduction[0] = 1;
	m->deduction[1] = 5;
	m->deduction[2] = 15;
	/* D5: within 1 year 1.0, 1-3 years 0.5, older 0 */
	m->n_age = 2;
	m->age_within_days[0] = 365;
	m->age_factor[0] = 1.0;
	m->age_within_days[1] = 1095;
	m->age_factor[1] = 0.5;
	/* D5: repaired records count half */
	m->repaired_factor = 0.5;
	/* D5: commendation +2 each within 1 year, at most +10 */
	m->n_bonus = 1;
	strcpy(m->bonus_category[0], "commendation");
	m->bonus_points[0] = 2;
	m->bonus_within_days[0] = 365;
	m->bonus_cap = 10;
	/* D5: statistical_fraud within 3 years vetoes */
	m->n_veto = 1;
	strcpy(m->veto_category[0], "statistical_fraud");
	m->veto_within_days = 1095;
	/* D5: A >= 90, B >= 75, C >= 60, D below */
	m->n_grades = 4;
	strcpy(m->grade[0], "A");
	m->grade_min[0] = 90;
	strcpy(m->grade[1], "B");
	m->grade_min[1] = 75;
	strcpy(m->grade[2], "C");
	m->grade_min[2] = 60;
	strcpy(m->grade[3], "D");
	m->grade_min[3] = -1e300;
	strcpy(m->veto_grade, "D");
	eval_model_finish(m);
}

void
eval_model_finish(eval_model *m)
{
	int			i;

	for (i = 0; i < m->n_bonus; i++)
		m->bonus_category_len[i] = strlen(m->bonus_category[i]);
	for (i = 0; i < m->n_veto; i++)
		m->veto_category_len[i] = strlen(m->veto_category[i]);
}

static inline bool
same_category(const eval_record *r, const char *name, size_t len)
{
	return r->category_len == len && memcmp(r->category, name, len) == 0;
}

void
eval_record_effect(const eval_model *m, const eval_record *r, int32_t as_of,
				   eval_effect *out)
{
	int32_t		age;
	int			i;

	memset(out, 0, sizeof(*out));
	/* "How records count": confirmed and not revoked, decided by as_of */
	if (!r->confirmed || r->revoked || r->decided_on > as_of)
		return;
	out->counted = true;
	/* "within N days" means as_of - N < decided_on <= as_of */
	age = as_of - r->decided_on;

	if (r->dishonest)
	{
		double		factor = 0;

		for (i = 0; i < m->n_age; i++)
			if (age < m->age_within_days[i])
			{
				factor = m->age_factor[i];
				break;
			}
		if (r->repaired)
			factor *= m->repaired_factor;
		out->age_factor = factor;
		if (r->severity >= 0 && r->severity < 3)
			out->deduction = m->deduction[r->severity] * factor;
		for (i = 0; i < m->n_veto; i++)
			if (age < m->veto_within_days &&
				same_category(r, m->veto_category[i], m->veto_category_len[i]))
				out->veto = true;
	}
	else
	{
		for (i = 0; i < m->n_bonus; i++)
			if (age < m->bonus_within_days[i] &&
				same_category(r, m->bonus_category[i], m->bonus_category_len[i]))
				out->bonus = m->bonus_points[i];
	}
}

void
eval_state_add(double *state, const eval_effect *e)
{
	if (!e->counted)
		return;
	state[EVAL_DEDUCTION] += e->deduction;
	state[EVAL_BONUS] += e->bonus;
	if (e->veto)
		state[EVAL_VETO] = 1;
	state[EVAL_COUNTED] += 1;
}

void
eval_state_combine(double *into, const double *other)
{
	into[EVAL_DEDUCTION] += other[EVAL_DEDUCTION];
	into[EVAL_BONUS] += other[EVAL_BONUS];
	if (other[EVAL_VETO] > into[EVAL_VETO])
		into[EVAL_VETO] = other[EVAL_VETO];
	into[EVAL_COUNTED] += other[EVAL_COUNTED];
}

double
eval_score(const eval_model *m, const double *state)
{
	double		bonus = state[EVAL_BONUS];
	double		s;

	if (bonus > m->bonus_cap)
		bonus = m->bonus_cap;
	s = m->start - state[EVAL_DEDUCTION] + bonus;
	if (s > m->max_score)
		s = m->max_score;
	if (s < m->min_score)
		s = m->min_score;
	return s;
}

const char *
eval_grade(const eval_model *m, double score, bool vetoed)
{
	int			i;

	if (vetoed)
		return m->veto_grade;
	for (i = 0; i < m->n_grades; i++)
		if (score >= m->grade_min[i])
			return m->grade[i];
	return m->n_grades > 0 ? m->grade[m->n_grades - 1] : "";
}

void
eval_state_pack(const double *state, unsigned char *out)
{
	memcpy(out, state, EVAL_STATE_BYTES);
}

void
eval_state_unpack(const unsigned char *in, double *state)
{
	memcpy(state, in, EVAL_STATE_BYTES);
}

int
eval_item_cmp(const void *a, const void *b)
{
	const eval_item *x = a;
	const eval_item *y = b;

	if (x->rec.decided_on != y->rec.decided_on)
		return x->rec.decided_on < y->rec.decided_on ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

int
eval_item_id_cmp(const void *a, const void *b)
{
	const eval_item *x = a;
	const eval_item *y = b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return 0;
}

void
eval_subject(const eval_model *m, eval_item *items, int n, int32_t as_of, double *state)
{
	int			i;

	for (i = 0; i < EVAL_STATE_LEN; i++)
		state[i] = 0;
	if (n > 1)
		qsort(items, n, sizeof(eval_item), eval_item_cmp);
	/* summed in decided_on order, as the aggregate over the index sums them */
	for (i = 0; i < n; i++)
	{
		eval_record_effect(m, &items[i].rec, as_of, &items[i].eff);
		eval_state_add(state, &items[i].eff);
	}
}

double
eval_total_bonus(const eval_model *m, const double *state, bool has_cap)
{
	double		b = state[EVAL_BONUS];

	if (has_cap && b > m->bonus_cap)
		b = m->bonus_cap;
	return b;
}
