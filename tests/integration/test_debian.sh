#!/usr/bin/env bash
# The Debian package's sources agree with the tree, without building it
# (scripts/package-test builds and installs it): debian/changelog's version
# is the Makefile's, the README installs the .deb `make package` makes, and
# debian/control builds with what scripts/deps.sh installs.
. "$(dirname "$0")/lib.sh"

version=$(sed -n 's/^VERSION *:= *//p' "$ROOT/Makefile")
deb_version=$(cd "$ROOT" && dpkg-parsechangelog -S Version 2>&1)
[ -n "$version" ] && [ "${deb_version%%-*}" = "$version" ] &&
	ok "debian/changelog's version is the Makefile's ($version)" ||
	fail "debian/changelog's version is the Makefile's" "changelog '$deb_version', Makefile '$version'"
grep -q "apt install ./build/package/nudge_${deb_version}_" "$ROOT/README.md" &&
	ok "the README installs nudge_${deb_version}" ||
	fail "the README installs the .deb make package builds" "$(grep -n 'apt install' "$ROOT/README.md")"
grep -q '^Build-Depends: debhelper-compat (= 13),' "$ROOT/debian/control" &&
	ok "debhelper compat 13" || fail "debhelper compat 13"

# Every Build-Depends (less debhelper's own) is installed by deps.sh.
need=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' "$ROOT/debian/control" | sed 's/^Build-Depends://' |
	tr ',' '\n' | sed 's/[<(].*//; s/^ *//; s/ *$//' | grep -v -e '^$' -e '^[A-Z]' -e '^debhelper-compat' -e '^dh-sequence-')
[ -n "$need" ] && ok "debian/control names its Build-Depends" || fail "Build-Depends found"
for p in $need; do
	grep -qw -- "$p" "$ROOT/scripts/deps.sh" && ok "deps.sh installs $p" ||
		fail "deps.sh installs build dependency $p"
done
finish
