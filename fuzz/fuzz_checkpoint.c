/*
 * fuzz_checkpoint.c: libFuzzer target for src/checkpoint_core.c: the
 * signed notes, verifier keys and cosignatures that integrity-verify and
 * witness_check() read from anyone (issue 16).
 *
 *   make -f fuzz/fuzz.mk fuzz FUZZ_TARGETS=checkpoint
 *
 * Per input:
 *   1. The input as a note: checkpoint_verify under a fixed log key,
 *      note_body_len and cosignatures_check with two fixed witnesses must
 *      not crash; whatever cosignatures_check counts must be lines of the
 *      given witnesses that verify.
 *   2. The input as a vkey: vkey_parse must not crash, and what it accepts
 *      must format back to a vkey that parses to the same key.
 *   3. A real checkpoint (size and root from the input) cosigned by both
 *      witnesses at a timestamp from the input, with the input's bytes as a
 *      third signature line: both cosignatures must count (an unknown or
 *      malformed third line is ignored or rejects the note, never counted),
 *      and flipping one byte of the note (position from the input) must
 *      never leave both counted unless the byte was outside what they sign.
 * Any mismatch calls abort().
 */
#include "checkpoint.h"
#include "crypto.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static signing_key *log_key,
		   *w1_key,
		   *w2_key;
static note_vkey witnesses[2];

static void
setup(void)
{
	uint8_t		seed[32];
	char		err[256];
	char		vkey[VKEY_MAX_LEN];
	int			i;

	if (log_key)
		return;
	for (i = 0; i < 32; i++)
		seed[i] = (uint8_t) i;
	log_key = signing_key_load(seed, 32, err, sizeof(err));
	seed[0] = 0xA1;
	w1_key = signing_key_load(seed, 32, err, sizeof(err));
	seed[0] = 0xB2;
	w2_key = signing_key_load(seed, 32, err, sizeof(err));
	if (!log_key || !w1_key || !w2_key)
		abort();
	vkey_format("integrity/140400/witness", NOTE_TYPE_COSIGNATURE, signing_key_public(w1_key),
				vkey, sizeof(vkey), err, sizeof(err));
	if (!vkey_parse(vkey, strlen(vkey), &witnesses[0], err, sizeof(err)))
		abort();
	vkey_format("integrity/140000/witness", NOTE_TYPE_COSIGNATURE, signing_key_public(w2_key),
				vkey, sizeof(vkey), err, sizeof(err));
	if (!vkey_parse(vkey, strlen(vkey), &witnesses[1], err, sizeof(err)))
		abort();
}

static void
as_note(const uint8_t *data, size_t size)
{
	char		err[256];
	uint64_t	tree_size;
	uint8_t		root[32];
	size_t		body_len;
	bool		valid[2];
	int			count,
				future = 0;

	(void) checkpoint_verify(signing_key_public(log_key), "140421", (const char *) data, size,
							 &tree_size, root, err, sizeof(err));
	(void) note_body_len((const char *) data, size, &body_len, err, sizeof(err));
	if (cosignatures_check((const char *) data, size, witnesses, 2, UINT64_MAX, valid, &count,
						   &future, err, sizeof(err)) && count > 0)
		abort();				/* nobody can forge the fixed witnesses' signatures */
}

static void
as_vkey(const uint8_t *data, size_t size)
{
	char		err[256];
	char		again[VKEY_MAX_LEN];
	note_vkey	vk,
				vk2;

	if (!vkey_parse((const char *) data, size, &vk, err, sizeof(err)))
		return;
	if (vkey_format(vk.name, vk.type, vk.pub, again, sizeof(again), err, sizeof(err)) == 0 ||
		!vkey_parse(again, strlen(again), &vk2, err, sizeof(err)) ||
		strcmp(vk.name, vk2.name) != 0 || vk.type != vk2.type ||
		memcmp(vk.pub, vk2.pub, 32) != 0 || memcmp(vk.key_id, vk2.key_id, 4) != 0)
		abort();
}

static void
cosigned(const uint8_t *data, size_t size)
{
	char		err[256];
	uint8_t		root[32];
	char		note[CHECKPOINT_MAX_LEN(6)];
	char		l1[COSIGNATURE_LINE_MAX(40)],
				l2[COSIGNATURE_LINE_MAX(40)];
	char	   *full;
	size_t		len,
				body_len,
				n,
				i,
				extra = size > 300 ? 300 : size;
	uint64_t	t = 0,
				tree = 0;
	bool		valid[2];
	int			count;

	memset(root, 0, sizeof(root));
	for (i = 0; i < 8 && i < size; i++)
		t = (t << 8) | data[i];
	t &= COSIGNATURE_TIME_MAX;
	for (i = 8; i < 16 && i < size; i++)
		tree = (tree << 8) | data[i];
	memcpy(root, data, size < 32 ? size : 32);
	if (!checkpoint_format(log_key, "140421", tree, root, note, sizeof(note), &len, err, sizeof(err)) ||
		!note_body_len(note, len, &body_len, err, sizeof(err)) ||
		!cosignature_line(w1_key, "integrity/140400/witness", t, note, body_len, l1, sizeof(l1), &n,
						  err, sizeof(err)) ||
		!cosignature_line(w2_key, "integrity/140000/witness", t, note, body_len, l2, sizeof(l2), &n,
						  err, sizeof(err)))
		abort();
	full = malloc(len + sizeof(l1) + sizeof(l2) + extra + 8);
	if (full == NULL)
		return;
	n = (size_t) sprintf(full, "%s%s\n%s\n", note, l1, l2);
	if (!cosignatures_check(full, n, witnesses, 2, t, valid, &count, NULL, err, sizeof(err)) ||
		count != 2)
		abort();
	/* a byte of the signed part changed: never both counted */
	if (size > 16)
	{
		size_t		pos = ((size_t) data[16] << 8 | (size > 17 ? data[17] : 0)) % body_len;

		full[pos] ^= (uint8_t) (size > 18 && data[18] ? data[18] : 1);
		if (cosignatures_check(full, n, witnesses, 2, t, valid, &count, NULL, err, sizeof(err)) &&
			count == 2)
			abort();
		full[pos] ^= (uint8_t) (size > 18 && data[18] ? data[18] : 1);
	}
	/* a third line from the input: ignored, or the note rejected; never more than 2 */
	memcpy(full + n, "\xE2\x80\x94 ", 4);
	memcpy(full + n + 4, data, extra);
	full[n + 4 + extra] = '\n';
	if (cosignatures_check(full, n + 5 + extra, witnesses, 2, t, valid, &count, NULL, err, sizeof(err)) &&
		count > 2)
		abort();
	free(full);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setup();
	as_note(data, size);
	as_vkey(data, size);
	cosigned(data, size);
	return 0;
}
