/*
 * test_checkpoint.c: unit tests of src/checkpoint_core.c, the C2SP
 * checkpoint note of an origin's log (TAP output).
 */
#include "checkpoint.h"
#include "crypto.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>

/* the seed of RFC 8032 section 7.1, TEST 1 */
static const char rfc8032_test1_seed[] =
	"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60";

static void
test_checkpoint(void)
{
	static const char other_seed_hex[] =
		"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb";
	char		err[256];
	uint8_t		seed[32],
				root[32],
				got_root[32];
	size_t		n,
				len,
				i;
	signing_key *key,
			   *other;
	char		note[CHECKPOINT_MAX_LEN(6)];
	char		copy[sizeof(note)];
	uint64_t	size = 0;
	const uint8_t *pub;
	char		expect_body[200];
	char		root_b64[64];
	char	   *sigline;
	uint8_t		kh[4];

	crypto_hex_decode(rfc8032_test1_seed, 64, seed, 32, &n, NULL, 0);
	key = signing_key_load(seed, 32, err, sizeof(err));
	crypto_hex_decode(other_seed_hex, 64, seed, 32, &n, NULL, 0);
	other = signing_key_load(seed, 32, err, sizeof(err));
	OPENSSL_cleanse(seed, sizeof(seed));
	pub = signing_key_public(key);
	for (i = 0; i < 32; i++)
		root[i] = (uint8_t) (i * 7);

	ok(checkpoint_format(key, "110000", 12345, root, note, sizeof(note), &len,
						 err, sizeof(err)) && len == strlen(note),
	   "checkpoint_format fits CHECKPOINT_MAX_LEN");
	base64_encode(root, 32, root_b64);
	snprintf(expect_body, sizeof(expect_body),
			 "integrity/110000\n12345\n%s\n\n\xE2\x80\x94 integrity/110000 ",
			 root_b64);
	ok(strncmp(note, expect_body, strlen(expect_body)) == 0 &&
	   note[len - 1] == '\n' && strchr(note + strlen(expect_body), ' ') == NULL,
	   "checkpoint text layout (body, blank line, em dash signature line)");
	sigline = note + strlen(expect_body);
	{
		uint8_t		sigbuf[68];
		size_t		siglen;
		const char *body_end = strstr(note, "\n\n");

		ok(base64_decode(sigline, strlen(sigline) - 1, sigbuf, sizeof(sigbuf),
						 &siglen, NULL, 0) && siglen == 68 &&
		   checkpoint_key_hash("110000", pub, kh) &&
		   memcmp(sigbuf, kh, 4) == 0 &&
		   ed25519_verify(pub, note, (size_t) (body_end + 1 - note),
						  sigbuf + 4),
		   "signature = key hash || ed25519(body through its last newline)");
	}
	{
		/* key hash by hand: SHA-256("integrity/110000\n\x01" || pub)[0:4] */
		uint8_t		buf[16 + 2 + 32],
					d[32];

		memcpy(buf, "integrity/110000\n\x01", 18);
		memcpy(buf + 18, pub, 32);
		sha256(buf, sizeof(buf), d);
		ok(memcmp(d, kh, 4) == 0, "key hash = sha256(name || 0x0a || 0x01 || pub)[0:4]");
	}

	ok(checkpoint_verify(pub, "110000", note, len, &size, got_root, err,
						 sizeof(err)) &&
	   size == 12345 && memcmp(got_root, root, 32) == 0,
	   "checkpoint round trip verifies, size and root returned");

	/* tamper with each byte of the body in turn */
	{
		size_t		body_len = (size_t) (strstr(note, "\n\n") + 1 - note);
		bool		all_rejected = true;

		for (i = 0; i < body_len; i++)
		{
			memcpy(copy, note, len);
			copy[i] ^= 0x01;
			if (checkpoint_verify(pub, "110000", copy, len, &size, got_root,
								  err, sizeof(err)))
				all_rejected = false;
		}
		ok(all_rejected, "every single-bit change of a body byte rejected");
		memcpy(copy, note, len);
		copy[strlen("integrity/110000\n")] = '9';	/* tree size 92345 */
		ok(!checkpoint_verify(pub, "110000", copy, len, &size, got_root,
							  err, sizeof(err)),
		   "changed tree size digit rejected");
		diag("reason: %s", err);
	}
	/* tamper with the signature */
	{
		size_t		sigpos = (size_t) (sigline - note) + 20;

		memcpy(copy, note, len);
		copy[sigpos] = (char) (copy[sigpos] == 'A' ? 'B' : 'A');
		ok(!checkpoint_verify(pub, "110000", copy, len, &size, got_root,
							  err, sizeof(err)),
		   "changed signature byte rejected");
		diag("reason: %s", err);
		memcpy(copy, note, len);
		copy[(size_t) (sigline - note) + 1] ^= 0x01;	/* key hash */
		ok(!checkpoint_verify(pub, "110000", copy, len, &size, got_root,
							  err, sizeof(err)),
		   "changed key hash rejected");
		diag("reason: %s", err);
	}
	ok(!checkpoint_verify(signing_key_public(other), "110000", note, len,
						  &size, got_root, err, sizeof(err)),
	   "checkpoint under a different public key rejected");
	diag("reason: %s", err);
	ok(!checkpoint_verify(pub, "110001", note, len, &size, got_root, err,
						  sizeof(err)),
	   "checkpoint for a different origin name rejected");
	diag("reason: %s", err);

	/* a note signed by another key with the right name */
	{
		char		forged[sizeof(note)];
		size_t		flen;

		ok(checkpoint_format(other, "110000", 12345, root, forged,
							 sizeof(forged), &flen, err, sizeof(err)) &&
		   !checkpoint_verify(pub, "110000", forged, flen, &size, got_root,
							  err, sizeof(err)),
		   "checkpoint signed by another key under the same name rejected");
		diag("reason: %s", err);
	}
	/* extra unknown signature line is ignored (witness cosignature) */
	{
		char		cosigned[sizeof(note) + 200];

		snprintf(cosigned, sizeof(cosigned),
				 "%s\xE2\x80\x94 witness.example/w1 AAAAAAAAAAAAAAAAAAAAAAAA\n",
				 note);
		ok(checkpoint_verify(pub, "110000", cosigned, strlen(cosigned), &size,
							 got_root, err, sizeof(err)),
		   "unknown extra signature line ignored");
	}
	/* structural problems */
	ok(!checkpoint_verify(pub, "110000", note, len - 1, &size, got_root, err,
						  sizeof(err)), "missing final newline rejected");
	{
		char		crlf[sizeof(note) + 8];

		memcpy(crlf, note, len);
		crlf[16] = '\r';
		ok(!checkpoint_verify(pub, "110000", crlf, len, &size, got_root, err,
							  sizeof(err)), "control character rejected");
		memcpy(crlf, note, len);
		memcpy(crlf + len, "\n", 1);
		ok(!checkpoint_verify(pub, "110000", crlf, len + 1, &size, got_root,
							  err, sizeof(err)), "trailing blank line rejected");
		diag("reason: %s", err);
	}
	ok(!checkpoint_verify(pub, "110000", "integrity/110000\n1\nAAAA\n", 24,
						  &size, got_root, err, sizeof(err)),
	   "unsigned note rejected");
	ok(!checkpoint_format(key, "bad origin", 1, root, note, sizeof(note), &len,
						  err, sizeof(err)) &&
	   !checkpoint_format(key, "a+b", 1, root, note, sizeof(note), &len,
						  err, sizeof(err)) &&
	   !checkpoint_format(key, "a\xE3\x80\x80" "b", 1, root, note,
						  sizeof(note), &len, err, sizeof(err)) &&
	   !checkpoint_format(key, "", 1, root, note, sizeof(note), &len,
						  err, sizeof(err)),
	   "origins with space, plus, ideographic space or empty refused");
	ok(checkpoint_format(key, "省/市", 0, root, note, sizeof(note), &len,
						 err, sizeof(err)) &&
	   checkpoint_verify(pub, "省/市", note, len, &size, got_root, err,
						 sizeof(err)) && size == 0,
	   "utf-8 origin and tree size 0 round trip");
	ok(!checkpoint_format(key, "110000", 1, root, note, 60, &len, err,
						  sizeof(err)), "too small output buffer refused");
	{
		char		big[CHECKPOINT_MAX_LEN(6)];

		ok(checkpoint_format(key, "110000", UINT64_MAX, root, big,
							 sizeof(big), &len, err, sizeof(err)) &&
		   checkpoint_verify(pub, "110000", big, len, &size, got_root, err,
							 sizeof(err)) && size == UINT64_MAX,
		   "largest tree size round trips within CHECKPOINT_MAX_LEN");
	}
	{
		uint8_t		pubs[2][ED25519_PUBLIC_KEY_LEN];
		char		o[CHECKPOINT_ORIGIN_BUF];

		checkpoint_format(key, "110000", 12345, root, note, sizeof(note), &len, err, sizeof(err));
		memcpy(pubs[0], signing_key_public(other), 32);
		memcpy(pubs[1], pub, 32);
		ok(checkpoint_verify_any((const uint8_t (*)[32]) pubs, 2, "110000", note, len, &size,
								 got_root, err, sizeof(err)) && size == 12345,
		   "checkpoint_verify_any: a rotated key list verifies with the key that signed");
		ok(!checkpoint_verify_any((const uint8_t (*)[32]) pubs, 1, "110000", note, len, &size,
								  got_root, err, sizeof(err)) && strstr(err, "different key") != NULL,
		   "checkpoint_verify_any with another key only: the reason names the key hash mismatch");
		ok(!checkpoint_verify_any((const uint8_t (*)[32]) pubs, 0, "110000", note, len, &size,
								  got_root, err, sizeof(err)), "checkpoint_verify_any with no key fails");
		ok(checkpoint_note_origin(note, len, o) && strcmp(o, "110000") == 0,
		   "checkpoint_note_origin reads the origin of the first line");
		ok(!checkpoint_note_origin("example.com/log\n1\n", 19, o) && !checkpoint_note_origin("integrity/", 10, o),
		   "checkpoint_note_origin refuses a first line that is not integrity/<origin>");
	}
	ok(ERR_peek_error() == 0, "openssl error queue left clean");

	signing_key_free(key);
	signing_key_free(other);
}

/* c2sp.org/signed-note verifier keys */
static void
test_vkeys(void)
{
	char		err[256];
	char		vkey[VKEY_MAX_LEN];
	char		bad[VKEY_MAX_LEN + 8];
	uint8_t		seed[32],
				want[SHA256_LEN];
	uint8_t		buf[64];
	size_t		n,
				len;
	signing_key *key;
	note_vkey	vk;
	char		hex[9];

	crypto_hex_decode(rfc8032_test1_seed, 64, seed, 32, &n, NULL, 0);
	key = signing_key_load(seed, 32, err, sizeof(err));
	len = vkey_format("integrity/140421", NOTE_TYPE_ED25519, signing_key_public(key), vkey,
					  sizeof(vkey), err, sizeof(err));
	ok(len == strlen(vkey) && strncmp(vkey, "integrity/140421+", 17) == 0 && vkey[25] == '+' &&
	   strlen(vkey + 26) == 44, "vkey_format: <name>+<8 hex>+<44 base64 characters>");
	/* the key ID recomputed here: SHA-256(name || 0x0A || type || key)[:4] */
	memcpy(buf, "integrity/140421\n\x01", 18);
	memcpy(buf + 18, signing_key_public(key), 32);
	sha256(buf, 50, want);
	crypto_hex_encode(want, 4, hex);
	ok(strncmp(vkey + 17, hex, 8) == 0, "vkey key ID = SHA-256(name || 0x0A || 0x01 || key)[:4]");
	ok(vkey_parse(vkey, len, &vk, err, sizeof(err)) && strcmp(vk.name, "integrity/140421") == 0 &&
	   vk.type == NOTE_TYPE_ED25519 && memcmp(vk.pub, signing_key_public(key), 32) == 0 &&
	   memcmp(vk.key_id, want, 4) == 0, "vkey_parse reads back what vkey_format wrote");
	snprintf(bad, sizeof(bad), "  %s\n", vkey);
	ok(vkey_parse(bad, strlen(bad), &vk, err, sizeof(err)), "vkey_parse ignores surrounding white space");
	ok(vkey_format("a b", NOTE_TYPE_ED25519, signing_key_public(key), vkey, sizeof(vkey), err, sizeof(err)) == 0 &&
	   strstr(err, "spaces") != NULL, "vkey_format refuses a name with a space");
	ok(vkey_format("a+b", NOTE_TYPE_ED25519, signing_key_public(key), vkey, sizeof(vkey), err, sizeof(err)) == 0,
	   "vkey_format refuses a name with '+'");
	len = vkey_format("integrity/140400/witness", NOTE_TYPE_COSIGNATURE, signing_key_public(key), vkey,
					  sizeof(vkey), err, sizeof(err));
	ok(vkey_parse(vkey, len, &vk, err, sizeof(err)) && vk.type == NOTE_TYPE_COSIGNATURE,
	   "a cosigner vkey (type 0x04) parses");
	memcpy(buf, "integrity/140400/witness\n\x04", 26);
	memcpy(buf + 26, signing_key_public(key), 32);
	sha256(buf, 58, want);
	ok(memcmp(vk.key_id, want, 4) == 0, "cosigner key ID = SHA-256(name || 0x0A || 0x04 || key)[:4]");
	/* the same key under type 0x01 has another key ID: a vkey with a swapped type fails */
	strcpy(bad, vkey);
	bad[25] = bad[25] == '0' ? '1' : '0';
	ok(!vkey_parse(bad, strlen(bad), &vk, err, sizeof(err)) && strstr(err, "key ID") != NULL,
	   "vkey_parse refuses a key ID that does not match the name and key");
	ok(!vkey_parse("integrity/x+0011", 16, &vk, err, sizeof(err)), "vkey_parse refuses a vkey without key");
	ok(!vkey_parse("integrity/x+zz112233+AQ==", 25, &vk, err, sizeof(err)) && strstr(err, "hex") != NULL,
	   "vkey_parse refuses a key ID that is not hex");
	{
		uint8_t		mat[33];
		char		b64[64];

		mat[0] = 0x02;
		memcpy(mat + 1, signing_key_public(key), 32);
		base64_encode(mat, 33, b64);
		snprintf(bad, sizeof(bad), "n+00000000+%s", b64);
		ok(!vkey_parse(bad, strlen(bad), &vk, err, sizeof(err)) && strstr(err, "type 0x02") != NULL,
		   "vkey_parse refuses a signature type other than 0x01 and 0x04");
	}
	signing_key_free(key);
}

/* c2sp.org/tlog-cosignature cosignature/v1 */
static void
test_cosignatures(void)
{
	static const char w2_seed_hex[] =
		"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7";
	char		err[256];
	uint8_t		seed[32],
				root[32],
				raw[COSIGNATURE_LEN];
	size_t		n,
				len,
				body_len,
				line_len,
				dec;
	signing_key *log_key,
			   *w1,
			   *w2;
	char		note[1024],
				line[COSIGNATURE_LINE_MAX(40)],
				line2[COSIGNATURE_LINE_MAX(40)],
				copy[8192],
				msg[512],
				vkey[VKEY_MAX_LEN];
	note_vkey	w[3];
	bool		valid[3];
	int			count,
				future;
	uint64_t	t = 1764720000,
				got = 0;
	int			i;

	crypto_hex_decode(rfc8032_test1_seed, 64, seed, 32, &n, NULL, 0);
	log_key = signing_key_load(seed, 32, err, sizeof(err));
	seed[0] ^= 1;
	w1 = signing_key_load(seed, 32, err, sizeof(err));
	crypto_hex_decode(w2_seed_hex, 64, seed, 32, &n, NULL, 0);
	w2 = signing_key_load(seed, 32, err, sizeof(err));
	memset(root, 0x5a, 32);
	checkpoint_format(log_key, "140421", 7, root, note, sizeof(note), &len, err, sizeof(err));
	ok(note_body_len(note, len, &body_len, err, sizeof(err)) && note[body_len - 1] == '\n' &&
	   note[body_len] == '\n', "note_body_len: the body ends before the blank line");
	ok(cosignature_line(w1, "integrity/140400/witness", t, note, body_len, line, sizeof(line),
						&line_len, err, sizeof(err)) && line_len == strlen(line) &&
	   strncmp(line, "\xE2\x80\x94 integrity/140400/witness ", 29) == 0,
	   "cosignature_line: \u2014 <name> <base64>");
	ok(base64_decode(line + 29, line_len - 29, raw, sizeof(raw), &dec, NULL, 0) && dec == 76,
	   "a cosignature is 76 bytes: key ID, 8-byte timestamp, signature");
	for (i = 0; i < 8; i++)
		got = (got << 8) | raw[4 + i];
	ok(got == t, "the timestamp is big-endian after the key ID");
	snprintf(msg, sizeof(msg), "cosignature/v1\ntime %llu\n%.*s", (unsigned long long) t,
			 (int) body_len, note);
	ok(ed25519_verify(signing_key_public(w1), msg, strlen(msg), raw + 12),
	   "the signature is over \"cosignature/v1\\ntime <t>\\n\" || the note body");
	vkey_format("integrity/140400/witness", NOTE_TYPE_COSIGNATURE, signing_key_public(w1), vkey,
				sizeof(vkey), err, sizeof(err));
	vkey_parse(vkey, strlen(vkey), &w[0], err, sizeof(err));
	vkey_format("integrity/140000/witness", NOTE_TYPE_COSIGNATURE, signing_key_public(w2), vkey,
				sizeof(vkey), err, sizeof(err));
	vkey_parse(vkey, strlen(vkey), &w[1], err, sizeof(err));
	ok(memcmp(raw, w[0].key_id, 4) == 0, "the line starts with the cosigner key ID");

	/* the note with both witnesses' lines, and a third of an unknown witness */
	cosignature_line(w2, "integrity/140000/witness", t + 5, note, body_len, line2, sizeof(line2),
					 &line_len, err, sizeof(err));
	snprintf(copy, sizeof(copy), "%s%s\n%s\n", note, line, line2);
	ok(cosignatures_check(copy, strlen(copy), w, 2, t + 10, valid, &count, &future, err, sizeof(err)) &&
	   count == 2 && valid[0] && valid[1], "two witnesses' lines: both valid");
	ok(cosignatures_check(copy, strlen(copy), w, 1, t + 10, valid, &count, NULL, err, sizeof(err)) &&
	   count == 1, "a line of a witness not given is ignored");
	future = 0;
	ok(cosignatures_check(copy, strlen(copy), w, 2, t + 2, valid, &count, &future, err, sizeof(err)) &&
	   count == 1 && valid[0] && !valid[1] && future == 1,
	   "a cosignature with a timestamp after now is not counted");
	snprintf(copy, sizeof(copy), "%s%s\n%s\n", note, line, line);
	ok(cosignatures_check(copy, strlen(copy), w, 2, t + 10, valid, &count, NULL, err, sizeof(err)) &&
	   count == 1, "the same witness twice counts once");
	/* the same name under another key: another key ID, ignored */
	w[2] = w[0];
	memcpy(w[2].pub, w[1].pub, 32);
	w[2].key_id[0] ^= 1;
	snprintf(copy, sizeof(copy), "%s%s\n", note, line);
	ok(cosignatures_check(copy, strlen(copy), &w[2], 1, t + 10, valid, &count, NULL, err, sizeof(err)) &&
	   count == 0, "a line of the witness's name with another key ID is ignored");
	/* changed time: the line is of a given witness and fails */
	{
		uint8_t		r2[COSIGNATURE_LEN];
		char		b64[128];

		memcpy(r2, raw, sizeof(r2));
		r2[11] ^= 1;
		base64_encode(r2, sizeof(r2), b64);
		snprintf(copy, sizeof(copy), "%s\xE2\x80\x94 integrity/140400/witness %s\n", note, b64);
		ok(!cosignatures_check(copy, strlen(copy), w, 2, t + 10, valid, &count, NULL, err, sizeof(err)) &&
		   strstr(err, "does not verify") != NULL, "a cosignature whose timestamp was changed rejects the note");
	}
	/* changed body */
	snprintf(copy, sizeof(copy), "%s%s\n", note, line);
	copy[strlen("integrity/140421\n")] = '8';
	ok(!cosignatures_check(copy, strlen(copy), w, 2, t + 10, valid, &count, NULL, err, sizeof(err)),
	   "a cosignature over another body rejects the note");
	ok(!cosignatures_check("x\n", 2, w, 2, t, valid, &count, NULL, err, sizeof(err)),
	   "cosignatures_check refuses a text that is no note");
	ok(!cosignature_line(w1, "a b", t, note, body_len, line, sizeof(line), &line_len, err, sizeof(err)),
	   "cosignature_line refuses a name with a space");
	ok(!cosignature_line(w1, "w", (uint64_t) 1 << 63, note, body_len, line, sizeof(line), &line_len,
						 err, sizeof(err)), "cosignature_line refuses a timestamp over 2^63 - 1");
	signing_key_free(log_key);
	signing_key_free(w1);
	signing_key_free(w2);
}

int
main(void)
{
	test_checkpoint();
	test_vkeys();
	test_cosignatures();
	crypto_release_cache();
	return done_testing();
}
