# tests/deploy/lib.sh: helpers for the deployment tests (sourced, not run),
# besides those of tests/lib/common.sh (say, wait_for, gone, workers_of).
#
# The tests run as root on a disposable machine (they install the package,
# start nginx and the binary as other users). CTest's stack fixture provides
# TODO_SOURCE_DIR, TODO_BUILD_DIR, TODO_TEST_DATABASE_URL and
# TODO_TEST_OWNER_DATABASE_URL; the first two default to this checkout and
# its build/ directory.

source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

TODO_SOURCE_DIR=${TODO_SOURCE_DIR:-$ROOT}
TODO_BUILD_DIR=${TODO_BUILD_DIR:-$TODO_SOURCE_DIR/build}
BIN=$TODO_BUILD_DIR/todo-fcgi
SITE=$TODO_SOURCE_DIR/nginx/todo-fcgi.conf
HOST=todo.example.org

ok() { printf 'ok: %s\n' "$*"; }
fail() {
  printf 'FAIL: %s\n' "$*" >&2
  exit 1
}

# A private scratch directory, removed at exit with everything started in it.
# Others (nginx's workers, the binary as nobody) must be able to enter it.
WORK=$(mktemp -d /tmp/todo-deploy.XXXXXX)
chmod 0755 "$WORK"
# Where a test keeps the service's configuration (make_service_config), the
# pool's socket and the nginx prefix; what it shows when it fails.
SERVICE=$WORK/service
SOCK=$WORK/todo-fcgi.sock
NGINX_PREFIX=$WORK/nginx
ON_FAILURE='tail -n 30 "$SERVICE/service.log" "$NGINX_PREFIX/logs/error.log" 2>/dev/null'
CLEANUP=()
defer() { CLEANUP+=("$*"); }
on_exit() {
  local status=$? i
  if ((status != 0)) && [[ -n ${ON_FAILURE:-} ]]; then eval "$ON_FAILURE" || true; fi
  for ((i = ${#CLEANUP[@]} - 1; i >= 0; i--)); do eval "${CLEANUP[i]}" || true; done
  rm -rf "$WORK"
  exit "$status"
}
trap on_exit EXIT

need_root() { [[ $(id -u) == 0 ]] || fail "must run as root (starts nginx as www-data, installs packages)"; }

# The checkout may sit in a private home directory, out of reach of the users
# things run as here (nginx's workers as www-data, the binary as nobody), so
# they get copies: the binary (RUN_BIN) and the app under $WORK.
need_binary() {
  [[ -x $BIN ]] || fail "no binary at $BIN: build first (cmake --build $TODO_BUILD_DIR)"
  mkdir -p "$WORK/bin"
  cp "$BIN" "$WORK/bin/todo-fcgi"
  RUN_BIN=$WORK/bin/todo-fcgi
  cp -r "$TODO_SOURCE_DIR/frontend" "$WORK/frontend"
  chmod -R a+rX "$WORK/bin" "$WORK/frontend"
}

need_database() {
  [[ -n ${TODO_TEST_DATABASE_URL:-} && -n ${TODO_TEST_OWNER_DATABASE_URL:-} ]] ||
    fail "TODO_TEST_DATABASE_URL and TODO_TEST_OWNER_DATABASE_URL are not set: run through ctest (the stack fixture)"
}

# Replaces every occurrence of the literal text $2 in file $1 by $3; fails if
# $2 does not occur, so a changed production file cannot slip past a test.
replace() {
  local file=$1 from=$2 to=$3 text
  text=$(<"$file")
  [[ $text == *"$from"* ]] || fail "$file: expected to find: $from"
  printf '%s\n' "${text//"$from"/"$to"}" >"$file"
}

# A self-signed certificate for $HOST in $1/cert.pem and $1/key.pem.
make_cert() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj "/CN=$HOST" -addext "subjectAltName=DNS:$HOST" \
    -keyout "$1/key.pem" -out "$1/cert.pem" 2>/dev/null
}

# An nginx configuration directory laid out as Debian's /etc/nginx, in $1: the
# same nginx.conf essentials, the shared snippets (the repository's, linked),
# and the production site copied to sites-enabled/todo-fcgi with only its
# certificate paths changed. Callers adapt the copy further where paths must
# differ. Prints nothing; the site copy is $1/sites-enabled/todo-fcgi.
make_nginx_prefix() {
  local p=$1
  mkdir -p "$p/sites-enabled" "$p/snippets" "$p/tmp" "$p/logs"
  chown www-data "$p/tmp"
  ln -s /etc/nginx/mime.types /etc/nginx/fastcgi_params /etc/nginx/fastcgi.conf "$p/"
  ln -s "$TODO_SOURCE_DIR/nginx/snippets" "$p/snippets/todo-fcgi"
  cat >"$p/nginx.conf" <<EOF
user www-data;
worker_processes 2;
pid $p/nginx.pid;
error_log $p/logs/error.log notice;
events { worker_connections 1024; }
http {
    sendfile on;
    tcp_nopush on;
    types_hash_max_size 2048;
    include mime.types;
    default_type application/octet-stream;
    access_log $p/logs/access.log;
    gzip on;
    client_body_temp_path $p/tmp/body;
    fastcgi_temp_path $p/tmp/fastcgi;
    proxy_temp_path $p/tmp/proxy;
    uwsgi_temp_path $p/tmp/uwsgi;
    scgi_temp_path $p/tmp/scgi;
    include sites-enabled/*;
}
EOF
  make_cert "$p"
  cp "$SITE" "$p/sites-enabled/todo-fcgi"
  replace "$p/sites-enabled/todo-fcgi" "/etc/letsencrypt/live/$HOST/fullchain.pem" "$p/cert.pem"
  replace "$p/sites-enabled/todo-fcgi" "/etc/letsencrypt/live/$HOST/privkey.pem" "$p/key.pem"
}

# nginx -t on the prefix $1; fails on any warning, prints nginx's words.
nginx_test() {
  local out
  out=$(nginx -t -q -p "$1" -c "$1/nginx.conf" -e "$1/logs/error.log" 2>&1) ||
    fail "nginx -t: $out"
  [[ -z $out ]] || fail "nginx -t warns: $out"
}

# Makes the prefix $1 serve on 127.0.0.1:$2 (HTTPS) and :$3 (HTTP), the app
# from the copy of frontend/ (need_binary), /api/ from the unix socket $4.
adapt_site_for_local_run() {
  local site=$1/sites-enabled/todo-fcgi
  replace "$site" "listen 443 ssl http2;" "listen 127.0.0.1:$2 ssl http2;"
  replace "$site" "listen [::]:443 ssl http2;" ""
  replace "$site" "listen 80;" "listen 127.0.0.1:$3;"
  replace "$site" "listen [::]:80;" ""
  replace "$site" "root /usr/share/todo-fcgi/frontend;" "root $WORK/frontend;"
  replace "$site" "server unix:/run/todo-fcgi/todo-fcgi.sock;" "server unix:$4;"
}

# The first TCP port from $1 up that nothing listens on (others run test and
# benchmark stacks on this machine too).
free_port() {
  local port=$1
  while [[ -n $(ss -H -l -t -n "( sport = :$port )") ]]; do port=$((port + 1)); done
  echo "$port"
}

start_nginx() {
  nginx -p "$1" -c "$1/nginx.conf" -e "$1/logs/error.log"
  defer "stop_nginx '$1'"
  wait_for 10 test -s "$1/nginx.pid" || fail "nginx did not start: $(cat "$1/logs/error.log")"
}

# The production site in $NGINX_PREFIX (make_nginx_prefix), serving on
# 127.0.0.1:$1 (HTTPS) and :$2 (HTTP) with /api/ on $SOCK, checked by nginx -t
# and started; CURL_HTTPS and BASE aim at it.
start_site() {
  make_nginx_prefix "$NGINX_PREFIX"
  adapt_site_for_local_run "$NGINX_PREFIX" "$1" "$2" "$SOCK"
  nginx_test "$NGINX_PREFIX"
  start_nginx "$NGINX_PREFIX"
  set_https_port "$1"
}

stop_nginx() {
  local pid
  pid=$(cat "$1/nginx.pid" 2>/dev/null) || return 0
  kill -QUIT "$pid" 2>/dev/null || return 0
  wait_for 10 gone "$pid" || kill -KILL "$pid"
}

# The configuration and credentials the units give the binary, in $1:
#   $1/todo-fcgi.env   the shipped example (all defaults) plus the lines in $2
#   $1/creds/          credentials of todo-fcgi.service: jwt_secret, database_url
#   $1/creds-migrate/  credentials of todo-fcgi-migrate.service: migration_database_url
# readable by nobody, the user the binary runs as in these tests.
make_service_config() {
  local dir=$1 extra=$2
  mkdir -p "$dir/creds" "$dir/creds-migrate"
  { cat "$TODO_SOURCE_DIR/systemd/todo-fcgi.env"; printf '\n# test settings\n%s\n' "$extra"; } >"$dir/todo-fcgi.env"
  head -c 48 /dev/urandom | base64 -w 0 >"$dir/creds/jwt_secret"
  printf '%s' "$TODO_TEST_DATABASE_URL" >"$dir/creds/database_url"
  printf '%s' "$TODO_TEST_OWNER_DATABASE_URL" >"$dir/creds-migrate/migration_database_url"
  chown -R nobody:nogroup "$dir/creds" "$dir/creds-migrate"
  chmod 0700 "$dir/creds" "$dir/creds-migrate"
  chmod 0644 "$dir/todo-fcgi.env"
}

# As the units run the binary: as an unprivileged user, configuration from
# --config, secrets from $CREDENTIALS_DIRECTORY. (Not as todo-fcgi: the package
# test is the one that creates that user.)
AS_SERVICE_USER=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)

# Runs `todo-fcgi migrate` as todo-fcgi-migrate.service does.
run_migrate() {
  CREDENTIALS_DIRECTORY=$1/creds-migrate "${AS_SERVICE_USER[@]}" "$RUN_BIN" migrate --config "$1/todo-fcgi.env"
}

# Starts `todo-fcgi serve` behind the socket $2 the way todo-fcgi.socket does:
# systemd-socket-activate binds the socket and, on the first connection, execs
# the binary with it as fd 3 (LISTEN_FDS=1, LISTEN_PID=its pid) and, like
# systemd, a clean environment but for what -E passes. Extra words ($3...) go
# before the binary (e.g. a tracer). The socket gets the unit's mode: 0660,
# group www-data. Sets MASTER to the pid; stderr goes to $1/service.log.
start_pool() {
  local dir=$1 sock=$2
  shift 2
  systemd-socket-activate -l "$sock" -E "CREDENTIALS_DIRECTORY=$dir/creds" \
    "$@" "${AS_SERVICE_USER[@]}" "$RUN_BIN" serve --config "$dir/todo-fcgi.env" \
    >"$dir/service.out" 2>"$dir/service.log" &
  MASTER=$!
  defer "stop_pool $MASTER"
  wait_for 10 test -S "$sock" || fail "systemd-socket-activate did not create $sock"
  chgrp www-data "$sock"
  chmod 0660 "$sock"
}

stop_pool() {
  kill -TERM "$1" 2>/dev/null || return 0
  wait_for 30 gone "$1" || kill -KILL -- "$1"
}

# curl against the test nginx on HTTPS port $PORT, verifying the certificate
# for $HOST; extra arguments follow.
CURL_HTTPS=()
set_https_port() {
  PORT=$1
  CURL_HTTPS=(curl -sS --max-time 20 --resolve "$HOST:$PORT:127.0.0.1" --cacert "$NGINX_PREFIX/cert.pem")
  BASE=https://$HOST:$PORT
}

# The Debian package, built by CPack from $TODO_BUILD_DIR into $WORK/pkg: sets
# DEB to its path, checks its name carries its version and the binary's.
build_deb() {
  [[ -f $TODO_BUILD_DIR/CPackConfig.cmake ]] || fail "no CPackConfig.cmake in $TODO_BUILD_DIR (cmake/Packaging.cmake not included?)"
  (cd "$WORK" && cpack -G DEB --config "$TODO_BUILD_DIR/CPackConfig.cmake" -B "$WORK/pkg" >"$WORK/cpack.log" 2>&1) ||
    fail "cpack: $(tail -n 20 "$WORK/cpack.log")"
  local debs=("$WORK"/pkg/todo-fcgi_*_amd64.deb) version
  [[ ${#debs[@]} == 1 && -f ${debs[0]} ]] || fail "expected one todo-fcgi_<version>_amd64.deb, got: $(ls "$WORK/pkg")"
  DEB=${debs[0]}
  version=$(dpkg-deb -f "$DEB" Version)
  [[ $(basename "$DEB") == "todo-fcgi_${version}_amd64.deb" ]] || fail "file name $(basename "$DEB") does not carry version $version"
  [[ $("$BIN" --version) == "todo-fcgi $version" ]] || fail "package version $version, binary says $("$BIN" --version)"
}

# Fails unless every request to PATH in the nginx access log $1 got a 200,
# but for those the load generator abandoned when its time was up (499, at
# most one for each of its $2 connections); and unless nginx's error log $3
# has no error. Prints the counts.
no_failed_requests() {
  local log=$1 connections=$2 errors=$3 path=${4:-/api/health} logged aborted failed
  logged=$(grep -c "\"[A-Z]* $path" "$log" || true)
  aborted=$(grep "\"[A-Z]* $path" "$log" | grep -c '" 499 ' || true)
  failed=$(grep "\"[A-Z]* $path" "$log" | grep -v -c -E '" (200|499) ' || true)
  echo "nginx access log: $logged requests, $aborted closed by the client at its end, $failed failed"
  ((logged > 0)) || fail "no request reached nginx"
  ((failed == 0)) || fail "$failed requests did not get 200: $(grep "\"[A-Z]* $path" "$log" | grep -v -E '" (200|499) ' | head -3)"
  ((aborted <= connections)) || fail "$aborted requests abandoned by the client (499), more than its $connections connections"
  ! grep -E '\[(error|crit|alert|emerg)\]' "$errors" || fail "nginx logged errors"
}
