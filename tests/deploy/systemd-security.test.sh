#!/usr/bin/env bash
# systemd-analyze security --offline=true on the services: the exposure score
# must be 2.0 or lower ("OK" starts at 2.1). The table shows what is left.
# --threshold is on a 0-100 scale: 20 means 2.0.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

MAX=2.0
for unit in todo-fcgi.service todo-fcgi-migrate.service; do
  say "systemd-analyze security --offline=true $unit (at most $MAX)"
  status=0
  systemd-analyze security --offline=true --threshold=20 "$TODO_SOURCE_DIR/systemd/$unit" >"$WORK/table" 2>"$WORK/errors" || status=$?
  cat "$WORK/table"
  [[ ! -s $WORK/errors ]] || fail "systemd-analyze complained about $unit: $(cat "$WORK/errors")"
  score=$(sed -n "s/.*Overall exposure level for $unit: \([0-9.]*\).*/\1/p" "$WORK/table")
  [[ -n $score ]] || fail "no exposure score for $unit"
  echo "exposure score of $unit: $score"
  awk -v s="$score" -v m="$MAX" 'BEGIN { exit !(s <= m) }' || fail "$unit: exposure $score is above $MAX"
  ((status == 0)) || fail "$unit: systemd-analyze security exited $status (over --threshold=20)"
  ok "$unit: exposure $score <= $MAX"
done
