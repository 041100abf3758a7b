/*
 * ident.h: pure-C parsers for the identifier types (DOMAIN.md D1).
 *
 * No PostgreSQL headers: this file and ident_core.c are unit-tested and
 * fuzzed outside the server.  The fmgr glue in ident.c turns an
 * ident_error into ereport(ERROR) with SQLSTATE 22P02.
 */
#ifndef INTEGRITY_IDENT_H
#define INTEGRITY_IDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define USCC_LEN 18
#define CN_ID_LEN 18
#define USCC_STORAGE_LEN 12		/* packed base-31 value of characters 1-17 */

typedef enum ident_problem
{
	IDENT_OK = 0,
	IDENT_BAD_LENGTH,			/* length holds the number of characters */
	IDENT_BAD_CHARACTER,		/* position, bad_char */
	IDENT_BAD_CHECK,			/* position 18: expected, found */
	IDENT_BAD_ORG_CHECK,		/* USCC position 17 (GB 11714): expected, found */
	IDENT_BAD_AUTHORITY,		/* USCC position 1 */
	IDENT_BAD_CATEGORY,			/* USCC position 2 not allowed for position 1 */
	IDENT_BAD_REGION,			/* USCC positions 3-8 must be digits */
	IDENT_BAD_DATE,				/* cn_id positions 7-14 not a real date */
	IDENT_FUTURE_DATE			/* cn_id birth date after "today" */
} ident_problem;

typedef struct ident_error
{
	ident_problem problem;
	int			length;			/* characters found (IDENT_BAD_LENGTH) */
	int			position;		/* 1-based character position */
	char		bad_char[8];	/* the offending character, UTF-8, NUL-ended */
	char		expected;		/* expected check character (also set for a
								 * bad character at position 18) */
	char		found;			/* check character found */
	char		authority;		/* USCC position 1 */
	char		category;		/* USCC position 2 */
	int			date;			/* cn_id birth date as yyyymmdd */
} ident_error;

/* One row of the GB 32100 registration authority / category table (D1.1a). */
typedef struct uscc_category_row
{
	char		authority;
	const char *authority_name;
	char		category;
	const char *category_name;
} uscc_category_row;

extern const uscc_category_row uscc_categories[];
extern const int uscc_categories_count;

/*
 * Parse text (not necessarily NUL-terminated) into the canonical 18
 * characters.  Surrounding ASCII blanks are trimmed and letters folded to
 * upper case.  On success canon[0..17] holds the code and canon[18] = '\0'.
 * "strict" (binary receive) accepts only the canonical form: no blanks, no
 * lower case.
 */
extern bool uscc_parse(const char *in, size_t len, bool strict,
					   char canon[USCC_LEN + 1], ident_error *err);

/* uscc_parse, giving the packed storage form directly (the input path) */
extern bool uscc_parse_packed(const char *in, size_t len, bool strict,
							  uint8_t out[USCC_STORAGE_LEN], ident_error *err);

/* today: yyyymmdd of the current date; birth dates after it are refused. */
extern bool cn_id_parse(const char *in, size_t len, bool strict, int today,
						char canon[CN_ID_LEN + 1], ident_error *err);

/* Check characters (callers pass validated characters). */
extern char uscc_check_char(const char code[17]);
extern char uscc_org_check_char(const char body[8]);
extern char cn_id_check_char(const char digits[17]);

/* Compact storage. */
extern void uscc_pack(const char canon[USCC_LEN], uint8_t out[USCC_STORAGE_LEN]);
extern bool uscc_unpack(const uint8_t in[USCC_STORAGE_LEN], char canon[USCC_LEN + 1]);
extern int64_t cn_id_pack(const char canon[CN_ID_LEN]);
extern bool cn_id_unpack(int64_t v, char canon[CN_ID_LEN + 1]);

/* Names from the authority/category table, or NULL. */
extern const char *uscc_authority_name(char authority);
extern const char *uscc_category_name(char authority, char category);

/* Public masked form of a resident ID (D1.4): 6 + "********" + 4. */
extern void cn_id_mask(const char canon[CN_ID_LEN], char out[CN_ID_LEN + 1]);

/*
 * Masked name of a natural person (D1.4): the family name kept, each other
 * character replaced by '*'.  Compound family names (欧阳, 司马, ...) are
 * kept whole.  Input and output are UTF-8; out must hold len + 1 bytes.
 * Returns the output length.
 */
extern size_t person_name_mask(const char *name, size_t len, char *out);

#endif
