/*
 * checkpoint.c: the checkpoint notes of integrity-verify: the signature
 * under one of the --key keys and the --witness cosignatures with their
 * --quorum (src/checkpoint_core.c, C2SP signed-note, tlog-checkpoint,
 * tlog-cosignature), and the root hash of --checkpoint against the Merkle
 * root of the log's first tree-size entries.
 */
#include "verify.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "checkpoint.h"

/* the --witness cosignatures of a verified note: at least --quorum valid ones */
static void
check_cosignatures(verify_state *st, const char *what, const char *text, size_t len)
{
	bool		valid[MAX_WITNESSES];
	char		err[REASON_LEN];
	int			quorum = st->quorum >= 0 ? st->quorum : st->nwitnesses;

	st->cosigned = 0;
	st->future = 0;
	if (st->nwitnesses == 0 && quorum == 0)
		return;
	if (!cosignatures_check(text, len, st->witnesses, st->nwitnesses, (uint64_t) time(NULL),
							valid, &st->cosigned, &st->future, err, sizeof(err)))
		bad("bad %s: %s", what, err);
	if (st->cosigned < quorum)
	{
		char		missing[REASON_LEN] = "";
		size_t		n = 0;
		int			i;

		for (i = 0; i < st->nwitnesses && n < sizeof(missing) - 1; i++)
			if (!valid[i])
				n += (size_t) snprintf(missing + n, sizeof(missing) - n, "%s%s",
									   n ? ", " : "", st->witnesses[i].name);
		bad("bad %s: %d valid cosignature%s of the %d needed (--quorum)%s%s%s%s", what,
			st->cosigned, st->cosigned == 1 ? "" : "s", quorum,
			n ? "; none from " : "", missing,
			st->future ? "; not counted: a timestamp in the future" : "",
			"");
	}
}

void
verify_checkpoint_text(verify_state *st, const char *what, const char *text, size_t len,
					   const char *origin, uint64_t *size, uint8_t root[SHA256_LEN])
{
	uint8_t		pubs[MAX_KEYS][ED25519_PUBLIC_KEY_LEN];
	char		err[REASON_LEN] = "";
	int			i;

	if (!checkpoint_origin_ok(origin, err, sizeof(err)))
		bad("bad %s: origin \"%s\" cannot name a checkpoint key: %s", what, origin, err);
	for (i = 0; i < st->nkeys; i++)
		memcpy(pubs[i], st->keys[i].pub, ED25519_PUBLIC_KEY_LEN);
	if (!checkpoint_verify_any((const uint8_t (*)[ED25519_PUBLIC_KEY_LEN]) pubs, st->nkeys, origin,
							   text, len, size, root, err, sizeof(err)))
		bad("bad %s: %s", what, err);
	check_cosignatures(st, what, text, len);
}

void
check_checkpoint_note(verify_state *st)
{
	verify_checkpoint_text(st, "checkpoint", st->checkpoint_text, st->checkpoint_len,
						   st->origin, &st->cp_size, st->cp_root);
	st->checkpoint_checked = true;
}

void
compare_checkpoint_root(verify_state *st)
{
	uint8_t		root[SHA256_LEN];
	char		err[REASON_LEN];
	char		hex_log[2 * SHA256_LEN + 1],
				hex_cp[2 * SHA256_LEN + 1];

	if (!merkle_root(merkle_frontier_fetch, &st->merkle, st->cp_size, root, err, sizeof(err)))
		bad("bad checkpoint: could not compute the merkle root: %s", err);
	if (memcmp(root, st->cp_root, SHA256_LEN) != 0)
	{
		crypto_hex_encode(root, SHA256_LEN, hex_log);
		crypto_hex_encode(st->cp_root, SHA256_LEN, hex_cp);
		bad("bad checkpoint: root hash at tree size %" PRIu64
			" is %s in the checkpoint but %s in the log",
			st->cp_size, hex_cp, hex_log);
	}
}
