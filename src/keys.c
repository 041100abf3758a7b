/*
 * keys.c: the keys of the disclosure log (keys.h): the signing key file
 * and its setting, the registration of its public half, the public key
 * functions and the verifiers of an origin's keys.
 */
#include "postgres.h"

#include <sys/stat.h>
#include <unistd.h>

#include "access/xact.h"
#include "catalog/pg_authid.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "storage/proc.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "crypto.h"
#include "keys.h"
#include "pg_util.h"

#define ERRBUF 256

/*
 * A key file and what was loaded from it: the log's signing key
 * (integrity.signing_key_file) and this level's witness key
 * (integrity.witness_key_file), both read by C only (docs/SECURITY.md).
 */
typedef struct key_slot
{
	const char *what;			/* "signing key", "witness key" */
	const char *guc;			/* its setting */
	char	   *setting;		/* the setting's value (GUC-owned) */
	signing_key *key;			/* the loaded key, or NULL */
	char	   *path;			/* what it was loaded from */
	struct stat st;
	LocalTransactionId lxid;	/* when it was checked */
} key_slot;

static key_slot signing_slot = {"signing key", "integrity.signing_key_file"};
static key_slot witness_slot = {"witness key", "integrity.witness_key_file"};

void
integrity_signing_init(void)
{
	DefineCustomStringVariable("integrity.signing_key_file",
							   "Ed25519 private key that signs the disclosure log.",
							   "PEM (openssl genpkey -algorithm ed25519) or a raw 32-byte seed; "
							   "owned by the server user with mode 0600, or by root with 0640.",
							   &signing_slot.setting,
							   "",
							   PGC_SIGHUP,
							   GUC_SUPERUSER_ONLY,
							   NULL, NULL, NULL);
	DefineCustomStringVariable("integrity.witness_key_file",
							   "Ed25519 private key with which this level cosigns lower levels' checkpoints.",
							   "A key of its own (c2sp.org/tlog-cosignature: one cosigner key per cosigner name), "
							   "never the signing key; the same file rules as integrity.signing_key_file.",
							   &witness_slot.setting,
							   "",
							   PGC_SIGHUP,
							   GUC_SUPERUSER_ONLY,
							   NULL, NULL, NULL);
	MarkGUCPrefixReserved("integrity");
}

static void
forget_key(key_slot *s)
{
	if (s->key)
		signing_key_free(s->key);
	s->key = NULL;
	if (s->path)
		pfree(s->path);
	s->path = NULL;
}

/*
 * A key file that cannot be used.  The key file settings are
 * GUC_SUPERUSER_ONLY: the path, and what is wrong with the file, are told to
 * superusers and members of pg_read_all_settings only (the role that called
 * in, not the owner of a SECURITY DEFINER function); everyone else gets a
 * generic error, and the server log gets the whole message.
 */
static void
key_file_unusable(const key_slot *s, const char *msg, const char *detail, const char *hint)
{
	Oid			caller = GetOuterUserId();

	if (superuser_arg(caller) || has_privs_of_role(caller, ROLE_PG_READ_ALL_SETTINGS))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg_internal("%s", msg),
				 detail ? errdetail_internal("%s", detail) : 0,
				 hint ? errhint("%s", hint) : 0));
	ereport(LOG,
			(errmsg_internal("%s", msg),
			 detail ? errdetail_internal("%s", detail) : 0));
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("%s is not usable", s->what),
			 errdetail("The server log says why."),
			 errhint("Ask the database administrator to check %s.", s->guc)));
}

/* the file of slot s, read and parsed (errors leave no key loaded) */
static signing_key *
read_key_file(key_slot *s, const struct stat *st)
{
	const char *file = s->setting;
	char		err[ERRBUF];
	int			fd;
	char	   *buf;
	ssize_t		n;
	signing_key *key;

	if (!S_ISREG(st->st_mode))
		key_file_unusable(s, psprintf("%s file \"%s\" is not a regular file", s->what, file),
						  NULL, NULL);
	if (!key_file_permissions_ok(st->st_uid, st->st_mode, geteuid(), err, sizeof(err)))
		key_file_unusable(s, psprintf("%s file \"%s\" has wrong ownership or permissions", s->what, file),
						  err,
						  "The file must be owned by the database user with mode 0600, or owned by root with mode 0640.");
	if (st->st_size > 64 * 1024)
		key_file_unusable(s, psprintf("%s file \"%s\" is too large", s->what, file), NULL, NULL);

	fd = OpenTransientFile(file, O_RDONLY | PG_BINARY);
	if (fd < 0)
		key_file_unusable(s, psprintf("could not open %s file \"%s\": %m", s->what, file),
						  NULL, NULL);
	buf = palloc0(st->st_size + 1);
	n = read(fd, buf, st->st_size);
	CloseTransientFile(fd);
	if (n != st->st_size)
	{
		explicit_bzero(buf, st->st_size + 1);
		key_file_unusable(s, psprintf("could not read %s file \"%s\"", s->what, file),
						  NULL, NULL);
	}
	key = signing_key_load(buf, (size_t) n, err, sizeof(err));
	explicit_bzero(buf, st->st_size + 1);
	pfree(buf);
	if (key == NULL)
		key_file_unusable(s, psprintf("could not load %s file \"%s\"", s->what, file), err,
						  "Use a PEM key from \"openssl genpkey -algorithm ed25519\" or a raw 32-byte seed.");
	return key;
}

/*
 * The key of slot s, loaded on first use and again whenever the setting or
 * the file changed (a reload that changed the setting, or a key file
 * replaced in place).  NULL when the setting is empty.
 */
static signing_key *
slot_key(key_slot *s)
{
	struct stat st;

	if (s->setting == NULL || s->setting[0] == '\0')
	{
		forget_key(s);
		return NULL;
	}
	/*
	 * The file is looked at once per transaction: a key replaced in place
	 * is taken from the next transaction on (a changed setting at once).
	 */
	if (s->key && s->path && s->lxid == MyProc->lxid && strcmp(s->path, s->setting) == 0)
		return s->key;
	if (stat(s->setting, &st) != 0)
	{
		char	   *msg = psprintf("could not access %s file \"%s\": %m", s->what, s->setting);

		forget_key(s);
		key_file_unusable(s, msg, NULL, psprintf("Check %s.", s->guc));
	}
	if (s->key && s->path && strcmp(s->path, s->setting) == 0 &&
		st.st_ino == s->st.st_ino && st.st_dev == s->st.st_dev &&
		st.st_mtime == s->st.st_mtime && st.st_size == s->st.st_size &&
		st.st_mode == s->st.st_mode && st.st_uid == s->st.st_uid)
	{
		s->lxid = MyProc->lxid;
		return s->key;
	}
	forget_key(s);
	s->key = read_key_file(s, &st);
	s->path = MemoryContextStrdup(TopMemoryContext, s->setting);
	s->st = st;
	s->lxid = MyProc->lxid;
	return s->key;
}

signing_key *
current_key(void)
{
	signing_key *key = slot_key(&signing_slot);

	if (key == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("no signing key is configured"),
				 errdetail("Disclosures must be signed (SPEC 6) and integrity.signing_key_file is empty."),
				 errhint("Create a key with \"openssl genpkey -algorithm ed25519 -out FILE\", make it owned by the server user with mode 0600, set integrity.signing_key_file = 'FILE' in postgresql.conf and reload.")));
	return key;
}

signing_key *
current_witness_key(void)
{
	signing_key *key = slot_key(&witness_slot);
	signing_key *log_key;

	if (key == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("no witness key is configured"),
				 errdetail("Cosignatures are made with a key of their own and integrity.witness_key_file is empty."),
				 errhint("Create a key with \"openssl genpkey -algorithm ed25519 -out FILE\" (not the signing key), make it owned by the server user with mode 0600, set integrity.witness_key_file = 'FILE' in postgresql.conf and reload.")));
	/* c2sp.org/tlog-cosignature: a cosigner key serves one cosigner name only */
	log_key = slot_key(&signing_slot);
	if (log_key != NULL &&
		memcmp(signing_key_public(log_key), signing_key_public(key), ED25519_PUBLIC_KEY_LEN) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the witness key is the signing key"),
				 errdetail("One Ed25519 key would then sign both as the log integrity/<origin> and as its witness; a cosigner key must serve its one cosigner name only (c2sp.org/tlog-cosignature)."),
				 errhint("Create another key for integrity.witness_key_file.")));
	return key;
}

/* ------------------------------------------------------- registration */

static SPIPlanPtr key_plan = NULL;

/*
 * The (origin, key_id) this backend registered in the current
 * transaction or in a committed one: registering again is skipped.
 */
static char registered[64] = "";
static bool registered_pending = false;
static bool keys_callback = false;

static void
keys_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_ABORT || event == XACT_EVENT_PARALLEL_ABORT)
	{
		if (registered_pending)
			registered[0] = '\0';
		registered_pending = false;
	}
	else if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_PARALLEL_COMMIT ||
			 event == XACT_EVENT_PREPARE)
		registered_pending = false;
}

static void
keys_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
					   SubTransactionId parentSubid, void *arg)
{
	/* the registration may have been in the aborted subtransaction */
	if (event == SUBXACT_EVENT_ABORT_SUB && registered_pending)
		registered[0] = '\0';
}

/* make sure signing_key holds the public key of the key in use */
void
register_key(const char *origin, signing_key *key)
{
	Oid			types[3] = {TEXTOID, TEXTOID, BYTEAOID};
	Datum		vals[3];
	char		this_key[64];

	snprintf(this_key, sizeof(this_key), "%s/%s", origin, signing_key_id(key));
	if (strcmp(this_key, registered) == 0)
		return;
	if (!keys_callback)
	{
		RegisterXactCallback(keys_xact_callback, NULL);
		RegisterSubXactCallback(keys_subxact_callback, NULL);
		keys_callback = true;
	}

	integrity_keep_plan(&key_plan,
			  "SELECT integrity._register_key($1, $2, $3)", 3, types);
	vals[0] = CStringGetTextDatum(origin);
	vals[1] = CStringGetTextDatum(signing_key_id(key));
	vals[2] = PointerGetDatum(bytes_to_bytea(signing_key_public(key), ED25519_PUBLIC_KEY_LEN));
	if (SPI_execute_plan(key_plan, vals, NULL, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not register the signing key");
	strlcpy(registered, this_key, sizeof(registered));
	registered_pending = true;
}

/* ----------------------------------------------------------- public key */

/* integrity._current_public_key(): the configured key's public half. */
PG_FUNCTION_INFO_V1(current_public_key);
Datum
current_public_key(PG_FUNCTION_ARGS)
{
	signing_key *key = current_key();

	PG_RETURN_BYTEA_P(bytes_to_bytea(signing_key_public(key), ED25519_PUBLIC_KEY_LEN));
}

/* integrity._current_key_id() */
PG_FUNCTION_INFO_V1(current_key_id);
Datum
current_key_id(PG_FUNCTION_ARGS)
{
	signing_key *key = current_key();

	PG_RETURN_TEXT_P(cstring_to_text(signing_key_id(key)));
}

/* ------------------------------------------------------------ verifiers */

static SPIPlanPtr pubkey_plan = NULL;

void
key_cache_free(key_cache *kc)
{
	int			i;

	for (i = 0; i < kc->n; i++)
		verifier_free(kc->v[i]);
	kc->n = 0;
	if (kc->v)
		pfree(kc->v);
	if (kc->key_id)
		pfree(kc->key_id);
	kc->v = NULL;
	kc->key_id = NULL;
	kc->cap = 0;
}

/* the verifier of key_id for origin, or NULL if the key is unknown */
verifier *
key_cache_get(key_cache *kc, const char *origin, const char *key_id)
{
	Oid			types[2] = {TEXTOID, TEXTOID};
	Datum		vals[2];
	bool		isnull;
	uint8		pub[ED25519_PUBLIC_KEY_LEN];
	char		err[ERRBUF];
	verifier   *v;
	int			i;

	for (i = 0; i < kc->n; i++)
		if (strcmp(kc->key_id[i], key_id) == 0)
			return kc->v[i];
	if (strlen(key_id) != KEY_ID_LEN)
		return NULL;
	if (kc->n == kc->cap)
	{
		int			cap = kc->cap ? kc->cap * 2 : 4;

		kc->v = kc->v ? repalloc(kc->v, cap * sizeof(verifier *)) : palloc(cap * sizeof(verifier *));
		kc->key_id = kc->key_id ? repalloc(kc->key_id, cap * sizeof(*kc->key_id)) :
			palloc(cap * sizeof(*kc->key_id));
		kc->cap = cap;
	}
	integrity_keep_plan(&pubkey_plan,
			  "SELECT public_key FROM integrity.signing_key WHERE origin = $1 AND key_id = $2",
			  2, types);
	vals[0] = CStringGetTextDatum(origin);
	vals[1] = CStringGetTextDatum(key_id);
	if (SPI_execute_plan(pubkey_plan, vals, NULL, true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		return NULL;
	if (!bytea_exact(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull),
					 pub, ED25519_PUBLIC_KEY_LEN))
		return NULL;
	{
		/* the key_id must be the hash of the key it names */
		char		want[KEY_ID_LEN + 1];

		if (!key_id_of(pub, want) || strcmp(want, key_id) != 0)
			return NULL;
	}
	v = verifier_new(pub, err, sizeof(err));
	if (v == NULL)
		return NULL;
	strlcpy(kc->key_id[kc->n], key_id, KEY_ID_LEN + 1);
	kc->v[kc->n++] = v;
	return v;
}

/* ed25519_verify(public_key bytea, message bytea, signature bytea) */
PG_FUNCTION_INFO_V1(sql_ed25519_verify);
Datum
sql_ed25519_verify(PG_FUNCTION_ARGS)
{
	bytea	   *pub = PG_GETARG_BYTEA_PP(0);
	bytea	   *msg = PG_GETARG_BYTEA_PP(1);
	bytea	   *sig = PG_GETARG_BYTEA_PP(2);

	if (VARSIZE_ANY_EXHDR(pub) != ED25519_PUBLIC_KEY_LEN || VARSIZE_ANY_EXHDR(sig) != ED25519_SIG_LEN)
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(ed25519_verify((const uint8 *) VARDATA_ANY(pub), VARDATA_ANY(msg),
								  VARSIZE_ANY_EXHDR(msg), (const uint8 *) VARDATA_ANY(sig)));
}

