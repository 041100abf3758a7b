/*
 * checkpoint.c: the --checkpoint note of integrity-verify: its signature
 * under one of the keys (src/checkpoint_core.c) and its root hash against
 * the Merkle root of the log's first tree-size entries.
 */
#include "verify.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "checkpoint.h"

/*
 * The one check of a checkpoint note's text (the --checkpoint file, a
 * credit report's checkpoint): its signature under one of the --key keys
 * for origin; *size and root get its tree size and root hash.  Exits
 * through bad("bad <what>: ...") when it does not verify.
 */
void
verify_checkpoint_text(verify_state *st, const char *what, const char *text, size_t len,
					   const char *origin, uint64_t *size, uint8_t root[SHA256_LEN])
{
	char		err[REASON_LEN] = "";
	char		first_err[REASON_LEN] = "";
	int			i;

	if (!checkpoint_origin_ok(origin, err, sizeof(err)))
		bad("bad %s: origin \"%s\" cannot name a checkpoint key: %s",
			what, origin, err);
	for (i = 0; i < st->nkeys; i++)
	{
		if (checkpoint_verify(st->keys[i].pub, origin, text, len, size, root,
							  err, sizeof(err)))
			return;
		/* prefer a reason from a key that signed it over "not signed by" */
		if (first_err[0] == '\0' ||
			(strstr(err, "different key") == NULL &&
			 strstr(err, "no signature by key") == NULL))
			snprintf(first_err, sizeof(first_err), "%s", err);
	}
	bad("bad %s: %s", what, first_err);
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

	if (!merkle_root(store_fetch, &st->merkle, st->cp_size, root, err, sizeof(err)))
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
