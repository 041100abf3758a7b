/*
 * witness.c: witnessed logs (issue 16; SPEC 10; docs/REPLICATION.md
 * "Witnesses"): an origin publishes its signed checkpoints
 * (publish_checkpoint, into integrity.checkpoint, which replicates upward
 * with the log); an upper level checks the newest one it holds against the
 * replicated entries and Merkle nodes and against what it cosigned before,
 * and cosigns it (witness, C2SP tlog-cosignature cosignature/v1 with this
 * level's witness key); any checkpoint note shown elsewhere can be checked
 * against the held log (witness_check, gossip).  Contradictions go into
 * integrity.witness_alarm and are never cosigned.  The formats are
 * checkpoint.h's; the log and tree reads are log.c's and merkle.c's.
 */
#include "postgres.h"

#include <time.h>

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "replication/logicalworker.h"
#include "utils/builtins.h"

#include "checkpoint.h"
#include "crypto.h"
#include "keys.h"
#include "merkle.h"
#include "log.h"
#include "origin.h"
#include "pg_util.h"

#define ERRBUF 256

/* the name this level cosigns as: integrity/<local origin>/witness */
static char *
witness_name(void)
{
	return psprintf("%s%s/witness", CHECKPOINT_NAME_PREFIX, integrity_origin());
}

static char *
hex_of(const uint8 *b, size_t n)
{
	char	   *out = palloc(2 * n + 1);

	crypto_hex_encode(b, n, out);
	return out;
}

/* ------------------------------------------------------------ alarms */

static SPIPlanPtr alarm_plan = NULL;

/*
 * Store an alarm (integrity._witness_alarm) and raise the WARNING that
 * names it; returns its id.
 */
static int64
raise_alarm(const char *origin, const char *kind, const char *held, const char *received,
			const char *detail)
{
	Oid			types[5] = {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID};
	Datum		vals[5];
	char		nulls[5] = {' ', ' ', ' ', ' ', ' '};
	bool		isnull;
	int64		id;

	integrity_keep_plan(&alarm_plan,
			  "SELECT integrity._witness_alarm($1, $2, $3, $4, $5)", 5, types);
	vals[0] = CStringGetTextDatum(origin);
	vals[1] = CStringGetTextDatum(kind);
	vals[2] = held ? CStringGetTextDatum(held) : (Datum) 0;
	nulls[2] = held ? ' ' : 'n';
	vals[3] = received ? CStringGetTextDatum(received) : (Datum) 0;
	nulls[3] = received ? ' ' : 'n';
	vals[4] = CStringGetTextDatum(detail);
	if (SPI_execute_plan(alarm_plan, vals, nulls, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not store the witness alarm");
	id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	return id;
}

static SPIPlanPtr open_alarm_plan = NULL;

/* the newest open alarm of origin (0: none), its kind in *kind */
static int64
open_alarm(const char *origin, char **kind)
{
	Oid			types[1] = {TEXTOID};
	Datum		vals[1];
	bool		isnull;

	integrity_keep_plan(&open_alarm_plan,
			  "SELECT id, kind FROM integrity.witness_alarm WHERE origin = $1 AND resolved_at IS NULL"
			  " ORDER BY id DESC LIMIT 1", 1, types);
	vals[0] = CStringGetTextDatum(origin);
	if (SPI_execute_plan(open_alarm_plan, vals, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		return 0;
	*kind = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	return DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

/* ------------------------------------------------- the origin's keys */

static SPIPlanPtr keys_plan = NULL;

/*
 * Verify note as a checkpoint of origin under any of the origin's public
 * keys held here (integrity.signing_key, replicated with the log).  On
 * success fills *size and root; else err says why (the reason of a key
 * that signed it, if any did).
 */
static bool
verify_origin_note(const char *origin, const char *note, size_t len, uint64 *size,
				   uint8 *root, char *err, size_t errlen)
{
	Oid			types[1] = {TEXTOID};
	Datum		vals[1];
	uint8		(*pubs)[ED25519_PUBLIC_KEY_LEN];
	int			n = 0;
	uint64		i;

	integrity_keep_plan(&keys_plan,
			  "SELECT public_key FROM integrity.signing_key WHERE origin = $1 ORDER BY valid_from DESC",
			  1, types);
	vals[0] = CStringGetTextDatum(origin);
	if (SPI_execute_plan(keys_plan, vals, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the keys of origin %s", origin);
	pubs = palloc(sizeof(*pubs) * (SPI_processed > 0 ? SPI_processed : 1));
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;

		if (bytea_exact(SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1, &isnull),
						pubs[n], ED25519_PUBLIC_KEY_LEN))
			n++;
	}
	if (n == 0)
	{
		snprintf(err, errlen, "no public key of origin %s is held here", origin);
		return false;
	}
	return checkpoint_verify_any((const uint8 (*)[ED25519_PUBLIC_KEY_LEN]) pubs, n, origin, note, len,
								 size, root, err, errlen);
}

/* --------------------------------------------------- SQL: the log's side */

static SPIPlanPtr cp_insert_plan = NULL;

/*
 * publish_checkpoint() RETURNS text: the signed checkpoint of the local
 * log, recorded in integrity.checkpoint (replicated upward with the log);
 * the recorded note when the tree did not grow.
 */
PG_FUNCTION_INFO_V1(publish_checkpoint);
Datum
publish_checkpoint(PG_FUNCTION_ARGS)
{
	const char *origin;
	int64		size;
	uint8		root[MERKLE_HASH_LEN];
	char		err[ERRBUF];
	char	   *note;
	Oid			types[4] = {TEXTOID, INT8OID, BYTEAOID, TEXTOID};
	Datum		vals[4];
	bool		isnull;
	text	   *result;

	SPI_connect();
	origin = integrity_origin();
	size = merkle_tree_size(origin, NULL);
	if (!merkle_stored_root(origin, (uint64) size, root, err, sizeof(err)))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("could not compute the tree head of origin %s: %s", origin, err),
				 errhint("Check the log with integrity.verify_chain().")));
	note = merkle_sign_checkpoint(origin, size, root);
	/* a second call at the same size keeps the first row (and returns its note) */
	integrity_keep_plan(&cp_insert_plan,
			  "WITH ins AS (INSERT INTO integrity.checkpoint (origin, tree_size, root_hash, note)"
			  " VALUES ($1, $2, $3, $4) ON CONFLICT (origin, tree_size) DO NOTHING RETURNING note)"
			  " SELECT note FROM ins UNION ALL"
			  " SELECT note FROM integrity.checkpoint WHERE origin = $1 AND tree_size = $2 LIMIT 1",
			  4, types);
	vals[0] = CStringGetTextDatum(origin);
	vals[1] = Int64GetDatum(size);
	vals[2] = PointerGetDatum(bytes_to_bytea(root, MERKLE_HASH_LEN));
	vals[3] = CStringGetTextDatum(note);
	if (SPI_execute_plan(cp_insert_plan, vals, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
		elog(ERROR, "could not record the checkpoint");
	result = (text *) SPI_datumTransfer(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1,
													  &isnull), false, -1);
	SPI_finish();
	PG_RETURN_TEXT_P(result);
}

static SPIPlanPtr newest_key_plan = NULL;

/* log_vkey(origin text DEFAULT NULL) RETURNS text: the signed-note vkey of an origin's checkpoints */
PG_FUNCTION_INFO_V1(log_vkey);
Datum
log_vkey(PG_FUNCTION_ARGS)
{
	char	   *origin;
	const char *local;
	uint8		pub[ED25519_PUBLIC_KEY_LEN];
	char		name[sizeof(CHECKPOINT_NAME_PREFIX) + NOTE_NAME_MAX];
	char		vkey[VKEY_MAX_LEN];
	char		err[ERRBUF];
	text	   *result;

	SPI_connect();
	origin = origin_arg(fcinfo, 0);
	local = local_origin();
	if (local != NULL && strcmp(local, origin) == 0)
		memcpy(pub, signing_key_public(current_key()), ED25519_PUBLIC_KEY_LEN);
	else
	{
		Oid			types[1] = {TEXTOID};
		Datum		vals[1];
		bool		isnull;

		integrity_keep_plan(&newest_key_plan,
				  "SELECT public_key FROM integrity.signing_key WHERE origin = $1"
				  " ORDER BY valid_until IS NULL DESC, valid_from DESC LIMIT 1", 1, types);
		vals[0] = CStringGetTextDatum(origin);
		if (SPI_execute_plan(newest_key_plan, vals, NULL, true, 1) != SPI_OK_SELECT ||
			SPI_processed != 1 ||
			!bytea_exact(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull),
						 pub, ED25519_PUBLIC_KEY_LEN))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("no public key of origin \"%s\" is held here", origin),
					 errhint("The keys of a lower level arrive with its log (integrity.signing_key).")));
	}
	if (!checkpoint_origin_ok(origin, err, sizeof(err)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("origin \"%s\" cannot name a log: %s", origin, err)));
	snprintf(name, sizeof(name), "%s%s", CHECKPOINT_NAME_PREFIX, origin);
	if (vkey_format(name, NOTE_TYPE_ED25519, pub, vkey, sizeof(vkey), err, sizeof(err)) == 0)
		elog(ERROR, "could not format the vkey: %s", err);
	SPI_finish();
	result = cstring_to_text(vkey);
	PG_RETURN_TEXT_P(result);
}

/* witness_vkey() RETURNS text: this level's cosigner vkey (type 0x04) */
PG_FUNCTION_INFO_V1(witness_vkey);
Datum
witness_vkey(PG_FUNCTION_ARGS)
{
	signing_key *key;
	char	   *name;
	char		vkey[VKEY_MAX_LEN];
	char		err[ERRBUF];

	SPI_connect();
	name = witness_name();
	key = current_witness_key();
	if (vkey_format(name, NOTE_TYPE_COSIGNATURE, signing_key_public(key), vkey, sizeof(vkey),
					err, sizeof(err)) == 0)
		elog(ERROR, "could not format the vkey: %s", err);
	SPI_finish();
	PG_RETURN_TEXT_P(cstring_to_text(vkey));
}

/* ------------------------------------------------ SQL: the witness's side */

/* the newest checkpoint of an origin held here */
typedef struct held_checkpoint
{
	int64		size;
	char	   *note;
} held_checkpoint;

static SPIPlanPtr newest_cp_plan = NULL;

static bool
newest_checkpoint(const char *origin, held_checkpoint *cp)
{
	Oid			types[1] = {TEXTOID};
	Datum		vals[1];
	bool		isnull;

	integrity_keep_plan(&newest_cp_plan,
			  "SELECT tree_size, note FROM integrity.checkpoint WHERE origin = $1"
			  " ORDER BY published_at DESC, tree_size DESC LIMIT 1", 1, types);
	vals[0] = CStringGetTextDatum(origin);
	if (SPI_execute_plan(newest_cp_plan, vals, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		return false;
	cp->size = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	cp->note = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	return cp->note != NULL;
}

/* the tree this witness cosigned last for an origin (size 0: none) */
typedef struct cosigned_tree
{
	int64		size;
	uint8		root[MERKLE_HASH_LEN];
	char	   *line;
} cosigned_tree;

static SPIPlanPtr last_cosig_plan = NULL;

static void
last_cosigned(const char *origin, const char *name, cosigned_tree *t)
{
	Oid			types[2] = {TEXTOID, TEXTOID};
	Datum		vals[2];
	bool		isnull;

	t->size = 0;
	t->line = NULL;
	merkle_empty_root(t->root);
	integrity_keep_plan(&last_cosig_plan,
			  "SELECT tree_size, root_hash, line FROM integrity.cosignature"
			  " WHERE origin = $1 AND witness_name = $2 ORDER BY tree_size DESC LIMIT 1", 2, types);
	vals[0] = CStringGetTextDatum(origin);
	vals[1] = CStringGetTextDatum(name);
	if (SPI_execute_plan(last_cosig_plan, vals, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		return;
	t->size = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (!bytea_exact(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull),
					 t->root, MERKLE_HASH_LEN))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the cosignature of origin %s at tree size %lld has a malformed root hash",
						origin, (long long) t->size)));
	t->line = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3);
}

/* what the log held here says of the tree at size: NULL when it is root, else why not */
static char *
held_tree_differs(const char *origin, uint64 size, const uint8 *root)
{
	uint8		held[MERKLE_HASH_LEN];
	char		err[ERRBUF];

	if (!merkle_stored_root(origin, size, held, err, sizeof(err)))
		return psprintf("the Merkle nodes held here give no tree of size %llu: %s",
						(unsigned long long) size, err);
	if (memcmp(held, root, MERKLE_HASH_LEN) != 0)
		return psprintf("the log held here has root %s at tree size %llu, the checkpoint %s",
						hex_of(held, MERKLE_HASH_LEN), (unsigned long long) size,
						hex_of(root, MERKLE_HASH_LEN));
	return NULL;
}

/*
 * The checks of witness() between the tree it cosigned last and the
 * checkpoint's: NULL when they hold, else the contradiction.  The stored
 * nodes give the checkpoint's root and a consistency proof from the last
 * cosigned tree; the entries after the last cosigned tree are checked
 * (links, hashes, signatures) and their leaves, appended to the frontier of
 * the last cosigned tree, give the checkpoint's root too.
 */
static char *
growth_contradiction(const char *origin, const cosigned_tree *last, uint64 size, const uint8 *root)
{
	merkle_frontier f;
	uint8		r[MERKLE_HASH_LEN];
	char		err[ERRBUF];
	char	   *why;
	int64		bad;

	if ((why = held_tree_differs(origin, size, root)) != NULL)
		return why;
	if (!merkle_stored_consistent(origin, (uint64) last->size, last->root, size, root,
								  err, sizeof(err)))
		return psprintf("no consistency proof from the tree of size %lld cosigned here to size %llu: %s",
						(long long) last->size, (unsigned long long) size, err);
	if (!merkle_frontier_load(origin, (uint64) last->size, &f) ||
		!merkle_root(merkle_frontier_fetch, &f, (uint64) last->size, r, err, sizeof(err)) ||
		memcmp(r, last->root, MERKLE_HASH_LEN) != 0)
		return psprintf("the Merkle nodes held here no longer give the tree of size %lld cosigned here",
						(long long) last->size);
	bad = log_check_range(origin, last->size, (int64) size, &f);
	if (bad != 0)
		return psprintf("entry %lld of the log held here is missing or does not verify", (long long) bad);
	if (!merkle_root(merkle_frontier_fetch, &f, size, r, err, sizeof(err)) ||
		memcmp(r, root, MERKLE_HASH_LEN) != 0)
		return psprintf("the entries held here give root %s at tree size %llu, the checkpoint %s",
						hex_of(r, MERKLE_HASH_LEN), (unsigned long long) size,
						hex_of(root, MERKLE_HASH_LEN));
	return NULL;
}

static SPIPlanPtr cosig_insert_plan = NULL;

/* cosign note (origin's tree at size with root) now; store and return the line */
static char *
cosign(const char *origin, const char *name, const char *note, uint64 size, const uint8 *root)
{
	signing_key *key = current_witness_key();
	size_t		body_len,
				len;
	char		err[ERRBUF];
	char	   *line = palloc(COSIGNATURE_LINE_MAX(strlen(name)));
	uint8		id[NOTE_KEY_ID_LEN];
	uint64		now = (uint64) time(NULL);
	Oid			types[7] = {TEXTOID, INT8OID, BYTEAOID, TEXTOID, TEXTOID, INT8OID, TEXTOID};
	Datum		vals[7];

	if (!note_body_len(note, strlen(note), &body_len, err, sizeof(err)) ||
		!cosignature_line(key, name, now, note, body_len, line,
						  COSIGNATURE_LINE_MAX(strlen(name)), &len, err, sizeof(err)) ||
		!note_key_id(name, strlen(name), NOTE_TYPE_COSIGNATURE, signing_key_public(key), id))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not cosign the checkpoint of origin %s: %s", origin, err)));
	integrity_keep_plan(&cosig_insert_plan,
			  "INSERT INTO integrity.cosignature"
			  " (origin, tree_size, root_hash, witness_name, key_id, cosigned_at, line)"
			  " VALUES ($1, $2, $3, $4, $5, to_timestamp($6), $7)", 7, types);
	vals[0] = CStringGetTextDatum(origin);
	vals[1] = Int64GetDatum((int64) size);
	vals[2] = PointerGetDatum(bytes_to_bytea(root, MERKLE_HASH_LEN));
	vals[3] = CStringGetTextDatum(name);
	vals[4] = CStringGetTextDatum(hex_of(id, NOTE_KEY_ID_LEN));
	vals[5] = Int64GetDatum((int64) now);
	vals[6] = CStringGetTextDatum(line);
	if (SPI_execute_plan(cosig_insert_plan, vals, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not store the cosignature");
	return line;
}

static char *held_side(const char *origin, uint64 size);

/*
 * A checkpoint note of origin's tree at size, shown elsewhere (what says
 * where), that the log held here contradicts (why): the split-view alarm,
 * with the checkpoint held here beside it, and its WARNING.
 */
static void
split_view_alarm(const char *origin, uint64 size, const char *note, const char *what, const char *why)
{
	int64		id = raise_alarm(origin, "split_view", held_side(origin, size), note,
								 psprintf("%s contradicts the log held here: %s", what, why));

	ereport(WARNING,
			(errmsg("witness alarm %lld: origin %s showed a checkpoint that contradicts its log",
					(long long) id, origin),
			 errdetail("%s", why),
			 errhint("See integrity.witness_alarm and docs/REPLICATION.md, \"When a witness alarm fires\".")));
}

static SPIPlanPtr gossip_plan = NULL;
static SPIPlanPtr gossip_done_plan = NULL;

/*
 * The notes witness_check() found ahead of the log, now that the tree held
 * here reached them: each that contradicts it raises an alarm.  Returns
 * how many did.
 */
static int
check_gossip(const char *origin, uint64 size)
{
	Oid			types[2] = {TEXTOID, INT8OID};
	Datum		vals[2];
	Oid			dtypes[4] = {TEXTOID, INT8OID, BYTEAOID, TEXTOID};
	SPITupleTable *tt;
	uint64		i,
				n;
	int			alarms = 0;

	integrity_keep_plan(&gossip_plan,
			  "SELECT tree_size, root_hash, note FROM integrity.witness_gossip"
			  " WHERE origin = $1 AND checked_at IS NULL AND tree_size <= $2 ORDER BY tree_size", 2, types);
	integrity_keep_plan(&gossip_done_plan,
			  "UPDATE integrity.witness_gossip SET checked_at = now(), outcome = $4"
			  " WHERE origin = $1 AND tree_size = $2 AND root_hash = $3", 4, dtypes);
	vals[0] = CStringGetTextDatum(origin);
	vals[1] = Int64GetDatum((int64) size);
	if (SPI_execute_plan(gossip_plan, vals, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the gossip of origin %s", origin);
	tt = SPI_tuptable;
	n = SPI_processed;
	for (i = 0; i < n; i++)
	{
		bool		isnull;
		int64		gsize = DatumGetInt64(SPI_getbinval(tt->vals[i], tt->tupdesc, 1, &isnull));
		Datum		groot = SPI_getbinval(tt->vals[i], tt->tupdesc, 2, &isnull);
		char	   *note = SPI_getvalue(tt->vals[i], tt->tupdesc, 3);
		uint8		root[MERKLE_HASH_LEN];
		char	   *why = NULL;
		Datum		dvals[4];

		if (!bytea_exact(groot, root, MERKLE_HASH_LEN))
			continue;
		why = held_tree_differs(origin, (uint64) gsize, root);
		if (why != NULL)
		{
			alarms++;
			split_view_alarm(origin, (uint64) gsize, note, "a checkpoint shown elsewhere (gossip)", why);
		}
		dvals[0] = vals[0];
		dvals[1] = Int64GetDatum(gsize);
		dvals[2] = PointerGetDatum(bytes_to_bytea(root, MERKLE_HASH_LEN));
		dvals[3] = CStringGetTextDatum(why ? "inconsistent" : "consistent");
		SPI_execute_plan(gossip_done_plan, dvals, NULL, false, 0);
	}
	return alarms;
}

/* the WARNING of a contradiction witness() found, after storing its alarm */
static void
witness_refuses(const char *origin, const char *kind, const char *held, const char *received,
				const char *why)
{
	int64		id = raise_alarm(origin, kind, held, received, why);

	ereport(WARNING,
			(errmsg("witness alarm %lld: the checkpoint of origin %s contradicts what this level holds; it is not cosigned",
					(long long) id, origin),
			 errdetail("%s", why),
			 errhint("See integrity.witness_alarm and docs/REPLICATION.md, \"When a witness alarm fires\".")));
}

static SPIPlanPtr lock_plan = NULL;

/*
 * witness(origin text) RETURNS text: cosign the newest checkpoint of a
 * lower origin held here, after checking it; the cosignature line, or NULL
 * (with a WARNING naming the alarm) when it contradicts the log held here
 * or an alarm of the origin is open.
 */
PG_FUNCTION_INFO_V1(witness);
Datum
witness(PG_FUNCTION_ARGS)
{
	char	   *origin = text_to_cstring(PG_GETARG_TEXT_PP(0));
	const char *local;
	char	   *name;
	held_checkpoint cp;
	cosigned_tree last;
	uint64		size;
	uint8		root[MERKLE_HASH_LEN];
	char		err[ERRBUF];
	char	   *why;
	char	   *kind = NULL;
	char	   *line = NULL;
	int64		alarm;
	int64		held;
	Oid			types[1] = {TEXTOID};
	Datum		vals[1];

	SPI_connect();
	local = integrity_origin();
	if (strcmp(local, origin) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a platform does not witness its own log"),
				 errhint("witness() runs at an upper level, for the origins replicated there.")));
	require_held_origin(origin);
	name = witness_name();
	(void) current_witness_key();	/* 55000 before any work when there is none */

	/* one witness() per origin at a time */
	integrity_keep_plan(&lock_plan,
			  "SELECT pg_advisory_xact_lock(hashtextextended('integrity.witness/' || $1, 0))", 1, types);
	vals[0] = CStringGetTextDatum(origin);
	SPI_execute_plan(lock_plan, vals, NULL, false, 0);

	if ((alarm = open_alarm(origin, &kind)) != 0)
	{
		ereport(WARNING,
				(errmsg("witness alarm %lld (%s) of origin %s is open: nothing is cosigned",
						(long long) alarm, kind, origin),
				 errhint("See integrity.witness_alarm and docs/REPLICATION.md, \"When a witness alarm fires\"; "
						 "integrity.witness_resolve() closes it.")));
		SPI_finish();
		PG_RETURN_NULL();
	}
	if (!newest_checkpoint(origin, &cp))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("no checkpoint of origin %s has arrived here", origin),
				 errhint("The origin publishes one with integrity.publish_checkpoint(); it replicates with the log.")));
	if (!verify_origin_note(origin, cp.note, strlen(cp.note), &size, root, err, sizeof(err)) ||
		size != (uint64) cp.size)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("the newest checkpoint of origin %s (tree size %lld) does not verify: %s",
						origin, (long long) cp.size,
						size != (uint64) cp.size ? "its note names another tree size" : err),
				 errhint("It is not cosigned.  Compare integrity.checkpoint with the origin's own.")));
	last_cosigned(origin, name, &last);
	if (size < (uint64) last.size)
	{
		if ((why = held_tree_differs(origin, size, root)) != NULL)
		{
			witness_refuses(origin, "split_view", last.line, cp.note, why);
			SPI_finish();
			PG_RETURN_NULL();
		}
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the newest checkpoint of origin %s has tree size %llu, smaller than the tree of size %lld cosigned here",
						origin, (unsigned long long) size, (long long) last.size),
				 errdetail("A witness never cosigns a smaller tree."),
				 errhint("Publish a new checkpoint at the origin (integrity.publish_checkpoint()).")));
	}
	if (size == (uint64) last.size && last.line != NULL)
	{
		if (memcmp(root, last.root, MERKLE_HASH_LEN) != 0)
		{
			witness_refuses(origin, "split_view", last.line, cp.note,
							psprintf("two checkpoints of tree size %llu with different roots", (unsigned long long) size));
			SPI_finish();
			PG_RETURN_NULL();
		}
		/* cosigned already: the same line (idempotent) */
		line = last.line;
	}
	else
	{
		held = merkle_tree_size(origin, NULL);
		if (size > (uint64) held)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("the checkpoint of origin %s has tree size %llu but %lld entries have arrived here",
							origin, (unsigned long long) size, (long long) held),
					 errhint("Witness again when replication has caught up.")));
		if ((why = growth_contradiction(origin, &last, size, root)) != NULL)
		{
			witness_refuses(origin, "log_contradicts_checkpoint", last.line, cp.note, why);
			SPI_finish();
			PG_RETURN_NULL();
		}
		/* a note shown elsewhere that this tree contradicts: a split view, not cosigned */
		if (check_gossip(origin, size) > 0)
		{
			SPI_finish();
			PG_RETURN_NULL();
		}
		line = cosign(origin, name, cp.note, size, root);
	}
	{
		text	   *result = cstring_to_text(line);
		text	   *copy = (text *) SPI_palloc(VARSIZE(result));

		memcpy(copy, result, VARSIZE(result));
		SPI_finish();
		PG_RETURN_TEXT_P(copy);
	}
}

static SPIPlanPtr gossip_insert_plan = NULL;
static SPIPlanPtr held_note_plan = NULL;

/* the held side of a split view: the checkpoint held here that covers size, or the newest */
static char *
held_side(const char *origin, uint64 size)
{
	Oid			types[2] = {TEXTOID, INT8OID};
	Datum		vals[2];

	integrity_keep_plan(&held_note_plan,
			  "SELECT note FROM integrity.checkpoint WHERE origin = $1"
			  " ORDER BY tree_size >= $2 DESC, CASE WHEN tree_size >= $2 THEN tree_size END, tree_size DESC LIMIT 1",
			  2, types);
	vals[0] = CStringGetTextDatum(origin);
	vals[1] = Int64GetDatum((int64) size);
	if (SPI_execute_plan(held_note_plan, vals, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		return NULL;
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

/*
 * witness_check(note text) RETURNS text: 'consistent', 'ahead' or
 * 'inconsistent' (an alarm) for a checkpoint note of an origin held here.
 */
PG_FUNCTION_INFO_V1(witness_check);
Datum
witness_check(PG_FUNCTION_ARGS)
{
	text	   *arg = PG_GETARG_TEXT_PP(0);
	size_t		len = VARSIZE_ANY_EXHDR(arg);
	char	   *note = text_to_cstring(arg);
	char		origin[CHECKPOINT_ORIGIN_BUF];
	uint64		size;
	uint8		root[MERKLE_HASH_LEN];
	char		err[ERRBUF];
	char	   *why;
	const char *answer;
	int64		held;

	if (!checkpoint_note_origin(note, len, origin) || !checkpoint_origin_ok(origin, err, sizeof(err)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("not a checkpoint of an integrity log"),
				 errdetail("The first line of a checkpoint is \"integrity/<origin>\".")));
	SPI_connect();
	if (local_origin() == NULL || strcmp(local_origin(), origin) != 0)
		require_held_origin(origin);
	if (!verify_origin_note(origin, note, len, &size, root, err, sizeof(err)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the checkpoint does not verify under the keys of origin %s held here", origin),
				 errdetail("%s", err),
				 errhint("A note that is not validly signed by the origin proves nothing about it; it is not an alarm.")));
	held = merkle_tree_size(origin, NULL);
	if (size > (uint64) held)
	{
		Oid			types[4] = {TEXTOID, INT8OID, BYTEAOID, TEXTOID};
		Datum		vals[4];

		integrity_keep_plan(&gossip_insert_plan,
				  "INSERT INTO integrity.witness_gossip (origin, tree_size, root_hash, note)"
				  " VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING", 4, types);
		vals[0] = CStringGetTextDatum(origin);
		vals[1] = Int64GetDatum((int64) size);
		vals[2] = PointerGetDatum(bytes_to_bytea(root, MERKLE_HASH_LEN));
		vals[3] = CStringGetTextDatum(note);
		SPI_execute_plan(gossip_insert_plan, vals, NULL, false, 0);
		answer = "ahead";
	}
	else if ((why = held_tree_differs(origin, size, root)) == NULL)
		answer = "consistent";
	else
	{
		split_view_alarm(origin, size, note, "a checkpoint shown elsewhere", why);
		answer = "inconsistent";
	}
	SPI_finish();
	PG_RETURN_TEXT_P(cstring_to_text(answer));
}

/*
 * _in_apply_worker() RETURNS boolean: is this backend a logical replication
 * worker (apply or table sync)?  The WHEN of the replica guard
 * (60_replication.sql): a person's session with session_replication_role
 * = replica keeps meeting the append-only guards' errors.
 */
PG_FUNCTION_INFO_V1(in_apply_worker);
Datum
in_apply_worker(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(IsLogicalWorker());
}
