/*
 * test_crypto.c: unit tests of src/crypto_core.c, the primitives (TAP
 * output).  The entry hash is tested by test_log.c, the checkpoint note
 * by test_checkpoint.c.
 */
#include "crypto.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/crypto.h>
#include <openssl/err.h>


/* Decode a hex literal into a freshly malloc'ed buffer. */
static uint8_t *
unhex(const char *hex, size_t *len)
{
	size_t		n = strlen(hex);
	uint8_t    *out = malloc(n / 2 + 1);
	size_t		got = 0;

	if (out == NULL || !crypto_hex_decode(hex, n, out, n / 2, &got, NULL, 0))
	{
		fprintf(stderr, "bad hex literal in test: %s\n", hex);
		exit(3);
	}
	*len = got;
	return out;
}

static bool
hash_is(const uint8_t digest[SHA256_LEN], const char *hex)
{
	char		text[2 * SHA256_LEN + 1];

	crypto_hex_encode(digest, SHA256_LEN, text);
	return strcmp(text, hex) == 0;
}

/* ------------------------------------------------------------- SHA-256 */

static void
test_sha256(void)
{
	static const struct
	{
		const char *msg;
		const char *digest;
	}			v[] = {
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
		{"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
		{"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		"cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
	};
	uint8_t		d[SHA256_LEN];
	char	   *million;
	size_t		i;
	char		desc[200];

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
	{
		snprintf(desc, sizeof(desc), "sha256 nist vector %zu (%zu bytes)",
				 i + 1, strlen(v[i].msg));
		ok(sha256(v[i].msg, strlen(v[i].msg), d) && hash_is(d, v[i].digest),
		   "%s", desc);
	}
	million = malloc(1000000);
	memset(million, 'a', 1000000);
	ok(sha256(million, 1000000, d) &&
	   hash_is(d, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"),
	   "sha256 nist vector: one million 'a'");
	free(million);
}

static void
test_permissions(void)
{
	static const struct
	{
		uid_t		owner;
		mode_t		mode;
		bool		expect;
		const char *desc;
	}			v[] = {
		{1000, S_IFREG | 0600, true, "0600 owned by server user accepted"},
		{1000, S_IFREG | 0400, true, "0400 owned by server user accepted"},
		{1000, S_IFREG | 0640, false, "0640 owned by server user refused"},
		{1000, S_IFREG | 0604, false, "0604 owned by server user refused"},
		{0, S_IFREG | 0640, true, "0640 owned by root accepted"},
		{0, S_IFREG | 0600, true, "0600 owned by root accepted"},
		{0, S_IFREG | 0644, false, "0644 owned by root refused"},
		{0, S_IFREG | 0660, false, "0660 owned by root refused"},
		{1234, S_IFREG | 0600, false, "0600 owned by another user refused"},
		{1000, S_IFDIR | 0700, false, "directory refused"},
		{1000, S_IFLNK | 0600, false, "symlink mode (not regular) refused"},
	};
	size_t		i;
	char		err[256];

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
	{
		bool		got;

		err[0] = '\0';
		got = key_file_permissions_ok(v[i].owner, v[i].mode, 1000,
									  err, sizeof(err));
		ok(got == v[i].expect && (got || err[0] != '\0'), "%s", v[i].desc);
		if (!got)
			diag("reason: %s", err);
	}
}

/* ------------------------------------------------------ RFC 8032 7.1 */

static const struct
{
	const char *name;
	const char *seed;
	const char *pub;
	const char *msg;
	const char *sig;
}			rfc8032[] = {
	{"TEST 1",
		"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
		"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
		"",
		"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
		"5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
	{"TEST 2",
		"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
		"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
		"72",
		"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
		"085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
	{"TEST 3",
		"c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7",
		"fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
		"af82",
		"6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
		"18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
	{"TEST 1024",
		"f5e5767cf153319517630f226876b86c8160cc583bc013744c6bf255f5cc0ee5",
		"278117fc144c72340f67d0f2316e8386ceffbf2b2428c9c51fef7c597f1d426e",
		"08b8b2b733424243760fe426a4b54908632110a66c2f6591eabd3345e3e4eb98"
		"fa6e264bf09efe12ee50f8f54e9f77b1e355f6c50544e23fb1433ddf73be84d8"
		"79de7c0046dc4996d9e773f4bc9efe5738829adb26c81b37c93a1b270b20329d"
		"658675fc6ea534e0810a4432826bf58c941efb65d57a338bbd2e26640f89ffbc"
		"1a858efcb8550ee3a5e1998bd177e93a7363c344fe6b199ee5d02e82d522c4fe"
		"ba15452f80288a821a579116ec6dad2b3b310da903401aa62100ab5d1a36553e"
		"06203b33890cc9b832f79ef80560ccb9a39ce767967ed628c6ad573cb116dbef"
		"efd75499da96bd68a8a97b928a8bbc103b6621fcde2beca1231d206be6cd9ec7"
		"aff6f6c94fcd7204ed3455c68c83f4a41da4af2b74ef5c53f1d8ac70bdcb7ed1"
		"85ce81bd84359d44254d95629e9855a94a7c1958d1f8ada5d0532ed8a5aa3fb2"
		"d17ba70eb6248e594e1a2297acbbb39d502f1a8c6eb6f1ce22b3de1a1f40cc24"
		"554119a831a9aad6079cad88425de6bde1a9187ebb6092cf67bf2b13fd65f270"
		"88d78b7e883c8759d2c4f5c65adb7553878ad575f9fad878e80a0c9ba63bcbcc"
		"2732e69485bbc9c90bfbd62481d9089beccf80cfe2df16a2cf65bd92dd597b07"
		"07e0917af48bbb75fed413d238f5555a7a569d80c3414a8d0859dc65a46128ba"
		"b27af87a71314f318c782b23ebfe808b82b0ce26401d2e22f04d83d1255dc51a"
		"ddd3b75a2b1ae0784504df543af8969be3ea7082ff7fc9888c144da2af58429e"
		"c96031dbcad3dad9af0dcbaaaf268cb8fcffead94f3c7ca495e056a9b47acdb7"
		"51fb73e666c6c655ade8297297d07ad1ba5e43f1bca32301651339e22904cc8c"
		"42f58c30c04aafdb038dda0847dd988dcda6f3bfd15c4b4c4525004aa06eeff8"
		"ca61783aacec57fb3d1f92b0fe2fd1a85f6724517b65e614ad6808d6f6ee34df"
		"f7310fdc82aebfd904b01e1dc54b2927094b2db68d6f903b68401adebf5a7e08"
		"d78ff4ef5d63653a65040cf9bfd4aca7984a74d37145986780fc0b16ac451649"
		"de6188a7dbdf191f64b5fc5e2ab47b57f7f7276cd419c17a3ca8e1b939ae49e4"
		"88acba6b965610b5480109c8b17b80e1b7b750dfc7598d5d5011fd2dcc5600a3"
		"2ef5b52a1ecc820e308aa342721aac0943bf6686b64b2579376504ccc493d97e"
		"6aed3fb0f9cd71a43dd497f01f17c0e2cb3797aa2a2f256656168e6c496afc5f"
		"b93246f6b1116398a346f1a641f3b041e989f7914f90cc2c7fff357876e506b5"
		"0d334ba77c225bc307ba537152f3f1610e4eafe595f6d9d90d11faa933a15ef1"
		"369546868a7f3a45a96768d40fd9d03412c091c6315cf4fde7cb68606937380d"
		"b2eaaa707b4c4185c32eddcdd306705e4dc1ffc872eeee475a64dfac86aba41c"
		"0618983f8741c5ef68d3a101e8a3b8cac60c905c15fc910840b94c00a0b9d0",
		"0aab4c900501b3e24d7cdf4663326a3a87df5e4843b2cbdb67cbf6e460fec350"
		"aa5371b1508f9f4528ecea23c436d94b5e8fcd4f681e30a6ac00a9704a188a03"},
	{"TEST SHA(abc)",
		"833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42",
		"ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
		"ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		"2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
		"dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
		"09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};

static void
test_rfc8032(void)
{
	size_t		i;
	char		desc[200];
	char		err[256];

	for (i = 0; i < sizeof(rfc8032) / sizeof(rfc8032[0]); i++)
	{
		size_t		seed_len,
					pub_len,
					msg_len,
					sig_len;
		uint8_t    *seed = unhex(rfc8032[i].seed, &seed_len);
		uint8_t    *pub = unhex(rfc8032[i].pub, &pub_len);
		uint8_t    *msg = unhex(rfc8032[i].msg, &msg_len);
		uint8_t    *sig = unhex(rfc8032[i].sig, &sig_len);
		uint8_t		made[ED25519_SIG_LEN];
		signing_key *key = signing_key_load(seed, seed_len, err, sizeof(err));
		verifier   *v;
		char		want_id[KEY_ID_LEN + 1];

		OPENSSL_cleanse(seed, seed_len);

		snprintf(desc, sizeof(desc), "rfc 8032 %s: public key from seed",
				 rfc8032[i].name);
		ok(key != NULL && memcmp(signing_key_public(key), pub, 32) == 0, "%s", desc);

		snprintf(desc, sizeof(desc), "rfc 8032 %s: key_id is sha256(pub)[0:8]",
				 rfc8032[i].name);
		{
			uint8_t		d[SHA256_LEN];
			char		hex[2 * SHA256_LEN + 1];

			sha256(pub, 32, d);
			crypto_hex_encode(d, SHA256_LEN, hex);
			hex[KEY_ID_LEN] = '\0';
			ok(key != NULL && key_id_of(pub, want_id) &&
			   strcmp(want_id, hex) == 0 &&
			   strcmp(signing_key_id(key), hex) == 0, "%s", desc);
		}

		snprintf(desc, sizeof(desc), "rfc 8032 %s (%zu-byte message): signature",
				 rfc8032[i].name, msg_len);
		ok(key != NULL && ed25519_sign(key, msg, msg_len, made, err, sizeof(err)) &&
		   memcmp(made, sig, 64) == 0, "%s", desc);

		snprintf(desc, sizeof(desc), "rfc 8032 %s: verifies", rfc8032[i].name);
		ok(ed25519_verify(pub, msg, msg_len, sig), "%s", desc);

		v = verifier_new(pub, err, sizeof(err));
		snprintf(desc, sizeof(desc),
				 "rfc 8032 %s: cached verifier accepts it twice",
				 rfc8032[i].name);
		ok(v != NULL && verifier_verify(v, msg, msg_len, sig) &&
		   verifier_verify(v, msg, msg_len, sig), "%s", desc);

		sig[i % 64] ^= 0x01;
		snprintf(desc, sizeof(desc),
				 "rfc 8032 %s: flipped signature bit rejected (both verifiers)",
				 rfc8032[i].name);
		ok(!ed25519_verify(pub, msg, msg_len, sig) &&
		   !verifier_verify(v, msg, msg_len, sig), "%s", desc);
		sig[i % 64] ^= 0x01;

		snprintf(desc, sizeof(desc),
				 "rfc 8032 %s: cached verifier accepts again after a rejection",
				 rfc8032[i].name);
		ok(verifier_verify(v, msg, msg_len, sig), "%s", desc);

		if (msg_len > 0)
		{
			msg[msg_len - 1] ^= 0x80;
			snprintf(desc, sizeof(desc),
					 "rfc 8032 %s: modified message rejected", rfc8032[i].name);
			ok(!ed25519_verify(pub, msg, msg_len, sig) &&
			   !verifier_verify(v, msg, msg_len, sig), "%s", desc);
		}
		else
		{
			snprintf(desc, sizeof(desc),
					 "rfc 8032 %s: non-empty message rejected", rfc8032[i].name);
			ok(!ed25519_verify(pub, "x", 1, sig) &&
			   !verifier_verify(v, "x", 1, sig), "%s", desc);
		}

		pub[0] ^= 0x01;
		snprintf(desc, sizeof(desc), "rfc 8032 %s: other public key rejected",
				 rfc8032[i].name);
		ok(!ed25519_verify(pub, msg, msg_len, sig), "%s", desc);

		verifier_free(v);
		signing_key_free(key);
		free(seed);
		free(pub);
		free(msg);
		free(sig);
	}
}

/* ------------------------------------------------------- key loading */

/* RFC 8032 TEST 1 seed as written by openssl genpkey / openssl pkey. */
static const char test1_pem[] =
"-----BEGIN PRIVATE KEY-----\n"
"MC4CAQAwBQYDK2VwBCIEIJ1hsZ3v/VpguoRK9JLsLMREScVpezJpGXA7rAMcrn9g\n"
"-----END PRIVATE KEY-----\n";
static const char test1_pub_pem[] =
"-----BEGIN PUBLIC KEY-----\n"
"MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\n"
"-----END PUBLIC KEY-----\n";
static const char test1_pub_hex[] =
"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a";

static const char ec_pem[] =
"-----BEGIN PRIVATE KEY-----\n"
"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgfD+w4bjX6G8vul4o\n"
"LxEcCis8FWBmtAFKZvrcKoGrWi+hRANCAARD7Lx5z4kJ8RKuBYHrhz8tIgbdI0+z\n"
"3l4DJ3lI3p+HXjGDGo8UgWcIMLHX98W127U+xwXYmVHslAlvz4UL+FFk\n"
"-----END PRIVATE KEY-----\n";
static const char encrypted_pem[] =
"-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
"MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAi6KqvlQZppAgICCAAw\n"
"DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEBOwiLYilVoEkBShNAdcmlcEQFww\n"
"pY3EOlq4O8JlEeHGAHxuJMkeX0XMAb8YROCnOKGA2QeqPuB5aGaz00eVEa8IhYi8\n"
"+DLGynZYJ3hS732p8vo=\n"
"-----END ENCRYPTED PRIVATE KEY-----\n";

static bool
load_fails(const void *data, size_t len, const char *desc)
{
	char		err[256] = "";
	signing_key *key = signing_key_load(data, len, err, sizeof(err));
	bool		failed = (key == NULL && err[0] != '\0');

	signing_key_free(key);
	ok(failed && ERR_peek_error() == 0, "%s", desc);
	if (failed)
		diag("reason: %s", err);
	return failed;
}

static void
test_key_loading(void)
{
	char		err[256];
	uint8_t		pub[32],
				want[32];
	size_t		n;
	signing_key *key;
	char		buf[512];

	crypto_hex_decode(test1_pub_hex, 64, want, 32, &n, NULL, 0);

	key = signing_key_load(test1_pem, strlen(test1_pem), err, sizeof(err));
	ok(key != NULL && memcmp(signing_key_public(key), want, 32) == 0,
	   "pem private key (rfc 8032 test 1 seed) loads, public key matches");
	signing_key_free(key);

	snprintf(buf, sizeof(buf), "\n  %s\n\n", test1_pem);
	key = signing_key_load(buf, strlen(buf), err, sizeof(err));
	ok(key != NULL && memcmp(signing_key_public(key), want, 32) == 0,
	   "pem private key with surrounding blank lines loads");
	signing_key_free(key);

	load_fails("", 0, "empty key file rejected");
	load_fails("garbage that is certainly not a key\n", 36,
			   "garbage key file rejected");
	load_fails("0123456789012345678901234567890", 31, "31-byte seed rejected");
	load_fails("012345678901234567890123456789012", 33, "33-byte seed rejected");
	load_fails(ec_pem, strlen(ec_pem), "pem p-256 private key rejected");
	load_fails(encrypted_pem, strlen(encrypted_pem),
			   "encrypted pem rejected without prompting");
	load_fails(test1_pub_pem, strlen(test1_pub_pem),
			   "public key given as private key rejected");
	strcpy(buf, test1_pem);
	buf[40] = (char) (buf[40] == 'A' ? 'B' : 'A');
	buf[41] = '*';
	load_fails(buf, strlen(buf), "corrupted pem body rejected");
	strcpy(buf, test1_pem);
	buf[strlen(buf) - 10] = '\0';
	load_fails(buf, strlen(buf), "truncated pem rejected");

	/* public keys */
	ok(public_key_parse(test1_pub_pem, strlen(test1_pub_pem), pub, err,
						sizeof(err)) && memcmp(pub, want, 32) == 0,
	   "pem public key parsed");
	ok(public_key_parse(want, 32, pub, err, sizeof(err)) &&
	   memcmp(pub, want, 32) == 0, "raw 32-byte public key parsed");
	ok(public_key_parse(test1_pub_hex, 64, pub, err, sizeof(err)) &&
	   memcmp(pub, want, 32) == 0, "64 hex digits public key parsed");
	snprintf(buf, sizeof(buf), "\\x%s\n", test1_pub_hex);
	ok(public_key_parse(buf, strlen(buf), pub, err, sizeof(err)) &&
	   memcmp(pub, want, 32) == 0, "\\x hex public key with newline parsed");
	ok(!public_key_parse(test1_pub_hex, 62, pub, err, sizeof(err)),
	   "62 hex digits rejected");
	ok(!public_key_parse(test1_pem, strlen(test1_pem), pub, err, sizeof(err)),
	   "private pem rejected as public key");
	ok(!public_key_parse("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
						 54, pub, err, sizeof(err)) && ERR_peek_error() == 0,
	   "corrupted pem public key rejected, openssl error queue clean");
}

/* ----------------------------------------------------- base64 and hex */

static void
test_base64(void)
{
	static const struct
	{
		const char *raw;
		const char *b64;
	}			v[] = {
		{"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"},
		{"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
	};
	static const char *bad[] = {
		"Zg=", "Zg", "Zh==", "Zm9=", "Zg==Zg==", "Z===", "====", "Zm9v\n\n\n\n",
		"Zm9-", "Zm 9", "Zm9vY===", "Zm=v",
	};
	size_t		i;
	char		desc[200];
	char		out[64];
	uint8_t		dec[64];
	size_t		n;
	uint8_t		all[256];
	char		all_b64[BASE64_ENCODED_LEN(256) + 1];

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++)
	{
		size_t		len = strlen(v[i].raw);

		snprintf(desc, sizeof(desc), "base64 rfc 4648: \"%s\" <-> \"%s\"",
				 v[i].raw, v[i].b64);
		ok(base64_encode((const uint8_t *) v[i].raw, len, out) ==
		   strlen(v[i].b64) && strcmp(out, v[i].b64) == 0 &&
		   base64_decode(v[i].b64, strlen(v[i].b64), dec, sizeof(dec), &n,
						 NULL, 0) &&
		   n == len && memcmp(dec, v[i].raw, len) == 0, "%s", desc);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
	{
		char		err[128] = "";
		char		shown[32];
		size_t		k;

		for (k = 0; bad[i][k] != '\0' && k < sizeof(shown) - 1; k++)
			shown[k] = bad[i][k] == '\n' ? '~' : bad[i][k];
		shown[k] = '\0';
		snprintf(desc, sizeof(desc),
				 "base64 strict decode rejects \"%s\" (~ = newline)", shown);
		ok(!base64_decode(bad[i], strlen(bad[i]), dec, sizeof(dec), &n,
						  err, sizeof(err)) && err[0] != '\0', "%s", desc);
	}
	ok(!base64_decode("Zm9vYmFy", 8, dec, 5, &n, NULL, 0),
	   "base64 decode refuses to overflow the output buffer");
	for (i = 0; i < 256; i++)
		all[i] = (uint8_t) i;
	base64_encode(all, 256, all_b64);
	ok(strlen(all_b64) == BASE64_ENCODED_LEN(256) &&
	   BASE64_DECODED_MAX(strlen(all_b64)) >= 256,
	   "base64 length macros");
	{
		uint8_t		back[256];

		ok(base64_decode(all_b64, strlen(all_b64), back, sizeof(back), &n,
						 NULL, 0) && n == 256 && memcmp(back, all, 256) == 0,
		   "base64 round trip of all 256 byte values");
	}
}

static void
test_hex(void)
{
	uint8_t		out[8];
	size_t		n;
	char		err[128];
	char		text[17];

	ok(bytea_hex_decode("\\x00ff10Ab", 10, out, sizeof(out), &n, err,
						sizeof(err)) &&
	   n == 4 && out[0] == 0 && out[1] == 0xff && out[2] == 0x10 &&
	   out[3] == 0xab, "bytea \\x hex decoded");
	ok(bytea_hex_decode("\\x", 2, out, sizeof(out), &n, err, sizeof(err)) &&
	   n == 0, "empty bytea decoded");
	ok(!bytea_hex_decode("00ff", 4, out, sizeof(out), &n, err, sizeof(err)),
	   "bytea without \\x rejected");
	ok(!bytea_hex_decode("\\x0", 3, out, sizeof(out), &n, err, sizeof(err)),
	   "bytea with odd hex digits rejected");
	ok(!bytea_hex_decode("\\x0g", 4, out, sizeof(out), &n, err, sizeof(err)),
	   "bytea with non-hex digit rejected");
	ok(!bytea_hex_decode("\\x000000000000000000", 20, out, sizeof(out), &n,
						 err, sizeof(err)),
	   "bytea longer than the buffer rejected");
	out[0] = 0xde;
	out[1] = 0xad;
	crypto_hex_encode(out, 2, text);
	ok(strcmp(text, "dead") == 0, "crypto_hex_encode is lower-case");
}

/* -------------------------------------------------------- checkpoints */

int
main(void)
{
	test_sha256();
	test_permissions();
	test_rfc8032();
	test_key_loading();
	test_base64();
	test_hex();
	crypto_release_cache();
	return done_testing();
}
