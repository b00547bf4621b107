#!/usr/bin/env bash
# nginx -t on the production site (nginx/todo-fcgi.conf) as Debian's nginx
# reads it: included from http { } through sites-enabled/, with the shared
# snippets in snippets/todo-fcgi/. Only the certificate paths are changed (to
# a test certificate). Then again with the multi-host upstream example.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root

say "the site includes the shared snippets, and nothing else of the repository's"
includes=$(sed -n 's/^\s*include\s\+\([^;]*\);.*/\1/p' "$SITE")
printf '%s\n' "$includes"
for inc in $includes; do
  [[ $inc == snippets/todo-fcgi/*.conf ]] || fail "unexpected include in the site: $inc"
  [[ -f $TODO_SOURCE_DIR/nginx/snippets/${inc#snippets/todo-fcgi/} ]] || fail "no such snippet: $inc"
done
for snippet in api.conf frontend.conf ratelimit-zones.conf security-headers.conf tls.conf; do
  grep -q "include snippets/todo-fcgi/$snippet;" "$SITE" || fail "the site does not include $snippet"
done
ok "site includes: $(echo $includes)"

say "nginx -t: the production site in a Debian-like /etc/nginx (test certificate)"
P=$WORK/nginx
make_nginx_prefix "$P"
nginx_test "$P"
ok "nginx -t passes, without warnings"

say "nginx -t: the same with the upstream of nginx/upstream-multi-host.conf.example"
example=$TODO_SOURCE_DIR/nginx/upstream-multi-host.conf.example
upstream=$(sed -n '/^upstream todo_fcgi {/,/^}/p' "$example")
[[ -n $upstream ]] || fail "no upstream todo_fcgi block in $example"
site=$P/sites-enabled/todo-fcgi
original=$(sed -n '/^upstream todo_fcgi {/,/^}/p' "$site")
replace "$site" "$original" "$upstream"
grep -q 'server 192.0.2.21:9000' "$site" || fail "the example's upstream was not swapped in"
nginx_test "$P"
ok "nginx -t passes with several worker hosts in the upstream"
