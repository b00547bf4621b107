#!/usr/bin/env bash
# ./todo bench: load figures of the whole stack (nginx + TLS -> FastCGI pool
# -> PostgreSQL) with wrk, plus the in-process micro-benchmarks, as one table.
#
#   tests/bench/run.sh [SCENARIO...]     (default: all; see SCENARIOS below)
#
# Brings up a stack of its own (var/bench, https://127.0.0.1:28443, PostgreSQL
# :25432) from a Release build ($TODO_BUILD_DIR, default build-bench), seeds
# it, runs every scenario at each connection count, prints the table and writes
# it as Markdown and JSON to bench-results/ (git-ignored). Only 127.0.0.1 is
# ever loaded; each wrk run is bounded by BENCH_DURATION.
#
# Settings (environment): BENCH_DURATION (10s), BENCH_CONNECTIONS ("50 1000"),
# BENCH_READERS_N (200), BENCH_WRITERS_N (200), BENCH_TASKS_PER_USER (20),
# TODO_WORKERS (2), TODO_THREADS (4; the defaults of ./todo on 2 cores), BCRYPT_COST (12), BENCH_KEEP_STACK=1 to
# leave the stack running afterwards.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

HERE=$ROOT/tests/bench

export TODO_VAR=${BENCH_VAR:-$ROOT/var/bench}
export TODO_HTTPS_PORT=${BENCH_HTTPS_PORT:-28443}
export TODO_HTTP_PORT=${BENCH_HTTP_PORT:-28080}
export TODO_PG_PORT=${BENCH_PG_PORT:-25432}
export TODO_BUILD_DIR=${TODO_BUILD_DIR:-$ROOT/build-bench}
export TODO_WORKERS=${TODO_WORKERS:-2}
export TODO_THREADS=${TODO_THREADS:-4}
export BCRYPT_COST=${BCRYPT_COST:-12}
# Measure the service, not the log disk or the password-guessing limit.
export TODO_NGINX_ACCESS_LOG=off
export TODO_AUTH_RATE=1000000r/s

DURATION=${BENCH_DURATION:-10s}
CONNECTIONS=${BENCH_CONNECTIONS:-50 1000}
READERS_N=${BENCH_READERS_N:-200}
WRITERS_N=${BENCH_WRITERS_N:-200}
TASKS_PER_USER=${BENCH_TASKS_PER_USER:-20}
PASSWORD=bench-Password-4711
URL=https://127.0.0.1:$TODO_HTTPS_PORT
WORK=$TODO_VAR/bench
OUT_DIR=$ROOT/bench-results

# name | wrk script | what it measures
SCENARIOS=(
  "a|a_logout.lua|ceiling: POST /api/auth/logout (JWT + JSON, no DB)"
  "a404|a_not_found.lua|unknown route, 404 expected (router only)"
  "health|health.lua|GET /api/health (one DB ping)"
  "b|b_list.lua|GET /api/{user}/tasks, 20 tasks, ${READERS_N} users"
  "c|c_create.lua|POST /api/{user}/tasks"
  "d|d_mix.lua|90/10 read/write mix"
  "e|e_login.lua|POST /api/auth/login, bcrypt cost ${BCRYPT_COST}"
  "f|b_list.lua|(b) during a login storm (e) at the same connections"
)

# 1000 client connections need 1000+ descriptors in wrk and twice that in nginx.
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# ---------------------------------------------------------------- stack

# seed_users (tests/bench/seed.sh): readers with tasks, writers, token files.
. "$HERE/seed.sh"

# A fresh database each run (earlier runs' writes would change what (b)
# reads), seeded.
stack_up() {
  rm -rf "$WORK"
  stack_up_fresh
  seed_users "$WORK" "$READERS_N" "$WRITERS_N" "$TASKS_PER_USER" "$PASSWORD"
}

# ---------------------------------------------------------------- measuring

# "max_peak_kb sum_kb" over the workers: peak resident set (VmHWM) of the
# largest worker, and the current resident sets added up.
worker_rss() {
  local pid max=0 sum=0 hwm rss
  for pid in $(stack_workers); do
    hwm=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
    [ "${hwm:-0}" -gt "$max" ] && max=$hwm
    sum=$((sum + ${rss:-0}))
  done
  echo "$max $sum"
}

# run_wrk CONNECTIONS SCRIPT LOG: one bounded run against 127.0.0.1.
run_wrk() {
  local conns=$1 script=$2 log=$3 extra=()
  [ "$script" = a_not_found.lua ] && extra=(env BENCH_COUNTED_STATUS=1)
  "${extra[@]}" wrk -t2 -c"$conns" -d"$DURATION" --timeout 5s -s "$HERE/$script" "$URL" >"$log" 2>&1 || true
}

RESULTS=$WORK/results.jsonl

# record NAME CONNS DESCRIPTION LOG: one JSON object per row, from wrk's BENCH line.
record() {
  local name=$1 conns=$2 what=$3 log=$4 line rss
  line=$(sed -n 's/^BENCH //p' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    say "wrk printed no result for $name at $conns connections:"; cat "$log" >&2
    line='{"requests":0,"duration_us":1,"p50_us":0,"p99_us":0,"max_us":0,"status_errors":0,"socket_errors":-1,"timeouts":0}'
  fi
  read -r -a rss <<<"$(worker_rss)"
  jq -c --arg name "$name" --arg what "$what" --argjson conns "$conns" \
    --argjson rss_max "${rss[0]}" --argjson rss_sum "${rss[1]}" \
    '{scenario: $name, what: $what, connections: $conns,
      rps: (.requests / (.duration_us / 1e6)),
      ok_rps: ((.requests - .status_errors - .socket_errors) / (.duration_us / 1e6)), p50_ms: (.p50_us / 1000), p99_ms: (.p99_us / 1000),
      max_ms: (.max_us / 1000), requests, errors: (.status_errors + .socket_errors),
      status_errors, socket_errors, timeouts,
      worker_rss_max_mb: ($rss_max / 1024), worker_rss_sum_mb: ($rss_sum / 1024)}' <<<"$line" >>"$RESULTS"
}

run_scenario() {
  local name=$1 script=$2 what=$3 conns
  for conns in $CONNECTIONS; do
    say "$name at $conns connections ($DURATION)"
    if [ "$name" = f ]; then
      # The storm runs alongside for the same time; both rows are recorded.
      run_wrk "$conns" e_login.lua "$WORK/f-storm-$conns.log" &
      local storm=$!
      run_wrk "$conns" "$script" "$WORK/$name-$conns.log"
      wait "$storm"
      record "$name" "$conns" "$what" "$WORK/$name-$conns.log"
      record "f-storm" "$conns" "login storm (e) during (f)" "$WORK/f-storm-$conns.log"
    else
      run_wrk "$conns" "$script" "$WORK/$name-$conns.log"
      record "$name" "$conns" "$what" "$WORK/$name-$conns.log"
    fi
  done
}

# "JWT HS256 verify, reused codec    1234.5 ns ..." -> 1234.5
micro() { grep -F "$2" <<<"$1" | awk '{for (i = 1; i <= NF; ++i) if ($i == "ns") {print $(i-1); exit}}'; }

# ---------------------------------------------------------------- report

report() {
  local stamp=$1 md=$OUT_DIR/bench-$1.md json=$OUT_DIR/bench-$1.json
  mkdir -p "$OUT_DIR"
  jq -s --arg stamp "$stamp" --arg workers "$TODO_WORKERS" --arg threads "$TODO_THREADS" \
    --arg duration "$DURATION" --argjson jwt "${JWT_NS:-null}" --argjson json "${JSON_NS:-null}" \
    --argjson query "${QUERY_NS:-null}" --arg commit "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)" \
    '{when: $stamp, commit: $commit, workers: ($workers | tonumber), threads: ($threads | tonumber),
      duration: $duration, jwt_verify_ns: $jwt, json_parse_validate_ns: $json,
      query_parse_validate_ns: $query, rows: .}' "$RESULTS" >"$json"
  {
    echo "# Benchmark $stamp (commit $(jq -r .commit "$json"), $TODO_WORKERS workers x $TODO_THREADS threads, $(nproc) cores, wrk -t2 $DURATION)"
    echo
    echo "| scenario | connections | requests/s | ok/s | p50 ms | p99 ms | errors | worker RSS max / sum MB | what |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
    jq -r '.rows[] | "| \(.scenario) | \(.connections) | \(.rps | floor) | \(.ok_rps | floor) | \(.p50_ms * 100 | round / 100) | \(.p99_ms * 100 | round / 100) | \(.errors)\(if .timeouts > 0 then " (\(.timeouts) timeouts)" else "" end) | \(.worker_rss_max_mb * 10 | round / 10) / \(.worker_rss_sum_mb * 10 | round / 10) | \(.what) |"' "$json"
    echo
    echo "In-process: JWT verify $(jq -r .jwt_verify_ns "$json") ns; JSON create body parse+validate $(jq -r .json_parse_validate_ns "$json") ns; list query parse+validate $(jq -r .query_parse_validate_ns "$json") ns."
    echo
    echo "errors = responses >= 400 (for a404: responses other than 404) + socket errors and timeouts (5 s); ok/s = the rest per second."
    echo "(e) and f-storm: most logins are refused at once by design (503 from the bcrypt gate, BCRYPT_CONCURRENCY=1 machine-wide; 429 from nginx's burst of 10, which a rate setting cannot lift); ok/s is the successful logins."
    echo "worker RSS: peak resident set (VmHWM) of the largest worker / current resident sets of all workers, after the row."
    targets "$json"
  } >"$md"
  ln -sfn "bench-$stamp.md" "$OUT_DIR/latest.md"
  ln -sfn "bench-$stamp.json" "$OUT_DIR/latest.json"
  cat "$md"
  say "written $md and $json"
}

# The issue's targets, as ratios within this one run (when both rows exist).
targets() {
  jq -r '
    . as $all |
    def row($s; $c): first($all.rows[] | select(.scenario == $s and .connections == $c)) // null;
    def ok($b): if $b then "met" else "NOT met" end;
    [ (row("a"; 50) as $a | row("b"; 50) as $b | if $a and $b then
        "(b)/(a) requests/s at 50: \($b.rps / $a.rps * 100 | round) % (target >= 50 %): \(ok($b.rps >= 0.5 * $a.rps))" else empty end),
      (row("a"; 1000) as $a | row("b"; 1000) as $b | if $a and $b then
        "(b) at 1000: \($b.errors) errors, p99 \($b.p99_ms / $a.p99_ms * 100 | round / 100) x (a)'"'"'s (target 0 and <= 1.5): \(ok($b.errors == 0 and $b.p99_ms <= 1.5 * $a.p99_ms))" else empty end),
      ($all.rows[] | select(.scenario == "f") as $f | row("b"; $f.connections) as $b | if $b then
        "(f) p99 at \($f.connections): \($f.p99_ms / $b.p99_ms * 100 | round / 100) x (b)'"'"'s (target < 3): \(ok($f.p99_ms < 3 * $b.p99_ms))" else empty end),
      (if $all.jwt_verify_ns then "JWT verify \($all.jwt_verify_ns) ns (target < 1500): \(ok($all.jwt_verify_ns < 1500))" else empty end),
      ([ $all.rows[].worker_rss_max_mb ] | max as $m | "worker RSS peak \($m * 10 | round / 10) MB (target < 20 each): \(ok($m < 20))")
    ] | if length > 0 then "\nTargets:\n" + (map("- " + .) | join("\n")) else "" end' "$1"
}

# ---------------------------------------------------------------- main

main() {
  command -v wrk >/dev/null || { echo "bench: wrk is missing (apt-get install wrk)" >&2; exit 1; }
  command -v jq >/dev/null || { echo "bench: jq is missing (apt-get install jq)" >&2; exit 1; }
  local wanted=("$@") stamp entry name script what
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  [ -n "${BENCH_KEEP_STACK:-}" ] || trap stack_down EXIT
  stack_up
  : >"$RESULTS"

  say "in-process micro-benchmarks"
  local auth json
  auth=$("$TODO_BUILD_DIR/bench_auth" "$BCRYPT_COST")
  json=$("$TODO_BUILD_DIR/bench_json")
  printf '%s\n%s\n' "$auth" "$json" >"$WORK/micro.txt"
  JWT_NS=$(micro "$auth" "JWT HS256 verify")
  JSON_NS=$(micro "$json" "create body")
  QUERY_NS=$(micro "$json" "task list")

  # A short warm-up so every thread has its connection and prepared statements.
  DURATION=2s run_wrk 50 b_list.lua "$WORK/warmup.log"

  for entry in "${SCENARIOS[@]}"; do
    IFS='|' read -r name script what <<<"$entry"
    if [ ${#wanted[@]} -gt 0 ] && [[ " ${wanted[*]} " != *" $name "* ]]; then continue; fi
    run_scenario "$name" "$script" "$what"
  done
  report "$stamp"
}

main "$@"
