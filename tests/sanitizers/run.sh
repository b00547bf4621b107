#!/usr/bin/env bash
# The unit and integration tests under AddressSanitizer + UndefinedBehavior-
# Sanitizer, and the worker pool under ThreadSanitizer. Fails on any
# sanitizer report, from a test binary or from the running todo-fcgi.
#
#   tests/sanitizers/run.sh [asan] [tsan]      (default: both)
#
# asan: build-asan (g++, -DTODO_SANITIZE=address,undefined); unit tests; a
#       stack under var/asan (https :38443, PostgreSQL :35432) running the
#       sanitized todo-fcgi; the integration tests against it.
# tsan: build-tsan (g++, -DTODO_SANITIZE=thread); unit tests; a stack under
#       var/tsan (https :48443, PostgreSQL :45432) running the TSan todo-fcgi
#       (2 workers x 8 threads); 20 s of concurrent wrk load on it (reads,
#       writes and a login storm at once).
#
# Every sanitized process writes its reports to $VAR/log/sanitizer.<pid>
# (log_path), so a report in a worker cannot hide in a log: any such file
# fails the run, and is printed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"
# shellcheck source=../bench/seed.sh
source "$ROOT/tests/bench/seed.sh"

HERE=$ROOT/tests/sanitizers
STAGES=("$@")
[ ${#STAGES[@]} -gt 0 ] || STAGES=(asan tsan)

failures=0
fail() { printf 'sanitizers: FAILED: %s\n' "$*" >&2; failures=$((failures + 1)); }

# stack_env NAME HTTPS HTTP PG: the environment of one sanitized stack, as the
# CTest fixture sets it for the ordinary test stack (CMakeLists.txt TEST_ENV).
stack_env() {
  export TODO_VAR=$ROOT/var/$1 TODO_HTTPS_PORT=$2 TODO_HTTP_PORT=$3 TODO_PG_PORT=$4
  export TODO_BUILD_DIR=$ROOT/build-$1 TODO_SOURCE_DIR=$ROOT TODO_ARTIFACTS_DIR=$ROOT/var/$1/artifacts
  export TODO_WORKERS=2 TODO_THREADS=${SAN_THREADS:-4} BCRYPT_COST=10 TODO_AUTH_RATE=${SAN_AUTH_RATE:-300r/m}
  export TODO_TEST_ADMIN=1 REFRESH_REUSE_GRACE=2
  mkdir -p "$TODO_VAR/log"
}

build() {  # build NAME SANITIZERS TARGET...
  local dir=$ROOT/build-$1 sanitize=$2
  shift 2
  say "building $* with -fsanitize=$sanitize in $dir"
  cmake -S "$ROOT" -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTODO_SANITIZE="$sanitize" >/dev/null
  cmake --build "$dir" -j"$(nproc)" --target "$@" >"$dir/build.log" 2>&1 || {
    tail -n 40 "$dir/build.log" >&2
    return 1
  }
}

# Reports from every sanitized process of this stage go to files, never only
# to a stderr someone may not read. halt_on_error: a test fails at its first
# report; a worker dies (and the file says why).
sanitizer_options() {
  local log=$TODO_VAR/log/sanitizer
  rm -f "$log".*
  export ASAN_OPTIONS="log_path=$log:detect_leaks=1:abort_on_error=0:halt_on_error=1:detect_stack_use_after_return=1"
  export LSAN_OPTIONS="suppressions=$HERE/lsan.supp:print_suppressions=0"
  export UBSAN_OPTIONS="log_path=$log:halt_on_error=1:print_stacktrace=1:suppressions=$HERE/ubsan.supp"
  export TSAN_OPTIONS="log_path=$log:halt_on_error=0:second_deadlock_stack=1:suppressions=$HERE/tsan.supp"
}

# Fails the stage when any sanitized process wrote a report.
check_reports() {
  local stage=$1 file found=0
  for file in "$TODO_VAR"/log/sanitizer.*; do
    [ -e "$file" ] || continue
    found=1
    echo "----- $file" >&2
    head -n 80 "$file" >&2
  done
  if grep -h "WARNING: ThreadSanitizer\|ERROR: AddressSanitizer\|runtime error:\|ERROR: LeakSanitizer" \
      "$TODO_VAR/log/todo-fcgi.log" 2>/dev/null | head -n 20 >&2; then
    found=1
  fi
  [ "$found" -eq 0 ] || fail "$stage: sanitizer reports (above)"
}

run_asan() {
  stack_env asan 38443 38080 35432
  build asan address,undefined todo-fcgi unit_tests integration_tests || { fail "asan: build"; return; }
  sanitizer_options
  say "asan: unit tests"
  "$TODO_BUILD_DIR/unit_tests" --log_level=error || fail "asan: unit tests"
  say "asan: integration tests against a stack running the sanitized todo-fcgi"
  if stack_up_fresh; then
    "$TODO" with-stack-env "$TODO_BUILD_DIR/integration_tests" --log_level=error ||
      fail "asan: integration tests"
  else
    fail "asan: the stack did not come up"
  fi
  stack_down
  check_reports asan
}

# Loads the TSan stack with everything at once: list reads, creates, logins.
tsan_load() {
  local work=$TODO_VAR/load
  seed_users "$work" 20 20 20 bench-Password-4711 || return 1
  say "tsan: 20 s of reads, writes and logins at once"
  wrk -t2 -c16 -d20s --timeout 10s -s "$ROOT/tests/bench/e_login.lua" "$TODO_TEST_URL" >"$work/login.log" 2>&1 &
  local storm=$!
  wrk -t2 -c64 -d20s --timeout 10s -s "$ROOT/tests/bench/d_mix.lua" "$TODO_TEST_URL" >"$work/mix.log" 2>&1 || true
  wait "$storm" || true
  sed -n 's/^BENCH //p' "$work/mix.log" "$work/login.log" >&2
  # The load must have been served, or the run proved nothing.
  local served
  served=$(sed -n 's/^BENCH //p' "$work/mix.log" | jq '.requests - .status_errors - .socket_errors')
  [ "${served:-0}" -gt 100 ] || { fail "tsan: the load was not served (${served:-0} good answers)"; return 1; }
}

run_tsan() {
  SAN_THREADS=8 SAN_AUTH_RATE=100000r/s stack_env tsan 48443 48080 45432
  build tsan thread todo-fcgi unit_tests mint_tokens || { fail "tsan: build"; return; }
  sanitizer_options
  # TSan's runtime in g++ 12 needs its fixed memory layout: without ASLR it
  # cannot collide with a randomised mapping.
  local norandom=()
  setarch "$(uname -m)" -R true 2>/dev/null && norandom=(setarch "$(uname -m)" -R)
  say "tsan: unit tests"
  "${norandom[@]}" "$TODO_BUILD_DIR/unit_tests" --log_level=error || fail "tsan: unit tests"
  say "tsan: the worker pool under concurrent load"
  if stack_up_fresh "${norandom[@]}"; then
    tsan_load || fail "tsan: load"
  else
    fail "tsan: the stack did not come up"
  fi
  stack_down
  check_reports tsan
}

failed_stages=0
for stage in "${STAGES[@]}"; do
  started=$SECONDS
  before=$failures
  case $stage in
    asan) run_asan ;;
    tsan) run_tsan ;;
    *) echo "unknown stage $stage (asan, tsan)" >&2; exit 2 ;;
  esac
  [ "$failures" -eq "$before" ] || failed_stages=$((failed_stages + 1))
  say "$stage took $((SECONDS - started)) s"
done
echo "sanitizers: $((${#STAGES[@]} - failed_stages)) passed, $failed_stages failed" >&2
[ "$failed_stages" -eq 0 ]
