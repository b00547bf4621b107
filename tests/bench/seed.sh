# Sourced by the benchmark, fault and sanitizer scripts (after
# tests/lib/common.sh): seeds a running stack (its stack.env loaded:
# TODO_TEST_URL, TODO_TEST_OWNER_DATABASE_URL, TODO_TEST_CONFIG; TODO_BUILD_DIR
# holds mint_tokens) with load-test users for the wrk scripts of tests/bench.
#
#   seed_users DIR READERS WRITERS TASKS_PER_READER PASSWORD
#
# One account is made through the API (a real bcrypt hash at the stack's
# cost); the others get a copy of its hash by SQL, so seeding costs one
# bcrypt, not hundreds. Readers are bench-r-<i>@bench.example with TASKS
# tasks each (inserted under row-level security), writers bench-w-<i>. Access
# tokens are minted with the stack's own settings into DIR/readers.tokens and
# DIR/writers.tokens ("user-id token" lines; readers in the order of i).
# Exports what the wrk scripts read: BENCH_LUA_DIR, BENCH_READERS,
# BENCH_WRITERS, BENCH_PASSWORD.

owner_sql() { psql "$TODO_TEST_OWNER_DATABASE_URL" -qAt -v ON_ERROR_STOP=1 "$@"; }

# The SQL that gives each user the query $1 selects $2 tasks, inserted under
# row-level security, then brings the planner's statistics up to date.
tasks_sql() {
  cat <<SQL
DO \$\$
DECLARE u record;
BEGIN
  FOR u IN $1 LOOP
    PERFORM set_config('app.user_id', u.id, true);
    INSERT INTO tasks (user_id, title, description)
    SELECT u.id, 'Task ' || g, CASE WHEN g % 2 = 0 THEN 'Some words about task ' || g END
    FROM generate_series(1, $2) g;
  END LOOP;
END
\$\$;
ANALYZE users;
ANALYZE tasks;
SQL
}

seed_users() {
  local dir=$1 readers=$2 writers=$3 tasks=$4 password=$5 status
  mkdir -p "$dir"
  say "seeding $readers readers with $tasks tasks each and $writers writers"
  status=$(curl -ks -o "$dir/register.json" -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"email\":\"bench-r-1@bench.example\",\"password\":\"$password\"}" "$TODO_TEST_URL/api/auth/register")
  if [ "$status" != 201 ]; then
    cat "$dir/register.json" >&2
    echo "seed: register answered $status" >&2
    return 1
  fi
  owner_sql <<SQL
INSERT INTO users (email, password_hash)
SELECT 'bench-r-' || g || '@bench.example', (SELECT password_hash FROM users WHERE email = 'bench-r-1@bench.example')
FROM generate_series(2, $readers) g;
INSERT INTO users (email, password_hash)
SELECT 'bench-w-' || g || '@bench.example', (SELECT password_hash FROM users WHERE email = 'bench-r-1@bench.example')
FROM generate_series(1, $writers) g;
$(tasks_sql "SELECT id FROM users WHERE email LIKE 'bench-r-%'" "$tasks")
SQL
  # Readers in the order of their number: e_login.lua logs in as reader i.
  owner_sql -c "SELECT id FROM users WHERE email LIKE 'bench-r-%'
                     ORDER BY split_part(split_part(email, '@', 1), '-', 3)::int" |
    "$TODO_BUILD_DIR/mint_tokens" "$TODO_TEST_CONFIG" >"$dir/readers.tokens"
  owner_sql -c "SELECT id FROM users WHERE email LIKE 'bench-w-%'" |
    "$TODO_BUILD_DIR/mint_tokens" "$TODO_TEST_CONFIG" >"$dir/writers.tokens"
  export BENCH_LUA_DIR=$ROOT/tests/bench BENCH_READERS=$dir/readers.tokens \
    BENCH_WRITERS=$dir/writers.tokens BENCH_PASSWORD=$password
}

# seed_sessions FILE COUNT: COUNT live sessions spread over the readers, and
# one refresh token for each (FILE: "user-id token" lines), for the refresh
# row. A refresh spends its token, so each line can be used exactly once.
seed_sessions() {
  local file=$1 count=$2
  say "seeding $count sessions for $(basename "$file")"
  owner_sql <<SQL |
WITH readers AS (
  SELECT id, row_number() OVER (ORDER BY id) - 1 AS i, count(*) OVER () AS n
  FROM users WHERE email LIKE 'bench-r-%')
INSERT INTO sessions (user_id, device, token_id, expires_at)
SELECT r.id, 'bench', gen_random_uuid(), now() + interval '1 day'
FROM generate_series(0, $count - 1) g JOIN readers r ON r.i = g % r.n
RETURNING user_id || ' ' || id || ' ' || token_id;
SQL
    "$TODO_BUILD_DIR/mint_tokens" "$TODO_TEST_CONFIG" --refresh >"$file"
}
