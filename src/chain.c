/*
 * chain.c: the signed, hash-chained disclosure log (SPEC 6; DOMAIN D1.4,
 * D5a, D6) and its Merkle tree.
 *
 * - The private key is read here, from integrity.signing_key_file, with
 *   the permission rules of PostgreSQL's TLS key; it never reaches SQL.
 * - disclosure_append_payload() runs inside the record_log trigger:
 *   payload (written in C by payload.c; integrity._disclosure_payload,
 *   canonicalized here, is the reference and the fallback), seq and
 *   prev_hash under a row lock on integrity.chain_head, entry hash,
 *   signature, Merkle nodes, and one statement that writes the entry, its
 *   nodes, the record_event row and the new head: one transaction with the
 *   record change.
 * - verify_chain, verify_entry, tree_head, inclusion_proof,
 *   consistency_proof and public_key are the SQL-callable parts.
 */
#include "postgres.h"

#include <sys/stat.h>
#include <unistd.h>

#include "access/genam.h"
#include "access/stratnum.h"
#include "access/table.h"
#include "access/tableam.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_am.h"
#include "catalog/pg_authid.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/makefuncs.h"
#include "storage/fd.h"
#include "storage/itemptr.h"
#include "storage/proc.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/snapmgr.h"

#include "crypto.h"
#include "integrity_pg.h"
#include "json_canon.h"
#include "merkle.h"

#define ERRBUF 256

static char *signing_key_file = NULL;

/* The loaded key, and what it was loaded from. */
static signing_key *loaded_key = NULL;
static char *loaded_path = NULL;
static struct stat loaded_stat;
static LocalTransactionId loaded_lxid = InvalidLocalTransactionId;	/* when it was checked */

void
integrity_signing_init(void)
{
	DefineCustomStringVariable("integrity.signing_key_file",
							   "Ed25519 private key that signs the disclosure log.",
							   "PEM (openssl genpkey -algorithm ed25519) or a raw 32-byte seed; "
							   "owned by the server user with mode 0600, or by root with 0640.",
							   &signing_key_file,
							   "",
							   PGC_SIGHUP,
							   GUC_SUPERUSER_ONLY,
							   NULL, NULL, NULL);
	MarkGUCPrefixReserved("integrity");
}

static void *
canon_alloc(size_t n)
{
	return palloc(n);
}

static void *
canon_realloc(void *p, size_t n)
{
	return repalloc(p, n);
}

static void
canon_free(void *p)
{
	pfree(p);
}

static void
forget_key(void)
{
	if (loaded_key)
		signing_key_free(loaded_key);
	loaded_key = NULL;
	if (loaded_path)
		pfree(loaded_path);
	loaded_path = NULL;
}

/*
 * A signing-key file that cannot be used.  integrity.signing_key_file is
 * GUC_SUPERUSER_ONLY: its path, and what is wrong with the file, are told to
 * superusers and members of pg_read_all_settings only (the role that called
 * in, not the owner of a SECURITY DEFINER function); everyone else gets a
 * generic error, and the server log gets the whole message.
 */
static void
key_file_unusable(int sqlerrcode, const char *msg, const char *detail, const char *hint)
{
	Oid			caller = GetOuterUserId();

	if (superuser_arg(caller) || has_privs_of_role(caller, ROLE_PG_READ_ALL_SETTINGS))
		ereport(ERROR,
				(errcode(sqlerrcode),
				 errmsg_internal("%s", msg),
				 detail ? errdetail_internal("%s", detail) : 0,
				 hint ? errhint("%s", hint) : 0));
	ereport(LOG,
			(errmsg_internal("%s", msg),
			 detail ? errdetail_internal("%s", detail) : 0));
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("signing key is not usable"),
			 errdetail("The server log says why."),
			 errhint("Ask the database administrator to check integrity.signing_key_file.")));
}

/*
 * The signing key, loaded on first use and again whenever the setting or
 * the file changed (a reload that changed integrity.signing_key_file, or a
 * key file replaced in place).  Errors leave no key loaded.
 */
static signing_key *
current_key(void)
{
	struct stat st;
	char		err[ERRBUF];
	int			fd;
	char	   *buf;
	ssize_t		n;
	signing_key *key;

	if (signing_key_file == NULL || signing_key_file[0] == '\0')
	{
		forget_key();
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("no signing key is configured"),
				 errdetail("Disclosures must be signed (SPEC 6) and integrity.signing_key_file is empty."),
				 errhint("Create a key with \"openssl genpkey -algorithm ed25519 -out FILE\", make it owned by the server user with mode 0600, set integrity.signing_key_file = 'FILE' in postgresql.conf and reload.")));
	}
	/*
	 * The file is looked at once per transaction: a key replaced in place
	 * is taken from the next transaction on (a changed setting at once).
	 */
	if (loaded_key && loaded_path && loaded_lxid == MyProc->lxid &&
		strcmp(loaded_path, signing_key_file) == 0)
		return loaded_key;
	if (stat(signing_key_file, &st) != 0)
	{
		char	   *msg = psprintf("could not access signing key file \"%s\": %m", signing_key_file);

		forget_key();
		key_file_unusable(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, msg, NULL,
						  "Check integrity.signing_key_file.");
	}
	if (loaded_key && loaded_path && strcmp(loaded_path, signing_key_file) == 0 &&
		st.st_ino == loaded_stat.st_ino && st.st_dev == loaded_stat.st_dev &&
		st.st_mtime == loaded_stat.st_mtime && st.st_size == loaded_stat.st_size &&
		st.st_mode == loaded_stat.st_mode && st.st_uid == loaded_stat.st_uid)
	{
		loaded_lxid = MyProc->lxid;
		return loaded_key;
	}

	forget_key();
	if (!S_ISREG(st.st_mode))
		key_file_unusable(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						  psprintf("signing key file \"%s\" is not a regular file", signing_key_file),
						  NULL, NULL);
	if (!key_file_permissions_ok(st.st_uid, st.st_mode, geteuid(), err, sizeof(err)))
		key_file_unusable(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						  psprintf("signing key file \"%s\" has wrong ownership or permissions", signing_key_file),
						  err,
						  "The file must be owned by the database user with mode 0600, or owned by root with mode 0640.");
	if (st.st_size > 64 * 1024)
		key_file_unusable(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						  psprintf("signing key file \"%s\" is too large", signing_key_file), NULL, NULL);

	fd = OpenTransientFile(signing_key_file, O_RDONLY | PG_BINARY);
	if (fd < 0)
		key_file_unusable(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						  psprintf("could not open signing key file \"%s\": %m", signing_key_file),
						  NULL, NULL);
	buf = palloc0(st.st_size + 1);
	n = read(fd, buf, st.st_size);
	CloseTransientFile(fd);
	if (n != st.st_size)
	{
		explicit_bzero(buf, st.st_size + 1);
		key_file_unusable(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						  psprintf("could not read signing key file \"%s\"", signing_key_file),
						  NULL, NULL);
	}
	key = signing_key_load(buf, (size_t) n, err, sizeof(err));
	explicit_bzero(buf, st.st_size + 1);
	pfree(buf);
	if (key == NULL)
		key_file_unusable(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						  psprintf("could not load signing key file \"%s\"", signing_key_file), err,
						  "Use a PEM key from \"openssl genpkey -algorithm ed25519\" or a raw 32-byte seed.");
	loaded_key = key;
	loaded_path = MemoryContextStrdup(TopMemoryContext, signing_key_file);
	loaded_stat = st;
	loaded_lxid = MyProc->lxid;
	return loaded_key;
}

/* ------------------------------------------------------------ SPI helpers */

/* the plan of sql, prepared and kept on the first call (shared by the glue files) */
SPIPlanPtr
integrity_keep_plan(SPIPlanPtr *slot, const char *sql, int nargs, Oid *argtypes)
{
	if (*slot == NULL)
	{
		SPIPlanPtr	plan = SPI_prepare(sql, nargs, argtypes);

		if (plan == NULL)
			elog(ERROR, "SPI_prepare failed for \"%s\": %s", sql,
				 SPI_result_code_string(SPI_result));
		SPI_keepplan(plan);
		*slot = plan;
	}
	return *slot;
}

static bytea *
bytes_to_bytea(const uint8 *b, size_t n)
{
	bytea	   *r = palloc(VARHDRSZ + n);

	SET_VARSIZE(r, VARHDRSZ + n);
	memcpy(VARDATA(r), b, n);
	return r;
}

/* copy a bytea datum of exactly n bytes; false if its length differs */
static bool
bytea_exact(Datum d, uint8 *out, size_t n)
{
	bytea	   *b = DatumGetByteaPP(d);

	if (VARSIZE_ANY_EXHDR(b) != n)
		return false;
	memcpy(out, VARDATA_ANY(b), n);
	return true;
}

/* --------------------------------------------------------- Merkle store */

typedef struct node_store
{
	const char *origin;
	/*
	 * Appending: read with a new snapshot per query, so that nodes that a
	 * concurrent publisher committed while we waited for the chain_head
	 * lock are seen (READ COMMITTED).
	 */
	bool		fresh;
	/* nodes emitted by merkle_append, stored with the entry */
	int			n_emitted;
	Datum		levels[MERKLE_MAX_APPEND];
	Datum		indexes[MERKLE_MAX_APPEND];
	Datum		hashes[MERKLE_MAX_APPEND];
} node_store;

static SPIPlanPtr node_get_plan = NULL;

/*
 * The newest complete subtree hash of each level of an origin's tree, as
 * this backend left the tree after its last append, and the log state
 * (size and head entry hash) it belongs to.  An append reads exactly these
 * nodes (the left siblings of the new leaf's path); when the locked head
 * shows the same state, nobody appended since (the head hash commits to
 * every entry) and they come from here instead of from merkle_node.  A
 * rollback changes the head back, which no longer matches.
 */
#define FRONTIER_LEVELS 64
typedef struct frontier_cache
{
	bool		valid;
	char		origin[64];
	int64		size;
	uint8		head[SHA256_LEN];
	bool		has[FRONTIER_LEVELS];
	uint64		idx[FRONTIER_LEVELS];
	uint8		hash[FRONTIER_LEVELS][MERKLE_HASH_LEN];
} frontier_cache;

static frontier_cache frontier;
static bool frontier_in_use = false;	/* set while an append reads nodes */

static bool
node_fetch(void *ctx, int level, uint64_t index, uint8_t out[MERKLE_HASH_LEN])
{
	node_store *s = (node_store *) ctx;
	Oid			types[3] = {TEXTOID, INT2OID, INT8OID};
	Datum		vals[3];
	bool		isnull;
	Datum		d;

	if (frontier_in_use && s->fresh && level >= 0 && level < FRONTIER_LEVELS && frontier.has[level] &&
		frontier.idx[level] == index)
	{
		memcpy(out, frontier.hash[level], MERKLE_HASH_LEN);
		return true;
	}
	integrity_keep_plan(&node_get_plan,
			  "SELECT hash FROM integrity.merkle_node WHERE origin = $1 AND level = $2 AND idx = $3",
			  3, types);
	vals[0] = CStringGetTextDatum(s->origin);
	vals[1] = Int16GetDatum((int16) level);
	vals[2] = Int64GetDatum((int64) index);
	if (SPI_execute_plan(node_get_plan, vals, NULL, !s->fresh, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		return false;
	d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return !isnull && bytea_exact(d, out, MERKLE_HASH_LEN);
}

/* the raw hashes of the nodes emitted by the current append, by level */
static uint8 emitted_hash[FRONTIER_LEVELS][MERKLE_HASH_LEN];

/* merkle_append emits the new nodes; disclosure_append_payload stores them */
static void
node_emit(void *ctx, int level, uint64_t index, const uint8_t hash[MERKLE_HASH_LEN])
{
	node_store *s = (node_store *) ctx;

	if (s->n_emitted >= MERKLE_MAX_APPEND)
		elog(ERROR, "too many merkle nodes for one append");
	s->levels[s->n_emitted] = Int16GetDatum((int16) level);
	s->indexes[s->n_emitted] = Int64GetDatum((int64) index);
	s->hashes[s->n_emitted] = PointerGetDatum(bytes_to_bytea(hash, MERKLE_HASH_LEN));
	if (level >= 0 && level < FRONTIER_LEVELS)
		memcpy(emitted_hash[level], hash, MERKLE_HASH_LEN);
	s->n_emitted++;
}


/* ----------------------------------------------------------- append */

static SPIPlanPtr payload_plan = NULL;
static SPIPlanPtr head_lock_plan = NULL;
static SPIPlanPtr head_init_plan = NULL;
static SPIPlanPtr head_tid_plan = NULL;

/* the disclosure this backend appended last */
static int64 last_seq = 0;
static int64 last_record = 0;
static char last_origin[64];

/* where this backend last wrote an origin's chain_head row */
static ItemPointerData head_tid;
static char head_tid_origin[64];
static bool head_tid_valid = false;
static SPIPlanPtr append_plan = NULL;
static SPIPlanPtr append_event_plan = NULL;
static SPIPlanPtr key_plan = NULL;

/*
 * The (origin, key_id) this backend registered in the current
 * transaction or in a committed one: registering again is skipped.
 */
static char registered[64] = "";
static bool registered_pending = false;
static bool chain_callback = false;

static void
chain_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT)
	{
		if (registered_pending)
			registered[0] = '\0';
		registered_pending = false;
	}
	else if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_PARALLEL_COMMIT ||
			 event == XACT_EVENT_PREPARE)
		registered_pending = false;
}

static void
chain_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					   SubTransactionId parentSubid, void *arg)
{
	/* the registration may have been in the aborted subtransaction */
	if (event == SUBXACT_EVENT_ABORT_SUB && registered_pending)
		registered[0] = '\0';
}

/* make sure signing_key holds the public key of the key in use */
static void
register_key(const char *origin, signing_key *key)
{
	Oid			types[3] = {TEXTOID, TEXTOID, BYTEAOID};
	Datum		vals[3];
	char		this_key[64];

	snprintf(this_key, sizeof(this_key), "%s/%s", origin, signing_key_id(key));
	if (strcmp(this_key, registered) == 0)
		return;
	if (!chain_callback)
	{
		RegisterXactCallback(chain_xact_callback, NULL);
		RegisterSubXactCallback(chain_subxact_callback, NULL);
		chain_callback = true;
	}

	integrity_keep_plan(&key_plan,
			  "SELECT integrity._register_key($1, $2, $3)", 3, types);
	vals[0] = CStringGetTextDatum(origin);
	vals[1] = CStringGetTextDatum(signing_key_id(key));
	vals[2] = PointerGetDatum(bytes_to_bytea(signing_key_public(key), ED25519_PUBLIC_KEY_LEN));
	if (SPI_execute_plan(key_plan, vals, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not register the signing key");
	strlcpy(registered, this_key, sizeof(registered));
	registered_pending = true;
}

/*
 * Append one disclosure of record_id's event with the canonical payload
 * given (payload.c), or, if given_payload is NULL, the one that
 * integrity._disclosure_payload() builds.  If ev is given, the same
 * statement also writes that record_event row.  The caller is connected to
 * SPI.  Returns the new seq.
 */
int64
disclosure_append_payload(const char *origin, int64 record_id, const char *event,
						  const char *given_payload, size_t given_len,
						  const record_event_row *ev)
{
	signing_key *key = current_key();
	char		err[ERRBUF];
	Oid			ptypes[3] = {TEXTOID, INT8OID, TEXTOID};
	Oid			htypes[1] = {TEXTOID};
	Datum		vals[10];
	bool		isnull;
	char	   *raw;
	char	   *payload;
	size_t		payload_len;
	uint8		payload_hash[SHA256_LEN];
	uint8		prev[SHA256_LEN];
	uint8		entry[SHA256_LEN];
	uint8		leaf[MERKLE_HASH_LEN];
	uint8		sig[ED25519_SIG_LEN];
	int64		size;
	int64		seq;
	node_store	store;
	ItemPointerData locked_tid;
	int			guc_level;
	bool		ok;
	int			i;

	if (given_payload)
	{
		payload = (char *) given_payload;
		payload_len = given_len;
	}
	else
	{
		/* payload: built in SQL (D1.4 masking there), canonicalized here */
		integrity_keep_plan(&payload_plan,
				  "SELECT integrity._disclosure_payload($1, $2, $3)::text", 3, ptypes);
		vals[0] = CStringGetTextDatum(origin);
		vals[1] = Int64GetDatum(record_id);
		vals[2] = CStringGetTextDatum(event);
		if (SPI_execute_plan(payload_plan, vals, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
			elog(ERROR, "could not build the disclosure payload of record %lld", (long long) record_id);
		raw = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
		if (raw == NULL)
			elog(ERROR, "empty disclosure payload for record %lld", (long long) record_id);
		json_canon_set_allocator(canon_alloc, canon_realloc, canon_free);
		if (!json_canonicalize(raw, strlen(raw), &payload, &payload_len, err, sizeof(err)))
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("could not canonicalize the disclosure payload: %s", err)));
	}

	/*
	 * The head row is read and written by its ctid (below).  Every append
	 * of a transaction leaves a version of that row that nobody can prune
	 * before the end, while the statistics may still say "one row, one
	 * page": the planner would then scan the whole heap of chain_head and
	 * check every version, twice per append, for a TID lookup.  The
	 * statements of this append are planned (when their kept plans are
	 * built or rebuilt) and run without sequential scans.
	 */
	guc_level = NewGUCNestLevel();
	(void) set_config_option("enable_seqscan", "off", PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);

	/* SPEC 6: seq and prev_hash under a lock on the origin's counter row */
	integrity_keep_plan(&head_init_plan,
			  "INSERT INTO integrity.chain_head (origin, size, head) "
			  "VALUES ($1, 0, '\\x0000000000000000000000000000000000000000000000000000000000000000'::bytea) "
			  "ON CONFLICT (origin) DO NOTHING", 1, htypes);
	integrity_keep_plan(&head_lock_plan,
			  "SELECT size, head, ctid FROM integrity.chain_head WHERE origin = $1 FOR UPDATE", 1, htypes);
	vals[0] = CStringGetTextDatum(origin);

	/*
	 * Many appends in one transaction update the head row many times, and
	 * none of those versions can be pruned before the end: an index lookup
	 * would walk all of them.  The version this backend wrote last is
	 * fetched by its ctid instead; if anybody else changed the row since,
	 * the ctid no longer qualifies and the index lookup is taken.
	 */
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
	size = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	locked_tid = *(ItemPointer) DatumGetPointer(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull));
	if (!bytea_exact(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull),
					 prev, SHA256_LEN))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("chain head of origin %s is damaged", origin)));
	seq = size + 1;

	/* SPEC 6: payload_hash, entry_hash, signature */
	if (!sha256(payload, payload_len, payload_hash) ||
		!entry_hash(prev, (uint64_t) seq, payload_hash, entry))
		elog(ERROR, "SHA-256 failed");
	if (!ed25519_sign(key, entry, SHA256_LEN, sig, err, sizeof(err)))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not sign disclosure %lld: %s", (long long) seq, err)));

	register_key(origin, key);

	/* RFC 6962 leaf and the complete subtrees it finishes */
	store.origin = origin;
	store.fresh = true;
	store.n_emitted = 0;
	if (frontier.valid && frontier.size == size && strcmp(frontier.origin, origin) == 0 &&
		memcmp(frontier.head, prev, SHA256_LEN) == 0)
		frontier_in_use = true;
	else
	{
		frontier_in_use = false;
		memset(frontier.has, 0, sizeof(frontier.has));
	}
	frontier.valid = false;		/* until this append is written */
	ok = merkle_leaf_hash(entry, SHA256_LEN, leaf) &&
		merkle_append(node_fetch, &store, node_emit, &store, (uint64_t) size, leaf,
					  err, sizeof(err));
	frontier_in_use = false;
	if (!ok)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("could not extend the Merkle tree of origin %s: %s", origin, err),
				 errhint("Check the log with integrity.verify_chain().")));

	/*
	 * One statement writes the entry, its Merkle nodes and the new head
	 * (the version we hold locked, by its ctid; the new ctid is kept).
	 */
	{
		Oid			types[18] = {TEXTOID, INT8OID, INT8OID, TEXTOID, TEXTOID,
			BYTEAOID, BYTEAOID, BYTEAOID, TEXTOID, BYTEAOID,
			INT2ARRAYOID, INT8ARRAYOID, BYTEAARRAYOID, TIDOID,
		TEXTOID, TEXTOID, TEXTOID, TEXTOID};
		Datum		v[18];
		char		nulls[18];
		SPIPlanPtr	plan;

		memset(nulls, ' ', sizeof(nulls));
		if (ev == NULL)
			plan = integrity_keep_plan(&append_plan,
							 "WITH d AS (INSERT INTO integrity.disclosure (origin, seq, record_id, event, payload, "
							 "payload_hash, prev_hash, entry_hash, key_id, signature) "
							 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)), "
							 "n AS (INSERT INTO integrity.merkle_node (origin, level, idx, hash) "
							 "SELECT $1, l, i, h FROM ROWS FROM (pg_catalog.unnest($11), pg_catalog.unnest($12), "
							 "pg_catalog.unnest($13)) AS x(l, i, h)) "
							 "UPDATE integrity.chain_head SET size = $2, head = $8 "
							 "WHERE ctid = $14 AND origin = $1 RETURNING ctid",
							 14, types);
		else
		{
			/* the same, and the record_event row of the transition (SPEC 4) */
			plan = integrity_keep_plan(&append_event_plan,
							 "WITH d AS (INSERT INTO integrity.disclosure (origin, seq, record_id, event, payload, "
							 "payload_hash, prev_hash, entry_hash, key_id, signature) "
							 "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)), "
							 "n AS (INSERT INTO integrity.merkle_node (origin, level, idx, hash) "
							 "SELECT $1, l, i, h FROM ROWS FROM (pg_catalog.unnest($11), pg_catalog.unnest($12), "
							 "pg_catalog.unnest($13)) AS x(l, i, h)), "
							 "e AS (INSERT INTO integrity.record_event "
							 "(origin, id, record_id, event, from_state, to_state, actor, reason) "
							 "VALUES ($1, pg_catalog.nextval('integrity.record_event_id_seq'), $3, $15, "
							 "$16::integrity.record_state, $17::integrity.record_state, "
							 "pg_catalog.session_user(), $18)) "
							 "UPDATE integrity.chain_head SET size = $2, head = $8 "
							 "WHERE ctid = $14 AND origin = $1 RETURNING ctid",
							 18, types);
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
		v[0] = CStringGetTextDatum(origin);
		v[1] = Int64GetDatum(seq);
		v[2] = Int64GetDatum(record_id);
		v[3] = CStringGetTextDatum(event);
		v[4] = PointerGetDatum(cstring_to_text_with_len(payload, (int) payload_len));
		v[5] = PointerGetDatum(bytes_to_bytea(payload_hash, SHA256_LEN));
		v[6] = PointerGetDatum(bytes_to_bytea(prev, SHA256_LEN));
		v[7] = PointerGetDatum(bytes_to_bytea(entry, SHA256_LEN));
		v[8] = CStringGetTextDatum(signing_key_id(key));
		v[9] = PointerGetDatum(bytes_to_bytea(sig, ED25519_SIG_LEN));
		v[10] = PointerGetDatum(construct_array(store.levels, store.n_emitted, INT2OID, 2, true, TYPALIGN_SHORT));
		v[11] = PointerGetDatum(construct_array(store.indexes, store.n_emitted, INT8OID, 8,
												FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
		v[12] = PointerGetDatum(construct_array(store.hashes, store.n_emitted, BYTEAOID, -1, false, TYPALIGN_INT));
		v[13] = PointerGetDatum(&locked_tid);
		if (SPI_execute_plan(plan, v, nulls, false, 0) != SPI_OK_UPDATE_RETURNING ||
			SPI_processed != 1)
			elog(ERROR, "could not append disclosure %lld", (long long) seq);
		head_tid = *(ItemPointer) DatumGetPointer(SPI_getbinval(SPI_tuptable->vals[0],
																SPI_tuptable->tupdesc, 1, &isnull));
		strlcpy(head_tid_origin, origin, sizeof(head_tid_origin));
		head_tid_valid = true;
	}
	AtEOXact_GUC(true, guc_level);

	/* the emitted nodes are now the newest of their levels */
	for (i = 0; i < store.n_emitted && i < FRONTIER_LEVELS; i++)
	{
		frontier.has[i] = true;
		frontier.idx[i] = ((uint64) size) >> i;
		memcpy(frontier.hash[i], emitted_hash[i], MERKLE_HASH_LEN);
	}
	strlcpy(frontier.origin, origin, sizeof(frontier.origin));
	frontier.size = seq;
	memcpy(frontier.head, entry, SHA256_LEN);
	frontier.valid = true;
	if (payload != given_payload)
		pfree(payload);
	last_seq = seq;
	last_record = record_id;
	strlcpy(last_origin, origin, sizeof(last_origin));
	return seq;
}

/*
 * integrity._last_seq(origin, record_id): the seq this backend appended
 * last if it was for that record, else NULL (the caller then looks it up).
 */
PG_FUNCTION_INFO_V1(last_disclosure_seq);
Datum
last_disclosure_seq(PG_FUNCTION_ARGS)
{
	int64		seq = disclosure_last_seq(text_to_cstring(PG_GETARG_TEXT_PP(0)), PG_GETARG_INT64(1));

	if (seq > 0)
		PG_RETURN_INT64(seq);
	PG_RETURN_NULL();
}

static const char *local_origin(void);
static void origin_not_set(void);

/* the local origin (cached per transaction), or 55000 if it is not set */
const char *
integrity_origin(void)
{
	const char *o = local_origin();

	if (o == NULL)
		origin_not_set();
	return o;
}

/* the seq this backend appended last if it was for that record, else 0 */
int64
disclosure_last_seq(const char *origin, int64 record_id)
{
	if (last_seq > 0 && last_record == record_id && strcmp(origin, last_origin) == 0)
		return last_seq;
	return 0;
}

/* ----------------------------------------------------------- public key */

/* integrity._current_public_key(): the configured key's public half. */
PG_FUNCTION_INFO_V1(current_public_key);
Datum
current_public_key(PG_FUNCTION_ARGS)
{
	signing_key *key = current_key();

	PG_RETURN_BYTEA_P(bytes_to_bytea(signing_key_public(key), ED25519_PUBLIC_KEY_LEN));
}

/* integrity._current_key_id() */
PG_FUNCTION_INFO_V1(current_key_id);
Datum
current_key_id(PG_FUNCTION_ARGS)
{
	signing_key *key = current_key();

	PG_RETURN_TEXT_P(cstring_to_text(signing_key_id(key)));
}

/* ------------------------------------------------------------ verify */

/* verifiers of the keys of one origin, by key_id (grows with rotations) */
typedef struct key_cache
{
	int			n;
	int			cap;
	char	  (*key_id)[KEY_ID_LEN + 1];
	verifier  **v;
} key_cache;

static void
key_cache_free(key_cache *kc)
{
	int			i;

	for (i = 0; i < kc->n; i++)
		verifier_free(kc->v[i]);
	kc->n = 0;
	if (kc->v)
		pfree(kc->v);
	if (kc->key_id)
		pfree(kc->key_id);
	kc->v = NULL;
	kc->key_id = NULL;
	kc->cap = 0;
}

static SPIPlanPtr pubkey_plan = NULL;

/* the verifier of key_id for origin, or NULL if the key is unknown */
static verifier *
key_cache_get(key_cache *kc, const char *origin, const char *key_id)
{
	Oid			types[2] = {TEXTOID, TEXTOID};
	Datum		vals[2];
	bool		isnull;
	uint8		pub[ED25519_PUBLIC_KEY_LEN];
	char		err[ERRBUF];
	verifier   *v;
	int			i;

	for (i = 0; i < kc->n; i++)
		if (strcmp(kc->key_id[i], key_id) == 0)
			return kc->v[i];
	if (strlen(key_id) != KEY_ID_LEN)
		return NULL;
	if (kc->n == kc->cap)
	{
		int			cap = kc->cap ? kc->cap * 2 : 4;

		kc->v = kc->v ? repalloc(kc->v, cap * sizeof(verifier *)) : palloc(cap * sizeof(verifier *));
		kc->key_id = kc->key_id ? repalloc(kc->key_id, cap * sizeof(*kc->key_id)) :
			palloc(cap * sizeof(*kc->key_id));
		kc->cap = cap;
	}
	integrity_keep_plan(&pubkey_plan,
			  "SELECT public_key FROM integrity.signing_key WHERE origin = $1 AND key_id = $2",
			  2, types);
	vals[0] = CStringGetTextDatum(origin);
	vals[1] = CStringGetTextDatum(key_id);
	if (SPI_execute_plan(pubkey_plan, vals, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		return NULL;
	if (!bytea_exact(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull),
					 pub, ED25519_PUBLIC_KEY_LEN))
		return NULL;
	{
		/* the key_id must be the hash of the key it names */
		char		want[KEY_ID_LEN + 1];

		if (!key_id_of(pub, want) || strcmp(want, key_id) != 0)
			return NULL;
	}
	v = verifier_new(pub, err, sizeof(err));
	if (v == NULL)
		return NULL;
	strlcpy(kc->key_id[kc->n], key_id, KEY_ID_LEN + 1);
	kc->v[kc->n++] = v;
	return v;
}

/*
 * The local origin, read from integrity.settings once per transaction (it
 * cannot change while the platform has records, SPEC 3).  NULL if unset.
 */
static LocalTransactionId origin_lxid = InvalidLocalTransactionId;
static char origin_cache[64];
static bool origin_cache_set = false;

static const char *
local_origin(void)
{
	bool		connected = false;

	if (origin_lxid == MyProc->lxid && origin_lxid != InvalidLocalTransactionId)
		return origin_cache_set ? origin_cache : NULL;
	if (SPI_connect() == SPI_OK_CONNECT)
		connected = true;
	origin_cache_set = false;
	if (SPI_execute("SELECT origin FROM integrity.settings", true, 1) == SPI_OK_SELECT &&
		SPI_processed == 1)
	{
		bool		isnull;
		Datum		d = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);

		if (!isnull)
		{
			text_to_cstring_buffer(DatumGetTextPP(d), origin_cache, sizeof(origin_cache));
			origin_cache_set = true;
		}
	}
	if (connected)
		SPI_finish();
	origin_lxid = MyProc->lxid;
	return origin_cache_set ? origin_cache : NULL;
}

static void
origin_not_set(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("the origin of this platform is not set"),
			 errhint("Call integrity.set_origin('<6-digit region code>') once, as integrity_admin.")));
}

/* integrity._origin(): the local origin, or 55000 */
PG_FUNCTION_INFO_V1(local_origin_cached);
Datum
local_origin_cached(PG_FUNCTION_ARGS)
{
	const char *o = local_origin();

	if (o == NULL)
		origin_not_set();
	PG_RETURN_TEXT_P(cstring_to_text(o));
}

/*
 * An origin named by the caller must be one whose log is held here (the
 * local one, or a lower level's replicated here): an unknown origin is an
 * error, never an empty log that "verifies" (an auditor's typo must not
 * read as a pass).
 */
static SPIPlanPtr held_origin_plan = NULL;

static void
require_held_origin(const char *origin)
{
	Oid			types[1] = {TEXTOID};
	Datum		vals[1];
	bool		isnull;

	integrity_keep_plan(&held_origin_plan,
						"SELECT EXISTS (SELECT 1 FROM integrity.chain_head WHERE origin = $1)"
						" OR EXISTS (SELECT 1 FROM integrity.disclosure WHERE origin = $1)"
						" OR EXISTS (SELECT 1 FROM integrity.signing_key WHERE origin = $1)", 1, types);
	vals[0] = CStringGetTextDatum(origin);
	if (SPI_execute_plan(held_origin_plan, vals, NULL, true, 1) == SPI_OK_SELECT &&
		SPI_processed == 1 &&
		DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)))
		return;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("no disclosure log of origin \"%s\" is held here", origin),
			 errhint("The origins held here are listed by SELECT origin FROM integrity.chain_head; NULL names the local origin.")));
}

/* forget the cached origin (set_origin calls it after a change) */
PG_FUNCTION_INFO_V1(forget_origin);
Datum
forget_origin(PG_FUNCTION_ARGS)
{
	origin_lxid = InvalidLocalTransactionId;
	PG_RETURN_VOID();
}

static char *
origin_arg(FunctionCallInfo fcinfo, int argno)
{
	const char *o;

	if (!PG_ARGISNULL(argno))
	{
		char	   *given = text_to_cstring(PG_GETARG_TEXT_PP(argno));

		o = local_origin();
		if (o == NULL || strcmp(o, given) != 0)
			require_held_origin(given);
		return given;
	}
	o = local_origin();
	if (o == NULL)
		origin_not_set();
	return pstrdup(o);
}

/*
 * Check one row (already fetched) against the expected previous hash.
 * Returns false at the first problem.
 */
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
 * Copy a bytea of exactly n bytes; false if its length differs.  Inline
 * values are read where they lie; a compressed or external one is detoasted
 * and the copy freed (the scan of verify_chain allocates nothing per row).
 */
static bool
datum_bytes_exact(Datum d, uint8 *out, size_t n)
{
	struct varlena *v = (struct varlena *) DatumGetPointer(d);
	struct varlena *p;
	bool		ok;

	if (!VARATT_IS_EXTENDED(v) || VARATT_IS_SHORT(v))
	{
		if (VARSIZE_ANY_EXHDR(v) != n)
			return false;
		memcpy(out, VARDATA_ANY(v), n);
		return true;
	}
	p = pg_detoast_datum_packed(v);
	ok = VARSIZE_ANY_EXHDR(p) == n;
	if (ok)
		memcpy(out, VARDATA_ANY(p), n);
	if (p != v)
		pfree(p);
	return ok;
}

/*
 * Check one row (its columns in VCOL order) against the expected previous
 * hash.  Returns false at the first problem.
 */
static bool
check_entry(const Datum *v, const bool *isnull, int64 expect_seq, const uint8 *prev,
			bool check_sig, key_cache *kc, const char *origin, row_check *out)
{
	int64		seq;
	struct varlena *payload;
	struct varlena *raw;
	bool		hashed;
	uint8		ph[SHA256_LEN],
				stored[SHA256_LEN],
				eh[SHA256_LEN],
				sig[ED25519_SIG_LEN];

	seq = isnull[VCOL_SEQ] ? 0 : DatumGetInt64(v[VCOL_SEQ]);
	out->seq = seq;
	if (isnull[VCOL_SEQ] || seq != expect_seq)
		return false;
	if (isnull[VCOL_PAYLOAD])
		return false;
	raw = (struct varlena *) DatumGetPointer(v[VCOL_PAYLOAD]);
	payload = pg_detoast_datum_packed(raw);
	hashed = sha256(VARDATA_ANY(payload), VARSIZE_ANY_EXHDR(payload), ph);
	if (payload != raw)
		pfree(payload);
	if (!hashed)
		return false;
	if (isnull[VCOL_PAYLOAD_HASH] || !datum_bytes_exact(v[VCOL_PAYLOAD_HASH], stored, SHA256_LEN) ||
		memcmp(stored, ph, SHA256_LEN) != 0)
		return false;
	if (isnull[VCOL_PREV_HASH] || !datum_bytes_exact(v[VCOL_PREV_HASH], stored, SHA256_LEN) ||
		memcmp(stored, prev, SHA256_LEN) != 0)
		return false;
	if (!entry_hash(prev, (uint64_t) seq, ph, eh))
		return false;
	if (isnull[VCOL_ENTRY_HASH] || !datum_bytes_exact(v[VCOL_ENTRY_HASH], stored, SHA256_LEN) ||
		memcmp(stored, eh, SHA256_LEN) != 0)
		return false;
	memcpy(out->entry, eh, SHA256_LEN);
	if (check_sig)
	{
		char	   *kid;
		verifier   *vf;
		bool		good;

		if (isnull[VCOL_KEY_ID])
			return false;
		kid = TextDatumGetCString(v[VCOL_KEY_ID]);
		if (isnull[VCOL_SIGNATURE] || !datum_bytes_exact(v[VCOL_SIGNATURE], sig, ED25519_SIG_LEN))
		{
			pfree(kid);
			return false;
		}
		vf = key_cache_get(kc, origin, kid);
		good = vf != NULL && verifier_verify(vf, eh, SHA256_LEN, sig);
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

	integrity_keep_plan(&entry_hash_plan,
			  "SELECT entry_hash FROM integrity.disclosure WHERE origin = $1 AND seq = $2",
			  2, types);
	vals[0] = CStringGetTextDatum(origin);
	vals[1] = Int64GetDatum(seq);
	if (SPI_execute_plan(entry_hash_plan, vals, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		return false;
	return bytea_exact(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull),
					   out, SHA256_LEN) && !isnull;
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

static SPIPlanPtr size_plan = NULL;

/* size and newest entry hash of an origin's chain (0 and zeros if none) */
static int64
chain_size(const char *origin, uint8 *head)
{
	Oid			types[1] = {TEXTOID};
	Datum		vals[1];
	bool		isnull;
	int64		size;

	integrity_keep_plan(&size_plan,
			  "SELECT size, head FROM integrity.chain_head WHERE origin = $1", 1, types);
	vals[0] = CStringGetTextDatum(origin);
	if (SPI_execute_plan(size_plan, vals, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
	{
		if (head)
			memset(head, 0, SHA256_LEN);
		return 0;
	}
	size = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	if (head && !bytea_exact(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull),
							 head, SHA256_LEN))
		memset(head, 0xFF, SHA256_LEN);
	return size;
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
	size = chain_size(origin, head);
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

/* ------------------------------------------------------------ Merkle API */

static void
merkle_error(const char *what, const char *err)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("could not compute %s: %s", what, err)));
}

/* tree_head(origin text) RETURNS TABLE(tree_size bigint, root_hash bytea, checkpoint text) */
PG_FUNCTION_INFO_V1(tree_head);
Datum
tree_head(PG_FUNCTION_ARGS)
{
	char	   *origin;
	int64		size;
	uint8		root[MERKLE_HASH_LEN];
	char		err[ERRBUF];
	node_store	store;
	TupleDesc	tupdesc;
	Datum		result[3];
	bool		nulls[3] = {false, false, false};
	const char *local;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	SPI_connect();
	origin = origin_arg(fcinfo, 0);
	size = chain_size(origin, NULL);
	store.origin = origin;
	store.fresh = false;
	if (!merkle_root(node_fetch, &store, (uint64_t) size, root, err, sizeof(err)))
		merkle_error("the tree head", err);
	local = local_origin();
	result[0] = Int64GetDatum(size);
	result[1] = PointerGetDatum(bytes_to_bytea(root, MERKLE_HASH_LEN));
	/* only the local origin's key signs a checkpoint */
	if (local != NULL && strcmp(local, origin) == 0)
	{
		signing_key *key = current_key();
		size_t		cap = CHECKPOINT_MAX_LEN(strlen(origin));
		char	   *note = palloc(cap);
		size_t		len;

		if (!checkpoint_format(key, origin, (uint64_t) size, root, note, cap, &len, err, sizeof(err)))
			ereport(ERROR,
					(errcode(ERRCODE_INTERNAL_ERROR),
					 errmsg("could not sign the checkpoint: %s", err)));
		register_key(origin, key);
		result[2] = PointerGetDatum(cstring_to_text_with_len(note, (int) len));
	}
	else
		nulls[2] = true;
	SPI_finish();
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, result, nulls)));
}

static ArrayType *
proof_array(const uint8 *hashes, size_t n)
{
	Datum	   *elems = palloc(sizeof(Datum) * (n > 0 ? n : 1));
	size_t		i;

	for (i = 0; i < n; i++)
		elems[i] = PointerGetDatum(bytes_to_bytea(hashes + i * MERKLE_HASH_LEN, MERKLE_HASH_LEN));
	return construct_array(elems, (int) n, BYTEAOID, -1, false, TYPALIGN_INT);
}

/*
 * The two RFC 9162 proofs of an origin's tree: inclusion of leaf a - 1 in
 * the tree of size b, or consistency of the tree of size a with size b.
 */
static ArrayType *
merkle_proof(FunctionCallInfo fcinfo, bool inclusion, int64 a, int64 b)
{
	char	   *origin;
	uint8		out[MERKLE_MAX_PROOF * MERKLE_HASH_LEN];
	size_t		n;
	char		err[ERRBUF];
	node_store	store;
	int64		size;
	bool		made;

	SPI_connect();
	origin = origin_arg(fcinfo, 2);
	size = chain_size(origin, NULL);
	if (inclusion && (a < 1 || b < 1 || a > b || b > size))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no inclusion proof of seq %lld in a tree of size %lld", (long long) a,
						(long long) b),
				 errdetail("The log of origin %s has %lld entries; seq must be between 1 and tree_size.",
						   origin, (long long) size)));
	if (!inclusion && (a < 1 || a > b || b > size))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("no consistency proof from size %lld to size %lld", (long long) a,
						(long long) b),
				 errdetail("The log of origin %s has %lld entries; 1 <= old_size <= new_size <= %lld.",
						   origin, (long long) size, (long long) size)));
	store.origin = origin;
	store.fresh = false;
	if (inclusion)
		made = merkle_inclusion_proof(node_fetch, &store, (uint64_t) (a - 1), (uint64_t) b,
									  out, MERKLE_MAX_PROOF, &n, err, sizeof(err));
	else
		made = merkle_consistency_proof(node_fetch, &store, (uint64_t) a, (uint64_t) b,
										out, MERKLE_MAX_PROOF, &n, err, sizeof(err));
	if (!made)
		merkle_error(inclusion ? "the inclusion proof" : "the consistency proof", err);
	SPI_finish();
	return proof_array(out, n);
}

/* inclusion_proof(seq bigint, tree_size bigint, origin text) RETURNS bytea[] */
PG_FUNCTION_INFO_V1(inclusion_proof);
Datum
inclusion_proof(PG_FUNCTION_ARGS)
{
	/* STRICT in its first two arguments; a NULL origin is the local one */
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	PG_RETURN_ARRAYTYPE_P(merkle_proof(fcinfo, true, PG_GETARG_INT64(0), PG_GETARG_INT64(1)));
}

/* consistency_proof(old_size bigint, new_size bigint, origin text) RETURNS bytea[] */
PG_FUNCTION_INFO_V1(consistency_proof);
Datum
consistency_proof(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	PG_RETURN_ARRAYTYPE_P(merkle_proof(fcinfo, false, PG_GETARG_INT64(0), PG_GETARG_INT64(1)));
}

/* merkle_leaf_hash(bytea), merkle_node_hash(bytea, bytea): for verifiers */
PG_FUNCTION_INFO_V1(sql_merkle_leaf_hash);
Datum
sql_merkle_leaf_hash(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	uint8		out[MERKLE_HASH_LEN];

	if (!merkle_leaf_hash((const uint8 *) VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b), out))
		elog(ERROR, "SHA-256 failed");
	PG_RETURN_BYTEA_P(bytes_to_bytea(out, MERKLE_HASH_LEN));
}

/* ed25519_verify(public_key bytea, message bytea, signature bytea) */
PG_FUNCTION_INFO_V1(sql_ed25519_verify);
Datum
sql_ed25519_verify(PG_FUNCTION_ARGS)
{
	bytea	   *pub = PG_GETARG_BYTEA_PP(0);
	bytea	   *msg = PG_GETARG_BYTEA_PP(1);
	bytea	   *sig = PG_GETARG_BYTEA_PP(2);

	if (VARSIZE_ANY_EXHDR(pub) != ED25519_PUBLIC_KEY_LEN || VARSIZE_ANY_EXHDR(sig) != ED25519_SIG_LEN)
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(ed25519_verify((const uint8 *) VARDATA_ANY(pub), VARDATA_ANY(msg),
								  VARSIZE_ANY_EXHDR(msg), (const uint8 *) VARDATA_ANY(sig)));
}

/* canonical_json(jsonb) RETURNS text: the payload canonical form */
PG_FUNCTION_INFO_V1(canonical_json);
Datum
canonical_json(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char	   *out;
	size_t		outlen;
	char		err[ERRBUF];

	json_canon_set_allocator(canon_alloc, canon_realloc, canon_free);
	if (!json_canonicalize(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), &out, &outlen, err, sizeof(err)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid JSON: %s", err)));
	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, (int) outlen));
}
