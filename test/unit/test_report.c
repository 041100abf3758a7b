/*
 * test_report.c: unit tests of src/report_core.c (TAP output): the
 * document around a signed body, the reader, and each check of a report
 * (issue 17) on a report made here: a log of four entries, two of them
 * (seq 1 and 3) about subject 7, with their inclusion proofs in the tree
 * of size 4.  The server's report is tested in test/10_report.sql and
 * test/pg/report_tools.sh.
 */
#include "report.h"
#include "json_canon.h"
#include "log.h"
#include "merkle.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static signing_key *key;
static verifier *ver;
static verifier *other_ver;
static const char *payloads[4] = {
	"{\"event\":\"publish\",\"prev_seq\":0,\"record_id\":11,\"subject_id\":7}",
	"{\"event\":\"publish\",\"prev_seq\":0,\"record_id\":12,\"subject_id\":8}",
	"{\"event\":\"repair\",\"prev_seq\":1,\"record_id\":11,\"subject_id\":7}",
	"{\"event\":\"publish\",\"prev_seq\":2,\"record_id\":13,\"subject_id\":8}",
};
static uint8_t ph[4][SHA256_LEN], prevh[4][SHA256_LEN], eh[4][SHA256_LEN], leaf[4][SHA256_LEN];
static uint8_t sig[4][ED25519_SIG_LEN];
static uint8_t root[SHA256_LEN];
static uint8_t n01[SHA256_LEN], n23[SHA256_LEN];

static void
hexs(const uint8_t *b, size_t n, char *out)
{
	crypto_hex_encode(b, n, out);
}

static void
make_log(void)
{
	size_t		i;

	memset(prevh[0], 0, SHA256_LEN);
	for (i = 0; i < 4; i++)
	{
		if (i > 0)
			memcpy(prevh[i], eh[i - 1], SHA256_LEN);
		sha256(payloads[i], strlen(payloads[i]), ph[i]);
		entry_hash(prevh[i], i + 1, ph[i], eh[i]);
		ed25519_sign(key, eh[i], SHA256_LEN, sig[i], NULL, 0);
		merkle_leaf_hash(eh[i], SHA256_LEN, leaf[i]);
	}
	merkle_node_hash(leaf[0], leaf[1], n01);
	merkle_node_hash(leaf[2], leaf[3], n23);
	merkle_node_hash(n01, n23, root);
}

/* one entry's JSON (i 0-based), its proof in the tree of 4 */
static void
entry_json(char *out, size_t i, const char *payload_override)
{
	char		a[65], b[65], c[65], s[129], p1[65], p2[65];
	char		esc[512];
	const char *pl = payload_override ? payload_override : payloads[i];
	char	   *w = esc;

	for (; *pl; pl++)
	{
		if (*pl == '"' || *pl == '\\')
			*w++ = '\\';
		*w++ = *pl;
	}
	*w = '\0';
	hexs(ph[i], 32, a);
	hexs(prevh[i], 32, b);
	hexs(eh[i], 32, c);
	hexs(sig[i], 64, s);
	hexs(leaf[i ^ 1], 32, p1);
	hexs(i < 2 ? n23 : n01, 32, p2);
	sprintf(out, "{\"seq\":%zu,\"event\":\"x\",\"payload\":\"%s\",\"payload_hash\":\"%s\",\"prev_hash\":\"%s\","
			"\"entry_hash\":\"%s\",\"key_id\":\"%s\",\"signature\":\"%s\",\"inclusion_proof\":[\"%s\",\"%s\"]}",
			i + 1, esc, a, b, c, signing_key_id(key), s, p1, p2);
}

/* a signed report document of subject 7 with the entries given (JSON texts) */
static char *
make_report(const char *entries, uint64_t subject, const char *as_of, signing_key *k)
{
	char	   *body = malloc(16384);
	char	   *canon;
	size_t		canon_len;
	char	   *msg;
	uint8_t		s[ED25519_SIG_LEN];
	char	   *doc;
	size_t		doc_len;
	char		err[256];

	snprintf(body, 16384, "{\"format\":\"integrity-credit-report/v1\",\"origin\":\"140400\",\"as_of\":\"%s\","
			 "\"subject\":{\"id\":%llu,\"name\":\"长治市人民政府\"},"
			 "\"checkpoint\":{\"text\":\"integrity/140400\\n4\\n...\\n\",\"tree_size\":4},"
			 "\"entries\":[%s]}", as_of, (unsigned long long) subject, entries);
	if (!json_canonicalize(body, strlen(body), &canon, &canon_len, err, sizeof(err)))
	{
		diag("test body: %s", err);
		exit(2);
	}
	msg = malloc(canon_len + REPORT_DOMAIN_LEN);
	report_message(canon, canon_len, msg);
	ed25519_sign(k, msg, canon_len + REPORT_DOMAIN_LEN, s, NULL, 0);
	doc = malloc(report_document_bound(canon_len) + 1);
	if (!report_document_write(canon, canon_len, signing_key_id(key), s, doc, &doc_len, err, sizeof(err)))
	{
		diag("document: %s", err);
		exit(2);
	}
	free(body);
	free(canon);
	free(msg);
	return doc;
}

/* all checks of report_core on doc; the first error, or "" */
static const char *
check_all(const char *doc)
{
	static char err[512];
	report		r;
	size_t		i;

	err[0] = '\0';
	if (!report_parse(doc, strlen(doc), &r, err, sizeof(err)))
		return err;
	if (report_check_signature(&r, ver, err, sizeof(err)))
	{
		for (i = 0; i < r.nentries; i++)
			if (!report_check_entry(&r, i, ver, 4, root, err, sizeof(err)))
				break;
		if (i == r.nentries)
			report_check_links(&r, err, sizeof(err));
	}
	report_free(&r);
	return err;
}

static bool
has(const char *s, const char *part)
{
	if (strstr(s, part) == NULL)
	{
		diag("got: %s", s);
		return false;
	}
	return true;
}

int
main(void)
{
	uint8_t		seed[32],
				seed2[32];
	signing_key *other;
	char		e1[2048], e3[2048], e3bad[2048], entries[8192];
	char	   *doc;
	char		err[256];
	report		r;
	char		out[64];
	size_t		outlen;
	uint8_t		zsig[ED25519_SIG_LEN] = {0};

	memset(seed, 7, sizeof(seed));
	memset(seed2, 8, sizeof(seed2));
	key = signing_key_load(seed, 32, err, sizeof(err));
	other = signing_key_load(seed2, 32, err, sizeof(err));
	ver = verifier_new(signing_key_public(key), err, sizeof(err));
	other_ver = verifier_new(signing_key_public(other), err, sizeof(err));
	if (!key || !other || !ver || !other_ver)
	{
		diag("keys: %s", err);
		return 2;
	}
	make_log();
	entry_json(e1, 0, NULL);
	entry_json(e3, 2, NULL);

	/* the honest report */
	snprintf(entries, sizeof(entries), "%s,%s", e1, e3);
	doc = make_report(entries, 7, "2026-12-01", key);
	ok(json_is_canonical(doc, strlen(doc)), "issue 17 the document is canonical json");
	ok(strncmp(doc, "{\"body\":{", 9) == 0 && strstr(doc, ",\"signature\":{\"algorithm\":\"Ed25519\",\"domain\":\"integrity-credit-report/v1\",\"key_id\":\""),
	   "issue 17 the document is {body, signature{algorithm, domain, key_id, value}}");
	ok(report_parse(doc, strlen(doc), &r, err, sizeof(err)) && r.nentries == 2 && r.subject_id == 7 &&
	   strcmp(r.origin, "140400") == 0 && strcmp(r.as_of, "2026-12-01") == 0 && r.tree_size == 4 &&
	   r.entries[1].linked && r.entries[1].prev_seq == 1 && r.entries[1].record_id == 11 &&
	   strcmp(r.checkpoint, "integrity/140400\n4\n...\n") == 0,
	   "issue 17 the reader gives the body's fields and each entry's back-link");
	ok(r.body_len > 0 && r.body[0] == '{' && json_is_canonical(r.body, r.body_len) &&
	   r.body + r.body_len == strstr(doc, "},\"signature\":{\"algorithm\"") + 1,
	   "issue 17 the signed bytes are the body's span in the document");
	ok(report_check_signature(&r, ver, err, sizeof(err)), "issue 17 the report signature verifies");
	ok(!report_check_signature(&r, other_ver, err, sizeof(err)) && has(err, "report signature: not a valid signature"),
	   "issue 17 not under another key");
	ok(!verifier_verify(ver, r.body, r.body_len, r.signature),
	   "issue 17 domain separation: not a signature of the body alone");
	ok(report_check_entry(&r, 0, ver, 4, root, err, sizeof(err)) && report_check_entry(&r, 1, ver, 4, root, err, sizeof(err)),
	   "issue 17 both entries: hashes, signatures, inclusion proofs");
	ok(!report_check_entry(&r, 1, ver, 3, root, err, sizeof(err)) && has(err, "entry seq=3: inclusion proof"),
	   "RFC 9162 the proof does not hold for another tree size");
	ok(!report_check_entry(&r, 0, other_ver, 4, root, err, sizeof(err)) && has(err, "entry seq=1: signature"),
	   "issue 17 an entry signature under another key fails");
	ok(report_check_links(&r, err, sizeof(err)), "issue 17 the back-links of the honest report hold");
	report_free(&r);
	ok(strcmp(check_all(doc), "") == 0, "issue 17 the honest report passes every check");
	free(doc);

	/* a changed payload (its hash no longer matches) */
	entry_json(e3bad, 2, "{\"event\":\"revoke\",\"prev_seq\":1,\"record_id\":11,\"subject_id\":7}");
	snprintf(entries, sizeof(entries), "%s,%s", e1, e3bad);
	doc = make_report(entries, 7, "2026-12-01", key);
	ok(has(check_all(doc), "entry seq=3: payload_hash is not the sha-256 of payload"), "issue 17 a changed payload is named");
	free(doc);

	/* a removed entry: the one left names prev_seq 1 */
	doc = make_report(e3, 7, "2026-12-01", key);
	ok(has(check_all(doc), "back-link: entry seq=3 names prev_seq 1 but the entry before it in the report is 0"),
	   "issue 17 a removed entry breaks the back-link");
	free(doc);

	/* entries about another subject */
	snprintf(entries, sizeof(entries), "%s,%s", e1, e3);
	doc = make_report(entries, 8, "2026-12-01", key);
	ok(has(check_all(doc), "back-link: entry seq=1 is about subject 7, not 8"), "issue 17 an entry about another subject is refused");
	free(doc);

	/* signed by another key */
	doc = make_report(entries, 7, "2026-12-01", other);
	ok(has(check_all(doc), "report signature"), "issue 17 a report signed by another key fails its signature");
	free(doc);

	/* a changed as_of after signing */
	doc = make_report(entries, 7, "2026-12-01", key);
	memcpy(strstr(doc, "2026-12-01"), "2026-11-01", 10);
	ok(has(check_all(doc), "report signature"), "issue 17 a changed as_of fails the signature");
	free(doc);

	/* entries out of order, not canonical, not json, not a report */
	snprintf(entries, sizeof(entries), "%s,%s", e3, e1);
	doc = make_report(entries, 7, "2026-12-01", key);
	ok(has(check_all(doc), "entries are not in ascending seq order at seq=1"), "issue 17 entries out of seq order are refused");
	free(doc);
	ok(has(check_all("{\"signature\":{},\"body\":{}}"), "not in canonical form"), "issue 17 a document not in canonical form");
	ok(has(check_all("{\"body\":"), "not json"), "issue 17 not json");
	ok(has(check_all("{\"a\":1}"), "not a credit report"), "issue 17 json that is not a report");
	ok(has(check_all("{\"body\":{\"format\":\"x\"},\"signature\":{\"algorithm\":\"Ed25519\",\"domain\":\"integrity-credit-report/v1\","
					 "\"key_id\":\"0123456789abcdef\",\"value\":\"" "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" "\"}}"),
		   "body.format is not"), "issue 17 another format is refused");

	/* the writer refuses what is not a canonical object, or a bad key_id */
	ok(!report_document_write("{\"b\":1,\"a\":2}", 13, signing_key_id(key), zsig, out, &outlen, err, sizeof(err)) &&
	   has(err, "not a canonical json object"), "issue 17 the writer refuses a body that is not canonical");
	ok(!report_document_write("{}", 2, "XYZ", zsig, out, &outlen, err, sizeof(err)) && has(err, "key_id"),
	   "issue 17 the writer refuses a malformed key_id");

	/* payload links */
	{
		bool		linked;
		uint64_t	s, p, rec;

		ok(report_payload_links("{\"record_id\":5}", 15, &linked, &s, &p, &rec, err, sizeof(err)) && !linked && rec == 5,
		   "issue 17 a payload of 1.1: no back-link");
		ok(!report_payload_links("{\"prev_seq\":1}", 14, &linked, &s, &p, &rec, err, sizeof(err)) && has(err, "malformed back-link"),
		   "issue 17 a prev_seq without subject_id is malformed");
		ok(!report_payload_links("{\"prev_seq\":-1,\"subject_id\":2}", 30, &linked, &s, &p, &rec, err, sizeof(err)),
		   "issue 17 a negative prev_seq is malformed");
	}

	/* entries made before 1.2 (no link) come first; the first linked one names the newest of them */
	{
		report_entry le[3];
		report		lr;

		memset(le, 0, sizeof(le));
		memset(&lr, 0, sizeof(lr));
		lr.subject_id = 7;
		lr.entries = le;
		lr.nentries = 3;
		le[0].seq = 4;
		le[1].seq = 9;
		le[2].seq = 12;
		le[2].linked = true;
		le[2].subject_id = 7;
		le[2].prev_seq = 9;
		ok(report_check_links(&lr, err, sizeof(err)), "issue 17 1.1 entries, then a linked one naming the newest of them");
		le[2].prev_seq = 4;
		ok(!report_check_links(&lr, err, sizeof(err)) && has(err, "entry seq=12 names prev_seq 4"),
		   "issue 17 a linked entry skipping a 1.1 entry is refused");
		le[2].prev_seq = 9;
		le[1].linked = true;
		le[1].subject_id = 7;
		le[1].prev_seq = 4;
		le[0].linked = false;
		le[2].linked = false;
		ok(!report_check_links(&lr, err, sizeof(err)) && has(err, "has no prev_seq but follows linked entries"),
		   "issue 17 an unlinked entry after linked ones is refused");
	}

	verifier_free(ver);
	verifier_free(other_ver);
	signing_key_free(key);
	signing_key_free(other);
	crypto_release_cache();
	return done_testing();
}
