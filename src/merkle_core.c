/*
 * merkle_core.c: RFC 6962 / RFC 9162 Merkle tree hashing, proofs and proof
 * verification over a store of complete-subtree hashes.  Pure C99 + OpenSSL;
 * no PostgreSQL headers.  API and cost model: merkle.h.
 *
 * Proof generation works in two steps:
 *   1. a "plan": pure arithmetic that lists, in RFC 9162 output order, the
 *      leaf ranges [begin, end) whose Merkle Tree Hashes form the proof;
 *   2. each range's MTH is read from the store (range_hash()).
 * Every range in a plan is a perfect aligned subtree (one fetch) except at
 * most one range on the right edge of the tree, whose MTH is assembled from
 * popcount(end - begin) stored perfect subtrees.  Hence O(log n) fetches.
 */
#include "merkle.h"
#include "text.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>

/* Longest plan: one range per split level (<= 64) plus a final node. */
#define PLAN_MAX 66

typedef struct
{
	uint64_t	begin;
	uint64_t	end;
} mrange;

static void
clear_err(char *err, size_t errlen)
{
	if (err != NULL && errlen > 0)
		err[0] = '\0';
}

/* ---------------------------------------------------------------------- */
/* Bit helpers                                                              */
/* ---------------------------------------------------------------------- */

static int
ctz64(uint64_t x)
{
	/* x != 0 */
	return __builtin_ctzll((unsigned long long) x);
}

static bool
is_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/* Largest power of two strictly smaller than n; n >= 2. */
static uint64_t
split_point(uint64_t n)
{
	return UINT64_C(1) << (63 - __builtin_clzll((unsigned long long) (n - 1)));
}

/* ---------------------------------------------------------------------- */
/* Hash primitives                                                          */
/* ---------------------------------------------------------------------- */

/* Leaf data up to this size is hashed from a stack buffer in one call. */
#define LEAF_STACK_MAX 256

bool
merkle_leaf_hash(const uint8_t *data, size_t len, uint8_t out[MERKLE_HASH_LEN])
{
	if (len <= LEAF_STACK_MAX)
	{
		uint8_t		buf[1 + LEAF_STACK_MAX];

		buf[0] = 0x00;
		if (len > 0)
			memcpy(buf + 1, data, len);
		return SHA256(buf, len + 1, out) != NULL;
	}
	else
	{
		static const uint8_t prefix = 0x00;
		EVP_MD_CTX *md = EVP_MD_CTX_new();
		bool		ok;

		if (md == NULL)
			return false;
		ok = EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
			EVP_DigestUpdate(md, &prefix, 1) == 1 &&
			EVP_DigestUpdate(md, data, len) == 1 &&
			EVP_DigestFinal_ex(md, out, NULL) == 1;
		EVP_MD_CTX_free(md);
		return ok;
	}
}

bool
merkle_node_hash(const uint8_t left[MERKLE_HASH_LEN],
				 const uint8_t right[MERKLE_HASH_LEN],
				 uint8_t out[MERKLE_HASH_LEN])
{
	uint8_t		buf[1 + 2 * MERKLE_HASH_LEN];

	buf[0] = 0x01;
	memcpy(buf + 1, left, MERKLE_HASH_LEN);
	memcpy(buf + 1 + MERKLE_HASH_LEN, right, MERKLE_HASH_LEN);
	return SHA256(buf, sizeof(buf), out) != NULL;
}

bool
merkle_empty_root(uint8_t out[MERKLE_HASH_LEN])
{
	static const uint8_t nothing[1] = {0};

	return SHA256(nothing, 0, out) != NULL;
}

/* node hash with the standard error message */
static bool
node_hash_e(const uint8_t *l, const uint8_t *r, uint8_t *out,
			char *err, size_t errlen)
{
	if (!merkle_node_hash(l, r, out))
	{
		text_error(err, errlen, "sha-256 computation failed");
		return false;
	}
	return true;
}

/* ---------------------------------------------------------------------- */
/* Reading the store                                                        */
/* ---------------------------------------------------------------------- */

static bool
fetch_node(merkle_fetch_fn fetch, void *ctx, int level, uint64_t index,
		   uint8_t out[MERKLE_HASH_LEN], char *err, size_t errlen)
{
	if (!fetch(ctx, level, index, out))
	{
		text_error(err, errlen, "missing merkle node (level %d, index %" PRIu64 ")",
				level, index);
		return false;
	}
	return true;
}

/*
 * MTH(D[begin:end]) with the RFC 6962 split.  A perfect aligned range is one
 * stored node; otherwise split at k = largest power of two < n.  Recursion
 * depth <= 64 (n at least halves on the left, and the right part is < n).
 */
static bool
range_hash(merkle_fetch_fn fetch, void *ctx, uint64_t begin, uint64_t end,
		   uint8_t out[MERKLE_HASH_LEN], char *err, size_t errlen)
{
	uint64_t	n = end - begin;
	uint64_t	k;
	uint8_t		left[MERKLE_HASH_LEN];
	uint8_t		right[MERKLE_HASH_LEN];

	if (is_pow2(n) && (begin & (n - 1)) == 0)
	{
		int			level = ctz64(n);

		return fetch_node(fetch, ctx, level, begin >> level, out, err, errlen);
	}
	k = split_point(n);
	if (!range_hash(fetch, ctx, begin, begin + k, left, err, errlen))
		return false;
	if (!range_hash(fetch, ctx, begin + k, end, right, err, errlen))
		return false;
	return node_hash_e(left, right, out, err, errlen);
}

bool
merkle_range_hash(merkle_fetch_fn fetch, void *ctx,
				  uint64_t begin, uint64_t end,
				  uint8_t out[MERKLE_HASH_LEN],
				  char *err, size_t errlen)
{
	clear_err(err, errlen);
	if (fetch == NULL)
	{
		text_error(err, errlen, "no fetch callback");
		return false;
	}
	if (begin >= end)
	{
		text_error(err, errlen, "empty or inverted leaf range [%" PRIu64 ", %" PRIu64 ")",
				begin, end);
		return false;
	}
	return range_hash(fetch, ctx, begin, end, out, err, errlen);
}

bool
merkle_root(merkle_fetch_fn fetch, void *ctx, uint64_t size,
			uint8_t out[MERKLE_HASH_LEN], char *err, size_t errlen)
{
	clear_err(err, errlen);
	if (size == 0)
	{
		if (!merkle_empty_root(out))
		{
			text_error(err, errlen, "sha-256 computation failed");
			return false;
		}
		return true;
	}
	if (fetch == NULL)
	{
		text_error(err, errlen, "no fetch callback");
		return false;
	}
	return range_hash(fetch, ctx, 0, size, out, err, errlen);
}

/* ---------------------------------------------------------------------- */
/* Append                                                                   */
/* ---------------------------------------------------------------------- */

bool
merkle_append(merkle_fetch_fn fetch, void *fetch_ctx,
			  merkle_emit_fn emit, void *emit_ctx,
			  uint64_t index, const uint8_t leaf_hash[MERKLE_HASH_LEN],
			  char *err, size_t errlen)
{
	uint8_t		nodes[MERKLE_MAX_APPEND][MERKLE_HASH_LEN];
	int			count = 1;
	uint64_t	idx = index;

	clear_err(err, errlen);
	if (emit == NULL)
	{
		text_error(err, errlen, "no emit callback");
		return false;
	}
	if (index == UINT64_MAX)
	{
		text_error(err, errlen, "merkle tree is full");
		return false;
	}
	if ((index & 1) && fetch == NULL)
	{
		text_error(err, errlen, "no fetch callback");
		return false;
	}

	memcpy(nodes[0], leaf_hash, MERKLE_HASH_LEN);
	/* while this node is a right child, combine with its left sibling */
	while (idx & 1)
	{
		uint8_t		sibling[MERKLE_HASH_LEN];
		int			level = count - 1;

		if (!fetch_node(fetch, fetch_ctx, level, idx - 1, sibling, err, errlen))
			return false;
		if (!node_hash_e(sibling, nodes[level], nodes[level + 1], err, errlen))
			return false;
		idx >>= 1;
		count++;
	}

	/* all computed: now hand them out, leaf first */
	for (int level = 0; level < count; level++)
		emit(emit_ctx, level, index >> level, nodes[level]);
	return true;
}

/* ---------------------------------------------------------------------- */
/* Proof plans (pure arithmetic)                                            */
/* ---------------------------------------------------------------------- */

/* Reverse r[0..n) in place (plans are built root-first, proofs are leaf-first). */
static void
reverse_ranges(mrange *r, int n)
{
	for (int i = 0, j = n - 1; i < j; i++, j--)
	{
		mrange		t = r[i];

		r[i] = r[j];
		r[j] = t;
	}
}

/*
 * RFC 9162 2.1.3.1: PATH(m, D[0:n]) = PATH(m, D[0:k]) : MTH(D[k:n]) if m < k,
 * else PATH(m - k, D[k:n]) : MTH(D[0:k]).  Requires index < size.
 */
static int
inclusion_plan(uint64_t index, uint64_t size, mrange *r)
{
	uint64_t	begin = 0;
	uint64_t	end = size;
	int			n = 0;

	while (end - begin > 1)
	{
		uint64_t	k = split_point(end - begin);

		if (index - begin < k)
		{
			r[n].begin = begin + k;
			r[n].end = end;
			end = begin + k;
		}
		else
		{
			r[n].begin = begin;
			r[n].end = begin + k;
			begin += k;
		}
		n++;
	}
	reverse_ranges(r, n);
	return n;
}

/*
 * RFC 9162 2.1.4.1: SUBPROOF(m, D[0:n], b):
 *   m == n: {} if b, else {MTH(D[0:m])};
 *   m <= k: SUBPROOF(m, D[0:k], b) : MTH(D[k:n]);
 *   m > k:  SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k]).
 * Requires 0 < old_size <= new_size.
 */
static int
consistency_plan(uint64_t old_size, uint64_t new_size, mrange *r)
{
	uint64_t	begin = 0;
	uint64_t	end = new_size;
	uint64_t	m = old_size;	/* relative to begin */
	bool		b = true;
	int			n = 0;

	for (;;)
	{
		uint64_t	k;

		if (m == end - begin)
		{
			if (!b)
			{
				r[n].begin = begin;
				r[n].end = end;
				n++;
			}
			break;
		}
		k = split_point(end - begin);
		if (m <= k)
		{
			r[n].begin = begin + k;
			r[n].end = end;
			end = begin + k;
		}
		else
		{
			r[n].begin = begin;
			r[n].end = begin + k;
			m -= k;
			begin += k;
			b = false;
		}
		n++;
	}
	reverse_ranges(r, n);
	return n;
}

int
merkle_inclusion_proof_len(uint64_t index, uint64_t size)
{
	mrange		r[PLAN_MAX];

	if (index >= size)
		return -1;
	return inclusion_plan(index, size, r);
}

int
merkle_consistency_proof_len(uint64_t old_size, uint64_t new_size)
{
	mrange		r[PLAN_MAX];

	if (old_size == 0 || old_size > new_size)
		return -1;
	return consistency_plan(old_size, new_size, r);
}

static bool
fill_plan(merkle_fetch_fn fetch, void *ctx, const mrange *r, int n,
		  uint8_t *out, size_t max, size_t *n_out, char *err, size_t errlen)
{
	if ((size_t) n > max)
	{
		text_error(err, errlen, "proof buffer too small (need %d hashes, room for %zu)",
				n, max);
		return false;
	}
	for (int i = 0; i < n; i++)
	{
		if (!range_hash(fetch, ctx, r[i].begin, r[i].end,
						out + (size_t) i * MERKLE_HASH_LEN, err, errlen))
			return false;
	}
	*n_out = (size_t) n;
	return true;
}

bool
merkle_inclusion_proof(merkle_fetch_fn fetch, void *ctx,
					   uint64_t index, uint64_t size,
					   uint8_t *out, size_t max, size_t *n_out,
					   char *err, size_t errlen)
{
	mrange		r[PLAN_MAX];
	int			n;

	clear_err(err, errlen);
	if (n_out != NULL)
		*n_out = 0;
	if (fetch == NULL || n_out == NULL || (out == NULL && max > 0))
	{
		text_error(err, errlen, "missing callback or output argument");
		return false;
	}
	if (size == 0)
	{
		text_error(err, errlen, "tree size must be at least 1");
		return false;
	}
	if (index >= size)
	{
		text_error(err, errlen, "leaf index %" PRIu64 " is not less than tree size %" PRIu64,
				index, size);
		return false;
	}
	n = inclusion_plan(index, size, r);
	return fill_plan(fetch, ctx, r, n, out, max, n_out, err, errlen);
}

bool
merkle_consistency_proof(merkle_fetch_fn fetch, void *ctx,
						 uint64_t old_size, uint64_t new_size,
						 uint8_t *out, size_t max, size_t *n_out,
						 char *err, size_t errlen)
{
	mrange		r[PLAN_MAX];
	int			n;

	clear_err(err, errlen);
	if (n_out != NULL)
		*n_out = 0;
	if (fetch == NULL || n_out == NULL || (out == NULL && max > 0))
	{
		text_error(err, errlen, "missing callback or output argument");
		return false;
	}
	if (old_size == 0)
	{
		text_error(err, errlen, "old tree size must be at least 1");
		return false;
	}
	if (old_size > new_size)
	{
		text_error(err, errlen, "old tree size %" PRIu64 " is greater than new tree size %" PRIu64,
				old_size, new_size);
		return false;
	}
	n = consistency_plan(old_size, new_size, r);
	return fill_plan(fetch, ctx, r, n, out, max, n_out, err, errlen);
}

/* ---------------------------------------------------------------------- */
/* Verification (RFC 9162 2.1.3.2 and 2.1.4.2)                              */
/* ---------------------------------------------------------------------- */

bool
merkle_verify_inclusion(uint64_t index, uint64_t size,
						const uint8_t leaf_hash[MERKLE_HASH_LEN],
						const uint8_t *proof, size_t n,
						const uint8_t root[MERKLE_HASH_LEN],
						char *err, size_t errlen)
{
	uint8_t		r[MERKLE_HASH_LEN];
	uint64_t	fn;
	uint64_t	sn;
	int			expected;

	clear_err(err, errlen);
	if (leaf_hash == NULL || root == NULL || (proof == NULL && n > 0))
	{
		text_error(err, errlen, "missing argument");
		return false;
	}
	if (index >= size)
	{
		text_error(err, errlen, "leaf index %" PRIu64 " is not less than tree size %" PRIu64,
				index, size);
		return false;
	}
	expected = merkle_inclusion_proof_len(index, size);
	if ((size_t) expected != n)
	{
		text_error(err, errlen, "inclusion proof has %zu hashes, expected %d", n, expected);
		return false;
	}

	fn = index;
	sn = size - 1;
	memcpy(r, leaf_hash, MERKLE_HASH_LEN);
	for (size_t i = 0; i < n; i++)
	{
		const uint8_t *p = proof + i * MERKLE_HASH_LEN;

		if (sn == 0)
		{
			text_error(err, errlen, "inclusion proof is too long");
			return false;
		}
		if ((fn & 1) || fn == sn)
		{
			if (!node_hash_e(p, r, r, err, errlen))
				return false;
			if (!(fn & 1))
			{
				while (!(fn & 1) && fn != 0)
				{
					fn >>= 1;
					sn >>= 1;
				}
			}
		}
		else
		{
			if (!node_hash_e(r, p, r, err, errlen))
				return false;
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
	{
		text_error(err, errlen, "inclusion proof is too short");
		return false;
	}
	if (memcmp(r, root, MERKLE_HASH_LEN) != 0)
	{
		text_error(err, errlen, "inclusion proof does not lead to the root hash");
		return false;
	}
	return true;
}

bool
merkle_verify_consistency(uint64_t old_size, uint64_t new_size,
						  const uint8_t old_root[MERKLE_HASH_LEN],
						  const uint8_t new_root[MERKLE_HASH_LEN],
						  const uint8_t *proof, size_t n,
						  char *err, size_t errlen)
{
	uint8_t		fr[MERKLE_HASH_LEN];
	uint8_t		sr[MERKLE_HASH_LEN];
	uint64_t	fn;
	uint64_t	sn;
	int			expected;
	size_t		i;

	clear_err(err, errlen);
	if (old_root == NULL || new_root == NULL || (proof == NULL && n > 0))
	{
		text_error(err, errlen, "missing argument");
		return false;
	}
	if (old_size == 0)
	{
		text_error(err, errlen, "old tree size must be at least 1");
		return false;
	}
	if (old_size > new_size)
	{
		text_error(err, errlen, "old tree size %" PRIu64 " is greater than new tree size %" PRIu64,
				old_size, new_size);
		return false;
	}
	expected = merkle_consistency_proof_len(old_size, new_size);
	if ((size_t) expected != n)
	{
		text_error(err, errlen, "consistency proof has %zu hashes, expected %d", n, expected);
		return false;
	}
	if (old_size == new_size)
	{
		if (memcmp(old_root, new_root, MERKLE_HASH_LEN) != 0)
		{
			text_error(err, errlen, "trees of equal size have different root hashes");
			return false;
		}
		return true;
	}

	/*
	 * If old_size is a power of two, the old root is the implicit first
	 * element of the path (RFC 9162 2.1.4.2 step 2); otherwise it is
	 * proof[0] and the remaining elements follow.
	 */
	if (is_pow2(old_size))
	{
		memcpy(fr, old_root, MERKLE_HASH_LEN);
		i = 0;
	}
	else
	{
		memcpy(fr, proof, MERKLE_HASH_LEN);
		i = 1;
	}
	memcpy(sr, fr, MERKLE_HASH_LEN);

	fn = old_size - 1;
	sn = new_size - 1;
	while (fn & 1)
	{
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < n; i++)
	{
		const uint8_t *c = proof + i * MERKLE_HASH_LEN;

		if (sn == 0)
		{
			text_error(err, errlen, "consistency proof is too long");
			return false;
		}
		if ((fn & 1) || fn == sn)
		{
			if (!node_hash_e(c, fr, fr, err, errlen) ||
				!node_hash_e(c, sr, sr, err, errlen))
				return false;
			if (!(fn & 1))
			{
				while (!(fn & 1) && fn != 0)
				{
					fn >>= 1;
					sn >>= 1;
				}
			}
		}
		else
		{
			if (!node_hash_e(sr, c, sr, err, errlen))
				return false;
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
	{
		text_error(err, errlen, "consistency proof is too short");
		return false;
	}
	if (memcmp(fr, old_root, MERKLE_HASH_LEN) != 0)
	{
		text_error(err, errlen, "consistency proof does not lead to the old root hash");
		return false;
	}
	if (memcmp(sr, new_root, MERKLE_HASH_LEN) != 0)
	{
		text_error(err, errlen, "consistency proof does not lead to the new root hash");
		return false;
	}
	return true;
}

/* ------------------------------------------------------------- frontier */

bool
merkle_frontier_fetch(void *ctx, int level, uint64_t index, uint8_t out[MERKLE_HASH_LEN])
{
	merkle_frontier *f = ctx;

	if (level < 0 || level >= 64 || !f->have[level] || f->index[level] != index)
		return false;
	memcpy(out, f->hash[level], MERKLE_HASH_LEN);
	return true;
}

void
merkle_frontier_emit(void *ctx, int level, uint64_t index, const uint8_t hash[MERKLE_HASH_LEN])
{
	merkle_frontier *f = ctx;

	if (level < 0 || level >= 64)
		return;
	f->have[level] = true;
	f->index[level] = index;
	memcpy(f->hash[level], hash, MERKLE_HASH_LEN);
}
