# Sourced by run.sh: one row's measurement. The machine and its load, one
# bounded wrk run, the CPU the stack spent on it, and the row recorded as a
# line of JSON in $RESULTS.
# shellcheck shell=bash

RESULTS=$WORK/results.jsonl
QUIET_LOAD=${BENCH_QUIET_LOAD:-1.0}
QUIET_WAIT=${BENCH_QUIET_WAIT:-300}
TICK_US=$((1000000 / $(getconf CLK_TCK)))

load_1min() { cut -d' ' -f1 /proc/loadavg; }

# Waits up to QUIET_WAIT seconds for the 1-minute load average to fall to
# QUIET_LOAD (the previous row's own load decays within a minute or so);
# prints the load it starts the row with.
wait_quiet() {
  local waited=0
  while awk -v l="$(load_1min)" -v q="$QUIET_LOAD" 'BEGIN {exit !(l > q)}' && ((waited < QUIET_WAIT)); do
    sleep 5
    waited=$((waited + 5))
  done
  load_1min
}

machine() {
  local cpu
  cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
  echo "$(nproc) x ${cpu:-unknown CPU}, $(free -g | awk '/^Mem:/ {print $2}') GB, $(. /etc/os-release && echo "$PRETTY_NAME"), Linux $(uname -r)"
}

commit() { git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown; }

# run_wrk CONNECTIONS SCRIPT LOG: one bounded run against 127.0.0.1, under
# /usr/bin/time for wrk's own CPU (the "WRK_CPU user sys" line).
run_wrk() {
  local conns=$1 script=$2 log=$3 threads=2 extra=()
  [ "$conns" -gt 1 ] || threads=1
  [ "$script" = a_not_found.lua ] && extra=(env BENCH_COUNTED_STATUS=1)
  BENCH_WRK_THREADS=$threads /usr/bin/time -f "WRK_CPU %U %S" "${extra[@]}" \
    wrk -t"$threads" -c"$conns" -d"$DURATION" --timeout 5s -s "$BENCH/$script" "$URL" >"$log" 2>&1 || true
}

# The stack's processes: nginx's, the pool's (or the bare responder) and
# PostgreSQL's, one group a line.
stack_pids() {
  local pg
  echo "$(cat "$TODO_VAR/nginx/nginx.pid") $(pgrep -P "$(cat "$TODO_VAR/nginx/nginx.pid")" | xargs)"
  if [ -n "${BARE_PID:-}" ] && ! gone "$BARE_PID"; then
    echo "$BARE_PID $(pgrep -P "$BARE_PID" | xargs)"
  else
    stack_workers | xargs
  fi
  pg=$(pgrep -o -f "^/usr/lib/postgresql/[0-9]+/bin/postgres -D .* -p $TODO_PG_PORT( |$)")
  echo "$pg $(pgrep -P "$pg" | xargs)"
}

# "nginx app postgres": CPU ticks (user + system) each group has used so far.
stack_cpu_ticks() {
  local group pid sum out=()
  while read -r group; do
    sum=0
    for pid in $group; do
      sum=$((sum + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
    out+=("$sum")
  done < <(stack_pids)
  echo "${out[*]}"
}

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

# cpu_json BEFORE LOG: {"nginx", "app", "postgres", "wrk"}: clock ticks spent
# since BEFORE ("none": null, for rows where another load ran alongside).
cpu_json() {
  [ "$1" != none ] || { echo null; return; }
  local before after wrk_cpu
  read -r -a before <<<"$1"
  read -r -a after <<<"$(stack_cpu_ticks)"
  wrk_cpu=$(awk '/^WRK_CPU/ {print ($2 + $3) * 100}' "$2")
  jq -nc --argjson n $((after[0] - before[0])) --argjson a $((after[1] - before[1])) \
    --argjson p $((after[2] - before[2])) --argjson w "${wrk_cpu:-0}" \
    '{nginx: $n, app: $a, postgres: $p, wrk: $w}'
}

# record NAME CONNS DESCRIPTION LOG LOAD CPU_BEFORE: one JSON object per row,
# from wrk's BENCH line.
record() {
  local name=$1 conns=$2 what=$3 log=$4 load=$5 line rss cpu
  line=$(sed -n 's/^BENCH //p' "$log" | tail -n 1)
  if [ -z "$line" ]; then
    say "wrk printed no result for $name at $conns connections:"; cat "$log" >&2
    line='{"requests":0,"duration_us":1,"p50_us":0,"p99_us":0,"max_us":0,"status_errors":0,"socket_errors":-1,"timeouts":0}'
  fi
  read -r -a rss <<<"$(worker_rss)"
  cpu=$(cpu_json "$6" "$log")
  jq -c --arg name "$name" --arg what "$what" --argjson conns "$conns" --argjson load "$load" \
    --argjson rss_max "${rss[0]}" --argjson rss_sum "${rss[1]}" --argjson cpu "$cpu" \
    --arg machine "$(machine)" --arg commit "$(commit)" --argjson tick "$TICK_US" \
    '{scenario: $name, what: $what, connections: $conns, load_before: $load,
      machine: $machine, commit: $commit,
      rps: (.requests / (.duration_us / 1e6)),
      ok_rps: ((.requests - .status_errors - .socket_errors) / (.duration_us / 1e6)),
      p50_ms: (.p50_us / 1000), p99_ms: (.p99_us / 1000),
      max_ms: (.max_us / 1000), requests, errors: (.status_errors + .socket_errors),
      status_errors, socket_errors, timeouts, exhausted: (.exhausted // false),
      cpu_us: (.requests as $n | if $cpu then ($cpu | map_values(. * $tick / ([$n, 1] | max))
               | .total = (.nginx + .app + .postgres + .wrk)) else null end),
      worker_rss_max_mb: ($rss_max / 1024), worker_rss_sum_mb: ($rss_sum / 1024)}' \
    <<<"$line" >>"$RESULTS"
}
