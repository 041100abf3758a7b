/*
 * log.c: the server side of the signed, hash-chained disclosure log
 * (SPEC 6; DOMAIN D1.4, D5a, D6; log.h).
 *
 * - log_append() runs inside the record_log trigger (lifecycle.c) with the
 *   payload that payload.c wrote: seq and prev_hash under a row lock on
 *   integrity.chain_head, entry hash, signature (keys.c), Merkle nodes
 *   (merkle.c), and one statement that writes the entry, its nodes, the
 *   record_event row and the new head: one transaction with the record
 *   change.
 * - verify_chain and verify_entry check stored entries with the check of
 *   log_core.c that tools/integrity-verify uses too; _last_seq tells
 *   publish() which seq it appended.
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "storage/itemptr.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/snapmgr.h"

#include "crypto.h"
#include "keys.h"
#include "log.h"
#include "merkle.h"
#include "origin.h"
#include "pg_util.h"

#define ERRBUF 256

/* ----------------------------------------------------------- append */

static SPIPlanPtr head_lock_plan = NULL;
static SPIPlanPtr head_init_plan = NULL;
static SPIPlanPtr head_tid_plan = NULL;
static SPIPlanPtr append_plan[2];		/* [1]: with subject_id (1.2) */
static SPIPlanPtr append_event_plan[2];
static SPIPlanPtr prev_seq_plan = NULL;

/* the parts of the append statement after the disclosure's INSERT */
#define APPEND_NODES \
	"n AS (INSERT INTO integrity.merkle_node (origin, level, idx, hash) " \
	"SELECT $1, l, i, h FROM ROWS FROM (pg_catalog.unnest($11), pg_catalog.unnest($12), " \
	"pg_catalog.unnest($13)) AS x(l, i, h)) "
#define APPEND_EVENT \
	", e AS (INSERT INTO integrity.record_event " \
	"(origin, id, record_id, event, from_state, to_state, actor, reason) " \
	"VALUES ($1, pg_catalog.nextval('integrity.record_event_id_seq'), $3, $15, " \
	"$16::integrity.record_state, $17::integrity.record_state, " \
	"pg_catalog.session_user(), $18)) "
#define APPEND_HEAD \
	"UPDATE integrity.chain_head SET size = $2, head = $8 " \
	"WHERE ctid = $14 AND origin = $1 RETURNING ctid"

/* the disclosure this backend appended last */
static int64 last_seq = 0;
static int64 last_record = 0;
static char last_origin[64];

/* where this backend last wrote an origin's chain_head row */
static ItemPointerData head_tid;
static char head_tid_origin[64];
static bool head_tid_valid = false;

/*
 * Lock the origin's chain_head row (SPEC 6: seq and prev_hash under a lock
 * on the origin's counter row), creating it for the first entry; returns
 * the size, *prev the head entry hash and *locked the locked version.
 *
 * Many appends in one transaction update the head row many times, and
 * none of those versions can be pruned before the end: an index lookup
 * would walk all of them.  The version this backend wrote last is fetched
 * by its ctid instead; if anybody else changed the row since, the ctid no
 * longer qualifies and the index lookup is taken.
 */
static int64
lock_head(const char *origin, uint8 *prev, ItemPointerData *locked)
{
	Oid			htypes[1] = {TEXTOID};
	Datum		vals[1];
	bool		isnull;

	integrity_keep_plan(&head_init_plan,
						"INSERT INTO integrity.chain_head (origin, size, head) "
						"VALUES ($1, 0, '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea) "
						"ON CONFLICT (origin) DO NOTHING", 1, htypes);
	integrity_keep_plan(&head_lock_plan,
						"SELECT size, head, ctid FROM integrity.chain_head WHERE origin = $1 FOR UPDATE", 1, htypes);
	vals[0] = CStringGetTextDatum(origin);

	SPI_processed = 0;
	if (head_tid_valid && strcmp(head_tid_origin, origin) == 0)
	{
		Oid			ttypes[2] = {TEXTOID, TIDOID};
		Datum		tvals[2];

		integrity_keep_plan(&head_tid_plan,
							"SELECT size, head, ctid FROM integrity.chain_head "
							"WHERE ctid = $2 AND origin = $1 FOR UPDATE", 2, ttypes);
		tvals[0] = vals[0];
		tvals[1] = PointerGetDatum(&head_tid);
		if (SPI_execute_plan(head_tid_plan, tvals, NULL, false, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not lock the chain head");
	}
	if (SPI_processed == 0 &&
		SPI_execute_plan(head_lock_plan, vals, NULL, false, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not lock the chain head");
	if (SPI_processed == 0)
	{
		if (SPI_execute_plan(head_init_plan, vals, NULL, false, 0) != SPI_OK_INSERT)
			elog(ERROR, "could not create the chain head");
		if (SPI_execute_plan(head_lock_plan, vals, NULL, false, 1) != SPI_OK_SELECT ||
			SPI_processed != 1)
			elog(ERROR, "could not lock the chain head");
	}
	*locked = *(ItemPointer) DatumGetPointer(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
	if (!bytea_exact(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull),
					 prev, SHA256_LEN))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("chain head of origin %s is damaged", origin)));
	return DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

/* one new entry, as the append statement writes it */
typedef struct new_entry
{
	const char *origin;
	int64		seq;
	int64		record_id;
	int64		subject_id;		/* 0: no subject_id column (1.1 catalog) or none */
	const char *event;
	const char *payload;
	size_t		payload_len;
	uint8		payload_hash[SHA256_LEN];
	uint8		prev[SHA256_LEN];
	uint8		entry[SHA256_LEN];
	uint8		sig[ED25519_SIG_LEN];
	const char *key_id;
} new_entry;

/* SPEC 6: payload_hash, entry_hash and the signature of the entry hash */
static void
sign_entry(new_entry *n, signing_key *key)
{
	char		err[ERRBUF];

	if (!sha256(n->payload, n->payload_len, n->payload_hash) ||
		!entry_hash(n->prev, (uint64_t) n->seq, n->payload_hash, n->entry))
		elog(ERROR, "SHA-256 failed");
	if (!ed25519_sign(key, n->entry, SHA256_LEN, n->sig, err, sizeof(err)))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not sign disclosure %lld: %s", (long long) n->seq, err)));
	n->key_id = signing_key_id(key);
}

/*
 * One statement writes the entry, its Merkle nodes, the record_event row
 * ev (if given) and the new head (the version we hold locked, by its
 * ctid; the new ctid is kept).
 */
static void
write_entry(const new_entry *n, const merkle_new_nodes *nodes, ItemPointerData *locked,
			const record_event_row *ev)
{
	Oid			types[19] = {TEXTOID, INT8OID, INT8OID, TEXTOID, TEXTOID,
		BYTEAOID, BYTEAOID, BYTEAOID, TEXTOID, BYTEAOID,
		INT2ARRAYOID, INT8ARRAYOID, BYTEAARRAYOID, TIDOID,
	TEXTOID, TEXTOID, TEXTOID, TEXTOID, INT8OID};
	Datum		v[19];
	char		nulls[19];
	SPIPlanPtr	plan;
	bool		isnull;
	int			linked = n->subject_id > 0 ? 1 : 0;

	memset(nulls, ' ', sizeof(nulls));
	/*
	 * The entry (with its subject_id, $19, on a 1.2 catalog: issue 17), its
	 * nodes, and with ev the record_event row of the transition (SPEC 4);
	 * the parameters a statement does not use are typed, so unused.
	 */
	if (ev == NULL)
		plan = integrity_keep_plan(&append_plan[linked], linked
								   ? "WITH d AS (INSERT INTO integrity.disclosure (origin, seq, record_id, event, payload, "
								   "payload_hash, prev_hash, entry_hash, key_id, signature, subject_id) "
								   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $19)), "
								   APPEND_NODES APPEND_HEAD
								   : "WITH d AS (INSERT INTO integrity.disclosure (origin, seq, record_id, event, payload, "
								   "payload_hash, prev_hash, entry_hash, key_id, signature) "
								   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)), "
								   APPEND_NODES APPEND_HEAD,
								   19, types);
	else
	{
		plan = integrity_keep_plan(&append_event_plan[linked], linked
								   ? "WITH d AS (INSERT INTO integrity.disclosure (origin, seq, record_id, event, payload, "
								   "payload_hash, prev_hash, entry_hash, key_id, signature, subject_id) "
								   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $19)), "
								   APPEND_NODES APPEND_EVENT APPEND_HEAD
								   : "WITH d AS (INSERT INTO integrity.disclosure (origin, seq, record_id, event, payload, "
								   "payload_hash, prev_hash, entry_hash, key_id, signature) "
								   "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)), "
								   APPEND_NODES APPEND_EVENT APPEND_HEAD,
								   19, types);
		v[14] = CStringGetTextDatum(ev->event);
		if (ev->from_state)
			v[15] = CStringGetTextDatum(ev->from_state);
		else
			nulls[15] = 'n';
		v[16] = CStringGetTextDatum(ev->to_state);
		if (ev->reason)
			v[17] = CStringGetTextDatum(ev->reason);
		else
			nulls[17] = 'n';
	}
	if (ev == NULL)
		nulls[14] = nulls[15] = nulls[16] = nulls[17] = 'n';
	v[18] = Int64GetDatum(n->subject_id);
	v[0] = CStringGetTextDatum(n->origin);
	v[1] = Int64GetDatum(n->seq);
	v[2] = Int64GetDatum(n->record_id);
	if (n->record_id == LOG_NO_RECORD)
		nulls[2] = 'n';			/* keyed by its payload (commitments.c) */
	v[3] = CStringGetTextDatum(n->event);
	v[4] = PointerGetDatum(cstring_to_text_with_len(n->payload, (int) n->payload_len));
	v[5] = PointerGetDatum(bytes_to_bytea(n->payload_hash, SHA256_LEN));
	v[6] = PointerGetDatum(bytes_to_bytea(n->prev, SHA256_LEN));
	v[7] = PointerGetDatum(bytes_to_bytea(n->entry, SHA256_LEN));
	v[8] = CStringGetTextDatum(n->key_id);
	v[9] = PointerGetDatum(bytes_to_bytea(n->sig, ED25519_SIG_LEN));
	v[10] = PointerGetDatum(construct_array((Datum *) nodes->levels, nodes->n, INT2OID, 2, true, TYPALIGN_SHORT));
	v[11] = PointerGetDatum(construct_array((Datum *) nodes->indexes, nodes->n, INT8OID, 8,
											FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
	v[12] = PointerGetDatum(construct_array((Datum *) nodes->hashes, nodes->n, BYTEAOID, -1, false, TYPALIGN_INT));
	v[13] = PointerGetDatum(locked);
	if (SPI_execute_plan(plan, v, nulls, false, 0) != SPI_OK_UPDATE_RETURNING ||
		SPI_processed != 1)
		elog(ERROR, "could not append disclosure %lld", (long long) n->seq);
	head_tid = *(ItemPointer) DatumGetPointer(SPI_getbinval(SPI_tuptable->vals[0],
															SPI_tuptable->tupdesc, 1, &isnull));
	strlcpy(head_tid_origin, n->origin, sizeof(head_tid_origin));
	head_tid_valid = true;
}

/*
 * Issue 17: does the catalog have the back-link (disclosure.subject_id,
 * 1.2)?  A 1.1 database keeps working with this library until ALTER
 * EXTENSION UPDATE, writing 1.1's payloads.
 */
static bool
catalog_has_links(void)
{
	Oid			nsp = get_namespace_oid("integrity", true);
	Oid			rel = OidIsValid(nsp) ? get_relname_relid("disclosure", nsp) : InvalidOid;

	return OidIsValid(rel) && get_attnum(rel, "subject_id") != InvalidAttrNumber;
}

/*
 * The newest seq about subject_id in the origin's log, 0 if none (called
 * under the chain's lock, so that no two entries name the same previous
 * one).  Entries of 1.1 have no subject_id: they are found through their
 * records, only while the subject has no 1.2 entry (COALESCE runs the
 * second InitPlan only then): record_subject_idx, then per record one probe
 * of disclosure_record_idx (a correlated subquery, so that the probe is by
 * record_id whatever the statistics of a young table say; as a join, the
 * generic plan filtered every entry of the origin; and max(seq + 0), not
 * max(seq), which the planner would answer by reading disclosure_pkey
 * backwards through every entry of the origin).
 */
static int64
subject_prev_seq(const char *origin, int64 subject_id)
{
	Oid			types[2] = {TEXTOID, INT8OID};
	Datum		v[2];
	bool		isnull;
	Datum		d;

	integrity_keep_plan(&prev_seq_plan,
						"SELECT COALESCE("
						"(SELECT d.seq FROM integrity.disclosure d WHERE d.origin = $1 AND d.subject_id = $2 "
						"ORDER BY d.seq DESC LIMIT 1), "
						"(SELECT pg_catalog.max((SELECT pg_catalog.max(d.seq OPERATOR(pg_catalog.+) 0) FROM integrity.disclosure d "
						"WHERE d.origin = $1 AND d.record_id = r.id AND d.subject_id IS NULL)) "
						"FROM integrity.record r WHERE r.origin = $1 AND r.subject_id = $2), 0)",
						2, types);
	v[0] = CStringGetTextDatum(origin);
	v[1] = Int64GetDatum(subject_id);
	if (SPI_execute_plan(prev_seq_plan, v, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not read the previous disclosure about subject %lld", (long long) subject_id);
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return isnull ? 0 : DatumGetInt64(d);
}

/* the build function of log_append: the payload given */
typedef struct fixed_payload
{
	const char *payload;
	size_t		len;
} fixed_payload;

static char *
build_fixed(void *arg, int64 prev_seq, size_t *len)
{
	fixed_payload *f = arg;

	*len = f->len;
	return (char *) f->payload;
}

int64
log_append(const char *origin, int64 record_id, const char *event,
		   const char *payload, size_t payload_len, const record_event_row *ev)
{
	fixed_payload f;

	f.payload = payload;
	f.len = payload_len;
	return log_append_linked(origin, record_id, 0, event, build_fixed, &f, ev);
}

int64
log_append_linked(const char *origin, int64 record_id, int64 subject_id, const char *event,
				  log_payload_fn build, void *arg, const record_event_row *ev)
{
	signing_key *key = current_key();
	new_entry	n;
	merkle_new_nodes *nodes = palloc(sizeof(merkle_new_nodes));
	ItemPointerData locked_tid;
	int64		size;
	int			guc_level;
	int64		prev_seq = LOG_NO_LINK;

	n.origin = origin;
	n.record_id = record_id;
	n.event = event;

	/*
	 * The head row is read and written by its ctid (lock_head, write_entry).
	 * Every append of a transaction leaves a version of that row that nobody
	 * can prune before the end, while the statistics may still say "one
	 * row, one page": the planner would then scan the whole heap of
	 * chain_head and check every version, twice per append, for a TID
	 * lookup.  The statements of this append are planned (when their kept
	 * plans are built or rebuilt) and run without sequential scans.
	 */
	guc_level = NewGUCNestLevel();
	(void) set_config_option("enable_seqscan", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	size = lock_head(origin, n.prev, &locked_tid);
	n.seq = size + 1;
	/* issue 17: the back-link, read under the lock, then the payload */
	n.subject_id = 0;
	if (subject_id > 0 && catalog_has_links())
	{
		prev_seq = subject_prev_seq(origin, subject_id);
		n.subject_id = subject_id;
	}
	n.payload = build(arg, prev_seq, &n.payload_len);
	sign_entry(&n, key);
	register_key(origin, key);
	/* RFC 6962 leaf and the complete subtrees it finishes */
	merkle_log_append(origin, size, n.prev, n.entry, nodes);
	write_entry(&n, nodes, &locked_tid, ev);
	AtEOXact_GUC(true, guc_level);

	merkle_log_appended(origin, size, n.entry, nodes);
	pfree(nodes);
	last_seq = n.seq;
	last_record = record_id;
	strlcpy(last_origin, origin, sizeof(last_origin));
	return n.seq;
}

/*
 * integrity._last_seq(origin, record_id): the seq this backend appended
 * last if it was for that record, else NULL (the caller then looks it up).
 */
PG_FUNCTION_INFO_V1(last_disclosure_seq);
Datum
last_disclosure_seq(PG_FUNCTION_ARGS)
{
	int64		seq = log_last_seq(text_to_cstring(PG_GETARG_TEXT_PP(0)), PG_GETARG_INT64(1));

	if (seq > 0)
		PG_RETURN_INT64(seq);
	PG_RETURN_NULL();
}

/* the seq this backend appended last if it was for that record, else 0 */
int64
log_last_seq(const char *origin, int64 record_id)
{
	if (last_seq > 0 && last_record == record_id && strcmp(origin, last_origin) == 0)
		return last_seq;
	return 0;
}


/* ------------------------------------------------------------ verify */

/* what checking one row found: its seq and, when good, its entry hash */
typedef struct row_check
{
	int64		seq;
	uint8		entry[SHA256_LEN];
} row_check;

/* the columns of a disclosure row that verification reads, in this order */
#define VCOL_SEQ		0
#define VCOL_PAYLOAD	1
#define VCOL_PAYLOAD_HASH 2
#define VCOL_PREV_HASH	3
#define VCOL_ENTRY_HASH 4
#define VCOL_KEY_ID		5
#define VCOL_SIGNATURE	6
#define VCOL_COUNT		7

static const char *const vcol_names[VCOL_COUNT] = {
	"seq", "payload", "payload_hash", "prev_hash", "entry_hash", "key_id", "signature"
};

/*
 * Check one row (its columns in VCOL order) against the expected previous
 * hash.  Returns false at the first problem.
 */
static bool
check_entry(const Datum *v, const bool *isnull, int64 expect_seq, const uint8 *prev,
			bool check_sig, key_cache *kc, const char *origin, row_check *out)
{
	struct varlena *payload;
	struct varlena *raw;
	uint8		ph[SHA256_LEN],
				pv[SHA256_LEN],
				eh[SHA256_LEN],
				sig[ED25519_SIG_LEN];
	log_entry	e;
	log_entry_fault fault;

	out->seq = isnull[VCOL_SEQ] ? 0 : DatumGetInt64(v[VCOL_SEQ]);
	if (isnull[VCOL_SEQ] || out->seq != expect_seq || isnull[VCOL_PAYLOAD])
		return false;
	raw = (struct varlena *) DatumGetPointer(v[VCOL_PAYLOAD]);
	payload = pg_detoast_datum_packed(raw);
	e.seq = (uint64_t) out->seq;
	e.payload = VARDATA_ANY(payload);
	e.payload_len = VARSIZE_ANY_EXHDR(payload);
	e.payload_hash = !isnull[VCOL_PAYLOAD_HASH] && bytea_exact(v[VCOL_PAYLOAD_HASH], ph, SHA256_LEN) ? ph : NULL;
	e.prev_hash = !isnull[VCOL_PREV_HASH] && bytea_exact(v[VCOL_PREV_HASH], pv, SHA256_LEN) ? pv : NULL;
	e.entry_hash = !isnull[VCOL_ENTRY_HASH] && bytea_exact(v[VCOL_ENTRY_HASH], eh, SHA256_LEN) ? eh : NULL;
	fault = log_entry_check(&e, prev, out->entry);
	if (payload != raw)
		pfree(payload);
	if (fault != LOG_ENTRY_OK)
		return false;
	if (check_sig)
	{
		char	   *kid;
		bool		good;

		if (isnull[VCOL_KEY_ID])
			return false;
		if (isnull[VCOL_SIGNATURE] || !bytea_exact(v[VCOL_SIGNATURE], sig, ED25519_SIG_LEN))
			return false;
		kid = TextDatumGetCString(v[VCOL_KEY_ID]);
		good = log_entry_signed(key_cache_get(kc, origin, kid), out->entry, sig);
		pfree(kid);
		if (!good)
			return false;
	}
	return true;
}

/* check_entry on a row of "SELECT seq, payload, ..., signature" (VCOL order) */
static bool
check_row(HeapTuple tup, TupleDesc desc, int64 expect_seq, const uint8 *prev,
		  bool check_sig, key_cache *kc, const char *origin, row_check *out)
{
	Datum		v[VCOL_COUNT];
	bool		isnull[VCOL_COUNT];
	int			i;

	for (i = 0; i < VCOL_COUNT; i++)
		v[i] = SPI_getbinval(tup, desc, i + 1, &isnull[i]);
	return check_entry(v, isnull, expect_seq, prev, check_sig, kc, origin, out);
}

static SPIPlanPtr entry_hash_plan = NULL;

/* stored entry_hash of (origin, seq), false if there is no such row */
static bool
stored_entry_hash(const char *origin, int64 seq, uint8 *out)
{
	Oid			types[2] = {TEXTOID, INT8OID};
	Datum		vals[2];
	bool		isnull;
	Datum		d;

	integrity_keep_plan(&entry_hash_plan,
			  "SELECT entry_hash FROM integrity.disclosure WHERE origin = $1 AND seq = $2",
			  2, types);
	vals[0] = CStringGetTextDatum(origin);
	vals[1] = Int64GetDatum(seq);
	if (SPI_execute_plan(entry_hash_plan, vals, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		return false;
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return !isnull && bytea_exact(d, out, SHA256_LEN);
}

static SPIPlanPtr one_row_plan = NULL;

/* check the row (origin, seq) fully: its link, hashes and signature */
static bool
check_one(const char *origin, int64 seq, key_cache *kc)
{
	uint8		prev[SHA256_LEN];
	Oid			types[2] = {TEXTOID, INT8OID};
	Datum		vals[2];
	row_check	rc;
	SPITupleTable *tt;

	if (seq < 1)
		return false;
	if (seq == 1)
		memset(prev, 0, SHA256_LEN);
	else if (!stored_entry_hash(origin, seq - 1, prev))
		return false;
	integrity_keep_plan(&one_row_plan,
			  "SELECT seq, payload, payload_hash, prev_hash, entry_hash, key_id, signature "
			  "FROM integrity.disclosure WHERE origin = $1 AND seq = $2", 2, types);
	vals[0] = CStringGetTextDatum(origin);
	vals[1] = Int64GetDatum(seq);
	if (SPI_execute_plan(one_row_plan, vals, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		return false;
	tt = SPI_tuptable;
	return check_row(tt->vals[0], tt->tupdesc, seq, prev, true, kc, origin, &rc);
}

static SPIPlanPtr range_plan = NULL;

/*
 * Check origin's entries from_seq + 1 .. to_seq fully (links, hashes,
 * signatures under the origin's keys held here) and append their leaves
 * to f, the frontier of the tree of from_seq entries.  Returns 0, or the
 * first seq that is missing or bad.  Caller connected to SPI.
 */
int64
log_check_range(const char *origin, int64 from_seq, int64 to_seq, merkle_frontier *f)
{
	Oid			types[3] = {TEXTOID, INT8OID, INT8OID};
	Datum		vals[3];
	uint8		prev[SHA256_LEN];
	key_cache	kc = {0};
	Portal		portal;
	int64		expect = from_seq + 1;
	char		err[256];

	if (from_seq == 0)
		memset(prev, 0, SHA256_LEN);
	else if (!stored_entry_hash(origin, from_seq, prev))
		return from_seq;
	integrity_keep_plan(&range_plan,
			  "SELECT seq, payload, payload_hash, prev_hash, entry_hash, key_id, signature "
			  "FROM integrity.disclosure WHERE origin = $1 AND seq > $2 AND seq <= $3 ORDER BY seq",
			  3, types);
	vals[0] = CStringGetTextDatum(origin);
	vals[1] = Int64GetDatum(from_seq);
	vals[2] = Int64GetDatum(to_seq);
	portal = SPI_cursor_open(NULL, range_plan, vals, NULL, true);
	for (;;)
	{
		uint64		i,
					n;
		SPITupleTable *tt;

		SPI_cursor_fetch(portal, true, 1000);
		/* the key lookups of check_row run queries of their own */
		tt = SPI_tuptable;
		n = SPI_processed;
		if (n == 0)
			break;
		for (i = 0; i < n; i++)
		{
			row_check	rc;
			uint8		leaf[MERKLE_HASH_LEN];

			if (!check_row(tt->vals[i], tt->tupdesc, expect, prev, true, &kc, origin, &rc) ||
				!merkle_leaf_hash(rc.entry, SHA256_LEN, leaf) ||
				!merkle_append(merkle_frontier_fetch, f, merkle_frontier_emit, f,
							   (uint64) (expect - 1), leaf, err, sizeof(err)))
			{
				SPI_cursor_close(portal);
				key_cache_free(&kc);
				return expect;
			}
			memcpy(prev, rc.entry, SHA256_LEN);
			expect++;
		}
		SPI_freetuptable(tt);
	}
	SPI_cursor_close(portal);
	key_cache_free(&kc);
	return expect == to_seq + 1 ? 0 : expect;
}

/* the state of verify_chain's walk over one origin's log */
typedef struct chain_walk
{
	const char *origin;
	size_t		origin_len;
	bool		all_sigs;
	key_cache  *kc;
	uint8	   *prev;			/* entry hash of the last good row */
	int64		expect;			/* the next seq expected */
	int64		checked;		/* rows found good */
	int64		first_bad;		/* when a row is bad */
	AttrNumber	att[VCOL_COUNT];
	AttrNumber	origin_att;
	AttrNumber	maxatt;
} chain_walk;

/* check the row in slot (of the walk's origin, seq = w->expect expected) */
static bool
walk_row(chain_walk *w, TupleTableSlot *slot)
{
	Datum		v[VCOL_COUNT];
	bool		isnull[VCOL_COUNT];
	row_check	rc;
	int			i;

	slot_getsomeattrs(slot, w->maxatt);
	for (i = 0; i < VCOL_COUNT; i++)
	{
		v[i] = slot->tts_values[w->att[i] - 1];
		isnull[i] = slot->tts_isnull[w->att[i] - 1];
	}
	if (!check_entry(v, isnull, w->expect, w->prev, w->all_sigs, w->kc, w->origin, &rc))
	{
		w->first_bad = (rc.seq > w->expect || rc.seq <= 0) ? w->expect : rc.seq;
		return false;
	}
	memcpy(w->prev, rc.entry, SHA256_LEN);
	w->checked++;
	w->expect++;
	return true;
}

/*
 * The rows of the origin from w->expect on, in seq order: an ordered scan
 * of the primary key (origin, seq) of integrity.disclosure.
 */
static bool
walk_index(chain_walk *w, Relation rel, Snapshot snap)
{
	Oid			indexid = RelationGetPrimaryKeyIndex(rel);
	Relation	irel;
	ScanKeyData key[2];
	IndexScanDesc scan;
	TupleTableSlot *slot;
	bool		ok = true;

	if (!OidIsValid(indexid))
		elog(ERROR, "integrity.disclosure has no primary key");
	irel = index_open(indexid, AccessShareLock);
	if (irel->rd_rel->relam != BTREE_AM_OID ||
		IndexRelationGetNumberOfKeyAttributes(irel) != 2 ||
		irel->rd_index->indkey.values[0] != w->origin_att ||
		irel->rd_index->indkey.values[1] != w->att[VCOL_SEQ])
		elog(ERROR, "the primary key of integrity.disclosure is not (origin, seq)");
	/* origin = $1 AND seq >= $2, in the order of the index */
	ScanKeyEntryInitialize(&key[0], 0, 1, BTEqualStrategyNumber, InvalidOid,
						   irel->rd_indcollation[0], F_TEXTEQ, CStringGetTextDatum(w->origin));
	ScanKeyEntryInitialize(&key[1], 0, 2, BTGreaterEqualStrategyNumber, InvalidOid,
						   irel->rd_indcollation[1], F_INT8GE, Int64GetDatum(w->expect));
	scan = index_beginscan(rel, irel, snap, 2, 0);
	index_rescan(scan, key, 2, NULL, 0);
	slot = table_slot_create(rel, NULL);
	while (index_getnext_slot(scan, ForwardScanDirection, slot))
	{
		CHECK_FOR_INTERRUPTS();
		if (!walk_row(w, slot))
		{
			ok = false;
			break;
		}
	}
	ExecDropSingleTupleTableSlot(slot);
	index_endscan(scan);
	/* the lock is kept until the end of the transaction, as a query keeps it */
	index_close(irel, NoLock);
	return ok;
}

/*
 * The whole log of the origin in the order the rows lie in the table: an
 * append-only log is written in seq order, so a sequential scan (no index
 * lookup, no buffer lock per row) usually meets the rows in the order they
 * are checked.  The first row of the origin that is not the one expected
 * (a row moved by an update, a gap, rows of several sessions interleaved)
 * ends it: *in_order is then false and the walk goes on with the index
 * from w->expect, so the rows checked and the answer are those of the
 * index walk.
 */
static bool
walk_table(chain_walk *w, Relation rel, Snapshot snap, bool *in_order)
{
	TableScanDesc scan;
	TupleTableSlot *slot;
	bool		ok = true;

	*in_order = true;
	/* from the first page: no synchronized scan starting in the middle */
	scan = table_beginscan_strat(rel, snap, 0, NULL, true, false);
	slot = table_slot_create(rel, NULL);
	while (table_scan_getnextslot(scan, ForwardScanDirection, slot))
	{
		const struct varlena *o;
		int64		seq;

		CHECK_FOR_INTERRUPTS();
		slot_getsomeattrs(slot, Max(w->origin_att, w->att[VCOL_SEQ]));
		if (slot->tts_isnull[w->origin_att - 1] || slot->tts_isnull[w->att[VCOL_SEQ] - 1])
		{
			*in_order = false;
			break;
		}
		o = (const struct varlena *) DatumGetPointer(slot->tts_values[w->origin_att - 1]);
		if (VARATT_IS_EXTENDED(o) && !VARATT_IS_SHORT(o))
		{
			*in_order = false;	/* not expected of a short text: leave it to the index */
			break;
		}
		if (VARSIZE_ANY_EXHDR(o) != w->origin_len ||
			memcmp(VARDATA_ANY(o), w->origin, w->origin_len) != 0)
			continue;			/* another origin's log */
		seq = DatumGetInt64(slot->tts_values[w->att[VCOL_SEQ] - 1]);
		if (seq != w->expect)
		{
			*in_order = false;
			break;
		}
		if (!walk_row(w, slot))
		{
			ok = false;
			break;
		}
	}
	ExecDropSingleTupleTableSlot(slot);
	table_endscan(scan);
	return ok;
}

/*
 * verify_chain's walk over the log: the rows of origin from from_seq on,
 * in seq order, under the query's snapshot, each checked where it lies in
 * the buffer (nothing copied; an SPI cursor copied every row of about
 * 1 KB).  *expect is the next seq expected, *checked the rows found good,
 * *first_bad the first bad seq when false is returned.
 */
static bool
verify_scan(const char *origin, int64 from_seq, bool all_sigs, key_cache *kc,
			uint8 *prev, int64 *expect_out, int64 *checked_out, int64 *first_bad_out)
{
	Oid			relid;
	Relation	rel;
	TupleDesc	desc;
	Snapshot	snap;
	chain_walk	w;
	bool		ok;
	bool		in_order = false;
	int			i;

	relid = RangeVarGetRelid(makeRangeVar("integrity", "disclosure", -1), AccessShareLock, false);
	rel = table_open(relid, NoLock);
	desc = RelationGetDescr(rel);
	memset(&w, 0, sizeof(w));
	w.origin = origin;
	w.origin_len = strlen(origin);
	w.all_sigs = all_sigs;
	w.kc = kc;
	w.prev = prev;
	w.expect = from_seq;
	for (i = 0; i < VCOL_COUNT; i++)
	{
		w.att[i] = (AttrNumber) SPI_fnumber(desc, vcol_names[i]);
		if (w.att[i] <= 0)
			elog(ERROR, "integrity.disclosure has no column \"%s\"", vcol_names[i]);
		w.maxatt = Max(w.maxatt, w.att[i]);
	}
	w.origin_att = (AttrNumber) SPI_fnumber(desc, "origin");
	if (w.origin_att <= 0)
		elog(ERROR, "integrity.disclosure has no column \"origin\"");

	snap = RegisterSnapshot(ActiveSnapshotSet() ? GetActiveSnapshot() : GetTransactionSnapshot());
	/* the whole log: in table order while the rows come in seq order */
	if (from_seq == 1)
		ok = walk_table(&w, rel, snap, &in_order);
	else
		ok = true;
	if (ok && !in_order)
		ok = walk_index(&w, rel, snap);
	UnregisterSnapshot(snap);
	table_close(rel, NoLock);
	*expect_out = w.expect;
	*checked_out = w.checked;
	if (!ok)
		*first_bad_out = w.first_bad;
	return ok;
}

/*
 * verify_chain(origin text, from_seq bigint, signatures text)
 *   RETURNS TABLE(ok boolean, checked bigint, first_bad bigint)
 */
PG_FUNCTION_INFO_V1(verify_chain);
Datum
verify_chain(PG_FUNCTION_ARGS)
{
	char	   *origin;
	int64		from_seq = PG_ARGISNULL(1) ? 1 : PG_GETARG_INT64(1);
	char	   *mode = PG_ARGISNULL(2) ? "all" : text_to_cstring(PG_GETARG_TEXT_PP(2));
	bool		all_sigs;
	TupleDesc	tupdesc;
	Datum		result[3];
	bool		nulls[3] = {false, false, false};
	uint8		prev[SHA256_LEN];
	uint8		head[SHA256_LEN];
	volatile int64 expect,
				checked = 0,
				first_bad = 0;
	int64		size;
	key_cache	kc = {0};
	volatile bool ok = true;
	volatile bool done = false;

	if (strcmp(mode, "all") == 0)
		all_sigs = true;
	else if (strcmp(mode, "head") == 0)
		all_sigs = false;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("signatures must be 'all' or 'head', not '%s'", mode)));
	if (from_seq < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("from_seq must be at least 1")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	SPI_connect();
	origin = origin_arg(fcinfo, 0);
	size = merkle_tree_size(origin, head);
	if (from_seq > size + 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("from_seq %lld is beyond the end of the log", (long long) from_seq),
				 errdetail("The log of origin %s has %lld entries.", origin, (long long) size)));
	if (from_seq == 1)
		memset(prev, 0, SHA256_LEN);
	else if (!stored_entry_hash(origin, from_seq - 1, prev))
	{
		ok = false;
		first_bad = from_seq - 1;
		done = true;
	}
	expect = from_seq;

	PG_TRY();
	{
		if (!done)
		{
			int64		e,
						c,
						fb = 0;

			ok = verify_scan(origin, from_seq, all_sigs, &kc, prev, &e, &c, &fb);
			expect = e;
			checked = c;
			if (!ok)
				first_bad = fb;

			/* 'head': the newest signature authenticates the whole chain */
			if (ok && !all_sigs && checked > 0 && !check_one(origin, expect - 1, &kc))
			{
				ok = false;
				first_bad = expect - 1;
			}
			/* rows missing at the end, or a head that does not match */
			if (ok && expect - 1 < size)
			{
				ok = false;
				first_bad = expect;
			}
			else if (ok && expect - 1 > size)
			{
				ok = false;
				first_bad = size + 1;
			}
			else if (ok && size > 0 && memcmp(prev, head, SHA256_LEN) != 0)
			{
				ok = false;
				first_bad = size;
			}
		}
	}
	PG_FINALLY();
	{
		key_cache_free(&kc);
	}
	PG_END_TRY();
	SPI_finish();

	result[0] = BoolGetDatum(ok);
	result[1] = Int64GetDatum(checked);
	if (ok)
		nulls[2] = true;
	else
		result[2] = Int64GetDatum(first_bad);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, result, nulls)));
}

/* verify_entry(origin text, seq bigint) RETURNS boolean */
PG_FUNCTION_INFO_V1(verify_entry);
Datum
verify_entry(PG_FUNCTION_ARGS)
{
	char	   *origin;
	int64		seq;
	key_cache	kc = {0};
	volatile bool ok = false;

	if (PG_ARGISNULL(1))
		PG_RETURN_NULL();
	seq = PG_GETARG_INT64(1);
	SPI_connect();
	origin = origin_arg(fcinfo, 0);
	PG_TRY();
	{
		ok = check_one(origin, seq, &kc);
	}
	PG_FINALLY();
	{
		key_cache_free(&kc);
	}
	PG_END_TRY();
	SPI_finish();
	PG_RETURN_BOOL(ok);
}

