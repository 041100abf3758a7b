/*
 * ident_core.c: USCC (GB 32100-2015) and resident ID (GB 11643-1999)
 * parsing, check characters, compact storage and masking.  DOMAIN.md D1.
 *
 * Pure C: no PostgreSQL headers.
 */
#include "ident.h"

#include <string.h>

/* D1.1: the 31 characters of a USCC, in ascending ASCII order. */
static const char uscc_charset[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

/* D1.1: weights 3^i mod 31, i = 0..16. */
static const int uscc_weights[17] =
{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28};

/* D1.2: GB 11714 organization code weights over characters 9-16. */
static const int org_weights[8] = {3, 7, 9, 10, 5, 8, 4, 2};

/* D1.3: ISO 7064 MOD 11-2 weights and check characters. */
static const int cn_id_weights[17] =
{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char cn_id_checks[] = "10X98765432";

/*
 * D1.1a: GB 32100 registration authorities and the categories each may
 * issue.  Kept as one array because notices have added rows over time.
 */
const uscc_category_row uscc_categories[] =
{
	{'1', "机构编制", '1', "机关"},
	{'1', "机构编制", '2', "事业单位"},
	{'1', "机构编制", '3', "群众团体"},
	{'1', "机构编制", '9', "其他"},
	{'2', "外交", '1', "外国常驻新闻机构"},
	{'2', "外交", '9', "其他"},
	{'3', "司法行政", '1', "律师执业机构"},
	{'3', "司法行政", '2', "公证处"},
	{'3', "司法行政", '3', "基层法律服务所"},
	{'3', "司法行政", '4', "司法鉴定机构"},
	{'3', "司法行政", '5', "仲裁委员会"},
	{'3', "司法行政", '9', "其他"},
	{'4', "文化", '1', "外国在华文化中心"},
	{'4', "文化", '9', "其他"},
	{'5', "民政", '1', "社会团体"},
	{'5', "民政", '2', "民办非企业单位"},
	{'5', "民政", '3', "基金会"},
	{'5', "民政", '9', "其他"},
	{'6', "旅游", '1', "外国旅游部门常驻代表机构"},
	{'6', "旅游", '2', "港澳台地区旅游部门常驻内地（大陆）代表机构"},
	{'6', "旅游", '9', "其他"},
	{'7', "宗教", '1', "宗教活动场所"},
	{'7', "宗教", '2', "宗教院校"},
	{'7', "宗教", '9', "其他"},
	{'8', "工会", '1', "基层工会"},
	{'8', "工会", '9', "其他"},
	{'9', "工商", '1', "企业"},
	{'9', "工商", '2', "个体工商户"},
	{'9', "工商", '3', "农民专业合作社"},
	{'A', "中央军委改革和编制办公室", '1', "军队事业单位"},
	{'A', "中央军委改革和编制办公室", '9', "其他"},
	{'N', "农业", '1', "组级集体经济组织"},
	{'N', "农业", '2', "村级集体经济组织"},
	{'N', "农业", '3', "乡镇级集体经济组织"},
	{'N', "农业", '9', "其他"},
	{'Y', "其他", '1', "其他"},
};
const int	uscc_categories_count =
(int) (sizeof(uscc_categories) / sizeof(uscc_categories[0]));

/* Index of c in the USCC character set, or -1.  Table-driven for speed. */
static signed char uscc_index[256];
/* the same, lower-case letters also taken (non-strict input folds them) */
static signed char uscc_index_fold[256];
/* D1.2: GB 11714 value of each USCC character, by its index: digits 0-9, letters 10 + (c - 'A') */
static unsigned char uscc_org_value[31];
/* D1.1a: bit (category - '0') set when the authority may issue it */
static unsigned short uscc_category_mask[256];
static bool uscc_authority_known[256];
static bool uscc_index_ready = false;

static void
uscc_index_init(void)
{
	int			i;

	if (uscc_index_ready)
		return;
	for (i = 0; i < 256; i++)
		uscc_index[i] = uscc_index_fold[i] = -1;
	for (i = 0; i < 31; i++)
	{
		unsigned char c = (unsigned char) uscc_charset[i];

		uscc_index[c] = uscc_index_fold[c] = (signed char) i;
		if (c >= 'A' && c <= 'Z')
		{
			uscc_index_fold[c - 'A' + 'a'] = (signed char) i;
			uscc_org_value[i] = (unsigned char) (10 + (c - 'A'));
		}
		else
			uscc_org_value[i] = (unsigned char) (c - '0');
	}
	for (i = 0; i < uscc_categories_count; i++)
	{
		unsigned char a = (unsigned char) uscc_categories[i].authority;
		char		c = uscc_categories[i].category;

		uscc_authority_known[a] = true;
		if (c >= '0' && c <= '9')
			uscc_category_mask[a] |= (unsigned short) (1u << (c - '0'));
	}
	uscc_index_ready = true;
}

static inline bool
is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Length of the UTF-8 sequence starting with byte c (1 for invalid bytes). */
static int
utf8_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	if ((c & 0xF8) == 0xF0)
		return 4;
	return 1;
}

/*
 * Trim blanks (unless strict), then count characters.  On success *start
 * and *n are the trimmed byte range.  Characters are counted as UTF-8 code
 * points so that an error says "17 characters", not "51 bytes".
 */
static bool
trim_and_count(const char *in, size_t len, bool strict, int expected,
			   const char **start, size_t *n, ident_error *err)
{
	const char *s = in;
	const char *e = in + len;
	int			chars = 0;
	const char *p;

	if (!strict)
	{
		while (s < e && is_blank((unsigned char) *s))
			s++;
		while (e > s && is_blank((unsigned char) e[-1]))
			e--;
	}
	for (p = s; p < e; chars++)
	{
		int			l = utf8_len((unsigned char) *p);

		if (l > e - p)
			l = (int) (e - p);
		p += l;
	}
	if (chars != expected || (size_t) (e - s) != (size_t) expected)
	{
		if (chars == expected)
		{
			/* right count but multibyte: report the first non-ASCII one */
			int			pos = 1;

			for (p = s; p < e; pos++)
			{
				int			l = utf8_len((unsigned char) *p);

				if (l > e - p)
					l = (int) (e - p);
				if ((unsigned char) *p >= 0x80)
				{
					err->problem = IDENT_BAD_CHARACTER;
					err->position = pos;
					memcpy(err->bad_char, p, (size_t) l);
					err->bad_char[l] = '\0';
					return false;
				}
				p += l;
			}
		}
		err->problem = IDENT_BAD_LENGTH;
		err->length = chars;
		return false;
	}
	*start = s;
	*n = (size_t) (e - s);
	return true;
}

static void
set_bad_char(ident_error *err, int position, char c)
{
	err->problem = IDENT_BAD_CHARACTER;
	err->position = position;
	err->bad_char[0] = c;
	err->bad_char[1] = '\0';
}

char
uscc_check_char(const char code[17])
{
	int			sum = 0;
	int			i;

	uscc_index_init();
	for (i = 0; i < 17; i++)
		sum += uscc_index[(unsigned char) code[i]] * uscc_weights[i];
	return uscc_charset[(31 - sum % 31) % 31];
}

char
uscc_org_check_char(const char body[8])
{
	int			sum = 0;
	int			i;
	int			c;

	for (i = 0; i < 8; i++)
	{
		char		ch = body[i];
		int			v = (ch >= '0' && ch <= '9') ? ch - '0' : 10 + (ch - 'A');

		sum += v * org_weights[i];
	}
	c = 11 - sum % 11;
	if (c == 10)
		return 'X';
	if (c == 11)
		return '0';
	return (char) ('0' + c);
}

char
cn_id_check_char(const char digits[17])
{
	int			sum = 0;
	int			i;

	for (i = 0; i < 17; i++)
		sum += (digits[i] - '0') * cn_id_weights[i];
	return cn_id_checks[sum % 11];
}

const char *
uscc_authority_name(char authority)
{
	int			i;

	for (i = 0; i < uscc_categories_count; i++)
		if (uscc_categories[i].authority == authority)
			return uscc_categories[i].authority_name;
	return NULL;
}

const char *
uscc_category_name(char authority, char category)
{
	int			i;

	for (i = 0; i < uscc_categories_count; i++)
		if (uscc_categories[i].authority == authority &&
			uscc_categories[i].category == category)
			return uscc_categories[i].category_name;
	return NULL;
}

/*
 * The parser behind uscc_parse and uscc_parse_packed: one pass over the 18
 * characters gives their indexes in the character set; the check sums,
 * the other rules and the packed value all work on those indexes.  canon
 * (may be NULL) receives the canonical text, packed (may be NULL) the
 * storage form.  This is the input path of every uscc value (COPY of
 * millions of rows), so the valid case does no work for error reporting.
 */
/* the error of a character outside the charset (the first one), found by uscc_parse_internal */
static bool
uscc_bad_char(const char *in, size_t len, bool strict, const unsigned char *s,
			  const signed char *idx, ident_error *err)
{
	char		folded[USCC_LEN + 1];
	size_t		n;
	int			i;

	for (i = 0; idx[i] >= 0; i++)
		folded[i] = uscc_charset[(int) idx[i]];
	memset(err, 0, sizeof(*err));
	if (s[i] >= 0x80)
	{
		const char *t;

		/* a multibyte character: count characters properly */
		if (!trim_and_count(in, len, strict, USCC_LEN, &t, &n, err))
			return false;
	}
	set_bad_char(err, i + 1, (char) s[i]);
	if (i == 17)
		err->expected = uscc_check_char(folded);
	return false;
}

/*
 * The rules after the check character (indexes idx of the 18 characters):
 * D1.2 the organization code's check, D1.1a authority and category, D1.1
 * the region digits.
 */
static bool
uscc_rules_ok(const signed char *idx, ident_error *err)
{
	int			org,
				i;

	/* D1.2: the embedded organization code's own check character. */
	org = uscc_org_value[(int) idx[8]] * org_weights[0] +
		uscc_org_value[(int) idx[9]] * org_weights[1] +
		uscc_org_value[(int) idx[10]] * org_weights[2] +
		uscc_org_value[(int) idx[11]] * org_weights[3] +
		uscc_org_value[(int) idx[12]] * org_weights[4] +
		uscc_org_value[(int) idx[13]] * org_weights[5] +
		uscc_org_value[(int) idx[14]] * org_weights[6] +
		uscc_org_value[(int) idx[15]] * org_weights[7];
	org = 11 - org % 11;		/* 1..11: 10 is X, 11 is 0 */
	{
		char		want = org == 10 ? 'X' : (char) ('0' + (org == 11 ? 0 : org));
		char		found = uscc_charset[(int) idx[16]];

		if (found != want)
		{
			memset(err, 0, sizeof(*err));
			err->problem = IDENT_BAD_ORG_CHECK;
			err->position = 17;
			err->expected = want;
			err->found = found;
			return false;
		}
	}

	/* D1.1a: authority and the categories it may issue. */
	{
		unsigned char a = (unsigned char) uscc_charset[(int) idx[0]];

		if (!uscc_authority_known[a])
		{
			memset(err, 0, sizeof(*err));
			err->problem = IDENT_BAD_AUTHORITY;
			err->position = 1;
			err->authority = (char) a;
			return false;
		}
		if (idx[1] > 9 || !(uscc_category_mask[a] & (1u << idx[1])))
		{
			memset(err, 0, sizeof(*err));
			err->problem = IDENT_BAD_CATEGORY;
			err->position = 2;
			err->authority = (char) a;
			err->category = uscc_charset[(int) idx[1]];
			return false;
		}
	}

	/* D1.1: positions 3-8 are a GB/T 2260 region code (digits). */
	if ((idx[2] > 9) | (idx[3] > 9) | (idx[4] > 9) | (idx[5] > 9) | (idx[6] > 9) | (idx[7] > 9))
	{
		for (i = 2; idx[i] <= 9; i++)
			;
		memset(err, 0, sizeof(*err));
		err->problem = IDENT_BAD_REGION;
		err->position = i + 1;
		err->bad_char[0] = uscc_charset[(int) idx[i]];
		err->bad_char[1] = '\0';
		return false;
	}

	return true;
}

/* the canonical text and the packed bytes (either may be NULL) of a valid code */
static void
uscc_write(const signed char *idx, uint64_t hi, uint64_t lo, char *canon, uint8_t *packed)
{
	int			i;

	if (canon)
	{
		for (i = 0; i < USCC_LEN; i++)
			canon[i] = uscc_charset[(int) idx[i]];
		canon[USCC_LEN] = '\0';
	}
	if (packed)
	{
#ifdef __SIZEOF_INT128__
		/*
		 * The base-31 value of characters 1-17 is hi * 31^9 + lo (31^8 <
		 * 2^40, 31^9 < 2^45, 31^17 < 2^86): one wide multiplication,
		 * stored big-endian in 12 bytes.
		 */
		unsigned __int128 v = (unsigned __int128) hi * UINT64_C(26439622160671) + lo;	/* 31^9 */
		uint64_t	low64 = (uint64_t) v;
		uint32_t	high32 = (uint32_t) (v >> 64);

		packed[0] = (uint8_t) (high32 >> 24);
		packed[1] = (uint8_t) (high32 >> 16);
		packed[2] = (uint8_t) (high32 >> 8);
		packed[3] = (uint8_t) high32;
		packed[4] = (uint8_t) (low64 >> 56);
		packed[5] = (uint8_t) (low64 >> 48);
		packed[6] = (uint8_t) (low64 >> 40);
		packed[7] = (uint8_t) (low64 >> 32);
		packed[8] = (uint8_t) (low64 >> 24);
		packed[9] = (uint8_t) (low64 >> 16);
		packed[10] = (uint8_t) (low64 >> 8);
		packed[11] = (uint8_t) low64;
#else
		char		c[USCC_LEN];

		for (i = 0; i < 17; i++)
			c[i] = uscc_charset[(int) idx[i]];
		uscc_pack(c, packed);
#endif
	}
}

static bool
uscc_parse_internal(const char *in, size_t len, bool strict,
					char *canon, uint8_t *packed, ident_error *err)
{
	const unsigned char *s;
	const signed char *tab;
	size_t		n;
	int			sum,
				bad;
	uint64_t	hi = 0,
				lo = 0;
	signed char idx[USCC_LEN];
	int			expected;

	uscc_index_init();
	/* fast path: exactly 18 bytes, no blank at either end */
	if (len == USCC_LEN && !is_blank((unsigned char) in[0]) &&
		!is_blank((unsigned char) in[USCC_LEN - 1]))
		s = (const unsigned char *) in;
	else
	{
		const char *t;

		memset(err, 0, sizeof(*err));
		if (!trim_and_count(in, len, strict, USCC_LEN, &t, &n, err))
			return false;
		s = (const unsigned char *) t;
	}

	/*
	 * D1.1: character set, letters folded to upper case (unless strict);
	 * in the same pass the weighted sum of the check character and the
	 * base-31 value (hi: characters 1-8, lo: 9-17, two short chains).
	 * Written out for the 18 positions: this is most of the work of a COPY
	 * into a uscc column.
	 */
	tab = strict ? uscc_index : uscc_index_fold;
	bad = 0;
	sum = 0;
#define USCC_STEP(i, acc) \
	do { \
		int			x_ = tab[s[i]]; \
		\
		idx[i] = (signed char) x_; \
		bad |= x_;				/* negative when any index is -1 */ \
		sum += x_ * uscc_weights[i]; \
		acc = acc * 31u + (uint64_t) x_; \
	} while (0)
	USCC_STEP(0, hi);
	USCC_STEP(1, hi);
	USCC_STEP(2, hi);
	USCC_STEP(3, hi);
	USCC_STEP(4, hi);
	USCC_STEP(5, hi);
	USCC_STEP(6, hi);
	USCC_STEP(7, hi);
	USCC_STEP(8, lo);
	USCC_STEP(9, lo);
	USCC_STEP(10, lo);
	USCC_STEP(11, lo);
	USCC_STEP(12, lo);
	USCC_STEP(13, lo);
	USCC_STEP(14, lo);
	USCC_STEP(15, lo);
	USCC_STEP(16, lo);
#undef USCC_STEP
	idx[17] = tab[s[17]];
	bad |= idx[17];
	if (bad < 0)
		return uscc_bad_char(in, len, strict, s, idx, err);

	/* D1.1: the check character over positions 1-17. */
	expected = (31 - sum % 31) % 31;
	if (idx[17] != expected)
	{
		memset(err, 0, sizeof(*err));
		err->problem = IDENT_BAD_CHECK;
		err->position = 18;
		err->expected = uscc_charset[expected];
		err->found = uscc_charset[(int) idx[17]];
		return false;
	}

	if (!uscc_rules_ok(idx, err))
		return false;

	uscc_write(idx, hi, lo, canon, packed);
	memset(err, 0, sizeof(*err));
	return true;
}

bool
uscc_parse(const char *in, size_t len, bool strict,
		   char canon[USCC_LEN + 1], ident_error *err)
{
	return uscc_parse_internal(in, len, strict, canon, NULL, err);
}

bool
uscc_parse_packed(const char *in, size_t len, bool strict,
				  uint8_t out[USCC_STORAGE_LEN], ident_error *err)
{
	return uscc_parse_internal(in, len, strict, NULL, out, err);
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* D1.3: a real Gregorian date; D1.3a: dates before 1900 are fine. */
static bool
valid_birth_date(int y, int m, int d)
{
	static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (y < 1800 || m < 1 || m > 12 || d < 1)
		return false;
	if (d > mdays[m - 1] + ((m == 2 && is_leap(y)) ? 1 : 0))
		return false;
	return true;
}

bool
cn_id_parse(const char *in, size_t len, bool strict, int today,
			char canon[CN_ID_LEN + 1], ident_error *err)
{
	const char *s;
	size_t		n;
	int			i;
	int			y,
				m,
				d;
	char		expected;

	memset(err, 0, sizeof(*err));
	if (!trim_and_count(in, len, strict, CN_ID_LEN, &s, &n, err))
		return false;

	/* D1.3: 17 digits, then a digit or X (lower-case x accepted). */
	for (i = 0; i < CN_ID_LEN; i++)
	{
		char		c = s[i];

		if (i == 17 && c == 'x' && !strict)
			c = 'X';
		if (!((c >= '0' && c <= '9') || (i == 17 && c == 'X')))
		{
			set_bad_char(err, i + 1, s[i]);
			if (i == 17)
				err->expected = cn_id_check_char(canon);
			return false;
		}
		canon[i] = c;
	}
	canon[CN_ID_LEN] = '\0';

	/* D1.3: birth date, positions 7-14. */
	y = (canon[6] - '0') * 1000 + (canon[7] - '0') * 100 +
		(canon[8] - '0') * 10 + (canon[9] - '0');
	m = (canon[10] - '0') * 10 + (canon[11] - '0');
	d = (canon[12] - '0') * 10 + (canon[13] - '0');
	if (!valid_birth_date(y, m, d))
	{
		err->problem = IDENT_BAD_DATE;
		err->position = 7;
		err->date = y * 10000 + m * 100 + d;
		return false;
	}
	if (y * 10000 + m * 100 + d > today)
	{
		err->problem = IDENT_FUTURE_DATE;
		err->position = 7;
		err->date = y * 10000 + m * 100 + d;
		return false;
	}

	/* D1.3: ISO 7064 MOD 11-2 check character. */
	expected = cn_id_check_char(canon);
	if (canon[17] != expected)
	{
		err->problem = IDENT_BAD_CHECK;
		err->position = 18;
		err->expected = expected;
		err->found = canon[17];
		return false;
	}
	return true;
}

/*
 * Compact USCC storage: characters 1-17 as a base-31 number (< 31^17 <
 * 2^85), big-endian in 12 bytes, so that memcmp order equals the order of
 * the text form.  The check character is derived again on output.
 */
void
uscc_pack(const char canon[USCC_LEN], uint8_t out[USCC_STORAGE_LEN])
{
	int			i,
				j;

	uscc_index_init();
#ifdef __SIZEOF_INT128__
	{
		unsigned __int128 v = 0;

		for (i = 0; i < 17; i++)
			v = v * 31u + (unsigned int) uscc_index[(unsigned char) canon[i]];
		for (j = USCC_STORAGE_LEN - 1; j >= 0; j--)
		{
			out[j] = (uint8_t) (v & 0xFF);
			v >>= 8;
		}
		return;
	}
#endif
	memset(out, 0, USCC_STORAGE_LEN);
	for (i = 0; i < 17; i++)
	{
		unsigned int carry = (unsigned int) uscc_index[(unsigned char) canon[i]];

		for (j = USCC_STORAGE_LEN - 1; j >= 0; j--)
		{
			unsigned int v = out[j] * 31u + carry;

			out[j] = (uint8_t) (v & 0xFF);
			carry = v >> 8;
		}
	}
}

bool
uscc_unpack(const uint8_t in[USCC_STORAGE_LEN], char canon[USCC_LEN + 1])
{
	uint8_t		work[USCC_STORAGE_LEN];
	int			i,
				j;

	memcpy(work, in, USCC_STORAGE_LEN);
	for (i = 16; i >= 0; i--)
	{
		unsigned int rem = 0;

		for (j = 0; j < USCC_STORAGE_LEN; j++)
		{
			unsigned int v = (rem << 8) | work[j];

			work[j] = (uint8_t) (v / 31);
			rem = v % 31;
		}
		canon[i] = uscc_charset[rem];
	}
	/* anything left means the stored value was out of range */
	for (j = 0; j < USCC_STORAGE_LEN; j++)
		if (work[j] != 0)
			return false;
	canon[17] = uscc_check_char(canon);
	canon[18] = '\0';
	return true;
}

int64_t
cn_id_pack(const char canon[CN_ID_LEN])
{
	int64_t		v = 0;
	int			i;

	for (i = 0; i < 17; i++)
		v = v * 10 + (canon[i] - '0');
	return v;
}

bool
cn_id_unpack(int64_t v, char canon[CN_ID_LEN + 1])
{
	int			i;

	if (v < 0 || v > INT64_C(99999999999999999))
		return false;
	for (i = 16; i >= 0; i--)
	{
		canon[i] = (char) ('0' + v % 10);
		v /= 10;
	}
	canon[17] = cn_id_check_char(canon);
	canon[18] = '\0';
	return true;
}

void
cn_id_mask(const char canon[CN_ID_LEN], char out[CN_ID_LEN + 1])
{
	memcpy(out, canon, 6);
	memset(out + 6, '*', 8);
	memcpy(out + 14, canon + 14, 4);
	out[18] = '\0';
}

/* Common compound (two-character) family names, UTF-8. */
static const char *const compound_surnames[] =
{
	"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容",
	"长孙", "宇文", "司徒", "夏侯", "轩辕", "令狐", "钟离", "端木", "百里",
	"东郭", "南宫", "西门", "独孤", "万俟", "闻人", "澹台", "公冶", "太史",
	"申屠", "赫连", "呼延", "司空", "濮阳", "淳于", "单于", "拓跋", "左丘",
	"第五", "谷梁", "羊舌", "微生", "梁丘", "宗政", "东门", "仲孙", "公羊",
	"乐正", "漆雕", "壤驷", "公良", "巫马", "公西", "颛孙", "子车", "亓官",
	"司寇", "段干", "鲜于", "闾丘", "钟离"
};

size_t
person_name_mask(const char *name, size_t len, char *out)
{
	size_t		keep = 0;
	size_t		o = 0;
	size_t		p;
	size_t		i;

	/* skip leading blanks */
	while (len > 0 && is_blank((unsigned char) *name))
	{
		name++;
		len--;
	}
	while (len > 0 && is_blank((unsigned char) name[len - 1]))
		len--;
	if (len == 0)
	{
		out[0] = '\0';
		return 0;
	}
	for (i = 0; i < sizeof(compound_surnames) / sizeof(compound_surnames[0]); i++)
	{
		size_t		l = strlen(compound_surnames[i]);

		if (len > l && memcmp(name, compound_surnames[i], l) == 0)
		{
			keep = l;
			break;
		}
	}
	if (keep == 0)
	{
		keep = (size_t) utf8_len((unsigned char) name[0]);
		if (keep > len)
			keep = len;
	}
	/* D1.4: a name that is only a family name is masked whole (never shown) */
	if (keep >= len)
		keep = 0;
	memcpy(out, name, keep);
	o = keep;
	for (p = keep; p < len;)
	{
		size_t		l = (size_t) utf8_len((unsigned char) name[p]);

		if (l > len - p)
			l = len - p;
		/* blanks inside a name (transliterations) stay blanks */
		out[o++] = is_blank((unsigned char) name[p]) ? ' ' : '*';
		p += l;
	}
	out[o] = '\0';
	return o;
}
