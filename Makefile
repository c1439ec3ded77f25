# nudge: one plain Makefile.  `make` builds both binaries; `make check` runs
# every test; `make SAN=address,undefined BUILD=build-asan check` runs them
# under the sanitizers.  Dependencies come from pkg-config only (libcsv ships
# no .pc file on Debian 12, so it falls back to -lcsv).  libical builds the
# calendar feeds and libcrypto hashes their tokens (lib/calendar*.c).

PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR     ?= $(PREFIX)/bin
SBINDIR    ?= $(PREFIX)/sbin
MANDIR     ?= $(PREFIX)/share/man
DATADIR    ?= $(PREFIX)/share
DOCDIR     ?= $(DATADIR)/doc/nudge
SYSCONFDIR ?= /etc
UNITDIR    ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
COMPLETIONDIR ?= $(DATADIR)/bash-completion/completions
LOCALEDIR  ?= $(DATADIR)/locale

VERSION    := 0.1.0
BUILD      ?= build
SAN        ?=
CC         ?= cc
PKG_CONFIG ?= pkg-config

OPT        ?= -O2 -g
# Warnings are errors in the test command (scripts/test sets WERROR=1), not
# in a plain `make`: a packager on a newer compiler can still build.
WERROR     ?=
WARN       := -Wall -Wextra $(if $(WERROR),-Werror) -Wshadow -Wformat=2 -Wconversion \
              -Wno-sign-conversion -Wstrict-prototypes -Wmissing-prototypes \
              -Wpointer-arith -Wvla
SANFLAGS   := $(if $(SAN),-fsanitize=$(SAN) -fno-omit-frame-pointer -fno-sanitize-recover=all)
DEFS       := -D_GNU_SOURCE -DNUDGE_VERSION='"$(VERSION)"' \
              -DNUDGE_SYSCONFDIR='"$(SYSCONFDIR)"' \
              -DNUDGE_LOCALEDIR='"$(LOCALEDIR)"'

CORE_PKGS   := sqlite3 libconfig jansson libical libcrypto
DAEMON_PKGS := libcurl libcrypto libsystemd gmime-3.0 libmicrohttpd
CORE_CFLAGS   := $(shell $(PKG_CONFIG) --cflags $(CORE_PKGS))
CORE_LIBS     := $(shell $(PKG_CONFIG) --libs $(CORE_PKGS)) \
                 $(shell $(PKG_CONFIG) --libs libcsv 2>/dev/null || echo -lcsv) -lm
DAEMON_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(DAEMON_PKGS))
DAEMON_LIBS   := $(shell $(PKG_CONFIG) --libs $(DAEMON_PKGS)) -pthread
CMOCKA_LIBS   := $(shell $(PKG_CONFIG) --libs cmocka)

ALL_CFLAGS = -std=gnu11 $(OPT) $(WARN) $(SANFLAGS) $(CPPFLAGS) $(DEFS) -Ilib -I$(BUILD) \
             $(CORE_CFLAGS) $(CFLAGS)
ALL_LDFLAGS = $(SANFLAGS) $(LDFLAGS)

LIB_SRCS    := $(sort $(wildcard lib/*.c))
CLI_SRCS    := $(sort $(wildcard cli/*.c))
DAEMON_SRCS := $(sort $(wildcard daemon/*.c))
MIGRATIONS  := $(sort $(wildcard migrations/*.sql))
UNIT_SRCS   := $(sort $(wildcard tests/unit/test_*.c))

LIB_OBJS    := $(LIB_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/migrations_embedded.o
CLI_OBJS    := $(CLI_SRCS:%.c=$(BUILD)/%.o)
DAEMON_OBJS := $(DAEMON_SRCS:%.c=$(BUILD)/%.o)
# nudged is a library too, like lib/: everything but its main(), so the
# tests link it.
DAEMON_MAIN := $(BUILD)/daemon/main.o
DAEMON_LIB_OBJS := $(filter-out $(DAEMON_MAIN),$(DAEMON_OBJS))
UNIT_BINS   := $(UNIT_SRCS:tests/unit/%.c=$(BUILD)/tests/%)
# The languages of the pages and messages besides English (po/LANG.po;
# lib/words.h).
LANGS       := sv
MO_FILES    := $(LANGS:%=$(BUILD)/locale/%/LC_MESSAGES/nudge.mo)
LIBNUDGE    := $(BUILD)/libnudge.a
LIBNUDGED   := $(BUILD)/libnudged.a

.PHONY: all check unit integration install uninstall clean asan tsan valgrind po
all: $(BUILD)/nudge $(BUILD)/nudged $(MO_FILES)

# Objects depend on the flags they were built with: changing PREFIX,
# SYSCONFDIR, SAN or CFLAGS rebuilds what they affect.
FLAGS_STAMP := $(BUILD)/.flags
$(shell mkdir -p $(BUILD); echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $(FLAGS_STAMP) || \
    echo '$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS)' > $(FLAGS_STAMP))

$(BUILD)/%.o: %.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# cli/'s option tables write a row as far as it goes (cli/cli.h).
$(BUILD)/cli/%.o: WARN += -Wno-missing-field-initializers
$(BUILD)/daemon/%.o: daemon/%.c $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	@$(CC) $(ALL_CFLAGS) $(DAEMON_CFLAGS) -MMD -MP -c -o $@ $<

# Migrations are embedded into the binaries: tools/embed.c turns each
# migrations/NNNN_name.sql into a C string in a generated file.
$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -std=gnu11 -O1 -Wall -Wextra -Werror -o $@ $<

# The list of migration files, rewritten only when it changes: a file
# taken away must regenerate the embedded set as one added or edited does.
MIGRATIONS_STAMP := $(BUILD)/.migrations
$(shell mkdir -p $(BUILD); echo '$(MIGRATIONS)' | cmp -s - $(MIGRATIONS_STAMP) || \
    echo '$(MIGRATIONS)' > $(MIGRATIONS_STAMP))

$(BUILD)/migrations_embedded.c: $(BUILD)/tools/embed $(MIGRATIONS) $(MIGRATIONS_STAMP)
	$(BUILD)/tools/embed $(MIGRATIONS) > $@.tmp && mv $@.tmp $@

$(BUILD)/migrations_embedded.o: $(BUILD)/migrations_embedded.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# The catalogs (lib/words.h): the words' template made from lib/words.def,
# each po/LANG.po merged with it, so a word added to words.def and not yet
# translated fails the build instead of showing in English; `make po`
# brings po/ up to date for the translators.
XGETTEXT_FLAGS := -L C --keyword= --keyword=WORD:2 \
                  --add-comments=TRANSLATORS: --from-code=UTF-8 \
                  --add-location=file --package-name=nudge \
                  --package-version=$(VERSION)
$(BUILD)/po/nudge.pot: lib/words.def
	@mkdir -p $(dir $@)
	@xgettext $(XGETTEXT_FLAGS) -o $@ lib/words.def
$(BUILD)/po/%.po: po/%.po $(BUILD)/po/nudge.pot
	@msgmerge --quiet --no-fuzzy-matching -o $@ $< $(BUILD)/po/nudge.pot
$(BUILD)/locale/%/LC_MESSAGES/nudge.mo: $(BUILD)/po/%.po
	@mkdir -p $(dir $@)
	@echo "  MSGFMT  $@"
	@msgfmt --check --statistics -o $@.tmp $< 2> $@.stats \
	    || { cat $@.stats >&2; rm -f $@.tmp; exit 1; }
	@if grep -q 'untranslated\|fuzzy' $@.stats; then \
	    echo "po/$*.po: $$(cat $@.stats); every word needs its" \
	        "translation (make po, then translate)" >&2; \
	    rm -f $@.tmp; exit 1; fi
	@mv $@.tmp $@
.SECONDARY: $(LANGS:%=$(BUILD)/po/%.po)
po: $(BUILD)/po/nudge.pot
	cp $(BUILD)/po/nudge.pot po/nudge.pot
	for l in $(LANGS); do msgmerge --quiet --update --backup=none \
	    --no-fuzzy-matching po/$$l.po po/nudge.pot || exit 1; done

$(LIBNUDGE): $(LIB_OBJS)
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/nudge: $(CLI_OBJS) $(LIBNUDGE)
	$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJS) $(LIBNUDGE) $(CORE_LIBS)

# nudged serves docs/openapi.json at /v1/openapi.json, as it was built.
$(BUILD)/openapi_embedded.c: $(BUILD)/tools/embed docs/openapi.json
	$(BUILD)/tools/embed --text api_openapi_json docs/openapi.json > $@.tmp && mv $@.tmp $@

$(BUILD)/openapi_embedded.o: $(BUILD)/openapi_embedded.c
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(LIBNUDGED): $(DAEMON_LIB_OBJS) $(BUILD)/openapi_embedded.o
	rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/nudged: $(DAEMON_MAIN) $(LIBNUDGED) $(LIBNUDGE)
	$(CC) $(ALL_LDFLAGS) -o $@ $(DAEMON_MAIN) $(LIBNUDGED) $(LIBNUDGE) $(CORE_LIBS) $(DAEMON_LIBS)

# One cmocka program per module, linked with both libraries (a test takes
# only the objects it calls); they test what the headers declare.
$(BUILD)/tests/%: tests/unit/%.c $(LIBNUDGED) $(LIBNUDGE) $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(CC) $(ALL_CFLAGS) $(DAEMON_CFLAGS) -Idaemon -Itests/unit -MMD -MP -o $@ $< $(LIBNUDGED) $(LIBNUDGE) $(CORE_LIBS) $(DAEMON_LIBS) $(CMOCKA_LIBS) $(ALL_LDFLAGS)

check: unit integration

# The unit tests read the catalogs built here (lib/words.h).
unit: $(UNIT_BINS) $(MO_FILES)
	@set -e; for t in $(UNIT_BINS); do echo "== $$t"; \
	  NUDGE_LOCALEDIR=$(abspath $(BUILD)/locale) $(VALGRIND) ./$$t; done

integration: all
	@BUILD=$(BUILD) tests/integration/run.sh

# One rule per unit test, so that `make -j2 valgrind` runs two at once
# (valgrind keeps one core busy); each run's output is printed whole
# when it ends, not interleaved with the other's.
VALGRIND_RUNS := $(UNIT_BINS:%=%.valgrind)
.PHONY: $(VALGRIND_RUNS)
valgrind: $(VALGRIND_RUNS)
$(VALGRIND_RUNS): %.valgrind: % $(MO_FILES)
	@NUDGE_LOCALEDIR=$(abspath $(BUILD)/locale) valgrind -q --error-exitcode=99 \
	    --leak-check=full --errors-for-leak-kinds=definite --track-origins=yes \
	    ./$< >$@.log 2>&1; rc=$$?; echo "== valgrind $<"; cat $@.log; exit $$rc

asan:
	$(MAKE) BUILD=build-asan SAN=address,undefined check

# nudged runs two threads (the loop and the sender, daemon/sender.h): the
# daemon's integration tests again under ThreadSanitizer, which makes a
# data race fatal (the daemon then stops delivering and the tests fail).
TSAN_TESTS := test_delivery.sh test_crash.sh test_notify.sh test_links.sh \
              test_api.sh
tsan:
	$(MAKE) BUILD=build-tsan SAN=thread CC=clang all
	BUILD=build-tsan INTEGRATION_TESTS="$(TSAN_TESTS)" \
	TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1" \
	    tests/integration/run.sh

# The alert rules are Prometheus's, not nudge's configuration: an example
# to copy, beside the documentation (Debian's examples/ too), not in /etc.
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SBINDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man8 \
	    $(DESTDIR)$(SYSCONFDIR)/nudge $(DESTDIR)$(UNITDIR) \
	    $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR) \
	    $(DESTDIR)$(COMPLETIONDIR) $(DESTDIR)$(DOCDIR)/examples
	install -m 0755 $(BUILD)/nudge $(DESTDIR)$(BINDIR)/nudge
	install -m 0755 $(BUILD)/nudged $(DESTDIR)$(SBINDIR)/nudged
	install -m 0644 man/nudge.1 $(DESTDIR)$(MANDIR)/man1/nudge.1
	install -m 0644 man/nudge.conf.5 $(DESTDIR)$(MANDIR)/man5/nudge.conf.5
	install -m 0644 man/nudged.8 $(DESTDIR)$(MANDIR)/man8/nudged.8
	install -m 0640 etc/nudge.conf $(DESTDIR)$(SYSCONFDIR)/nudge/nudge.conf.example
	install -m 0644 etc/nudge-alerts.yml $(DESTDIR)$(DOCDIR)/examples/nudge-alerts.yml
	sed 's|@SBINDIR@|$(SBINDIR)|g' systemd/nudged.service.in > $(DESTDIR)$(UNITDIR)/nudged.service
	install -m 0644 systemd/nudge.sysusers $(DESTDIR)$(SYSUSERSDIR)/nudge.conf
	install -m 0644 systemd/nudge.tmpfiles $(DESTDIR)$(TMPFILESDIR)/nudge.conf
	install -m 0644 etc/completion/nudge.bash $(DESTDIR)$(COMPLETIONDIR)/nudge
	for l in $(LANGS); do install -D -m 0644 \
	    $(BUILD)/locale/$$l/LC_MESSAGES/nudge.mo \
	    $(DESTDIR)$(LOCALEDIR)/$$l/LC_MESSAGES/nudge.mo || exit 1; done

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/nudge $(DESTDIR)$(SBINDIR)/nudged \
	    $(DESTDIR)$(MANDIR)/man1/nudge.1 $(DESTDIR)$(MANDIR)/man5/nudge.conf.5 \
	    $(DESTDIR)$(MANDIR)/man8/nudged.8 $(DESTDIR)$(UNITDIR)/nudged.service \
	    $(DESTDIR)$(SYSUSERSDIR)/nudge.conf $(DESTDIR)$(TMPFILESDIR)/nudge.conf \
	    $(DESTDIR)$(SYSCONFDIR)/nudge/nudge.conf.example \
	    $(DESTDIR)$(COMPLETIONDIR)/nudge \
	    $(DESTDIR)$(DOCDIR)/examples/nudge-alerts.yml \
	    $(LANGS:%=$(DESTDIR)$(LOCALEDIR)/%/LC_MESSAGES/nudge.mo)

clean:
	rm -rf build build-*

# The Debian package (debian/): built in a copy of the tree into
# $(BUILD)/package and checked by lintian; package-test installs,
# upgrades, removes and purges it in a fresh Debian 12 root (as root:
# debootstrap and chroot).
.PHONY: package package-test
package:
	BUILD=$(BUILD) scripts/package
package-test:
	BUILD=$(BUILD) scripts/package-test

# The long versions of the crash and concurrency suites (docs/RELIABILITY.md):
# 10,000 follow-ups under 100 SIGKILLs, 20 kills during a 200,000-row
# import, 8 writers x 2,500 records.  Add SAN=address,undefined for ASan.
.PHONY: reliability-long
reliability-long: all
	NUDGE_CRASH_N=10000 NUDGE_CRASH_KILLS=100 NUDGE_CRASH_SPREAD=80 \
	NUDGE_CRASH_IMPORT_ROWS=200000 NUDGE_CRASH_IMPORT_KILLS=20 \
	    BUILD=$(BUILD) bash tests/integration/test_crash.sh
	NUDGE_CONC_WORKERS=8 NUDGE_CONC_N=2500 \
	    BUILD=$(BUILD) bash tests/integration/test_concurrency.sh

# Allocation-failure testing (docs/RELIABILITY.md, 8): tests/unit/torture.c fails
# the Nth allocation of our code (--wrap), SQLite and jansson, and
# tests/unit/torture_cases.c runs each use-case and daemon-side call for
# every N up to its last allocation.  `make torture` runs every N, plain
# and under ASan + UBSan, and every 10th under valgrind; torture-brief
# (scripts/test) every 3rd.
.PHONY: torture torture-run torture-brief
TORTURE_WRAP := malloc calloc realloc reallocarray free strdup strndup asprintf \
                vasprintf open_memstream getrandom
TORTURE_SRCS := tests/unit/torture_cases.c tests/unit/torture.c
$(BUILD)/tests/torture: $(TORTURE_SRCS) tests/unit/torture.h \
    tests/unit/team_conf.h tests/unit/unit_transport.h $(LIBNUDGE) \
    $(FLAGS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CCLD    $@"
	@$(CC) $(ALL_CFLAGS) -Itests/unit -o $@ $(TORTURE_SRCS) $(LIBNUDGE) \
	    $(CORE_LIBS) $(ALL_LDFLAGS) $(TORTURE_WRAP:%=-Wl,--wrap=%)
torture-run: $(BUILD)/tests/torture
	$(VALGRIND) ./$(BUILD)/tests/torture
torture-brief: $(BUILD)/tests/torture
	NUDGE_TORTURE_STEP=$${NUDGE_TORTURE_STEP:-3} ./$(BUILD)/tests/torture
torture:
	$(MAKE) torture-run
	$(MAKE) BUILD=build-asan SAN=address,undefined torture-run
	NUDGE_TORTURE_STEP=10 $(MAKE) torture-run VALGRIND="valgrind -q \
	    --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"

# Fuzzing (tests/fuzz/) and benchmarks (bench/) keep their rules in their
# own directories.
-include tests/fuzz/fuzz.mk
-include bench/bench.mk

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

