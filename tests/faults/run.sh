#!/usr/bin/env bash
# Faults under load, against a stack of its own (var/faults, https :58443,
# PostgreSQL :55432, max_connections 24; the todo-fcgi of $TODO_BUILD_DIR,
# default build/):
#
#   kill-worker  SIGKILL one worker while the (d) mix runs: at most as many
#                failed answers as that worker had threads (its in-flight
#                requests), every task answered 201 is in the database, the
#                master replaces the worker.
#   pg-restart   PostgreSQL stopped for 3 s and started again under the same
#                load (30 s): 503 (never 500, never a hang) while it is down, task
#                reads answered 200 again within 5 s of it being back, the
#                same worker processes before and after.
#   pg-full      every connection slot of PostgreSQL taken by idle sessions
#                while the workers must reconnect: clear 503s within 2 s each
#                (no hang), and service again once the slots are free.
#
#   tests/faults/run.sh [SCENARIO...]    (default: all three)
#
# Load goes to 127.0.0.1 only and each wrk run is bounded (20 s at most).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=../bench/seed.sh
source "$ROOT/tests/bench/seed.sh"

HERE=$ROOT/tests/faults

export TODO_VAR=${FAULTS_VAR:-$ROOT/var/faults}
export TODO_HTTPS_PORT=58443 TODO_HTTP_PORT=58080 TODO_PG_PORT=55432
export TODO_BUILD_DIR=${TODO_BUILD_DIR:-$ROOT/build}
export TODO_WORKERS=2 TODO_THREADS=4 BCRYPT_COST=10 TODO_AUTH_RATE=100000r/s
export TODO_PG_MAX_CONNECTIONS=24 TODO_NGINX_ACCESS_LOG=off TODO_TEST_ADMIN=1
WORK=$TODO_VAR/faults
PASSWORD=fault-Password-4711

failures=0
check() {  # check DESCRIPTION COMMAND...: one verdict line per property
  if "${@:2}"; then
    printf '    ok: %s\n' "$1" >&2
  else
    printf '    FAILED: %s\n' "$1" >&2
    failures=$((failures + 1))
  fi
}

# A fresh stack (no earlier run's rows or log lines), seeded.
stack_up() {
  rm -rf "$WORK"
  stack_up_fresh
  seed_users "$WORK" 50 50 20 "$PASSWORD"
}

# mix SECONDS NAME: the logged (d) mix in the background; its pid in MIX_PID.
mix() {
  local dir=$WORK/$2
  rm -rf "$dir"
  mkdir -p "$dir"
  FAULT_LOG_DIR=$dir wrk -t2 -c32 -d"$1"s --timeout 10s -s "$HERE/mix_logged.lua" "$TODO_TEST_URL" >"$dir/wrk.log" 2>&1 &
  MIX_PID=$!
}

statuses() { sed -n 's/^STATUSES //p' "$WORK/$1/wrk.log"; }
result() { sed -n 's/^BENCH //p' "$WORK/$1/wrk.log"; }

# Every id answered 201 is a row of tasks. Read as the stack's test admin (a
# superuser), as row-level security would hide other users' rows from the
# owner and service roles.
all_created_exist() {
  local dir=$WORK/$1 ids missing
  ids=$(cat "$dir"/created-* | grep -c . || true)
  [ "$ids" -gt 0 ] || { echo "    no create was answered 201" >&2; return 1; }
  missing=$(cat "$dir"/created-* | sort -u |
    psql "${TODO_TEST_ADMIN_DATABASE_URL%/*}/todo" -qAt -v ON_ERROR_STOP=1 \
      -c "CREATE TEMP TABLE answered (id uuid)" -c "COPY answered FROM STDIN" \
      -c "SELECT count(*) FROM answered a WHERE NOT EXISTS (SELECT 1 FROM tasks t WHERE t.id = a.id)" \
      2>&1 | tail -n 1)
  echo "    $ids creates answered 201, $missing of them missing from the database" >&2
  [ "$missing" = 0 ]
}

# ---------------------------------------------------------------- kill-worker

scenario_kill_worker() {
  say "kill-worker: SIGKILL a worker during the (d) mix"
  local before victim failed after
  before=$(stack_workers | tr '\n' ' ')
  mix 12 kill
  sleep 4
  victim=$(stack_workers | head -n 1)
  kill -KILL "$victim"
  say "killed worker $victim"
  wait "$MIX_PID" || true
  echo "    answers: $(statuses kill)" >&2
  # A failed answer is anything but 200/201 (here: nginx's 502 for the
  # requests the dead worker had accepted), plus socket errors.
  failed=$(jq -n --argjson s "$(statuses kill)" --argjson r "$(result kill)" \
    '($s | to_entries | map(select(.key != "200" and .key != "201") | .value) | add) + $r.socket_errors')
  check "failed answers ($failed) <= the killed worker's threads ($TODO_THREADS)" test "$failed" -le "$TODO_THREADS"
  check "every create answered 201 is in the database" all_created_exist kill
  sleep 2  # the master restarts at once, or after 1 s for a worker that died young
  after=$(stack_workers | tr '\n' ' ')
  check "the master is alive and runs $TODO_WORKERS workers again ($before-> $after)" \
    test "$(stack_workers | wc -l)" -eq "$TODO_WORKERS"
  check "the dead worker was replaced" bash -c "! grep -qw $victim <<<'$after'"
}

# ---------------------------------------------------------------- pg-restart

# probe SECONDS NAME: every 100 ms one task read with curl: "epoch.ms status".
probe() {
  local until=$((SECONDS + $1)) line
  local reader token
  read -r reader token <"$WORK/readers.tokens"
  while [ "$SECONDS" -lt "$until" ]; do
    line=$(curl -ks -o /dev/null --max-time 10 -w '%{http_code} %{time_total}' \
      -H "Authorization: Bearer $token" "$TODO_TEST_URL/api/$reader/tasks" || echo "000 10")
    echo "$(date +%s.%N | cut -c1-14) $line"
    sleep 0.1
  done >"$WORK/$2.probe"
}

scenario_pg_restart() {
  say "pg-restart: PostgreSQL stopped, 3 s, started again, under the (d) mix"
  local before after down_at up_at first_ok
  before=$(stack_workers | tr '\n' ' ')
  mix 30 restart
  probe 30 restart &
  local probe_pid=$!
  sleep 4
  down_at=$(date +%s.%N)
  "$TODO" pg-stop
  sleep 3
  "$TODO" pg-start
  up_at=$(date +%s.%N)
  say "PostgreSQL was down for $(awk -v a="$down_at" -v b="$up_at" 'BEGIN {printf "%.1f", b - a}') s"
  wait "$MIX_PID" || true
  wait "$probe_pid" || true
  echo "    answers: $(statuses restart)" >&2
  echo "    probe statuses: $(awk '{print $2}' "$WORK/restart.probe" | sort | uniq -c | tr -s ' \n' ' ')" >&2
  check "no 500 answers" test "$(statuses restart | jq '."500"')" -eq 0
  check "503s while PostgreSQL was down" test "$(statuses restart | jq '."503"')" -gt 0
  check "no probe answer other than 200 and 503" \
    test "$(awk '$2 != 200 && $2 != 503' "$WORK/restart.probe" | wc -l)" -eq 0
  check "no probe answer took over 6 s (no hang)" \
    test "$(awk '$3 > 6' "$WORK/restart.probe" | wc -l)" -eq 0
  first_ok=$(awk -v up="$up_at" '$1 >= up && $2 == 200 {print $1; exit}' "$WORK/restart.probe")
  echo "    first 200 after the restart: $(awk -v a="${first_ok:-0}" -v b="$up_at" 'BEGIN {printf "%.2f", a - b}') s" >&2
  check "task reads answered 200 within 5 s of PostgreSQL being back" \
    awk -v a="${first_ok:-0}" -v b="$up_at" 'BEGIN {exit !(a > 0 && a - b <= 5)}'
  after=$(stack_workers | tr '\n' ' ')
  check "the same worker processes ($before= $after)" test "$before" = "$after"
  check "every create answered 201 is in the database" all_created_exist restart
}

# ---------------------------------------------------------------- pg-full

scenario_pg_full() {
  say "pg-full: every PostgreSQL connection slot taken while the workers reconnect"
  local slots i sessions=() answer status took bad=0 slow=0 reader token first_ok
  # A restart drops the workers' connections; the idle sessions take every
  # slot before the workers, which reconnect only when a request comes.
  "$TODO" pg-stop
  "$TODO" pg-start
  slots=$(owner_sql -c "SELECT current_setting('max_connections')::int
                              - current_setting('superuser_reserved_connections')::int
                              - (SELECT count(*) FROM pg_stat_activity
                                 WHERE backend_type = 'client backend' AND pid <> pg_backend_pid())")
  for i in $(seq "$slots"); do
    psql "$TODO_TEST_OWNER_DATABASE_URL" -qAt -c "SELECT pg_sleep(25)" >/dev/null 2>&1 &
    sessions+=($!)
  done
  sleep 2
  echo "    $slots idle sessions hold every slot" >&2
  read -r reader token <"$WORK/readers.tokens"
  for i in $(seq 20); do
    answer=$(curl -ks -o "$WORK/full.body" --max-time 10 -w '%{http_code} %{time_total}' \
      -H "Authorization: Bearer $token" "$TODO_TEST_URL/api/$reader/tasks" || echo "000 10")
    read -r status took <<<"$answer"
    [ "$status" = 503 ] || { bad=$((bad + 1)); echo "    answered $status" >&2; }
    awk -v t="$took" 'BEGIN {exit !(t > 2)}' && slow=$((slow + 1))
  done
  echo "    last answer: $status $(head -c 200 "$WORK/full.body")" >&2
  check "20 task reads answered 503 ($bad answered otherwise)" test "$bad" -eq 0
  check "each within 2 s ($slow slower)" test "$slow" -eq 0
  check "the 503 is the service's JSON with code UNAVAILABLE" grep -q '"code":"UNAVAILABLE"' "$WORK/full.body"
  # Killing psql would not free a slot until its pg_sleep ends: end the
  # sessions from the server side (the test admin, a superuser, has a
  # reserved slot for it).
  psql "${TODO_TEST_ADMIN_DATABASE_URL%/*}/todo" -qAt -c "SELECT count(pg_terminate_backend(pid))
      FROM pg_stat_activity WHERE usename = 'todo_owner' AND query LIKE 'SELECT pg_sleep%'" >/dev/null
  wait "${sessions[@]}" 2>/dev/null || true
  first_ok=""
  for i in $(seq 50); do
    status=$(curl -ks -o /dev/null --max-time 10 -w '%{http_code}' -H "Authorization: Bearer $token" \
      "$TODO_TEST_URL/api/$reader/tasks" || true)
    if [ "$status" = 200 ]; then first_ok=$i; break; fi
    sleep 0.1
  done
  check "service again within 5 s of the slots being free" test -n "$first_ok"
}

main() {
  local wanted=("$@") scenario started
  [ ${#wanted[@]} -gt 0 ] || wanted=(kill-worker pg-restart pg-full)
  trap stack_down EXIT
  stack_up
  for scenario in "${wanted[@]}"; do
    started=$SECONDS
    case $scenario in
      kill-worker) scenario_kill_worker ;;
      pg-restart) scenario_pg_restart ;;
      pg-full) scenario_pg_full ;;
      *) echo "unknown scenario $scenario" >&2; exit 2 ;;
    esac
    say "$scenario took $((SECONDS - started)) s"
  done
  local log=$TODO_VAR/log/todo-fcgi.log
  check "no unhandled error (500) in the worker log" bash -c "! grep -q 'status=500' '$log'"
  if [ "$failures" -gt 0 ]; then
    echo "faults: $failures checks failed" >&2
    exit 1
  fi
  echo "faults: ${#wanted[@]} passed, 0 failed" >&2
}

main "$@"
