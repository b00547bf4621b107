# tests/multihost/pg.sh: the bed's two PostgreSQL hosts (sourced by run.sh).
# shellcheck shell=bash
#
# pg1 is the primary. pg2 is made from it with pg_basebackup -R (which writes
# primary_conninfo and standby.signal) and streams from it; pg1 lists it in
# synchronous_standby_names with synchronous_commit on, so a commit returns
# only once pg2 has flushed its WAL: an acknowledged write exists on both.
# pg2 names no synchronous standby itself, so once promoted it commits alone.
#
#   pg_up                 both hosts, the roles and the database, pg2 in sync
#   pg_sql HOST [DB]      psql on the client host, as a superuser, to HOST
#   pg_lose HOST          the host's link down, then SIGKILL to its processes:
#                         a power cut, so its clients hear nothing, not a RST
#   pg_promote HOST       pg_ctl promote, as an operator or failover manager would
#   pg_down               stops what still runs, frees what a killed one left
#   app_url, owner_url    libpq URLs naming both hosts, read-write one wanted

PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
PG_PORT=5432

as_postgres() { runuser -u postgres -- "$@"; }

# Passwords of this run: openssl hex, nothing to escape in a URL.
password() {
  local file=$STATE/secrets/$1
  [ -s "$file" ] || (umask 077 && mkdir -p "$STATE/secrets" && openssl rand -hex 16 >"$file")
  cat "$file"
}

pg_data() { echo "$PG_STATE/$1/data"; }

# libpq's multi-host URL, as DATABASE_URL on each worker host. Each host gets
# DB_CONNECT_TIMEOUT; target_session_attrs=read-write passes over a standby.
# Keepalives and tcp_user_timeout make a host that went silent an error in
# seconds instead of TCP's quarter of an hour (docs/deployment.md).
both_hosts_url() {
  printf 'postgresql://%s:%s@%s:%s,%s:%s/todo?target_session_attrs=read-write%s' "$1" "$(password "$1")" \
    "${ADDR[pg1]}" "$PG_PORT" "${ADDR[pg2]}" "$PG_PORT" \
    '&keepalives_idle=2&keepalives_interval=1&keepalives_count=2&tcp_user_timeout=4000'
}
app_url() { both_hosts_url todo_app; }
owner_url() { both_hosts_url todo_owner; }
admin_url() { echo "postgresql://mh_admin:$(password mh_admin)@${ADDR[$1]}:$PG_PORT/${2:-todo}"; }

pg_sql() { on client psql "$(admin_url "$@")" -qAt -v ON_ERROR_STOP=1; }

pg_start() {  # pg_start HOST [-c SETTING]...
  local host=$1 dir=$PG_STATE/$1
  shift
  on "$host" runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" -w -t 60 start \
    -o "-c listen_addresses=${ADDR[$host]} -c port=$PG_PORT -c unix_socket_directories=$dir -c max_connections=50 $*" \
    >/dev/null
}

pg_primary() {
  local dir=$PG_STATE/pg1
  mkdir -p "$dir/data"
  chown -R postgres: "$PG_STATE"
  chmod 700 "$dir/data"
  as_postgres "$PG_BIN/initdb" -D "$dir/data" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >/dev/null
  cat >>"$dir/data/pg_hba.conf" <<EOF
host all         all        192.0.2.0/24 scram-sha-256
host replication replicator 192.0.2.0/24 scram-sha-256
EOF
  pg_start pg1
  as_postgres "$PG_BIN/psql" -h "$dir" -p "$PG_PORT" -U postgres -qAt -v ON_ERROR_STOP=1 >/dev/null <<SQL
CREATE ROLE mh_admin LOGIN SUPERUSER PASSWORD '$(password mh_admin)';
CREATE ROLE replicator LOGIN REPLICATION PASSWORD '$(password replicator)';
CREATE ROLE todo_owner LOGIN PASSWORD '$(password todo_owner)';
CREATE ROLE todo_app LOGIN PASSWORD '$(password todo_app)';
CREATE DATABASE todo OWNER todo_owner;
REVOKE ALL ON DATABASE todo FROM PUBLIC;
GRANT CONNECT ON DATABASE todo TO todo_app;
SQL
}

pg_standby() {
  local dir=$PG_STATE/pg2
  mkdir -p "$dir"
  chown postgres: "$dir"
  on pg2 runuser -u postgres -- "$PG_BIN/pg_basebackup" -D "$dir/data" -R -X stream -c fast \
    -d "host=${ADDR[pg1]} port=$PG_PORT user=replicator password=$(password replicator) application_name=pg2"
  pg_start pg2
}

pg_standby_in_sync() {
  [ "$(pg_sql pg1 postgres <<<"SELECT sync_state FROM pg_stat_replication WHERE application_name = 'pg2'")" = sync ]
}

pg_up() {
  say "pg1: PostgreSQL primary on ${ADDR[pg1]}; pg2: its synchronous standby on ${ADDR[pg2]}"
  pg_primary
  pg_standby
  # Only now: with no standby yet, every commit on pg1 would wait for one.
  # ALTER SYSTEM writes pg1's postgresql.auto.conf, which pg2 copied before.
  pg_sql pg1 postgres <<<"ALTER SYSTEM SET synchronous_standby_names = 'pg2'; SELECT pg_reload_conf()" >/dev/null
  wait_for 30 pg_standby_in_sync || { echo "pg2 never became pg1's synchronous standby" >&2; return 1; }
}

pg_lose() {
  on "$1" ip link set eth0 down
  kill_host "$1"
}

pg_promote() { on "$1" runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$(pg_data "$1")" -w promote >/dev/null; }

# A postmaster killed with SIGKILL leaves its small System V segment behind;
# its id is on line 7 of postmaster.pid. A stopped one removes its own.
pg_down() {
  local host pid_file shmid
  for host in pg1 pg2; do
    pid_file=$(pg_data "$host")/postmaster.pid
    [ -f "$pid_file" ] || continue
    on "$host" runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$(pg_data "$host")" -m immediate -w stop \
      >/dev/null 2>&1 || true
    [ -f "$pid_file" ] || continue
    shmid=$(sed -n '7{s/^ *[0-9]* *//;p}' "$pid_file")
    if [ -n "$shmid" ] && ipcs -m | awk -v id="$shmid" '$2 == id && $6 == 0 {f = 1} END {exit !f}'; then
      ipcrm -m "$shmid"
    fi
  done
}
