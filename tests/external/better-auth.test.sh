#!/usr/bin/env bash
# Better Auth as the identity provider, end to end: a real Better Auth server
# (examples/better-auth, better-auth from npm as its lockfile pins it) signs
# people in and issues EdDSA JWTs; the service, on a stack of its own
# (var/external, https :18543, PostgreSQL :15533) with EXTERNAL_ISSUER and
# EXTERNAL_JWKS_URL set, accepts them through nginx and TLS:
#
#   - started while Better Auth is down: local tokens work, an external token
#     is 503 AUTH_UNAVAILABLE, then accepted once Better Auth is back;
#   - tasks created, listed, toggled and deleted with Better Auth's token;
#     /api/auth/me; another user's path is 403;
#   - refused (401): a changed signature, another issuer, another audience, an
#     expired token, the alg swapped, a key no JWKS publishes, and a subject
#     that is a local account's id;
#   - an external user and a local one never reach each other's tasks;
#   - Better Auth's key rotated: new tokens accepted, no restart;
#   - LOCAL_ACCOUNTS=off: the local sign-in routes are 404, external tokens
#     still work;
#   - the original design's nginx layout (nginx/snippets/better-auth.conf):
#     /api/auth/ to Better Auth, the rest of /api/ to the workers.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
source "$ROOT/tests/external/lib.sh"

export TODO_VAR=$ROOT/var/external TODO_HTTPS_PORT=18543 TODO_HTTP_PORT=18180 TODO_PG_PORT=15533
export TODO_BUILD_DIR=${TODO_BUILD_DIR:-$ROOT/build} TODO_WORKERS=2 TODO_THREADS=2
export BCRYPT_COST=10 TODO_AUTH_RATE=6000r/m TODO_TEST_ADMIN=1
BA_PORT=13100
NGINX_PORT=18643  # the original design's layout, at the end
BA_TRUSTED_ORIGINS=http://127.0.0.1:$NGINX_PORT
export EXTERNAL_ISSUER=http://127.0.0.1:$BA_PORT EXTERNAL_JWKS_URL=http://127.0.0.1:$BA_PORT/api/auth/jwks
URL=https://127.0.0.1:$TODO_HTTPS_PORT
BODY=$BA_WORK/body

checks=0
pass() {
  printf '    ok: %s\n' "$*" >&2
  checks=$((checks + 1))
}
fail() {
  printf '    FAILED: %s\n' "$*" >&2
  exit 1
}
cleanup() {
  better_auth_stop
  stack_down
  [[ -n ${NGINX_PREFIX:-} ]] && nginx -s quit -p "$NGINX_PREFIX" -c nginx.conf 2>/dev/null || true
  rm -rf "$BA_WORK"
}
trap cleanup EXIT

# call METHOD PATH TOKEN [JSON]: the status; the body in $BODY.
call() {
  curl -sS --cacert "$TODO_VAR/tls/cert.pem" -o "$BODY" -w '%{http_code}' -X "$1" "$URL$2" \
    ${3:+-H "Authorization: Bearer $3"} ${4:+-H 'Content-Type: application/json' --data "$4"}
}
code() { jq -r .code <"$BODY"; }
expect() {  # expect STATUS [CODE] WHAT -- METHOD PATH TOKEN [JSON]
  local status=$1 want_code=$2 what=$3 got
  shift 4
  got=$(call "$@")
  [[ $got == "$status" ]] || fail "$what: $got $(cat "$BODY"), expected $status"
  [[ -z $want_code || $(code) == "$want_code" ]] || fail "$what: code $(code), expected $want_code"
  pass "$what: $status${want_code:+ $want_code}"
}

# ---------------------------------------------------------------- set up

say "the service's stack, then Better Auth against a database of its own there"
stack_up_fresh
psql "$TODO_TEST_ADMIN_DATABASE_URL" -qAt -c "CREATE DATABASE better_auth"
BA_DB=${TODO_TEST_ADMIN_DATABASE_URL%/*}/better_auth
better_auth_start "$BA_DB" "$BA_PORT"
TOKEN=$(ba_token ada@example.test "correct horse battery staple")
SUB=$(jwt_part "$TOKEN" 1 | jq -r .sub)
[[ $(jwt_part "$TOKEN" 0 | jq -r .alg) == EdDSA ]] || fail "Better Auth's token is not EdDSA"

say "the service restarted while Better Auth is down"
better_auth_stop
stack_down
"$TODO" stack-up >/dev/null
expect 201 "" "a local account registers" -- POST /api/auth/register "" \
  '{"email":"local@example.test","password":"a sound passphrase"}'
LOCAL_TOKEN=$(jq -r .access_token <"$BODY")
LOCAL_ID=$(jq -r .user.id <"$BODY")
expect 200 "" "a local token works" -- GET "/api/$LOCAL_ID/tasks" "$LOCAL_TOKEN"
expect 503 AUTH_UNAVAILABLE "an external token, its issuer out of reach" -- GET /api/auth/me "$TOKEN"
grep -qi '^retry-after' < <(curl -sS --cacert "$TODO_VAR/tls/cert.pem" -D - -o /dev/null \
  -H "Authorization: Bearer $TOKEN" "$URL/api/auth/me") || fail "503 without Retry-After"
better_auth_start "$BA_DB" "$BA_PORT"
# Each worker fetches at most once in 10 s: until then, still 503, never another answer.
for ((i = 0; i < 60; i++)); do
  status=$(call GET /api/auth/me "$TOKEN")
  [[ $status == 200 ]] && break
  [[ $status == 503 && $(code) == AUTH_UNAVAILABLE ]] || fail "while the keys come back: $status"
  sleep 0.5
done
[[ $status == 200 ]] || fail "the external token was not accepted once Better Auth was back"
pass "accepted once Better Auth is back, without a restart"

# ---------------------------------------------------------------- tasks with Better Auth's token

say "tasks with Better Auth's token (user $SUB)"
expect 200 "" "/api/auth/me" -- GET /api/auth/me "$TOKEN"
[[ $(jq -r .email <"$BODY") == ada@example.test ]] || fail "/api/auth/me: $(cat "$BODY")"
expect 201 "" "create" -- POST "/api/$SUB/tasks" "$TOKEN" '{"title":"Buy milk"}'
TASK=$(jq -r .id <"$BODY")
expect 200 "" "list" -- GET "/api/$SUB/tasks" "$TOKEN"
[[ $(jq -r '.[0].title' <"$BODY") == "Buy milk" ]] || fail "list: $(cat "$BODY")"
expect 200 "" "toggle" -- PATCH "/api/$SUB/tasks/$TASK/complete" "$TOKEN"
[[ $(jq -r .completed <"$BODY") == true ]] || fail "toggle: $(cat "$BODY")"
expect 200 "" "delete" -- DELETE "/api/$SUB/tasks/$TASK" "$TOKEN"
expect 403 FORBIDDEN "another user's path" -- GET "/api/someone-else/tasks" "$TOKEN"
expect 404 NOT_FOUND "no password to change here" -- PUT /api/auth/password "$TOKEN" \
  '{"current_password":"x","new_password":"a new sound passphrase"}'

say "tokens that must be refused"
NOW=$(date +%s)
SIG=${TOKEN##*.}
[[ ${SIG:0:1} == A ]] && OTHER=B || OTHER=A
expect 401 UNAUTHORIZED "its signature changed" -- GET /api/auth/me "${TOKEN%.*}.$OTHER${SIG:1}"
expect 401 UNAUTHORIZED "another issuer" -- GET /api/auth/me \
  "$(ba_sign "{\"sub\":\"$SUB\",\"iss\":\"https://elsewhere.example\"}")"
expect 401 UNAUTHORIZED "another audience" -- GET /api/auth/me \
  "$(ba_sign "{\"sub\":\"$SUB\",\"aud\":\"https://elsewhere.example\"}")"
expect 401 TOKEN_EXPIRED "expired" -- GET /api/auth/me \
  "$(ba_sign "{\"sub\":\"$SUB\",\"iat\":$((NOW - 1200)),\"exp\":$((NOW - 300))}")"
SWAPPED="$(jwt_part "$TOKEN" 0 | jq -c '.alg = "ES256"' | b64url).${TOKEN#*.}"
expect 401 UNAUTHORIZED "alg swapped to ES256" -- GET /api/auth/me "$SWAPPED"
expect 401 UNAUTHORIZED "a key no JWKS publishes" -- GET /api/auth/me \
  "$(own_key_token "{\"sub\":\"$SUB\",\"iss\":\"$EXTERNAL_ISSUER\",\"aud\":\"$EXTERNAL_ISSUER\",\"exp\":$((NOW + 600))}")"

say "external and local users never reach each other"
expect 403 FORBIDDEN "Better Auth's user on the local user's path" -- GET "/api/$LOCAL_ID/tasks" "$TOKEN"
expect 403 FORBIDDEN "the local user on Better Auth's user's path" -- GET "/api/$SUB/tasks" "$LOCAL_TOKEN"
expect 401 UNAUTHORIZED "an external token whose sub is a local account's id" -- \
  GET "/api/$LOCAL_ID/tasks" "$(ba_sign "{\"sub\":\"$LOCAL_ID\"}")"

# ---------------------------------------------------------------- the issuer's key rotated

say "Better Auth's key rotated (its stored keys deleted: it makes a new one)"
psql "$BA_DB" -qAt -v ON_ERROR_STOP=1 -c 'DELETE FROM jwks'
NEW_TOKEN=$(ba_token ada@example.test "correct horse battery staple")
[[ $(jwt_part "$NEW_TOKEN" 0 | jq -r .kid) != $(jwt_part "$TOKEN" 0 | jq -r .kid) ]] ||
  fail "Better Auth did not sign with a new key"
sleep 11  # past each worker's 10 s between fetches, so the new kid's one refresh is due
for ((i = 0; i < 4; i++)); do  # both workers, each refreshing once
  expect 200 "" "a token of the new key, request $((i + 1))" -- GET /api/auth/me "$NEW_TOKEN"
done

# ---------------------------------------------------------------- LOCAL_ACCOUNTS=off

say "LOCAL_ACCOUNTS=off"
stack_down
LOCAL_ACCOUNTS=off "$TODO" stack-up >/dev/null
for route in register login refresh; do
  expect 404 NOT_FOUND "POST /api/auth/$route" -- POST "/api/auth/$route" "" '{}'
done
expect 404 NOT_FOUND "PUT /api/auth/password" -- PUT /api/auth/password "$NEW_TOKEN" '{}'
expect 401 UNAUTHORIZED "a local token" -- GET /api/auth/me "$LOCAL_TOKEN"
expect 200 "" "Better Auth's token" -- GET /api/auth/me "$NEW_TOKEN"

# ---------------------------------------------------------------- the original design's layout

say "nginx with snippets/todo-fcgi/better-auth.conf: /api/auth/ to Better Auth, the rest to the workers"
NGINX_PREFIX=$BA_WORK/nginx
mkdir -p "$NGINX_PREFIX/snippets" "$NGINX_PREFIX/tmp"
ln -s "$ROOT/nginx/snippets" "$NGINX_PREFIX/snippets/todo-fcgi"
ln -s /etc/nginx/fastcgi_params "$NGINX_PREFIX/fastcgi_params"
sed -e "s|@PREFIX@|$NGINX_PREFIX|g" -e "s|@PORT@|$NGINX_PORT|g" -e "s|@BA_PORT@|$BA_PORT|g" \
  -e "s|@SOCKET@|$TODO_VAR/run/todo-fcgi.sock|g" -e "s|@USER@|$(stat -c %U "$TODO_VAR/nginx/tmp")|g" \
  "$ROOT/tests/external/nginx.conf.in" >"$NGINX_PREFIX/nginx.conf"
chown "$(stat -c %U "$TODO_VAR/nginx/tmp")" "$NGINX_PREFIX/tmp"
nginx -q -t -p "$NGINX_PREFIX" -c nginx.conf -e "$NGINX_PREFIX/error.log"
nginx -p "$NGINX_PREFIX" -c nginx.conf -e "$NGINX_PREFIX/error.log"
VIA=http://127.0.0.1:$NGINX_PORT
wait_for 10 curl -sf "$VIA/api/auth/jwks" >/dev/null || fail "nginx did not start"
[[ $(curl -sS "$VIA/api/auth/jwks" | jq -r '.keys[0].kid') == $(jwt_part "$NEW_TOKEN" 0 | jq -r .kid) ]] ||
  fail "/api/auth/jwks through nginx is not Better Auth's"
pass "/api/auth/jwks reaches Better Auth"
status=$(curl -sS -o "$BODY" -w '%{http_code}' -X POST "$VIA/api/auth/sign-in/email" -H "Origin: $VIA" \
  -H 'Content-Type: application/json' \
  --data '{"email":"ada@example.test","password":"correct horse battery staple"}')
[[ $status == 200 ]] || fail "sign-in through nginx: $status $(cat "$BODY")"
pass "/api/auth/sign-in/email (rate limited) reaches Better Auth"
status=$(curl -sS -o "$BODY" -w '%{http_code}' -H "Authorization: Bearer $NEW_TOKEN" "$VIA/api/$SUB/tasks")
[[ $status == 200 ]] || fail "tasks through nginx: $status $(cat "$BODY")"
pass "/api/$SUB/tasks reaches the workers and accepts Better Auth's token"

echo "better auth end to end: $checks checks passed" >&2
