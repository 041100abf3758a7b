# bench/bench.mk: the benchmark targets, included by the main Makefile.
#
#   make bench                  SPEC 9 targets at 100k, 1M and 10M records (long)
#   make bench SIZES="100000 1000000"
#   make bench-smoke            the same measurements on small data, under 2 minutes,
#                               ends with "N passed, N failed" (part of make test)
#
# Both build and install the extension first, then run bench/run.sh, which
# (as root) makes its own throw-away cluster "integrity_bench" with a fresh
# signing key and drops it afterwards.  BENCH_PORT=<port> uses a running
# cluster of your own instead; BENCH_OUT=<dir> says where the tables go.

SIZES ?= 100000 1000000 10000000
BENCH_DIR := $(or $(srcdir),.)/bench

.PHONY: bench bench-smoke

bench: deps
	$(MAKE) all
	$(MAKE) install
	SIZES="$(SIZES)" bash $(BENCH_DIR)/run.sh

bench-smoke: deps
	$(MAKE) all
	$(MAKE) install
	SIZES= bash $(BENCH_DIR)/run.sh --smoke
