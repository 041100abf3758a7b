/*
 * report.c: --report FILE [--log LOG.csv] of integrity-verify (issue 17).
 *
 * The checks, in this order, the first failure named on stderr as
 * "bad report: <check>: ..." (exit 1):
 *   1. the document is a canonical credit report (src/report.h);
 *   2. report signature: Ed25519 of the --key whose key_id the report
 *      names, over "integrity-credit-report/v1\n" || body;
 *   3. the embedded checkpoint, through verify_checkpoint_text (the one
 *      check of every checkpoint: its signature and, when given,
 *      --witness/--quorum), and its tree size as the body states it;
 *   4. every entry: payload_hash, entry_hash, its signature, its inclusion
 *      proof against the checkpoint's root at its tree size;
 *   5. the back-links (prev_seq): nothing about the subject missing up to
 *      the newest entry listed;
 *   6. with --log: the full log export verifies as a log (every row, as
 *      without --report), its Merkle root at the checkpoint's tree size is
 *      the checkpoint's, and every row up to that size about the subject
 *      (its payload's subject_id, or before 1.2 the record_id of an entry
 *      listed) is in the report with the same entry hash.
 */
#include "verify.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static void
check_entries(verify_state *st, const report *r, uint64_t size, const uint8_t root[SHA256_LEN])
{
	char		err[REASON_LEN];
	size_t		i;

	for (i = 0; i < r->nentries; i++)
	{
		key_entry  *k = find_key(st, r->entries[i].key_id);

		if (k == NULL)
			bad("bad report: entry seq=%" PRIu64 ": signature: key_id %s is not one of the --key keys",
				r->entries[i].seq, r->entries[i].key_id);
		if (!report_check_entry(r, i, k->v, size, root, err, sizeof(err)))
			bad("bad report: %s", err);
	}
}

/* is the row (payload of seq) about the report's subject? */
static bool
row_about_subject(const report *r, const char *payload, size_t len, uint64_t seq)
{
	bool		linked;
	uint64_t	subject,
				prev,
				record;
	char		err[REASON_LEN];
	size_t		i;

	if (!report_payload_links(payload, len, &linked, &subject, &prev, &record, err, sizeof(err)))
		bad("bad log: row seq=%" PRIu64 ": %s", seq, err);
	if (linked)
		return subject == r->subject_id;
	/* before 1.2: only the records of the entries listed are known */
	for (i = 0; record != 0 && i < r->nentries; i++)
		if (r->entries[i].record_id == record)
			return true;
	return false;
}

static const report_entry *
find_entry(const report *r, uint64_t seq)
{
	size_t		lo = 0,
				hi = r->nentries;

	while (lo < hi)
	{
		size_t		mid = (lo + hi) / 2;

		if (r->entries[mid].seq == seq)
			return &r->entries[mid];
		if (r->entries[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* 6: the full log export against the report */
static void
check_log(verify_state *st, const report *r, uint64_t size, const uint8_t root[SHA256_LEN])
{
	csv_reader	cr;
	char		reason[REASON_LEN];
	char		err[REASON_LEN];
	int			rc;

	memset(&cr, 0, sizeof(cr));
	cr.fp = strcmp(st->report_log_path, "-") == 0 ? stdin : fopen(st->report_log_path, "rb");
	if (cr.fp == NULL)
		usage_error("could not open log \"%s\": %s", st->report_log_path, strerror(errno));
	cr.line = 1;
	/* the log is checked as a log, with the report's checkpoint as --checkpoint */
	free(st->origin);
	st->origin = strdup(r->origin);
	st->checkpoint_checked = true;
	st->cp_size = size;
	memcpy(st->cp_root, root, SHA256_LEN);
	read_header(st, &cr);
	while ((rc = csv_read_record(&cr, err, sizeof(err))) != 0)
	{
		uint64_t	seq_report = 0;
		bool		seq_known = false;
		const csv_field *payload;
		const report_entry *e;
		uint64_t	seq;

		if (rc < 0)
			bad("bad log: row seq=%" PRIu64 ": malformed csv: %s", st->next_seq ? st->next_seq : 1, err);
		if (!check_row(st, &cr, &seq_report, &seq_known, reason, sizeof(reason)))
		{
			if (seq_known)
				bad("bad log: row seq=%" PRIu64 ": %s", seq_report, reason);
			bad("bad log: row seq=? (line %lu): %s", cr.record_line, reason);
		}
		if (st->count == size)
			compare_checkpoint_root(st);	/* the same log as the report's */
		seq = st->next_seq - 1;
		if (seq > size)
			continue;			/* after the checkpoint: not the report's business */
		payload = &cr.fields[st->col[COL_PAYLOAD]];
		e = find_entry(r, seq);
		if (e == NULL)
		{
			if (row_about_subject(r, payload->data, payload->len, seq))
				bad("bad report: completeness: the log's entry seq=%" PRIu64 " is about subject %" PRIu64
					" and inside the checkpoint (tree size %" PRIu64 "), but the report leaves it out",
					seq, r->subject_id, size);
			continue;
		}
		if (memcmp(e->entry_hash, st->prev_entry, SHA256_LEN) != 0)
			bad("bad report: completeness: entry seq=%" PRIu64 " is not the log's entry of that seq", seq);
	}
	if (cr.fp != stdin)
		fclose(cr.fp);
	csv_free(&cr);
	if (st->count < size)
		bad("bad log: it has %" PRIu64 " entries, fewer than the report's checkpoint (tree size %" PRIu64 ")",
			st->count, size);
	if (size == 0)
		compare_checkpoint_root(st);	/* the empty tree's root */
}

void
verify_report(verify_state *st)
{
	size_t		len;
	char	   *doc = read_small_file(st->report_path, REPORT_FILE_MAX, &len, "report file");
	report		r;
	char		err[REASON_LEN];
	key_entry  *k;
	uint64_t	size;
	uint8_t		root[SHA256_LEN];

	if (!report_parse(doc, len, &r, err, sizeof(err)))
		bad("bad report: format: %s", err);
	if (st->origin_opt != NULL && strcmp(st->origin_opt, r.origin) != 0)
		bad("bad report: origin: the report is of origin %s, not %s", r.origin, st->origin_opt);
	k = find_key(st, r.key_id);
	if (k == NULL)
		bad("bad report: report signature: signed by key_id %s, which is not one of the --key keys", r.key_id);
	if (!report_check_signature(&r, k->v, err, sizeof(err)))
		bad("bad report: %s", err);
	verify_checkpoint_text(st, "report: checkpoint", r.checkpoint, r.checkpoint_len, r.origin, &size, root);
	if (size != r.tree_size)
		bad("bad report: checkpoint: the body says tree size %" PRIu64 ", the signed note %" PRIu64,
			r.tree_size, size);
	check_entries(st, &r, size, root);
	if (!report_check_links(&r, err, sizeof(err)))
		bad("bad report: %s", err);
	if (st->report_log_path != NULL)
		check_log(st, &r, size, root);
	printf("ok: credit report of subject %" PRIu64 " (origin %s) at %s: report signature, "
		   "checkpoint at tree size %" PRIu64 ", %zu entries with their inclusion proofs "
		   "and back-links verified%s",
		   r.subject_id, r.origin, r.as_of, size, r.nentries,
		   st->report_log_path != NULL ? "; the log leaves nothing about the subject out" : "");
	if (st->nwitnesses > 0)
		printf(", %d of %d witnesses cosigned its checkpoint", st->cosigned, st->nwitnesses);
	printf("\n");
	report_free(&r);
	free(doc);
}
