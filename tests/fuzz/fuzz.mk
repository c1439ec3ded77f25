# libFuzzer targets for the parsers that read what people type or write:
# dates and durations, templates, CSV imports, the configuration, the
# action links and their forms, and the HTTP API's requests (what anyone
# may send nudged's listener).
#
#   make fuzz-build    build-fuzz/fuzz_{time,template,csv,config,link}
#   make fuzz-brief    each for FUZZ_BRIEF_TIME (30 s) on a copy of its seeds;
#                      what scripts/test runs
#   make fuzz          each for FUZZ_TIME (600 s), keeping what it finds in
#                      build-fuzz/corpus/<target>/ from run to run
#   make fuzz-merge    copy into tests/fuzz/corpus/<target>/ the inputs of
#                      build-fuzz/corpus/<target>/ that reach code the seeds
#                      do not (review and commit them like any test)
#   make fuzz FUZZ_TARGETS=csv FUZZ_TIME=3600    one target, longer
#
# A crash, leak or timeout stops the run and saves the input as
# build-fuzz/artifacts/<target>-<kind>-<sha1>; `build-fuzz/fuzz_<target>
# FILE` runs it again.  A crash found becomes a seed in
# tests/fuzz/corpus/<target>/ (every run starts by running each seed) and a
# case in the matching unit test.
#
# The library is compiled again by the top Makefile's own rules, with clang,
# ASan, UBSan and libFuzzer's coverage instrumentation, in a directory of its
# own: build-fuzz/obj, never $(BUILD), so that `make BUILD=... fuzz` and the
# top Makefile's flags stamp cannot fight over one directory.

FUZZ_TARGETS    ?= time template csv config link api
FUZZ_OUT        ?= build-fuzz
FUZZ_CC         ?= clang
FUZZ_TIME       ?= 600
FUZZ_BRIEF_TIME ?= 30
# Seconds one input may take before it counts as a hang.
FUZZ_TIMEOUT    ?= 20
FUZZ_FLAGS      ?=

FUZZ_OBJ  := $(FUZZ_OUT)/obj
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_OUT)/fuzz_%)
# One rule per brief run, so that `make -j2 fuzz-brief` runs two at once,
# each with FUZZ_BRIEF_TIME of its own core.
FUZZ_BRIEF_RUNS := $(FUZZ_TARGETS:%=fuzz-brief-%)
# Scratch files the targets make (config files, the import's database)
# stay in the build directory even when a crash skips their clean-up.
FUZZ_TMP  := $(abspath $(FUZZ_OUT))/tmp

# Longer inputs than a parser reads are wasted executions: the time parsers
# stop at 128 bytes, and the configuration seeds are under 3 KB.
FUZZ_MAXLEN_time     := 256
FUZZ_MAXLEN_template := 4096
FUZZ_MAXLEN_csv      := 4096
FUZZ_MAXLEN_config   := 8192
FUZZ_MAXLEN_link     := 9000
FUZZ_MAXLEN_api      := 4096

# The API's files come from daemon/ (they need no daemon library), with
# the OpenAPI document they serve.
FUZZ_SRCS_api := daemon/api.c daemon/api_json.c daemon/api_routes.c \
	daemon/api_contact.c $(BUILD)/openapi_embedded.o

# libconfig 1.5 leaks a string on many syntax errors (see fuzz_config.c),
# and checking for leaks after each such input cost seven executions in
# eight.  The check at exit still fails the run on any other leak; to find
# the input, run build-fuzz/fuzz_config -detect_leaks=1 on the corpus.
FUZZ_EXTRA_config    := -detect_leaks=0

# The options of one target's run; $(1) is its name.
fuzz_opts = -max_len=$(FUZZ_MAXLEN_$(1)) -timeout=$(FUZZ_TIMEOUT) \
	$(FUZZ_EXTRA_$(1)) \
	$(if $(wildcard tests/fuzz/$(1).dict),-dict=tests/fuzz/$(1).dict) \
	-artifact_prefix=$(FUZZ_OUT)/artifacts/$(1)- -print_final_stats=1 \
	$(FUZZ_FLAGS)

.PHONY: fuzz fuzz-build fuzz-brief fuzz-brief-prepare $(FUZZ_BRIEF_RUNS) \
	fuzz-merge fuzz-bins

# -fsanitize=fuzzer-no-link instruments the library for coverage without
# linking libFuzzer's main(); only the fuzzers get -fsanitize=fuzzer.
fuzz-build:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_OBJ) CC=$(FUZZ_CC) \
	    SAN=address,undefined \
	    CFLAGS='$(CFLAGS) -fsanitize=fuzzer-no-link' fuzz-bins

# Made by fuzz-build with BUILD=$(FUZZ_OBJ), so $(LIBNUDGE), ALL_CFLAGS and
# the flags stamp are the fuzz build's own.  Naming FUZZ_COMMON here keeps
# make from deleting it as an intermediate file.
FUZZ_COMMON := $(BUILD)/tests/fuzz/fuzz_common.o
fuzz-bins: $(FUZZ_COMMON) $(FUZZ_BINS)

$(FUZZ_OUT)/fuzz_api: $(FUZZ_SRCS_api)

$(FUZZ_OUT)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_COMMON) $(LIBNUDGE) \
    $(FLAGS_STAMP)
	@mkdir -p $(dir $@) $(BUILD)/fuzz
	@echo "  CCLD    $@"
	@$(CC) $(ALL_CFLAGS) -Itests/fuzz -Idaemon -fsanitize=fuzzer -MMD -MP \
	    -MF $(BUILD)/fuzz/fuzz_$*.d -MT $@ -o $@ $< $(FUZZ_SRCS_$*) \
	    $(FUZZ_COMMON) $(LIBNUDGE) $(CORE_LIBS) $(ALL_LDFLAGS)

# One target for FUZZ_BRIEF_TIME on a fresh copy of its seeds, so that CI
# never grows the corpus in the repository.  libFuzzer exits non-zero on a
# crash, a leak (also one found only at exit) or a timeout.
define fuzz_brief_one
@mkdir -p $(FUZZ_OUT)/brief/$(1)
@cp tests/fuzz/corpus/$(1)/* $(FUZZ_OUT)/brief/$(1)/
@echo "== fuzz_$(1) for $(FUZZ_BRIEF_TIME) s"
@TMPDIR=$(FUZZ_TMP) ./$(FUZZ_OUT)/fuzz_$(1) $(call fuzz_opts,$(1)) \
    -max_total_time=$(FUZZ_BRIEF_TIME) $(FUZZ_OUT)/brief/$(1) \
    > $(FUZZ_OUT)/brief/$(1).log 2>&1 || \
    { tail -n 60 $(FUZZ_OUT)/brief/$(1).log; \
      echo "fuzz_$(1) FAILED (whole log: $(FUZZ_OUT)/brief/$(1).log)"; \
      exit 1; }

endef

# The closing lines give each target's executions, for docs to quote.
fuzz-brief: $(FUZZ_BRIEF_RUNS)
	@for t in $(FUZZ_TARGETS); do \
	    n=$$(sed -n 's/^stat::number_of_executed_units: *//p' \
	        $(FUZZ_OUT)/brief/$$t.log); \
	    printf 'fuzz_%-9s %9s executions in %s s, %s inputs in corpus\n' \
	        $$t "$$n" $(FUZZ_BRIEF_TIME) \
	        "$$(ls $(FUZZ_OUT)/brief/$$t | wc -l)"; \
	done

fuzz-brief-prepare: fuzz-build
	@rm -rf $(FUZZ_OUT)/brief
	@mkdir -p $(FUZZ_OUT)/artifacts $(FUZZ_TMP)

$(FUZZ_BRIEF_RUNS): fuzz-brief-%: fuzz-brief-prepare
	$(call fuzz_brief_one,$*)

# New inputs go to build-fuzz/corpus/<target>/ (outside the repository);
# the seeds are read, never written.
define fuzz_long_one
@mkdir -p $(FUZZ_OUT)/corpus/$(1)
@echo "== fuzz_$(1) for $(FUZZ_TIME) s"
@TMPDIR=$(FUZZ_TMP) ./$(FUZZ_OUT)/fuzz_$(1) $(call fuzz_opts,$(1)) \
    -max_total_time=$(FUZZ_TIME) $(FUZZ_OUT)/corpus/$(1) \
    tests/fuzz/corpus/$(1)

endef

fuzz: fuzz-build
	@mkdir -p $(FUZZ_OUT)/artifacts $(FUZZ_TMP)
	$(foreach t,$(FUZZ_TARGETS),$(call fuzz_long_one,$(t)))

# -merge=1 copies only inputs that add coverage to the first directory.
define fuzz_merge_one
@mkdir -p $(FUZZ_OUT)/corpus/$(1)
@TMPDIR=$(FUZZ_TMP) ./$(FUZZ_OUT)/fuzz_$(1) $(call fuzz_opts,$(1)) \
    -merge=1 tests/fuzz/corpus/$(1) $(FUZZ_OUT)/corpus/$(1)

endef

fuzz-merge: fuzz-build
	@mkdir -p $(FUZZ_OUT)/artifacts $(FUZZ_TMP)
	$(foreach t,$(FUZZ_TARGETS),$(call fuzz_merge_one,$(t)))
