# integrity: PostgreSQL extension (PGXS)

EXTENSION    = integrity
EXTVERSION   = 1.2
MODULE_big   = integrity
CORE_OBJS    = src/ident_core.o src/lifecycle_core.o src/eval_core.o src/json_canon_core.o src/merkle_core.o src/crypto_core.o src/payload_core.o src/lists_core.o
OBJS         = src/integrity.o src/ident_fmgr.o src/lifecycle.o src/chain.o src/payload.o src/eval_fmgr.o src/lists.o $(CORE_OBJS)

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

REGRESS      = $(patsubst sql/%.sql,%,$(sort $(wildcard sql/[0-9]*.sql)))
REGRESS_OPTS = --dbname=integrity_regress

WARNINGS     = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare
PG_CFLAGS    = -std=gnu99 $(WARNINGS)
PG_CPPFLAGS  = -I$(srcdir)/src
SHLIB_LINK   = -lcrypto

EXTRA_CLEAN  = $(UNIT_BINS) test/unit/*.o tools/integrity-verify
SCRIPTS_built = tools/integrity-verify

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
# tools/integrity-verify: the offline verifier of an exported log (SPEC 6),
# installed beside pg_config's other programs by `make install`.
VERIFY_SRCS  = tools/integrity-verify.c src/crypto_core.c src/merkle_core.c src/json_canon_core.c
tools/integrity-verify: $(VERIFY_SRCS) src/crypto.h src/merkle.h src/json_canon.h
	$(CC) -std=gnu99 -O2 -Wall -Wextra -Werror -Isrc -o $@ $(VERIFY_SRCS) -lcrypto -lm

all: tools/integrity-verify

# ---------------------------------------------------------------- unit tests
UNIT_CC      = cc
UNIT_CFLAGS  = -std=gnu99 -O1 -g -Wall -Wextra -Werror -Isrc
UNIT_BINS    = test/unit/test_ident test/unit/test_lifecycle test/unit/test_eval test/unit/test_json_canon \
               test/unit/test_merkle test/unit/test_crypto test/unit/test_payload test/unit/test_lists

test/unit/test_ident: test/unit/test_ident.c src/ident_core.c src/ident.h
	$(UNIT_CC) $(UNIT_CFLAGS) -o $@ test/unit/test_ident.c src/ident_core.c
test/unit/test_lifecycle: test/unit/test_lifecycle.c src/lifecycle_core.c src/lifecycle.h
	$(UNIT_CC) $(UNIT_CFLAGS) -o $@ test/unit/test_lifecycle.c src/lifecycle_core.c
test/unit/test_eval: test/unit/test_eval.c src/eval_core.c src/eval.h
	$(UNIT_CC) $(UNIT_CFLAGS) -o $@ test/unit/test_eval.c src/eval_core.c
test/unit/test_json_canon: test/unit/test_json_canon.c src/json_canon_core.c src/json_canon.h
	$(UNIT_CC) $(UNIT_CFLAGS) -o $@ test/unit/test_json_canon.c src/json_canon_core.c -lm
test/unit/test_merkle: test/unit/test_merkle.c src/merkle_core.c src/merkle.h
	$(UNIT_CC) $(UNIT_CFLAGS) -O2 -o $@ test/unit/test_merkle.c src/merkle_core.c -lcrypto
test/unit/test_lists: test/unit/test_lists.c src/lists_core.c src/lists.h src/eval_core.c src/eval.h
	$(UNIT_CC) $(UNIT_CFLAGS) -o $@ test/unit/test_lists.c src/lists_core.c src/eval_core.c
test/unit/test_crypto: test/unit/test_crypto.c src/crypto_core.c src/crypto.h
	$(UNIT_CC) $(UNIT_CFLAGS) -o $@ test/unit/test_crypto.c src/crypto_core.c -lcrypto

test/unit/test_payload: test/unit/test_payload.c src/payload_core.c src/payload.h src/ident_core.c src/ident.h src/json_canon_core.c src/json_canon.h
	$(UNIT_CC) $(UNIT_CFLAGS) -o $@ test/unit/test_payload.c src/payload_core.c src/ident_core.c src/json_canon_core.c -lm

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

# test_payload links three cores: its sanitizer and valgrind builds (fuzz/fuzz.mk)
ifneq ($(FUZZ_BUILD),)
PAYLOAD_UNIT_SRCS = test/unit/test_payload.c src/payload_core.c src/ident_core.c src/json_canon_core.c
$(FUZZ_BUILD)/san/test_payload: $(PAYLOAD_UNIT_SRCS) $(wildcard src/*.h) test/unit/tap.h
	@mkdir -p $(FUZZ_BUILD)/san
	$(SAN_CC) $(SAN_CFLAGS) -Isrc -o $@ $(PAYLOAD_UNIT_SRCS) $(FUZZ_LIBS)
$(FUZZ_BUILD)/vg/test_payload: $(PAYLOAD_UNIT_SRCS) $(wildcard src/*.h) test/unit/tap.h
	@mkdir -p $(FUZZ_BUILD)/vg
	$(VG_CC) $(VG_CFLAGS) -Isrc -o $@ $(PAYLOAD_UNIT_SRCS) $(FUZZ_LIBS)
# the lists core also links the evaluation core (the ranking's sums)
$(FUZZ_BUILD)/san/test_lists: test/unit/test_lists.c src/lists_core.c src/eval_core.c $(wildcard src/*.h) test/unit/tap.h
	@mkdir -p $(FUZZ_BUILD)/san
	$(SAN_CC) $(SAN_CFLAGS) -Isrc -o $@ test/unit/test_lists.c src/lists_core.c src/eval_core.c $(FUZZ_LIBS)
$(FUZZ_BUILD)/vg/test_lists: test/unit/test_lists.c src/lists_core.c src/eval_core.c $(wildcard src/*.h) test/unit/tap.h
	@mkdir -p $(FUZZ_BUILD)/vg
	$(VG_CC) $(VG_CFLAGS) -Isrc -o $@ test/unit/test_lists.c src/lists_core.c src/eval_core.c $(FUZZ_LIBS)
$(FUZZ_BUILD)/fuzz_lists: fuzz/fuzz_lists.c src/lists_core.c src/eval_core.c $(wildcard src/*.h)
	@mkdir -p $(FUZZ_BUILD)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) -Isrc -o $@ fuzz/fuzz_lists.c src/lists_core.c src/eval_core.c $(FUZZ_LIBS)
endif
