#!/usr/bin/env bash
# systemd-analyze verify on every unit in systemd/, exactly as shipped.
#
# verify exits 0 on unknown or malformed directives (they only go to stderr),
# so any output on stderr fails. It runs against a temporary root laid out as
# the package installs: the units in /lib/systemd/system next to the host's
# own units (targets they refer to), and the paths their Exec*= lines name,
# /usr/bin/todo-fcgi (the built binary) and /bin/kill.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

UNITS=(todo-fcgi.socket todo-fcgi.service todo-fcgi-migrate.service)

# Prints the stderr of `systemd-analyze verify` for the units in root $1.
verify() {
  local root=$1
  # --man=no: Documentation='s man page is checked by package.test.sh, installed.
  systemd-analyze verify --root="$root" --man=no "${UNITS[@]}" 2>&1 >/dev/null || true
}

say "a root with the units where the package puts them"
SYSROOT=$WORK/root
mkdir -p "$SYSROOT/usr/bin" "$SYSROOT/usr/lib/systemd" "$SYSROOT/etc"
ln -s usr/bin "$SYSROOT/bin"
ln -s usr/lib "$SYSROOT/lib"
cp -a /usr/lib/systemd/system "$SYSROOT/usr/lib/systemd/"
cp /usr/bin/kill "$SYSROOT/usr/bin/kill"
if [[ -x $BIN ]]; then
  cp "$BIN" "$SYSROOT/usr/bin/todo-fcgi"
  ok "ExecStart= binary: the build's $BIN"
else
  printf '#!/bin/sh\nexit 1\n' >"$SYSROOT/usr/bin/todo-fcgi"
  chmod 0755 "$SYSROOT/usr/bin/todo-fcgi"
  ok "ExecStart= binary: a stand-in (no build at $BIN yet)"
fi
ls "$TODO_SOURCE_DIR"/systemd/*.socket "$TODO_SOURCE_DIR"/systemd/*.service | sed 's|.*/||' | sort >"$WORK/shipped"
printf '%s\n' "${UNITS[@]}" | sort >"$WORK/tested"
diff "$WORK/shipped" "$WORK/tested" || fail "systemd/ has units this test does not verify (or the reverse)"
for unit in "${UNITS[@]}"; do cp "$TODO_SOURCE_DIR/systemd/$unit" "$SYSROOT/usr/lib/systemd/system/"; done

say "the check itself: a unit with a typo must produce output"
cp -a "$SYSROOT" "$WORK/broken"
sed -i 's/^KillMode=mixed/KillMod=mixed/' "$WORK/broken/usr/lib/systemd/system/todo-fcgi.service"
[[ -n $(verify "$WORK/broken") ]] || fail "systemd-analyze verify said nothing about KillMod=: this test cannot see errors"
ok "a misspelt directive is reported"

say "systemd-analyze verify ${UNITS[*]}"
out=$(verify "$SYSROOT")
# Lines about unit files that are not ours (host units copied into the root
# for the targets ours refer to) are the host's business and only shown;
# every other line fails the test.
theirs=$(grep -E '^/[^ ]+/systemd/system/[^/ ]+:' <<<"$out" | grep -v -E '^/[^ ]+/systemd/system/todo-fcgi' || true)
[[ -z $theirs ]] || printf 'ignored, about host units:\n%s\n' "$theirs"
ours=$(grep -v -F -x -f <(printf '%s\n' "$theirs") <<<"$out" | grep -E . || true)
[[ -z $ours ]] || fail "systemd-analyze verify:
$ours"
ok "all units verify without a word"
