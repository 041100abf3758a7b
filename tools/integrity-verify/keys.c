/*
 * keys.c: the --key public keys of integrity-verify, by key_id.
 */
#include "verify.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

static bool
looks_like_hex_key(const char *arg)
{
	size_t		len = strlen(arg);
	size_t		i;

	if (len >= 2 && arg[0] == '\\' && arg[1] == 'x')
	{
		arg += 2;
		len -= 2;
	}
	if (len != 2 * ED25519_PUBLIC_KEY_LEN)
		return false;
	for (i = 0; i < len; i++)
		if (hex_digit_value((unsigned char) arg[i]) < 0)
			return false;
	return true;
}

void
add_key(verify_state *st, const char *arg)
{
	key_entry  *k;
	char		err[256];
	char	   *data;
	size_t		len;
	int			i;

	if (st->nkeys >= MAX_KEYS)
		usage_error("too many --key options (at most %d)", MAX_KEYS);
	k = &st->keys[st->nkeys];
	if (looks_like_hex_key(arg))
	{
		if (!public_key_parse(arg, strlen(arg), k->pub, err, sizeof(err)))
			usage_error("invalid --key \"%s\": %s", arg, err);
	}
	else
	{
		data = read_small_file(arg, KEY_FILE_MAX, &len, "key file");
		if (!public_key_parse(data, len, k->pub, err, sizeof(err)))
			usage_error("invalid key file \"%s\": %s", arg, err);
		free(data);
	}
	if (!key_id_of(k->pub, k->key_id))
		usage_error("could not hash the public key");
	for (i = 0; i < st->nkeys; i++)
		if (strcmp(st->keys[i].key_id, k->key_id) == 0)
			return;				/* the same key twice */
	k->v = verifier_new(k->pub, err, sizeof(err));
	if (k->v == NULL)
		usage_error("invalid --key \"%s\": %s", arg, err);
	st->nkeys++;
}

key_entry *
find_key(verify_state *st, const char *key_id)
{
	int			i;

	for (i = 0; i < st->nkeys; i++)
		if (strcmp(st->keys[i].key_id, key_id) == 0)
			return &st->keys[i];
	return NULL;
}
