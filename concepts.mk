# concepts.mk: the concepts of the source tree (docs/DESIGN.md, "Source
# layout"), included by the Makefile and by fuzz/fuzz.mk.  A concept X is
# src/X.h, src/X_core.c (pure C) when it has an algorithm, src/X.c (the
# PostgreSQL glue) when it meets SQL, test/unit/test_X.c for its core and
# fuzz/fuzz_X.c when it parses untrusted input.

# concepts with a pure-C core src/X_core.c
CORES        = text ident lifecycle eval json_canon payload crypto log checkpoint merkle lists commitments report

# concepts with PostgreSQL glue src/X.c (integrity.c: the module entry point)
GLUE         = integrity pg_util origin keys ident lifecycle lifecycle_guard payload json_canon log merkle witness eval eval_subject eval_compat lists commitments report

# the other cores that a core uses (its unit test and fuzz target link them)
USES_crypto     = text
USES_json_canon = text
USES_payload    = ident json_canon text
USES_log        = crypto text
USES_checkpoint = crypto text
USES_merkle     = text
USES_lists      = eval
USES_report     = json_canon log merkle crypto text

# the sources of concept X's core and of the cores it uses
core_srcs    = $(addprefix src/,$(addsuffix _core.c,$(1) $(USES_$(1))))

# the offline verifier: tools/integrity-verify/*.c and the cores it shares
VERIFY_CORES = text crypto log checkpoint merkle json_canon lifecycle report
VERIFY_BIN   = tools/integrity-verify/integrity-verify

# libraries of the cores (OpenSSL for crypto and merkle, libm for json_canon)
CORE_LIBS    = -lcrypto -lm

# the warnings of every C build (server, tools, unit tests; fuzz adds no -Werror)
WARNINGS     = -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers -Wno-sign-compare
