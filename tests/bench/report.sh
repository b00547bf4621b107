# Sourced by run.sh: the table of $RESULTS as Markdown and JSON in
# bench-results/, each row with its share of the bare responder's requests/s
# at the same connection count, and the targets judged.
# shellcheck shell=bash

# Rows measured when the load average was above this get no share (QUIET_LOAD).
REPORT_JQ_DEFS='
  def loaded($r): $r.load_before > $quiet;
  def bare($r): first(.rows[] | select(.scenario == "bare" and .connections == $r.connections)) // null;
  def share($r): bare($r) as $b |
    if $b == null then "–"
    elif loaded($r) or loaded($b) then "no share: load \([$r.load_before, $b.load_before] | max)"
    else "\($r.rps / $b.rps * 100 | round) %" end;
  def r1($x): $x * 10 | round / 10;
  def r2($x): $x * 100 | round / 100;
  def cpu($r): if $r.cpu_us then
      "\($r.cpu_us.nginx | round) + \($r.cpu_us.app | round) + \($r.cpu_us.postgres | round) + \($r.cpu_us.wrk | round) = \($r.cpu_us.total | round)"
    else "–" end;
'

write_report() {
  local stamp=$1 md=$OUT_DIR/bench-$1.md json=$OUT_DIR/bench-$1.json
  mkdir -p "$OUT_DIR"
  jq -s --arg stamp "$stamp" --arg workers "$TODO_WORKERS" --arg threads "$TODO_THREADS" \
    --arg duration "$DURATION" --argjson jwt "${JWT_NS:-null}" --argjson json "${JSON_NS:-null}" \
    --argjson query "${QUERY_NS:-null}" --arg commit "$(commit)" --arg machine "$(machine)" \
    --argjson quiet "$QUIET_LOAD" \
    '{when: $stamp, commit: $commit, machine: $machine, workers: ($workers | tonumber),
      threads: ($threads | tonumber), duration: $duration, quiet_load: $quiet,
      jwt_verify_ns: $jwt, json_parse_validate_ns: $json, query_parse_validate_ns: $query,
      rows: .}' "$RESULTS" >"$json"
  report_markdown "$json" >"$md"
  ln -sfn "bench-$stamp.md" "$OUT_DIR/latest.md"
  ln -sfn "bench-$stamp.json" "$OUT_DIR/latest.json"
  cat "$md"
  say "written $md and $json"
}

report_markdown() {
  jq -r --argjson quiet "$QUIET_LOAD" "$REPORT_JQ_DEFS"'
    "# Benchmark \(.when)\n\nCommit \(.commit); \(.machine); \(.workers) workers x \(.threads) threads; wrk \(.duration) per row.\n",
    "| row | conns | req/s | share of bare | p50 ms | p99 ms | errors | CPU µs/req: nginx + app + pg + wrk | worker RSS MB | load before | what |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    (. as $all | .rows[] | . as $r |
      "| \(.scenario) | \(.connections) | \(if .exhausted then "ran out of tokens" else (.rps | floor) end) | \($all | share($r)) | \(r2(.p50_ms)) | \(r2(.p99_ms)) | \(.errors)\(if .timeouts > 0 then " (\(.timeouts) timeouts)" else "" end) | \(cpu($r)) | \(r1(.worker_rss_max_mb)) | \(.load_before) | \(.what) |"),
    "",
    "In-process: JWT verify \(.jwt_verify_ns) ns; JSON create body parse+validate \(.json_parse_validate_ns) ns; list query parse+validate \(.query_parse_validate_ns) ns.",
    "",
    "share of bare: requests/s as a share of the bare responder'"'"'s at the same connections; none when the 1-minute load average before either row was above \($quiet).",
    "errors: responses >= 400 (for a404: other than 404) + socket errors and timeouts (5 s). CPU: user + system time of nginx, the worker pool, PostgreSQL and wrk over the row, per request (clock ticks, so +-1 tick over the row).",
    "(e) and f-storm: most logins are refused at once by design (503 from the bcrypt gate, BCRYPT_CONCURRENCY=1 machine-wide; 429 from nginx'"'"'s burst of 10); their errors are those refusals.",
    "worker RSS: peak resident set (VmHWM) of the largest worker after the row."' "$1"
  report_targets "$1"
}

# The targets, judged within this one run (when the rows exist).
report_targets() {
  jq -r --argjson quiet "$QUIET_LOAD" "$REPORT_JQ_DEFS"'
    . as $all |
    def row($s; $c): first($all.rows[] | select(.scenario == $s and .connections == $c)) // null;
    def verdict($ok; $miss): if $ok then "met" else "NOT met (\($miss))" end;
    def ratio($s; $target): row($s; 50) as $r | row("bare"; 50) as $b |
      if $r == null or $b == null then empty
      elif loaded($r) or loaded($b) then "(\($s)) at 50: no verdict, load above \($quiet)"
      else ($r.rps / $b.rps * 100 | round) as $p |
        "(\($s)) at 50: \($p) % of bare (target >= \($target) %): \(verdict($p >= $target; "\($target - $p) points short"))" end;
    [ ratio("b"; 55), ratio("c"; 45), ratio("health"; 75),
      (row("b"; 1000) as $r | row("bare"; 1000) as $b | if $r and $b then
        ($r.p99_ms / $b.p99_ms) as $x |
        "(b) at 1000: \($r.errors) errors, p99 \(r2($x)) x bare'"'"'s (target 0 and <= 1.5): \(verdict($r.errors == 0 and $x <= 1.5; "\($r.errors) errors, \(r2($x)) x"))" else empty end),
      (row("b"; 1) as $r | if $r then
        "(b) single client: p50 \(r2($r.p50_ms * 1000) / 1000) ms (target <= 0.25): \(verdict($r.p50_ms <= 0.25; "\(r2(($r.p50_ms - 0.25) * 1000)) µs over"))" else empty end),
      ($all.rows[] | select(.scenario == "f") as $f | row("b"; $f.connections) as $b | if $b then
        "(f) p99 at \($f.connections): \(r2($f.p99_ms / $b.p99_ms)) x (b)'"'"'s (target < 3): \(verdict($f.p99_ms < 3 * $b.p99_ms; "over"))" else empty end),
      (row("g"; 50) as $g | row("b"; 50) as $b | if $g and $b then ($g.rps / $b.rps * 100 | round) as $p |
        "(g) cached at 50: \($p) % of (b) (target >= 90 %): \(verdict($p >= 90; "\(90 - $p) points short"))" else empty end),
      (if $all.jwt_verify_ns then "JWT verify \($all.jwt_verify_ns) ns (target < 1500): \(verdict($all.jwt_verify_ns < 1500; "over"))" else empty end),
      ([ $all.rows[] | select(.scenario != "bare") | .worker_rss_max_mb ] | max as $m |
        "worker RSS peak \(r1($m)) MB (target < 20 each): \(verdict($m < 20; "over"))")
    ] | if length > 0 then "\nTargets:\n" + (map("- " + .) | join("\n")) else "" end' "$1"
}
