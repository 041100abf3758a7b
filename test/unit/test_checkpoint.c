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
	ok(ERR_peek_error() == 0, "openssl error queue left clean");

	signing_key_free(key);
	signing_key_free(other);
}

int
main(void)
{
	test_checkpoint();
	crypto_release_cache();
	return done_testing();
}
