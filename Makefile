# integrity: PostgreSQL extension (PGXS)

EXTENSION    = integrity
EXTVERSION   = 1.2
MODULE_big   = integrity

# the concepts (concepts.mk): objects, unit tests, fuzz targets and the
# verifier's sources all come from its lists
include $(dir $(lastword $(MAKEFILE_LIST)))concepts.mk
OBJS         = $(addprefix src/,$(addsuffix .o,$(GLUE)) $(addsuffix _core.o,$(CORES)))

# The install script of the current version and the upgrade script from the
# previous one are generated from parts.  Released scripts are frozen as they
# shipped and never edited: integrity--1.0.sql, integrity--1.1.sql and
# integrity--1.0--1.1.sql.  A change to SQL objects goes into sql/src/ AND into
# a part of sql/upgrade/1.1--1.2/ (test/pg/upgrade.sh compares the results).
UPGRADE_FROM = 1.1
UPGRADE_PARTS = $(sort $(wildcard sql/upgrade/$(UPGRADE_FROM)--$(EXTVERSION)/*.sql))
DATA_built   = sql/integrity--$(EXTVERSION).sql sql/integrity--$(UPGRADE_FROM)--$(EXTVERSION).sql
DATA         = sql/integrity--1.0.sql sql/integrity--1.1.sql sql/integrity--1.0--1.1.sql
SQL_PARTS    = $(sort $(wildcard sql/src/*.sql))

# pg_regress: sql/regress_X.sql against expected/regress_X.out (pgTAP: test/NN_X.sql)
REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/regress_*.sql)))
REGRESS_OPTS = --dbname=integrity_regress

PG_CFLAGS    = -std=gnu99 $(WARNINGS)
PG_CPPFLAGS  = -I$(srcdir)/src
SHLIB_LINK   = -lcrypto

SCRIPTS_built = $(VERIFY_BIN)

# the unit tests, one per core (test/unit/test_X.c); PGXS's clean reads
# EXTRA_CLEAN when it is included, so both come before it
UNITS        = $(patsubst test/unit/test_%.c,%,$(sort $(wildcard test/unit/test_*.c)))
UNIT_BINS    = $(addprefix test/unit/test_,$(UNITS))
EXTRA_CLEAN  = $(UNIT_BINS) test/unit/*.o $(VERIFY_BIN)

PG_CONFIG   ?= pg_config
PGXS        := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(PGXS),)
include $(PGXS)
endif

# the install script: the parts in order, then the official calendar (D2.5)
sql/integrity--$(EXTVERSION).sql: $(SQL_PARTS) data/cn_calendar.tsv tools/calendar2sql.awk
	echo '-- integrity--$(EXTVERSION).sql: generated from sql/src/*.sql and data/cn_calendar.tsv by the Makefile, do not edit' > $@
	cat $(SQL_PARTS) >> $@
	awk -f tools/calendar2sql.awk data/cn_calendar.tsv >> $@

# the upgrade script from the previous version: its parts in order
sql/integrity--$(UPGRADE_FROM)--$(EXTVERSION).sql: $(UPGRADE_PARTS)
	echo '-- integrity--$(UPGRADE_FROM)--$(EXTVERSION).sql: generated from sql/upgrade/$(UPGRADE_FROM)--$(EXTVERSION)/*.sql by the Makefile, do not edit' > $@
	cat $(UPGRADE_PARTS) >> $@

# ---------------------------------------------------------------- tools
# tools/integrity-verify/integrity-verify: the offline verifier of an exported log (SPEC 6),
# installed beside pg_config's other programs by `make install`; its checks
# are those of the cores it shares with the server (VERIFY_CORES).
VERIFY_SRCS  = $(sort $(wildcard tools/integrity-verify/*.c)) $(addprefix src/,$(addsuffix _core.c,$(VERIFY_CORES)))
$(VERIFY_BIN): $(VERIFY_SRCS) $(wildcard tools/integrity-verify/*.h) $(wildcard src/*.h)
	$(CC) -std=gnu99 -O2 $(WARNINGS) -Isrc -Itools/integrity-verify -o $@ $(VERIFY_SRCS) $(CORE_LIBS)

all: $(VERIFY_BIN)

# ---------------------------------------------------------------- unit tests
# test/unit/test_X.c tests the core of concept X: it is linked with
# $(call core_srcs,X), the core and the cores it uses (concepts.mk).
UNIT_CC      = cc
UNIT_CFLAGS  = -std=gnu99 -O1 -g $(WARNINGS) -Isrc
UNIT_CFLAGS_merkle = -O2

define unit_rule
test/unit/test_$(1): test/unit/test_$(1).c $(call core_srcs,$(1)) $(wildcard src/*.h) test/unit/tap.h
	$$(UNIT_CC) $$(UNIT_CFLAGS) $$(UNIT_CFLAGS_$(1)) -o $$@ test/unit/test_$(1).c $(call core_srcs,$(1)) $$(CORE_LIBS)
endef
$(foreach u,$(UNITS),$(eval $(call unit_rule,$(u))))

# make bench, make bench-smoke (bench/), make fuzz, make sanitize (fuzz/)
-include bench/bench.mk
-include fuzz/fuzz.mk

.PHONY: unit deps test demo
unit: $(UNIT_BINS)
	@for t in $(UNIT_BINS); do ./$$t || exit 1; done

# ---------------------------------------------------------------- set-up
# Installs what a fresh Debian bookworm machine lacks (needs root), once.
deps:
	@sh tools/install-deps.sh

test: deps
	$(MAKE) all
	$(MAKE) install
	sh test/run-all.sh

demo: deps
	$(MAKE) all
	$(MAKE) install
	sh demo/run.sh
