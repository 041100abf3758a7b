# fuzz/fuzz.mk: fuzzing and sanitizer builds of the pure-C cores.
#
# Included from the top-level Makefile (`include fuzz/fuzz.mk`), or used on
# its own from the top of the tree:
#
#   make -f fuzz/fuzz.mk fuzz [FUZZ_SECONDS=60] [FUZZ_TARGETS="ident merkle"]
#   make -f fuzz/fuzz.mk sanitize
#   make -f fuzz/fuzz.mk unit-valgrind
#
# fuzz           builds every fuzz/fuzz_<name>.c with
#                clang -g -O1 -fsanitize=fuzzer,address,undefined against
#                src/<name>_core.c (and the cores it uses, concepts.mk) and runs it for FUZZ_SECONDS seconds
#                (default 60) on its seed corpus fuzz/corpus/<name>/.  New
#                inputs go to a scratch corpus under FUZZ_BUILD (the seeds
#                are never written); a crash, leak, timeout or sanitizer
#                report is saved as fuzz/crashes/<name>-crash-<sha1> (etc.)
#                and fails the target.  Prints "fuzz_<name>: N runs in S s"
#                per target.
# sanitize       builds every pure-C unit test test/unit/test_<name>.c with
#                clang -fsanitize=address,undefined (no recovery, leak
#                detection on) and runs it; any sanitizer report or failed
#                test exits non-zero.
# unit-valgrind  the same unit tests, built without sanitizers, under
#                valgrind --error-exitcode=1 --leak-check=full.
#
# Only PGXS-free sources are built here (src/*_core.c, DESIGN.md), so this
# file needs neither pg_config nor a server.

_fuzz_saved_goal := $(.DEFAULT_GOAL)

# the concepts and the cores each one uses (once, if the Makefile has not)
ifeq ($(CORES),)
include $(dir $(lastword $(MAKEFILE_LIST)))../concepts.mk
endif

FUZZ_CC        ?= clang
FUZZ_SECONDS   ?= 60
FUZZ_TARGETS   ?= $(patsubst fuzz/fuzz_%.c,%,$(sort $(wildcard fuzz/fuzz_*.c)))
FUZZ_CFLAGS    ?= -std=gnu99 -g -O1 $(filter-out -Werror,$(WARNINGS))
FUZZ_SAN       ?= -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
FUZZ_LIBS      ?= $(CORE_LIBS)
# one scratch directory per checkout, outside the tree
FUZZ_BUILD     ?= /tmp/integrity-fuzz-$(shell printf '%s' '$(CURDIR)' | cksum | cut -d' ' -f1)
# extra libFuzzer flags, e.g. FUZZ_FLAGS=-jobs=4
FUZZ_FLAGS     ?=

SAN_CC         ?= clang
SAN_CFLAGS     ?= -std=gnu99 -g -O1 -fno-omit-frame-pointer $(filter-out -Werror,$(WARNINGS)) \
                  -fsanitize=address,undefined -fno-sanitize-recover=all
SAN_UNITS      ?= $(patsubst test/unit/test_%.c,%,$(sort $(wildcard test/unit/test_*.c)))
VG_CC          ?= cc
VG_CFLAGS      ?= -std=gnu99 -g -O1 $(filter-out -Werror,$(WARNINGS))
VALGRIND       ?= valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect \
                  --show-leak-kinds=definite,indirect --quiet

.PHONY: fuzz fuzz-build sanitize unit-valgrind fuzz-clean

# ------------------------------------------------------------------ fuzz
# fuzz/fuzz_X.c is linked with the core of X and the cores it uses (concepts.mk)
define fuzz_rule
$$(FUZZ_BUILD)/fuzz_$(1): fuzz/fuzz_$(1).c $(call core_srcs,$(1)) $(wildcard src/*.h)
	@mkdir -p $$(FUZZ_BUILD)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) $$(FUZZ_SAN) -Isrc -o $$@ fuzz/fuzz_$(1).c $(call core_srcs,$(1)) $$(FUZZ_LIBS)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rule,$(t))))

fuzz-build: $(addprefix $(FUZZ_BUILD)/fuzz_,$(FUZZ_TARGETS))

fuzz: fuzz-build
	@mkdir -p fuzz/crashes
	@status=0; \
	for t in $(FUZZ_TARGETS); do \
	    work=$(FUZZ_BUILD)/corpus/$$t; mkdir -p $$work; \
	    seeds=; [ -d fuzz/corpus/$$t ] && seeds=fuzz/corpus/$$t; \
	    log=$(FUZZ_BUILD)/fuzz_$$t.log; \
	    echo "== fuzz_$$t: $(FUZZ_SECONDS) s on $${seeds:-an empty corpus} (log $$log)"; \
	    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
	    $(FUZZ_BUILD)/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        -artifact_prefix=fuzz/crashes/$$t- $(FUZZ_FLAGS) $$work $$seeds > $$log 2>&1; rc=$$?; \
	    runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log | tail -1); \
	    secs=$$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' $$log | tail -1); \
	    units=$$(ls $$work | wc -l); \
	    if [ $$rc -ne 0 ] || grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|check failed' $$log; then \
	        echo "fuzz_$$t: FAILED (exit $$rc); reproducer(s) in fuzz/crashes/:"; \
	        grep -E 'ERROR:|runtime error:|check failed|Test unit written' $$log | head -20; \
	        status=1; \
	    else \
	        echo "fuzz_$$t: $${runs:-?} runs in $${secs:-?} s, $$units corpus units, no crash"; \
	    fi; \
	done; \
	exit $$status

fuzz-clean:
	rm -rf $(FUZZ_BUILD)

# --------------------------------------------------------------- sanitize
define san_rule
$$(FUZZ_BUILD)/san/test_$(1): test/unit/test_$(1).c $(call core_srcs,$(1)) $(wildcard src/*.h) test/unit/tap.h
	@mkdir -p $$(FUZZ_BUILD)/san
	$$(SAN_CC) $$(SAN_CFLAGS) -Isrc -o $$@ test/unit/test_$(1).c $(call core_srcs,$(1)) $$(FUZZ_LIBS)
endef
$(foreach u,$(SAN_UNITS),$(eval $(call san_rule,$(u))))

sanitize: $(addprefix $(FUZZ_BUILD)/san/test_,$(SAN_UNITS))
	@status=0; \
	for t in $(SAN_UNITS); do \
	    log=$(FUZZ_BUILD)/san/test_$$t.log; \
	    ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:detect_stack_use_after_return=1:strict_string_checks=1 \
	    UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
	    $(FUZZ_BUILD)/san/test_$$t > $$log 2>&1; rc=$$?; \
	    pass=$$(grep -c '^ok ' $$log); fail=$$(grep -c '^not ok ' $$log); \
	    if [ $$rc -ne 0 ] || [ $$fail -ne 0 ] || grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' $$log; then \
	        echo "not ok - test_$$t under ASan+UBSan (exit $$rc, $$pass ok, $$fail not ok)"; \
	        grep -E '^not ok|ERROR:|runtime error:|SUMMARY:' $$log | head -20 | sed 's/^/#   /'; \
	        status=1; \
	    else \
	        echo "ok - test_$$t under ASan+UBSan ($$pass checks, no report)"; \
	    fi; \
	done; \
	exit $$status

# ---------------------------------------------------------------- valgrind
define vg_rule
$$(FUZZ_BUILD)/vg/test_$(1): test/unit/test_$(1).c $(call core_srcs,$(1)) $(wildcard src/*.h) test/unit/tap.h
	@mkdir -p $$(FUZZ_BUILD)/vg
	$$(VG_CC) $$(VG_CFLAGS) -Isrc -o $$@ test/unit/test_$(1).c $(call core_srcs,$(1)) $$(FUZZ_LIBS)
endef
$(foreach u,$(SAN_UNITS),$(eval $(call vg_rule,$(u))))

unit-valgrind: $(addprefix $(FUZZ_BUILD)/vg/test_,$(SAN_UNITS))
	@status=0; \
	for t in $(SAN_UNITS); do \
	    log=$(FUZZ_BUILD)/vg/test_$$t.log; start=$$(date +%s); \
	    $(VALGRIND) --log-file=$$log.vg $(FUZZ_BUILD)/vg/test_$$t > $$log 2>&1; rc=$$?; \
	    pass=$$(grep -c '^ok ' $$log); fail=$$(grep -c '^not ok ' $$log); \
	    secs=$$(( $$(date +%s) - start )); \
	    if [ $$rc -ne 0 ] || [ $$fail -ne 0 ] || [ -s $$log.vg ]; then \
	        echo "not ok - test_$$t under valgrind (exit $$rc, $$pass ok, $$fail not ok, $$secs s)"; \
	        head -30 $$log.vg | sed 's/^/#   /'; \
	        status=1; \
	    else \
	        echo "ok - test_$$t under valgrind ($$pass checks, no error, no leak, $$secs s)"; \
	    fi; \
	done; \
	exit $$status

ifneq ($(_fuzz_saved_goal),)
.DEFAULT_GOAL := $(_fuzz_saved_goal)
endif
