#!/usr/bin/env bash
# ./todo bench profile: instructions per request, by function, of one worker
# thread and of the PostgreSQL backend serving it, under callgrind.
#
#   tests/bench/profile.sh [SCRIPT...]   (default: b_list.lua c_create.lua)
#
# Why instructions: on a shared 2-core machine wall-clock and even CPU time
# move with everyone else's load; callgrind's instruction counts do not.
# Each scenario runs twice against a pool of 1 worker x 1 thread and a
# PostgreSQL postmaster, both under callgrind (wrk, one connection, a short
# and a long run); the difference of the two, divided by the difference in
# requests, is the cost of one request with every start-up cost (connect,
# prepare, caches) taken out. Kernel time (syscalls, context switches) is not
# in these figures: the CPU-time columns of ./todo bench show it.
#
# Writes bench-results/profile-STAMP/SCRIPT.txt (totals, then the functions
# by inclusive and by exclusive instructions per request) and prints the
# totals. Settings: PROFILE_SHORT (4s), PROFILE_LONG (16s), PROFILE_TOP (40),
# BENCH_KEEP_STACK=1 to leave the stack running, BENCH_REUSE_STACK=1 to
# profile one left running (seeded) instead of a fresh one.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
source "$ROOT/tests/bench/stack.sh"

SHORT=${PROFILE_SHORT:-4s}
LONG=${PROFILE_LONG:-16s}
TOP=${PROFILE_TOP:-40}
OUT=$ROOT/bench-results/profile-$(date -u +%Y%m%dT%H%M%SZ)

# The running postmaster of this stack (started by ./todo).
postmaster_pid() { pgrep -o -f "^/usr/lib/postgresql/[0-9]+/bin/postgres -D .* -p $TODO_PG_PORT( |$)"; }

# pg_under_callgrind DIR: restarts PostgreSQL under callgrind (autovacuum off,
# so the only busy backend is the worker's), one output file per process.
pg_under_callgrind() {
  local dir=$1 pid argv=()
  pid=$(postmaster_pid)
  mapfile -d '' argv <"/proc/$pid/cmdline"
  "$TODO" pg-stop >/dev/null
  runuser -u postgres -- valgrind --tool=callgrind --callgrind-out-file="$dir/pg.%p" \
    "${argv[@]}" -c autovacuum=off >"$dir/pg.log" 2>&1 &
  PG_RUNUSER=$!
  wait_for 120 psql "$TODO_TEST_DATABASE_URL" -qAtc 'SELECT 1' >/dev/null
}

# A fast shutdown of the postmaster under callgrind (runuser's child), then
# PostgreSQL as ./todo runs it.
pg_back() {
  kill -INT "$(pgrep -P "$PG_RUNUSER")"
  wait_for 120 gone "$PG_RUNUSER"
  "$TODO" pg-start >/dev/null
}

# pool_under_callgrind DIR: one worker with one thread, so one backend.
pool_under_callgrind() {
  local dir=$1
  valgrind --tool=callgrind --callgrind-out-file="$dir/fcgi.%p" "$TODO_BUILD_DIR/todo-fcgi" serve \
    --config "$TODO_VAR/todo-fcgi.env" --workers 1 --threads 1 >"$dir/fcgi.log" 2>&1 &
  echo $! >"$TODO_VAR/run/todo-fcgi.pid"
  wait_for 300 curl -ksf -o /dev/null "$URL/api/health"
}

pool_stop() {
  local pid
  pid=$(cat "$TODO_VAR/run/todo-fcgi.pid" 2>/dev/null || true)
  [ -n "$pid" ] && ! gone "$pid" || return 0
  kill -TERM "$pid"
  wait_for 120 gone "$pid"
}

total_ir() { callgrind_annotate "$1" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'; }

# The biggest profile among FILES: the worker (not the master), the backend
# (not the postmaster or its helpers).
busiest() {
  local f best="" max=0 ir
  for f in "$@"; do
    ir=$(total_ir "$f")
    if [ "${ir:-0}" -gt "$max" ]; then max=$ir best=$f; fi
  done
  echo "$best"
}

# measure SCRIPT DURATION DIR: one run; leaves DIR/{worker,backend}.cg and DIR/requests.
measure() {
  local script=$1 duration=$2 dir=$3
  mkdir -p "$dir"
  chmod 777 "$dir"
  pool_stop
  pg_under_callgrind "$dir"
  pool_under_callgrind "$dir"
  wrk -t1 -c1 -d"$duration" --timeout 30s -s "$BENCH/$script" "$URL" >"$dir/wrk.log" 2>&1 || true
  pool_stop
  pg_back
  sed -n 's/^BENCH //p' "$dir/wrk.log" | jq .requests >"$dir/requests"
  ln -sf "$(busiest "$dir"/fcgi.*)" "$dir/worker.cg"
  ln -sf "$(busiest "$dir"/pg.*)" "$dir/backend.cg"
}

# report SCRIPT: per-request figures from the short and long runs.
report() {
  local script=$1 s=$OUT/$1.short l=$OUT/$1.long n
  n=$(($(cat "$l/requests") - $(cat "$s/requests")))
  {
    echo "# $script: instructions per request (callgrind), $n requests between the two runs"
    for part in worker backend; do
      echo
      echo "## $part: $(((($(total_ir "$l/$part.cg") - $(total_ir "$s/$part.cg"))) / n)) Ir/request"
      for inclusive in yes no; do
        echo
        echo "### by $([ $inclusive = yes ] && echo inclusive || echo exclusive) Ir"
        python3 "$BENCH/callgrind_diff.py" "$s/$part.cg" "$l/$part.cg" "$n" "$inclusive" "$TOP"
      done
    done
  } >"$OUT/$script.txt"
  grep '^#' "$OUT/$script.txt" | grep -v '###'
}

main() {
  command -v valgrind >/dev/null || { echo "profile: valgrind is missing (apt-get install valgrind)" >&2; exit 1; }
  local scripts=("$@") script
  [ ${#scripts[@]} -gt 0 ] || scripts=(b_list.lua c_create.lua)
  [ -n "${BENCH_KEEP_STACK:-}" ] || trap 'stack_down; external_issuer_down' EXIT
  if [ -n "${BENCH_REUSE_STACK:-}" ]; then "$TODO" stack-up >/dev/null; else bench_stack_up; fi
  bench_env
  mkdir -p "$OUT"
  for script in "${scripts[@]}"; do
    say "profiling $script ($SHORT and $LONG under callgrind)"
    measure "$script" "$SHORT" "$OUT/$script.short"
    measure "$script" "$LONG" "$OUT/$script.long"
    report "$script"
  done
  "$TODO" stack-up >/dev/null
  say "written $OUT"
}

main "$@"
