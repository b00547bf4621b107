#!/usr/bin/env bash
# Proof that the service's verifier of external tokens (fcgi-app/auth/external_token.*)
# accepts what a real Better Auth server issues: it runs the example server
# (examples/better-auth, better-auth from npm as its lockfile pins it) on loopback against
# a database of its own, signs a person up and in over HTTP, takes a JWT from
# /api/auth/token and checks it with build/verify_external (the production verifier and its
# libcurl fetcher) against the live JWKS:
#   - the token is accepted, for the user Better Auth made;
#   - the same token with its signature changed is refused;
#   - after the issuer's key is rotated (its stored key rows deleted, so it makes a new one),
#     a new token is accepted after one JWKS refresh, and the old token, whose key is gone,
#     is refused from then on;
# and, in front of it, nginx with nginx/snippets/better-auth.conf: /api/auth/ reaches Better
# Auth (sign-in and the JWKS through nginx), the rest of /api/ the workers' upstream.
#
# PostgreSQL: the test stack's when run by CTest (TODO_TEST_ADMIN_DATABASE_URL, a scratch
# database made here and dropped after), else a private cluster started here. Needs node
# and npm (npm ci runs here unless node_modules already holds what the lockfile pins), jq,
# and a build (TODO_BUILD_DIR, default build/) with verify_external in it.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BUILD=${TODO_BUILD_DIR:-$ROOT/build}
EXAMPLE=$ROOT/examples/better-auth
VERIFY=$BUILD/verify_external

say() { printf '\n== %s\n' "$*"; }
ok() { printf 'ok: %s\n' "$*"; }
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

WORK=$(mktemp -d /tmp/todo-better-auth.XXXXXX)
chmod 0755 "$WORK"
CLEANUP=()
on_exit() {
  local status=$? i
  if ((status != 0)) && [[ -s $WORK/better-auth.log ]]; then
    echo "--- the Better Auth server's log:" >&2
    tail -n 40 "$WORK/better-auth.log" >&2
  fi
  for ((i = ${#CLEANUP[@]} - 1; i >= 0; i--)); do eval "${CLEANUP[i]}" || true; done
  rm -rf "$WORK"
  exit "$status"
}
trap on_exit EXIT

# Waits up to $1 seconds for the command after it to succeed.
wait_for() {
  local seconds=$1 i
  shift
  for ((i = 0; i < seconds * 10; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.1
  done
  return 1
}

free_port() {
  local port=$1
  while [[ -n $(ss -H -l -t -n "( sport = :$port )") ]]; do port=$((port + 1)); done
  echo "$port"
}

[[ -x $VERIFY ]] || fail "no $VERIFY: build first (cmake --build $BUILD --target verify_external)"
command -v node >/dev/null && command -v npm >/dev/null || fail "node and npm are needed"

# ---------------------------------------------------------------- a database of its own

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_postgres() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

if [[ -n ${TODO_TEST_ADMIN_DATABASE_URL:-} ]]; then
  say "a scratch database in the test stack's PostgreSQL"
  DB=better_auth_test_$$
  psql "$TODO_TEST_ADMIN_DATABASE_URL" -qAt -v ON_ERROR_STOP=1 -c "CREATE DATABASE $DB"
  CLEANUP+=("psql '$TODO_TEST_ADMIN_DATABASE_URL' -qAt -c 'DROP DATABASE IF EXISTS $DB WITH (FORCE)'")
  DATABASE_URL=${TODO_TEST_ADMIN_DATABASE_URL%/*}/$DB
else
  say "a private PostgreSQL cluster"
  PG_PORT=$(free_port 25432)
  mkdir -p "$WORK/pg" "$WORK/pg-run"
  [[ $(id -u) == 0 ]] && chown postgres: "$WORK/pg" "$WORK/pg-run"
  as_postgres "$PG_BIN/initdb" -D "$WORK/pg" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  as_postgres "$PG_BIN/pg_ctl" -D "$WORK/pg" -l "$WORK/pg-run/log" -w -t 60 start \
    -o "-p $PG_PORT -k $WORK/pg-run -c listen_addresses=127.0.0.1 -c fsync=off" >/dev/null
  CLEANUP+=("as_postgres '$PG_BIN/pg_ctl' -D '$WORK/pg' -m immediate -w stop >/dev/null")
  psql "postgresql://postgres@127.0.0.1:$PG_PORT/postgres" -qAt -c "CREATE DATABASE better_auth"
  DATABASE_URL=postgresql://postgres@127.0.0.1:$PG_PORT/better_auth
fi

# ---------------------------------------------------------------- the Better Auth server

# npm writes node_modules/.package-lock.json when it installs: newer than the lockfile means
# the installed packages are the pinned ones (and the test runs without the registry).
if [[ ! $EXAMPLE/node_modules/.package-lock.json -nt $EXAMPLE/package-lock.json ]]; then
  say "npm ci in examples/better-auth"
  (cd "$EXAMPLE" && npm ci --no-audit --no-fund --silent)
fi

PORT=$(free_port 13000)
BASE=http://127.0.0.1:$PORT
NGINX_PORT=$(free_port $((PORT + 1)))
export BETTER_AUTH_URL=$BASE BETTER_AUTH_DATABASE_URL=$DATABASE_URL HOST=127.0.0.1 PORT
export BETTER_AUTH_TRUSTED_ORIGINS=http://127.0.0.1:$NGINX_PORT
BETTER_AUTH_SECRET=$(openssl rand -base64 48)
export BETTER_AUTH_SECRET

say "migrating its database and starting it on $BASE"
node "$EXAMPLE/server.mjs" migrate
node "$EXAMPLE/server.mjs" >"$WORK/better-auth.log" 2>&1 &
SERVER=$!
CLEANUP+=("kill $SERVER; wait $SERVER")
wait_for 20 curl -sf "$BASE/health" || fail "the Better Auth server did not start"
ok "Better Auth $(node -p "require('$EXAMPLE/node_modules/better-auth/package.json').version") is up"

# ---------------------------------------------------------------- a person signs up and in

EMAIL=ada-$$@example.com
PASSWORD=correct-horse-battery-staple
api() {  # api METHOD PATH [JSON]: the body; the session cookie kept in $WORK/cookies
  curl -sS --fail-with-body -X "$1" "$BASE$2" -H "Origin: $BASE" -H 'Content-Type: application/json' \
    -b "$WORK/cookies" -c "$WORK/cookies" ${3:+--data "$3"}
}

say "sign-up, sign-in, GET /api/auth/token"
USER_ID=$(api POST /api/auth/sign-up/email "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\",\"name\":\"Ada\"}" | jq -r .user.id)
[[ -n $USER_ID && $USER_ID != null ]] || fail "sign-up gave no user id"
rm -f "$WORK/cookies"
api POST /api/auth/sign-in/email "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" >/dev/null
TOKEN=$(api GET /api/auth/token | jq -r .token)
[[ $TOKEN == *.*.* ]] || fail "/api/auth/token gave no JWT"
HEADER=$(printf '%s' "${TOKEN%%.*}" | tr '_-' '/+' | base64 -d 2>/dev/null || true)
ok "user $USER_ID, a token with header $HEADER"

# ---------------------------------------------------------------- the service's verifier

# One verifier for every check, as in a worker process: it fetches the JWKS at start.
coproc VERIFIER { "$VERIFY" --issuer "$BASE" --jwks "$BASE/api/auth/jwks" 2>"$WORK/verify.err"; }
STARTED=$SECONDS
# Its output, kept open past its end (bash forgets VERIFIER when the coprocess exits).
exec {FROM_VERIFIER}<&"${VERIFIER[0]}"
check() {  # check TOKEN EXPECTED-PREFIX WHAT: the verifier's line for TOKEN starts so
  local line
  printf '%s\n' "$1" >&"${VERIFIER[1]}"
  read -r -t 30 line <&"$FROM_VERIFIER" || fail "verify_external did not answer: $(cat "$WORK/verify.err")"
  [[ $line == "$2"* ]] || fail "$3: expected \"$2...\", got \"$line\" ($(cat "$WORK/verify.err"))"
  ok "$3: $line"
}

say "the token is accepted; tampered, it is refused"
# The last signature character carries unused bits: change the first instead.
SIG=${TOKEN##*.}
[[ ${SIG:0:1} == A ]] && OTHER=B || OTHER=A
check "$TOKEN" "accepted $USER_ID $EMAIL" "Better Auth's token"
check "${TOKEN%.*}.$OTHER${SIG:1}" "refused bad_signature:" "its signature changed"

say "the issuer's key rotated: a new token is accepted after one JWKS refresh"
psql "$DATABASE_URL" -qAt -v ON_ERROR_STOP=1 -c 'DELETE FROM jwks'
NEW_TOKEN=$(api GET /api/auth/token | jq -r .token)
[[ ${NEW_TOKEN%%.*} != "${TOKEN%%.*}" ]] || fail "Better Auth did not sign with a new key"
# The verifier fetches at most once per 10 s: let that pass since its fetch at start.
sleep $((STARTED + 11 - SECONDS > 0 ? STARTED + 11 - SECONDS : 0))
check "$NEW_TOKEN" "accepted $USER_ID $EMAIL" "a token of the new key"
check "$TOKEN" "refused unknown_key:" "a token of the deleted key, after that refresh"
eval "exec ${VERIFIER[1]}>&-"
read -r -t 10 LAST <&"$FROM_VERIFIER" || true
[[ $LAST == "fetches 2" ]] || fail "expected two JWKS fetches (start, rotation), got: $LAST"
ok "two JWKS fetches: at start and for the new kid"

# ---------------------------------------------------------------- nginx in front

say "nginx with snippets/todo-fcgi/better-auth.conf on 127.0.0.1:$NGINX_PORT"
NGX=$WORK/nginx
mkdir -p "$NGX/snippets" "$NGX/tmp" "$NGX/logs"
ln -s "$ROOT/nginx/snippets" "$NGX/snippets/todo-fcgi"
ln -s /etc/nginx/fastcgi_params "$NGX/fastcgi_params"
if [[ $(id -u) == 0 ]]; then
  chown nobody "$NGX/tmp"
  echo "user nobody nogroup;" >"$NGX/nginx.conf"
fi
cat >>"$NGX/nginx.conf" <<CONF
worker_processes 1;
pid $NGX/nginx.pid;
error_log $NGX/logs/error.log warn;
events { worker_connections 64; }
http {
    access_log $NGX/logs/access.log;
    client_body_temp_path $NGX/tmp/body;
    proxy_temp_path $NGX/tmp/proxy;
    fastcgi_temp_path $NGX/tmp/fastcgi;
    uwsgi_temp_path $NGX/tmp/uwsgi;
    scgi_temp_path $NGX/tmp/scgi;
    include snippets/todo-fcgi/ratelimit-zones.conf;
    upstream todo_fcgi { server unix:$WORK/no-workers.sock; }
    upstream better_auth { server 127.0.0.1:$PORT; keepalive 8; }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        include snippets/todo-fcgi/security-headers.conf;
        include snippets/todo-fcgi/api.conf;
        include snippets/todo-fcgi/better-auth.conf;
    }
}
CONF
nginx -t -q -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/logs/error.log"
nginx -p "$NGX" -c "$NGX/nginx.conf" -e "$NGX/logs/error.log"
CLEANUP+=("kill -QUIT \$(cat '$NGX/nginx.pid')")
VIA=http://127.0.0.1:$NGINX_PORT
wait_for 10 curl -sf "$VIA/api/auth/jwks" || fail "nginx did not start: $(cat "$NGX/logs/error.log")"
NEW_KID=$(printf '%s' "${NEW_TOKEN%%.*}" | tr '_-' '/+' | base64 -d 2>/dev/null | jq -r .kid || true)
[[ $(curl -sS "$VIA/api/auth/jwks" | jq -r '.keys[0].kid') == "$NEW_KID" ]] ||
  fail "the JWKS through nginx is not Better Auth's"
ok "GET /api/auth/jwks reaches Better Auth"
STATUS=$(curl -sS -o "$WORK/sign-in.json" -w '%{http_code}' -X POST "$VIA/api/auth/sign-in/email" \
  -H "Origin: $VIA" -H 'Content-Type: application/json' \
  --data "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}")
[[ $STATUS == 200 && $(jq -r .user.id "$WORK/sign-in.json") == "$USER_ID" ]] ||
  fail "sign-in through nginx: $STATUS $(cat "$WORK/sign-in.json")"
ok "POST /api/auth/sign-in/email (the rate-limited location) reaches Better Auth"
[[ $(curl -sS "$VIA/api/health" | jq -r .code) == UNAVAILABLE ]] ||
  fail "/api/health did not go to the workers' upstream"
ok "the rest of /api/ goes to the workers' upstream (none here: nginx's JSON 502)"

echo
echo "better-auth interoperability: 1 passed, 0 failed"
