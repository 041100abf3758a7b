/*
 * payload_core.c: the canonical disclosure payload, written directly
 * (see payload.h).  No PostgreSQL headers.
 */
#include "payload.h"

#include <stdio.h>
#include <string.h>

#include "ident.h"
#include "json_canon.h"
#include "text.h"

/* the reference (jsonb numeric -> text -> IEEE double) is exact up to 2^53 */
#define EXACT_INT_MAX 9007199254740992LL

/* masked names longer than this (bytes) take the reference path */
#define NAME_MAX_BYTES 1024

typedef enum
{
	V_NULL,
	V_TEXT,
	V_INT,
	V_SUBJECT
} vkind;

typedef struct member
{
	const char *name;
	vkind		kind;
	payload_text text;
	int64_t		num;
} member;

typedef struct writer
{
	char	   *p;
	char	   *err;
	size_t		errlen;
	bool		ok;
} writer;

static void
fail(writer *w, const char *why)
{
	if (w->ok && w->errlen > 0)
	{
		strncpy(w->err, why, w->errlen - 1);
		w->err[w->errlen - 1] = '\0';
	}
	w->ok = false;
}

static payload_text
lit(const char *s)
{
	payload_text t;

	t.s = s;
	t.len = strlen(s);
	return t;
}

/* coalesce(t, dflt) */
static payload_text
or_text(payload_text t, payload_text dflt)
{
	return t.s ? t : dflt;
}

/* valid UTF-8 as json_canonicalize reads it: no overlong forms, surrogates, NUL */
static bool
utf8_ok(const unsigned char *s, size_t n)
{
	size_t		i = 0;

	while (i < n)
	{
		uint32_t	cp;
		size_t		k = utf8_decode(s + i, n - i, &cp);

		if (k == 0 || cp == 0)
			return false;
		i += k;
	}
	return true;
}

static void
put(writer *w, const char *s, size_t n)
{
	memcpy(w->p, s, n);
	w->p += n;
}

static void
put_string(writer *w, payload_text t)
{
	size_t		i,
				run = 0;

	if (!utf8_ok((const unsigned char *) t.s, t.len))
	{
		fail(w, "text is not valid UTF-8");
		return;
	}
	*w->p++ = '"';
	for (i = 0; i < t.len; i++)
	{
		char		esc[6];
		size_t		elen = json_canon_escape((unsigned char) t.s[i], esc);

		if (elen == 0)
			continue;
		put(w, t.s + run, i - run);
		run = i + 1;
		put(w, esc, elen);
	}
	put(w, t.s + run, t.len - run);
	*w->p++ = '"';
}

static void
put_int(writer *w, int64_t v)
{
	if (v > EXACT_INT_MAX || v < -EXACT_INT_MAX)
	{
		fail(w, "integer beyond 2^53");
		return;
	}
	w->p += sprintf(w->p, "%lld", (long long) v);
}

/* object members in the canonical order of their names (insertion sort) */
static void
sort_members(member *m, int n)
{
	int			i,
				j;

	for (i = 1; i < n; i++)
	{
		member		x = m[i];

		for (j = i; j > 0 && json_canon_name_cmp(m[j - 1].name, strlen(m[j - 1].name),
												 x.name, strlen(x.name)) > 0; j--)
			m[j] = m[j - 1];
		m[j] = x;
	}
}

static void put_object(writer *w, member *m, int n, const disclosure_fields *f);

/* D1.4: a person's name and resident ID are disclosed masked */
typedef struct masked
{
	bool		person;
	payload_text name;
	payload_text id;			/* mask(cn_id), NULL if cn_id is */
	char		name_buf[NAME_MAX_BYTES + 1];
	char		id_buf[CN_ID_LEN + 1];
} masked;

static void
mask_subject(writer *w, const disclosure_fields *f, masked *m)
{
	m->person = f->subject_kind.s != NULL && f->subject_kind.len == strlen("civil_servant") &&
		memcmp(f->subject_kind.s, "civil_servant", f->subject_kind.len) == 0;
	m->name = f->subject_name;
	m->id.s = NULL;
	m->id.len = 0;
	if (!m->person)
		return;
	if (f->subject_name.s)
	{
		if (f->subject_name.len > NAME_MAX_BYTES)
		{
			fail(w, "name too long");
			return;
		}
		m->name.s = m->name_buf;
		m->name.len = person_name_mask(f->subject_name.s, f->subject_name.len, m->name_buf);
	}
	if (f->cn_id.s)
	{
		if (f->cn_id.len != CN_ID_LEN)
		{
			fail(w, "resident ID not in canonical form");
			return;
		}
		cn_id_mask(f->cn_id.s, m->id_buf);
		m->id.s = m->id_buf;
		m->id.len = strlen(m->id_buf);
	}
}

static void
put_value(writer *w, const member *m, const disclosure_fields *f)
{
	switch (m->kind)
	{
		case V_NULL:
			put(w, "null", 4);
			break;
		case V_TEXT:
			if (m->text.s)
				put_string(w, m->text);
			else
				put(w, "null", 4);
			break;
		case V_INT:
			put_int(w, m->num);
			break;
		case V_SUBJECT:
			{
				masked	   *mk = (masked *) m->text.s;
				member		s[3];

				s[0].name = "kind";
				s[0].kind = V_TEXT;
				s[0].text = f->subject_kind;
				s[1].name = "name";
				s[1].kind = V_TEXT;
				s[1].text = mk->name;
				s[2].name = "code";
				s[2].kind = V_TEXT;
				s[2].text = mk->person ? mk->id : or_text(f->uscc, f->legacy_code);
				put_object(w, s, 3, f);
			}
			break;
	}
}

static void
put_object(writer *w, member *m, int n, const disclosure_fields *f)
{
	int			i;

	sort_members(m, n);
	*w->p++ = '{';
	for (i = 0; i < n && w->ok; i++)
	{
		if (i > 0)
			*w->p++ = ',';
		put_string(w, lit(m[i].name));
		*w->p++ = ':';
		put_value(w, &m[i], f);
	}
	*w->p++ = '}';
}

#define TEXT(nm, v)   do { m[n].name = (nm); m[n].kind = V_TEXT; m[n].text = (v); n++; } while (0)
#define INT(nm, v, isnull) \
	do { m[n].name = (nm); m[n].kind = (isnull) ? V_NULL : V_INT; m[n].num = (v); n++; } while (0)

size_t
disclosure_payload_bound(const disclosure_fields *f)
{
	const payload_text *t[] = {
		&f->event, &f->disclosed_on, &f->origin, &f->state, &f->category, &f->severity,
		&f->domain, &f->decided_on, &f->document_no, &f->source_unit, &f->summary,
		&f->publicity_until, &f->accident_level, &f->subject_kind, &f->subject_name,
		&f->uscc, &f->legacy_code, &f->cn_id, &f->category_name
	};
	size_t		n = 4096;		/* names, numbers, punctuation, fixed values */
	size_t		i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (t[i]->s)
			n += 6 * t[i]->len + 2;
	/* summary and source_unit appear twice in the 双公示 form */
	if (f->summary.s)
		n += 6 * f->summary.len + 2;
	if (f->source_unit.s)
		n += 6 * f->source_unit.len + 2;
	return n;
}

bool
disclosure_payload_write(const disclosure_fields *f, char *out, size_t *outlen,
						 char *err, size_t errlen)
{
	writer		w;
	member		m[32];
	int			n = 0;
	masked		mk;
	payload_text empty = lit("");

	w.p = out;
	w.err = err;
	w.errlen = errlen;
	w.ok = true;
	if (errlen > 0)
		err[0] = '\0';
	*outlen = 0;

	mask_subject(&w, f, &mk);
	if (!w.ok)
		return false;

	TEXT("event", f->event);
	TEXT("origin", f->origin);
	INT("record_id", f->record_id, false);
	TEXT("state", f->state);
	TEXT("disclosed_on", f->disclosed_on);

	if (f->category.s && f->category.len == strlen("admin_penalty") &&
		memcmp(f->category.s, "admin_penalty", f->category.len) == 0)
	{
		/* D5a: 双公示 — the national field names of administrative penalties */
		bool		objected = f->state.s && f->state.len == strlen("objected") &&
			memcmp(f->state.s, "objected", f->state.len) == 0;

		TEXT("行政相对人名称", mk.name);
		TEXT("行政相对人类别", lit(mk.person ? "自然人" : "法人及非法人组织"));
		TEXT("统一社会信用代码", or_text(f->uscc, or_text(f->legacy_code, empty)));
		TEXT("法定代表人", empty);
		TEXT("证件类型", mk.person ? lit("身份证") : empty);
		TEXT("证件号码", mk.person ? mk.id : empty);
		TEXT("行政处罚决定书文号", or_text(f->document_no, empty));
		TEXT("违法行为类型", empty);
		TEXT("违法事实", or_text(f->summary, empty));
		TEXT("处罚依据", empty);
		TEXT("处罚类别", empty);
		TEXT("处罚内容", or_text(f->summary, empty));
		TEXT("罚款金额（万元）", empty);
		TEXT("处罚决定日期", f->decided_on);
		TEXT("处罚有效期", f->publicity_until);
		TEXT("公示截止期", f->publicity_until);
		TEXT("处罚机关", or_text(f->source_unit, empty));
		TEXT("处罚机关统一社会信用代码", empty);
		TEXT("数据来源单位", or_text(f->source_unit, empty));
		TEXT("数据来源单位统一社会信用代码", empty);
		TEXT("备注", objected ? lit("异议处理中") : empty);
	}
	else
	{
		m[n].name = "subject";
		m[n].kind = V_SUBJECT;
		m[n].text.s = (const char *) &mk;
		m[n].text.len = 0;
		n++;
		TEXT("category", f->category);
		TEXT("category_name", f->category_name);
		TEXT("severity", f->severity);
		TEXT("domain", f->domain);
		TEXT("decided_on", f->decided_on);
		TEXT("document_no", or_text(f->document_no, empty));
		TEXT("source_unit", or_text(f->source_unit, empty));
		TEXT("summary", or_text(f->summary, empty));
		TEXT("publicity_until", f->publicity_until);
		TEXT("accident_level", f->accident_level);
		INT("deaths", f->deaths, f->deaths_null);
		INT("supersedes", f->supersedes, f->supersedes_null);
	}
	if (f->linked)
	{
		/* issue 17: the subject's chain of disclosures, in both forms */
		INT("subject_id", f->subject_id, false);
		INT("prev_seq", f->prev_seq, false);
	}

	put_object(&w, m, n, f);
	if (!w.ok)
		return false;
	*w.p = '\0';
	*outlen = (size_t) (w.p - out);
	return true;
}
