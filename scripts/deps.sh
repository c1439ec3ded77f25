#!/usr/bin/env bash
# Install the Debian packages nudge needs that are missing: build
# dependencies always, test tools with --test, benchmark tools with --bench,
# the Debian package's build and its install test with --package.
# Uses sudo when not root.  Installs nothing when everything is there.
set -euo pipefail

# --test: chromium, chromium-driver and python3-selenium for the action
# links' pages in a real browser (tests/integration/test_links.sh);
# iso-codes, the list of currencies lib/currency.c is checked
# against; llvm for llvm-symbolizer, without which the
# sanitizers' stacks have no names and the fuzzers' suppressions of
# libconfig's own leaks (tests/fuzz/fuzz_config.c) match nothing;
# python3-icalendar, the second reader of the calendar feeds
# (test_calendar.sh).
pkgs=(build-essential pkg-config libsqlite3-dev libconfig-dev libjansson-dev
      libcurl4-openssl-dev libssl-dev libsystemd-dev libcsv-dev
      libgmime-3.0-dev libical-dev libmicrohttpd-dev tzdata gettext)
for arg in "$@"; do
	case "$arg" in
	--test)  pkgs+=(libcmocka-dev clang libclang-rt-14-dev valgrind sqlite3
	               python3 python3-aiosmtpd man-db groff-base systemd gnuplot-nox openssl
	               llvm iso-codes python3-jsonschema python3-icalendar
	               chromium chromium-driver python3-selenium curl jq prometheus) ;;
	--bench) pkgs+=(nginx-light taskwarrior gnuplot-nox sqlite3 python3 wrk) ;;
	# debian/control's Build-Depends (dh-sequence-installsysusers comes
	# with debhelper), lintian; debootstrap and its keyring for
	# scripts/package-test's Debian 12 root.
	--package) pkgs+=(debhelper lintian libcmocka-dev debootstrap
	                  debian-archive-keyring) ;;
	*) echo "usage: $0 [--test] [--bench] [--package]" >&2; exit 2 ;;
	esac
done

missing=()
for p in "${pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
	    grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "installing: ${missing[*]}" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
	--no-install-recommends "${missing[@]}" >/dev/null
