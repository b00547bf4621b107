# tests/multihost/measure.sh: the load, what it measured, and the verdicts
# (sourced by run.sh).
# shellcheck shell=bash
#
#   load_start NAME SECONDS  wrk with load.lua from the client host, in the
#                            background (its pid in LOAD_PID); files in $RUN/NAME
#   load_end NAME            waits for it, prints what it saw
#   mark NAME EVENT          notes the time of EVENT (epoch seconds, ms)
#   at NAME EVENT            that time
#   requests NAME            nginx's access log lines of NAME's load:
#                            end|duration|status|request line|upstreams|
#                            upstream statuses (a method changed by an
#                            error page shows in the request line only)
#   writes_intact DIR HOST   every create answered 201 (DIR's files) is on
#                            HOST exactly once
#   verdict TEXT CMD...      one line: ok or FAILED, counted
#   result NAME RECOVERY     its row of the summary table

now() { date +%s.%N | cut -c1-14; }
mark() { now >"$RUN/$1/$2"; }
at() { cat "$RUN/$1/$2"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", b - a}'; }

# A connection makes a request every 25 ms at most: 8 connections give some
# 250 requests a second, enough to see every failure without starving the
# pools of this 2-core machine.
load_start() {
  local name=$1 seconds=$2
  mkdir -p "$RUN/$name"
  mark "$name" started
  MH_LOG_DIR=$RUN/$name MH_SCENARIO=$name MH_MAX_REQUESTS=5000 MH_DELAY_MS=25 \
    on client wrk -t2 -c8 -d"${seconds}s" --timeout 40s -s "$HERE/load.lua" "http://${ADDR[nginx]}" \
    >"$RUN/$name/wrk.log" 2>&1 &
  LOAD_PID=$!
}

load_end() {
  local name=$1 dir=$RUN/$1
  wait "$LOAD_PID" || true
  mark "$name" ended
  sed -n 's/^LOAD //p' "$dir/wrk.log" >"$dir/load.json"
  sed -n 's/^BENCH //p' "$dir/wrk.log" >"$dir/bench.json"
  [ -s "$dir/load.json" ] || { cat "$dir/wrk.log" >&2; return 1; }
  jq -r --slurpfile b "$dir/bench.json" '"    requests: \(.sent) sent, \(.answered) answered (" +
      (.statuses | to_entries | map("\(.key): \(.value)") | join(", ")) +
      "), socket errors \($b[0].socket_errors), longest wait \($b[0].max_us / 1e6 * 100 | round / 100) s"' \
    "$dir/load.json" >&2
}

# Answers other than 200 and 201, as "status count" lines.
failures() { jq -r '.statuses | to_entries[] | select(.key != "200" and .key != "201") | "\(.key) \(.value)"' \
  "$RUN/$1/load.json"; }
failed_count() { failures "$1" | awk '{n += $2} END {print n + 0}'; }
json_field() { jq -r "$2" "$RUN/$1/load.json"; }
socket_errors() { jq -r .socket_errors "$RUN/$1/bench.json"; }
longest_wait() { jq -r '.max_us / 1e6' "$RUN/$1/bench.json"; }

requests() {
  awk -F'|' -v a="$(at "$1" started)" -v b="$(at "$1" ended)" '$1 >= a && $1 <= b + 1' "$STATE/nginx/access.log"
}

# Every title the load sent is in HOST's tasks at most once; every create
# answered 201 is there exactly once, with its id and its whole description.
# Read as the superuser (row-level security would hide other users' rows),
# in one read-only statement, so a hot standby can answer it too.
writes_intact() {
  local dir=$1 counts acked once twice unacked half
  if ! grep -qs . "$dir"/acked-*; then
    echo "    no create was answered 201" >&2
    return 1
  fi
  counts=$(pg_sql "$2" <<SQL | tr '|' ' '
WITH sent (title) AS (VALUES $(cat "$dir"/sent-* | sql_rows)),
     acked (title, id) AS (VALUES $(cat "$dir"/acked-* | sql_rows)),
     per_title AS (SELECT s.title, count(t.id) AS n FROM sent s LEFT JOIN tasks t USING (title) GROUP BY s.title)
SELECT (SELECT count(*) FROM acked),
       (SELECT count(*) FROM acked a JOIN per_title p USING (title)
          WHERE p.n = 1 AND EXISTS (SELECT 1 FROM tasks t WHERE t.id::text = a.id AND t.title = a.title)),
       (SELECT count(*) FROM per_title WHERE n > 1),
       (SELECT count(*) FROM per_title p WHERE n = 1 AND NOT EXISTS (SELECT 1 FROM acked a WHERE a.title = p.title)),
       (SELECT count(*) FROM tasks t JOIN sent s USING (title) WHERE t.description IS DISTINCT FROM t.title || ' in full');
SQL
  )
  read -r acked once twice unacked half <<<"$counts"
  echo "    creates answered 201: $acked, on $2 exactly once: $once, lost: $((acked - once));" \
    "titles twice: $twice; unanswered creates present: $unacked; rows not whole: $half" >&2
  echo "$((acked - once))" >"$dir/lost-writes"
  [ "$once" -eq "$acked" ] && [ "$twice" -eq 0 ] && [ "$half" -eq 0 ]
}

# Lines of space-separated words (titles, ids: letters, digits, dashes) as
# the rows of a VALUES list.
sql_rows() { awk -v q="'" '{ printf "%s(%s%s%s", (NR > 1 ? "," : ""), q, $1, q; if (NF > 1) printf ",%s%s%s", q, $2, q; printf ")" }'; }

failed_verdicts=0 passed_verdicts=0
verdict() {
  if "${@:2}"; then
    printf '    ok: %s\n' "$1" >&2
    passed_verdicts=$((passed_verdicts + 1))
  else
    printf '    FAILED: %s\n' "$1" >&2
    failed_verdicts=$((failed_verdicts + 1))
  fi
}

# One row of the summary table: requests, failures by status, longest wait,
# recovery, lost writes.
result() {
  local name=$1 recovery=$2 fails
  fails=$(failures "$name" | awk '{printf "%s%s: %s", sep, $1, $2; sep = ", "}')
  printf '| %s | %s | %s | %s s | %s | %s |\n' "$name" "$(json_field "$name" .sent)" "${fails:-none}" \
    "$(longest_wait "$name" | awk '{printf "%.2f", $1}')" "$recovery" "$(cat "$RUN/$name/lost-writes")" >>"$RUN/results.md"
}
