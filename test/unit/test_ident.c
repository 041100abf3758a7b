/*
 * test_ident.c: unit tests of the identifier cores (DOMAIN.md D1), run by
 * `make unit` as part of `make test`.  Reads the public vectors in
 * test/vectors/codes.tsv (a copy of shared/vectors/codes.tsv).
 */
#include <stdlib.h>
#include <string.h>

#include "ident.h"
#include "tap.h"

#define TODAY 20261121

static const char *charset = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static void
test_vectors(const char *path)
{
	FILE	   *f = fopen(path, "r");
	char		line[512];
	int			n = 0;

	ok(f != NULL, "open %s", path);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
	{
		char	   *type,
				   *expect,
				   *code,
				   *save = NULL;
		char		canon[19];
		ident_error e;
		bool		valid;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		type = strtok_r(line, "\t\n", &save);
		expect = strtok_r(NULL, "\t\n", &save);
		code = strtok_r(NULL, "\t\n", &save);
		if (!type || !expect || !code)
			continue;
		if (strcmp(type, "uscc") == 0)
			valid = uscc_parse(code, strlen(code), false, canon, &e);
		else
			valid = cn_id_parse(code, strlen(code), false, TODAY, canon, &e);
		ok(valid == (strcmp(expect, "valid") == 0),
		   "D1 vector %s %s is %s", type, code, expect);
		n++;
	}
	fclose(f);
	ok(n >= 26, "read %d vectors", n);
}

static void
test_uscc_errors(void)
{
	char		c[19];
	ident_error e;

	/* D1.1b worked example: sum 1640, check 3 */
	ok(uscc_check_char("91350100M000100Y4") == '3', "D1.1b check of 91350100M000100Y4 is 3");
	ok(uscc_parse(" 91350100m000100y43\t", 20, false, c, &e) && strcmp(c, "91350100M000100Y43") == 0,
	   "D1.1 blanks trimmed, letters folded");
	ok(!uscc_parse(" 91350100M000100Y43", 19, true, c, &e) && e.problem == IDENT_BAD_LENGTH,
	   "strict form refuses blanks");
	ok(!uscc_parse("91350100m000100y43", 18, true, c, &e) && e.problem == IDENT_BAD_CHARACTER && e.position == 9,
	   "strict form refuses lower case");
	ok(!uscc_parse("12345", 5, false, c, &e) && e.problem == IDENT_BAD_LENGTH && e.length == 5,
	   "D1.1 length 5");
	ok(!uscc_parse("", 0, false, c, &e) && e.problem == IDENT_BAD_LENGTH && e.length == 0,
	   "D1.1 empty");
	ok(!uscc_parse("9111000060003IOZSV", 18, false, c, &e) && e.problem == IDENT_BAD_CHARACTER
	   && e.position == 14 && strcmp(e.bad_char, "I") == 0, "D1.1 I at position 14");
	ok(!uscc_parse("91110000600037341N", 18, false, c, &e) && e.problem == IDENT_BAD_CHECK
	   && e.expected == 'L' && e.found == 'N', "D1.1 check should be L");
	ok(!uscc_parse("9111000060003734中", strlen("9111000060003734中"), false, c, &e)
	   && e.problem == IDENT_BAD_LENGTH && e.length == 17, "multibyte counted as one character");
	ok(!uscc_parse("91110000600037341中", strlen("91110000600037341中"), false, c, &e)
	   && e.problem == IDENT_BAD_CHARACTER && e.position == 18 && strcmp(e.bad_char, "中") == 0,
	   "multibyte character named with its position");
	{
		/* organization code check broken, USCC check recomputed to match */
		char		code[19] = "91350100M000100Y4";

		code[16] = '5';
		code[17] = uscc_check_char(code);
		code[18] = 0;
		ok(!uscc_parse(code, 18, false, c, &e) && e.problem == IDENT_BAD_ORG_CHECK
		   && e.expected == '4' && e.found == '5', "D1.2 organization check %s", code);
	}
	{
		/* authority 9 does not issue category 9 (D1.1a) */
		char		code[19] = "99350100M000100Y4";

		code[17] = uscc_check_char(code);
		code[18] = 0;
		ok(!uscc_parse(code, 18, false, c, &e) && e.problem == IDENT_BAD_CATEGORY
		   && e.authority == '9' && e.category == '9', "D1.1a category 9 not allowed for 9");
		code[0] = 'B';
		code[17] = uscc_check_char(code);
		ok(!uscc_parse(code, 18, false, c, &e) && e.problem == IDENT_BAD_AUTHORITY,
		   "D1.1a authority B does not exist");
		memcpy(code, "91A50100M000100Y4", 17);
		code[17] = uscc_check_char(code);
		ok(!uscc_parse(code, 18, false, c, &e) && e.problem == IDENT_BAD_REGION && e.position == 3,
		   "D1.1 region must be digits");
	}
	ok(uscc_parse("A1110000600037341K", 18, false, c, &e), "D1.1a authority A valid");
	ok(!uscc_parse("A1110000600037341L", 18, false, c, &e) && e.expected == 'K',
	   "D1.1a A...L should be K");
	ok(!uscc_parse("91350100M0001TGQXM", 18, false, c, &e), "D1.1b legacy pilot code is not a uscc");
}

static void
test_uscc_storage(void)
{
	int			i,
				bad_rt = 0,
				bad_order = 0;
	uint8_t		prev[USCC_STORAGE_LEN];
	char		prevc[19] = "";

	srand(42);
	for (i = 0; i < 20000; i++)
	{
		char		code[19],
					back[19];
		uint8_t		p[USCC_STORAGE_LEN];
		int			j;

		for (j = 0; j < 17; j++)
			code[j] = charset[rand() % 31];
		code[17] = uscc_check_char(code);
		code[18] = 0;
		uscc_pack(code, p);
		if (!uscc_unpack(p, back) || strcmp(back, code) != 0)
			bad_rt++;
		if (i > 0)
		{
			int			a = memcmp(prev, p, USCC_STORAGE_LEN);
			int			b = strcmp(prevc, code);

			if ((a < 0) != (b < 0) || (a == 0) != (b == 0))
				bad_order++;
		}
		memcpy(prev, p, USCC_STORAGE_LEN);
		strcpy(prevc, code);
	}
	ok(bad_rt == 0, "uscc pack/unpack round trip over 20000 random codes");
	ok(bad_order == 0, "uscc packed byte order equals text order");
	{
		uint8_t		p[USCC_STORAGE_LEN];
		char		back[19];

		memset(p, 0xFF, sizeof(p));
		ok(!uscc_unpack(p, back), "out-of-range stored uscc detected");
		uscc_pack("YYYYYYYYYYYYYYYYY", p);
		ok(uscc_unpack(p, back) && memcmp(back, "YYYYYYYYYYYYYYYYY", 17) == 0,
		   "largest uscc value fits 12 bytes");
	}
}

/*
 * The input path (uscc_parse_packed) against the text path (uscc_parse,
 * then uscc_pack): the same verdict, the same error in every field, and
 * the same 12 bytes, on random valid codes in mixed case and on every
 * single-character substitution of some of them (D1.1, D1.1a, D1.2).
 */
static void
test_uscc_packed_path(void)
{
	static const char subst[] = "0123456789ABCDEFGHJKLMNPQRTUWXYIOSVZabcxyzio #\x80\xff";
	int			i,
				bad_valid = 0,
				bad_bytes = 0,
				bad_err = 0,
				invalid = 0,
				total = 0;

	srand(7);
	for (i = 0; i < 20000; i++)
	{
		char		code[19],
					c[19];
		uint8_t		p1[USCC_STORAGE_LEN],
					p2[USCC_STORAGE_LEN];
		ident_error e1,
					e2;
		int			j,
					k;

		/* a valid code: authority 9 category 1, digits for the region */
		memcpy(code, "91", 2);
		for (j = 2; j < 8; j++)
			code[j] = (char) ('0' + rand() % 10);
		for (j = 8; j < 16; j++)
			code[j] = charset[rand() % 31];
		code[16] = uscc_org_check_char(code + 8);
		code[17] = uscc_check_char(code);
		code[18] = 0;
		/* lower case letters here and there: folded by the non-strict form */
		for (j = 0; j < 18; j++)
			if (code[j] >= 'A' && code[j] <= 'Z' && rand() % 3 == 0)
				code[j] = (char) (code[j] - 'A' + 'a');
		for (k = -1; k < (i < 500 ? 18 * (int) (sizeof(subst) - 1) : 0); k++)
		{
			char		m[19];
			bool		v1,
						v2;

			memcpy(m, code, 19);
			if (k >= 0)
				m[k / (int) (sizeof(subst) - 1)] = subst[k % (int) (sizeof(subst) - 1)];
			memset(&e1, 0x5A, sizeof(e1));
			memset(&e2, 0xA5, sizeof(e2));
			v1 = uscc_parse(m, 18, false, c, &e1);
			v2 = uscc_parse_packed(m, 18, false, p2, &e2);
			total++;
			if (v1 != v2)
				bad_valid++;
			if (memcmp(&e1, &e2, sizeof(e1)) != 0)
				bad_err++;
			if (v1 && v2)
			{
				uscc_pack(c, p1);
				if (memcmp(p1, p2, USCC_STORAGE_LEN) != 0)
					bad_bytes++;
			}
			else
				invalid++;
			/* strict: the same again */
			v1 = uscc_parse(m, 18, true, c, &e1);
			v2 = uscc_parse_packed(m, 18, true, p2, &e2);
			if (v1 != v2 || memcmp(&e1, &e2, sizeof(e1)) != 0)
				bad_err++;
		}
	}
	ok(bad_valid == 0, "uscc_parse_packed and uscc_parse agree on %d strings (%d invalid)", total, invalid);
	ok(bad_err == 0, "uscc_parse_packed and uscc_parse report the same error");
	ok(bad_bytes == 0, "uscc_parse_packed gives the bytes of uscc_pack");
	{
		uint8_t		p1[USCC_STORAGE_LEN],
					p2[USCC_STORAGE_LEN];
		ident_error e;

		ok(uscc_parse_packed("00000000000000000", 17, false, p2, &e) == false && e.problem == IDENT_BAD_LENGTH,
		   "packed path: 17 characters refused");
		{
			char		c[19];

			ok(uscc_parse_packed("91000000YYYYYYYY", 16, false, p2, &e) == false, "packed path: 16 characters refused");
			ok(uscc_parse("91350100M000100Y43", 18, false, c, &e) &&
			   uscc_parse_packed("91350100m000100y43", 18, false, p2, &e), "packed path: lower case folded");
			uscc_pack(c, p1);
			ok(memcmp(p1, p2, USCC_STORAGE_LEN) == 0, "packed path: same bytes as the folded text");
			ok(!uscc_parse_packed("91350100m000100y43", 18, true, p2, &e) && e.problem == IDENT_BAD_CHARACTER
			   && e.position == 9 && strcmp(e.bad_char, "m") == 0, "packed path: strict refuses lower case");
			ok(!uscc_parse_packed(" 91350100M000100Y42 ", 20, false, p2, &e) && e.problem == IDENT_BAD_CHECK
			   && e.expected == '3' && e.found == '2', "packed path: blanks trimmed, then the check character");
		}
	}
}

static void
test_cn_id(void)
{
	char		c[19],
				m[19];
	ident_error e;

	ok(cn_id_check_char("11010519491231002") == 'X', "D1.3 check of GB 11643 example is X");
	ok(cn_id_parse("44011320141005001x", 18, false, TODAY, c, &e) && c[17] == 'X',
	   "D1.3 lower-case x folded");
	ok(!cn_id_parse("44011320141005001x", 18, true, TODAY, c, &e) && e.problem == IDENT_BAD_CHARACTER,
	   "strict form refuses lower-case x");
	ok(cn_id_parse("440524188001010014", 18, false, TODAY, c, &e), "D1.3a born 1880 is valid");
	ok(!cn_id_parse("36042619910102009X", 18, false, TODAY, c, &e) && e.problem == IDENT_BAD_CHECK
	   && e.expected == '3' && e.found == 'X', "D1.3 check should be 3");
	ok(!cn_id_parse("360426199113010079", 18, false, TODAY, c, &e) && e.problem == IDENT_BAD_DATE
	   && e.date == 19911301, "D1.3 month 13");
	ok(!cn_id_parse("110105194902300020", 18, false, TODAY, c, &e) && e.problem == IDENT_BAD_DATE,
	   "D1.3 February 30");
	{
		char		code[19] = "11010520000229002";

		code[17] = cn_id_check_char(code);
		code[18] = 0;
		ok(cn_id_parse(code, 18, false, TODAY, c, &e), "D1.3 2000-02-29 is a real date");
	}
	ok(!cn_id_parse("110105190002290020", 18, false, TODAY, c, &e) && e.problem == IDENT_BAD_DATE,
	   "D1.3 1900-02-29 is not");
	{
		char		code[19] = "11010520261122002";

		code[17] = cn_id_check_char(code);
		code[18] = 0;
		ok(!cn_id_parse(code, 18, false, TODAY, c, &e) && e.problem == IDENT_FUTURE_DATE
		   && e.date == 20261122, "D1.3 birth date tomorrow is in the future");
		memcpy(code, "11010520261121002", 17);
		code[17] = cn_id_check_char(code);
		ok(cn_id_parse(code, 18, false, TODAY, c, &e), "D1.3 birth date today is fine");
	}
	ok(!cn_id_parse("1101051949123100XX", 18, false, TODAY, c, &e) && e.problem == IDENT_BAD_CHARACTER
	   && e.position == 17, "D1.3 X only at position 18");
	ok(!cn_id_parse("11010519491231002", 17, false, TODAY, c, &e) && e.problem == IDENT_BAD_LENGTH
	   && e.length == 17, "D1.3 length 17");
	ok(cn_id_unpack(cn_id_pack("11010519491231002X"), c) && strcmp(c, "11010519491231002X") == 0,
	   "cn_id pack/unpack round trip");
	ok(!cn_id_unpack(-1, c), "negative stored cn_id detected");
	cn_id_mask("140402199001011239", m);
	ok(strcmp(m, "140402********1239") == 0, "D1.4 mask keeps 6 + 4");
}

static void
test_names(void)
{
	char		out[64];

	person_name_mask("张三", strlen("张三"), out);
	ok(strcmp(out, "张*") == 0, "D1.4 张三 -> 张*");
	person_name_mask("欧阳修文", strlen("欧阳修文"), out);
	ok(strcmp(out, "欧阳**") == 0, "D1.4 欧阳修文 -> 欧阳**");
	person_name_mask("欧阳", strlen("欧阳"), out);
	ok(strcmp(out, "欧*") == 0, "D1.4 a two-character name is not all family name");
	person_name_mask("王", strlen("王"), out);
	ok(strcmp(out, "*") == 0, "D1.4 a one-character name is masked whole (issue 13)");
	person_name_mask("", 0, out);
	ok(strcmp(out, "") == 0, "D1.4 empty name");
}

static void
test_table(void)
{
	int			i,
				bad = 0;

	for (i = 0; i < uscc_categories_count; i++)
		if (uscc_category_name(uscc_categories[i].authority, uscc_categories[i].category) == NULL)
			bad++;
	ok(bad == 0 && uscc_categories_count == 36, "D1.1a table has %d rows", uscc_categories_count);
	ok(uscc_category_name('Y', '2') == NULL && uscc_category_name('9', '9') == NULL,
	   "D1.1a Y only 1, 9 no 9");
}

int
main(int argc, char **argv)
{
	test_vectors(argc > 1 ? argv[1] : "test/vectors/codes.tsv");
	test_uscc_errors();
	test_uscc_storage();
	test_uscc_packed_path();
	test_cn_id();
	test_names();
	test_table();
	return done_testing();
}
