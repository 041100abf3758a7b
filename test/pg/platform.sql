-- test/pg/platform.sql: a loaded platform for the hardening tests of
-- issue 13 (test/pg/hostile_calls.sh, leak.sh, sqlsmith.sh).  Run by psql
-- as a superuser in an empty database with integrity.signing_key_file set.
--
-- The origin is 140400; there are governments, departments, civil servants
-- and enterprises; records in every state of D2.2-D2.4 (collected,
-- notified, confirmed, published, objected, repaired, expired, revoked);
-- a joint punishment and a blacklist listing (D3.1, D3.2), a red-list
-- enterprise (D3.4), a vetoed department (D5), disclosures of every event.
--
-- Every record that a reader must NOT see through public_record (any state
-- but published or objected-from-published) has "SECRET" in its
-- document_no, source_unit and summary; the records readers may see have
-- "PUBLIC" there.  The leak test greps NOTICEs for "SECRET".  Names and
-- resident IDs of civil servants are in hostile.person (masked in views).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION integrity;
SELECT integrity.set_origin('140400');
CREATE SCHEMA hostile;
GRANT USAGE ON SCHEMA hostile TO PUBLIC;

-- the subjects (identifiers with valid check characters, D1.1-D1.3)
CREATE TABLE hostile.subj (tag text PRIMARY KEY, id bigint NOT NULL);
INSERT INTO hostile.subj VALUES
    ('gov',        integrity.subject_add('government', '长治市人民政府', '11140400000000019L')),
    ('d_safety',   integrity.subject_add('department', '长治市应急管理局', '11140400000000027F')),
    ('d_stats',    integrity.subject_add('department', '长治市统计局', '11140400000000035A')),
    ('d_finance',  integrity.subject_add('department', '长治市财政局', '111404000000000435'));
INSERT INTO hostile.subj VALUES
    ('district',   integrity.subject_add('government', '长治市潞州区人民政府', '111404030000000190',
                                         parent_id => (SELECT id FROM hostile.subj WHERE tag = 'gov'))),
    ('cs_sun',     integrity.subject_add('civil_servant', '孙磊', '140402197803150318',
                                         parent_id => (SELECT id FROM hostile.subj WHERE tag = 'd_finance'))),
    ('cs_zhou',    integrity.subject_add('civil_servant', '周静', '140402198307220422',
                                         parent_id => (SELECT id FROM hostile.subj WHERE tag = 'd_safety'))),
    ('e_lucheng',  integrity.subject_add('enterprise', '长治市潞城焦化有限公司', '9114040000000006XF')),
    ('e_lubao',    integrity.subject_add('enterprise', '长治市潞宝化工有限公司', '91140400000000078F')),
    ('e_jindong',  integrity.subject_add('enterprise', '长治市晋东钢铁有限公司', '91140400000000107T')),
    ('e_zhangze',  integrity.subject_add('enterprise', '长治市漳泽电力有限公司', '911404000000000945')),
    ('e_shangdang', integrity.subject_add('enterprise', '长治市上党建设集团有限公司', '91140400000000131B')),
    ('e_hidden',   integrity.subject_add('enterprise', '长治市隐秘SECRET商贸有限公司', '91140400000000166X'));
CREATE TABLE hostile.person AS
SELECT s.id, s.name, s.cn_id::text AS code FROM integrity.subject s WHERE s.kind = 'civil_servant';

-- a record of subject `who` decided `age` days ago, brought to state
-- `upto`; "SECRET" or "PUBLIC" in its texts as said above
CREATE TABLE hostile.rec (id bigint PRIMARY KEY, upto text NOT NULL, visible boolean NOT NULL);
CREATE FUNCTION hostile.rec(who text, cat text, sev text, age integer, upto text,
                            lvl text DEFAULT NULL, deaths integer DEFAULT 0, dom text DEFAULT '其他')
    RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    r bigint;
    n bigint := (SELECT count(*) FROM hostile.rec) + 1;
    vis boolean := upto IN ('published', 'objected', 'rejected');
    tag text := CASE WHEN vis THEN 'PUBLIC' ELSE 'SECRET' END;
BEGIN
    r := integrity.record_add((SELECT id FROM hostile.subj WHERE subj.tag = who), cat, sev::integrity.severity,
                              current_date - age, format('长监罚〔%s〕%s号', tag, n),
                              format('长治市%s监督局%s', tag, n),
                              format('%s 失信事实 %s: %s %s', tag, n, upto, who), dom, lvl, deaths);
    INSERT INTO hostile.rec VALUES (r, upto, vis);
    IF upto = 'collected' THEN RETURN r; END IF;
    PERFORM integrity.notify(r, '书面告知当事人');
    IF upto = 'notified' THEN RETURN r; END IF;
    PERFORM integrity.confirm(r, '认定');
    IF upto = 'confirmed' THEN RETURN r; END IF;
    PERFORM integrity.publish(r);
    IF upto IN ('objected', 'rejected') THEN PERFORM integrity.object(r, '当事人提出异议'); END IF;
    IF upto = 'rejected' THEN PERFORM integrity.resolve_objection(r, false, '异议不成立'); END IF;
    IF upto = 'repaired' THEN PERFORM integrity.repair(r, '已整改，信用修复'); END IF;
    IF upto = 'revoked' THEN PERFORM integrity.revoke(r, '信息错误，撤销'); END IF;
    RETURN r;
END $$;

SELECT count(*) FROM (VALUES
    -- every state (D2.2-D2.4)
    (hostile.rec('e_shangdang', 'admin_penalty', 'general', 10, 'collected')),
    (hostile.rec('e_shangdang', 'admin_penalty', 'general', 10, 'notified')),
    (hostile.rec('e_shangdang', 'admin_penalty', 'general', 10, 'confirmed')),
    (hostile.rec('e_shangdang', 'admin_penalty', 'general', 20, 'published')),
    (hostile.rec('e_shangdang', 'breach_of_contract', 'serious', 30, 'objected')),
    (hostile.rec('e_shangdang', 'admin_penalty', 'general', 40, 'rejected')),
    (hostile.rec('e_shangdang', 'admin_penalty', 'general', 200, 'repaired')),
    (hostile.rec('e_shangdang', 'admin_penalty', 'general', 400, 'expired')),
    (hostile.rec('e_shangdang', 'admin_penalty', 'general', 50, 'revoked')),
    (hostile.rec('e_shangdang', 'admin_penalty', 'minor', 10, 'confirmed')),
    -- a hidden enterprise: none of its records is public
    (hostile.rec('e_hidden', 'admin_penalty', 'general', 15, 'confirmed')),
    (hostile.rec('e_hidden', 'breach_of_contract', 'serious', 25, 'revoked')),
    -- civil servants: a published penalty, an unpublished sanction (issue 13 (3))
    (hostile.rec('cs_sun', 'admin_penalty', 'general', 20, 'published')),
    (hostile.rec('cs_sun', 'disciplinary_sanction', 'serious', 12, 'confirmed')),
    (hostile.rec('cs_zhou', 'disciplinary_sanction', 'general', 30, 'published')),
    (hostile.rec('cs_zhou', 'accountability', 'general', 14, 'notified')),
    -- D3.1 joint punishment, D3.2 blacklist
    (hostile.rec('e_lucheng', 'safety_accident', 'serious', 160, 'published', 'larger', 4, '安全生产')),
    (hostile.rec('e_lubao', 'safety_accident', 'serious', 45, 'published', 'major', 11, '安全生产')),
    (hostile.rec('e_lubao', 'safety_violation', 'serious', 35, 'confirmed', NULL, 0, '安全生产')),
    -- D3.4 red list
    (hostile.rec('e_jindong', 'safety_standard_level1', 'general', 300, 'published', NULL, 0, '安全生产')),
    (hostile.rec('e_jindong', 'credit_commitment', 'general', 50, 'published', NULL, 0, '安全生产')),
    (hostile.rec('e_zhangze', 'safety_standard_level1', 'general', 220, 'published', NULL, 0, '安全生产')),
    (hostile.rec('e_zhangze', 'credit_commitment', 'general', 90, 'published', NULL, 0, '安全生产')),
    -- D5: governments and departments scored, one vetoed
    (hostile.rec('d_stats', 'statistical_fraud', 'serious', 60, 'published', NULL, 0, '统计')),
    (hostile.rec('d_finance', 'commendation', 'general', 25, 'published')),
    (hostile.rec('d_safety', 'admin_penalty', 'general', 100, 'published', NULL, 0, '安全生产')),
    (hostile.rec('district', 'breach_of_contract', 'serious', 70, 'published', NULL, 0, '政府采购')),
    (hostile.rec('gov', 'accountability', 'general', 80, 'confirmed'))
) v(r);
-- D2.6: the records whose publicity ended expire
SELECT integrity.expire_due(current_date);
SELECT integrity.mark_remedied((SELECT id FROM hostile.rec WHERE upto = 'rejected'), '主动消除不良影响');
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM hostile.rec h JOIN integrity.record r ON r.id = h.id
                WHERE r.state::text <> CASE h.upto WHEN 'rejected' THEN 'published' ELSE h.upto END) THEN
        RAISE EXCEPTION 'platform.sql: a record is not in its intended state';
    END IF;
END $$;
ANALYZE;
