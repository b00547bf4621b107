# tests/lib/common.sh: what the test scripts share (sourced, not run).
# shellcheck shell=bash
#
#   ROOT, TODO              the checkout, and its ./todo
#   say MESSAGE...          a progress line on stderr: "==> MESSAGE"
#   wait_for SECONDS CMD... runs CMD every 0.1 s until it succeeds; fails
#                           after SECONDS
#   gone PID                true when process PID has exited
#   workers_of PID          the worker processes of the master PID (its
#                           children), one pid a line, sorted
#
# For scripts that run a stack of their own through ./todo, its settings in
# the TODO_* environment (TODO_VAR, ports, build directory, ...):
#
#   stack_up_fresh [WRAPPER...]  ./todo stack-up (run under WRAPPER, if given)
#                           on an empty database and worker log, so nothing
#                           of an earlier run decides this one; then loads
#                           its stack.env (TODO_TEST_URL, ...)
#   stack_down              ./todo stack-down, waiting until nginx has
#                           drained, so the next stack can bind its ports
#   stack_workers           the worker processes of that stack's pool

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TODO=$ROOT/todo

say() { printf '==> %s\n' "$*" >&2; }

wait_for() {
  local seconds=$1 i
  shift
  for ((i = 0; i < seconds * 10; i++)); do
    if "$@" 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  return 1
}

gone() { ! kill -0 "$1" 2>/dev/null; }

workers_of() { pgrep -P "$1" | sort || true; }

stack_workers() { workers_of "$(cat "$TODO_VAR/run/todo-fcgi.pid")"; }

# nginx drains in-flight requests on quit (a login storm's can take seconds).
stack_down() {
  local nginx_pid
  nginx_pid=$(cat "$TODO_VAR/nginx/nginx.pid" 2>/dev/null || true)
  "$TODO" stack-down >/dev/null 2>&1 || true
  [ -z "$nginx_pid" ] || wait_for 30 gone "$nginx_pid" || true
}

stack_up_fresh() {
  stack_down
  rm -rf "$TODO_VAR/pg" "$TODO_VAR/log/todo-fcgi.log"
  "$@" "$TODO" stack-up || return
  set -a
  . "$TODO_VAR/stack.env"
  set +a
}
