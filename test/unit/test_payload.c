/*
 * test_payload.c: unit tests of src/payload_core.c (TAP output).
 *
 * The byte-for-byte equality with integrity._disclosure_payload() +
 * canonicalization is tested in SQL (test/03_log.sql); here: the
 * exact text of each form, masking (D1.4), the 双公示 names (D5a), escaping,
 * NULLs, the inputs without a fast form, and that every output is already
 * canonical (json_canon_core.c) for random text fields.
 */
#include "payload.h"
#include "json_canon.h"
#include "tap.h"

#include <stdlib.h>
#include <string.h>

static payload_text
T(const char *s)
{
	payload_text t;

	t.s = s;
	t.len = s ? strlen(s) : 0;
	return t;
}

static disclosure_fields
enterprise_record(void)
{
	disclosure_fields f;

	memset(&f, 0, sizeof(f));
	f.event = T("publish");
	f.disclosed_on = T("2026-07-01");
	f.origin = T("110000");
	f.record_id = 42;
	f.state = T("published");
	f.category = T("breach_of_contract");
	f.category_name = T("失信违约");
	f.severity = T("serious");
	f.domain = T("其他");
	f.decided_on = T("2026-06-01");
	f.document_no = T("京建[2026]7号");
	f.source_unit = T("住建委");
	f.summary = T("拖欠工程款");
	f.publicity_until = T("2029-06-01");
	f.accident_level = T(NULL);
	f.deaths = 0;
	f.supersedes_null = true;
	f.subject_kind = T("enterprise");
	f.subject_name = T("某某建设有限公司");
	f.uscc = T("91110000600037341L");
	f.legacy_code = T(NULL);
	f.cn_id = T(NULL);
	return f;
}

static char *
write(const disclosure_fields *f, bool *okp, char *err)
{
	char	   *buf = malloc(disclosure_payload_bound(f));
	size_t		len;

	*okp = disclosure_payload_write(f, buf, &len, err, 128);
	if (*okp && strlen(buf) != len)
		*okp = false;
	return buf;
}

static bool
canonical(const char *s)
{
	return json_is_canonical(s, strlen(s));
}

int
main(void)
{
	disclosure_fields f;
	char		err[128];
	char	   *out;
	bool		w;
	int			i;

	/* the general form: members sorted by name, subject nested */
	f = enterprise_record();
	out = write(&f, &w, err);
	ok(w, "enterprise record written");
	ok(strcmp(out,
			  "{\"accident_level\":null,\"category\":\"breach_of_contract\",\"category_name\":\"失信违约\","
			  "\"deaths\":0,\"decided_on\":\"2026-06-01\",\"disclosed_on\":\"2026-07-01\","
			  "\"document_no\":\"京建[2026]7号\",\"domain\":\"其他\",\"event\":\"publish\","
			  "\"origin\":\"110000\",\"publicity_until\":\"2029-06-01\",\"record_id\":42,"
			  "\"severity\":\"serious\",\"source_unit\":\"住建委\",\"state\":\"published\","
			  "\"subject\":{\"code\":\"91110000600037341L\",\"kind\":\"enterprise\",\"name\":\"某某建设有限公司\"},"
			  "\"summary\":\"拖欠工程款\",\"supersedes\":null}") == 0,
	   "general form, exact text: %s", out);
	ok(canonical(out), "general form is canonical");
	free(out);

	/* issue 17: the back-link, in its sorted places (prev_seq after origin, subject_id after subject) */
	f = enterprise_record();
	f.linked = true;
	f.subject_id = 5;
	f.prev_seq = 0;
	out = write(&f, &w, err);
	ok(w && strstr(out, "\"origin\":\"110000\",\"prev_seq\":0,\"publicity_until\"") &&
	   strstr(out, "\"name\":\"某某建设有限公司\"},\"subject_id\":5,\"summary\"") && canonical(out),
	   "issue 17 linked payload: prev_seq 0 and subject_id in canonical order: %s", out);
	free(out);
	f.prev_seq = 9007199254740993LL;
	out = write(&f, &w, err);
	ok(!w, "issue 17 a prev_seq beyond 2^53 has no fast form (the reference writes it)");
	free(out);
	f = enterprise_record();
	f.category = T("admin_penalty");
	f.linked = true;
	f.subject_id = 5;
	f.prev_seq = 41;
	out = write(&f, &w, err);
	ok(w && strstr(out, "\"prev_seq\":41") && strstr(out, "\"subject_id\":5") && canonical(out),
	   "issue 17 the 双公示 form carries the back-link too: %s", out);
	free(out);

	/* NULL texts become "" where the reference coalesces, null elsewhere */
	f = enterprise_record();
	f.document_no = T(NULL);
	f.source_unit = T(NULL);
	f.summary = T(NULL);
	f.uscc = T(NULL);
	f.legacy_code = T("LEGACY-1");
	f.supersedes_null = false;
	f.supersedes = 7;
	f.deaths = 3;
	f.accident_level = T("major");
	out = write(&f, &w, err);
	ok(w && strstr(out, "\"document_no\":\"\"") && strstr(out, "\"source_unit\":\"\"") &&
	   strstr(out, "\"summary\":\"\"") && strstr(out, "\"code\":\"LEGACY-1\"") &&
	   strstr(out, "\"supersedes\":7") && strstr(out, "\"deaths\":3") &&
	   strstr(out, "\"accident_level\":\"major\""), "coalesced and filled fields: %s", out);
	free(out);
	f.legacy_code = T(NULL);
	out = write(&f, &w, err);
	ok(w && strstr(out, "\"code\":null"), "subject without a code: null");
	free(out);

	/* D1.4: a person is masked */
	f = enterprise_record();
	f.category = T("disciplinary_sanction");
	f.subject_kind = T("civil_servant");
	f.subject_name = T("欧阳明华");
	f.uscc = T(NULL);
	f.cn_id = T("11010519491231002X");
	out = write(&f, &w, err);
	ok(w && strstr(out, "\"subject\":{\"code\":\"110105********002X\",\"kind\":\"civil_servant\",\"name\":\"欧阳**\"}"),
	   "civil servant masked: %s", out);
	ok(strstr(out, "11010519491231002X") == NULL && strstr(out, "明华") == NULL, "no unmasked identifier left");
	free(out);

	/* D5a: admin_penalty in the 双公示 names */
	f = enterprise_record();
	f.category = T("admin_penalty");
	f.state = T("objected");
	f.event = T("objection");
	out = write(&f, &w, err);
	ok(w, "admin_penalty written");
	ok(strcmp(out,
			  "{\"disclosed_on\":\"2026-07-01\",\"event\":\"objection\",\"origin\":\"110000\",\"record_id\":42,"
			  "\"state\":\"objected\",\"公示截止期\":\"2029-06-01\",\"处罚依据\":\"\",\"处罚内容\":\"拖欠工程款\","
			  "\"处罚决定日期\":\"2026-06-01\",\"处罚有效期\":\"2029-06-01\",\"处罚机关\":\"住建委\","
			  "\"处罚机关统一社会信用代码\":\"\",\"处罚类别\":\"\",\"备注\":\"异议处理中\",\"数据来源单位\":\"住建委\","
			  "\"数据来源单位统一社会信用代码\":\"\",\"法定代表人\":\"\",\"统一社会信用代码\":\"91110000600037341L\","
			  "\"罚款金额（万元）\":\"\",\"行政处罚决定书文号\":\"京建[2026]7号\",\"行政相对人名称\":\"某某建设有限公司\","
			  "\"行政相对人类别\":\"法人及非法人组织\",\"证件号码\":\"\",\"证件类型\":\"\",\"违法事实\":\"拖欠工程款\",\"违法行为类型\":\"\"}") == 0,
	   "admin_penalty, exact text: %s", out);
	ok(canonical(out), "admin_penalty form is canonical");
	free(out);
	f.subject_kind = T("civil_servant");
	f.subject_name = T("张三");
	f.uscc = T(NULL);
	f.cn_id = T("11010519491231002X");
	f.state = T("published");
	out = write(&f, &w, err);
	ok(w && strstr(out, "\"行政相对人名称\":\"张*\"") && strstr(out, "\"行政相对人类别\":\"自然人\"") &&
	   strstr(out, "\"证件类型\":\"身份证\"") && strstr(out, "\"证件号码\":\"110105********002X\"") &&
	   strstr(out, "\"统一社会信用代码\":\"\"") && strstr(out, "\"备注\":\"\""),
	   "admin_penalty of a person: %s", out);
	free(out);

	/* escaping as json_canon writes strings */
	f = enterprise_record();
	f.summary = T("q\"b\\s/\b\f\n\r\t\x01\x1f\x7f \xe2\x80\xa8 \xf0\x9f\x98\x80");
	out = write(&f, &w, err);
	ok(w && strstr(out, "\"summary\":\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f \xe2\x80\xa8 \xf0\x9f\x98\x80\""),
	   "escapes: %s", out);
	ok(canonical(out), "escaped form is canonical");
	free(out);

	/* integers: exact up to 2^53, beyond that the reference path */
	f = enterprise_record();
	f.record_id = 9007199254740992LL;
	out = write(&f, &w, err);
	ok(w && strstr(out, "\"record_id\":9007199254740992"), "2^53 written");
	free(out);
	f.record_id = 9007199254740993LL;
	out = write(&f, &w, err);
	ok(!w && strstr(err, "2^53"), "2^53 + 1 has no fast form: %s", err);
	free(out);
	f = enterprise_record();
	f.supersedes_null = false;
	f.supersedes = -9007199254740993LL;
	out = write(&f, &w, err);
	ok(!w, "-(2^53 + 1) has no fast form");
	free(out);

	/* invalid text has no fast form */
	f = enterprise_record();
	f.summary = T("bad \xc0\xaf overlong");
	out = write(&f, &w, err);
	ok(!w && strstr(err, "UTF-8"), "overlong UTF-8 refused: %s", err);
	free(out);
	f.summary = T("surrogate \xed\xa0\x80");
	out = write(&f, &w, err);
	ok(!w, "encoded surrogate refused");
	free(out);
	f.summary = T("cut \xe4\xb8");
	out = write(&f, &w, err);
	ok(!w, "truncated sequence refused");
	free(out);
	f = enterprise_record();
	f.subject_kind = T("civil_servant");
	f.cn_id = T("110105");
	out = write(&f, &w, err);
	ok(!w, "resident ID not in canonical form refused");
	free(out);

	/* random text fields: always canonical, always within the bound */
	srand(7);
	for (i = 0; i < 2000; i++)
	{
		char		s1[64],
					s2[64];
		int			k,
					n1 = rand() % 60,
					n2 = rand() % 60;
		size_t		bound;

		for (k = 0; k < n1; k++)
			s1[k] = (char) (1 + rand() % 127);
		s1[n1] = '\0';
		for (k = 0; k < n2; k++)
			s2[k] = (char) (1 + rand() % 40);
		s2[n2] = '\0';
		f = enterprise_record();
		if (i % 2)
			f.category = T("admin_penalty");
		f.summary = T(s1);
		f.document_no = T(s2);
		f.source_unit = T(s2);
		bound = disclosure_payload_bound(&f);
		out = write(&f, &w, err);
		if (!w || !canonical(out) || strlen(out) >= bound)
			break;
		free(out);
		out = NULL;
	}
	ok(i == 2000, "2000 random payloads canonical and within the bound");
	free(out);

	return done_testing();
}
