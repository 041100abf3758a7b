-- Upgrade of the integrity extension from 1.1 to 1.2, one part per concept
-- (named as in sql/src/).  1.0 databases reach 1.2 through the frozen
-- integrity--1.0--1.1.sql and this script.  test/pg/upgrade.sh checks that
-- ALTER EXTENSION integrity UPDATE TO '1.2' from 1.0 and from 1.1 gives the
-- same objects as CREATE EXTENSION integrity.
\echo Use "ALTER EXTENSION integrity UPDATE TO '1.2'" to load this file. \quit
