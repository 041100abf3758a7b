-- demo/year.sql: a year of generated records at one platform, moved through
-- their lifecycle by the API, then expire_due().  Included with \ir by
-- demo/demo.sql (the county) and demo/city.sql (the city), after lib.sql.
--
-- Needs: temp table pool(n, id, kind): who gets the decisions, one row per
-- share, n = 0, 1, 2, ...; psql variables
--   place  the platform's name (平顺县)      abbr   its short form (平)
--   court  the court that judges there       days   how many days back
--   shift  varies the pattern between platforms (0, 1, 2, ...)

\echo '-- every working day of the last' :days 'days: one decision about a government, department,'
\echo '-- civil servant or enterprise, entered today as a backlog and moved through its lifecycle'
SELECT count(*) AS pool_size FROM pool \gset
CREATE TEMP TABLE gen AS
SELECT i, j, row_number() OVER (ORDER BY i) AS rn, d AS decided_on, p.id AS subject_id,
       x.category, x.severity, x.domain, NULL::bigint AS rid
  FROM generate_series(:days, 1, -1) AS i
 CROSS JOIN LATERAL (SELECT current_date - i AS d, i + :shift AS j) AS dd
  -- a pseudo-random but repeatable share of the pool for each day
  JOIN pool p ON p.n = (hashint4(dd.j) % :pool_size + :pool_size) % :pool_size
 CROSS JOIN LATERAL (SELECT
        (CASE p.kind
              WHEN 'civil_servant' THEN ARRAY['disciplinary_sanction', 'accountability', 'disciplinary_sanction', 'admin_penalty']
              WHEN 'enterprise' THEN ARRAY['admin_penalty', 'breach_of_contract', 'admin_penalty', 'judicial_judgment']
              ELSE ARRAY['admin_penalty', 'accountability', 'breach_of_contract', 'judicial_judgment'] END)[1 + (dd.j / 7) % 4]
            AS category,
        (CASE WHEN dd.j % 11 = 0 THEN 'minor' WHEN dd.j % 7 = 0 THEN 'serious' ELSE 'general' END)::integrity.severity AS severity,
        (ARRAY['政府采购', '招标投标', '招商引资', '政府债务', '环境保护', '街道乡镇', '其他'])[1 + dd.j % 7] AS domain) AS x
 WHERE integrity.is_workday(d)
 ORDER BY i DESC;

UPDATE gen SET rid = integrity.record_add(
    subject_id, category, severity, decided_on,
    pg_temp.docno(:'abbr' || CASE category WHEN 'admin_penalty' THEN '市监罚' WHEN 'judicial_judgment' THEN '法民初'
                                           WHEN 'breach_of_contract' THEN '法执' ELSE '纪监' END,
                  decided_on, 100 + i),
    CASE category WHEN 'admin_penalty' THEN :'place' || '市场监督管理局'
                  WHEN 'judicial_judgment' THEN :'court'
                  WHEN 'breach_of_contract' THEN :'court'
                  ELSE :'place' || '纪委监委' END,
    CASE category WHEN 'admin_penalty' THEN '违反《政府采购法》相关规定，责令改正并处罚款'
                  WHEN 'judicial_judgment' THEN '合同纠纷案件判决败诉，未按期履行'
                  WHEN 'breach_of_contract' THEN '拖欠工程款和农民工工资，经法院强制执行'
                  WHEN 'accountability' THEN '招商引资承诺未兑现，对相关单位问责'
                  ELSE '违反工作纪律，给予警告处分' END,
    domain);

-- the lifecycle, record by record; the C trigger enforces every step
DO $$
DECLARE g record;
BEGIN
    FOR g IN SELECT gen.*, r.repair_allowed_from FROM gen JOIN integrity.record r
                 ON r.origin = integrity.local_origin() AND r.id = gen.rid ORDER BY gen.rid LOOP
        CONTINUE WHEN g.rn <= 3;                        -- the newest three: just collected (采集)
        PERFORM integrity.notify(g.rid, '书面告知当事人，可在5个工作日内申辩');
        CONTINUE WHEN g.rn <= 6;                        -- the next three: within the 申辩 period
        IF g.j % 23 = 0 THEN                            -- wrong information found before publication
            PERFORM integrity.revoke(g.rid, '核查发现主体信息错误，予以撤销');
            CONTINUE;
        END IF;
        PERFORM integrity.confirm(g.rid, '申辩期满未提出新的事实和理由，予以认定');
        CONTINUE WHEN g.severity = 'minor';             -- D2.6: minor records are not published
        PERFORM integrity.publish(g.rid);
        IF g.j % 17 = 0 THEN                            -- 异议, decided both ways
            PERFORM integrity.object(g.rid, '当事人对认定事实提出异议');
            IF g.j % 34 = 0 THEN
                PERFORM integrity.resolve_objection(g.rid, true, '异议成立：处罚决定已被行政复议撤销');
            ELSE
                PERFORM integrity.resolve_objection(g.rid, false, '异议不成立：事实清楚，证据确凿，维持公示');
            END IF;
        ELSIF g.j % 29 = 0 AND g.i < 120 THEN           -- an objection still being handled
            PERFORM integrity.object(g.rid, '当事人称已履行判决，申请更正');
        ELSIF g.j % 31 = 0 THEN                         -- withdrawn after publication
            PERFORM integrity.revoke(g.rid, '作出决定的机关撤销原决定');
        ELSIF g.j % 3 = 0 AND g.repair_allowed_from <= current_date THEN
            PERFORM integrity.repair(g.rid, '已纠正失信行为、履行义务并作出信用承诺，申请信用修复');
        END IF;
        IF g.j % 19 = 0 AND g.j % 31 <> 0 THEN          -- 主动挽回损失 (D2.8)
            PERFORM integrity.mark_remedied(g.rid, '主动足额支付拖欠款项，消除不良影响');
        END IF;
    END LOOP;
END $$;

\echo '-- 公示期满 expire_due(): general records decided over a year ago leave publicity (run twice: idempotent)'
SELECT integrity.expire_due() AS "expired now", integrity.expire_due() AS "expired on a second run";

\echo '-- the year by category and state'
SELECT r.category, c.name AS "类别",
       count(*) AS total,
       count(*) FILTER (WHERE state = 'collected') AS collected,
       count(*) FILTER (WHERE state = 'notified') AS notified,
       count(*) FILTER (WHERE state = 'confirmed') AS confirmed,
       count(*) FILTER (WHERE state = 'published') AS published,
       count(*) FILTER (WHERE state = 'objected') AS objected,
       count(*) FILTER (WHERE state = 'repaired') AS repaired,
       count(*) FILTER (WHERE state = 'expired') AS expired,
       count(*) FILTER (WHERE state = 'revoked') AS revoked,
       count(*) FILTER (WHERE remedied) AS remedied
  FROM integrity.record r JOIN integrity.category c ON c.code = r.category
 WHERE r.origin = integrity.local_origin() AND r.id IN (SELECT rid FROM gen)
 GROUP BY r.category, c.name ORDER BY total DESC;
