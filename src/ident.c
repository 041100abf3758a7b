/*
 * ident.c: the glue of integrity.uscc and integrity.cn_id (ident.h).
 *
 * The parsing rules live in ident_core.c (pure C); this file turns their
 * results into Datums and their errors into ereport with SQLSTATE 22P02
 * (22P03 for binary input).
 */
#include "postgres.h"

#include "access/hash.h"
#include "access/xact.h"
#include "common/hashfn.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "ident.h"
#include "pg_util.h"

#define USCC_TYPE_NAME "integrity.uscc"
#define CN_ID_TYPE_NAME "integrity.cn_id"

/* A stored uscc: 12 bytes, fixed length, passed by reference. */
typedef struct uscc_value
{
	uint8		b[USCC_STORAGE_LEN];
} uscc_value;

#define DatumGetUsccP(X)	((uscc_value *) DatumGetPointer(X))
#define PG_GETARG_USCC_P(n) DatumGetUsccP(PG_GETARG_DATUM(n))
#define PG_GETARG_CN_ID(n)	PG_GETARG_INT64(n)

/* today (pg_util.h: once per transaction) as yyyymmdd */
static int
today_yyyymmdd(void)
{
	int			y,
				m,
				d;

	j2date(transaction_today() + POSTGRES_EPOCH_JDATE, &y, &m, &d);
	return y * 10000 + m * 100 + d;
}

/* Input as it appears in a message: clipped so a huge value stays readable. */
static char *
shown_input(const char *in, size_t len)
{
	int			clip;

	if (len <= 64)
		return pnstrdup(in, len);
	clip = pg_mbcliplen(in, (int) len, 64);
	return psprintf("%s...", pnstrdup(in, clip));
}

/*
 * The offending character as it can be shown: itself when it is a valid,
 * printable character of the database encoding, else its bytes as \xNN.
 */
static const char *
shown_char(const ident_error *e)
{
	const unsigned char *c = (const unsigned char *) e->bad_char;
	int			len = (int) strlen(e->bad_char);
	StringInfoData buf;
	int			i;

	if (len > 0 && c[0] >= 0x20 && c[0] != 0x7F &&
		pg_verifymbstr(e->bad_char, len, true))
		return e->bad_char;
	initStringInfo(&buf);
	if (len == 0)
		appendStringInfoString(&buf, "\\x00");
	for (i = 0; i < len; i++)
		appendStringInfo(&buf, "\\x%02X", c[i]);
	return buf.data;
}

/* errdetail for a parse failure: says exactly what is wrong. */
static int
ident_errdetail(const char *what, const ident_error *e)
{
	switch (e->problem)
	{
		case IDENT_BAD_LENGTH:
			return errdetail("A %s has 18 characters, not %d.", what, e->length);
		case IDENT_BAD_CHARACTER:
			if (e->expected)
				return errdetail("Character \"%s\" at position %d is not allowed: the check character should be \"%c\".",
								 shown_char(e), e->position, e->expected);
			if (strcmp(what, "USCC") == 0)
				return errdetail("Character \"%s\" at position %d is not allowed: a USCC uses digits and upper-case letters other than I, O, S, V and Z.",
								 shown_char(e), e->position);
			return errdetail("Character \"%s\" at position %d is not allowed: a resident ID has 17 digits, then a digit or X.",
							 shown_char(e), e->position);
		case IDENT_BAD_CHECK:
			return errdetail("The check character at position 18 should be \"%c\", not \"%c\".",
							 e->expected, e->found);
		case IDENT_BAD_ORG_CHECK:
			return errdetail("The organization code check character at position 17 should be \"%c\", not \"%c\" (GB 11714).",
							 e->expected, e->found);
		case IDENT_BAD_AUTHORITY:
			return errdetail("Registration authority code \"%c\" at position 1 does not exist.",
							 e->authority);
		case IDENT_BAD_CATEGORY:
			return errdetail("Category \"%c\" at position 2 is not allowed for registration authority \"%c\" (%s).",
							 e->category, e->authority,
							 uscc_authority_name(e->authority));
		case IDENT_BAD_REGION:
			return errdetail("The region code (positions 3-8) must be digits; found \"%s\" at position %d.",
							 e->bad_char, e->position);
		case IDENT_BAD_DATE:
			return errdetail("Birth date %08d (positions 7-14) is not a real date.",
							 e->date);
		case IDENT_FUTURE_DATE:
			return errdetail("Birth date %04d-%02d-%02d (positions 7-14) is in the future.",
							 e->date / 10000, (e->date / 100) % 100, e->date % 100);
		case IDENT_OK:
			break;
	}
	return 0;
}

static void
report_text_error(const char *typname, const char *what, const char *in,
				  size_t len, const ident_error *e)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"",
					typname, shown_input(in, len)),
			 ident_errdetail(what, e)));
}

static void
report_binary_error(const char *typname, const char *what, const ident_error *e)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid external binary value for type %s", typname),
			 ident_errdetail(what, e),
			 errhint("The binary form is the 18 characters of the canonical text form.")));
}

/* ---------------------------------------------------------------- uscc */

static uscc_value *
uscc_from_canon(const char *canon)
{
	uscc_value *v = (uscc_value *) palloc(sizeof(uscc_value));

	uscc_pack(canon, v->b);
	return v;
}

static void
uscc_to_canon(const uscc_value *v, char *canon)
{
	if (!uscc_unpack(v->b, canon))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored value of type %s is out of range", USCC_TYPE_NAME)));
}

PG_FUNCTION_INFO_V1(uscc_in);
Datum
uscc_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	size_t		len = strlen(str);
	uscc_value *v = (uscc_value *) palloc(sizeof(uscc_value));
	ident_error e;

	if (!uscc_parse_packed(str, len, false, v->b, &e))
		report_text_error(USCC_TYPE_NAME, "USCC", str, len, &e);
	PG_RETURN_POINTER(v);
}

PG_FUNCTION_INFO_V1(uscc_out);
Datum
uscc_out(PG_FUNCTION_ARGS)
{
	uscc_value *v = PG_GETARG_USCC_P(0);
	char	   *canon = palloc(USCC_LEN + 1);

	uscc_to_canon(v, canon);
	PG_RETURN_CSTRING(canon);
}

/* Binary input: exactly the 18 canonical characters, validated as in. */
PG_FUNCTION_INFO_V1(uscc_recv);
Datum
uscc_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			n = buf->len - buf->cursor;
	const char *bytes = pq_getmsgbytes(buf, n);
	char		canon[USCC_LEN + 1];
	ident_error e;

	if (!uscc_parse(bytes, (size_t) n, true, canon, &e))
		report_binary_error(USCC_TYPE_NAME, "USCC", &e);
	PG_RETURN_POINTER(uscc_from_canon(canon));
}

PG_FUNCTION_INFO_V1(uscc_send);
Datum
uscc_send(PG_FUNCTION_ARGS)
{
	uscc_value *v = PG_GETARG_USCC_P(0);
	char		canon[USCC_LEN + 1];
	StringInfoData buf;

	uscc_to_canon(v, canon);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, canon, USCC_LEN);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static inline int
uscc_cmp_internal(const uscc_value *a, const uscc_value *b)
{
	return memcmp(a->b, b->b, USCC_STORAGE_LEN);
}

PG_FUNCTION_INFO_V1(uscc_cmp);
Datum
uscc_cmp(PG_FUNCTION_ARGS)
{
	int			c = uscc_cmp_internal(PG_GETARG_USCC_P(0), PG_GETARG_USCC_P(1));

	PG_RETURN_INT32(c < 0 ? -1 : (c > 0 ? 1 : 0));
}

#define USCC_CMP_FUNC(name, op) \
PG_FUNCTION_INFO_V1(name); \
Datum \
name(PG_FUNCTION_ARGS) \
{ \
	PG_RETURN_BOOL(uscc_cmp_internal(PG_GETARG_USCC_P(0), PG_GETARG_USCC_P(1)) op 0); \
}

USCC_CMP_FUNC(uscc_eq, ==)
USCC_CMP_FUNC(uscc_ne, !=)
USCC_CMP_FUNC(uscc_lt, <)
USCC_CMP_FUNC(uscc_le, <=)
USCC_CMP_FUNC(uscc_gt, >)
USCC_CMP_FUNC(uscc_ge, >=)

PG_FUNCTION_INFO_V1(uscc_hash);
Datum
uscc_hash(PG_FUNCTION_ARGS)
{
	uscc_value *v = PG_GETARG_USCC_P(0);

	return hash_any(v->b, USCC_STORAGE_LEN);
}

PG_FUNCTION_INFO_V1(uscc_hash_extended);
Datum
uscc_hash_extended(PG_FUNCTION_ARGS)
{
	uscc_value *v = PG_GETARG_USCC_P(0);

	return hash_any_extended(v->b, USCC_STORAGE_LEN, PG_GETARG_INT64(1));
}

/* uscc_is_valid(text): never raises. */
PG_FUNCTION_INFO_V1(uscc_is_valid);
Datum
uscc_is_valid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char		canon[USCC_LEN + 1];
	ident_error e;

	PG_RETURN_BOOL(uscc_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), false,
							  canon, &e));
}

static text *
uscc_part(const uscc_value *v, int from, int count)
{
	char		canon[USCC_LEN + 1];

	uscc_to_canon(v, canon);
	return cstring_to_text_with_len(canon + from, count);
}

/* D1.1 position 1: 登记管理部门码 */
PG_FUNCTION_INFO_V1(uscc_authority);
Datum
uscc_authority(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(uscc_part(PG_GETARG_USCC_P(0), 0, 1));
}

/* D1.1 position 2: 机构类别码 */
PG_FUNCTION_INFO_V1(uscc_category);
Datum
uscc_category(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(uscc_part(PG_GETARG_USCC_P(0), 1, 1));
}

/* D1.1 positions 3-8: 登记管理机关行政区划码 */
PG_FUNCTION_INFO_V1(uscc_region);
Datum
uscc_region(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(uscc_part(PG_GETARG_USCC_P(0), 2, 6));
}

/* D1.1 positions 9-17: 组织机构代码 (GB 11714, 8 + check) */
PG_FUNCTION_INFO_V1(uscc_org_code);
Datum
uscc_org_code(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(uscc_part(PG_GETARG_USCC_P(0), 8, 9));
}

/* The D1.1a authority/category table, as rows. */
PG_FUNCTION_INFO_V1(uscc_category_table);
Datum
uscc_category_table(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < uscc_categories_count; i++)
	{
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		values[0] = PointerGetDatum(cstring_to_text_with_len(&uscc_categories[i].authority, 1));
		values[1] = CStringGetTextDatum(uscc_categories[i].authority_name);
		values[2] = PointerGetDatum(cstring_to_text_with_len(&uscc_categories[i].category, 1));
		values[3] = CStringGetTextDatum(uscc_categories[i].category_name);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------- cn_id */

static void
cn_id_to_canon(int64 v, char *canon)
{
	if (!cn_id_unpack(v, canon))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("stored value of type %s is out of range", CN_ID_TYPE_NAME)));
}

PG_FUNCTION_INFO_V1(cn_id_in);
Datum
cn_id_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	size_t		len = strlen(str);
	char		canon[CN_ID_LEN + 1];
	ident_error e;

	if (!cn_id_parse(str, len, false, today_yyyymmdd(), canon, &e))
		report_text_error(CN_ID_TYPE_NAME, "resident ID", str, len, &e);
	PG_RETURN_INT64(cn_id_pack(canon));
}

PG_FUNCTION_INFO_V1(cn_id_out);
Datum
cn_id_out(PG_FUNCTION_ARGS)
{
	char	   *canon = palloc(CN_ID_LEN + 1);

	cn_id_to_canon(PG_GETARG_CN_ID(0), canon);
	PG_RETURN_CSTRING(canon);
}

PG_FUNCTION_INFO_V1(cn_id_recv);
Datum
cn_id_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			n = buf->len - buf->cursor;
	const char *bytes = pq_getmsgbytes(buf, n);
	char		canon[CN_ID_LEN + 1];
	ident_error e;

	if (!cn_id_parse(bytes, (size_t) n, true, today_yyyymmdd(), canon, &e))
		report_binary_error(CN_ID_TYPE_NAME, "resident ID", &e);
	PG_RETURN_INT64(cn_id_pack(canon));
}

PG_FUNCTION_INFO_V1(cn_id_send);
Datum
cn_id_send(PG_FUNCTION_ARGS)
{
	char		canon[CN_ID_LEN + 1];
	StringInfoData buf;

	cn_id_to_canon(PG_GETARG_CN_ID(0), canon);
	pq_begintypsend(&buf);
	pq_sendbytes(&buf, canon, CN_ID_LEN);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

PG_FUNCTION_INFO_V1(cn_id_is_valid);
Datum
cn_id_is_valid(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	char		canon[CN_ID_LEN + 1];
	ident_error e;

	PG_RETURN_BOOL(cn_id_parse(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), false,
							   today_yyyymmdd(), canon, &e));
}

PG_FUNCTION_INFO_V1(cn_id_birth_date);
Datum
cn_id_birth_date(PG_FUNCTION_ARGS)
{
	char		c[CN_ID_LEN + 1];
	int			y,
				m,
				d;

	cn_id_to_canon(PG_GETARG_CN_ID(0), c);
	y = (c[6] - '0') * 1000 + (c[7] - '0') * 100 + (c[8] - '0') * 10 + (c[9] - '0');
	m = (c[10] - '0') * 10 + (c[11] - '0');
	d = (c[12] - '0') * 10 + (c[13] - '0');
	PG_RETURN_DATEADT(date2j(y, m, d) - POSTGRES_EPOCH_JDATE);
}

/* D1.3: the 17th character (end of the sequence code) odd = male. */
PG_FUNCTION_INFO_V1(cn_id_sex);
Datum
cn_id_sex(PG_FUNCTION_ARGS)
{
	char		c[CN_ID_LEN + 1];

	cn_id_to_canon(PG_GETARG_CN_ID(0), c);
	PG_RETURN_TEXT_P(cstring_to_text(((c[16] - '0') % 2 == 1) ? "M" : "F"));
}

PG_FUNCTION_INFO_V1(cn_id_region);
Datum
cn_id_region(PG_FUNCTION_ARGS)
{
	char		c[CN_ID_LEN + 1];

	cn_id_to_canon(PG_GETARG_CN_ID(0), c);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(c, 6));
}

/* D1.4: the public masked form. */
PG_FUNCTION_INFO_V1(cn_id_mask_fn);
Datum
cn_id_mask_fn(PG_FUNCTION_ARGS)
{
	char		c[CN_ID_LEN + 1];
	char		masked[CN_ID_LEN + 1];

	cn_id_to_canon(PG_GETARG_CN_ID(0), c);
	cn_id_mask(c, masked);
	PG_RETURN_TEXT_P(cstring_to_text(masked));
}

/* D1.4: masked name of a natural person. */
PG_FUNCTION_INFO_V1(mask_person_name);
Datum
mask_person_name(PG_FUNCTION_ARGS)
{
	text	   *t = PG_GETARG_TEXT_PP(0);
	size_t		len = VARSIZE_ANY_EXHDR(t);
	char	   *out = palloc(len + 1);	/* '*' is never longer than the character */
	size_t		n = person_name_mask(VARDATA_ANY(t), len, out);

	PG_RETURN_TEXT_P(cstring_to_text_with_len(out, (int) n));
}
