#!/usr/bin/env bash
# Does the binary live within the sandbox of todo-fcgi.service?
#
# This machine has no systemd as PID 1, so the units cannot be started here.
# Instead the binary runs as the units run it (socket activation, --config,
# credentials, an unprivileged user) under strace, through a real session:
# health, register, login, tasks, refresh, logout, a reload (HUP) and a stop
# (TERM). Every system call, file and socket it used is then checked against
# what the unit allows:
#
#   SystemCallFilter=          each call in the unit's allow list
#   MemoryDenyWriteExecute=    no writable+executable mapping, no mprotect(PROT_EXEC)
#   ProtectSystem=strict       no file written outside /tmp, /var/tmp, /dev
#   ProtectHome=               nothing opened under /home, /root, /run/user
#   ProcSubset=pid             nothing in /proc but the process's own entries
#   PrivateDevices=            no device but the pseudo-devices
#   RestrictAddressFamilies=   sockets AF_UNIX, AF_INET, AF_INET6 only
#   IPAddressAllow=localhost   connections to loopback addresses only
#   RestrictNamespaces=        no new namespaces
#   LockPersonality=           no personality change
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
need_binary
need_database
command -v strace >/dev/null || fail "strace is not installed (apt-get install strace)"

UNIT=$TODO_SOURCE_DIR/systemd/todo-fcgi.service
HTTPS_PORT=$(free_port 28463)
HTTP_PORT=$(free_port 28100)
TRACE=$WORK/trace

# The system calls a SystemCallFilter= item stands for, groups expanded.
expand() {
  if [[ $1 == @* ]]; then
    local member
    for member in $(systemd-analyze syscall-filter "$1" | sed -n 's/^    \([^#[:space:]][^[:space:]]*\)$/\1/p'); do
      expand "$member"
    done
  else
    echo "$1"
  fi
}

# The calls the unit's SystemCallFilter= lines allow, one a line: the first
# allow list, plus later allow lists, minus every ~deny list, in order.
allowed_syscalls() {
  local -A allowed=()
  local value item call
  while read -r value; do
    local deny=0
    [[ $value == '~'* ]] && deny=1 && value=${value#\~}
    for item in $value; do
      for call in $(expand "$item"); do
        if ((deny)); then unset "allowed[$call]"; else allowed[$call]=1; fi
      done
    done
  done < <(sed -n 's/^SystemCallFilter=//p' "$UNIT")
  printf '%s\n' "${!allowed[@]}" | sort
}

# A real session through nginx, so that every code path a user reaches runs.
session() {
  local email password token user task jar=$WORK/cookies
  email="sandbox-$(date +%s)-$$@example.org"
  password="Sandbox-$(head -c 12 /dev/urandom | base64 -w 0 | tr -dc 'A-Za-z0-9')"
  api() { "${CURL_HTTPS[@]}" -f -b "$jar" -c "$jar" -H 'Content-Type: application/json' "$@"; }
  api -o /dev/null "$BASE/api/health"
  api -o /dev/null -d "{\"email\":\"$email\",\"password\":\"$password\",\"name\":\"Sandbox\"}" "$BASE/api/auth/register"
  token=$(api -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$BASE/api/auth/login" |
    sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
  [[ -n $token ]] || fail "login gave no access token"
  auth=(-H "Authorization: Bearer $token")
  user=$(api "${auth[@]}" "$BASE/api/auth/me" | sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p')
  task=$(api "${auth[@]}" -d '{"title":"Check the sandbox","description":"under strace"}' "$BASE/api/$user/tasks" |
    sed -n 's/.*"id" *: *"\([^"]*\)".*/\1/p')
  [[ -n $user && -n $task ]] || fail "could not create a task"
  api "${auth[@]}" -o /dev/null "$BASE/api/$user/tasks?status=pending&sort=title&q=sandbox"
  api "${auth[@]}" -o /dev/null -X PATCH "$BASE/api/$user/tasks/$task/complete"
  api "${auth[@]}" -o /dev/null -X PUT -d '{"title":"Checked"}' "$BASE/api/$user/tasks/$task"
  api "${auth[@]}" -o /dev/null -X DELETE "$BASE/api/$user/tasks/$task"
  api -o /dev/null -X POST "$BASE/api/auth/refresh"
  api "${auth[@]}" -o /dev/null -d '{"all":true}' "$BASE/api/auth/logout"
  echo "user $user: registered, logged in, task created, listed, completed, changed, deleted; refreshed, logged out"
}

say "todo-fcgi serve under strace, started as the units start it"
make_service_config "$SERVICE" "TODO_WORKERS=2
TODO_THREADS=2
BCRYPT_COST=10"
run_migrate "$SERVICE" >/dev/null || fail "todo-fcgi migrate failed"
mkdir -p "$TRACE"
# -D keeps the traced binary at the pid systemd-socket-activate gave it, so
# LISTEN_PID still matches; -ff writes one file per process and thread.
start_pool "$SERVICE" "$SOCK" strace -D -ff -qq -s 256 -o "$TRACE/t"
start_site "$HTTPS_PORT" "$HTTP_PORT"
ok "master $MASTER"

say "a session through nginx, then reload (HUP) and stop (TERM)"
session
old=$(workers_of "$MASTER")
kill -HUP "$MASTER"
wait_for 20 bash -c "[[ \$(pgrep -P $MASTER | sort) != \"$(sort <<<"$old")\" ]]" || fail "no new workers after HUP"
session
kill -TERM "$MASTER"
wait "$MASTER" || fail "the master did not exit 0 on TERM"
# ([-] keeps pgrep from finding the very shell that runs it.)
wait_for 30 bash -c "! pgrep -f -- '[-]o $TRACE/t' >/dev/null" || fail "strace did not finish"
ok "$(ls "$TRACE" | wc -l) processes and threads traced"

# Only what the binary did: the master's file starts with setpriv's calls.
master=$TRACE/t.$MASTER
grep -q "^execve(\"$RUN_BIN\"" "$master" || fail "no execve of $RUN_BIN in $master"
sed -i "0,\\|^execve(\"$RUN_BIN\"|{\\|^execve(\"$RUN_BIN\"|!d}" "$master"
cat "$TRACE"/t.* >"$WORK/all"
# Each finding goes to $WORK/violations (the loops below run in subshells).
: >"$WORK/violations"
violation() { printf 'VIOLATION: %s\n' "$*" | tee -a "$WORK/violations"; }

say "system calls against SystemCallFilter= of todo-fcgi.service"
allowed_syscalls >"$WORK/allowed"
sed -n 's/^\([a-z_][a-z0-9_]*\)(.*/\1/p' "$WORK/all" | sort -u >"$WORK/used"
echo "used: $(tr '\n' ' ' <"$WORK/used")"
while read -r call; do
  violation "$call is not allowed by the unit ($(grep -m1 "^$call(" "$WORK/all"))"
done < <(comm -23 "$WORK/used" "$WORK/allowed")
echo "$(wc -l <"$WORK/used") distinct calls, $(wc -l <"$WORK/allowed") allowed"

say "MemoryDenyWriteExecute="
grep -E '^mmap\(.*PROT_WRITE[^,]*PROT_EXEC|^mmap\(.*PROT_EXEC[^,]*PROT_WRITE|^(mprotect|pkey_mprotect)\([^,]*, [^,]*, [^,)]*PROT_EXEC' "$WORK/all" |
  while read -r line; do violation "executable memory: $line"; done || true

say "files: ProtectSystem=strict, ProtectHome=, ProcSubset=pid, PrivateDevices="
sed -n 's/^\(open\|openat\|openat2\|creat\|stat\|newfstatat\|statx\|access\|faccessat2\?\|readlink\|readlinkat\)(\(AT_FDCWD, \)\?"\([^"]*\)".*/\3/p' "$WORK/all" |
  sort -u >"$WORK/paths"
echo "files looked at: $(wc -l <"$WORK/paths"), besides shared libraries:" $(grep -v -E '\.so(\.[0-9]+)*$' "$WORK/paths")
while read -r path; do
  case $path in
  /home/* | /root/* | /run/user/*) violation "ProtectHome: $path" ;;
  /proc/self | /proc/self/* | /proc/thread-self/* | /proc/[0-9]*) ;;
  /proc/sys/vm/overcommit_memory)
    # glibc's malloc, when it shrinks a thread's heap; if it cannot read the
    # file it assumes overcommit is not strict, the default. Harmless.
    echo "tolerated: $path (hidden by ProcSubset=pid; glibc copes)" ;;
  /proc/*) violation "ProcSubset=pid: $path" ;;
  /dev/null | /dev/zero | /dev/full | /dev/random | /dev/urandom | /dev/tty | /dev/shm/* | /dev/pts/*) ;;
  /dev/*) violation "PrivateDevices: $path" ;;
  esac
done <"$WORK/paths"
grep -E '^(open|openat|openat2)\(.*O_(WRONLY|RDWR|CREAT|TRUNC)' "$WORK/all" | grep -v -E '"(/dev/(null|shm/|pts/)|/tmp/|/var/tmp/)' |
  while read -r line; do violation "ProtectSystem=strict, written: $line"; done || true
grep -E '^(mkdir|mkdirat|unlink|unlinkat|rename|renameat2?|link|linkat|symlink|symlinkat|chmod|fchmodat|chown|fchownat|lchown|truncate|mknod|mknodat)\(' "$WORK/all" |
  grep -v -E '"(/tmp/|/var/tmp/|/dev/shm/)' |
  while read -r line; do violation "ProtectSystem=strict, changed: $line"; done || true

say "sockets: RestrictAddressFamilies=, IPAddressAllow=localhost"
sed -n 's/^socket\(pair\)\?(\(AF_[A-Z0-9]*\).*/\2/p' "$WORK/all" | sort | uniq -c
sed -n 's/^socket\(pair\)\?(\(AF_[A-Z0-9]*\).*/\2/p' "$WORK/all" | sort -u | grep -v -x -E 'AF_UNIX|AF_INET|AF_INET6' |
  while read -r family; do violation "RestrictAddressFamilies: $family"; done || true
grep -E '^connect\(.*sa_family=AF_INET6?' "$WORK/all" | grep -o -E 'inet_(addr|pton)\([^)]*\)' | sort | uniq -c
grep -E '^connect\(.*sa_family=AF_INET6?' "$WORK/all" | grep -v -E 'inet_addr\("127\.|inet_pton\(AF_INET6, "(::1|::ffff:127\.)' |
  while read -r line; do violation "IPAddressAllow=localhost: $line"; done || true

say "RestrictNamespaces=, LockPersonality="
grep -E '^(unshare|setns|clone3?)\(.*CLONE_NEW' "$WORK/all" | while read -r line; do violation "namespace: $line"; done || true
grep -E '^personality\(' "$WORK/all" | grep -v 'personality(0xffffffff)' |
  while read -r line; do violation "personality: $line"; done || true

say "verdict"
[[ ! -s $WORK/violations ]] || fail "$(wc -l <"$WORK/violations") things the sandbox of todo-fcgi.service would refuse (above)"
ok "everything the binary did is allowed by todo-fcgi.service"
