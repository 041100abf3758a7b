#!/bin/sh
# test/pg/lists.sh: the lists of DOMAIN D3 (joint punishment D3.1,
# blacklist D3.2, listing terms D3.3/D2.10, red list D3.4) and the
# quarterly ranking (D5), cross-checked on a generated platform (issue 15).
# Prints TAP; exits non-zero on failure.
#
#  - a platform of 200,000 records and 20,000 subjects (bench.generate, every
#    kind of safety record), plus subjects built on the edges: accidents
#    exactly 365 and 364 days apart, listings whose term ends on as_of or
#    the day after, commitments whose publicity ends on as_of, look-backs
#    of exactly 1095 days, records confirmed, revoked or repaired on as_of;
#  - at today, three past and one future as_of: the one-pass lists
#    (_blacklist_at, _redlist_at: what the views run) equal
#    punishment_status and incentive_status of every subject, row for row,
#    reasons included; and, today and 400 days ago, both equal the PL/pgSQL
#    forms 1.1 shipped (bench/reference.sql ref.punishment_11, ref.incentive_11);
#  - today: the views blacklist and redlist equal the same, and
#    monitoring_ranking equals 1.1's view (ref.monitoring_ranking_11);
#  - a reader reads the views but cannot call the internals (42501), bad
#    params are refused with 22023 naming the field.
#
# Run by test/run-all.sh inside pg_virtualenv (superuser, signing key set,
# $WORK writable).  By hand:
#   PGPORT=5511 PGUSER=postgres PGHOST=/var/run/postgresql WORK=$(mktemp -d) sh test/pg/lists.sh
set -u
: "${WORK:?WORK must name a writable directory}"
here=$(cd "$(dirname "$0")" && pwd)
DB=integrity_lists_$$
LOG=$WORK/integrity_lists_$$.log
N_RECORDS=${LISTS_RECORDS:-200000}

. "$here/../tap.sh"		# ok, is, n, failed
q() {		# q SQL: the value(s), errors to $LOG
	psql -X -q -A -t -v ON_ERROR_STOP=1 -d "$DB" -c "$1" 2>>"$LOG"
}
qerr() {	# qerr ROLE SQL: the SQLSTATE of the error SQL raises as ROLE (- : as the superuser), or nothing
	if [ "$1" = - ]; then set -- "RESET ROLE" "$2"; else set -- "SET ROLE $1" "$2"; fi
	psql -X -q -A -t -d "$DB" -v VERBOSITY=sqlstate -c "$1" -c "$2" 2>&1 >/dev/null |
		sed -n 's/^ERROR:  //p' | head -1
}
cleanup() {
	dropdb --if-exists "$DB" >/dev/null 2>&1
	rm -f "$LOG"
}
trap cleanup EXIT
trap 'exit 2' INT TERM
: >"$LOG"
t_start=$(date +%s)

# ------------------------------------------------------------------ the platform
createdb "$DB" 2>>"$LOG"
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" -c "CREATE EXTENSION integrity" \
    -f "$here/../../bench/reference.sql" -f "$here/../../bench/generate.sql" >>"$LOG" 2>&1
ok $? "extension, reference forms and generator loaded"
q "SELECT count(*) FROM bench.generate($N_RECORDS, 0, current_date - 20)" >/dev/null
ok $? "generated $N_RECORDS records"

# the edges, around each as_of: today, three past, one future
psql -X -q -v ON_ERROR_STOP=1 -d "$DB" >>"$LOG" 2>&1 <<'EOF'
CREATE TABLE bench.as_of_dates AS
    SELECT d::date AS as_of FROM unnest(ARRAY[current_date, current_date - 91, current_date - 400,
                                              current_date - 1000, current_date + 200]) AS d;
CREATE FUNCTION bench.edge_record(sid bigint, cat text, decided date, sev integrity.severity,
        lvl integrity.accident_level DEFAULT NULL, dead integer DEFAULT 0, conf date DEFAULT NULL,
        rev date DEFAULT NULL, rep date DEFAULT NULL, until date DEFAULT NULL, dom text DEFAULT '其他')
    RETURNS void LANGUAGE sql AS $$
    INSERT INTO integrity.record (origin, id, subject_id, category, kind, severity, domain, decided_on,
           accident_level, deaths, publishable, publish_due, repair_allowed_from, publicity_until, state,
           confirmed_on, revoked_on, repaired_on)
    SELECT '140400', nextval('integrity.record_id_seq'), sid, cat, c.kind, sev, dom::integrity.record_domain, decided,
           lvl, dead, true, decided + 9, decided, coalesce(until, decided + 1095),
           CASE WHEN rev IS NOT NULL THEN 'revoked' WHEN rep IS NOT NULL THEN 'repaired' ELSE 'published' END::integrity.record_state,
           coalesce(conf, decided), rev, rep
      FROM integrity.category c WHERE c.code = cat
$$;
SET session_replication_role = replica;
SELECT setval('integrity.record_id_seq', (SELECT max(id) FROM integrity.record));
-- 20 enterprises per as_of: ids 900000 + 100 * k + case
INSERT INTO integrity.subject (origin, id, kind, name, legacy_code, region)
SELECT '140400', 900000 + 100 * k + c, 'enterprise', '边界企业' || k || '-' || c, 'EDGE' || k || '-' || c, '140400'
  FROM generate_series(0, 4) AS k CROSS JOIN generate_series(1, 20) AS c;
SELECT count(*) FROM (
  SELECT
    -- 1: a larger accident one year before as_of: the term ends on as_of (not listed)
    bench.edge_record(b + 1, 'safety_accident', (d - interval '1 year')::date, 'serious', 'larger', 3),
    -- 2: one day later: listed until the day after as_of
    bench.edge_record(b + 2, 'safety_accident', (d - interval '1 year')::date + 1, 'serious', 'larger', 3),
    -- 3: two larger accidents exactly 365 days apart: never in one window (joint only)
    bench.edge_record(b + 3, 'safety_accident', d - 365, 'serious', 'larger', 4),
    bench.edge_record(b + 3, 'safety_accident', d, 'serious', 'larger', 4),
    -- 4: 364 days apart: blacklist from as_of
    bench.edge_record(b + 4, 'safety_accident', d - 364, 'serious', 'larger', 4),
    bench.edge_record(b + 4, 'safety_accident', d, 'serious', 'larger', 4),
    -- 5: three fatal general accidents, the first 365 days before the third
    bench.edge_record(b + 5, 'safety_accident', d - 365, 'general', 'general', 1),
    bench.edge_record(b + 5, 'safety_accident', d - 100, 'general', 'general', 2),
    bench.edge_record(b + 5, 'safety_accident', d, 'general', 'general', 1),
    -- 6: the same 364 days: joint punishment
    bench.edge_record(b + 6, 'safety_accident', d - 364, 'general', 'general', 1),
    bench.edge_record(b + 6, 'safety_accident', d - 100, 'general', 'general', 2),
    bench.edge_record(b + 6, 'safety_accident', d, 'general', 'general', 1),
    -- 7: a major accident extended by a violation: blacklist over, joint in force
    bench.edge_record(b + 7, 'safety_accident', d - 400, 'serious', 'major', 12),
    bench.edge_record(b + 7, 'safety_violation', d - 200, 'serious'),
    bench.edge_record(b + 7, 'admin_penalty', d - 200, 'general', dom => '安全生产'),
    -- 8: a violation confirmed the day after as_of; 9: revoked on as_of; 10: repaired on as_of
    bench.edge_record(b + 8, 'safety_violation', d - 10, 'serious', conf => d + 1),
    bench.edge_record(b + 9, 'safety_violation', d - 10, 'serious', rev => d),
    bench.edge_record(b + 10, 'safety_violation', d - 10, 'serious', rep => d),
    -- 11: red list: commitment and level 1 in effect, nothing else
    bench.edge_record(b + 11, 'credit_commitment', d - 30, 'general'),
    bench.edge_record(b + 11, 'safety_standard_level1', d - 30, 'general'),
    -- 12: the commitment's publicity ends on as_of
    bench.edge_record(b + 12, 'credit_commitment', d - 30, 'general', until => d),
    bench.edge_record(b + 12, 'safety_standard_level1', d - 30, 'general'),
    -- 13: an occupational disease exactly 1095 days before (outside), 14: 1094 (inside)
    bench.edge_record(b + 13, 'credit_commitment', d - 30, 'general'),
    bench.edge_record(b + 13, 'safety_standard_level1', d - 30, 'general'),
    bench.edge_record(b + 13, 'occupational_disease', d - 1095, 'general'),
    bench.edge_record(b + 14, 'credit_commitment', d - 30, 'general'),
    bench.edge_record(b + 14, 'safety_standard_level1', d - 30, 'general'),
    bench.edge_record(b + 14, 'occupational_disease', d - 1094, 'general'),
    -- 15: a repaired safety violation 2 years ago: not punished, still fails D3.4 (2)
    bench.edge_record(b + 15, 'credit_commitment', d - 30, 'general'),
    bench.edge_record(b + 15, 'safety_standard_level1', d - 30, 'general'),
    bench.edge_record(b + 15, 'safety_violation', d - 730, 'serious', rep => d - 300),
    -- 16: on the red list but for a larger accident 10 months ago (not_punished fails)
    bench.edge_record(b + 16, 'credit_commitment', d - 30, 'general'),
    bench.edge_record(b + 16, 'safety_standard_level1', d - 30, 'general'),
    bench.edge_record(b + 16, 'safety_accident', d - 300, 'serious', 'larger', 0),
    -- 17: a safety-domain admin penalty 2 years ago; 18: the same, other domain
    bench.edge_record(b + 17, 'credit_commitment', d - 30, 'general'),
    bench.edge_record(b + 17, 'safety_standard_level1', d - 30, 'general'),
    bench.edge_record(b + 17, 'admin_penalty', d - 730, 'general', dom => '安全生产'),
    bench.edge_record(b + 18, 'credit_commitment', d - 30, 'general'),
    bench.edge_record(b + 18, 'safety_standard_level1', d - 30, 'general'),
    bench.edge_record(b + 18, 'admin_penalty', d - 730, 'general', dom => '环境保护'),
    -- 19: several records of one day (reasons in id order), 20: a record decided after as_of
    bench.edge_record(b + 19, 'judicial_judgment', d - 5, 'serious'),
    bench.edge_record(b + 19, 'safety_violation', d - 5, 'serious'),
    bench.edge_record(b + 19, 'safety_accident', d - 5, 'general', 'general', 0),
    bench.edge_record(b + 20, 'safety_violation', d + 1, 'serious')
  FROM (SELECT 900000 + 100 * (row_number() OVER (ORDER BY as_of) - 1) AS b, as_of AS d FROM bench.as_of_dates) x) y;
RESET session_replication_role;
VACUUM ANALYZE integrity.record;
VACUUM ANALYZE integrity.subject;
EOF
ok $? "edge subjects and records added"
is "$(q "SELECT count(*) >= 20000 FROM integrity.subject")" "t" "at least 20,000 subjects"
is "$(q "SELECT count(DISTINCT (category, accident_level, deaths > 0)) >= 6 FROM integrity.record
          WHERE category IN ('safety_accident', 'safety_violation', 'occupational_disease', 'safety_standard_level1')")" \
   "t" "every kind of safety record is there"

# ------------------------------------------------------------------ cross-checks
q "CREATE TABLE bench.subj AS SELECT origin, id FROM integrity.subject ORDER BY origin, id" >/dev/null
for d in $(q "SELECT as_of FROM bench.as_of_dates ORDER BY as_of"); do
	# the per-subject API once per subject and date
	q "DROP TABLE IF EXISTS bench.api_p, bench.api_i;
	   CREATE TABLE bench.api_p AS SELECT s.origin, s.id AS subject_id, p.* FROM bench.subj s,
	          LATERAL integrity.punishment_status(s.id, '$d') p;
	   CREATE TABLE bench.api_i AS SELECT s.origin, s.id AS subject_id, i.* FROM bench.subj s,
	          LATERAL integrity.incentive_status(s.id, '$d') i" >/dev/null
	# punishment: the one-pass list against the per-subject API, every subject
	res=$(q "WITH api AS (SELECT * FROM bench.api_p WHERE level <> 'none'),
	              one AS (SELECT * FROM integrity._blacklist_at('$d'))
	         SELECT (SELECT count(*) FROM api) || ' ' ||
	                (SELECT count(*) FROM (SELECT * FROM api EXCEPT ALL SELECT * FROM one) a) || ' ' ||
	                (SELECT count(*) FROM (SELECT * FROM one EXCEPT ALL SELECT * FROM api) b)")
	set -- $res
	[ "${1:-0}" -gt 0 ] && [ "${2:-x}" = 0 ] && [ "${3:-x}" = 0 ]
	ok $? "D3.1-D3.3 as of $d: _blacklist_at equals punishment_status of every subject ($1 listed; differences ${2:-?}, ${3:-?})"
	# red list
	res=$(q "WITH api AS (SELECT origin, subject_id, valid_until FROM bench.api_i WHERE eligible),
	              one AS (SELECT * FROM integrity._redlist_at('$d'))
	         SELECT (SELECT count(*) FROM api) || ' ' ||
	                (SELECT count(*) FROM (SELECT * FROM api EXCEPT ALL SELECT * FROM one) a) || ' ' ||
	                (SELECT count(*) FROM (SELECT * FROM one EXCEPT ALL SELECT * FROM api) b)")
	set -- $res
	[ "${1:-0}" -gt 0 ] && [ "${2:-x}" = 0 ] && [ "${3:-x}" = 0 ]
	ok $? "D3.4 as of $d: _redlist_at equals incentive_status of every subject ($1 eligible; differences ${2:-?}, ${3:-?})"
	# and the PL/pgSQL forms of 1.1, reasons text included (at two of the
	# dates: at about 0.2 ms a call they are most of this test's time)
	if [ "$(q "SELECT '$d' IN (current_date, current_date - 400)")" = t ]; then
		res=$(q "SELECT count(*) FROM bench.api_p p,
		                LATERAL ref.punishment_11(p.origin, p.subject_id, '$d', integrity._model('default')) r
		          WHERE (p.level, p.reasons, p.listed_from, p.listed_until) IS DISTINCT FROM
		                (r.level, r.reasons, r.listed_from, r.listed_until)")
		is "$res" "0" "D3.1-D3.3 as of $d: punishment_status equals 1.1's PL/pgSQL _punishment for every subject"
		res=$(q "SELECT count(*) FROM bench.api_i i,
		                LATERAL ref.incentive_11(i.origin, i.subject_id, '$d', integrity._model('default')) r
		          WHERE (i.eligible, i.failed, i.valid_until) IS DISTINCT FROM (r.eligible, r.failed, r.valid_until)")
		is "$res" "0" "D3.4 as of $d: incentive_status equals 1.1's PL/pgSQL _incentive for every subject"
	fi
done

# the edges say what DOMAIN D3 says (today's)
edge() {	# edge CASE: level, listed_from - today, listed_until - today of edge subject CASE at today
	q "SELECT p.level || ' ' || coalesce((p.listed_from - current_date)::text, '-') || ' ' ||
	          coalesce((p.listed_until - current_date)::text, '-')
	     FROM integrity.punishment_status(900000 + 100 * (SELECT count(*) FROM bench.as_of_dates
	                                                       WHERE as_of < current_date) + $1) p"
}
is "$(edge 1)" "none - -" "D2.10 a listing whose term ends on as_of is over"
is "$(edge 2 | cut -d' ' -f1,3)" "joint_punishment 1" "D2.10 one day later it is in force until tomorrow"
is "$(edge 3)" "joint_punishment 0 $(q "SELECT (current_date + interval '1 year')::date - current_date")" \
   "D3.2 two larger accidents exactly 365 days apart are not within 365 days"
is "$(edge 4 | cut -d' ' -f1,2)" "blacklist 0" "D3.2 364 days apart: blacklist from the second"
is "$(edge 5)" "none - -" "D3.1 three fatal accidents over 366 days: none"
is "$(edge 6 | cut -d' ' -f1,2)" "joint_punishment 0" "D3.1 three fatal accidents within 365 days: joint punishment"
is "$(edge 7 | cut -d' ' -f1,2)" "joint_punishment -400" "D3.3 the blacklist ended, the extended joint listing holds"
is "$(edge 8)$(edge 9)$(edge 10)" "none - -none - -none - -" "How records count: confirmed tomorrow, revoked or repaired today"
elig() {	# elig CASE: eligible and failed of edge subject CASE today
	q "SELECT i.eligible || ' ' || i.failed::text
	     FROM integrity.incentive_status(900000 + 100 * (SELECT count(*) FROM bench.as_of_dates
	                                                     WHERE as_of < current_date) + $1) i"
}
is "$(elig 11)" "true {}" "D3.4 all six conditions"
is "$(elig 12)" "false {commitment}" "D3.4 (1) the commitment's publicity ends today"
is "$(elig 13)$(elig 14)" "true {}false {no_fatality_3y}" "D3.4 (4) 1095 days ago is outside the 3 years, 1094 inside"
is "$(elig 15)" "false {no_dishonesty_3y}" "D3.4 (2) a repaired violation still counts for the look-back"
is "$(elig 16)" "false {no_dishonesty_3y,not_punished}" "D3.4 (6) a listed subject is not eligible"
is "$(elig 17)$(elig 18)" "false {no_penalty_3y}true {}" "D3.4 (3) only a safety-domain penalty fails"
is "$(q "SELECT reasons[1] ~ '^listed on \\d{4}-\\d\\d-\\d\\d by D3.1 a safety_violation \\(安全生产严重违法违规\\): record \\d+ \\(judicial_judgment serious, .*\\); record \\d+ \\(safety_violation serious, .*\\); record \\d+ \\(safety_accident general general, '
          FROM integrity.punishment_status(900000 + 100 * (SELECT count(*) FROM bench.as_of_dates WHERE as_of < current_date) + 19)")" \
   "t" "D3.3 reasons: the records of one day in id order, level and deaths or severity"

# ------------------------------------------------------------------ the views (today)
res=$(q "SELECT count(*) FROM (
           (SELECT origin, subject_id, level, reasons, listed_from, listed_until FROM integrity.blacklist
            EXCEPT ALL SELECT * FROM integrity._blacklist_at(current_date))
           UNION ALL
           (SELECT * FROM integrity._blacklist_at(current_date)
            EXCEPT ALL SELECT origin, subject_id, level, reasons, listed_from, listed_until FROM integrity.blacklist)) x")
is "$res" "0" "the blacklist view shows exactly the subjects _blacklist_at(today) lists"
res=$(q "SELECT count(*) FROM (
           (SELECT * FROM integrity.blacklist EXCEPT ALL SELECT * FROM ref.blacklist_11)
           UNION ALL (SELECT * FROM ref.blacklist_11 EXCEPT ALL SELECT * FROM integrity.blacklist)) x")
is "$res" "0" "the blacklist view equals 1.1's view (names and codes included)"
res=$(q "SELECT count(*) FROM (
           (SELECT * FROM integrity.redlist EXCEPT ALL SELECT * FROM ref.redlist_11)
           UNION ALL (SELECT * FROM ref.redlist_11 EXCEPT ALL SELECT * FROM integrity.redlist)) x")
is "$res" "0" "the redlist view equals 1.1's view"
# over 1.1's columns (1.2 appended the D7.5 columns of 45_commitments.sql)
c11="quarter, quarter_end, origin, subject_id, name, kind, parent_id, score, grade, vetoed, rank, rank_in_parent,
     score_change, rank_change, publish_on_time_pct, objection_on_time_pct, records_in_publicity, records_repaired"
res=$(q "SELECT (SELECT count(*) FROM integrity.monitoring_ranking) || ' ' || count(*) FROM (
           (SELECT $c11 FROM integrity.monitoring_ranking EXCEPT ALL SELECT $c11 FROM ref.monitoring_ranking_11)
           UNION ALL (SELECT $c11 FROM ref.monitoring_ranking_11 EXCEPT ALL SELECT $c11 FROM integrity.monitoring_ranking)) x")
set -- $res
[ "${1:-0}" -gt 0 ] && [ "${2:-x}" = 0 ]
ok $? "monitoring_ranking (one pass) equals 1.1's view over five quarter ends (${1:-?} rows, ${2:-?} differences)"
is "$(q "SELECT string_agg(c.relname || ':' || coalesce(array_to_string(c.reloptions, ','), ''), ' ' ORDER BY c.relname)
          FROM pg_class c WHERE c.relnamespace = 'integrity'::regnamespace
           AND c.relname IN ('blacklist', 'redlist', 'monitoring_ranking')")" \
   "blacklist:security_barrier=true monitoring_ranking:security_barrier=true redlist:security_barrier=true" \
   "the three views are security_barrier"

# ------------------------------------------------------------------ privileges and params
q "CREATE ROLE lists_reader_$$ IN ROLE integrity_reader; CREATE ROLE lists_operator_$$ IN ROLE integrity_operator" >/dev/null
is "$(psql -X -q -A -t -d "$DB" -c "SET ROLE lists_reader_$$" \
        -c "SELECT (SELECT count(*) FROM integrity.blacklist) > 0 AND (SELECT count(*) FROM integrity.redlist) > 0
                   AND (SELECT count(*) FROM integrity.monitoring_ranking) > 0" 2>>"$LOG")" "t" \
   "a reader reads blacklist, redlist and monitoring_ranking"
for f in "integrity._punishment('140400', 1, '2100-01-01', '{}')" "integrity._incentive('140400', 1, current_date - 3000, '{}')" \
         "integrity._blacklist_at('2000-01-01')" "integrity._redlist_at(current_date)"; do
	is "$(qerr lists_reader_$$ "SELECT * FROM $f")" "42501" "issue 13: a reader may not call $(echo "$f" | cut -d'(' -f1) (free as_of or params)"
	is "$(qerr lists_operator_$$ "SELECT * FROM $f")" "42501" "issue 13: nor may an operator call $(echo "$f" | cut -d'(' -f1)"
done
is "$(qerr lists_operator_$$ "SELECT * FROM integrity.punishment_status(1, '2999-12-31')")" "" \
   "an operator calls punishment_status at any as_of"
is "$(qerr - "SELECT * FROM integrity._punishment('140400', 1, current_date, '{\"punishment\": {\"window_days\": 0}}')")" \
   "22023" "bad params: 22023"
is "$(psql -X -q -A -t -d "$DB" -c "SELECT * FROM integrity._punishment('140400', 1, current_date, '{\"punishment\": {\"term\": \"100000 years\"}}')" 2>&1 | sed -n 's/^ERROR:  //p')" \
   "invalid score model: punishment.term must be an interval from 1 day to 100 years with no negative part" "bad params name the field, not 'date out of range'"
is "$(psql -X -q -A -t -d "$DB" -c "SELECT * FROM integrity._incentive('140400', 1, current_date, '{\"incentive\": {\"term\": \"soon\"}}')" 2>&1 | sed -n 's/^ERROR:  //p')" \
   "invalid score model: incentive.term must be an interval text such as \"1 year\"" "an unreadable term names the field"
is "$(qerr - "INSERT INTO integrity.score_model (name, params) SELECT 'lists_bad', params || '{\"incentive\": {\"lookback_days\": 1.5}}' FROM integrity.score_model WHERE name = 'default'")" \
   "22023" "score_model refuses a model whose list params are bad (the CHECK)"
is "$(qerr - "SELECT * FROM integrity._punishment('140400', 1, 'infinity', integrity._model('default'))")" "22023" \
   "as_of infinity: 22023"
q "DROP ROLE lists_reader_$$; DROP ROLE lists_operator_$$" >/dev/null

echo "# lists.sh took $(( $(date +%s) - t_start )) s"
echo "1..$n"
[ "$failed" -eq 0 ]
