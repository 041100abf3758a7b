/*
 * merkle.c: the glue of merkle_core.c for the disclosure log (SPEC 6):
 * the node store integrity.merkle_node, the nodes an append adds (with
 * the newest node of each level kept in memory), the tree size, and the
 * SQL functions tree_head (with the signed checkpoint), inclusion_proof,
 * consistency_proof and merkle_leaf_hash.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/array.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "checkpoint.h"
#include "crypto.h"
#include "keys.h"
#include "merkle.h"
#include "origin.h"
#include "pg_util.h"

#define ERRBUF 256

/* ------------------------------------------------------------ node store */

typedef struct node_store
{
	const char *origin;
	/*
	 * Appending: read with a new snapshot per query, so that nodes that a
	 * concurrent publisher committed while we waited for the chain_head
	 * lock are seen (READ COMMITTED).
	 */
	bool		fresh;
	/* appending: where merkle_append's new nodes go */
	merkle_new_nodes *out;
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

/* merkle_append emits the new nodes; the log's append statement stores them */
static void
node_emit(void *ctx, int level, uint64_t index, const uint8_t hash[MERKLE_HASH_LEN])
{
	merkle_new_nodes *o = ((node_store *) ctx)->out;

	if (o->n >= MERKLE_MAX_APPEND)
		elog(ERROR, "too many merkle nodes for one append");
	o->levels[o->n] = Int16GetDatum((int16) level);
	o->indexes[o->n] = Int64GetDatum((int64) index);
	o->hashes[o->n] = PointerGetDatum(bytes_to_bytea(hash, MERKLE_HASH_LEN));
	if (level >= 0 && level < FRONTIER_LEVELS)
		memcpy(o->raw[level], hash, MERKLE_HASH_LEN);
	o->n++;
}


/* ------------------------------------------------------------- appending */

void
merkle_log_append(const char *origin, int64 size, const uint8 *head, const uint8 *entry,
				  merkle_new_nodes *out)
{
	node_store	store;
	uint8		leaf[MERKLE_HASH_LEN];
	char		err[ERRBUF];
	bool		ok;

	store.origin = origin;
	store.fresh = true;
	store.out = out;
	out->n = 0;
	if (frontier.valid && frontier.size == size && strcmp(frontier.origin, origin) == 0 &&
		memcmp(frontier.head, head, SHA256_LEN) == 0)
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
}

void
merkle_log_appended(const char *origin, int64 size, const uint8 *entry,
					const merkle_new_nodes *nodes)
{
	int			i;

	/* the emitted nodes are now the newest of their levels */
	for (i = 0; i < nodes->n && i < FRONTIER_LEVELS; i++)
	{
		frontier.has[i] = true;
		frontier.idx[i] = ((uint64) size) >> i;
		memcpy(frontier.hash[i], nodes->raw[i], MERKLE_HASH_LEN);
	}
	strlcpy(frontier.origin, origin, sizeof(frontier.origin));
	frontier.size = size + 1;
	memcpy(frontier.head, entry, SHA256_LEN);
	frontier.valid = true;
}

/* ------------------------------------------------------------ tree size */

static SPIPlanPtr size_plan = NULL;

int64
merkle_tree_size(const char *origin, uint8 *head)
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

/* ------------------------------------------------------------- SQL API */

static void
merkle_error(const char *what, const char *err)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("could not compute %s: %s", what, err)));
}

/* ------------------------------------------------- stored tree, checkpoints */

bool
merkle_stored_root(const char *origin, uint64 size, uint8 *root, char *err, size_t errlen)
{
	node_store	store;

	store.origin = origin;
	store.fresh = false;
	return merkle_root(node_fetch, &store, size, root, err, errlen);
}

bool
merkle_stored_consistent(const char *origin, uint64 old_size, const uint8 *old_root,
						 uint64 new_size, const uint8 *new_root, char *err, size_t errlen)
{
	node_store	store;
	uint8		proof[MERKLE_MAX_PROOF * MERKLE_HASH_LEN];
	size_t		n;

	store.origin = origin;
	store.fresh = false;
	if (old_size == 0)
		return true;			/* the empty tree is a prefix of every tree */
	return merkle_consistency_proof(node_fetch, &store, old_size, new_size, proof,
									MERKLE_MAX_PROOF, &n, err, errlen) &&
		merkle_verify_consistency(old_size, new_size, old_root, new_root, proof, n,
								  err, errlen);
}

bool
merkle_frontier_load(const char *origin, uint64 size, merkle_frontier *f)
{
	node_store	store;
	int			level;

	store.origin = origin;
	store.fresh = false;
	memset(f, 0, sizeof(*f));
	for (level = 0; level < 64; level++)
	{
		if ((size >> level) & 1)
		{
			f->index[level] = (size >> level) - 1;
			if (!node_fetch(&store, level, f->index[level], f->hash[level]))
				return false;
			f->have[level] = true;
		}
	}
	return true;
}

char *
merkle_sign_checkpoint(const char *origin, int64 size, const uint8 *root)
{
	signing_key *key = current_key();
	size_t		cap = CHECKPOINT_MAX_LEN(strlen(origin));
	char	   *note = palloc(cap);
	char		err[ERRBUF];
	size_t		len;

	if (!checkpoint_format(key, origin, (uint64_t) size, root, note, cap, &len, err, sizeof(err)))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not sign the checkpoint: %s", err)));
	register_key(origin, key);
	return note;
}

static SPIPlanPtr cosig_plan = NULL;
static SPIPlanPtr held_note_plan = NULL;

/*
 * note (a checkpoint of origin's tree at size with root) and the lines of
 * the cosignatures held here for that tree (issue 16: the witnesses'
 * lines flow down with their publications), as one text.
 */
static text *
with_cosignatures(const char *origin, int64 size, const uint8 *root, const char *note)
{
	Oid			types[3] = {TEXTOID, INT8OID, BYTEAOID};
	Datum		vals[3];
	StringInfoData buf;
	uint64		i;

	integrity_keep_plan(&cosig_plan,
			  "SELECT line FROM integrity.cosignature"
			  " WHERE origin = $1 AND tree_size = $2 AND root_hash = $3 ORDER BY witness_name",
			  3, types);
	vals[0] = CStringGetTextDatum(origin);
	vals[1] = Int64GetDatum(size);
	vals[2] = PointerGetDatum(bytes_to_bytea(root, MERKLE_HASH_LEN));
	initStringInfo(&buf);
	appendStringInfoString(&buf, note);
	if (SPI_execute_plan(cosig_plan, vals, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the cosignatures");
	for (i = 0; i < SPI_processed; i++)
	{
		char	   *line = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);

		if (line != NULL && strchr(line, '\n') == NULL)
			appendStringInfo(&buf, "%s\n", line);
	}
	return cstring_to_text_with_len(buf.data, buf.len);
}

/* the checkpoint note of a lower origin's tree at size, as it replicated here (NULL: none) */
static char *
held_checkpoint(const char *origin, int64 size, const uint8 *root)
{
	Oid			types[3] = {TEXTOID, INT8OID, BYTEAOID};
	Datum		vals[3];

	integrity_keep_plan(&held_note_plan,
			  "SELECT note FROM integrity.checkpoint"
			  " WHERE origin = $1 AND tree_size = $2 AND root_hash = $3",
			  3, types);
	vals[0] = CStringGetTextDatum(origin);
	vals[1] = Int64GetDatum(size);
	vals[2] = PointerGetDatum(bytes_to_bytea(root, MERKLE_HASH_LEN));
	if (SPI_execute_plan(held_note_plan, vals, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		return NULL;
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

/*
 * tree_head(origin text) RETURNS TABLE(tree_size bigint, root_hash bytea,
 * checkpoint text): the checkpoint is signed here for the local origin;
 * for a lower origin it is the one it published at this size, if it
 * replicated here.  Either way with the cosignatures held for that tree.
 */
PG_FUNCTION_INFO_V1(tree_head);
Datum
tree_head(PG_FUNCTION_ARGS)
{
	char	   *origin;
	int64		size;
	uint8		root[MERKLE_HASH_LEN];
	char		err[ERRBUF];
	TupleDesc	tupdesc;
	Datum		result[3];
	bool		nulls[3] = {false, false, false};
	const char *local;
	char	   *note;
	HeapTupleHeader row;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	SPI_connect();
	origin = origin_arg(fcinfo, 0);
	size = merkle_tree_size(origin, NULL);
	if (!merkle_stored_root(origin, (uint64) size, root, err, sizeof(err)))
		merkle_error("the tree head", err);
	local = local_origin();
	result[0] = Int64GetDatum(size);
	result[1] = PointerGetDatum(bytes_to_bytea(root, MERKLE_HASH_LEN));
	/* only the local origin's key signs a checkpoint */
	if (local != NULL && strcmp(local, origin) == 0)
		note = merkle_sign_checkpoint(origin, size, root);
	else
		note = held_checkpoint(origin, size, root);
	if (note != NULL)
		result[2] = PointerGetDatum(with_cosignatures(origin, size, root, note));
	else
		nulls[2] = true;
	/* the tuple is copied out of SPI's memory, which SPI_finish frees */
	row = SPI_returntuple(heap_form_tuple(tupdesc, result, nulls), tupdesc);
	SPI_finish();
	PG_RETURN_HEAPTUPLEHEADER(row);
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
	size = merkle_tree_size(origin, NULL);
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

/* merkle_leaf_hash(bytea) RETURNS bytea: the RFC 6962 leaf hash, for verifiers */
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

