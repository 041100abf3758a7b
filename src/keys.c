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

static char *signing_key_file = NULL;

/* The loaded key, and what it was loaded from. */
static signing_key *loaded_key = NULL;
static char *loaded_path = NULL;
static struct stat loaded_stat;
static LocalTransactionId loaded_lxid = InvalidLocalTransactionId;	/* when it was checked */

void
integrity_signing_init(void)
{
	DefineCustomStringVariable("integrity.signing_key_file",
							   "Ed25519 private key that signs the disclosure log.",
							   "PEM (openssl genpkey -algorithm ed25519) or a raw 32-byte seed; "
							   "owned by the server user with mode 0600, or by root with 0640.",
							   &signing_key_file,
							   "",
							   PGC_SIGHUP,
							   GUC_SUPERUSER_ONLY,
							   NULL, NULL, NULL);
	MarkGUCPrefixReserved("integrity");
}

static void
forget_key(void)
{
	if (loaded_key)
		signing_key_free(loaded_key);
	loaded_key = NULL;
	if (loaded_path)
		pfree(loaded_path);
	loaded_path = NULL;
}

/*
 * A signing-key file that cannot be used.  integrity.signing_key_file is
 * GUC_SUPERUSER_ONLY: its path, and what is wrong with the file, are told to
 * superusers and members of pg_read_all_settings only (the role that called
 * in, not the owner of a SECURITY DEFINER function); everyone else gets a
 * generic error, and the server log gets the whole message.
 */
static void
key_file_unusable(int sqlerrcode, const char *msg, const char *detail, const char *hint)
{
	Oid			caller = GetOuterUserId();

	if (superuser_arg(caller) || has_privs_of_role(caller, ROLE_PG_READ_ALL_SETTINGS))
		ereport(ERROR,
				(errcode(sqlerrcode),
				 errmsg_internal("%s", msg),
				 detail ? errdetail_internal("%s", detail) : 0,
				 hint ? errhint("%s", hint) : 0));
	ereport(LOG,
			(errmsg_internal("%s", msg),
			 detail ? errdetail_internal("%s", detail) : 0));
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("signing key is not usable"),
			 errdetail("The server log says why."),
			 errhint("Ask the database administrator to check integrity.signing_key_file.")));
}

/*
 * The signing key, loaded on first use and again whenever the setting or
 * the file changed (a reload that changed integrity.signing_key_file, or a
 * key file replaced in place).  Errors leave no key loaded.
 */
signing_key *
current_key(void)
{
	struct stat st;
	char		err[ERRBUF];
	int			fd;
	char	   *buf;
	ssize_t		n;
	signing_key *key;

	if (signing_key_file == NULL || signing_key_file[0] == '\0')
	{
		forget_key();
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("no signing key is configured"),
				 errdetail("Disclosures must be signed (SPEC 6) and integrity.signing_key_file is empty."),
				 errhint("Create a key with \"openssl genpkey -algorithm ed25519 -out FILE\", make it owned by the server user with mode 0600, set integrity.signing_key_file = 'FILE' in postgresql.conf and reload.")));
	}
	/*
	 * The file is looked at once per transaction: a key replaced in place
	 * is taken from the next transaction on (a changed setting at once).
	 */
	if (loaded_key && loaded_path && loaded_lxid == MyProc->lxid &&
		strcmp(loaded_path, signing_key_file) == 0)
		return loaded_key;
	if (stat(signing_key_file, &st) != 0)
	{
		char	   *msg = psprintf("could not access signing key file \"%s\": %m", signing_key_file);

		forget_key();
		key_file_unusable(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE, msg, NULL,
						  "Check integrity.signing_key_file.");
	}
	if (loaded_key && loaded_path && strcmp(loaded_path, signing_key_file) == 0 &&
		st.st_ino == loaded_stat.st_ino && st.st_dev == loaded_stat.st_dev &&
		st.st_mtime == loaded_stat.st_mtime && st.st_size == loaded_stat.st_size &&
		st.st_mode == loaded_stat.st_mode && st.st_uid == loaded_stat.st_uid)
	{
		loaded_lxid = MyProc->lxid;
		return loaded_key;
	}

	forget_key();
	if (!S_ISREG(st.st_mode))
		key_file_unusable(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						  psprintf("signing key file \"%s\" is not a regular file", signing_key_file),
						  NULL, NULL);
	if (!key_file_permissions_ok(st.st_uid, st.st_mode, geteuid(), err, sizeof(err)))
		key_file_unusable(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						  psprintf("signing key file \"%s\" has wrong ownership or permissions", signing_key_file),
						  err,
						  "The file must be owned by the database user with mode 0600, or owned by root with mode 0640.");
	if (st.st_size > 64 * 1024)
		key_file_unusable(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						  psprintf("signing key file \"%s\" is too large", signing_key_file), NULL, NULL);

	fd = OpenTransientFile(signing_key_file, O_RDONLY | PG_BINARY);
	if (fd < 0)
		key_file_unusable(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						  psprintf("could not open signing key file \"%s\": %m", signing_key_file),
						  NULL, NULL);
	buf = palloc0(st.st_size + 1);
	n = read(fd, buf, st.st_size);
	CloseTransientFile(fd);
	if (n != st.st_size)
	{
		explicit_bzero(buf, st.st_size + 1);
		key_file_unusable(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						  psprintf("could not read signing key file \"%s\"", signing_key_file),
						  NULL, NULL);
	}
	key = signing_key_load(buf, (size_t) n, err, sizeof(err));
	explicit_bzero(buf, st.st_size + 1);
	pfree(buf);
	if (key == NULL)
		key_file_unusable(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE,
						  psprintf("could not load signing key file \"%s\"", signing_key_file), err,
						  "Use a PEM key from \"openssl genpkey -algorithm ed25519\" or a raw 32-byte seed.");
	loaded_key = key;
	loaded_path = MemoryContextStrdup(TopMemoryContext, signing_key_file);
	loaded_stat = st;
	loaded_lxid = MyProc->lxid;
	return loaded_key;
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

