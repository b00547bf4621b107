# Sourced by run.sh and profile.sh (after tests/lib/common.sh): the settings
# of the benchmark's own stack and how to bring it up seeded.
#
#   bench_stack_up          a fresh stack (var/bench, https://127.0.0.1:28443,
#                           PostgreSQL :25432) from the Release build in
#                           $TODO_BUILD_DIR (default build-bench), seeded with
#                           readers, writers and refresh sessions (seed.sh),
#                           and trusting an external issuer of its own whose
#                           users have as many tasks (jwks_server.sh)
#   bench_env               what the wrk scripts read, for a stack already up
#
# Settings (environment): BENCH_READERS_N (200), BENCH_WRITERS_N (200),
# BENCH_TASKS_PER_USER (20), BENCH_SESSIONS_N (see seed.sh), TODO_WORKERS (2),
# TODO_THREADS (4; the defaults of ./todo on 2 cores), BCRYPT_COST (12).
# shellcheck shell=bash

BENCH=$ROOT/tests/bench

export TODO_VAR=${BENCH_VAR:-$ROOT/var/bench}
export TODO_HTTPS_PORT=${BENCH_HTTPS_PORT:-28443}
export TODO_HTTP_PORT=${BENCH_HTTP_PORT:-28080}
export TODO_PG_PORT=${BENCH_PG_PORT:-25432}
export TODO_BUILD_DIR=${TODO_BUILD_DIR:-$ROOT/build-bench}
export TODO_WORKERS=${TODO_WORKERS:-2}
export TODO_THREADS=${TODO_THREADS:-4}
export BCRYPT_COST=${BCRYPT_COST:-12}
# Measure the service, not the log disk or the password-guessing limit.
export TODO_NGINX_ACCESS_LOG=off
export TODO_AUTH_RATE=1000000r/s
# The tokens minted at seeding must outlive a run that waits for a quiet
# machine between rows (the default of 15 minutes would not).
export ACCESS_TOKEN_TTL=${BENCH_ACCESS_TOKEN_TTL:-86400}

READERS_N=${BENCH_READERS_N:-200}
WRITERS_N=${BENCH_WRITERS_N:-200}
TASKS_PER_USER=${BENCH_TASKS_PER_USER:-20}
PASSWORD=bench-Password-4711
URL=https://127.0.0.1:$TODO_HTTPS_PORT
WORK=$TODO_VAR/bench

# shellcheck source=seed.sh
. "$BENCH/seed.sh"
# shellcheck source=jwks_server.sh
. "$BENCH/jwks_server.sh"

# A fresh database each run (earlier runs' writes would change what the list
# reads, and spent refresh tokens cannot be spent again), seeded.
bench_stack_up() {
  external_issuer_down
  rm -rf "$WORK"
  external_issuer_up
  stack_up_fresh
  seed_users "$WORK" "$READERS_N" "$WRITERS_N" "$TASKS_PER_USER" "$PASSWORD"
  seed_external_users "$TASKS_PER_USER"
  # Now, not during the first rows: autovacuum's work after the seeding's
  # inserts would be counted against whichever row runs while it does it.
  owner_sql -c "VACUUM (ANALYZE) users, tasks, sessions"
}

bench_env() {
  set -a
  . "$TODO_VAR/stack.env"
  set +a
  export BENCH_LUA_DIR=$BENCH BENCH_READERS=$WORK/readers.tokens \
    BENCH_WRITERS=$WORK/writers.tokens BENCH_PASSWORD=$PASSWORD \
    BENCH_EXTERNAL_CACHED=$EXTERNAL_DIR/external-cached.tokens \
    BENCH_EXTERNAL_UNCACHED=$EXTERNAL_DIR/external-uncached.tokens
}
