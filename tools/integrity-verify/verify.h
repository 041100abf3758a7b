/*
 * verify.h: what the parts of integrity-verify share (main.c: options,
 * dispatch, the report; csv.c: the CSV reader; keys.c: the --key keys;
 * rows.c: the check of each row; checkpoint.c: the --checkpoint note).
 * The checks of an entry are those of the server (src/log_core.c,
 * src/checkpoint_core.c, src/merkle_core.c, src/lifecycle_core.c).
 */
#ifndef INTEGRITY_VERIFY_H
#define INTEGRITY_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "checkpoint.h"
#include "crypto.h"
#include "merkle.h"

#define EXIT_BAD		1
#define EXIT_USAGE		2
#define MAX_KEYS		64
#define KEY_FILE_MAX	65536
#define NOTE_FILE_MAX	(1024 * 1024)
#define FIELD_MAX		(256u * 1024 * 1024)
#define REASON_LEN		512

/* ------------------------------------------------------------ main.c */

extern void usage_error(const char *fmt,...) __attribute__((format(printf, 1, 2), noreturn));
/* "bad ...": the verification failed (exit 1) */
extern void bad(const char *fmt,...) __attribute__((format(printf, 1, 2), noreturn));
extern void *xmalloc(size_t n);
extern void *xrealloc(void *p, size_t n);
/* Read a whole (small) file; exits with status 2 if that fails. */
extern char *read_small_file(const char *path, size_t max, size_t *len, const char *what);
/* Strict decimal without sign or leading zeros, fitting in a bigint. */
extern bool parse_seq(const char *s, size_t len, uint64_t *out);

/* ------------------------------------------------------------- csv.c */

typedef struct csv_field
{
	char	   *data;			/* NUL-terminated copy */
	size_t		len;
	size_t		cap;
	bool		quoted;
} csv_field;

typedef struct csv_reader
{
	FILE	   *fp;
	unsigned long line;			/* current physical line, 1-based */
	unsigned long record_line;	/* line on which the last record began */
	csv_field  *fields;
	int			nfields;
	int			cap;
} csv_reader;

/*
 * Read one record.  Returns 1 with r->fields filled, 0 at end of input,
 * -1 on malformed CSV (reason in err).
 */
extern int	csv_read_record(csv_reader *r, char *err, size_t errlen);
extern void csv_free(csv_reader *r);

/* ------------------------------------------------------------ the state */

typedef struct key_entry
{
	char		key_id[KEY_ID_LEN + 1];
	uint8_t		pub[ED25519_PUBLIC_KEY_LEN];
	verifier   *v;
} key_entry;

enum column_id
{
	COL_ORIGIN, COL_SEQ, COL_RECORD_ID, COL_EVENT, COL_PAYLOAD,
	COL_PAYLOAD_HASH, COL_PREV_HASH, COL_ENTRY_HASH, COL_KEY_ID,
	COL_SIGNATURE, COL_DISCLOSED_AT, NCOLUMNS
};

#define MAX_WITNESSES	32

typedef struct verify_state
{
	key_entry	keys[MAX_KEYS];
	int			nkeys;
	note_vkey	witnesses[MAX_WITNESSES];	/* --witness (type 0x04) */
	int			nwitnesses;
	int			quorum;			/* --quorum, or -1: every --witness */
	int			cosigned;		/* valid cosignatures counted */
	int			future;			/* cosignatures not counted: timestamp ahead */
	const char *origin_opt;		/* --origin */
	char	   *origin;			/* expected origin (copy) */
	bool		from;			/* --from given */
	bool		from_seq_given;
	uint64_t	from_seq;
	const char *checkpoint_path;
	char	   *checkpoint_text;
	size_t		checkpoint_len;
	bool		checkpoint_checked;	/* signature and body verified */
	uint64_t	cp_size;
	uint8_t		cp_root[SHA256_LEN];

	int			col[NCOLUMNS];	/* field index of each column, or -1 */
	int			ncols_header;

	uint64_t	count;			/* rows verified */
	uint64_t	first_seq;
	uint64_t	next_seq;		/* seq the next row must have */
	uint8_t		prev_entry[SHA256_LEN];
	merkle_frontier merkle;

	/* issue 17: --report FILE [--log LOG.csv] (report.c) */
	const char *report_path;
	const char *report_log_path;
} verify_state;

/* ------------------------------------------------------------ keys.c */

/*
 * add a --key (a vkey <name>+<hex>+<base64(0x01 || key)> as log_vkey()
 * gives it, a PEM file, a raw file or hex); exits with status 2 if invalid
 */
extern void add_key(verify_state *st, const char *arg);

/* add a --witness vkey (type 0x04, as witness_vkey() gives it, or a file holding one) */
extern void add_witness(verify_state *st, const char *arg);
extern key_entry *find_key(verify_state *st, const char *key_id);

/* ------------------------------------------------------------ rows.c */

/* the columns, by header name (exits with status 1 if one is missing) */
extern void read_header(verify_state *st, csv_reader *r);

/*
 * Check one row; on failure write the reason and return false.  *seq_known
 * and *seq_report tell the caller which seq to name.
 */
extern bool check_row(verify_state *st, csv_reader *r, uint64_t *seq_report,
					  bool *seq_known, char *reason, size_t rlen);

/* ------------------------------------------------------ checkpoint.c */

/* Verify the checkpoint note under any of the keys, for st->origin (exits if bad). */
extern void check_checkpoint_note(verify_state *st);

/*
 * Verify a checkpoint note text[0..len) of origin: its signature under one
 * of the --key keys, and the --witness/--quorum cosignatures (exits
 * through bad("bad <what>: ...") if it fails); *size and root get its tree.
 */
extern void verify_checkpoint_text(verify_state *st, const char *what, const char *text,
								   size_t len, const char *origin, uint64_t *size,
								   uint8_t root[SHA256_LEN]);

/* The log's root at the checkpoint's tree size is the checkpoint's (exits if not). */
extern void compare_checkpoint_root(verify_state *st);

/* ------------------------------------------------------------ report.c */

/* a report file larger than this is refused (bytes) */
#define REPORT_FILE_MAX	(256u * 1024 * 1024)

/*
 * --report: the credit report st->report_path (src/report.h), and with
 * --log the full log export against it; prints "ok: ..." or exits through
 * bad("bad report: <check>: ...").
 */
extern void verify_report(verify_state *st);

#endif							/* INTEGRITY_VERIFY_H */
