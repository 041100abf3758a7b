# Turns data/cn_calendar.tsv (day, is_workday, note) into the INSERT that
# seeds integrity.calendar in the install script.
BEGIN {
    FS = "\t"
    print ""
    print "-- The official calendar, 2004-2026 (data/cn_calendar.tsv; MIT licence in data/cn_calendar.LICENSE)"
    print "INSERT INTO @extschema@.calendar (day, is_workday, note, seeded) VALUES"
    n = 0
}
/^#/ || NF < 2 { next }
{
    gsub(/'/, "''", $3)
    printf "%s('%s', %s, '%s', true)", (n++ ? ",\n    " : "    "), $1, $2, $3
}
END {
    print ";"
    print "INSERT INTO @extschema@.calendar_year (year, source, seeded)"
    print "    SELECT DISTINCT extract(year FROM day)::integer, '国务院办公厅 holiday notices (data/cn_calendar.tsv)', true"
    print "      FROM @extschema@.calendar WHERE seeded;"
}
