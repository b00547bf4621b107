#!/usr/bin/env bash
# `systemctl reload todo-fcgi` (ExecReload=/bin/kill -HUP $MAINPID) changes
# the number of workers without failing a request: the master re-reads
# TODO_WORKERS from --config, starts a new generation on the same socket, and
# lets the old one finish. Observed under systemd-socket-activate with the
# production nginx site in front, while wrk keeps requests coming.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
need_binary
need_database
command -v wrk >/dev/null || fail "wrk is not installed (apt-get install wrk)"

HTTPS_PORT=$(free_port 28453)
HTTP_PORT=$(free_port 28090)

# Waits until the master runs exactly $1 workers, none of them in the list $2.
expect_workers() {
  local want=$1 old=$2 pids i
  for ((i = 0; i < 150; i++)); do
    pids=$(workers_of "$MASTER" | sort)
    if [[ $(grep -c . <<<"$pids") == "$want" ]] && [[ -z $(comm -12 <(echo "$pids") <(echo "$old")) ]]; then
      echo "$pids"
      return 0
    fi
    sleep 0.1
  done
  fail "expected $want new workers under $MASTER, have: $(echo $pids)"
}

# Sends HUP after setting TODO_WORKERS=$1 in the config file, as an admin
# editing it and running `systemctl reload todo-fcgi` would.
reload_with_workers() {
  replace "$SERVICE/todo-fcgi.env" "TODO_WORKERS=$CURRENT" "TODO_WORKERS=$1"
  CURRENT=$1
  kill -HUP "$MASTER"
}

say "todo-fcgi serve with TODO_WORKERS=2 behind the production nginx site"
make_service_config "$SERVICE" "TODO_WORKERS=2
TODO_THREADS=2"
CURRENT=2
run_migrate "$SERVICE" >/dev/null || fail "todo-fcgi migrate failed"
start_pool "$SERVICE" "$SOCK"
start_site "$HTTPS_PORT" "$HTTP_PORT"
"${CURL_HTTPS[@]}" -f -o /dev/null "$BASE/api/health" || fail "health failed before the reload"
gen1=$(expect_workers 2 "")
ok "master $MASTER, workers: $(echo $gen1)"

# Each reload replaces every worker while requests keep coming, so a worker
# that drops a connection on its way out shows up as a failed request; eight
# reloads make that window come round often enough to be seen.
COUNTS=(3 1 2 3 1 3 2 1)
say "wrk: 16 connections for 12 s on /api/health; meanwhile reload ${#COUNTS[@]} times: 2 -> ${COUNTS[*]} workers"
: >"$NGINX_PREFIX/logs/access.log"
wrk -t 2 -c 16 -d 12s --timeout 5s "https://127.0.0.1:$HTTPS_PORT/api/health" >"$WORK/wrk.out" 2>&1 &
WRK=$!
defer "kill $WRK 2>/dev/null"
sleep 1
previous=$gen1
for count in "${COUNTS[@]}"; do
  reload_with_workers "$count"
  previous=$(expect_workers "$count" "$previous")
  echo "after HUP (TODO_WORKERS=$count): $(echo $previous)"
  sleep 0.5
done
wait "$WRK" || fail "wrk failed: $(cat "$WORK/wrk.out")"
cat "$WORK/wrk.out"
kill -0 "$MASTER" || fail "the master is gone"
ok "the same master ($MASTER) changed its worker count ${#COUNTS[@]} times, all replaced each time"
! grep -q 'drain deadline passed' "$SERVICE/service.log" || fail "a worker did not drain in time"
ok "every old worker drained before its deadline"

say "no request failed"
requests=$(sed -n 's/^ *\([0-9]\+\) requests in .*/\1/p' "$WORK/wrk.out")
[[ -n $requests && $requests -gt 100 ]] || fail "wrk made too few requests: ${requests:-none}"
! grep -E 'Non-2xx|Socket errors' "$WORK/wrk.out" || fail "wrk saw failures"
# When its time is up wrk closes its connections with requests still in
# flight: nginx logs those as 499 (client closed), at most one a connection.
no_failed_requests "$NGINX_PREFIX/logs/access.log" 16 "$NGINX_PREFIX/logs/error.log"
ok "$requests requests, all 200, none lost across ${#COUNTS[@]} reloads"
