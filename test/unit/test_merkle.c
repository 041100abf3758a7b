/*
 * test_merkle.c: unit tests for src/merkle_core.c (RFC 6962 / RFC 9162).
 *
 * Build and run:
 *   gcc -std=gnu99 -Wall -Wextra -Werror -Isrc test/unit/test_merkle.c \
 *       src/merkle_core.c -lcrypto -o /tmp/test_merkle && /tmp/test_merkle
 *
 * Prints TAP (the plan line "1..N" comes last, which TAP allows) and exits 1
 * if any test failed.
 *
 * Contents:
 *   - the RFC 6962 reference vectors used by certificate-transparency and
 *     transparency-dev/merkle (8 leaf inputs, all complete subtree hashes,
 *     roots of sizes 0..8, the known inclusion and consistency proofs);
 *   - an independent naive implementation (recursive RFC definitions over
 *     the whole leaf array) compared with the store-based code for every
 *     tree size 1..64, every leaf index, every old size and every range;
 *   - negative cases for both verifiers (every bit of a byte of every proof
 *     element, wrong leaf, wrong root, wrong index, wrong sizes, extra,
 *     missing and prepended elements);
 *   - argument errors and a missing stored node;
 *   - fetch counts for size 1,000,000 (O(log n), never a leaf scan).
 *
 * Fetch counts measured by test_fetch_counts() (about 2,100 sampled leaf
 * indexes / old sizes per tree size; every proof also verified):
 *   size 1,000,000 (ceil(log2 n) = 20, popcount = 7):
 *     merkle_root                 7 fetches
 *     merkle_inclusion_proof      max 25 (index 0: 25, index 999,999: 12)
 *     merkle_consistency_proof    max 26
 *   size 2^62 + 12345: root 7, inclusion max 68, consistency max 69
 *   size 2^64 - 1 (worst case): root 64, inclusion max 126, consistency max 127
 * Asserted: <= ceil(log2 n) + popcount(n) for the first two sizes, and
 * <= 2 * 64 for all.  A naive implementation would read n leaves.
 * The brute-force store also refuses any node that reaches past the tree
 * size, so proofs are shown to read only nodes inside the tree.
 */
#include "merkle.h"
#include "tap.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

/* ---------------------------------------------------------------------- */
/* TAP                                                                      */
/* ---------------------------------------------------------------------- */

/* ---------------------------------------------------------------------- */
/* Helpers                                                                  */
/* ---------------------------------------------------------------------- */

typedef uint8_t hash_t[MERKLE_HASH_LEN];

static size_t
unhex(const char *s, uint8_t *out)
{
	size_t		n = strlen(s) / 2;

	for (size_t i = 0; i < n; i++)
	{
		unsigned int v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			abort();
		out[i] = (uint8_t) v;
	}
	return n;
}

static void
h(const char *hex, uint8_t out[32])
{
	if (strlen(hex) != 64 || unhex(hex, out) != 32)
		abort();
}

static int
ceil_log2(uint64_t n)
{
	int			r = 0;

	while (r < 64 && (UINT64_C(1) << r) < n)
		r++;
	return r;
}

static int
popcount64(uint64_t x)
{
	int			c = 0;

	for (; x; x &= x - 1)
		c++;
	return c;
}

/* ---------------------------------------------------------------------- */
/* In-memory store of complete subtrees (up to 64 leaves)                   */
/* ---------------------------------------------------------------------- */

#define MAXLEAVES 64
#define MAXLEVEL 6				/* 2^6 = 64 */

typedef struct
{
	hash_t		node[MAXLEVEL + 1][MAXLEAVES];
	bool		have[MAXLEVEL + 1][MAXLEAVES];
	uint64_t	limit;			/* refuse nodes reaching past this many leaves */
	unsigned long fetches;
	unsigned long refused;		/* fetches past limit (must stay 0) */
	/* last emit sequence, for the emit-order test */
	int			emitted;
	int			emit_level[MERKLE_MAX_APPEND];
	uint64_t	emit_index[MERKLE_MAX_APPEND];
} memstore;

static bool
mem_fetch(void *ctx, int level, uint64_t index, uint8_t out[32])
{
	memstore   *s = ctx;

	s->fetches++;
	if (level < 0 || level > MAXLEVEL || index >= (uint64_t) (MAXLEAVES >> level))
		return false;
	if (index + 1 > (s->limit >> level))
	{
		s->refused++;
		return false;
	}
	if (!s->have[level][index])
		return false;
	memcpy(out, s->node[level][index], 32);
	return true;
}

static void
mem_emit(void *ctx, int level, uint64_t index, const uint8_t hash[32])
{
	memstore   *s = ctx;

	if (s->emitted < MERKLE_MAX_APPEND)
	{
		s->emit_level[s->emitted] = level;
		s->emit_index[s->emitted] = index;
	}
	s->emitted++;
	if (level < 0 || level > MAXLEVEL || index >= (uint64_t) (MAXLEAVES >> level))
	{
		fprintf(stderr, "emit out of range (%d, %llu)\n", level,
				(unsigned long long) index);
		abort();
	}
	memcpy(s->node[level][index], hash, 32);
	s->have[level][index] = true;
}

/* Fill store s with leaf hashes lh[0..n) through merkle_append. */
static bool
mem_fill(memstore *s, const hash_t *lh, int n)
{
	char		err[200];

	memset(s, 0, sizeof(*s));
	for (int i = 0; i < n; i++)
	{
		s->limit = (uint64_t) i;	/* the appended leaf may only see the old tree */
		s->emitted = 0;
		if (!merkle_append(mem_fetch, s, mem_emit, s, (uint64_t) i, lh[i],
						   err, sizeof(err)))
		{
			diag("append %d failed: %s", i, err);
			return false;
		}
	}
	s->limit = (uint64_t) n;
	return true;
}

/* ---------------------------------------------------------------------- */
/* Naive reference: the RFC recursive definitions over all leaf hashes      */
/* ---------------------------------------------------------------------- */

static uint64_t
naive_k(uint64_t n)
{
	uint64_t	k = 1;

	while (k * 2 < n)
		k *= 2;
	return k;
}

static void
naive_node(const uint8_t *l, const uint8_t *r, uint8_t *out)
{
	uint8_t		buf[65];

	buf[0] = 1;
	memcpy(buf + 1, l, 32);
	memcpy(buf + 33, r, 32);
	SHA256(buf, 65, out);
}

/* MTH(lh[b:e]) */
static void
naive_mth(const hash_t *lh, uint64_t b, uint64_t e, uint8_t *out)
{
	uint64_t	k;
	hash_t		l,
				r;

	if (e - b == 1)
	{
		memcpy(out, lh[b], 32);
		return;
	}
	k = naive_k(e - b);
	naive_mth(lh, b, b + k, l);
	naive_mth(lh, b + k, e, r);
	naive_node(l, r, out);
}

static void
naive_root(const hash_t *lh, uint64_t n, uint8_t *out)
{
	if (n == 0)
		SHA256((const uint8_t *) "", 0, out);
	else
		naive_mth(lh, 0, n, out);
}

/*
 * A proof from the naive code: hashes (if lh != NULL) and a shape string, one
 * letter per element: 'L' sibling on the left, 'R' on the right, 'F' the
 * first (old) subtree of a consistency proof.
 */
typedef struct
{
	hash_t		hash[MERKLE_MAX_PROOF];
	char		shape[MERKLE_MAX_PROOF + 1];
	int			n;
} nproof;

static void
np_add(nproof *p, const hash_t *lh, uint64_t b, uint64_t e, char what)
{
	if (lh != NULL)
		naive_mth(lh, b, e, p->hash[p->n]);
	p->shape[p->n++] = what;
	p->shape[p->n] = '\0';
}

/* PATH(m, D[b:e]), m absolute */
static void
naive_path(const hash_t *lh, uint64_t m, uint64_t b, uint64_t e, nproof *p)
{
	uint64_t	k;

	if (e - b <= 1)
		return;
	k = naive_k(e - b);
	if (m - b < k)
	{
		naive_path(lh, m, b, b + k, p);
		np_add(p, lh, b + k, e, 'R');
	}
	else
	{
		naive_path(lh, m, b + k, e, p);
		np_add(p, lh, b, b + k, 'L');
	}
}

/* SUBPROOF(m, D[b:e], flag), m relative to b */
static void
naive_subproof(const hash_t *lh, uint64_t m, uint64_t b, uint64_t e, bool flag,
			   nproof *p)
{
	uint64_t	k;

	if (m == e - b)
	{
		if (!flag)
			np_add(p, lh, b, e, 'F');
		return;
	}
	k = naive_k(e - b);
	if (m <= k)
	{
		naive_subproof(lh, m, b, b + k, flag, p);
		np_add(p, lh, b + k, e, 'R');
	}
	else
	{
		naive_subproof(lh, m - k, b + k, e, false, p);
		np_add(p, lh, b, b + k, 'L');
	}
}

/* Shape of a valid inclusion proof, or "-" if (index, size) is invalid. */
static void
incl_shape(uint64_t index, uint64_t size, char *out)
{
	nproof		p;

	if (index >= size)
	{
		strcpy(out, "-");
		return;
	}
	p.n = 0;
	p.shape[0] = '\0';
	naive_path(NULL, index, 0, size, &p);
	strcpy(out, p.shape);
}

static void
cons_shape(uint64_t m, uint64_t n, char *out)
{
	nproof		p;

	if (m == 0 || m > n)
	{
		strcpy(out, "-");
		return;
	}
	p.n = 0;
	p.shape[0] = '\0';
	naive_subproof(NULL, m, 0, n, true, &p);
	strcpy(out, p.shape);
}

/* ---------------------------------------------------------------------- */
/* Reference vectors (RFC 6962 test data, as used by CT / transparency-dev) */
/* ---------------------------------------------------------------------- */

static const char *const leaf_inputs[8] = {
	"", "00", "10", "2021", "3031", "40414243",
	"5051525354555657", "606162636465666768696a6b6c6d6e6f"
};

/* complete subtree hashes, by level */
static const char *const level0[8] = {
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	"0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
	"07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
	"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	"4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
	"b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
	"46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
};
static const char *const level1[4] = {
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	"ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
};
static const char *const level2[2] = {
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
};
static const char *const level3[1] = {
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

/* roots for sizes 0..8 */
static const char *const roots[9] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

/* known inclusion proofs (leaf index is 0-based here) */
static const struct
{
	uint64_t	index,
				size;
	int			n;
	const char *proof[3];
}			incl_vectors[] = {
	{0, 1, 0, {NULL}},
	{0, 8, 3, {
			"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
			"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	"6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
	{5, 8, 3, {
			"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
			"ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
	{2, 3, 1, {
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"}},
	{1, 5, 3, {
			"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
			"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
};

/* known consistency proofs */
static const struct
{
	uint64_t	old_size,
				new_size;
	int			n;
	const char *proof[3];
}			cons_vectors[] = {
	{1, 1, 0, {NULL}},
	{1, 8, 3, {
			"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
			"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	"6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4"}},
	{6, 8, 3, {
			"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
			"ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
	{2, 5, 2, {
			"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b"}},
	{6, 7, 3, {
			"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
			"b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7"}},
};

/* ---------------------------------------------------------------------- */
/* Negative checks shared by the vector and brute-force tests               */
/* ---------------------------------------------------------------------- */

typedef struct
{
	unsigned long probes;		/* corrupted inputs tried */
	unsigned long wrong;		/* verifier answer differed from expectation */
	unsigned long ambiguous;	/* size changes that are genuinely valid */
	char		first_wrong[160];
} negstats;

static void
neg_expect(negstats *st, bool accepted, bool should_accept, const char *what)
{
	st->probes++;
	if (accepted != should_accept)
	{
		if (st->wrong++ == 0)
			snprintf(st->first_wrong, sizeof(st->first_wrong), "%s", what);
	}
	else if (accepted)
		st->ambiguous++;
}

/*
 * Try every corruption of a valid inclusion proof for (index, size).
 * flip_all_bytes: flip every bit of every byte (else every bit of one byte
 * per element).  other_leaf: a different leaf hash (NULL if none).
 *
 * Changing index or size keeps the same proof valid exactly when the
 * changed pair has the same proof shape (same length and same left/right
 * sequence): then the verifier computes the very same hash expression and
 * the root does not commit to the size.  Example: (0, 3) and (0, 4) both
 * have shape "RR".  Such cases must be accepted and are counted as
 * "ambiguous"; every other change must be rejected.
 */
static void
neg_inclusion(negstats *st, uint64_t index, uint64_t size, const uint8_t *leaf,
			  const uint8_t *other_leaf, const uint8_t *proof, size_t n,
			  const uint8_t *root, bool flip_all_bytes)
{
	uint8_t		buf[(MERKLE_MAX_PROOF + 2) * 32];
	hash_t		bad;
	char		base_shape[MERKLE_MAX_PROOF + 2];
	char		shape[MERKLE_MAX_PROOF + 2];
	static const uint8_t zeros[32] = {0};

	/* sanity: the proof itself verifies */
	neg_expect(st, merkle_verify_inclusion(index, size, leaf, proof, n, root, NULL, 0),
			   true, "original proof");
	st->ambiguous--;

	/* modified bits */
	for (size_t j = 0; j < n; j++)
	{
		for (size_t byte = 0; byte < 32; byte++)
		{
			if (!flip_all_bytes && byte != (j * 7 + 3) % 32)
				continue;
			for (int bit = 0; bit < 8; bit++)
			{
				memcpy(buf, proof, n * 32);
				buf[j * 32 + byte] ^= (uint8_t) (1 << bit);
				neg_expect(st, merkle_verify_inclusion(index, size, leaf, buf, n, root,
													   NULL, 0),
						   false, "flipped proof bit");
			}
		}
	}
	/* wrong leaf */
	memcpy(bad, leaf, 32);
	bad[31] ^= 1;
	neg_expect(st, merkle_verify_inclusion(index, size, bad, proof, n, root, NULL, 0),
			   false, "flipped leaf bit");
	if (other_leaf != NULL)
		neg_expect(st, merkle_verify_inclusion(index, size, other_leaf, proof, n, root,
											   NULL, 0),
				   false, "other leaf");
	/* wrong root */
	memcpy(bad, root, 32);
	bad[0] ^= 0x80;
	neg_expect(st, merkle_verify_inclusion(index, size, leaf, proof, n, bad, NULL, 0),
			   false, "flipped root bit");
	/* the leaf or a proof element as root */
	if (n > 0)
		neg_expect(st, merkle_verify_inclusion(index, size, leaf, proof, n, proof,
											   NULL, 0),
				   false, "proof[0] as root");

	/* wrong index / size: accept exactly when the shape is unchanged */
	incl_shape(index, size, base_shape);
	{
		uint64_t	cand[][2] = {
			{index - 1, size}, {index + 1, size}, {index ^ 2, size},
			{index, size - 1}, {index, size + 1}, {index, size * 2},
			{index, size / 2}, {index + 1, size + 1},
		};

		for (size_t c = 0; c < sizeof(cand) / sizeof(cand[0]); c++)
		{
			uint64_t	ci = cand[c][0],
						cs = cand[c][1];

			if (ci == index && cs == size)
				continue;
			incl_shape(ci, cs, shape);
			/*
			 * Within one tree size the path shape identifies the leaf, so a
			 * wrong index is always rejected; across sizes, accept exactly
			 * the identical shapes (e.g. (1, 2) and (2, 3): both "L").
			 */
			neg_expect(st, merkle_verify_inclusion(ci, cs, leaf, proof, n, root, NULL, 0),
					   cs != size && strcmp(shape, base_shape) == 0 &&
					   strcmp(shape, "-") != 0,
					   c < 3 ? "wrong index" : "wrong size");
		}
	}

	/* extra element appended */
	memcpy(buf, proof, n * 32);
	memcpy(buf + n * 32, zeros, 32);
	neg_expect(st, merkle_verify_inclusion(index, size, leaf, buf, n + 1, root, NULL, 0),
			   false, "zero element appended");
	memcpy(buf + n * 32, root, 32);
	neg_expect(st, merkle_verify_inclusion(index, size, leaf, buf, n + 1, root, NULL, 0),
			   false, "root appended");
	/* garbage before the proof */
	memcpy(buf, zeros, 32);
	memcpy(buf + 32, proof, n * 32);
	neg_expect(st, merkle_verify_inclusion(index, size, leaf, buf, n + 1, root, NULL, 0),
			   false, "zero element prepended");
	memcpy(buf, root, 32);
	neg_expect(st, merkle_verify_inclusion(index, size, leaf, buf, n + 1, root, NULL, 0),
			   false, "root prepended");
	memcpy(buf, leaf, 32);
	neg_expect(st, merkle_verify_inclusion(index, size, leaf, buf, n + 1, root, NULL, 0),
			   false, "leaf prepended");
	/* element missing */
	if (n > 0)
	{
		neg_expect(st, merkle_verify_inclusion(index, size, leaf, proof, n - 1, root,
											   NULL, 0),
				   false, "last element missing");
		neg_expect(st, merkle_verify_inclusion(index, size, leaf, proof + 32, n - 1, root,
											   NULL, 0),
				   false, "first element missing");
	}
	/* an element replaced by the leaf hash itself */
	if (n > 1)
	{
		memcpy(buf, proof, n * 32);
		memcpy(buf + 32, leaf, 32);
		neg_expect(st, merkle_verify_inclusion(index, size, leaf, buf, n, root, NULL, 0),
				   false, "element replaced");
	}
}

/*
 * Every corruption of a valid consistency proof for (m, nn).  The same
 * shape rule applies to changed sizes (e.g. (1, 3) and (1, 4) share shape
 * "RR" and the hash expressions are then identical).
 */
static void
neg_consistency(negstats *st, uint64_t m, uint64_t nn, const uint8_t *r1,
				const uint8_t *r2, const uint8_t *proof, size_t n,
				bool flip_all_bytes)
{
	uint8_t		buf[(MERKLE_MAX_PROOF + 2) * 32];
	hash_t		bad;
	char		base_shape[MERKLE_MAX_PROOF + 2];
	char		shape[MERKLE_MAX_PROOF + 2];
	static const uint8_t zeros[32] = {0};

	neg_expect(st, merkle_verify_consistency(m, nn, r1, r2, proof, n, NULL, 0),
			   true, "original proof");
	st->ambiguous--;

	for (size_t j = 0; j < n; j++)
	{
		for (size_t byte = 0; byte < 32; byte++)
		{
			if (!flip_all_bytes && byte != (j * 11 + 5) % 32)
				continue;
			for (int bit = 0; bit < 8; bit++)
			{
				memcpy(buf, proof, n * 32);
				buf[j * 32 + byte] ^= (uint8_t) (1 << bit);
				neg_expect(st, merkle_verify_consistency(m, nn, r1, r2, buf, n, NULL, 0),
						   false, "flipped proof bit");
			}
		}
	}
	/* wrong roots */
	memcpy(bad, r1, 32);
	bad[5] ^= 4;
	neg_expect(st, merkle_verify_consistency(m, nn, bad, r2, proof, n, NULL, 0),
			   false, "wrong old root");
	memcpy(bad, r2, 32);
	bad[7] ^= 2;
	neg_expect(st, merkle_verify_consistency(m, nn, r1, bad, proof, n, NULL, 0),
			   false, "wrong new root");
	if (memcmp(r1, r2, 32) != 0)
	{
		neg_expect(st, merkle_verify_consistency(m, nn, r2, r1, proof, n, NULL, 0),
				   false, "swapped roots");
		neg_expect(st, merkle_verify_consistency(m, nn, r2, r2, proof, n, NULL, 0),
				   false, "new root as old root");
		neg_expect(st, merkle_verify_consistency(m, nn, r1, r1, proof, n, NULL, 0),
				   false, "old root as new root");
	}
	if (n > 0)
		neg_expect(st, merkle_verify_consistency(m, nn, r1, r2, proof, 0, NULL, 0),
				   false, "empty proof");

	/* wrong sizes: accept exactly when the shape is unchanged */
	cons_shape(m, nn, base_shape);
	{
		uint64_t	cand[][2] = {
			{m - 1, nn}, {m + 1, nn}, {m ^ 2, nn},
			{m, nn - 1}, {m, nn + 1}, {m, nn * 2}, {m, nn / 2},
			{m + 1, nn + 1}, {m - 1, nn - 1},
		};

		for (size_t c = 0; c < sizeof(cand) / sizeof(cand[0]); c++)
		{
			uint64_t	cm = cand[c][0],
						cn = cand[c][1];

			if (cm == m && cn == nn)
				continue;
			cons_shape(cm, cn, shape);
			neg_expect(st, merkle_verify_consistency(cm, cn, r1, r2, proof, n, NULL, 0),
					   strcmp(shape, base_shape) == 0 && strcmp(shape, "-") != 0,
					   "wrong size");
		}
	}

	/* extra element appended */
	memcpy(buf, proof, n * 32);
	memcpy(buf + n * 32, zeros, 32);
	neg_expect(st, merkle_verify_consistency(m, nn, r1, r2, buf, n + 1, NULL, 0),
			   false, "zero element appended");
	memcpy(buf + n * 32, r1, 32);
	neg_expect(st, merkle_verify_consistency(m, nn, r1, r2, buf, n + 1, NULL, 0),
			   false, "old root appended");
	memcpy(buf + n * 32, r2, 32);
	neg_expect(st, merkle_verify_consistency(m, nn, r1, r2, buf, n + 1, NULL, 0),
			   false, "new root appended");
	/* garbage before the proof */
	memcpy(buf + 32, proof, n * 32);
	memcpy(buf, zeros, 32);
	neg_expect(st, merkle_verify_consistency(m, nn, r1, r2, buf, n + 1, NULL, 0),
			   false, "zero element prepended");
	memcpy(buf, r1, 32);
	neg_expect(st, merkle_verify_consistency(m, nn, r1, r2, buf, n + 1, NULL, 0),
			   false, "old root prepended");
	memcpy(buf, r2, 32);
	neg_expect(st, merkle_verify_consistency(m, nn, r1, r2, buf, n + 1, NULL, 0),
			   false, "new root prepended");
	if (n > 0)
	{
		memcpy(buf, proof, 32);
		neg_expect(st, merkle_verify_consistency(m, nn, r1, r2, buf, n + 1, NULL, 0),
				   false, "proof[0] duplicated in front");
		neg_expect(st, merkle_verify_consistency(m, nn, r1, r2, proof, n - 1, NULL, 0),
				   false, "last element missing");
		neg_expect(st, merkle_verify_consistency(m, nn, r1, r2, proof + 32, n - 1, NULL, 0),
				   false, "first element missing");
	}
}

static void
report_neg(const negstats *st, const char *what)
{
	ok(st->wrong == 0, "%s: %lu corrupted inputs, %lu answered wrongly "
	   "(%lu genuinely ambiguous size changes accepted)%s%s",
	   what, st->probes, st->wrong, st->ambiguous,
	   st->wrong ? "; first wrong: " : "", st->wrong ? st->first_wrong : "");
}

/* ---------------------------------------------------------------------- */
/* Tests                                                                    */
/* ---------------------------------------------------------------------- */

static hash_t vec_leaf[8];
static memstore vec_store;

static void
test_hash_primitives(void)
{
	hash_t		got,
				want;
	uint8_t		big[1000];
	uint8_t		bigp[1001];
	bool		all = true;

	ok(merkle_empty_root(got) && (h(roots[0], want), memcmp(got, want, 32) == 0),
	   "empty tree hash is SHA-256 of the empty string");

	for (int i = 0; i < 8; i++)
	{
		uint8_t		data[16];
		size_t		len = unhex(leaf_inputs[i], data);

		h(level0[i], want);
		if (!merkle_leaf_hash(data, len, vec_leaf[i]) ||
			memcmp(vec_leaf[i], want, 32) != 0)
			all = false;
	}
	ok(all, "leaf hashes of the 8 RFC 6962 test inputs");

	h(level0[0], got);
	h(level0[1], want);
	{
		hash_t		node,
					expect;

		h(level1[0], expect);
		ok(merkle_node_hash(got, want, node) && memcmp(node, expect, 32) == 0,
		   "node hash of leaves 0 and 1");
	}

	/* a long leaf (streaming path) equals SHA-256(0x00 || data) */
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t) (i * 31 + 7);
	bigp[0] = 0;
	memcpy(bigp + 1, big, sizeof(big));
	SHA256(bigp, sizeof(bigp), want);
	ok(merkle_leaf_hash(big, sizeof(big), got) && memcmp(got, want, 32) == 0,
	   "leaf hash of 1000 bytes (streaming path)");
	/* boundary of the stack path */
	SHA256(bigp, 257, want);
	ok(merkle_leaf_hash(big, 256, got) && memcmp(got, want, 32) == 0,
	   "leaf hash of 256 bytes");
	SHA256(bigp, 258, want);
	ok(merkle_leaf_hash(big, 257, got) && memcmp(got, want, 32) == 0,
	   "leaf hash of 257 bytes");
}

static void
test_vectors_store_and_roots(void)
{
	const char *const *levels[4] = {level0, level1, level2, level3};
	hash_t		want,
				got;
	char		err[200];

	ok(mem_fill(&vec_store, (const hash_t *) vec_leaf, 8), "append the 8 reference leaves");
	for (int l = 0; l <= 3; l++)
	{
		bool		all = true;

		for (int i = 0; i < (8 >> l); i++)
		{
			h(levels[l][i], want);
			if (!vec_store.have[l][i] || memcmp(vec_store.node[l][i], want, 32) != 0)
				all = false;
		}
		for (int i = (8 >> l); i < (MAXLEAVES >> l); i++)
			if (vec_store.have[l][i])
				all = false;
		ok(all, "stored complete subtrees at level %d match the reference", l);
	}
	for (uint64_t size = 0; size <= 8; size++)
	{
		vec_store.limit = size;
		h(roots[size], want);
		ok(merkle_root(mem_fetch, &vec_store, size, got, err, sizeof(err)) &&
		   memcmp(got, want, 32) == 0 && vec_store.refused == 0,
		   "root of size %d matches the reference", (int) size);
	}
	vec_store.limit = 8;

	/* emit order: appending leaf 7 emits (0,7), (1,3), (2,1), (3,0) */
	{
		memstore	s;
		bool		good;

		mem_fill(&s, (const hash_t *) vec_leaf, 7);
		s.limit = 7;
		s.emitted = 0;
		good = merkle_append(mem_fetch, &s, mem_emit, &s, 7, vec_leaf[7], err, sizeof(err));
		good = good && s.emitted == 4;
		for (int j = 0; good && j < 4; j++)
			good = s.emit_level[j] == j && s.emit_index[j] == (uint64_t) (7 >> j);
		ok(good, "append of leaf 7 emits (0,7) (1,3) (2,1) (3,0) in order");
		s.emitted = 0;
		s.limit = 8;
		good = merkle_append(mem_fetch, &s, mem_emit, &s, 8, vec_leaf[0], err, sizeof(err)) &&
			s.emitted == 1 && s.emit_level[0] == 0 && s.emit_index[0] == 8;
		ok(good, "append of leaf 8 emits only (0,8)");
	}
}

static void
test_vector_inclusion(void)
{
	for (size_t v = 0; v < sizeof(incl_vectors) / sizeof(incl_vectors[0]); v++)
	{
		uint64_t	index = incl_vectors[v].index;
		uint64_t	size = incl_vectors[v].size;
		uint8_t		want[3 * 32];
		uint8_t		got[MERKLE_MAX_PROOF * 32];
		size_t		n = 99;
		char		err[200] = "";
		hash_t		root;
		negstats	st;

		for (int j = 0; j < incl_vectors[v].n; j++)
			h(incl_vectors[v].proof[j], want + j * 32);
		h(roots[size], root);
		vec_store.limit = size;
		ok(merkle_inclusion_proof(mem_fetch, &vec_store, index, size, got,
								  MERKLE_MAX_PROOF, &n, err, sizeof(err)) &&
		   n == (size_t) incl_vectors[v].n &&
		   memcmp(got, want, n * 32) == 0 && vec_store.refused == 0,
		   "inclusion proof (index %d, size %d) matches the reference %s",
		   (int) index, (int) size, err);
		ok(merkle_verify_inclusion(index, size, vec_leaf[index], want,
								   (size_t) incl_vectors[v].n, root, err, sizeof(err)),
		   "reference inclusion proof (index %d, size %d) verifies %s",
		   (int) index, (int) size, err);
		memset(&st, 0, sizeof(st));
		neg_inclusion(&st, index, size, vec_leaf[index],
					  size > 1 ? vec_leaf[(index + 1) % size] : NULL,
					  want, (size_t) incl_vectors[v].n, root, true);
		{
			char		what[80];

			snprintf(what, sizeof(what), "corrupted inclusion proofs (index %d, size %d)",
					 (int) index, (int) size);
			report_neg(&st, what);
		}
	}
	vec_store.limit = 8;
}

static void
test_vector_consistency(void)
{
	for (size_t v = 0; v < sizeof(cons_vectors) / sizeof(cons_vectors[0]); v++)
	{
		uint64_t	m = cons_vectors[v].old_size;
		uint64_t	nn = cons_vectors[v].new_size;
		uint8_t		want[3 * 32];
		uint8_t		got[MERKLE_MAX_PROOF * 32];
		size_t		n = 99;
		char		err[200] = "";
		hash_t		r1,
					r2;
		negstats	st;
		char		what[80];

		for (int j = 0; j < cons_vectors[v].n; j++)
			h(cons_vectors[v].proof[j], want + j * 32);
		h(roots[m], r1);
		h(roots[nn], r2);
		vec_store.limit = nn;
		ok(merkle_consistency_proof(mem_fetch, &vec_store, m, nn, got, MERKLE_MAX_PROOF,
									&n, err, sizeof(err)) &&
		   n == (size_t) cons_vectors[v].n &&
		   memcmp(got, want, n * 32) == 0 && vec_store.refused == 0,
		   "consistency proof (%d, %d) matches the reference %s", (int) m, (int) nn, err);
		ok(merkle_verify_consistency(m, nn, r1, r2, want, (size_t) cons_vectors[v].n,
									 err, sizeof(err)),
		   "reference consistency proof (%d, %d) verifies %s", (int) m, (int) nn, err);
		memset(&st, 0, sizeof(st));
		neg_consistency(&st, m, nn, r1, r2, want, (size_t) cons_vectors[v].n, true);
		snprintf(what, sizeof(what), "corrupted consistency proofs (%d, %d)",
				 (int) m, (int) nn);
		report_neg(&st, what);
	}
	vec_store.limit = 8;
}

/* leaves for the brute-force tests: leaf i = SHA-256(0x00 || 32-byte "entry hash") */
static hash_t bf_leaf[MAXLEAVES];
static memstore bf_store;

static void
test_brute_force(void)
{
	char		err[200];
	negstats	inc_st,
				con_st;

	for (int i = 0; i < MAXLEAVES; i++)
	{
		uint8_t		entry[32];

		for (int j = 0; j < 32; j++)
			entry[j] = (uint8_t) (i * 37 + j * 101 + 13);
		merkle_leaf_hash(entry, 32, bf_leaf[i]);
	}
	ok(mem_fill(&bf_store, (const hash_t *) bf_leaf, MAXLEAVES),
	   "append 64 leaves to the in-memory store");

	/* every range [b, e) within 64 leaves */
	{
		bool		all = true;
		unsigned long count = 0;

		bf_store.limit = MAXLEAVES;
		for (uint64_t b = 0; b < MAXLEAVES; b++)
			for (uint64_t e = b + 1; e <= MAXLEAVES; e++)
			{
				hash_t		got,
							want;

				naive_mth((const hash_t *) bf_leaf, b, e, want);
				if (!merkle_range_hash(mem_fetch, &bf_store, b, e, got, err, sizeof(err)) ||
					memcmp(got, want, 32) != 0)
				{
					if (all)
						diag("range [%d, %d) wrong: %s", (int) b, (int) e, err);
					all = false;
				}
				count++;
			}
		ok(all, "merkle_range_hash equals the naive MTH for all %lu ranges of 64 leaves",
		   count);
	}

	memset(&inc_st, 0, sizeof(inc_st));
	memset(&con_st, 0, sizeof(con_st));
	for (uint64_t size = 1; size <= MAXLEAVES; size++)
	{
		hash_t		root;
		bool		root_ok,
					incl_ok = true,
					cons_ok = true;
		unsigned long refused_before = bf_store.refused;

		naive_root((const hash_t *) bf_leaf, size, root);
		{
			hash_t		got;

			bf_store.limit = size;
			root_ok = merkle_root(mem_fetch, &bf_store, size, got, err, sizeof(err)) &&
				memcmp(got, root, 32) == 0;
		}

		for (uint64_t index = 0; index < size; index++)
		{
			uint8_t		proof[MERKLE_MAX_PROOF * 32];
			size_t		n = 0;
			nproof		ref;

			ref.n = 0;
			naive_path((const hash_t *) bf_leaf, index, 0, size, &ref);
			bf_store.limit = size;
			if (!merkle_inclusion_proof(mem_fetch, &bf_store, index, size, proof,
										MERKLE_MAX_PROOF, &n, err, sizeof(err)) ||
				n != (size_t) ref.n || memcmp(proof, ref.hash, n * 32) != 0 ||
				merkle_inclusion_proof_len(index, size) != ref.n ||
				!merkle_verify_inclusion(index, size, bf_leaf[index], proof, n, root,
										 err, sizeof(err)))
			{
				if (incl_ok)
					diag("inclusion (%d, %d) wrong: %s", (int) index, (int) size, err);
				incl_ok = false;
				continue;
			}
			neg_inclusion(&inc_st, index, size, bf_leaf[index],
						  bf_leaf[(index + 1) % MAXLEAVES], proof, n, root, false);
		}

		for (uint64_t m = 1; m <= size; m++)
		{
			uint8_t		proof[MERKLE_MAX_PROOF * 32];
			size_t		n = 0;
			nproof		ref;
			hash_t		r1;

			naive_root((const hash_t *) bf_leaf, m, r1);
			ref.n = 0;
			naive_subproof((const hash_t *) bf_leaf, m, 0, size, true, &ref);
			bf_store.limit = size;
			if (!merkle_consistency_proof(mem_fetch, &bf_store, m, size, proof,
										  MERKLE_MAX_PROOF, &n, err, sizeof(err)) ||
				n != (size_t) ref.n || memcmp(proof, ref.hash, n * 32) != 0 ||
				merkle_consistency_proof_len(m, size) != ref.n ||
				!merkle_verify_consistency(m, size, r1, root, proof, n, err, sizeof(err)))
			{
				if (cons_ok)
					diag("consistency (%d, %d) wrong: %s", (int) m, (int) size, err);
				cons_ok = false;
				continue;
			}
			neg_consistency(&con_st, m, size, r1, root, proof, n, false);
		}

		ok(root_ok && incl_ok && cons_ok && bf_store.refused == refused_before,
		   "size %2d: root, %d inclusion and %d consistency proofs equal the naive "
		   "RFC definitions and verify; no node past the tree read",
		   (int) size, (int) size, (int) size);
	}
	report_neg(&inc_st, "brute force: corrupted inclusion proofs, sizes 1..64");
	report_neg(&con_st, "brute force: corrupted consistency proofs, sizes 1..64");
}

static void
test_errors(void)
{
	char		err[200];
	uint8_t		proof[MERKLE_MAX_PROOF * 32];
	size_t		n = 7;
	hash_t		out,
				root;
	memstore	s;

	bf_store.limit = MAXLEAVES;
	ok(!merkle_inclusion_proof(mem_fetch, &bf_store, 5, 5, proof, MERKLE_MAX_PROOF, &n,
							   err, sizeof(err)) && strstr(err, "not less than") && n == 0,
	   "inclusion proof: index == size rejected (%s)", err);
	ok(!merkle_inclusion_proof(mem_fetch, &bf_store, 0, 0, proof, MERKLE_MAX_PROOF, &n,
							   err, sizeof(err)) && strstr(err, "at least 1"),
	   "inclusion proof: size 0 rejected (%s)", err);
	ok(!merkle_inclusion_proof(mem_fetch, &bf_store, 0, 64, proof, 5, &n,
							   err, sizeof(err)) && strstr(err, "too small"),
	   "inclusion proof: short output buffer rejected (%s)", err);
	ok(merkle_inclusion_proof(mem_fetch, &bf_store, 0, 64, proof, 6, &n,
							  err, sizeof(err)) && n == 6,
	   "inclusion proof: exact output buffer accepted");
	ok(!merkle_consistency_proof(mem_fetch, &bf_store, 0, 5, proof, MERKLE_MAX_PROOF, &n,
								 err, sizeof(err)) && strstr(err, "at least 1"),
	   "consistency proof: old size 0 rejected (%s)", err);
	ok(!merkle_consistency_proof(mem_fetch, &bf_store, 6, 5, proof, MERKLE_MAX_PROOF, &n,
								 err, sizeof(err)) && strstr(err, "greater than"),
	   "consistency proof: old size > new size rejected (%s)", err);
	ok(merkle_consistency_proof(mem_fetch, &bf_store, 5, 5, proof, 0, &n, err, sizeof(err)) &&
	   n == 0, "consistency proof: old size == new size gives an empty proof");
	ok(!merkle_consistency_proof(mem_fetch, &bf_store, 3, 64, proof, 2, &n,
								 err, sizeof(err)) && strstr(err, "too small"),
	   "consistency proof: short output buffer rejected (%s)", err);
	ok(!merkle_range_hash(mem_fetch, &bf_store, 4, 4, out, err, sizeof(err)) &&
	   strstr(err, "empty"), "range hash: empty range rejected (%s)", err);
	ok(merkle_inclusion_proof_len(3, 3) == -1 && merkle_consistency_proof_len(0, 3) == -1 &&
	   merkle_consistency_proof_len(4, 3) == -1 && merkle_consistency_proof_len(3, 3) == 0 &&
	   merkle_inclusion_proof_len(0, 1) == 0 && merkle_inclusion_proof_len(0, UINT64_MAX) == 64,
	   "proof length helpers");

	/* missing nodes */
	memset(&s, 0, sizeof(s));
	memcpy(&s, &bf_store, sizeof(s));
	s.have[2][1] = false;		/* leaves 4..7 */
	s.limit = 64;
	ok(!merkle_inclusion_proof(mem_fetch, &s, 0, 8, proof, MERKLE_MAX_PROOF, &n,
							   err, sizeof(err)) &&
	   strcmp(err, "missing merkle node (level 2, index 1)") == 0,
	   "inclusion proof: missing node reported (%s)", err);
	s.have[1][2] = false;		/* leaves 4..5 */
	ok(merkle_root(mem_fetch, &s, 5, out, err, sizeof(err)) &&
	   !merkle_root(mem_fetch, &s, 7, out, err, sizeof(err)) &&
	   strcmp(err, "missing merkle node (level 1, index 2)") == 0,
	   "root: missing node reported for size 7, size 5 does not need it (%s)", err);
	ok(!merkle_consistency_proof(mem_fetch, &s, 2, 8, proof, MERKLE_MAX_PROOF, &n,
								 err, sizeof(err)) && strstr(err, "missing"),
	   "consistency proof: missing node reported (%s)", err);
	s.emitted = 0;
	s.have[0][6] = false;
	ok(!merkle_append(mem_fetch, &s, mem_emit, &s, 7, bf_leaf[7], err, sizeof(err)) &&
	   s.emitted == 0 && strstr(err, "level 0, index 6"),
	   "append: missing sibling reported, nothing emitted (%s)", err);
	ok(!merkle_append(mem_fetch, &s, mem_emit, &s, UINT64_MAX, bf_leaf[0], err, sizeof(err)) &&
	   s.emitted == 0, "append: index 2^64-1 rejected (%s)", err);
	ok(merkle_append(NULL, NULL, mem_emit, &s, 0, bf_leaf[0], err, sizeof(err)) &&
	   s.emitted == 1, "append: leaf 0 needs no fetch callback");

	/* verifier argument errors */
	naive_root((const hash_t *) bf_leaf, 1, root);
	ok(!merkle_verify_inclusion(0, 0, bf_leaf[0], NULL, 0, root, err, sizeof(err)),
	   "verify inclusion: size 0 rejected (%s)", err);
	ok(merkle_verify_inclusion(0, 1, bf_leaf[0], NULL, 0, root, err, sizeof(err)),
	   "verify inclusion: size 1, empty proof, root == leaf hash");
	ok(!merkle_verify_inclusion(1, 1, bf_leaf[0], NULL, 0, root, err, sizeof(err)),
	   "verify inclusion: index 1 of size 1 rejected (%s)", err);
	ok(!merkle_verify_consistency(0, 1, root, root, NULL, 0, err, sizeof(err)) &&
	   strstr(err, "at least 1"), "verify consistency: old size 0 rejected (%s)", err);
	ok(!merkle_verify_consistency(0, 0, root, root, NULL, 0, err, sizeof(err)),
	   "verify consistency: sizes 0, 0 rejected (%s)", err);
	ok(!merkle_verify_consistency(2, 1, root, root, NULL, 0, err, sizeof(err)) &&
	   strstr(err, "greater"), "verify consistency: old > new rejected (%s)", err);
	ok(merkle_verify_consistency(3, 3, root, root, NULL, 0, err, sizeof(err)),
	   "verify consistency: equal sizes, equal roots, empty proof");
	memcpy(out, root, 32);
	out[0] ^= 1;
	ok(!merkle_verify_consistency(3, 3, root, out, NULL, 0, err, sizeof(err)),
	   "verify consistency: equal sizes, different roots rejected (%s)", err);
	ok(!merkle_verify_consistency(3, 3, root, root, root, 1, err, sizeof(err)),
	   "verify consistency: equal sizes with a non-empty proof rejected (%s)", err);
	ok(!merkle_verify_consistency(1, 2, root, root, NULL, 0, err, sizeof(err)),
	   "verify consistency: empty proof for (1, 2) rejected (%s)", err);
	ok(merkle_verify_inclusion(0, 1, bf_leaf[0], NULL, 0, root, NULL, 0) &&
	   !merkle_verify_inclusion(0, 1, bf_leaf[1], NULL, 0, root, NULL, 0) &&
	   !merkle_inclusion_proof(mem_fetch, &bf_store, 9, 9, proof, MERKLE_MAX_PROOF, &n,
							   NULL, 0),
	   "a NULL error buffer is allowed");
}

/* ---------------------------------------------------------------------- */
/* Fetch counting on a huge tree                                            */
/* ---------------------------------------------------------------------- */

/*
 * A consistent store without memory: every leaf has the same data, so every
 * complete subtree at level L has the same hash u[L].  Proofs built from it
 * verify against its roots, which lets us count fetches for any size.
 */
typedef struct
{
	hash_t		u[64];
	uint64_t	limit;
	unsigned long fetches;
	unsigned long refused;
} uniform_store;

static bool
uni_fetch(void *ctx, int level, uint64_t index, uint8_t out[32])
{
	uniform_store *s = ctx;

	s->fetches++;
	if (level < 0 || level > 63 || index + 1 > (s->limit >> level))
	{
		s->refused++;
		return false;
	}
	memcpy(out, s->u[level], 32);
	return true;
}

static void
count_for_size(uniform_store *s, uint64_t size, unsigned long *max_incl,
			   unsigned long *max_cons, unsigned long *root_fetches,
			   unsigned long *incl_first, unsigned long *incl_last, bool *all_ok)
{
	char		err[200];
	hash_t		root,
				r1;
	uint8_t		proof[MERKLE_MAX_PROOF * 32];
	size_t		n;
	uint64_t	samples[2100];
	int			ns = 0;

	s->limit = size;
	s->fetches = 0;
	if (!merkle_root(uni_fetch, s, size, root, err, sizeof(err)))
		*all_ok = false;
	*root_fetches = s->fetches;

	/* sample: the ends, powers of two around, and a stride through the tree */
	samples[ns++] = 0;
	samples[ns++] = 1;
	samples[ns++] = size - 1;
	samples[ns++] = size - 2;
	samples[ns++] = size / 2;
	for (int b = 1; b < 64 && (UINT64_C(1) << b) < size; b++)
	{
		samples[ns++] = (UINT64_C(1) << b) - 1;
		samples[ns++] = UINT64_C(1) << b;
	}
	for (uint64_t step = size / 1999 + 1, x = 3; x < size && ns < 2100; x += step)
		samples[ns++] = x;

	*max_incl = 0;
	*max_cons = 0;
	for (int i = 0; i < ns; i++)
	{
		uint64_t	idx = samples[i];

		if (idx >= size)
			continue;
		s->fetches = 0;
		if (!merkle_inclusion_proof(uni_fetch, s, idx, size, proof, MERKLE_MAX_PROOF, &n,
									err, sizeof(err)) ||
			!merkle_verify_inclusion(idx, size, s->u[0], proof, n, root, err, sizeof(err)))
		{
			diag("inclusion (%llu, %llu): %s", (unsigned long long) idx,
				 (unsigned long long) size, err);
			*all_ok = false;
		}
		if (s->fetches > *max_incl)
			*max_incl = s->fetches;
		if (idx == 0)
			*incl_first = s->fetches;
		if (idx == size - 1)
			*incl_last = s->fetches;

		/* consistency from old size idx + 1 */
		s->limit = idx + 1;
		if (!merkle_root(uni_fetch, s, idx + 1, r1, err, sizeof(err)))
			*all_ok = false;
		s->limit = size;
		s->fetches = 0;
		if (!merkle_consistency_proof(uni_fetch, s, idx + 1, size, proof, MERKLE_MAX_PROOF,
									  &n, err, sizeof(err)) ||
			!merkle_verify_consistency(idx + 1, size, r1, root, proof, n, err, sizeof(err)))
		{
			diag("consistency (%llu, %llu): %s", (unsigned long long) (idx + 1),
				 (unsigned long long) size, err);
			*all_ok = false;
		}
		if (s->fetches > *max_cons)
			*max_cons = s->fetches;
	}
}

static void
test_fetch_counts(void)
{
	uniform_store s;
	uint8_t		entry[32];
	unsigned long max_incl,
				max_cons,
				root_f,
				first = 0,
				last = 0;
	bool		all_ok = true;
	uint64_t	size;
	unsigned long bound;

	memset(&s, 0, sizeof(s));
	memset(entry, 0xab, sizeof(entry));
	merkle_leaf_hash(entry, 32, s.u[0]);
	for (int l = 1; l < 64; l++)
		merkle_node_hash(s.u[l - 1], s.u[l - 1], s.u[l]);

	size = 1000000;
	count_for_size(&s, size, &max_incl, &max_cons, &root_f, &first, &last, &all_ok);
	bound = (unsigned long) (ceil_log2(size) + popcount64(size));
	diag("size 1000000: root %lu fetches; inclusion max %lu (index 0: %lu, last: %lu); "
		 "consistency max %lu; bound ceil(log2 n) + popcount(n) = %lu",
		 root_f, max_incl, first, last, max_cons, bound);
	ok(all_ok && s.refused == 0, "size 1000000: sampled proofs verify against the root");
	ok(root_f == (unsigned long) popcount64(size), "size 1000000: root takes %lu fetches "
	   "(= popcount)", root_f);
	ok(max_incl <= bound && max_incl <= 2 * 64,
	   "size 1000000: inclusion proofs take at most %lu fetches (<= %lu, <= 128)",
	   max_incl, bound);
	ok(max_cons <= bound && max_cons <= 2 * 64,
	   "size 1000000: consistency proofs take at most %lu fetches (<= %lu, <= 128)",
	   max_cons, bound);

	size = (UINT64_C(1) << 62) + 12345;
	all_ok = true;
	count_for_size(&s, size, &max_incl, &max_cons, &root_f, &first, &last, &all_ok);
	bound = (unsigned long) (ceil_log2(size) + popcount64(size));
	diag("size 2^62+12345: root %lu fetches; inclusion max %lu; consistency max %lu; "
		 "bound %lu", root_f, max_incl, max_cons, bound);
	ok(all_ok && s.refused == 0 && max_incl <= 2 * 64 && max_cons <= 2 * 64 &&
	   max_incl <= bound && max_cons <= bound,
	   "size 2^62+12345: proofs verify, inclusion max %lu / consistency max %lu fetches",
	   max_incl, max_cons);

	size = UINT64_MAX;
	all_ok = true;
	count_for_size(&s, size, &max_incl, &max_cons, &root_f, &first, &last, &all_ok);
	diag("size 2^64-1: root %lu fetches; inclusion max %lu; consistency max %lu",
		 root_f, max_incl, max_cons);
	ok(all_ok && s.refused == 0 && max_incl <= 2 * 64 && max_cons <= 2 * 64,
	   "size 2^64-1: proofs verify, inclusion max %lu / consistency max %lu fetches",
	   max_incl, max_cons);
}

int
main(void)
{
	test_hash_primitives();
	test_vectors_store_and_roots();
	test_vector_inclusion();
	test_vector_consistency();
	test_brute_force();
	test_errors();
	test_fetch_counts();
	return done_testing();
}
