/*
 * fuzz_merkle.c: libFuzzer target for src/merkle_core.c.
 *
 * Build and run:
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc \
 *       fuzz/fuzz_merkle.c src/merkle_core.c -lcrypto -o /tmp/fuzz_merkle
 *   /tmp/fuzz_merkle -max_total_time=20
 *
 * Per input:
 *   1. A tree of 1..300 leaves (size and leaf data taken from the input) is
 *      built with merkle_append into an in-memory store; its root must equal
 *      a naive recursive MTH over all leaf hashes.
 *   2. An inclusion proof and a consistency proof (index / old size from the
 *      input) must verify; flipping one byte (position and mask from the
 *      input) of the proof, the leaf, or a root must make them fail, and so
 *      must dropping or appending an element.
 *   3. For arbitrary 64-bit sizes from the input, proofs over a memoryless
 *      "uniform" store (all leaves equal) must verify and read only nodes
 *      inside the tree; the verifiers get arbitrary sizes and garbage proofs
 *      (only memory safety is checked there).
 * Any mismatch calls abort().
 */
#include "merkle.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/sha.h>

#define FZ_MAXLEAVES 300
#define FZ_MAXLEVEL 8

typedef struct
{
	uint8_t		node[FZ_MAXLEVEL + 1][FZ_MAXLEAVES][32];
	uint64_t	count[FZ_MAXLEVEL + 1];	/* nodes stored per level */
	uint64_t	limit;
} fz_store;

static fz_store store;
static uint8_t leaves[FZ_MAXLEAVES][32];

#define CHECK(cond) do { if (!(cond)) { \
	fprintf(stderr, "fuzz_merkle: check failed at line %d: %s\n", __LINE__, #cond); \
	abort(); } } while (0)

static bool
fz_fetch(void *ctx, int level, uint64_t index, uint8_t out[32])
{
	fz_store   *s = ctx;

	if (level < 0 || level > FZ_MAXLEVEL || index >= s->count[level])
		return false;
	/* never read a node reaching past the tree being proved */
	CHECK(index + 1 <= (s->limit >> level));
	memcpy(out, s->node[level][index], 32);
	return true;
}

static void
fz_emit(void *ctx, int level, uint64_t index, const uint8_t hash[32])
{
	fz_store   *s = ctx;

	CHECK(level >= 0 && level <= FZ_MAXLEVEL && index < FZ_MAXLEAVES);
	CHECK(index == s->count[level]);	/* nodes arrive in order */
	memcpy(s->node[level][index], hash, 32);
	s->count[level]++;
}

static void
naive_mth(uint64_t b, uint64_t e, uint8_t out[32])
{
	uint64_t	k = 1;
	uint8_t		buf[65];

	if (e - b == 1)
	{
		memcpy(out, leaves[b], 32);
		return;
	}
	while (k * 2 < e - b)
		k *= 2;
	buf[0] = 1;
	naive_mth(b, b + k, buf + 1);
	naive_mth(b + k, e, buf + 33);
	SHA256(buf, 65, out);
}

/* ---- memoryless store for huge sizes ---- */

typedef struct
{
	uint8_t		u[64][32];
	uint64_t	limit;
} uni_store;

static uni_store uni;
static bool uni_ready = false;

static bool
uni_fetch(void *ctx, int level, uint64_t index, uint8_t out[32])
{
	uni_store  *s = ctx;

	CHECK(level >= 0 && level < 64);
	CHECK(index + 1 <= (s->limit >> level));
	memcpy(out, s->u[level], 32);
	return true;
}

static uint64_t
take_u64(const uint8_t **p, size_t *len)
{
	uint64_t	v = 0;

	for (int i = 0; i < 8; i++)
	{
		v <<= 8;
		if (*len > 0)
		{
			v |= **p;
			(*p)++;
			(*len)--;
		}
	}
	return v;
}

static void
fuzz_huge(const uint8_t *data, size_t len)
{
	uint8_t		proof[(MERKLE_MAX_PROOF + 1) * 32];
	uint8_t		root[32],
				r1[32];
	size_t		n;
	char		err[160];
	uint64_t	size,
				index,
				old;

	if (!uni_ready)
	{
		uint8_t		entry[32];

		memset(entry, 0x5a, sizeof(entry));
		CHECK(merkle_leaf_hash(entry, 32, uni.u[0]));
		for (int l = 1; l < 64; l++)
			CHECK(merkle_node_hash(uni.u[l - 1], uni.u[l - 1], uni.u[l]));
		uni_ready = true;
	}

	size = take_u64(&data, &len);
	index = take_u64(&data, &len);
	old = take_u64(&data, &len);
	if (size == 0)
		size = 1;
	index %= size;
	old = old % size + 1;

	uni.limit = size;
	CHECK(merkle_root(uni_fetch, &uni, size, root, err, sizeof(err)));
	CHECK(merkle_inclusion_proof(uni_fetch, &uni, index, size, proof, MERKLE_MAX_PROOF,
								 &n, err, sizeof(err)));
	CHECK((int) n == merkle_inclusion_proof_len(index, size));
	CHECK(merkle_verify_inclusion(index, size, uni.u[0], proof, n, root, err, sizeof(err)));
	if (n > 0)
	{
		proof[(n - 1) * 32] ^= 0x40;
		CHECK(!merkle_verify_inclusion(index, size, uni.u[0], proof, n, root, NULL, 0));
	}

	uni.limit = old;
	CHECK(merkle_root(uni_fetch, &uni, old, r1, err, sizeof(err)));
	uni.limit = size;
	CHECK(merkle_consistency_proof(uni_fetch, &uni, old, size, proof, MERKLE_MAX_PROOF,
								   &n, err, sizeof(err)));
	CHECK((int) n == merkle_consistency_proof_len(old, size));
	CHECK(merkle_verify_consistency(old, size, r1, root, proof, n, err, sizeof(err)));
	if (n > 0)
	{
		proof[0] ^= 0x01;
		CHECK(!merkle_verify_consistency(old, size, r1, root, proof, n, NULL, 0));
	}

	/* verifiers on raw garbage: memory safety only */
	{
		size_t		gn = len / 32;

		if (gn > MERKLE_MAX_PROOF + 1)
			gn = MERKLE_MAX_PROOF + 1;
		(void) merkle_verify_inclusion(index ^ old, size ^ (old << 7), root, data, gn,
									   r1, err, sizeof(err));
		(void) merkle_verify_consistency(old ^ index, size, root, r1, data, gn,
										 err, 1);
		(void) merkle_inclusion_proof_len(old, index);
		(void) merkle_consistency_proof_len(index, old);
	}
}

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	char		err[160];
	uint8_t		root[32],
				naive[32],
				r1[32];
	uint8_t		proof[(MERKLE_MAX_PROOF + 1) * 32];
	uint8_t		buf[(MERKLE_MAX_PROOF + 3) * 32];
	size_t		n;
	uint64_t	size,
				index,
				old;
	size_t		flip_pos;
	uint8_t		flip_mask;

	if (len < 8)
		return 0;

	size = ((uint64_t) data[0] << 8 | data[1]) % FZ_MAXLEAVES + 1;
	index = ((uint64_t) data[2] << 8 | data[3]) % size;
	old = ((uint64_t) data[4] << 8 | data[5]) % size + 1;
	flip_pos = (size_t) data[6] << 8 | data[7];
	flip_mask = (uint8_t) (data[len - 1] | 1);	/* never zero */

	/* leaf i: SHA-256(0x00 || 32 bytes from i and the input) */
	memset(store.count, 0, sizeof(store.count));
	for (uint64_t i = 0; i < size; i++)
	{
		uint8_t		entry[32];

		memset(entry, 0, sizeof(entry));
		entry[0] = (uint8_t) (i >> 8);
		entry[1] = (uint8_t) i;
		for (size_t j = 2; j < 32; j++)
			entry[j] = data[(i * 31 + j) % len];
		CHECK(merkle_leaf_hash(entry, 32, leaves[i]));
		store.limit = i;
		CHECK(merkle_append(fz_fetch, &store, fz_emit, &store, i, leaves[i],
							err, sizeof(err)));
	}
	store.limit = size;

	/* root */
	CHECK(merkle_root(fz_fetch, &store, size, root, err, sizeof(err)));
	naive_mth(0, size, naive);
	CHECK(memcmp(root, naive, 32) == 0);

	/* inclusion proof round trip */
	CHECK(merkle_inclusion_proof(fz_fetch, &store, index, size, proof, MERKLE_MAX_PROOF,
								 &n, err, sizeof(err)));
	CHECK(merkle_verify_inclusion(index, size, leaves[index], proof, n, root,
								  err, sizeof(err)));
	/* flipped byte anywhere in proof || leaf || root */
	{
		size_t		total = (n + 2) * 32;
		size_t		pos = flip_pos % total;
		uint8_t    *p = buf;
		uint8_t    *leaf = buf + n * 32;
		uint8_t    *rt = buf + (n + 1) * 32;

		memcpy(p, proof, n * 32);
		memcpy(leaf, leaves[index], 32);
		memcpy(rt, root, 32);
		buf[pos] ^= flip_mask;
		CHECK(!merkle_verify_inclusion(index, size, leaf, p, n, rt, NULL, 0));
	}
	/* a missing or an extra element */
	if (n > 0)
		CHECK(!merkle_verify_inclusion(index, size, leaves[index], proof, n - 1, root,
									   NULL, 0));
	memset(proof + n * 32, 0, 32);
	if (len >= 32)
		memcpy(proof + n * 32, data + flip_pos % (len - 31), 32);
	CHECK(!merkle_verify_inclusion(index, size, leaves[index], proof, n + 1, root,
								   NULL, 0));
	/* wrong index in the same tree */
	if (size > 1)
		CHECK(!merkle_verify_inclusion((index + 1 + flip_pos % (size - 1)) % size, size,
									   leaves[index], proof, n, root, NULL, 0));

	/* consistency proof round trip */
	naive_mth(0, old, r1);
	CHECK(merkle_consistency_proof(fz_fetch, &store, old, size, proof, MERKLE_MAX_PROOF,
								   &n, err, sizeof(err)));
	CHECK(merkle_verify_consistency(old, size, r1, root, proof, n, err, sizeof(err)));
	{
		size_t		total = (n + 2) * 32;
		size_t		pos = flip_pos % total;
		uint8_t    *r1c = buf + n * 32;
		uint8_t    *r2c = buf + (n + 1) * 32;

		memcpy(buf, proof, n * 32);
		memcpy(r1c, r1, 32);
		memcpy(r2c, root, 32);
		buf[pos] ^= flip_mask;
		CHECK(!merkle_verify_consistency(old, size, r1c, r2c, buf, n, NULL, 0));
	}
	if (n > 0)
		CHECK(!merkle_verify_consistency(old, size, r1, root, proof, n - 1, NULL, 0));
	memset(proof + n * 32, 0, 32);
	CHECK(!merkle_verify_consistency(old, size, r1, root, proof, n + 1, NULL, 0));

	/* huge sizes and garbage for the verifiers */
	fuzz_huge(data + 8, len - 8);
	return 0;
}
