-- test/pg/catalog_snapshot.sql: a text description of every object of the
-- integrity extension, one line each, sorted, with nothing that depends on OIDs
-- or on when it was created.  test/pg/upgrade.sh compares the description of a
-- fresh install with that of an install of 1.0 updated to the current version:
-- they must be identical (issue 7: "an upgrade-path test comparing the objects
-- after ALTER EXTENSION integrity UPDATE with a fresh install").
--
-- What it covers: the extension row (version, configuration tables and their
-- conditions); every member object by its identity; functions and procedures
-- (kind, arguments, result, language, body or C symbol, volatility,
-- strictness, parallel safety, security definer, leakproof, cost, rows,
-- SET options, ACL, comment); aggregates (every pg_aggregate field that
-- matters); types (base type support functions and storage, enum labels in
-- order, domains and their constraints, composite attributes); operators,
-- operator classes and families with their members; casts; relations (kind,
-- options, persistence, replica identity, ACL, comment), their columns in
-- order (type, collation, NOT NULL, default, identity, generated, ACL,
-- comment), constraints, indexes, triggers (and whether enabled), policies,
-- rules, row-level security flags; view definitions; sequences; the schema's
-- ACL and comment; and the rows of every table of the extension that a fresh
-- install fills (seeded data), fingerprinted.
\set QUIET on
\pset format unaligned
\pset tuples_only on
\pset footer off

WITH ext AS (
    SELECT e.oid, e.extname, e.extversion, e.extconfig, e.extcondition, e.extnamespace
      FROM pg_extension e WHERE e.extname = 'integrity'
), member AS (
    SELECT d.classid, d.objid, d.objsubid
      FROM pg_depend d, ext
     WHERE d.refclassid = 'pg_extension'::regclass AND d.refobjid = ext.oid AND d.deptype = 'e'
), rel AS (          -- relations of the extension
    SELECT c.oid, c.relname FROM pg_class c JOIN member m
        ON m.classid = 'pg_class'::regclass AND m.objid = c.oid
), acl(a) AS (SELECT NULL::aclitem[])
SELECT regexp_replace(line, $r$\s*\n\s*$r$, $r$ $r$, $r$g$r$) FROM (
    -- the extension itself
    SELECT 'extension|' || ext.extname || '|version ' || ext.extversion
           || '|schema ' || ext.extnamespace::regnamespace AS line FROM ext
    UNION ALL
    SELECT 'extension config|' || c::regclass::text || '|' || coalesce(cond, '<null>')
      FROM ext, unnest(ext.extconfig, ext.extcondition) AS u(c, cond)
    UNION ALL
    -- every member, by identity
    SELECT 'member|' || i.type || '|' || i.identity
      FROM member m, pg_identify_object(m.classid, m.objid, m.objsubid) i
    UNION ALL
    -- the schema
    SELECT 'schema|' || n.nspname || '|acl ' || coalesce(n.nspacl::text, '<default>')
           || '|comment ' || coalesce(obj_description(n.oid, 'pg_namespace'), '<none>')
      FROM ext JOIN pg_namespace n ON n.oid = ext.extnamespace
    UNION ALL
    -- functions, procedures, aggregates
    SELECT 'function|' || p.oid::regprocedure::text
           || '|kind ' || p.prokind::text || '|returns ' || pg_get_function_result(p.oid)
           || '|args ' || pg_get_function_arguments(p.oid)
           || '|lang ' || l.lanname || '|volatile ' || p.provolatile::text || '|strict ' || p.proisstrict
           || '|parallel ' || p.proparallel::text || '|secdef ' || p.prosecdef || '|leakproof ' || p.proleakproof
           || '|cost ' || p.procost || '|rows ' || p.prorows || '|retset ' || p.proretset
           || '|config ' || coalesce(p.proconfig::text, '<none>')
           || '|acl ' || coalesce(p.proacl::text, '<default>')
           || '|comment ' || coalesce(obj_description(p.oid, 'pg_proc'), '<none>')
           || '|bin ' || coalesce(p.probin, '<none>')
           || '|src ' || md5(coalesce(p.prosrc, '')) || ' ' || left(regexp_replace(coalesce(p.prosrc, ''), '\s+', ' ', 'g'), 60)
           || '|sqlbody ' || coalesce(md5(pg_get_function_sqlbody(p.oid)), '<none>')
      FROM member m JOIN pg_proc p ON m.classid = 'pg_proc'::regclass AND m.objid = p.oid
      JOIN pg_language l ON l.oid = p.prolang
    UNION ALL
    SELECT 'aggregate|' || a.aggfnoid::regprocedure::text
           || '|kind ' || a.aggkind::text || '|direct ' || a.aggnumdirectargs
           || '|trans ' || a.aggtransfn::regprocedure::text || '|final ' || a.aggfinalfn::text
           || '|combine ' || a.aggcombinefn::text || '|serial ' || a.aggserialfn::text
           || '|deserial ' || a.aggdeserialfn::text || '|mtrans ' || a.aggmtransfn::text
           || '|minv ' || a.aggminvtransfn::text || '|mfinal ' || a.aggmfinalfn::text
           || '|finalextra ' || a.aggfinalextra || '|finalmodify ' || a.aggfinalmodify::text
           || '|sortop ' || a.aggsortop::regoperator::text
           || '|stype ' || format_type(a.aggtranstype, NULL) || '|sspace ' || a.aggtransspace
           || '|init ' || coalesce(a.agginitval, '<null>')
      FROM member m JOIN pg_aggregate a ON m.classid = 'pg_proc'::regclass AND m.objid = a.aggfnoid
    UNION ALL
    -- types
    SELECT 'type|' || format_type(t.oid, NULL) || '|typtype ' || t.typtype::text || '|len ' || t.typlen
           || '|byval ' || t.typbyval || '|align ' || t.typalign::text || '|storage ' || t.typstorage::text
           || '|category ' || t.typcategory::text || '|preferred ' || t.typispreferred
           || '|delim ' || t.typdelim::text || '|in ' || t.typinput::text || '|out ' || t.typoutput::text
           || '|recv ' || t.typreceive::text || '|send ' || t.typsend::text
           || '|analyze ' || t.typanalyze::text || '|subscript ' || t.typsubscript::text
           || '|elem ' || coalesce(format_type(nullif(t.typelem, 0), NULL), '-')
           || '|array ' || coalesce(format_type(nullif(t.typarray, 0), NULL), '-')
           || '|base ' || coalesce(format_type(nullif(t.typbasetype, 0), t.typtypmod), '-')
           || '|notnull ' || t.typnotnull || '|default ' || coalesce(t.typdefault, '<none>')
           || '|collation ' || coalesce(nullif(t.typcollation, 0)::regcollation::text, '-')
           || '|acl ' || coalesce(t.typacl::text, '<default>')
           || '|comment ' || coalesce(obj_description(t.oid, 'pg_type'), '<none>')
           || '|labels ' || coalesce((SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                                        FROM pg_enum e WHERE e.enumtypid = t.oid), '-')
      FROM member m JOIN pg_type t ON m.classid = 'pg_type'::regclass AND m.objid = t.oid
    UNION ALL
    SELECT 'domain constraint|' || format_type(c.contypid, NULL) || '|' || c.conname || '|'
           || pg_get_constraintdef(c.oid)
      FROM member m JOIN pg_constraint c ON m.classid = 'pg_type'::regclass AND c.contypid = m.objid
    UNION ALL
    -- operators, operator classes and families
    SELECT 'operator|' || o.oid::regoperator::text || '|proc ' || o.oprcode::text
           || '|commutator ' || o.oprcom::regoperator::text || '|negator ' || o.oprnegate::regoperator::text
           || '|restrict ' || o.oprrest::text || '|join ' || o.oprjoin::text
           || '|merges ' || o.oprcanmerge || '|hashes ' || o.oprcanhash
           || '|comment ' || coalesce(obj_description(o.oid, 'pg_operator'), '<none>')
      FROM member m JOIN pg_operator o ON m.classid = 'pg_operator'::regclass AND m.objid = o.oid
    UNION ALL
    SELECT 'opclass|' || am.amname || '|' || oc.opcname || '|type ' || format_type(oc.opcintype, NULL)
           || '|default ' || oc.opcdefault || '|family ' || f.opfname
           || '|keytype ' || coalesce(format_type(nullif(oc.opckeytype, 0), NULL), '-')
      FROM member m JOIN pg_opclass oc ON m.classid = 'pg_opclass'::regclass AND m.objid = oc.oid
      JOIN pg_am am ON am.oid = oc.opcmethod JOIN pg_opfamily f ON f.oid = oc.opcfamily
    UNION ALL
    SELECT 'opfamily member|' || am.amname || '|' || f.opfname || '|op ' || ao.amopstrategy || ' '
           || ao.amopopr::regoperator::text || ' ' || ao.amoppurpose::text
      FROM pg_opfamily f JOIN pg_am am ON am.oid = f.opfmethod JOIN pg_amop ao ON ao.amopfamily = f.oid
     WHERE f.opfnamespace = (SELECT extnamespace FROM ext)
    UNION ALL
    SELECT 'opfamily member|' || am.amname || '|' || f.opfname || '|proc ' || ap.amprocnum || ' '
           || ap.amproc::regprocedure::text || ' ' || format_type(ap.amproclefttype, NULL)
           || ' ' || format_type(ap.amprocrighttype, NULL)
      FROM pg_opfamily f JOIN pg_am am ON am.oid = f.opfmethod JOIN pg_amproc ap ON ap.amprocfamily = f.oid
     WHERE f.opfnamespace = (SELECT extnamespace FROM ext)
    UNION ALL
    SELECT 'cast|' || format_type(c.castsource, NULL) || ' -> ' || format_type(c.casttarget, NULL)
           || '|func ' || coalesce(nullif(c.castfunc, 0)::regprocedure::text, '-')
           || '|context ' || c.castcontext::text || '|method ' || c.castmethod::text
      FROM member m JOIN pg_cast c ON m.classid = 'pg_cast'::regclass AND m.objid = c.oid
    UNION ALL
    -- relations
    SELECT 'relation|' || c.oid::regclass::text || '|kind ' || c.relkind::text
           || '|persistence ' || c.relpersistence::text || '|replident ' || c.relreplident::text
           || '|options ' || coalesce(c.reloptions::text, '<none>')
           || '|rls ' || c.relrowsecurity || ' ' || c.relforcerowsecurity
           || '|acl ' || coalesce(c.relacl::text, '<default>')
           || '|comment ' || coalesce(obj_description(c.oid, 'pg_class'), '<none>')
           || '|view ' || CASE WHEN c.relkind::text IN ('v', 'm') THEN md5(pg_get_viewdef(c.oid)) ELSE '-' END
      FROM rel JOIN pg_class c ON c.oid = rel.oid
    UNION ALL
    SELECT 'column|' || a.attrelid::regclass::text || '|'
           || row_number() OVER (PARTITION BY a.attrelid ORDER BY a.attnum) || ' ' || a.attname
           || '|type ' || format_type(a.atttypid, a.atttypmod)
           || '|notnull ' || a.attnotnull || '|identity ' || a.attidentity::text || '|generated ' || a.attgenerated::text
           || '|collation ' || coalesce(nullif(a.attcollation, 0)::regcollation::text, '-')
           || '|default ' || coalesce(pg_get_expr(ad.adbin, ad.adrelid), '<none>')
           || '|acl ' || coalesce(a.attacl::text, '<default>')
           || '|comment ' || coalesce(col_description(a.attrelid, a.attnum), '<none>')
           || '|statistics ' || a.attstattarget || '|storage ' || a.attstorage::text
      FROM rel JOIN pg_attribute a ON a.attrelid = rel.oid AND a.attnum > 0 AND NOT a.attisdropped
      LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    UNION ALL
    SELECT 'constraint|' || c.conrelid::regclass::text || '|' || c.conname || '|' || pg_get_constraintdef(c.oid)
           || '|deferrable ' || c.condeferrable || ' ' || c.condeferred || '|validated ' || c.convalidated
           || '|comment ' || coalesce(obj_description(c.oid, 'pg_constraint'), '<none>')
      FROM rel JOIN pg_constraint c ON c.conrelid = rel.oid
    UNION ALL
    SELECT 'index|' || i.indexrelid::regclass::text || '|' || pg_get_indexdef(i.indexrelid)
           || '|comment ' || coalesce(obj_description(i.indexrelid, 'pg_class'), '<none>')
      FROM rel JOIN pg_index i ON i.indrelid = rel.oid
    UNION ALL
    SELECT 'trigger|' || t.tgrelid::regclass::text || '|' || t.tgname || '|' || pg_get_triggerdef(t.oid)
           || '|enabled ' || t.tgenabled::text
      FROM rel JOIN pg_trigger t ON t.tgrelid = rel.oid AND NOT t.tgisinternal
    UNION ALL
    SELECT 'policy|' || p.polrelid::regclass::text || '|' || p.polname || '|cmd ' || p.polcmd::text
           || '|permissive ' || p.polpermissive || '|roles ' || p.polroles::regrole[]::text
           || '|using ' || coalesce(pg_get_expr(p.polqual, p.polrelid), '-')
           || '|check ' || coalesce(pg_get_expr(p.polwithcheck, p.polrelid), '-')
      FROM rel JOIN pg_policy p ON p.polrelid = rel.oid
    UNION ALL
    SELECT 'rule|' || r.ev_class::regclass::text || '|' || r.rulename || '|' || md5(pg_get_ruledef(r.oid))
      FROM rel JOIN pg_rewrite r ON r.ev_class = rel.oid AND r.rulename <> '_RETURN'
    UNION ALL
    SELECT 'sequence|' || s.seqrelid::regclass::text || '|type ' || format_type(s.seqtypid, NULL)
           || '|start ' || s.seqstart || '|inc ' || s.seqincrement || '|min ' || s.seqmin
           || '|max ' || s.seqmax || '|cache ' || s.seqcache || '|cycle ' || s.seqcycle
           || '|owned by ' || coalesce((SELECT d.refobjid::regclass::text || '.' || a.attname
                                          FROM pg_depend d JOIN pg_attribute a
                                            ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
                                         WHERE d.classid = 'pg_class'::regclass AND d.objid = s.seqrelid
                                           AND d.refclassid = 'pg_class'::regclass AND d.deptype = 'a'), '-')
      FROM rel JOIN pg_sequence s ON s.seqrelid = rel.oid
    UNION ALL
    -- event triggers and publications made by the extension, if any
    SELECT 'event trigger|' || e.evtname || '|' || e.evtevent || '|' || e.evtfoid::regprocedure::text
           || '|enabled ' || e.evtenabled::text || '|tags ' || coalesce(e.evttags::text, '-')
      FROM member m JOIN pg_event_trigger e ON m.classid = 'pg_event_trigger'::regclass AND m.objid = e.oid
) lines
ORDER BY line COLLATE "C";
