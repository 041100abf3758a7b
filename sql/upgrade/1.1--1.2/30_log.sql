------------------------------------------------------------------------
-- 1.1 -> 1.2, part 30 (log; issue 17): each new disclosure names its
-- subject and the previous disclosure about it (payload members
-- subject_id and prev_seq), so that a credit report's entries form an
-- unbroken chain.  The column is appended (the same attnum as a fresh
-- install); no row changes: entries of 1.1 keep subject_id NULL.
------------------------------------------------------------------------
ALTER TABLE @extschema@.disclosure ADD COLUMN subject_id bigint;
CREATE INDEX disclosure_subject_idx ON @extschema@.disclosure (origin, subject_id, seq);
COMMENT ON COLUMN @extschema@.disclosure.subject_id IS
    '主体 the subject the entry is about (the payload''s subject_id; NULL before 1.2): its entries form the chain of prev_seq back-links';

DROP FUNCTION @extschema@._disclosure_payload(text, bigint, text);
-- D1.4, D5a: the public payload of a disclosure (canonicalized in C).
-- Personal identifiers are masked; admin_penalty uses the 双公示 names.
-- The record_log trigger writes the same bytes directly in C
-- (src/payload_core.c; test/03_log.sql compares the two): this is
-- the readable reference, and the path for payloads without a fast form
-- (called then from the trigger, inside the API function's search_path).
-- 1.2 (issue 17): with p_prev_seq given, the payload also names its
-- subject (subject_id) and the previous entry about that subject
-- (prev_seq, 0 for the first), which log.c reads under the chain's lock;
-- without it (NULL), the payload of 1.1.
CREATE FUNCTION @extschema@._disclosure_payload(p_origin text, p_record_id bigint, p_event text,
                                                p_prev_seq bigint DEFAULT NULL) RETURNS jsonb
    LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN (SELECT CASE WHEN r.category = 'admin_penalty' THEN
        jsonb_build_object(
            'event', p_event, 'origin', r.origin, 'record_id', r.id, 'state', r.state,
            'disclosed_on', current_date,
            '行政相对人名称', CASE WHEN s.kind = 'civil_servant' THEN @extschema@.mask_name(s.name) ELSE s.name END,
            '行政相对人类别', CASE s.kind WHEN 'civil_servant' THEN '自然人' ELSE '法人及非法人组织' END,
            '统一社会信用代码', coalesce(s.uscc::text, s.legacy_code, ''),
            '法定代表人', '',
            '证件类型', CASE WHEN s.kind = 'civil_servant' THEN '身份证' ELSE '' END,
            '证件号码', CASE WHEN s.kind = 'civil_servant' THEN @extschema@.mask(s.cn_id) ELSE '' END,
            '行政处罚决定书文号', coalesce(r.document_no, ''),
            '违法行为类型', '',
            '违法事实', coalesce(r.summary, ''),
            '处罚依据', '',
            '处罚类别', '',
            '处罚内容', coalesce(r.summary, ''),
            '罚款金额（万元）', '',
            '处罚决定日期', r.decided_on,
            '处罚有效期', r.publicity_until,
            '公示截止期', r.publicity_until,
            '处罚机关', coalesce(r.source_unit, ''),
            '处罚机关统一社会信用代码', '',
            '数据来源单位', coalesce(r.source_unit, ''),
            '数据来源单位统一社会信用代码', '',
            '备注', CASE r.state WHEN 'objected' THEN '异议处理中' ELSE '' END)
        || CASE WHEN p_prev_seq IS NULL THEN '{}'::jsonb
                ELSE jsonb_build_object('subject_id', r.subject_id, 'prev_seq', p_prev_seq) END
    ELSE
        jsonb_build_object(
            'event', p_event, 'origin', r.origin, 'record_id', r.id, 'state', r.state,
            'disclosed_on', current_date,
            'subject', jsonb_build_object(
                'kind', s.kind,
                'name', CASE WHEN s.kind = 'civil_servant' THEN @extschema@.mask_name(s.name) ELSE s.name END,
                'code', CASE WHEN s.kind = 'civil_servant' THEN @extschema@.mask(s.cn_id)
                             ELSE coalesce(s.uscc::text, s.legacy_code) END),
            'category', r.category, 'category_name', c.name, 'severity', r.severity,
            'domain', r.domain, 'decided_on', r.decided_on,
            'document_no', coalesce(r.document_no, ''), 'source_unit', coalesce(r.source_unit, ''),
            'summary', coalesce(r.summary, ''), 'publicity_until', r.publicity_until,
            'accident_level', r.accident_level, 'deaths', r.deaths,
            'supersedes', r.supersedes)
        || CASE WHEN p_prev_seq IS NULL THEN '{}'::jsonb
                ELSE jsonb_build_object('subject_id', r.subject_id, 'prev_seq', p_prev_seq) END
    END
    FROM @extschema@.record r
    JOIN @extschema@.subject s ON s.origin = r.origin AND s.id = r.subject_id
    JOIN @extschema@.category c ON c.code = r.category
    WHERE r.origin = p_origin AND r.id = p_record_id);
END $$;

