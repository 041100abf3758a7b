/*
 * eval.h: the evaluation model (DOMAIN D5, "How records count").
 * Pure C, no PostgreSQL headers.
 */
#ifndef INTEGRITY_EVAL_H
#define INTEGRITY_EVAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define EVAL_MAX_AGE_BANDS 8
#define EVAL_MAX_GRADES 8
#define EVAL_MAX_CATEGORIES 16
#define EVAL_NAME_LEN 64

/* One evaluation model: the parameters of a score_model row. */
typedef struct eval_model
{
	double		start;			/* 100 */
	double		min_score;		/* 0 */
	double		max_score;		/* 100 */
	double		deduction[3];	/* by severity: minor, general, serious */
	int			n_age;
	int			age_within_days[EVAL_MAX_AGE_BANDS];	/* ascending */
	double		age_factor[EVAL_MAX_AGE_BANDS];
	double		repaired_factor;	/* 0.5 */
	int			n_bonus;
	char		bonus_category[EVAL_MAX_CATEGORIES][EVAL_NAME_LEN];
	size_t		bonus_category_len[EVAL_MAX_CATEGORIES];
	double		bonus_points[EVAL_MAX_CATEGORIES];
	int			bonus_within_days[EVAL_MAX_CATEGORIES];
	double		bonus_cap;
	int			n_veto;
	char		veto_category[EVAL_MAX_CATEGORIES][EVAL_NAME_LEN];
	size_t		veto_category_len[EVAL_MAX_CATEGORIES];
	int			veto_within_days;
	int			n_grades;
	char		grade[EVAL_MAX_GRADES][8];	/* descending thresholds */
	double		grade_min[EVAL_MAX_GRADES];
	char		veto_grade[8];
} eval_model;

/* The model of DOMAIN D5 (the seeded 'default' row says the same). */
extern void eval_model_default(eval_model *m);

/* Fill the category name lengths after the names were set. */
extern void eval_model_finish(eval_model *m);

/* A record as the evaluation sees it; dates are day numbers. */
typedef struct eval_record
{
	const char *category;		/* not NUL-terminated */
	size_t		category_len;
	bool		dishonest;
	int			severity;		/* 0 minor, 1 general, 2 serious */
	int32_t		decided_on;
	bool		confirmed;		/* confirmed on or before as_of */
	bool		revoked;		/* revoked on or before as_of */
	bool		repaired;		/* repaired on or before as_of */
} eval_record;

/* What one record does to the score at as_of. */
typedef struct eval_effect
{
	double		deduction;		/* points taken off (>= 0) */
	double		bonus;			/* points added before the cap (>= 0) */
	bool		veto;			/* 一票否决 */
	double		age_factor;		/* applied factor (deductions) */
	bool		counted;
} eval_effect;

/* "How records count" + D5: the effect of one record at as_of. */
extern void eval_record_effect(const eval_model *m, const eval_record *r,
							   int32_t as_of, eval_effect *out);

/*
 * The aggregate state: sums over a subject's records.  Kept as a fixed
 * array of doubles so that SQL can carry it as float8[].
 */
#define EVAL_STATE_LEN 4
enum
{
	EVAL_DEDUCTION = 0,
	EVAL_BONUS = 1,
	EVAL_VETO = 2,
	EVAL_COUNTED = 3
};

extern void eval_state_add(double *state, const eval_effect *e);
extern void eval_state_combine(double *into, const double *other);

/*
 * The state as bytes, for the serial/deserial functions of parallel
 * aggregation (both ends run on the same server, so native doubles).
 */
#define EVAL_STATE_BYTES (EVAL_STATE_LEN * sizeof(double))
extern void eval_state_pack(const double *state, unsigned char *out);
extern void eval_state_unpack(const unsigned char *in, double *state);

/* score (clamped), grade and veto of a final state */
extern double eval_score(const eval_model *m, const double *state);
extern const char *eval_grade(const eval_model *m, double score, bool vetoed);

/*
 * The breakdown of evaluate(): the records of one subject with their
 * effects, listed by decided_on then id (SPEC 5).
 */
typedef struct eval_item
{
	int64_t		id;
	eval_record rec;
	eval_effect eff;
	int			row;			/* the caller's index of the record's data */
} eval_item;

/* order by decided_on, then id */
extern int	eval_item_cmp(const void *a, const void *b);
/* order by id */
extern int	eval_item_id_cmp(const void *a, const void *b);

/*
 * Score every item of a subject at as_of: fills each item's effect and the
 * summed state, and sorts the items by decided_on, id.
 */
extern void eval_subject(const eval_model *m, eval_item *items, int n, int32_t as_of,
						 double *state);

/* the breakdown's total_bonus: the summed bonuses, capped when the model has a cap */
extern double eval_total_bonus(const eval_model *m, const double *state, bool has_cap);

/* ------------------------- eval.c, eval_subject.c, eval_compat.c (server glue) */
#ifdef POSTGRES_H

#include "fmgr.h"
#include "utils/array.h"
#include "utils/jsonb.h"

/*
 * The parsed model of a jsonb argument, cached in fn_extra for the life
 * of the query (the model is a constant of the query; its bytes are
 * compared, so a changed argument is parsed again).
 */
typedef struct model_cache
{
	eval_model	model;
	Oid			severity_oid[3];
	Pointer		arg;			/* the argument datum last parsed */
	Size		len;
	char	   *bytes;
} model_cache;

/* parse (and check) a score_model params document into m; ERROR 22023 if it is not valid */
extern void parse_model(Jsonb *j, eval_model *m);

/* the parsed model of argument argno (jsonb), cached in fn_extra */
extern model_cache *get_model(FunctionCallInfo fcinfo, int argno);

/*
 * The record of the arguments from base on (category, kind, severity,
 * decided_on, confirmed_on, revoked_on, repaired_on, as_of, model); false
 * when one that must be given is NULL (the record is not counted).
 */
extern bool record_from_args(FunctionCallInfo fcinfo, int base, eval_record *r, int32 *as_of,
							 model_cache **mcp);

/* the 1.0 float8[4] state of sums, and its values (checked) */
extern ArrayType *state_array(const double *s);
extern double *state_values(ArrayType *a);

#endif							/* POSTGRES_H */

#endif
