------------------------------------------------------------------------
-- 1.1 -> 1.2, part 55 (report; issue 17): the signed credit report.
-- Every object is new: the same text as sql/src/55_report.sql.
------------------------------------------------------------------------

-- internal: the report's body.  The checkpoint is taken first and only
-- entries inside its tree are listed, each with its inclusion proof in
-- that tree; the entries about the subject are those naming it
-- (disclosure.subject_id, 1.2) and, before 1.2, those of its records.
CREATE FUNCTION @extschema@._report_body(p_subject_id bigint, p_as_of date) RETURNS jsonb
    LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    o text := @extschema@._origin();
    s record;
    th record;
    ev record;
    pu record;
    inc record;
    restr jsonb;
    entries jsonb;
BEGIN
    IF o IS NULL THEN
        RAISE EXCEPTION 'the platform has no origin' USING ERRCODE = '55000',
            HINT = 'An admin sets it once with integrity.set_origin(code).';
    END IF;
    SELECT x.id, x.kind, x.name, x.uscc, x.cn_id, x.legacy_code, x.region, x.parent_id INTO s
      FROM @extschema@.subject x WHERE x.origin = o AND x.id = p_subject_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'subject % does not exist', p_subject_id USING ERRCODE = 'P0002';
    END IF;
    IF p_as_of > current_date OR NOT isfinite(p_as_of) THEN
        RAISE EXCEPTION 'a credit report is of today or a past day, not %', p_as_of
            USING ERRCODE = '22023',
                  DETAIL = 'The lists and the evaluation of a later day are not known yet (SPEC 5: any past day is re-evaluated exactly).';
    END IF;
    SELECT * INTO th FROM @extschema@.tree_head(o);
    SELECT * INTO ev FROM @extschema@.evaluate(p_subject_id, p_as_of);
    SELECT * INTO pu FROM @extschema@.punishment_status(p_subject_id, p_as_of);
    SELECT * INTO inc FROM @extschema@.incentive_status(p_subject_id, p_as_of);
    SELECT coalesce(jsonb_agg(m), '[]'::jsonb) INTO restr
      FROM @extschema@.restrictions(p_subject_id, p_as_of) m;
    SELECT coalesce(jsonb_agg(jsonb_build_object(
               'seq', d.seq, 'record_id', d.record_id, 'event', d.event, 'payload', d.payload,
               'payload_hash', encode(d.payload_hash, 'hex'), 'prev_hash', encode(d.prev_hash, 'hex'),
               'entry_hash', encode(d.entry_hash, 'hex'), 'key_id', d.key_id,
               'signature', encode(d.signature, 'hex'), 'disclosed_at', d.disclosed_at,
               'inclusion_proof', (SELECT coalesce(jsonb_agg(encode(h, 'hex') ORDER BY i), '[]'::jsonb)
                                     FROM unnest(@extschema@.inclusion_proof(d.seq, th.tree_size, o))
                                          WITH ORDINALITY AS p(h, i)))
               ORDER BY d.seq), '[]'::jsonb) INTO entries
      FROM @extschema@.disclosure d
     WHERE d.origin = o AND d.seq <= th.tree_size
       AND (d.subject_id = p_subject_id
            OR (d.subject_id IS NULL
                AND d.record_id IN (SELECT r.id FROM @extschema@.record r
                                     WHERE r.origin = o AND r.subject_id = p_subject_id)));
    RETURN jsonb_build_object(
        'format', 'integrity-credit-report/v1',
        'origin', o,
        'as_of', p_as_of,
        'made_at', now(),
        'subject', jsonb_build_object(
            'id', s.id, 'kind', s.kind,
            'name', @extschema@._public_name(s.kind, s.name),           -- D1.4
            'code', @extschema@._public_code(s.kind, s.uscc, s.cn_id, s.legacy_code),
            'region', s.region, 'parent_id', s.parent_id),
        'evaluation', jsonb_build_object('score', ev.score, 'grade', ev.grade, 'vetoed', ev.vetoed,
                                         'breakdown', ev.breakdown),
        'punishment_status', jsonb_build_object('level', pu.level, 'reasons', to_jsonb(pu.reasons),
                                                'listed_from', pu.listed_from, 'listed_until', pu.listed_until),
        'incentive_status', jsonb_build_object('eligible', inc.eligible, 'failed', to_jsonb(inc.failed),
                                               'valid_until', inc.valid_until),
        'restrictions', restr,
        'checkpoint', jsonb_build_object('text', th.checkpoint, 'tree_size', th.tree_size,
                                         'root_hash', encode(th.root_hash, 'hex')),
        'entries', entries,
        'proves', jsonb_build_object(
            'zh', jsonb_build_array(
                '本报告由平台签名密钥签发（签名域 integrity-credit-report/v1），签发后任何改动都会使签名失效。',
                '所列每条公示记录都在检查点所示的公示日志中（默克尔包含证明），并在公示时由平台签名。',
                '所列记录是该主体截至最新一条所列记录的全部公示记录：每条新记录都指向同一主体的上一条（prev_seq，首条为 0），链条不断。',
                '检查点由平台密钥签名；带有见证人副署的，可用见证人公钥核验。'),
            'en', jsonb_build_array(
                'The platform''s signing key signed this report (domain integrity-credit-report/v1): any change after signing breaks the signature.',
                'Every entry listed is in the public disclosure log of the checkpoint (Merkle inclusion proof) and was signed by the platform when it was disclosed.',
                'The entries listed are all the entries about the subject up to the newest one listed: each new entry names the previous one about the same subject (prev_seq, 0 for the first), an unbroken chain.',
                'The checkpoint is signed by the platform key; the witnesses'' cosignatures it carries can be checked with their keys.')),
        'does_not_prove', jsonb_build_object(
            'zh', jsonb_build_array(
                '不能证明检查点之内、最新所列记录之后没有该主体的新记录：请用 integrity-verify --report 报告 --log 公示日志.csv 对照完整的公开日志核验。',
                '不涉及检查点之后的任何公示。',
                '不能证明原始记录内容属实：平台对记录负责，日志使其可归属、防篡改。',
                '评价、名单和限制措施是平台按其规则在 as_of 当日计算并签名的结论，不由所列记录推导证明。',
                '1.2 版本之前的公示记录没有 prev_seq 链接，只能按其记录编号核对。'),
            'en', jsonb_build_array(
                'That no entry about the subject was added after the newest one listed and before the checkpoint: check the report against the full public log export with integrity-verify --report REPORT --log log.csv.',
                'Anything disclosed after the checkpoint.',
                'That the records themselves are true: the platform answers for them; the log makes them attributable and tamper-evident.',
                'The evaluation, the lists and the restrictions are the platform''s computation at as_of under its rules, signed by it, not derived from the entries listed.',
                'Entries disclosed before version 1.2 carry no prev_seq link; they are matched by their record_id only.')));
END $$;
COMMENT ON FUNCTION @extschema@._report_body(bigint, date) IS
    'internal: the body of a credit report (issue 17), signed by credit_report';

CREATE FUNCTION @extschema@.credit_report(subject_id bigint, as_of date DEFAULT current_date) RETURNS text
    AS 'MODULE_PATHNAME', 'credit_report' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE
    SECURITY DEFINER SET search_path = pg_catalog, pg_temp;
COMMENT ON FUNCTION @extschema@.credit_report(bigint, date) IS
    '信用报告 signed, self-verifying credit report of a subject at as_of: canonical JSON with the evaluation, lists and restrictions, every disclosure about the subject with its inclusion proof, and the checkpoint; check it with integrity-verify --report or tools/verify.html';
