/*
 * lists.h: the safety-production lists and the quarterly ranking's sums
 * (DOMAIN D3.1-D3.4, D2.10, D5; "How records count").  The contract
 * between lists_core.c (pure C, no PostgreSQL headers, unit-tested in
 * test/unit/test_lists.c) and its glue lists.c.
 *
 * One subject at a time: the caller hands over the subject's records in
 * the order of record_subject_idx (decided_on; lists_sort puts equal
 * dates in id order) and gets, for any as_of, the punishment level of
 * D3.1-D3.3 with its listing term and reasons, and the red-list
 * eligibility of D3.4.  The same functions serve one subject
 * (punishment_status, incentive_status) and every subject in one pass
 * over the index (the blacklist and redlist views), so both give the
 * same answers by construction.
 *
 * Dates are day numbers (days from 2000-01-01, PostgreSQL's DateADT);
 * LISTS_NO_DATE stands for NULL.
 */
#ifndef INTEGRITY_LISTS_H
#define INTEGRITY_LISTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eval.h"

#define LISTS_NO_DATE INT32_MIN
#define LISTS_MAX_CATEGORIES 16
#define LISTS_NAME_LEN 64

/* an interval of the model ("1 year"): months, then days, then microseconds */
typedef struct lists_term
{
	int32_t		months;
	int32_t		days;
	int64_t		usecs;
} lists_term;

/* the "punishment" and "incentive" sections of a score_model's params */
typedef struct lists_params
{
	int			window_days;	/* 365: "within N days" of D3.1, D3.2 */
	lists_term	term;			/* 1 year: the listing term of D2.10 */
	int			joint_larger_accidents;		/* 1 (D3.1) */
	int			joint_fatal_general_accidents;	/* 3 (D3.1) */
	bool		joint_serious_dishonesty;	/* false (D2.10) */
	int			blacklist_major_accidents;	/* 1 (D3.2) */
	int			blacklist_larger_accidents; /* 2 (D3.2) */
	int			n_joint;
	char		joint_category[LISTS_MAX_CATEGORIES][LISTS_NAME_LEN];
	int			n_black;
	char		black_category[LISTS_MAX_CATEGORIES][LISTS_NAME_LEN];
	int			lookback_days;	/* 1095: the "3 years" of D3.4 */
	lists_term	incentive_term; /* 3 years: valid_until of D3.4 */
} lists_params;

/* the defaults of DOMAIN D3 and D2.10 (the seeded 'default' model says the same) */
extern void lists_params_default(lists_params *p);

/*
 * Bounds of the numeric fields, checked by lists_params_check: NULL when
 * p is valid, else the name of the first bad field ("punishment.term")
 * and, in *why, what it must be.
 */
#define LISTS_MAX_DAYS 36500	/* 100 years */
extern const char *lists_params_check(const lists_params *p, const char **why);

/* the categories the rules name (any other is LC_OTHER) */
enum
{
	LC_OTHER = 0,
	LC_SAFETY_ACCIDENT,			/* D3.1, D3.2 */
	LC_SAFETY_VIOLATION,		/* D3.1, D3.4 (2) */
	LC_OCCUPATIONAL_DISEASE,	/* D3.4 (4) */
	LC_ADMIN_PENALTY,			/* D3.4 (3) with domain 安全生产 */
	LC_CREDIT_COMMITMENT,		/* D3.4 (1) */
	LC_SAFETY_STANDARD_LEVEL1	/* D3.4 (5) */
};

/* accident levels, in the order of the enum integrity.accident_level */
enum
{
	LA_NONE = -1,
	LA_GENERAL = 0,
	LA_LARGER,
	LA_MAJOR,
	LA_ESPECIALLY_MAJOR
};

extern const char *const lists_severity_names[3];	/* minor, general, serious */
extern const char *const lists_accident_names[4];

/* A record as the lists see it. */
typedef struct lists_record
{
	int64_t		id;
	int32_t		decided_on;
	int32_t		confirmed_on;	/* LISTS_NO_DATE: not confirmed */
	int32_t		revoked_on;
	int32_t		repaired_on;
	int32_t		publicity_until;
	const char *category;		/* not NUL-terminated; the caller keeps it */
	uint16_t	category_len;
	uint8_t		cls;			/* LC_*: lists_classify */
	bool		joint_category; /* in params' joint_categories */
	bool		black_category; /* in params' blacklist_categories */
	bool		dishonest;		/* kind = 'dishonest' */
	bool		safety_domain;	/* domain = '安全生产' */
	int8_t		severity;		/* 0 minor, 1 general, 2 serious */
	int8_t		accident_level; /* LA_* */
	int32_t		deaths;
} lists_record;

/* cls, joint_category and black_category of r from its category under p */
extern void lists_classify(const lists_params *p, lists_record *r);

/* sort a subject's records by decided_on, then id (a no-op when they are) */
extern void lists_sort(lists_record *r, int n);

/* day arithmetic: d + term (as date + interval, then ::date), and ISO text */
extern int32_t lists_add_term(int32_t day, const lists_term *t);
extern void lists_date_text(int32_t day, char *buf, size_t len);	/* len >= 16 */

/* One trigger of D3.3: a decision date on which a condition is complete. */
typedef struct lists_trigger
{
	int32_t		t;				/* the decision date */
	int8_t		level;			/* 1 joint punishment, 2 blacklist */
	uint8_t		why;			/* LW_* bits: the conditions met */
	int32_t		larger_up;		/* accidents of level larger or above in the window */
	int32_t		fatal_general;	/* fatal general accidents in the window */
	int32_t		lo;				/* the window: counting records lo .. hi-1 */
	int32_t		hi;
} lists_trigger;

enum
{
	LW_BLACK_MAJOR = 1 << 0,	/* D3.2 a major or especially major accident */
	LW_BLACK_LARGER = 1 << 1,	/* D3.2 n larger or worse accidents */
	LW_BLACK_CATEGORY = 1 << 2, /* D3.2 a serious record of a blacklisting category */
	LW_JOINT_LARGER = 1 << 3,	/* D3.1 a larger or worse accident */
	LW_JOINT_FATAL = 1 << 4,	/* D3.1 n fatal general accidents */
	LW_JOINT_CATEGORY = 1 << 5, /* D3.1 a safety_violation */
	LW_JOINT_SERIOUS = 1 << 6	/* D2.10 a serious dishonesty record */
};

/*
 * Working memory for one subject of n records: the indexes of the
 * counting records and the triggers (caller-allocated, lists_work_size(n)
 * bytes, suitably aligned).
 */
typedef struct lists_work
{
	int			n_count;
	int32_t    *count;			/* indexes into the records: those counting at as_of */
	int			n_trig;
	lists_trigger *trig;
} lists_work;

extern size_t lists_work_size(int n);
extern void lists_work_init(lists_work *w, void *mem, int n);

enum
{
	LEVEL_NONE = 0,
	LEVEL_JOINT = 1,			/* joint_punishment 联合惩戒 */
	LEVEL_BLACKLIST = 2			/* blacklist 黑名单 */
};
extern const char *const lists_level_names[3];	/* none, joint_punishment, blacklist */

/* punishment_status of one subject at as_of */
typedef struct lists_punishment
{
	int			level;			/* LEVEL_* */
	int32_t		listed_from;	/* LISTS_NO_DATE when none */
	int32_t		listed_until;
	int			first;			/* the listing's triggers: w->trig[first .. w->n_trig-1] */
} lists_punishment;

/*
 * D3.1-D3.3: the highest level whose listing (from the decision date of
 * each record that completes a condition, for the term, extended by each
 * later trigger of that level or above) is in force at as_of.  r: the
 * subject's records sorted by lists_sort.
 */
extern void lists_punish(const lists_params *p, const lists_record *r, int n, int32_t as_of,
						 lists_work *w, lists_punishment *out);

/*
 * The reasons of a listing, one text per trigger k of the listing
 * (out->first <= k < w->n_trig with trig[k].level >= out->level):
 * "listed on <date> by <conditions>: record <id> (...); ...".  Writes at
 * most len bytes (NUL-terminated) and returns the length the whole text
 * needs, as snprintf does; lists_reason_included says whether trigger k
 * is one of them.
 */
extern bool lists_reason_included(const lists_punishment *out, const lists_work *w, int k);
extern size_t lists_reason_text(const lists_params *p, const lists_record *r, const lists_work *w,
								int k, char *buf, size_t len);

/* D3.4: the six conditions of the red list, named as in incentive_status */
enum
{
	LF_COMMITMENT = 1 << 0,
	LF_NO_DISHONESTY = 1 << 1,
	LF_NO_PENALTY = 1 << 2,
	LF_NO_FATALITY = 1 << 3,
	LF_STANDARD_LEVEL1 = 1 << 4,
	LF_NOT_PUNISHED = 1 << 5
};
#define LF_COUNT 6
extern const char *const lists_failed_names[LF_COUNT];

/*
 * D3.4 at as_of without condition (6): the bits of the unmet conditions
 * (1)-(5).  The caller adds LF_NOT_PUNISHED from lists_punish (which a
 * list of eligible subjects only needs when the mask is 0).
 */
extern unsigned lists_incentive_mask(const lists_params *p, const lists_record *r, int n, int32_t as_of);

/* ------------------------------------------------------------ ranking */

/*
 * The quarterly ranking (D5, 广元 附件 1): five quarters ending the day
 * before quarter_start (quarter k = 0 the last completed one, k = 4 four
 * before), per subject, in one pass over its records.  For each quarter:
 * the score sums of eval.h at the quarter's end over the records decided
 * by then, whether there was any, and the platform indicators.
 */
#define RANK_QUARTERS 5
enum
{
	RQ_DEDUCTION = 0,			/* the score_state of eval.h: 4 values */
	RQ_BONUS,
	RQ_VETO,
	RQ_COUNTED,
	RQ_ROWS,					/* records decided by the quarter's end */
	RQ_PUBLISHED,				/* published during the quarter */
	RQ_PUBLISHED_ON_TIME,		/* ... by publish_due (D2.5) */
	RQ_IN_PUBLICITY,			/* in publicity at the quarter's end */
	RQ_REPAIRED,				/* repaired during the quarter */
	RQ_LEN
};
#define RANK_STATE_LEN (RANK_QUARTERS * RQ_LEN)

/* the dates of one record that the indicators read (LISTS_NO_DATE: NULL) */
typedef struct rank_dates
{
	int32_t		published_on;
	int32_t		publish_due;
	int32_t		publicity_until;
	int32_t		repaired_on;
	int32_t		revoked_on;
	int32_t		expired_on;
} rank_dates;

/* quarter k's first and last day, from the first day of the current quarter */
extern void rank_quarter(int32_t quarter_start, int k, int32_t *first, int32_t *last);

/* add one record (as eval.h sees it at each quarter end, from its dates);
 * first[k], last[k]: rank_quarter of each k */
extern void rank_add(const eval_model *m, double *state, const int32_t *first, const int32_t *last,
					 const char *category, size_t category_len, bool dishonest, int severity,
					 int32_t decided_on, int32_t confirmed_on, const rank_dates *d);

#endif
