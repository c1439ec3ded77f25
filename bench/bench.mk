# Benchmarks (docs/PERFORMANCE.md).  Included by the top Makefile, so it
# sees BUILD, CC, OPT, WARN and PKG_CONFIG.
#
#   make bench          the full run: 0, 10k, 100k and 1M rows, 10,000
#                       spread follow-ups, a 100,000 burst, a minute idle;
#                       writes bench/results/ (the table and the plot that
#                       docs/PERFORMANCE.md quotes)
#   make bench-quick    the same measurements, smaller (< 2 minutes);
#                       writes $(BUILD)/bench/quick/ only
#   make bench-isolation  a healthy channel's lateness p99 beside a
#                       receiver that hangs with 1,000 queued, and alone
#                       (bench/isolation.py, about a minute; part of
#                       `make bench`, which writes bench/results/)
#   make bench-httpload  reminders' lateness p99 while 16 clients flood
#                       the action-link listener, and quiet
#                       (bench/httpload.py, about a minute)
#   make bench-api      API writes a second (POST /v1/deals, driven by
#                       wrk) against a floor measured in the same run
#                       (bench/floor_api.c), with the reminders'
#                       lateness p99 under that load (bench/apiload.py,
#                       under a minute; part of `make bench`)
#
# They install what they need first (scripts/deps.sh --bench: nginx,
# taskwarrior, gnuplot), build nudge and nudged in $(BUILD), and run
# bench/run.py with Debian's Python.  BENCH_ARGS passes options to it
# (bench/run.py --help).

BENCH_OUT    := $(BUILD)/bench
BENCH_TOOLS  := $(BENCH_OUT)/floor_db $(BENCH_OUT)/floor_send \
                $(BENCH_OUT)/timeit $(BENCH_OUT)/floor_api
BENCH_CFLAGS  = -std=c11 $(OPT) $(WARN)
BENCH_PY     := /usr/bin/python3
BENCH_ARGS   ?=

.PHONY: bench bench-quick bench-isolation bench-httpload bench-api \
	bench-tools bench-deps

bench-tools: $(BENCH_TOOLS)

$(BENCH_OUT)/floor_db: bench/floor_db.c
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(CC) $(BENCH_CFLAGS) $(shell $(PKG_CONFIG) --cflags sqlite3) -o $@ $< \
	    $(shell $(PKG_CONFIG) --libs sqlite3)

$(BENCH_OUT)/floor_send: bench/floor_send.c
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(CC) $(BENCH_CFLAGS) $(shell $(PKG_CONFIG) --cflags libcurl) -o $@ $< \
	    $(shell $(PKG_CONFIG) --libs libcurl)

$(BENCH_OUT)/floor_api: bench/floor_api.c
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(CC) $(BENCH_CFLAGS) -D_GNU_SOURCE $(shell $(PKG_CONFIG) --cflags \
	    sqlite3 libmicrohttpd) -o $@ $< \
	    $(shell $(PKG_CONFIG) --libs sqlite3 libmicrohttpd)

$(BENCH_OUT)/timeit: bench/timeit.c
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(CC) $(BENCH_CFLAGS) -o $@ $<

bench-deps:
	@scripts/deps.sh --bench

# Dependencies first (they may install compilers or libraries), then the
# build, then the run: a recursive make keeps that order under -j.
bench: bench-deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD) all bench-tools
	@$(BENCH_PY) bench/run.py --mode full --build $(BUILD) \
	    --out bench/results $(BENCH_ARGS)
	@$(BENCH_PY) bench/isolation.py --build $(BUILD) --out bench/results
	@$(BENCH_PY) bench/apiload.py --build $(BUILD) --out bench/results

bench-isolation: bench-deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD) all
	@$(BENCH_PY) bench/isolation.py --build $(BUILD) \
	    --out $(BENCH_OUT)/isolation $(BENCH_ISOLATION_ARGS)

bench-httpload: bench-deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD) all
	@$(BENCH_PY) bench/httpload.py --build $(BUILD) \
	    --out $(BENCH_OUT)/httpload $(BENCH_HTTPLOAD_ARGS)

bench-api: bench-deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD) all bench-tools
	@$(BENCH_PY) bench/apiload.py --build $(BUILD) \
	    --out $(BENCH_OUT)/apiload $(BENCH_API_ARGS)

bench-quick: bench-deps
	@$(MAKE) --no-print-directory BUILD=$(BUILD) all bench-tools
	@$(BENCH_PY) bench/run.py --mode quick --build $(BUILD) \
	    --out $(BENCH_OUT)/quick $(BENCH_ARGS)
