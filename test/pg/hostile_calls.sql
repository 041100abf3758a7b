-- test/pg/hostile_calls.sql: the call list of test/pg/hostile_calls.sh
-- (issue 13, "a catalog-driven test").  Run by psql as a superuser in a
-- database loaded by test/pg/platform.sql; defines, in schema hostile:
--
--   hostile.fn      every function of the extension (pg_proc joined to
--                   pg_depend on the extension), the roles that may execute
--                   it, or why it is not called (takes internal, trigger)
--   hostile.call    for each callable function: a call with all arguments
--                   NULL, one with every argument at a plausible value, and
--                   for each argument in turn each boundary value of its
--                   type (NULL among them), the others plausible
--
-- Plausible values: the argument's DEFAULT, else a value chosen by the
-- argument's name (an existing record, subject, origin, model ...), else by
-- its type.  Boundary values come from the type alone, so a new function is
-- covered without editing this file.
\set ON_ERROR_STOP 1
SET client_min_messages = warning;

-- values of this platform the plausible arguments refer to
CREATE TABLE hostile.fact AS
SELECT (SELECT min(id) FROM integrity.record WHERE state = 'published') AS published_id,
       (SELECT min(id) FROM integrity.record WHERE state = 'confirmed') AS confirmed_id,
       (SELECT id FROM hostile.subj WHERE tag = 'e_shangdang') AS subject_id,
       (SELECT id FROM hostile.subj WHERE tag = 'gov') AS gov_id,
       (SELECT max(seq) FROM integrity.disclosure) AS log_size,
       (SELECT key_id FROM integrity.signing_key WHERE valid_until IS NULL LIMIT 1) AS key_id,
       (SELECT public_key FROM integrity.signing_key WHERE valid_until IS NULL LIMIT 1) AS public_key,
       (SELECT params FROM integrity.score_model WHERE name = 'default') AS model,
       (SELECT integrity.score_state(r.category, r.kind, r.severity, r.decided_on, r.confirmed_on,
                                     r.revoked_on, r.repaired_on, current_date, m.params)
          FROM integrity.record r, integrity.score_model m
         WHERE m.name = 'default' AND r.subject_id = (SELECT id FROM hostile.subj WHERE tag = 'd_stats')) AS state;

-- a literal of type t
CREATE FUNCTION hostile.lit(v anyelement, t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT quote_literal(v::text) || '::' || t
$$;

-- jsonb doc with every leaf changed: 'num' numbers to n, 'str' every
-- scalar to "x", 'null' every scalar to null, 'empty' arrays to []
CREATE FUNCTION hostile.jsonb_mutate(doc jsonb, how text, n numeric DEFAULT -1) RETURNS jsonb
    LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE r jsonb; k text; v jsonb;
BEGIN
    CASE jsonb_typeof(doc)
    WHEN 'object' THEN
        r := '{}';
        FOR k, v IN SELECT * FROM jsonb_each(doc) LOOP
            r := r || jsonb_build_object(k, hostile.jsonb_mutate(v, how, n));
        END LOOP;
        RETURN r;
    WHEN 'array' THEN
        IF how = 'empty' THEN RETURN '[]'; END IF;
        SELECT coalesce(jsonb_agg(hostile.jsonb_mutate(e, how, n)), '[]') INTO r FROM jsonb_array_elements(doc) e;
        RETURN r;
    ELSE
        RETURN CASE how WHEN 'num' THEN CASE WHEN jsonb_typeof(doc) = 'number' THEN to_jsonb(n) ELSE doc END
                        WHEN 'str' THEN '"x"'::jsonb
                        WHEN 'null' THEN 'null'::jsonb
                        ELSE doc END;
    END CASE;
END $$;

-- the plausible value (an SQL expression) of argument `pos` (1-based) of
-- function fn, named argname, of type typ
CREATE FUNCTION hostile.plausible(fn oid, pos integer, argname text, typ oid) RETURNS text
    LANGUAGE plpgsql STABLE AS $$
DECLARE
    f hostile.fact;
    t text := format_type(typ, NULL);
    n text := coalesce(argname, '');
    d text;
    e record;
BEGIN
    SELECT * INTO f FROM hostile.fact;
    IF fn <> 0 THEN
        d := pg_get_function_arg_default(fn, pos);
    END IF;
    IF d IS NOT NULL THEN
        RETURN format('(%s)::%s', d, t);
    END IF;
    -- by name
    IF n ~ '^(p_)?origin$' THEN RETURN hostile.lit('140400'::text, t); END IF;
    IF n ~ '^(p_)?record_id$' THEN RETURN hostile.lit(f.published_id, t); END IF;
    IF n = 'record_ids' THEN RETURN hostile.lit(ARRAY[f.confirmed_id], t); END IF;
    IF n ~ '^(p_)?subject(_id)?$' OR n = 'p_id' THEN RETURN hostile.lit(f.subject_id, t); END IF;
    IF n = 'parent_id' THEN RETURN hostile.lit(f.gov_id, t); END IF;
    IF n IN ('seq', 'from_seq', 'old_size') THEN RETURN hostile.lit(1, t); END IF;
    IF n IN ('tree_size', 'new_size') THEN RETURN hostile.lit(f.log_size, t); END IF;
    IF n = 'key_id' THEN RETURN hostile.lit(f.key_id, t); END IF;
    IF n = 'public_key' THEN RETURN hostile.lit(f.public_key, t); END IF;
    IF n = 'category' THEN RETURN hostile.lit('admin_penalty'::text, t); END IF;
    IF n IN ('kind', 'p_kind') THEN RETURN hostile.lit('enterprise'::text, t); END IF;
    IF n IN ('model', 'params') AND t IN ('jsonb', 'json') THEN RETURN hostile.lit(f.model, t); END IF;
    IF n = 'model' THEN RETURN hostile.lit('default'::text, t); END IF;
    IF n = 'code' THEN RETURN hostile.lit('91140400000000131B'::text, t); END IF;
    IF n = 'doc' THEN RETURN hostile.lit('{"b": [1, 2.50, "长"], "a": null}'::text, t); END IF;
    IF n = 'p_event' THEN RETURN hostile.lit('publish'::text, t); END IF;
    IF n = 'year' THEN RETURN hostile.lit(extract(year FROM current_date)::integer, t); END IF;
    IF n = 'to_state' THEN RETURN hostile.lit('revoked'::text, t); END IF;
    IF n = 'state' AND t = 'double precision[]' THEN RETURN hostile.lit(f.state, t); END IF;
    IF n = 'entry_hash' THEN RETURN format('sha256(''x'')::%s', t); END IF;
    IF n IN ('revoked_on', 'repaired_on') THEN RETURN format('NULL::%s', t); END IF;
    IF n = 'n' THEN RETURN hostile.lit(5, t); END IF;
    -- by type
    IF typ IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype, 'numeric'::regtype,
               'float4'::regtype, 'float8'::regtype) THEN
        RETURN hostile.lit(1, t);
    END IF;
    IF typ IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype, 'name'::regtype, 'cstring'::regtype) THEN
        RETURN hostile.lit('测试 test'::text, t);
    END IF;
    IF typ = 'bool'::regtype THEN RETURN 'false'; END IF;
    IF typ = 'date'::regtype THEN RETURN hostile.lit(current_date - 10, t); END IF;
    IF typ IN ('timestamptz'::regtype, 'timestamp'::regtype) THEN RETURN hostile.lit(now() - interval '10 days', t); END IF;
    IF typ = 'interval'::regtype THEN RETURN hostile.lit('1 day'::interval, t); END IF;
    IF typ IN ('jsonb'::regtype, 'json'::regtype) THEN RETURN hostile.lit('{}'::text, t); END IF;
    IF typ = 'bytea'::regtype THEN RETURN hostile.lit('\x00'::bytea, t); END IF;
    IF typ = 'integrity.uscc'::regtype THEN RETURN hostile.lit('91140400000000131B'::text, t); END IF;
    IF typ = 'integrity.cn_id'::regtype THEN RETURN hostile.lit('140402197803150318'::text, t); END IF;
    SELECT * INTO e FROM pg_enum WHERE enumtypid = typ ORDER BY enumsortorder LIMIT 1;
    IF FOUND THEN RETURN hostile.lit(e.enumlabel, t); END IF;
    IF (SELECT typcategory FROM pg_type WHERE oid = typ) = 'A' THEN
        RETURN format('ARRAY[%s]::%s', hostile.plausible(0, 0, NULL, (SELECT typelem FROM pg_type WHERE oid = typ)), t);
    END IF;
    RETURN format('NULL::%s', t);
END $$;

-- the boundary values (label, SQL expression) of type typ; `plausible` is
-- the plausible value of the argument, for the variations of documents
CREATE FUNCTION hostile.boundary(typ oid, plausible text) RETURNS TABLE (label text, expr text)
    LANGUAGE plpgsql STABLE AS $$
DECLARE
    t text := format_type(typ, NULL);
    elem oid := (SELECT CASE WHEN typcategory = 'A' THEN typelem END FROM pg_type WHERE oid = typ);
    v text[];
    i integer;
    doc jsonb;
    p text;
BEGIN
    label := 'NULL'; expr := format('NULL::%s', t); RETURN NEXT;
    IF typ = 'int2'::regtype THEN v := '{0,-1,32767,-32768}';
    ELSIF typ = 'int4'::regtype THEN v := '{0,-1,10000000,2147483647,-2147483648}';
    ELSIF typ = 'int8'::regtype THEN v := '{0,-1,10000000,9223372036854775807,-9223372036854775808}';
    ELSIF typ = 'numeric'::regtype THEN v := '{0,-1,NaN,Infinity,-Infinity,1e300,-1e-300}';
    ELSIF typ IN ('float4'::regtype, 'float8'::regtype) THEN v := '{0,-1,NaN,Infinity,-Infinity,1e38,-1e-38}';
    ELSIF typ = 'date'::regtype THEN v := '{infinity,-infinity,4713-01-01 BC,5874897-12-31}';
    ELSIF typ = 'timestamptz'::regtype THEN
        v := '{infinity,-infinity,"4713-01-01 00:00:00+00 BC","294276-12-31 23:59:59+00"}';
    ELSIF typ = 'timestamp'::regtype THEN
        v := '{infinity,-infinity,"4713-01-01 00:00:00 BC","294276-12-31 23:59:59"}';
    ELSIF typ = 'interval'::regtype THEN v := '{0,"-178000000 years","178000000 years"}';
    ELSIF typ = 'bool'::regtype THEN v := '{true,false}';
    ELSIF typ = 'integrity.uscc'::regtype THEN v := '{91140400000000131B,9114040000000006XF}';
    ELSIF typ = 'integrity.cn_id'::regtype THEN v := '{140402197803150318,11010519491231002X}';
    END IF;
    IF v IS NOT NULL THEN
        FOREACH p IN ARRAY v LOOP
            label := p; expr := hostile.lit(p, t); RETURN NEXT;
        END LOOP;
        RETURN;
    END IF;
    -- enums: every label
    IF EXISTS (SELECT 1 FROM pg_enum WHERE enumtypid = typ) THEN
        FOR p IN SELECT enumlabel FROM pg_enum WHERE enumtypid = typ ORDER BY enumsortorder LOOP
            label := p; expr := hostile.lit(p, t); RETURN NEXT;
        END LOOP;
        RETURN;
    END IF;
    IF typ IN ('text'::regtype, 'varchar'::regtype, 'bpchar'::regtype, 'name'::regtype, 'cstring'::regtype) THEN
        FOR label, expr IN VALUES
            ('empty', $q$''$q$),
            ('1MB ascii', $q$repeat('x', 1048576)$q$),
            ('1MB multibyte', $q$repeat('长', 349526)$q$),
            ('backslash', $q$E'\\'$q$),
            ('quote-comment', $q$'''; SELECT 1; --'$q$),
            ('control chars', $q$E'a\tb\nc\rd\u0001e'$q$),
            ('format specifiers', $q$'%s%n%x%%%1$s'$q$),
            ('ideographic space', $q$E'\u3000'$q$),
            ('4-byte utf8', $q$'😀𠀀'$q$),
            ('-1', $q$'-1'$q$),
            ('999999', $q$'999999'$q$),
            ('NaN', $q$'NaN'$q$),
            ('json 1000 deep', $q$repeat('{"a":', 1000) || '1' || repeat('}', 1000)$q$),
            ('json 100000 deep', $q$repeat('[', 100000) || repeat(']', 100000)$q$)
        LOOP
            expr := format('(%s)::%s', expr, t);
            RETURN NEXT;
        END LOOP;
        RETURN;
    END IF;
    IF typ IN ('jsonb'::regtype, 'json'::regtype) THEN
        FOR label, expr IN VALUES
            ('{}', $q$'{}'$q$), ('[]', $q$'[]'$q$), ('null', $q$'null'$q$), ('"s"', $q$'"s"'$q$), ('-1', $q$'-1'$q$),
            ('object 1000 deep', $q$repeat('{"a":', 1000) || '1' || repeat('}', 1000)$q$),
            ('array 10000 deep', $q$repeat('[', 10000) || repeat(']', 10000)$q$)
        LOOP
            expr := format('(%s)::%s', expr, t);
            RETURN NEXT;
        END LOOP;
        -- the plausible document with its leaves changed
        IF plausible !~ '^NULL::' THEN
            EXECUTE 'SELECT (' || plausible || ')::jsonb' INTO doc;
            IF jsonb_typeof(doc) IN ('object', 'array') AND doc NOT IN ('{}', '[]') THEN
                FOR label, expr IN
                    SELECT x.l, hostile.lit(x.d, t) FROM (VALUES
                        ('numbers -1', hostile.jsonb_mutate(doc, 'num', -1)),
                        ('numbers 36500', hostile.jsonb_mutate(doc, 'num', 36500)),
                        ('numbers 1e300', hostile.jsonb_mutate(doc, 'num', 1e300)),
                        ('scalars "x"', hostile.jsonb_mutate(doc, 'str')),
                        ('scalars null', hostile.jsonb_mutate(doc, 'null')),
                        ('arrays empty', hostile.jsonb_mutate(doc, 'empty'))) x(l, d)
                LOOP
                    RETURN NEXT;
                END LOOP;
            END IF;
        END IF;
        RETURN;
    END IF;
    IF typ = 'bytea'::regtype THEN
        FOR label, expr IN VALUES
            ('empty', $q$'\x'::bytea$q$), ('1 byte', $q$'\x00'::bytea$q$),
            ('32 bytes', $q$decode(repeat('00', 32), 'hex')$q$), ('64 bytes', $q$decode(repeat('ff', 64), 'hex')$q$),
            ('1MB', $q$decode(repeat('ab', 1048576), 'hex')$q$)
        LOOP
            RETURN NEXT;
        END LOOP;
        RETURN;
    END IF;
    IF elem IS NOT NULL THEN
        p := hostile.plausible(0, 0, NULL, elem);
        label := '{}'; expr := format('''{}''::%s', t); RETURN NEXT;
        label := '{NULL}'; expr := format('''{NULL}''::%s', t); RETURN NEXT;
        label := '{{NULL}}'; expr := format('''{{NULL}}''::%s', t); RETURN NEXT;
        -- an array of the element type's own boundary values
        label := 'boundary elements';
        expr := format('ARRAY[%s]::%s', (SELECT string_agg(b.expr, ', ') FROM hostile.boundary(elem, p) b
                                         WHERE b.expr !~ 'repeat|decode'), t);
        IF expr IS NOT NULL THEN
            RETURN NEXT;
        END IF;
        label := '1 element'; expr := format('array_fill(%s, ARRAY[1])::%s', p, t); RETURN NEXT;
        label := '3 elements'; expr := format('array_fill(%s, ARRAY[3])::%s', p, t); RETURN NEXT;
        label := '5 elements'; expr := format('array_fill(%s, ARRAY[5])::%s', p, t); RETURN NEXT;
        label := '100000 elements'; expr := format('array_fill(%s, ARRAY[100000])::%s', p, t); RETURN NEXT;
        label := '2x2'; expr := format('array_fill(%s, ARRAY[2, 2])::%s', p, t); RETURN NEXT;
        label := 'lower bound 0'; expr := format('array_fill(%s, ARRAY[4], ARRAY[0])::%s', p, t); RETURN NEXT;
        label := 'lower bound -2147483648'; expr := format('array_fill(%s, ARRAY[1], ARRAY[-2147483648])::%s', p, t); RETURN NEXT;
        RETURN;
    END IF;
    -- any other type: NULL only
END $$;

-- every function of the extension
CREATE TABLE hostile.fn (
    fid       integer PRIMARY KEY,
    oid       oid NOT NULL,
    sig       text NOT NULL,     -- regprocedure
    roles     text[] NOT NULL,   -- the integrity roles that may execute it
    skip      text               -- why it is not called
);
INSERT INTO hostile.fn
SELECT row_number() OVER (ORDER BY p.oid::regprocedure::text), p.oid, p.oid::regprocedure::text,
       ARRAY(SELECT r FROM unnest(ARRAY['integrity_reader', 'integrity_operator', 'integrity_admin']) r
              WHERE has_function_privilege(r, p.oid, 'EXECUTE')),
       CASE WHEN p.prorettype IN ('trigger'::regtype, 'event_trigger'::regtype) THEN 'a trigger function'
            WHEN 'internal'::regtype = ANY (p.proargtypes::oid[]) THEN 'takes internal (an aggregate support or I/O function)'
            WHEN p.prokind = 'w' THEN 'a window function' END
  FROM pg_proc p
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
                  AND d.refclassid = 'pg_extension'::regclass
  JOIN pg_extension x ON x.oid = d.refobjid AND x.extname = 'integrity'
 WHERE p.pronamespace = 'integrity'::regnamespace;

-- the calls: all NULL, all plausible, each argument in turn through the
-- boundary values of its type
CREATE TABLE hostile.call (
    fid    integer NOT NULL REFERENCES hostile.fn,
    vno    integer NOT NULL,
    label  text NOT NULL,        -- which argument has which value
    sql    text NOT NULL,
    PRIMARY KEY (fid, vno)
);
DO $$
DECLARE
    f record;
    p record;
    nargs integer;
    types oid[];
    names text[];
    plaus text[];
    a text[];
    b record;
    i integer;
    k integer;
    head text;
    argname text;
BEGIN
    FOR f IN SELECT hostile.fn.*, pr.prokind, pr.provariadic, pr.proname
               FROM hostile.fn JOIN pg_proc pr ON pr.oid = hostile.fn.oid
              WHERE skip IS NULL AND cardinality(roles) > 0 ORDER BY fid LOOP
        -- (proargtypes is an oidvector: its array starts at 0)
        types := ARRAY(SELECT u.t FROM pg_proc pr, unnest(pr.proargtypes::oid[]) WITH ORDINALITY AS u(t, o)
                        WHERE pr.oid = f.oid ORDER BY u.o);
        nargs := coalesce(cardinality(types), 0);
        -- the input argument names (proargnames covers OUT arguments too)
        names := ARRAY(SELECT coalesce(u.n, '')
                         FROM pg_proc pr,
                              unnest(coalesce(pr.proargnames, array_fill(''::text, ARRAY[coalesce(cardinality(pr.proallargtypes), nargs)])),
                                     coalesce(pr.proargmodes, array_fill('i'::"char", ARRAY[coalesce(cardinality(pr.proallargtypes), nargs)])))
                                  WITH ORDINALITY AS u(n, m, o)
                        WHERE pr.oid = f.oid AND u.m IN ('i', 'b', 'v') ORDER BY u.o);
        plaus := '{}';
        FOR i IN 1 .. nargs LOOP
            plaus := plaus || hostile.plausible(f.oid, i, names[i], types[i]);
        END LOOP;
        head := CASE WHEN f.prokind = 'p' THEN 'CALL ' ELSE 'SELECT ' END
                || format('%I.%I(', 'integrity', f.proname);
        k := 0;
        -- all NULL
        a := ARRAY(SELECT format('NULL::%s', format_type(t, NULL)) FROM unnest(types) t);
        k := k + 1;
        INSERT INTO hostile.call VALUES (f.fid, k, 'all NULL',
            head || CASE WHEN f.provariadic <> 0 AND nargs > 0
                         THEN array_to_string(a[1:nargs - 1] || ('VARIADIC ' || a[nargs]), ', ')
                         ELSE array_to_string(a, ', ') END || ')');
        -- all plausible, then one argument varied at a time
        FOR i IN 0 .. nargs LOOP
            CONTINUE WHEN i = 0 AND nargs = 0;                          -- that is "all NULL"
            FOR b IN SELECT 'plausible' AS label, NULL AS expr WHERE i = 0
                     UNION ALL SELECT * FROM hostile.boundary(CASE WHEN i > 0 THEN types[i] END, plaus[i]) WHERE i > 0 LOOP
                CONTINUE WHEN i > 0 AND b.label = 'NULL' AND nargs = 1;    -- that is "all NULL"
                a := plaus;
                IF i > 0 THEN a[i] := b.expr; END IF;
                argname := CASE WHEN i = 0 THEN 'all plausible'
                                ELSE coalesce(nullif(names[i], ''), '$' || i) || ' = ' || b.label END;
                k := k + 1;
                INSERT INTO hostile.call VALUES (f.fid, k, argname,
                    head || CASE WHEN f.provariadic <> 0 AND nargs > 0
                                 THEN array_to_string(a[1:nargs - 1] || ('VARIADIC ' || a[nargs]), ', ')
                                 ELSE array_to_string(a, ', ') END || ')');
            END LOOP;
        END LOOP;
    END LOOP;
END $$;
