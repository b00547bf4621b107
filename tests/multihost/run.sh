#!/usr/bin/env bash
# todo-fcgi beyond one machine, with one part lost under load: a test bed of
# network namespaces (bed.sh: nginx, two worker hosts, a PostgreSQL primary
# and its synchronous standby, a client), the todo-fcgi of $TODO_BUILD_DIR
# (default build/), and four scenarios, each under a bounded mix of task reads
# and creates (load.lua) sent through nginx:
#
#   worker-dies   w1's processes all SIGKILLed, back 8 s later
#   worker-cut    w2's link down (silence, no RST) for 12 s
#   upgrade       each worker host in turn stopped and started on a newer build
#   db-failover   pg1 lost (link down, processes killed), pg2 promoted 3 s later
#
# Each prints requests sent, answers per status, the longest wait, the creates
# answered 201 and how many of them the database lacks (lost), then checks
# what docs/deployment.md promises. The table of results goes to
# $STATE/run/results.md.
#
#   tests/multihost/run.sh [SCENARIO...]   default: all four, in that order
#
# Needs root (namespaces, nftables), wrk, jq, nftables, postgresql, nginx.
# Traffic stays on the bed's own 192.0.2.0/24 inside its namespaces; every load
# is bounded in time (wrk -d) and count (MH_MAX_REQUESTS). Everything is torn
# down on exit, whatever happened.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=../bench/seed.sh
source "$ROOT/tests/bench/seed.sh"
HERE=$ROOT/tests/multihost
for part in bed pg hosts measure scenarios; do
  # shellcheck source=/dev/null
  source "$HERE/$part.sh"
done

BUILD=${TODO_BUILD_DIR:-$ROOT/build}
STATE=${MULTIHOST_VAR:-$ROOT/var/multihost}
RUN=$STATE/run
# The clusters live where the postgres user can reach them, whoever owns the checkout.
PG_STATE=/var/tmp/todo-multihost-$(printf '%s' "$STATE" | sha1sum | cut -c1-12)

teardown() {
  say "teardown: every process on the bed, its namespaces, the clusters"
  pg_down
  bed_down
  rm -rf "$PG_STATE"
}

# A run killed before its trap could run leaves namespaces; a live one has its
# pid in the state directory.
clear_leftovers() {
  [ -n "$(bed_leftovers)" ] || return 0
  if kill -0 "$(cat "$STATE/owner.pid" 2>/dev/null)" 2>/dev/null; then
    echo "another multi-host run (pid $(cat "$STATE/owner.pid")) owns the ${MH}* namespaces" >&2
    exit 1
  fi
  say "removing what an earlier run left"
  teardown
}

seed() {
  export TODO_TEST_URL=http://${ADDR[nginx]} TODO_TEST_OWNER_DATABASE_URL
  export TODO_TEST_CONFIG=$STATE/w1/todo-fcgi.env TODO_BUILD_DIR=$BUILD
  TODO_TEST_OWNER_DATABASE_URL=$(owner_url)
  on client bash -c "source '$ROOT/tests/lib/common.sh'; source '$ROOT/tests/bench/seed.sh'
                     seed_users '$STATE/seed' 20 20 10 multihost-Password-4711"
  export BENCH_LUA_DIR=$ROOT/tests/bench BENCH_READERS=$STATE/seed/readers.tokens \
    BENCH_WRITERS=$STATE/seed/writers.tokens
}

# The bed's own promises, before any scenario leans on them.
bed_checks() {
  verdict "pg2 is pg1's synchronous standby" pg_standby_in_sync
  verdict "nginx reaches w1's FastCGI port" on nginx timeout 2 bash -c "exec 3<>/dev/tcp/${ADDR[w1]}/$FASTCGI_PORT"
  verdict "no other host does (IPAddressAllow= emulated)" \
    bash -c "! ip netns exec ${MH}client timeout 2 bash -c 'exec 3<>/dev/tcp/${ADDR[w1]}/$FASTCGI_PORT' 2>/dev/null"
  verdict "w1 reaches no host but the databases" \
    bash -c "! ip netns exec ${MH}w1 timeout 2 bash -c 'exec 3<>/dev/tcp/${ADDR[nginx]}/80' 2>/dev/null"
}

bed_start() {
  bed_up
  pg_up
  (umask 077 && openssl rand -base64 48 | tr -d '\n' >"$STATE/secrets/jwt_secret")
  say "w1, w2: todo-fcgi pools ($WORKERS workers x $THREADS threads) on port $FASTCGI_PORT"
  pool_up w1
  pool_up w2
  nginx_up
  seed
  bed_checks
}

main() {
  local wanted=("$@") scenario started began=$SECONDS
  [ ${#wanted[@]} -gt 0 ] || wanted=(worker-dies worker-cut upgrade db-failover)
  [ "$(id -u)" -eq 0 ] || { echo "multihost: needs root (network namespaces)" >&2; exit 1; }
  clear_leftovers
  rm -rf "$STATE"
  mkdir -p "$RUN" "$STATE/secrets"
  echo $$ >"$STATE/owner.pid"
  trap teardown EXIT
  trap 'exit 130' INT TERM
  bed_start
  printf '| scenario | requests | failed, by status | longest wait | recovery | lost writes |\n|---|---|---|---|---|---|\n' \
    >"$RUN/results.md"
  for scenario in "${wanted[@]}"; do
    started=$SECONDS
    "scenario_${scenario//-/_}"
    say "$scenario took $((SECONDS - started)) s"
  done
  cat "$RUN/results.md" >&2
  echo "multihost: $((SECONDS - began)) s in all" >&2
  echo "multihost: $passed_verdicts passed, $failed_verdicts failed" >&2
  [ "$failed_verdicts" -eq 0 ]
}

main "$@"
