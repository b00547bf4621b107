#!/usr/bin/env bash
# The binary as the units start it, behind the production nginx site.
#
#   todo-fcgi migrate   as todo-fcgi-migrate.service: --config, the credential
#                       migration_database_url, an unprivileged user
#   todo-fcgi serve     as todo-fcgi.socket + todo-fcgi.service: the socket
#                       passed by systemd-socket-activate (fd 3, LISTEN_FDS),
#                       started by the first connection, --config, credentials
#                       jwt_secret and database_url
#   nginx               the production site with only ports, certificate and
#                       paths changed, the shared snippets as they are
#
# Then through nginx: health, the static app and its cache headers, the
# security headers, TLS versions and ciphers, HTTP/2, the HTTP redirect, and
# a clean drain on SIGTERM.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
need_binary
need_database

HTTPS_PORT=$(free_port 28443)
HTTP_PORT=$(free_port 28080)

say "configuration as the package ships it, credentials as the units pass them"
make_service_config "$SERVICE" "TODO_WORKERS=2
TODO_THREADS=2"
ok "$SERVICE/todo-fcgi.env, creds/{jwt_secret,database_url}, creds-migrate/migration_database_url"

say "todo-fcgi migrate, as todo-fcgi-migrate.service runs it"
run_migrate "$SERVICE" || fail "todo-fcgi migrate failed"
ok "migrate exits 0"

say "todo-fcgi serve behind systemd-socket-activate -l $SOCK"
start_pool "$SERVICE" "$SOCK"
ok "listening (the binary starts on the first connection), master pid $MASTER"

say "nginx: the production site on 127.0.0.1:$HTTPS_PORT (HTTPS) and :$HTTP_PORT (HTTP)"
start_site "$HTTPS_PORT" "$HTTP_PORT"
ok "nginx -t passes without warnings; nginx running"

say "GET /api/health through nginx (this first connection starts the service)"
body=$("${CURL_HTTPS[@]}" -D "$WORK/health.headers" "$BASE/api/health") || fail "health request failed"
echo "$body"
grep -q '^HTTP/2 200' "$WORK/health.headers" || fail "health: $(head -1 "$WORK/health.headers")"
[[ $(tr -d ' \n' <<<"$body") == '{"status":"ok","database":"ok"}' ]] || fail "health body: $body"
wait_for 10 test "$(workers_of "$MASTER" | wc -l)" -eq 2 || fail "expected 2 workers under $MASTER"
ok "200 $body; master $MASTER runs $(workers_of "$MASTER" | wc -l) workers"

say "security headers on API answers, static files and errors"
for path in /api/health / /js/main.js /no-such-file /api/no-such-route; do
  "${CURL_HTTPS[@]}" -o /dev/null -D "$WORK/h" "$BASE$path"
  for header in strict-transport-security content-security-policy x-content-type-options referrer-policy; do
    grep -qi "^$header:" "$WORK/h" || fail "$path: no $header header ($(head -1 "$WORK/h"))"
  done
  grep -qi '^strict-transport-security:.*max-age=63072000' "$WORK/h" || fail "$path: HSTS is not two years"
  echo "$path: $(head -1 "$WORK/h" | tr -d '\r'), all four headers"
done
ok "HSTS, CSP, nosniff and Referrer-Policy everywhere"

say "the static app: revalidated on every load, 304 when unchanged"
for path in / /index.html /js/main.js /css/app.css; do
  "${CURL_HTTPS[@]}" -o /dev/null -D "$WORK/h" "$BASE$path"
  grep -q '^HTTP/2 200' "$WORK/h" || fail "$path: $(head -1 "$WORK/h")"
  grep -qi '^cache-control: no-cache' "$WORK/h" || fail "$path: Cache-Control is not no-cache"
  etag=$(sed -n 's/^etag: *//Ip' "$WORK/h" | tr -d '\r')
  [[ -n $etag ]] || fail "$path: no ETag"
  code=$("${CURL_HTTPS[@]}" -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag" "$BASE$path")
  [[ $code == 304 ]] || fail "$path: If-None-Match gave $code, not 304"
  echo "$path: 200, no-cache, ETag $etag, 304 on revalidation"
done
type=$("${CURL_HTTPS[@]}" -o /dev/null -w '%{content_type}' "$BASE/js/main.js")
[[ $type == application/javascript* || $type == text/javascript* ]] || fail "js served as $type"
ok "index.html, js and css: no-cache + ETag; modules as $type"

say "TLS: 1.2 and 1.3 with forward-secret AEAD suites only; HTTP/2"
"${CURL_HTTPS[@]}" -o /dev/null --tlsv1.3 "$BASE/api/health" || fail "TLS 1.3 refused"
"${CURL_HTTPS[@]}" -o /dev/null --tlsv1.2 --tls-max 1.2 "$BASE/api/health" || fail "TLS 1.2 refused"
# The test certificate is ECDSA: the same key exchange and signature, with and
# without an AEAD cipher.
"${CURL_HTTPS[@]}" -o /dev/null --tlsv1.2 --tls-max 1.2 --ciphers ECDHE-ECDSA-AES128-GCM-SHA256 "$BASE/api/health" ||
  fail "TLS 1.2 with ECDHE-ECDSA-AES128-GCM-SHA256 refused"
for cipher in ECDHE-ECDSA-AES128-SHA ECDHE-ECDSA-AES256-SHA384; do
  if "${CURL_HTTPS[@]}" -o /dev/null --tlsv1.2 --tls-max 1.2 --ciphers "$cipher" "$BASE/api/health" 2>/dev/null; then
    fail "the CBC suite $cipher was accepted"
  fi
done
version=$("${CURL_HTTPS[@]}" -o /dev/null -w '%{http_version}' "$BASE/")
[[ $version == 2 ]] || fail "HTTP version $version, not 2"
ok "TLS 1.3, TLS 1.2 with AES-GCM accepted; CBC suites refused; HTTP/2"

say "plain HTTP redirects to HTTPS"
curl -sS -o /dev/null -D "$WORK/h" -H "Host: $HOST" "http://127.0.0.1:$HTTP_PORT/js/main.js?x=1"
grep -q '^HTTP/1.1 301' "$WORK/h" || fail "HTTP: $(head -1 "$WORK/h")"
grep -qi "^location: https://$HOST/js/main.js?x=1" "$WORK/h" || fail "HTTP: $(grep -i '^location' "$WORK/h")"
ok "301 to https://$HOST/js/main.js?x=1"

say "one log line per request on stderr (the journal, under systemd)"
id=$(sed -n 's/^x-request-id: *//Ip' "$WORK/health.headers" | tr -d '\r')
[[ -n $id ]] || fail "no X-Request-Id on the health answer"
grep -F -- "$id" "$SERVICE/service.log" || fail "request $id is not in the service's log"
[[ $(grep -c -F -- "$id" "$SERVICE/service.log") == 1 ]] || fail "request $id logged more than once"
ok "request $id logged once"

say "SIGTERM drains and exits 0 (todo-fcgi.service: KillMode=mixed)"
kill -TERM "$MASTER"
status=0
wait "$MASTER" || status=$?
((status == 0)) || fail "the master exited $status after SIGTERM"
[[ -z $(pgrep -f -- "$RUN_BIN serve --config $SERVICE" || true) ]] || fail "processes left after the master exited"
ok "exit 0, no process left"
