#!/usr/bin/env bash
# ./todo bench perf: where the whole machine's CPU goes during one row,
# kernel included, which callgrind (./todo bench profile) cannot see.
#
#   tests/bench/perf.sh [SCRIPT] [CONNECTIONS]   (default: b_list.lua 50)
#
# perf samples every CPU while wrk runs the row for 10 s against a stack of
# its own (stack.sh, seeded as ./todo bench seeds it). Writes
# bench-results/perf-STAMP/{by-process,by-symbol}.txt: the share of samples
# of each process and of kernel and user space within it, then the top
# functions; prints the first.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
source "$ROOT/tests/bench/stack.sh"

SCRIPT=${1:-b_list.lua}
CONNS=${2:-50}
OUT=$ROOT/bench-results/perf-$(date -u +%Y%m%dT%H%M%SZ)

report() {
  perf report -i "$OUT/perf.data" --stdio --no-children -g none --percent-limit "$2" --sort "$1" 2>/dev/null |
    grep -v '^#' | grep -v '^$'
}

main() {
  command -v perf >/dev/null || { echo "perf: perf is missing (apt-get install linux-perf)" >&2; exit 1; }
  [ -n "${BENCH_KEEP_STACK:-}" ] || trap 'stack_down; external_issuer_down' EXIT
  if [ -n "${BENCH_REUSE_STACK:-}" ]; then "$TODO" stack-up >/dev/null; else bench_stack_up; fi
  bench_env
  mkdir -p "$OUT"
  say "sampling every CPU while wrk runs $SCRIPT at $CONNS connections"
  perf record -q -a -g -F 997 -o "$OUT/perf.data" -- \
    wrk -t2 -c"$CONNS" -d10s --timeout 5s -s "$BENCH/$SCRIPT" "$URL" >"$OUT/wrk.log" 2>&1
  { echo "# $SCRIPT, $CONNS connections: samples by process and by kernel or user space"
    echo "# ([k] kernel, [.] user; commit $(git -C "$ROOT" rev-parse --short HEAD))"
    report comm,dso 0.5; } >"$OUT/by-process.txt"
  { echo "# $SCRIPT, $CONNS connections: top functions, any process"
    report comm,sym 0.4; } >"$OUT/by-symbol.txt"
  cat "$OUT/by-process.txt"
  say "written $OUT"
}

main "$@"
