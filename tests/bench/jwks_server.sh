# Sourced by stack.sh: the benchmark's external issuer, a JWKS served over
# http on loopback by an nginx of its own (the service accepts http for a
# loopback JWKS URL), and its users and tokens (mint_external).
#
#   external_issuer_up      mints the key and tokens into $WORK/external,
#                           serves jwks.json on 127.0.0.1:$BENCH_JWKS_PORT and
#                           exports EXTERNAL_JWKS_URL and EXTERNAL_ISSUER for
#                           the stack about to start
#   external_issuer_down    stops that nginx
#   seed_external_users     the issuer's users as rows (as the service admits
#                           them), with TASKS_PER_USER tasks each, so that (g)
#                           lists what (b) lists
# shellcheck shell=bash

JWKS_PORT=${BENCH_JWKS_PORT:-28099}
EXTERNAL_DIR=$WORK/external
EXTERNAL_USERS_N=${BENCH_EXTERNAL_USERS_N:-200}
EXTERNAL_TOKENS_N=${BENCH_EXTERNAL_TOKENS_N:-80000}

external_issuer_up() {
  mkdir -p "$EXTERNAL_DIR/logs"
  export EXTERNAL_ISSUER=https://bench-issuer.example
  export EXTERNAL_JWKS_URL=http://127.0.0.1:$JWKS_PORT/jwks.json
  say "an external issuer: Ed25519 key, $EXTERNAL_TOKENS_N uncached tokens, JWKS on $EXTERNAL_JWKS_URL"
  "$TODO_BUILD_DIR/mint_external" "$EXTERNAL_DIR" "$EXTERNAL_ISSUER" "$EXTERNAL_USERS_N" "$EXTERNAL_TOKENS_N"
  cat >"$EXTERNAL_DIR/nginx.conf" <<CONF
daemon on;
worker_processes 1;
pid $EXTERNAL_DIR/nginx.pid;
error_log $EXTERNAL_DIR/logs/error.log;
events {}
http {
  access_log off;
  server {
    listen 127.0.0.1:$JWKS_PORT;
    root $EXTERNAL_DIR;
    location = /jwks.json { default_type application/json; }
    location / { return 404; }
  }
}
CONF
  external_issuer_down
  nginx -p "$EXTERNAL_DIR" -c "$EXTERNAL_DIR/nginx.conf" -e "$EXTERNAL_DIR/logs/error.log"
  wait_for 10 curl -sf -o /dev/null "$EXTERNAL_JWKS_URL"
}

external_issuer_down() {
  [ -f "$EXTERNAL_DIR/nginx.pid" ] || return 0
  local pid
  pid=$(cat "$EXTERNAL_DIR/nginx.pid")
  kill "$pid" 2>/dev/null || true
  wait_for 10 gone "$pid" || true
  rm -f "$EXTERNAL_DIR/nginx.pid"
}

seed_external_users() {
  local tasks=$1
  say "seeding $EXTERNAL_USERS_N external users with $tasks tasks each"
  owner_sql -v issuer="$EXTERNAL_ISSUER" <<SQL
CREATE TEMP TABLE subjects (id text);
\\copy subjects FROM '$EXTERNAL_DIR/external.users'
INSERT INTO users (id, email, issuer) SELECT id, id || '@bench.example', :'issuer' FROM subjects;
$(tasks_sql "SELECT id FROM subjects" "$tasks")
SQL
}
