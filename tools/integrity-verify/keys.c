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

/* an argument that is a vkey "<name>+<8 hex>+<base64>" itself, not a file name */
static bool
looks_like_vkey(const char *arg)
{
	const char *p1 = strchr(arg, '+');

	return p1 != NULL && strlen(p1) > 10 && p1[9] == '+';
}

/* a vkey given as the argument or as the contents of a file named by it */
static void
parse_vkey_arg(const char *opt, const char *arg, note_vkey *out)
{
	char		err[256];

	if (looks_like_vkey(arg))
	{
		if (!vkey_parse(arg, strlen(arg), out, err, sizeof(err)))
			usage_error("invalid %s \"%s\": %s", opt, arg, err);
	}
	else
	{
		size_t		len;
		char	   *data = read_small_file(arg, KEY_FILE_MAX, &len, "vkey file");

		if (!vkey_parse(data, len, out, err, sizeof(err)))
			usage_error("invalid %s file \"%s\": %s", opt, arg, err);
		free(data);
	}
}

void
add_witness(verify_state *st, const char *arg)
{
	note_vkey  *w;
	int			i;

	if (st->nwitnesses >= MAX_WITNESSES)
		usage_error("too many --witness options (at most %d)", MAX_WITNESSES);
	w = &st->witnesses[st->nwitnesses];
	parse_vkey_arg("--witness", arg, w);
	if (w->type != NOTE_TYPE_COSIGNATURE)
		usage_error("--witness \"%s\" is not a cosigner key (vkey type 0x04)", arg);
	for (i = 0; i < st->nwitnesses; i++)
		if (strcmp(st->witnesses[i].name, w->name) == 0 &&
			memcmp(st->witnesses[i].pub, w->pub, ED25519_PUBLIC_KEY_LEN) == 0)
			return;				/* the same witness twice */
	st->nwitnesses++;
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
	if (looks_like_vkey(arg))
	{
		note_vkey	vk;

		parse_vkey_arg("--key", arg, &vk);
		if (vk.type != NOTE_TYPE_ED25519)
			usage_error("--key \"%s\" is not a log key (vkey type 0x01)", arg);
		if (strncmp(vk.name, CHECKPOINT_NAME_PREFIX, strlen(CHECKPOINT_NAME_PREFIX)) != 0)
			usage_error("--key \"%s\" does not name an integrity log (integrity/<origin>)", arg);
		memcpy(k->pub, vk.pub, ED25519_PUBLIC_KEY_LEN);
	}
	else if (looks_like_hex_key(arg))
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
