/*
 * merkle.h: RFC 6962 / RFC 9162 Merkle tree hashing for the disclosure log.
 *
 * Pure C99 + OpenSSL 3 (SHA-256); no PostgreSQL headers.  See docs/DESIGN.md
 * ("Disclosure log") and SPEC section 6.
 *
 * Hashing (RFC 6962 section 2.1 / RFC 9162 section 2.1.1):
 *   leaf hash = SHA-256(0x00 || data)   (our data: the 32-byte entry_hash)
 *   node hash = SHA-256(0x01 || left || right)
 *   MTH({})   = SHA-256("")             (empty tree)
 *   MTH(D[n]) for n > 1 = node(MTH(D[0:k]), MTH(D[k:n])), k = largest power
 *   of two < n.  Leaf index = seq - 1.
 *
 * Storage model.  The caller stores every *complete* subtree hash: node
 * (level L, index i) is the hash of the perfect subtree over the leaves
 * [i * 2^L, (i + 1) * 2^L).  Level 0 holds the leaf hashes.  These rows are
 * produced by merkle_append() and read back through a merkle_fetch_fn.
 * Roots and proofs for any tree size are built from these nodes only:
 *   - merkle_root(size): popcount(size) fetches (1 if size is a power of 2);
 *   - merkle_inclusion_proof / merkle_consistency_proof: one fetch per
 *     perfect sibling, plus popcount(.) fetches for the (at most one) proof
 *     element on the right edge of the tree that is not a complete subtree;
 *     at most ceil(log2 size) + popcount(size) <= 128 in total.
 *     Measured (test/unit/test_merkle.c): size 1,000,000: root 7,
 *     inclusion <= 25, consistency <= 26; size 2^64 - 1: 64 / 126 / 127.
 * Leaves are never read one by one.  Nodes covering leaves >= size are never
 * read, so the store may be larger than the tree being proved.
 *
 * Conventions (docs/DESIGN.md): functions return bool; on failure they write a
 * NUL-terminated lower-case reason into err (if err != NULL and errlen > 0);
 * they never allocate (except OpenSSL internally), never print, never exit.
 * Hashes are 32-byte arrays; a list of n hashes is passed as a flat buffer of
 * n * 32 bytes (element j at offset j * 32), in RFC 9162 order (for an
 * inclusion proof: the leaf's sibling first, the root's child last).
 *
 * Sizes and indexes are uint64_t; callers with signed bigint values must
 * reject negatives before calling.
 */
#ifndef INTEGRITY_MERKLE_H
#define INTEGRITY_MERKLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MERKLE_HASH_LEN 32

/*
 * Upper bound on the number of hashes in any proof for tree sizes < 2^64:
 * an inclusion proof has at most 64 elements, a consistency proof at most 65.
 * A caller-side buffer of MERKLE_MAX_PROOF * 32 bytes always suffices.
 */
#define MERKLE_MAX_PROOF 65

/*
 * Upper bound on the number of nodes merkle_append() emits for one leaf
 * (the leaf itself plus at most 64 parents).
 */
#define MERKLE_MAX_APPEND 65

/*
 * Fetch the stored complete-subtree hash (level, index) into out.
 * Return false if it is missing (the calling merkle_* function then fails
 * with "missing merkle node (level L, index I)").  The callback may itself
 * throw (e.g. ereport(ERROR)); the merkle functions hold no resources.
 */
typedef bool (*merkle_fetch_fn) (void *ctx, int level, uint64_t index,
								 uint8_t out[MERKLE_HASH_LEN]);

/* Receive one newly complete subtree hash from merkle_append(). */
typedef void (*merkle_emit_fn) (void *ctx, int level, uint64_t index,
								const uint8_t hash[MERKLE_HASH_LEN]);

/*
 * Hash primitives.  Return false only if OpenSSL fails (out of memory);
 * out is then unspecified.
 */
extern bool merkle_leaf_hash(const uint8_t *data, size_t len,
							 uint8_t out[MERKLE_HASH_LEN]);
extern bool merkle_node_hash(const uint8_t left[MERKLE_HASH_LEN],
							 const uint8_t right[MERKLE_HASH_LEN],
							 uint8_t out[MERKLE_HASH_LEN]);
/* MTH of the empty tree: SHA-256 of the empty string. */
extern bool merkle_empty_root(uint8_t out[MERKLE_HASH_LEN]);

/*
 * Append leaf number `index` (0-based; must equal the current tree size,
 * i.e. leaves 0..index-1 are already stored) with leaf hash `leaf_hash`.
 * Emits, in this order, (0, index, leaf_hash) and then each parent that
 * becomes complete: while bit L of index is 1, the left sibling
 * (L, (index >> L) - 1) is fetched and (L + 1, index >> (L + 1)) emitted.
 * At most 1 + (number of trailing 1 bits of index) nodes, <= 64 fetches.
 * Nothing is emitted unless every fetch and hash succeeded.
 */
extern bool merkle_append(merkle_fetch_fn fetch, void *fetch_ctx,
						  merkle_emit_fn emit, void *emit_ctx,
						  uint64_t index,
						  const uint8_t leaf_hash[MERKLE_HASH_LEN],
						  char *err, size_t errlen);

/*
 * MTH of the leaves [begin, end) with the RFC 6962 split, from stored
 * complete subtrees.  begin < end required.  At most 64 fetches whenever
 * begin is a multiple of the largest power of two smaller than end - begin
 * (true for begin = 0 and for every range a proof uses); for other
 * (unaligned) ranges the result is still correct but may cost up to
 * end - begin fetches.
 */
extern bool merkle_range_hash(merkle_fetch_fn fetch, void *ctx,
							  uint64_t begin, uint64_t end,
							  uint8_t out[MERKLE_HASH_LEN],
							  char *err, size_t errlen);

/* MTH of the first `size` leaves (size 0: SHA-256 of the empty string). */
extern bool merkle_root(merkle_fetch_fn fetch, void *ctx, uint64_t size,
						uint8_t out[MERKLE_HASH_LEN],
						char *err, size_t errlen);

/*
 * Number of hashes in the inclusion proof for (index, size), or -1 if
 * index >= size.  Pure arithmetic, no fetch.
 */
extern int	merkle_inclusion_proof_len(uint64_t index, uint64_t size);

/*
 * Number of hashes in the consistency proof for (old_size, new_size), or -1
 * if not 0 < old_size <= new_size.  0 when old_size == new_size.
 */
extern int	merkle_consistency_proof_len(uint64_t old_size, uint64_t new_size);

/*
 * RFC 9162 2.1.3.1 PATH(index, D[0:size]).  Writes *n_out hashes into out
 * (capacity max hashes = max * 32 bytes).  Fails if index >= size or if max
 * is too small (nothing is fetched in those cases).
 */
extern bool merkle_inclusion_proof(merkle_fetch_fn fetch, void *ctx,
								   uint64_t index, uint64_t size,
								   uint8_t *out, size_t max, size_t *n_out,
								   char *err, size_t errlen);

/*
 * RFC 9162 2.1.4.1 PROOF(old_size, D[0:new_size]) = SUBPROOF(old_size,
 * D[0:new_size], true).  Requires 0 < old_size <= new_size (old_size ==
 * new_size gives an empty proof).  Same output conventions as above.
 */
extern bool merkle_consistency_proof(merkle_fetch_fn fetch, void *ctx,
									 uint64_t old_size, uint64_t new_size,
									 uint8_t *out, size_t max, size_t *n_out,
									 char *err, size_t errlen);

/*
 * RFC 9162 2.1.3.2: true iff `proof` (n hashes) proves that leaf_hash is the
 * leaf at `index` of the tree of `size` leaves whose root is `root`.
 * Rejects index >= size and proofs with too many or too few elements.
 */
extern bool merkle_verify_inclusion(uint64_t index, uint64_t size,
									const uint8_t leaf_hash[MERKLE_HASH_LEN],
									const uint8_t *proof, size_t n,
									const uint8_t root[MERKLE_HASH_LEN],
									char *err, size_t errlen);

/*
 * RFC 9162 2.1.4.2: true iff `proof` (n hashes) proves that the tree of
 * old_size leaves with root old_root is a prefix of the tree of new_size
 * leaves with root new_root.  Requires 0 < old_size <= new_size (the same
 * domain as merkle_consistency_proof; an empty old tree is rejected as a
 * bad argument, not silently accepted).  old_size == new_size needs an
 * empty proof and equal roots.  Rejects extra or missing elements.
 */
extern bool merkle_verify_consistency(uint64_t old_size, uint64_t new_size,
									  const uint8_t old_root[MERKLE_HASH_LEN],
									  const uint8_t new_root[MERKLE_HASH_LEN],
									  const uint8_t *proof, size_t n,
									  char *err, size_t errlen);

/*
 * The frontier of a tree being built leaf by leaf: the newest complete
 * subtree hash of each level, which is all that merkle_append (left
 * siblings) and merkle_root (the tree of the current size) read when
 * leaves are appended in order.  merkle_frontier_fetch and
 * merkle_frontier_emit are the callbacks (ctx: the merkle_frontier), for
 * builders that hold no node store (integrity-verify, witness()).
 */
typedef struct merkle_frontier
{
	bool		have[64];
	uint64_t	index[64];
	uint8_t		hash[64][MERKLE_HASH_LEN];
} merkle_frontier;

extern bool merkle_frontier_fetch(void *ctx, int level, uint64_t index,
								  uint8_t out[MERKLE_HASH_LEN]);
extern void merkle_frontier_emit(void *ctx, int level, uint64_t index,
								 const uint8_t hash[MERKLE_HASH_LEN]);

/* ------------------------------------------------ merkle.c (server glue) */
#ifdef POSTGRES_H

/* levels of the tree whose newest node merkle.c keeps in memory */
#define FRONTIER_LEVELS 64

/* the nodes one append adds, as the arguments of its INSERT (and by level) */
typedef struct merkle_new_nodes
{
	int			n;
	Datum		levels[MERKLE_MAX_APPEND];
	Datum		indexes[MERKLE_MAX_APPEND];
	Datum		hashes[MERKLE_MAX_APPEND];
	uint8		raw[FRONTIER_LEVELS][MERKLE_HASH_LEN];
} merkle_new_nodes;

/*
 * The nodes that appending the leaf of entry (entry hash of seq size + 1)
 * adds to origin's tree of size leaves whose head entry hash is head; the
 * caller holds the chain_head lock and is connected to SPI.  Left siblings
 * are read with a fresh snapshot, or from memory when head is the one this
 * backend wrote last.  ERROR XX001 if the stored tree is damaged.
 */
extern void merkle_log_append(const char *origin, int64 size, const uint8 *head,
							  const uint8 *entry, merkle_new_nodes *out);

/* the append of merkle_log_append(origin, size, ..., entry) is written */
extern void merkle_log_appended(const char *origin, int64 size, const uint8 *entry,
								const merkle_new_nodes *nodes);

/*
 * The size of origin's log (its tree) and, if head is not NULL, its
 * newest entry hash (from integrity.chain_head: 0 and zeros if none, 0xFF
 * bytes if the stored head is damaged).  Caller connected to SPI.
 */
extern int64 merkle_tree_size(const char *origin, uint8 *head);

/* the root of origin's tree at size from the nodes stored here (false: err says why) */
extern bool merkle_stored_root(const char *origin, uint64 size, uint8 *root,
							   char *err, size_t errlen);

/*
 * A consistency proof from the nodes stored here, from old_size to
 * new_size, verifies with old_root and new_root (old_size 0: true).
 */
extern bool merkle_stored_consistent(const char *origin, uint64 old_size, const uint8 *old_root,
									 uint64 new_size, const uint8 *new_root,
									 char *err, size_t errlen);

/* f: the frontier of origin's tree at size, from the stored nodes (false: one is missing) */
extern bool merkle_frontier_load(const char *origin, uint64 size, merkle_frontier *f);

/* origin's checkpoint note at size with root, signed with the current key (palloc'd) */
extern char *merkle_sign_checkpoint(const char *origin, int64 size, const uint8 *root);

#endif							/* POSTGRES_H */

#endif							/* INTEGRITY_MERKLE_H */
