#!/usr/bin/env bash
# A worker told to stop (SIGTERM, or a reload replacing it) finishes the
# request it has begun reading, even when the request's parameters arrive
# after the stop. Played by hand over FastCGI on a TCP socket, so the request
# can be cut in two around the signal: first the BEGIN_REQUEST record, which
# makes the worker take the connection, then SIGTERM, then the rest. A worker
# that dropped the connection on the signal would answer nothing (behind
# nginx: a 502).
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
need_binary
need_database

PORT=$(free_port 28190)

# One FastCGI record: type $1, request id 1, content given as \x escapes in $2
# of length $3 bytes.
record() {
  local type=$1 content=$2 length=$3
  printf "\\x01\\x$(printf %02x "$type")\\x00\\x01\\x$(printf %02x $((length >> 8)))\\x$(printf %02x $((length & 255)))\\x00\\x00${content}"
}

# A FastCGI name-value pair (both shorter than 128 bytes) as \x escapes.
pair() {
  local name=$1 value=$2 i text
  text=$(printf '\\x%02x\\x%02x' ${#name} ${#value})
  for ((i = 0; i < ${#name}; i++)); do text+=$(printf '\\x%02x' "'${name:i:1}"); done
  for ((i = 0; i < ${#value}; i++)); do text+=$(printf '\\x%02x' "'${value:i:1}"); done
  printf '%s' "$text"
}

say "todo-fcgi serve --listen 127.0.0.1:$PORT, one worker with one thread"
make_service_config "$SERVICE" "TODO_WORKERS=1
TODO_THREADS=1"
run_migrate "$SERVICE" >/dev/null || fail "todo-fcgi migrate failed"
CREDENTIALS_DIRECTORY=$SERVICE/creds "${AS_SERVICE_USER[@]}" "$RUN_BIN" serve \
  --config "$SERVICE/todo-fcgi.env" --listen "127.0.0.1:$PORT" 2>"$SERVICE/service.log" &
MASTER=$!
defer "stop_pool $MASTER"
wait_for 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$PORT" || fail "nothing listens on $PORT"
wait_for 10 pgrep -P "$MASTER" >/dev/null || fail "no worker started"
ok "master $MASTER, worker $(workers_of "$MASTER")"

say "BEGIN_REQUEST, then SIGTERM to the master, then the parameters"
exec 3<>"/dev/tcp/127.0.0.1/$PORT"
record 1 '\x00\x01\x00\x00\x00\x00\x00\x00' 8 >&3 # FCGI_BEGIN_REQUEST, role responder
sleep 0.5                                          # the worker is now reading this request
kill -TERM "$MASTER"
sleep 0.5 # long enough for a worker that drops connections on SIGTERM to have done so
params=$(pair REQUEST_METHOD GET)$(pair REQUEST_URI /api/health)$(pair SERVER_PROTOCOL HTTP/1.1)
record 4 "$params" $(($(printf "$params" | wc -c))) >&3 # FCGI_PARAMS
record 4 '' 0 >&3                                       # end of FCGI_PARAMS
record 5 '' 0 >&3                                       # empty FCGI_STDIN
timeout 15 cat <&3 | tr -c '[:print:]\n' '.' >"$WORK/response" || true
exec 3<&-
grep -q 'Status: 200' "$WORK/response" ||
  fail "the request begun before SIGTERM was not answered; got: $(head -c 300 "$WORK/response")"
grep -q '"database":"ok"' "$WORK/response" || fail "unexpected body: $(cat "$WORK/response")"
ok "answered 200 with the health body after the signal"

say "then the master and its worker exit 0"
# A watchdog with its own output, so that a leftover sleep never holds
# CTest's pipe open; it and its sleep go as soon as the master is done.
(sleep 15 && kill -KILL "$MASTER") >/dev/null 2>&1 &
WATCHDOG=$!
wait "$MASTER" && status=0 || status=$?
pkill -P "$WATCHDOG" 2>/dev/null || true
kill "$WATCHDOG" 2>/dev/null || true
((status != 137)) || fail "the master still ran 15 s after SIGTERM"
((status == 0)) || fail "the master exited with $status"
! grep -q 'drain deadline passed' "$SERVICE/service.log" || fail "the drain hit its deadline"
ok "clean exit, no drain deadline"
