#!/usr/bin/env bash
# The packaged units under a real systemd. A Debian 12 system boots in a
# container on this machine (systemd-nspawn, systemd as PID 1; its root file
# system is cached in var/systemd-boot), and the deployment manual,
# docs/deployment.md, is followed there: the command blocks of its numbered
# steps are read from the manual and run inside as they are written, with
# only their placeholders (passwords, the package's file name) filled in.
# Then, through systemctl and journalctl:
#
#   socket activation   nothing runs until the first request starts the service
#   credentials         LoadCredential= gives each unit its own secrets, and
#                       the tokens are signed with /etc/todo-fcgi/jwt_secret
#   metrics             /metrics through nginx from loopback, every figure
#                       there (the listen queue needs a netlink socket)
#   sandbox             a whole session through nginx works inside it, also
#                       with a forbidden system call made fatal; the IP filter
#                       refuses what is not localhost; systemd-analyze security
#                       rates it as the manual says
#   reload              rescales (TODO_WORKERS) under load, no request fails
#   restart             keeps the socket: requests wait, none is refused
#   migrations          run before the service, retried until PostgreSQL is back
#   apt remove, purge   leave what the manual says
#
# Runs as root; needs debootstrap, systemd-nspawn (systemd-container), wrk and
# jq, and the network the first time (debootstrap, apt downloads) or when the
# package's dependencies change. The container has no network but loopback.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/container.sh"
need_root
need_binary
for tool in debootstrap systemd-nspawn wrk jq; do
  command -v "$tool" >/dev/null || fail "$tool is not installed (./todo test installs it)"
done

MANUAL=$TODO_SOURCE_DIR/docs/deployment.md
ON_FAILURE='in_container journalctl -b --no-pager -n 60 2>/dev/null'
STEP_OUT=$WORK/step.out

# ---------------------------------------------------------------- the manual

# The N-th ```sh block ($2) of the manual's section whose heading reads $1.
manual_block() {
  awk -v want="$1" -v n="$2" '
    /^```/ {
      if (open) { open = 0; if (current == n) exit; next }
      open = 1; current = (section && $0 == "```sh") ? ++count : 0; next
    }
    !open && /^#+ / { title = $0; sub(/^#+ +/, "", title); section = (title == want); next }
    open && current == n { print }
  ' "$MANUAL"
}

# Runs the N-th command block ($2) of the manual's section $1 inside the
# container, as root in /root; the arguments after N are pairs: a placeholder
# as the manual writes it, and what goes in its place. Shows the block as
# written and the end of what it printed (all of it in $STEP_OUT).
follow() {
  local title=$1 n=$2 block
  shift 2
  block=$(manual_block "$title" "$n")
  [[ -n $block ]] || fail "docs/deployment.md has no command block $n under \"$title\""
  echo "manual, \"$title\", block $n:"
  sed 's/^/  | /' <<<"$block"
  while (($# >= 2)); do
    [[ $block == *"$1"* ]] || fail "that block no longer says $1"
    block=${block//"$1"/"$2"}
    shift 2
  done
  if ! in_container bash -euo pipefail -c "cd /root
$block" >"$STEP_OUT" 2>&1; then
    sed 's/^/  > /' "$STEP_OUT"
    fail "the manual's block failed"
  fi
  tail -n 8 "$STEP_OUT" | sed 's/^/  > /'
}

# ---------------------------------------------------------------- inside

unit() { in_container systemctl show -P "$2" "$1"; }
service_pid() { unit todo-fcgi.service MainPID; }
# The worker processes of the service, one pid a line.
container_workers() { in_container sh -c 'cat /proc/$1/task/*/children' _ "$(service_pid)" | tr " " "\n" | grep . | sort || true; }
# True when the service runs $1 workers, none of them in the list $2.
workers_are() {
  local now
  now=$(container_workers)
  [[ $(grep -c . <<<"$now") == "$1" && -z $(comm -12 <(echo "$now") <(echo "${2:-}")) ]]
}
# The journal of unit $1 since the container's clock read $2 (seconds).
journal_since() { in_container journalctl -u "$1" --since "@$2" --no-pager -o cat; }
# True when that journal has a line matching $3.
journal_has() { journal_since "$1" "$2" | grep -q -E "$3"; }
clock() { in_container date +%s; }
# nginx's logs in the container (ACCESS_LOG, ERROR_LOG: set once it runs).
clear_nginx_logs() { : >"$ACCESS_LOG" && : >"$ERROR_LOG"; }

# HTTPS to the site as a browser would, from this machine into the
# container's network, trusting the site's test certificate.
CURL=(on_container_net curl -sS --max-time 40 --resolve "$HOST:443:127.0.0.1" --cacert "$WORK/cert.pem")
BASE=https://$HOST

# A user's whole session through nginx, every route a browser uses; prints
# one line. Sets TOKEN (the access token last issued).
session() {
  local email password user task jar=$WORK/cookies
  email="boot-$(date +%s%N)@example.org"
  password="Boot-$(head -c 12 /dev/urandom | base64 -w 0 | tr -dc 'A-Za-z0-9')"
  api() { "${CURL[@]}" -f -b "$jar" -c "$jar" -H 'Content-Type: application/json' "$@"; }
  user=$(api -d "{\"email\":\"$email\",\"password\":\"$password\",\"name\":\"Boot\"}" "$BASE/api/auth/register" | jq -r .user.id)
  TOKEN=$(api -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$BASE/api/auth/login" | jq -r .access_token)
  [[ -n $user && $TOKEN == *.*.* ]] || fail "register and login gave no user id or token"
  auth=(-H "Authorization: Bearer $TOKEN")
  [[ $(api "${auth[@]}" "$BASE/api/auth/me" | jq -r .id) == "$user" ]] || fail "/api/auth/me is not the user registered"
  task=$(api "${auth[@]}" -d '{"title":"Boot a system","description":"with systemd"}' "$BASE/api/$user/tasks" | jq -r .id)
  [[ $(api "${auth[@]}" "$BASE/api/$user/tasks" | jq -r '.[].id') == "$task" ]] || fail "the list does not hold the task just created"
  api "${auth[@]}" -o /dev/null "$BASE/api/$user/tasks?status=pending&sort=title&q=boot"
  api "${auth[@]}" -o /dev/null -X PATCH "$BASE/api/$user/tasks/$task/complete"
  api "${auth[@]}" -o /dev/null -X PUT -d '{"title":"Booted"}' "$BASE/api/$user/tasks/$task"
  api "${auth[@]}" -o /dev/null -X DELETE "$BASE/api/$user/tasks/$task"
  api -o /dev/null -X POST "$BASE/api/auth/refresh"
  api "${auth[@]}" -o /dev/null -d '{"all":true}' "$BASE/api/auth/logout"
  echo "user $user: registered, logged in, task $task created, listed, completed, changed, deleted; refreshed, logged out"
}

# wrk: $1 seconds, 4 connections, on the health route, from this machine into
# the container's network; sets WRK (its pid) and writes $WORK/wrk.out.
start_load() {
  clear_nginx_logs
  on_container_net wrk -t 1 -c 4 -d "$1s" --timeout 10s "https://127.0.0.1/api/health" >"$WORK/wrk.out" 2>&1 &
  WRK=$!
  defer "kill $WRK 2>/dev/null"
}

# Waits for the wrk of start_load; fails on any request that did not get 200.
load_passed() {
  wait "$WRK" || fail "wrk failed: $(cat "$WORK/wrk.out")"
  grep -E 'requests in|Non-2xx|Socket errors' "$WORK/wrk.out"
  ! grep -q -E 'Non-2xx|Socket errors' "$WORK/wrk.out" || fail "wrk saw failures"
  no_failed_requests "$ACCESS_LOG" 4 "$ERROR_LOG"
}

# ---------------------------------------------------------------- 1. install

say "step 1: the package (as ./todo package makes it: cpack, here from $TODO_BUILD_DIR)"
build_deb
ok "$(basename "$DEB")"

say "a Debian 12 system in a container, systemd as PID 1"
prepare_rootfs "$DEB" postgresql libfcgi-bin curl ca-certificates
boot_container
ok "$(in_container systemctl --version | head -n 1) is PID 1 (pid $PID1 here); $(in_container systemctl is-system-running)"
echo "test rig, not the manual: apt answers yes by itself (no terminal); $HOST is 127.0.0.1 and its certificate trusted, as DNS and a public CA would make them"
echo 'APT::Get::Assume-Yes "true";' >"$(container_file /etc/apt/apt.conf.d/90todo-boot-test)"
echo "127.0.0.1 $HOST" >>"$(container_file /etc/hosts)"
cp "$DEB" "$(container_file /root/)"

say "step 1: apt install the package and PostgreSQL"
manual_deb=$(manual_block "1. Build the package and install it" 2 | grep -o -m 1 '\./todo-fcgi_[^ ]*\.deb') ||
  fail "step 1 names no package file"
follow "1. Build the package and install it" 2 "$manual_deb" "./$(basename "$DEB")"
[[ $(in_container systemctl is-enabled todo-fcgi.socket || true) == disabled ]] || fail "todo-fcgi.socket is enabled before it is configured"
for name in todo-fcgi.socket todo-fcgi.service; do
  [[ $(unit "$name" ActiveState) == inactive ]] || fail "$name runs before it is configured"
done
ok "installed: $(in_container dpkg-query -W -f '${Package} ${Version}, ' todo-fcgi postgresql nginx); nothing of todo-fcgi enabled or running"

say "step 2: the database and its two roles"
OWNER_PW=$(openssl rand -hex 24)
APP_PW=$(openssl rand -hex 24)
follow "2. Create the database and its two roles" 1 OWNER-PASSWORD "$OWNER_PW" APP-PASSWORD "$APP_PW"
ok "roles: $(in_container runuser -u postgres -- psql -qAt -c "SELECT string_agg(rolname, ' ') FROM pg_roles WHERE rolname LIKE 'todo%'")"

say "step 3: the database URLs as credential files"
follow "3. Configure" 1 APP-PASSWORD "$APP_PW" OWNER-PASSWORD "$OWNER_PW"
modes=$(in_container stat -c '%n %U %a' /etc/todo-fcgi/database_url /etc/todo-fcgi/migration_database_url /etc/todo-fcgi/jwt_secret)
echo "$modes"
[[ $(grep -c ' root 600$' <<<"$modes") == 2 ]] || fail "the database URLs are not root's alone"
ok "written, readable by root only"

# ---------------------------------------------------------------- 4. start

say "step 4: migrate, then listen; socket activation"
follow "4. Start" 1
[[ $(unit todo-fcgi-migrate.service Result) == success ]] || fail "todo-fcgi-migrate.service: $(unit todo-fcgi-migrate.service Result)"
[[ $(unit todo-fcgi.socket ActiveState) == active && $(in_container systemctl is-enabled todo-fcgi.socket) == enabled ]] ||
  fail "todo-fcgi.socket is not enabled and listening"
[[ $(unit todo-fcgi.service ActiveState) == inactive ]] || fail "todo-fcgi.service runs before any request"
sock=$(in_container stat -c '%U:%G %a' /run/todo-fcgi/todo-fcgi.sock)
[[ $sock == 'todo-fcgi:www-data 660' ]] || fail "the socket is $sock"
ok "migrations applied; socket listening ($sock), service not started"
follow "4. Start" 2
grep -q '^Status: 200 OK' "$STEP_OUT" || fail "cgi-fcgi: no 200"
[[ $(tail -n 1 "$STEP_OUT") == '{"status":"ok","database":"ok"}' ]] || fail "cgi-fcgi: the answer does not end with the health body"
[[ $(unit todo-fcgi.service ActiveState) == active ]] || fail "the request did not start todo-fcgi.service"
in_container journalctl -u todo-fcgi.service --no-pager -o cat | grep 'route=/api/health status=200' ||
  fail "the request is not in the service's journal"
ok "the first request started todo-fcgi.service (master $(service_pid), $(container_workers | wc -l) workers)"

# ---------------------------------------------------------------- 5. nginx

say "step 5: the nginx site"
echo "test rig: curl and ca-certificates, for the manual's curl"
in_container apt-get -q install curl ca-certificates >"$STEP_OUT" 2>&1 || fail "$(tail -n 5 "$STEP_OUT")"
echo "block 1 NOT RUN: certbot needs a public name and Let's Encrypt; a self-signed certificate for $HOST goes where certbot would put one"
make_cert "$WORK"
mkdir -p "$(container_file /etc/letsencrypt/live/$HOST)" "$(container_file /usr/local/share/ca-certificates)"
cp "$WORK/cert.pem" "$(container_file /etc/letsencrypt/live/$HOST/fullchain.pem)"
cp "$WORK/key.pem" "$(container_file /etc/letsencrypt/live/$HOST/privkey.pem)"
cp "$WORK/cert.pem" "$(container_file /usr/local/share/ca-certificates/todo-boot-test.crt)"
in_container update-ca-certificates >/dev/null
echo "the site keeps its own name, $HOST"
follow "5. The nginx site" 2
wait_for 10 on_container_net bash -c "ss -Hltn 'sport = :443' | grep -q ." || fail "nginx does not listen on 443"
follow "5. The nginx site" 3
grep -q '{"status":"ok","database":"ok"}' "$STEP_OUT" || fail "curl https://$HOST/api/health: no health body"
ok "the site answers on https://$HOST"
ACCESS_LOG=$(container_file /var/log/nginx/access.log)
ERROR_LOG=$(container_file /var/log/nginx/error.log)

# ---------------------------------------------------------------- the units at work

say "through nginx: a whole session; one journal line per request"
session
"${CURL[@]}" -o /dev/null -D "$WORK/h" "$BASE/api/health"
rid=$(sed -n 's/^x-request-id: *//Ip' "$WORK/h" | tr -d '\r')
[[ $(in_container journalctl -u todo-fcgi.service --no-pager -o cat | grep -c -F "rid=$rid") == 1 ]] ||
  fail "request $rid is not in the journal exactly once"
ok "the sandboxed service served it all; request $rid logged once"

say "GET /metrics through nginx, from loopback: the sandbox lets every figure through"
"${CURL[@]}" -f -o "$WORK/metrics" "$BASE/metrics" || fail "/metrics did not answer 200"
for metric in 'todo_worker_processes 2' 'todo_listen_queue_length [0-9]' \
  'todo_http_requests_total\{route="/api/health",method="GET",status="200"\} [1-9]' 'process_resident_memory_bytes'; do
  grep -q -E "^$metric" "$WORK/metrics" || fail "/metrics has no line matching: $metric"
done
ok "$(grep -c -v '^#' "$WORK/metrics") samples, the listen queue among them (NETLINK_SOCK_DIAG, allowed by RestrictAddressFamilies=)"

say "LoadCredential=: each unit its own secrets, and these are the ones in use"
creds=$(in_container ls /run/credentials/todo-fcgi.service | tr '\n' ' ')
[[ $creds == 'database_url jwt_secret ' ]] || fail "todo-fcgi.service has the credentials: $creds"
for name in database_url jwt_secret; do
  in_container cmp -s "/run/credentials/todo-fcgi.service/$name" "/etc/todo-fcgi/$name" || fail "credential $name differs from /etc/todo-fcgi/$name"
done
in_container cat "/proc/$(service_pid)/environ" | tr '\0' '\n' |
  grep -x 'CREDENTIALS_DIRECTORY=/run/credentials/todo-fcgi.service' || fail "the service has no CREDENTIALS_DIRECTORY"
# The access token's HS256 signature, made again with the secret file's text.
secret=$(cat "$(container_file /etc/todo-fcgi/jwt_secret)")
signature=$(printf '%s' "${TOKEN%.*}" | openssl dgst -sha256 -mac HMAC -macopt "key:$secret" -binary | base64 -w 0 | tr '+/' '-_' | tr -d '=')
[[ $signature == "${TOKEN##*.}" ]] || fail "the token was not signed with /etc/todo-fcgi/jwt_secret"
ok "the service holds database_url and jwt_secret (not migration_database_url); its tokens are signed with /etc/todo-fcgi/jwt_secret"

say "systemd-analyze security, online, against the manual's figure"
# "rates the sandbox 1.0 ("OK"; `todo-fcgi-migrate.service` 0.9, ...": one figure each.
figures=$(grep -A1 'rates the sandbox [0-9.]*' "$MANUAL" | tr '\n' ' ')
documented_service=$(grep -o -E 'rates the sandbox [0-9.]+' <<<"$figures" | grep -o -E '[0-9.]+$') ||
  fail "the manual gives no exposure figure for the service"
documented_migrate=$(grep -o -E '`todo-fcgi-migrate.service` [0-9.]+' <<<"$figures" | grep -o -E '[0-9.]+$') ||
  fail "the manual gives no exposure figure for the migrations"
for name in todo-fcgi.service todo-fcgi-migrate.service; do
  documented=$documented_service
  [[ $name == todo-fcgi.service ]] || documented=$documented_migrate
  in_container systemd-analyze security "$name" >"$WORK/security" 2>&1 || true
  grep -E '^✗' "$WORK/security" || true
  score=$(sed -n "s/.*Overall exposure level for $name: \([0-9.]*\).*/\1/p" "$WORK/security")
  [[ $score == "$documented" ]] || fail "$name: exposure ${score:-unknown}, the manual says $documented: $(tail -n 3 "$WORK/security")"
  ok "$name: exposure $score, as the manual says"
done

say "IPAddressDeny=any, IPAddressAllow=localhost: a database elsewhere is out of reach"
# 192.0.2.1 (documentation range) on the container's loopback, where nginx
# listens on port 80: reachable, yet not localhost. First the filter itself,
# in a unit of its own with and without it.
on_container_net ip address add 192.0.2.1/32 dev lo
probe() {
  in_container systemd-run --wait --pipe --quiet "$@" \
    bash -c 'timeout 3 bash -c "exec 3<>/dev/tcp/192.0.2.1/80" && echo connected || echo refused' 2>&1
}
[[ $(probe) == connected ]] || fail "192.0.2.1:80 cannot be reached even without a filter"
if [[ $(probe -p IPAddressDeny=any -p IPAddressAllow=localhost) != refused ]]; then
  echo "NOT CHECKED: systemd in this container does not enforce IPAddressDeny= (a unit with it reached 192.0.2.1);"
  echo "  it needs the unified cgroup hierarchy and the bpf() system call: see docs/deployment.md, \"In a container\""
else
  url=$(container_file /etc/todo-fcgi/migration_database_url)
  good_url=$(cat "$url")
  printf '%s\n' "postgresql://todo_owner:$OWNER_PW@192.0.2.1:80/todo?connect_timeout=3" >"$url"
  since=$(clock)
  ! in_container systemctl start todo-fcgi-migrate.service 2>/dev/null || fail "the migration reached 192.0.2.1"
  journal_since todo-fcgi-migrate.service "$since" | grep -m 1 'timeout expired' ||
    fail "the migration failed, but not on the IP filter: $(journal_since todo-fcgi-migrate.service "$since" | tail -n 5)"
  printf '%s\n' "$good_url" >"$url"
  wait_for 30 journal_has todo-fcgi-migrate.service "$since" '^Finished' || fail "the migration was not retried with the URL fixed"
  ok "todo-fcgi-migrate.service cannot reach 192.0.2.1 (the packets are dropped: a timeout); the next retry picked up the fixed URL"
fi

say "the sandbox with a forbidden system call fatal (SIGSYS instead of EPERM): a session"
for name in todo-fcgi todo-fcgi-migrate; do
  mkdir -p "$(container_file /etc/systemd/system/$name.service.d)"
  printf '[Service]\nSystemCallErrorNumber=kill\n' >"$(container_file /etc/systemd/system/$name.service.d/zz-boot-test.conf)"
done
shipped=$(unit todo-fcgi.service SystemCallErrorNumber)
in_container systemctl daemon-reload
since=$(clock)
in_container systemctl restart todo-fcgi.service
[[ $(unit todo-fcgi.service SystemCallErrorNumber) != "$shipped" ]] || fail "the drop-in did not change SystemCallErrorNumber=$shipped"
session
before=$(container_workers)
in_container systemctl reload todo-fcgi.service
wait_for 20 workers_are "$(wc -l <<<"$before")" "$before" || fail "no new workers after the reload"
session
! journal_since todo-fcgi.service "$since" | grep -E 'starting a replacement|SIGSYS|status=31' || fail "a process was killed by the system call filter"
rm -r "$(container_file /etc/systemd/system/todo-fcgi.service.d)" "$(container_file /etc/systemd/system/todo-fcgi-migrate.service.d)"
in_container systemctl daemon-reload
in_container systemctl restart todo-fcgi.service
ok "two sessions and a reload, no process killed: every system call made is allowed"

say "systemctl reload rescales under load (the manual's \"Scaling one host\"), no request fails"
pid=$(service_pid)
before=$(container_workers)
start_load 12
sleep 2
follow "Scaling one host" 1
wait_for 20 workers_are 8 "$before" || fail "not 8 new workers after the reload: $(container_workers | wc -l)"
before=$(container_workers)
echo "TODO_WORKERS=8: $(echo $before)"
sleep 2
follow "Scaling one host" 1 "TODO_WORKERS=8" "TODO_WORKERS=2"
wait_for 20 workers_are 2 "$before" || fail "not 2 new workers after the second reload"
echo "TODO_WORKERS=2: $(container_workers | tr '\n' ' ')"
load_passed
[[ $(service_pid) == "$pid" ]] || fail "the master changed: reload restarted the service"
ok "master $pid kept, workers 2 -> 8 -> 2, every request answered 200"

say "systemctl restart keeps the socket: requests wait in its backlog, none is refused"
pid=$(service_pid)
listening=$(unit todo-fcgi.socket ActiveEnterTimestampMonotonic)
inode=$(in_container stat -c %i /run/todo-fcgi/todo-fcgi.sock)
start_load 10
sleep 3
since=$(clock)
in_container systemctl restart todo-fcgi.service
load_passed
[[ $(service_pid) != "$pid" ]] || fail "the service was not restarted"
[[ $(unit todo-fcgi.socket ActiveEnterTimestampMonotonic) == "$listening" ]] || fail "the socket unit was restarted"
[[ $(in_container stat -c %i /run/todo-fcgi/todo-fcgi.sock) == "$inode" ]] || fail "the socket file was made anew"
journal_since todo-fcgi-migrate.service "$since" | grep -q 'Finished' || fail "the restart did not run the migrations"
ok "master $pid -> $(service_pid), migrations run again; the same socket throughout"

say "migrations first, retried: PostgreSQL stopped, a request comes, PostgreSQL starts"
in_container systemctl stop todo-fcgi.service
in_container systemctl stop postgresql.service
since=$(clock)
clear_nginx_logs
"${CURL[@]}" -o "$WORK/waited" -w '%{http_code}' "$BASE/api/health" >"$WORK/waited.code" 2>&1 &
waiting=$!
defer "kill $waiting 2>/dev/null"
wait_for 30 journal_has todo-fcgi-migrate.service "$since" 'Failed with result' ||
  fail "the migration did not fail without PostgreSQL: $(journal_since todo-fcgi-migrate.service "$since" | tail -n 5)"
[[ $(unit todo-fcgi.service ActiveState) != active ]] || fail "the service started although its migrations failed"
in_container systemctl start postgresql.service
wait "$waiting" || true
[[ $(cat "$WORK/waited.code") == 200 ]] || fail "the waiting request got $(cat "$WORK/waited.code") $(cat "$WORK/waited")"
journal_since todo-fcgi-migrate.service "$since" | grep -E 'Failed with result|Scheduled restart|Finished'
migrated=$(unit todo-fcgi-migrate.service ExecMainExitTimestampMonotonic)
started=$(unit todo-fcgi.service ExecMainStartTimestampMonotonic)
((migrated <= started)) || fail "the service started ($started) before the migrations ended ($migrated)"
[[ $(unit todo-fcgi.socket ActiveState) == active && $(unit todo-fcgi.socket Result) == success ]] ||
  fail "the socket did not survive: $(unit todo-fcgi.socket ActiveState) $(unit todo-fcgi.socket Result)"
ok "the request waited and got 200; the migrations failed, were retried, then ran before the service started"

# ---------------------------------------------------------------- removing

say "apt remove with the site still enabled: configuration kept, the site answers 5xx"
follow "Removing" 2
api_code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$BASE/api/health")
app_code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' "$BASE/")
echo "GET /api/health: $api_code, GET /: $app_code"
[[ $api_code == 502 && $app_code == 500 ]] || fail "the manual says 502 for the API and 500 for the app"
for gone in /usr/bin/todo-fcgi /lib/systemd/system/todo-fcgi.service /usr/share/todo-fcgi; do
  [[ ! -e $(container_file "$gone") ]] || fail "$gone is left after remove"
done
[[ -z $(in_container find /proc -maxdepth 1 -name '[0-9]*' -user todo-fcgi) ]] || fail "processes of todo-fcgi run after remove"
[[ ! -e $(container_file /run/todo-fcgi) ]] || fail "the socket is left: $(in_container ls -la /run/todo-fcgi)"
for kept in /etc/todo-fcgi/jwt_secret /etc/todo-fcgi/database_url /etc/todo-fcgi/migration_database_url \
  /etc/todo-fcgi/todo-fcgi.env /etc/nginx/sites-available/todo-fcgi /etc/nginx/snippets/todo-fcgi/api.conf; do
  [[ -e $(container_file "$kept") ]] || fail "remove took $kept"
done
ok "program, units, app and socket gone, nothing runs; configuration kept"
follow "Removing" 1
[[ $("${CURL[@]}" -o /dev/null -w '%{http_code}' "http://$HOST/" 2>/dev/null || true) != 5* ]] || fail "nginx still fails"
ok "site disabled, nginx reloaded"

say "apt purge: the configuration goes; the user and the database stay"
follow "Removing" 3
for gone in /etc/todo-fcgi /etc/nginx/sites-available/todo-fcgi /etc/nginx/snippets/todo-fcgi; do
  [[ ! -e $(container_file "$gone") ]] || fail "$gone is left after purge"
done
in_container getent passwd todo-fcgi >/dev/null || fail "purge removed the system user"
in_container runuser -u postgres -- psql -qAt -c "SELECT 1 FROM pg_database WHERE datname = 'todo'" | grep -q 1 ||
  fail "the database is gone"
left=$(in_container find / \( -path /proc -o -path /sys -o -path /dev \) -prune -o -name '*todo-fcgi*' -print |
  grep -v -x -F "/root/$(basename "$DEB")" || true)
[[ -z $left ]] || fail "left after purge: $left"
ok "nothing named todo-fcgi is left on the system; user todo-fcgi and database todo stay"
