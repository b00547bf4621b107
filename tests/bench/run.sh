#!/usr/bin/env bash
# ./todo bench: load figures of the whole stack (nginx + TLS -> FastCGI pool
# -> PostgreSQL) with wrk, plus the in-process micro-benchmarks, as one table
# in which every row is also a share of the ceiling: a bare libfcgi responder
# (bare_responder.cpp) on the pool's socket, behind the same nginx and TLS.
#
#   tests/bench/run.sh [SCENARIO...]     (default: all; see SCENARIOS below)
#
# Brings up a stack of its own (stack.sh), seeds it, measures the bare
# responder first and then every scenario at each of its connection counts,
# prints the table and writes it as Markdown and JSON to bench-results/
# (git-ignored). Only 127.0.0.1 is ever loaded; each wrk run is bounded by
# BENCH_DURATION.
#
# The machine is shared, so before each row the bench waits (up to
# BENCH_QUIET_WAIT seconds, default 300) for the 1-minute load average to
# fall to BENCH_QUIET_LOAD (1.0), then prints the machine, the commit and the
# load; a row measured above that load gets no share of the ceiling, and
# says so.
#
# Settings (environment): BENCH_DURATION (10s), BENCH_CONNECTIONS (the
# connection counts to run, "1 50 1000"), BENCH_SESSIONS_N (refresh sessions
# seeded per refresh row, 60000), BENCH_KEEP_STACK=1 to leave the stack
# running; the stack's own in stack.sh.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
source "$ROOT/tests/bench/stack.sh"
source "$BENCH/measure.sh"
source "$BENCH/report.sh"

DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-1 50 1000}
SESSIONS_N=${BENCH_SESSIONS_N:-60000}
OUT_DIR=$ROOT/bench-results

# name | wrk script | connection counts | what it measures
SCENARIOS=(
  "bare|health.lua|1 50 1000|ceiling: bare libfcgi responder, no application (bare_responder.cpp)"
  "a|a_logout.lua|50 1000|app without database: POST /api/auth/logout (JWT + JSON)"
  "a404|a_not_found.lua|50|unknown route, 404 expected (router only)"
  "health|health.lua|50|GET /api/health (one DB ping)"
  "b|b_list.lua|1 50 1000|GET /api/{user}/tasks, 20 tasks, ${READERS_N} users"
  # (g) right after (b), before the writes of later rows leave PostgreSQL
  # work to do (autovacuum) that would be counted against it.
  "g|g_external_cached.lua|50|(b) with an external EdDSA token, verified once (the token cache)"
  "g-uncached|g_external_uncached.lua|50|(b) with an external EdDSA token, a new one each request"
  "c|c_create.lua|50 1000|POST /api/{user}/tasks"
  "d|d_mix.lua|50 1000|90/10 read/write mix"
  "e|e_login.lua|50 1000|POST /api/auth/login, bcrypt cost ${BCRYPT_COST}"
  "f|b_list.lua|50 1000|(b) during a login storm (e) at the same connections"
  "r|r_refresh.lua|1 50|POST /api/auth/refresh, each request an unspent session token"
)

# 1000 client connections need 1000+ descriptors in wrk and twice that in nginx.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# ---------------------------------------------------------------- the ceiling

# The bare responder on the pool's socket while the pool is stopped; the
# pool comes back (./todo stack-up starts only what is not running).
bare_up() {
  local pid
  pid=$(cat "$TODO_VAR/run/todo-fcgi.pid")
  kill -TERM "$pid"
  wait_for 60 gone "$pid"
  "$TODO_BUILD_DIR/bare_responder" "$TODO_VAR/run/todo-fcgi.sock" "$TODO_WORKERS" "$TODO_THREADS" &
  BARE_PID=$!
  wait_for 10 curl -ksf -o /dev/null "$URL/api/health"
}

bare_down() {
  kill "$BARE_PID"
  wait "$BARE_PID" 2>/dev/null || true
  BARE_PID=
  "$TODO" stack-up >/dev/null
}

# On any exit: the bare responder gone, and the stack too unless kept.
cleanup() {
  if [ -n "${BARE_PID:-}" ] && ! gone "$BARE_PID"; then bare_down; fi
  [ -n "${BENCH_KEEP_STACK:-}" ] || { stack_down; external_issuer_down; }
}

# ---------------------------------------------------------------- rows

# run_row NAME SCRIPT CONNS WHAT: waits for a quiet machine, then one wrk run
# (two for f: the storm alongside), recorded.
run_row() {
  local name=$1 script=$2 conns=$3 what=$4 log=$WORK/$1-$3.log load
  load=$(wait_quiet)
  say "$name at $conns connections ($DURATION): $(machine), commit $(commit), load $load"
  if [ "$name" = r ]; then
    seed_sessions "$WORK/r-$conns.sessions" "$SESSIONS_N"
    export BENCH_SESSIONS=$WORK/r-$conns.sessions
  fi
  if [ "$name" = f ]; then
    run_wrk "$conns" e_login.lua "$WORK/f-storm-$conns.log" &
    local storm=$!
    run_wrk "$conns" "$script" "$log"
    wait "$storm"
    record "$name" "$conns" "$what" "$log" "$load" none
    record "f-storm" "$conns" "login storm (e) during (f)" "$WORK/f-storm-$conns.log" "$load" none
  else
    local before
    before=$(stack_cpu_ticks)
    run_wrk "$conns" "$script" "$log"
    record "$name" "$conns" "$what" "$log" "$load" "$before"
  fi
}

run_scenario() {
  local name=$1 script=$2 counts=$3 what=$4 conns
  for conns in $counts; do
    [[ " $CONNECTIONS " == *" $conns "* ]] || continue
    run_row "$name" "$script" "$conns" "$what"
  done
}

# "JWT HS256 verify, reused codec    1234.5 ns ..." -> 1234.5
micro() { grep -F "$2" <<<"$1" | awk '{for (i = 1; i <= NF; ++i) if ($i == "ns") {print $(i-1); exit}}'; }

micro_benchmarks() {
  say "in-process micro-benchmarks"
  local auth json
  auth=$("$TODO_BUILD_DIR/bench_auth" "$BCRYPT_COST")
  json=$("$TODO_BUILD_DIR/bench_json")
  printf '%s\n%s\n' "$auth" "$json" >"$WORK/micro.txt"
  JWT_NS=$(micro "$auth" "JWT HS256 verify")
  JSON_NS=$(micro "$json" "create body")
  QUERY_NS=$(micro "$json" "task list")
}

# ---------------------------------------------------------------- main

main() {
  command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
  command -v jq >/dev/null || { echo "bench: jq is missing (apt-get install jq)" >&2; exit 1; }
  local wanted=("$@") stamp entry name script counts what
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  trap cleanup EXIT
  bench_stack_up
  bench_env
  : >"$RESULTS"
  micro_benchmarks

  # A short warm-up so every thread has its connection and prepared statements.
  DURATION=2s run_wrk 50 b_list.lua "$WORK/warmup.log"

  for entry in "${SCENARIOS[@]}"; do
    IFS='|' read -r name script counts what <<<"$entry"
    # The ceiling runs in every run: every other row is a share of it.
    if [ ${#wanted[@]} -gt 0 ] && [ "$name" != bare ] && [[ " ${wanted[*]} " != *" $name "* ]]; then continue; fi
    if [ "$name" = bare ]; then bare_up; fi
    run_scenario "$name" "$script" "$counts" "$what"
    if [ "$name" = bare ]; then bare_down; fi
  done
  write_report "$stamp"
}

main "$@"
