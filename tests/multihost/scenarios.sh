# tests/multihost/scenarios.sh: the four scenarios (sourced by run.sh). Each
# runs the load, breaks one part of the bed on a schedule, then checks.
# shellcheck shell=bash

# From upstream-multi-host.conf.example and snippets/fastcgi.conf.
FAIL_TIMEOUT=5 CONNECT_TIMEOUT=2
# What one request may take on this busy 2-core machine, on top of a timeout.
ONE_REQUEST=1
PRIMARY=pg1

# Attempts nginx made on HOST's pool for requests that started between two
# times (a request tried on two hosts names both).
attempts_on() {
  requests "$1" | awk -F'|' -v h="${ADDR[$2]}:" -v a="$3" -v b="$4" \
    '$1 - $2 >= a && $1 - $2 < b && index($5, h) {n++} END {print n + 0}'
}

# Seconds from a time until HOST's pool first answered a request with 2xx
# (the last host a request was tried on is the one that answered).
back_after() {
  requests "$1" | awk -F'|' -v h="${ADDR[$2]}:" -v t="$3" '
    !seen && $1 - $2 >= t && $3 ~ /^2/ { n = split($5, tried, ", "); if (index(tried[n], h) == 1) {seen = 1; back = $1 - $2 - t} }
    END {if (seen) printf "%.1f\n", back; else print "never"}'
}

# Reads answered otherwise than 200 (499: the client left, at the load's end).
failed_reads() { requests "$1" | awk -F'|' '$4 ~ /^GET / && $3 != 200 && $3 != 499' | wc -l; }

# Every failed answer has one of the statuses allowed.
failures_among() { [ -z "$(failures "$1" | awk -v ok=" $2 " 'index(ok, " " $1 " ") == 0')" ]; }

# Failed answers number at most a host's threads (its requests in flight),
# each with one of the statuses allowed.
few_failures() { [ "$(failed_count "$1")" -le $((WORKERS * THREADS)) ] && failures_among "$@"; }

# After the first fail_timeout nginx tries a lost host at most once per
# fail_timeout (its probe), until it is back.
left_alone() {
  local name=$1 host=$2 from to tries allowed
  from=$(awk -v t="$3" -v f="$FAIL_TIMEOUT" 'BEGIN {printf "%.3f", t + f}')
  to=$4
  tries=$(attempts_on "$name" "$host" "$from" "$to")
  allowed=$(awk -v a="$from" -v b="$to" -v f="$FAIL_TIMEOUT" 'BEGIN {print int((b - a) / f) + 1}')
  echo "    attempts on $host from ${FAIL_TIMEOUT} s after its loss until its return: $tries (probes allowed: $allowed)" >&2
  [ "$tries" -le "$allowed" ]
}

common_verdicts() {
  local name=$1
  verdict "every error answer is JSON ($(json_field "$name" .not_json) not)" test "$(json_field "$name" .not_json)" -eq 0
  verdict "no socket error or client timeout ($(socket_errors "$name"))" test "$(socket_errors "$name")" -eq 0
  verdict "no 500" test "$(json_field "$name" '.statuses."500" // 0')" -eq 0
  verdict "every create answered 201 is in the database once, whole; none twice" writes_intact "$RUN/$name" "$PRIMARY"
}

scenario_worker_dies() {
  local name=worker-dies back
  say "$name: every process of w1 SIGKILLed under load, w1 started again 8 s later"
  load_start "$name" 24
  sleep 6
  kill_host w1
  mark "$name" lost
  sleep 8
  mark "$name" restarting
  pool_up w1
  mark "$name" returned
  load_end "$name"
  common_verdicts "$name"
  verdict "reads all answered 200" test "$(failed_reads "$name")" -eq 0
  verdict "failures only the dead host's in-flight requests, each a 502" few_failures "$name" 502
  verdict "no answer took over ${CONNECT_TIMEOUT} s (no hang)" \
    awk -v w="$(longest_wait "$name")" -v c="$CONNECT_TIMEOUT" 'BEGIN {exit !(w <= c)}'
  verdict "nginx left w1 alone within fail_timeout" left_alone "$name" w1 "$(at "$name" lost)" "$(at "$name" restarting)"
  back=$(back_after "$name" w1 "$(at "$name" returned)")
  echo "    w1 answered again $back s after its pool was up" >&2
  verdict "w1 gets work again within fail_timeout" awk -v b="$back" -v f="$FAIL_TIMEOUT" 'BEGIN {exit !(b != "never" && b <= f + 1)}'
  result "$name" "w1 back in rotation after $back s"
}

# The requests w2 held when its link went down (sent to it before, and waiting
# longer than LIMIT: for the link, or for fastcgi_read_timeout) and all others,
# as "held held_longest others_failed others_longest".
cut_figures() {
  requests "$1" | awk -F'|' -v cut="$2" -v limit="$3" -v h="${ADDR[w2]}:" '
    $3 == 499 {next}
    $2 > limit && $1 - $2 < cut && index($5, h) == 1 { held++; if ($2 > held_max) held_max = $2; next }
    { if ($3 !~ /^2/) failed++; if ($2 > max) max = $2 }
    END {printf "%d %.2f %d %.2f\n", held, held_max, failed, max}'
}

scenario_worker_cut() {
  local name=worker-cut back held held_longest failed longest limit=$((CONNECT_TIMEOUT + ONE_REQUEST))
  say "$name: w2's link down (silence) for 12 s under load"
  load_start "$name" 32
  sleep 6
  on w2 ip link set eth0 down
  mark "$name" lost
  sleep 12
  on w2 ip link set eth0 up
  mark "$name" returned
  load_end "$name"
  common_verdicts "$name"
  read -r held held_longest failed longest <<<"$(cut_figures "$name" "$(at "$name" lost)" "$limit")"
  echo "    held by w2 at the cut: $held (longest $held_longest s); others: $failed failed, longest $longest s" >&2
  verdict "failures only among w2's in-flight requests, at most its threads" \
    test "$failed" -eq 0 -a "$held" -le $((WORKERS * THREADS))
  verdict "no other request waited over connect timeout + one request ($limit s)" \
    awk -v l="$longest" -v m="$limit" 'BEGIN {exit !(l <= m)}'
  verdict "nginx left w2 alone within fail_timeout" left_alone "$name" w2 "$(at "$name" lost)" "$(at "$name" returned)"
  back=$(back_after "$name" w2 "$(at "$name" returned)")
  echo "    w2 answered again $back s after its link came back" >&2
  verdict "w2 gets work again within fail_timeout and a connect timeout" \
    awk -v b="$back" -v f=$((FAIL_TIMEOUT + CONNECT_TIMEOUT)) 'BEGIN {exit !(b != "never" && b <= f + 1)}'
  result "$name" "w2 back in rotation after $back s; $held requests held by the cut ($held_longest s)"
}

# The same binary with the next version string: a newer build of the same
# size, told apart by --version and by the path its processes run from. The
# string is patched wherever it ends a string: the linker may keep "0.1.0"
# only as the tail of a longer one ("todo-fcgi/0.1.0", libcurl's User-Agent).
next_build() {
  local current next
  current=$("$BUILD/todo-fcgi" --version | awk '{print $2}')
  next=$(perl -e '($v = shift) =~ s/(\d)$/($1 + 1) % 10/e; print $v' "$current")
  perl -0777 -pe "\$n = s/\\Q$current\\E(?=\\0)/$next/g; END { exit(\$n < 1) }" \
    "$BUILD/todo-fcgi" >"$STATE/todo-fcgi-next" || return 1
  chmod +x "$STATE/todo-fcgi-next"
  echo "$next"
}

runs_build() {  # runs_build HOST BINARY VERSION
  [ "$(readlink "/proc/$(pool_master "$1")/exe")" = "$2" ] && [ "$("$2" --version)" = "todo-fcgi $3" ]
}

scenario_upgrade() {
  local name=upgrade version host
  version=$(next_build) || { verdict "a newer build made from $BUILD/todo-fcgi" false; return; }
  say "$name: w1, then w2, stopped and started on todo-fcgi $version under load"
  load_start "$name" 30
  for host in w1 w2; do
    sleep 5
    mark "$name" "$host-stopped"
    verdict "$host replaced by the new build" pool_upgrade "$host" "$STATE/todo-fcgi-next"
    mark "$name" "$host-started"
    echo "    $host served by todo-fcgi $version after" \
      "$(elapsed "$(at "$name" "$host-stopped")" "$(at "$name" "$host-started")") s" >&2
  done
  load_end "$name"
  common_verdicts "$name"
  verdict "zero failed requests" test "$(failed_count "$name")" -eq 0
  for host in w1 w2; do
    verdict "$host runs todo-fcgi $version" runs_build "$host" "$STATE/todo-fcgi-next" "$version"
  done
  result "$name" "no gap: requests wait in the socket's backlog during each restart"
}

# Every create acknowledged so far is on the standby too: synchronous
# replication at work. The answers are taken first, then the primary's WAL
# position, which pg2's replay (trailing its flush a moment) must reach.
standby_has_all() {
  local snapshot=$RUN/$1/before-loss lsn
  mkdir -p "$snapshot"
  cp "$RUN/$1"/sent-* "$RUN/$1"/acked-* "$snapshot/"
  lsn=$(pg_sql pg1 <<<"SELECT pg_current_wal_lsn()")
  wait_for 10 replayed_to pg2 "$lsn" && writes_intact "$snapshot" pg2
}

replayed_to() { [ "$(pg_sql "$1" <<<"SELECT pg_last_wal_replay_lsn() >= '$2'")" = t ]; }

# Seconds from the promotion to the end of the last failed answer, and of
# the last slow one (over one request's time: after the loss, each thread's
# first connection waits DB_CONNECT_TIMEOUT on pg1 before it tries pg2).
# 499: the client left, at the load's end.
recovery_figures() {
  requests "$1" | awk -F'|' -v t="$2" -v slow="$ONE_REQUEST" '
    $3 == 499 {next}
    $3 !~ /^2/ && $1 > failed {failed = $1}
    $2 > slow && $1 > slowest {slowest = $1}
    END {printf "%.1f %.1f\n", (failed ? failed - t : 0), (slowest ? slowest - t : 0)}'
}

scenario_db_failover() {
  local name=db-failover pools failed slow
  say "$name: pg1 lost (link down, processes killed) under load, pg2 promoted 3 s later"
  pools="$(pool_processes w1) $(pool_processes w2)"
  load_start "$name" 30
  sleep 5
  verdict "before: every create acknowledged so far is on pg2 too" standby_has_all "$name"
  pg_lose pg1
  mark "$name" lost
  sleep 3
  pg_promote pg2
  mark "$name" promoted
  PRIMARY=pg2
  load_end "$name"
  common_verdicts "$name"
  verdict "503s while there was no primary" test "$(json_field "$name" '.statuses."503" // 0')" -gt 0
  verdict "no failure but 503" failures_among "$name" 503
  read -r failed slow <<<"$(recovery_figures "$name" "$(at "$name" promoted)")"
  echo "    after the promotion: last failed answer at +$failed s, last slow one at +$slow s" >&2
  verdict "service again by itself, at full speed, within 10 s of the promotion" \
    awk -v f="$failed" -v s="$slow" 'BEGIN {exit !(f <= 10 && s <= 10)}'
  verdict "the same worker processes, none restarted" test "$pools" = "$(pool_processes w1) $(pool_processes w2)"
  result "$name" "last 503 at +$failed s, full speed at +$slow s after the promotion (pg1 lost 3 s before it)"
}
