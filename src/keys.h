/*
 * keys.h: the keys of the disclosure log (SPEC 6): the signing key read
 * from integrity.signing_key_file (with the ownership rules of the
 * server's TLS key; it never reaches SQL), its public half registered in
 * integrity.signing_key, and the verifiers of an origin's public keys by
 * key_id.  Glue only (keys.c); the primitives are crypto.h's.
 */
#ifndef INTEGRITY_KEYS_H
#define INTEGRITY_KEYS_H

#include "postgres.h"

#include "crypto.h"

/* define the integrity.signing_key_file and witness_key_file settings (_PG_init) */
extern void integrity_signing_init(void);

/*
 * The signing key, loaded on first use and again whenever the setting or
 * the file changed (the file is looked at once per transaction).  ERROR
 * 55000 when none is configured or the file is not acceptable.
 */
extern signing_key *current_key(void);

/*
 * This level's witness key (integrity.witness_key_file), loaded like the
 * signing key.  ERROR 55000 when none is configured, the file is not
 * acceptable, or it holds the signing key.
 */
extern signing_key *current_witness_key(void);

/*
 * Make sure integrity.signing_key holds the public key of key for origin
 * (caller connected to SPI); once per transaction and key.
 */
extern void register_key(const char *origin, signing_key *key);

/* verifiers of the keys of one origin, by key_id (grows with rotations) */
typedef struct key_cache
{
	int			n;
	int			cap;
	char		(*key_id)[KEY_ID_LEN + 1];
	verifier  **v;
} key_cache;

/*
 * The verifier of key_id for origin (read from integrity.signing_key, the
 * key_id checked against the key it names; caller connected to SPI), or
 * NULL if the key is unknown or not valid.
 */
extern verifier *key_cache_get(key_cache *kc, const char *origin, const char *key_id);
extern void key_cache_free(key_cache *kc);

#endif							/* INTEGRITY_KEYS_H */
