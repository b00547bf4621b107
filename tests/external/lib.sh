# tests/external/lib.sh: a real Better Auth server for the tests (sourced).
# shellcheck shell=bash
#
#   better_auth_start DATABASE_URL PORT   the example server (examples/better-auth)
#                           on 127.0.0.1:PORT against that database, migrated,
#                           with its test signer on; BA_BASE is its URL, and
#                           BA_TRUSTED_ORIGINS (optional) other origins it serves
#   better_auth_stop        stops it
#   ba_token EMAIL PASSWORD signs the person up (once) and in, and prints the
#                           JWT of GET /api/auth/token
#   ba_sign JSON            a JWT of this payload signed with Better Auth's
#                           current key (its test signer: claims a real token
#                           never has)
#   own_key_token JSON      a JWT of this payload signed EdDSA by a key of our
#                           own, which no JWKS publishes
#   b64url                  stdin as unpadded base64url
#   jwt_part TOKEN N        the decoded JSON of part N (0 header, 1 claims)

EXAMPLE=$ROOT/examples/better-auth
BA_WORK=$(mktemp -d /tmp/todo-better-auth.XXXXXX)

b64url() { basenc --base64url -w0 | tr -d '='; }

jwt_part() {
  local part
  part=$(cut -d. -f"$(($2 + 1))" <<<"$1" | tr '_-' '/+')
  while ((${#part} % 4)); do part+='='; done
  base64 -d <<<"$part"
}

better_auth_start() {
  # npm writes node_modules/.package-lock.json when it installs: newer than the
  # lockfile means the installed packages are the pinned ones.
  if [[ ! $EXAMPLE/node_modules/.package-lock.json -nt $EXAMPLE/package-lock.json ]]; then
    say "npm ci in examples/better-auth"
    (cd "$EXAMPLE" && npm ci --no-audit --no-fund --silent)
  fi
  BA_BASE=http://127.0.0.1:$2
  BA_ENV=(BETTER_AUTH_URL="$BA_BASE" BETTER_AUTH_DATABASE_URL="$1" HOST=127.0.0.1 PORT="$2"
    BETTER_AUTH_SECRET="${BA_SECRET:=$(openssl rand -base64 48)}" BETTER_AUTH_TEST_SIGNER=1
    BETTER_AUTH_TRUSTED_ORIGINS="${BA_TRUSTED_ORIGINS:-}")
  env "${BA_ENV[@]}" node "$EXAMPLE/server.mjs" migrate >/dev/null
  env "${BA_ENV[@]}" node "$EXAMPLE/server.mjs" >>"$BA_WORK/server.log" 2>&1 &
  BA_PID=$!
  wait_for 20 curl -sf "$BA_BASE/health" >/dev/null || {
    tail -n 20 "$BA_WORK/server.log" >&2
    return 1
  }
}

better_auth_stop() {
  [[ -n ${BA_PID:-} ]] || return 0
  kill "$BA_PID" 2>/dev/null || true
  wait "$BA_PID" 2>/dev/null || true
  BA_PID=
}

ba_api() {  # ba_api METHOD PATH [JSON]: the body, with the session cookie of $BA_WORK/cookies
  curl -sS --fail-with-body -X "$1" "$BA_BASE$2" -H "Origin: $BA_BASE" \
    -H 'Content-Type: application/json' -b "$BA_WORK/cookies" -c "$BA_WORK/cookies" ${3:+--data "$3"}
}

ba_token() {
  local credentials="{\"email\":\"$1\",\"password\":\"$2\",\"name\":\"Ada\"}"
  rm -f "$BA_WORK/cookies"
  ba_api POST /api/auth/sign-up/email "$credentials" >/dev/null 2>&1 || true
  ba_api POST /api/auth/sign-in/email "$credentials" >/dev/null
  ba_api GET /api/auth/token | jq -r .token
}

ba_sign() {
  curl -sS --fail-with-body "$BA_BASE/test/sign" -H 'Content-Type: application/json' \
    --data "{\"payload\":$1}" | jq -r .token
}

own_key_token() {
  [[ -s $BA_WORK/own.pem ]] || openssl genpkey -algorithm ed25519 -out "$BA_WORK/own.pem"
  local input
  input="$(printf '{"alg":"EdDSA","kid":"not-in-any-jwks"}' | b64url).$(printf '%s' "$1" | b64url)"
  printf '%s' "$input" >"$BA_WORK/input"
  printf '%s.%s' "$input" "$(openssl pkeyutl -sign -rawin -inkey "$BA_WORK/own.pem" \
    -in "$BA_WORK/input" | b64url)"
}
