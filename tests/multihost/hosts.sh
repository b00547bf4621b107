# tests/multihost/hosts.sh: the bed's worker hosts and its nginx host
# (sourced by run.sh).
# shellcheck shell=bash
#
# A worker host is what the deployment manual's scale-out section makes: the
# pool on TCP port 9000 behind a socket it does not own (socket-unit.pl
# holds it, as todo-fcgi.socket would), DATABASE_URL naming both database
# hosts, the JWT secret shared by all hosts. Its files are in $STATE/<host>.
#
#   pool_up HOST          starts the socket and the pool (migrations first)
#   pool_master HOST      pid of the pool's master process
#   pool_ready HOST       true once that master runs all its workers
#   pool_upgrade HOST BIN stops the pool and starts BIN in its place, the
#                         socket staying open (migrations first, as the units do)
#   nginx_up              nginx on the nginx host

WORKERS=2 THREADS=4

pool_dir() { echo "$STATE/$1"; }

worker_env() {
  cat <<EOF
DATABASE_URL=$(app_url)
MIGRATION_DATABASE_URL=$(owner_url)
JWT_SECRET_FILE=$STATE/secrets/jwt_secret
DB_CONNECT_TIMEOUT=2
TODO_WORKERS=$WORKERS
TODO_THREADS=$THREADS
BCRYPT_COST=10
EOF
}

migrate_on() { on "$1" "$2" migrate --config "$(pool_dir "$1")/todo-fcgi.env" | sed 's/^/    /' >&2; }

pool_up() {
  local host=$1 dir
  dir=$(pool_dir "$host")
  mkdir -p "$dir"
  [ -s "$dir/binary" ] || echo "$BUILD/todo-fcgi" >"$dir/binary"
  (umask 077 && worker_env >"$dir/todo-fcgi.env")
  migrate_on "$host" "$(cat "$dir/binary")"
  rm -f "$dir/service.pid"
  on "$host" perl "$HERE/socket-unit.pl" "${ADDR[$host]}" "$FASTCGI_PORT" "$dir" >>"$dir/todo-fcgi.log" 2>&1 &
  wait_for 20 pool_ready "$host" || { tail -n 20 "$dir/todo-fcgi.log" >&2; return 1; }
}

pool_master() { cat "$(pool_dir "$1")/service.pid" 2>/dev/null; }
pool_processes() { { pool_master "$1"; workers_of "$(pool_master "$1")"; } | tr "\n" " "; }

pool_ready() {
  local master
  master=$(pool_master "$1") && [ -n "$master" ] && [ "$(workers_of "$master" | wc -l)" -eq "$WORKERS" ]
}

pool_upgrade() {
  local host=$1 binary=$2 dir old
  dir=$(pool_dir "$host")
  old=$(pool_master "$host")
  migrate_on "$host" "$binary"
  echo "$binary" >"$dir/binary"
  kill -TERM "$old"
  wait_for 30 pool_replaced "$host" "$old"
}

pool_replaced() { [ "$(pool_master "$1")" != "$2" ] && pool_ready "$1"; }

# nginx.conf from nginx.conf.in, in a prefix laid out like /etc/nginx: the
# shared snippets under snippets/todo-fcgi/, Debian's fastcgi_params.
nginx_up() {
  local prefix=$STATE/nginx
  say "nginx: ${ADDR[nginx]}:80, upstream from nginx/upstream-multi-host.conf.example"
  mkdir -p "$prefix/snippets" "$prefix/tmp"
  ln -sfn "$ROOT/nginx/snippets" "$prefix/snippets/todo-fcgi"
  ln -sf /etc/nginx/fastcgi_params "$prefix/fastcgi_params"
  sed -e "s|@PREFIX@|$prefix|g" -e "s|@ROOT@|$ROOT|g" -e "s|@ADDRESS@|${ADDR[nginx]}|g" \
    "$HERE/nginx.conf.in" >"$prefix/nginx.conf"
  on nginx nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log" -t -q
  on nginx nginx -p "$prefix" -c "$prefix/nginx.conf" -e "$prefix/error.log"
}
