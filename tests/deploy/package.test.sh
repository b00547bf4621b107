#!/usr/bin/env bash
# The Debian package: built by CPack from the build directory, checked by
# lintian (not a single tag, pedantic ones included), then installed on this machine,
# upgraded over itself, removed and purged. This machine is disposable: the
# package is purged at the end whatever happens; the system user todo-fcgi
# stays, as it would on any Debian system.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
need_root
need_binary

PKG=todo-fcgi
installed() { dpkg-query -W -f='${db:Status-Status}\n' "$PKG" 2>/dev/null | grep -q -v -x 'not-installed'; }
purge() { if installed; then dpkg --purge "$PKG" >/dev/null; fi; }
SITE_LINK=/etc/nginx/sites-enabled/todo-fcgi

say "cpack -G DEB"
build_deb
version=$(dpkg-deb -f "$DEB" Version)
dpkg-deb -I "$DEB"
depends=$(dpkg-deb -f "$DEB" Depends)
for dep in adduser procps libfcgi0ldbl libpqxx-6.4 libssl3 libcrypt1 libstdc++6; do
  [[ $depends == *"$dep"* ]] || fail "Depends lacks $dep: $depends"
done
[[ $(dpkg-deb -f "$DEB" Recommends) == *nginx* ]] || fail "nginx is not recommended"
ok "$(basename "$DEB"), Depends: $depends"

say "lintian --pedantic: no tag at all (overrides, each with its reason: cmake/debian/lintian-overrides)"
lintian --pedantic --display-info --fail-on error,warning,info,pedantic "$DEB" >"$WORK/lintian" 2>&1 &&
  status=0 || status=$?
cat "$WORK/lintian"
((status == 0)) && ! grep -q -E '^[EWIPX]: ' "$WORK/lintian" || fail "lintian has something to say (exit $status)"
ok "lintian --pedantic: clean"

say "dpkg -i (on this disposable machine)"
purge
defer purge
defer "[[ -L $SITE_LINK && ! -e $SITE_LINK ]] && rm -f $SITE_LINK"
dpkg -i "$DEB"
installed || fail "not installed"

say "dpkg -L: every file in its place"
dpkg -L "$PKG" >"$WORK/files"
expect=(
  /usr/bin/todo-fcgi
  /lib/systemd/system/todo-fcgi.socket
  /lib/systemd/system/todo-fcgi.service
  /lib/systemd/system/todo-fcgi-migrate.service
  /etc/todo-fcgi/todo-fcgi.env
  /etc/nginx/sites-available/todo-fcgi
  /usr/share/todo-fcgi/frontend/index.html
  /usr/share/doc/todo-fcgi/copyright
  /usr/share/doc/todo-fcgi/changelog.gz
  /usr/share/doc/todo-fcgi/deployment.md.gz
  /usr/share/doc/todo-fcgi/examples/upstream-multi-host.conf.example
  /usr/share/doc/todo-fcgi/examples/prometheus.yml
  /usr/share/doc/todo-fcgi/examples/todo-fcgi.rules.yml
  /usr/share/man/man8/todo-fcgi.8.gz
)
for f in "$TODO_SOURCE_DIR"/nginx/snippets/*.conf; do expect+=("/etc/nginx/snippets/todo-fcgi/${f##*/}"); done
for f in "$TODO_SOURCE_DIR"/db/migrations/*.sql; do expect+=("/usr/share/todo-fcgi/migrations/${f##*/}"); done
while IFS= read -r f; do expect+=("/usr/share/todo-fcgi/frontend/${f#"$TODO_SOURCE_DIR"/frontend/}"); done \
  < <(find "$TODO_SOURCE_DIR/frontend" -type f \( -name '*.html' -o -name '*.js' -o -name '*.css' -o -name '*.svg' \))
for f in "${expect[@]}"; do
  grep -q -x -F "$f" "$WORK/files" || fail "not in the package: $f"
  [[ -e $f ]] || fail "not installed: $f"
done
ok "${#expect[@]} files listed and present"
conffiles=$(dpkg-query -W -f='${Conffiles}\n' "$PKG" | awk 'NF {print $1}')
echo "conffiles:" $conffiles
while read -r f; do
  [[ $f != /etc/* || -d $f ]] || grep -q -x -F "$f" <<<"$conffiles" || fail "$f is under /etc but not a conffile"
done <"$WORK/files"
ok "every file under /etc is a conffile"
file /usr/bin/todo-fcgi | grep -q ', stripped' || fail "/usr/bin/todo-fcgi is not stripped"
[[ $(/usr/bin/todo-fcgi --version) == "todo-fcgi $version" ]] || fail "the installed binary does not run"
ok "/usr/bin/todo-fcgi: stripped, runs ($(/usr/bin/todo-fcgi --version))"

say "hardening as dpkg-buildflags' hardening=+all makes it (lintian checks all but the stack protector)"
readelf -h -l -d --dyn-syms -W /usr/bin/todo-fcgi >"$WORK/elf"
for feature in 'Type: +DYN:PIE' 'GNU_RELRO:RELRO' 'BIND_NOW:bind now' '__stack_chk_fail:stack protector' \
  '__[a-z]+_chk@:fortified functions'; do
  grep -q -E "${feature%%:*}" "$WORK/elf" || fail "/usr/bin/todo-fcgi lacks ${feature#*:}"
done
! readelf -S -W /usr/bin/todo-fcgi | grep -q -E ' \.(comment|note) ' || fail "/usr/bin/todo-fcgi keeps .comment or .note"
ok "PIE, RELRO, bind now, stack protector, fortified functions ($(grep -o -E '__[a-z]+_chk@' "$WORK/elf" | sort -u | tr -d @ | tr '\n' ' ')); no .comment or .note"

say "postinst: user, /etc/todo-fcgi, JWT secret"
getent passwd todo-fcgi || fail "no user todo-fcgi"
uid=$(id -u todo-fcgi)
((uid < 1000)) || fail "todo-fcgi is not a system user (uid $uid)"
[[ $(getent passwd todo-fcgi | cut -d: -f7) == */nologin || $(getent passwd todo-fcgi | cut -d: -f7) == /bin/false ]] ||
  fail "todo-fcgi has a login shell"
check_stat() {
  local got
  got=$(stat -c '%a %U:%G' "$2")
  [[ $got == "$1" ]] || fail "$2 is $got, expected $1"
  echo "$2: $got"
}
check_stat "750 root:todo-fcgi" /etc/todo-fcgi
check_stat "640 root:todo-fcgi" /etc/todo-fcgi/todo-fcgi.env
check_stat "640 root:todo-fcgi" /etc/todo-fcgi/jwt_secret
secret_bytes=$(wc -c </etc/todo-fcgi/jwt_secret)
((secret_bytes >= 32)) || fail "jwt_secret has only $secret_bytes bytes"
setpriv --reuid=todo-fcgi --regid=todo-fcgi --init-groups cat /etc/todo-fcgi/jwt_secret >/dev/null ||
  fail "todo-fcgi cannot read its secret"
if setpriv --reuid=nobody --regid=nogroup --clear-groups cat /etc/todo-fcgi/jwt_secret >/dev/null 2>&1; then
  fail "nobody can read the JWT secret"
fi
ok "system user todo-fcgi (uid $uid); secret of $secret_bytes bytes, readable by todo-fcgi, not by others"

say "systemd-analyze verify on the installed units (the real binary, the man page of Documentation=)"
out=$(systemd-analyze verify --man=yes /lib/systemd/system/todo-fcgi.socket /lib/systemd/system/todo-fcgi.service \
  /lib/systemd/system/todo-fcgi-migrate.service 2>&1) || fail "verify: $out"
[[ -z $out ]] || fail "verify: $out"
ok "installed units verify without a word"

say "upgrade over itself: configuration left alone"
secret_sum=$(sha256sum </etc/todo-fcgi/jwt_secret)
echo 'TODO_THREADS=3  # changed by the admin' >>/etc/todo-fcgi/todo-fcgi.env
dpkg -i "$DEB" >/dev/null
[[ $(sha256sum </etc/todo-fcgi/jwt_secret) == "$secret_sum" ]] || fail "the upgrade changed jwt_secret"
grep -q '^TODO_THREADS=3  # changed by the admin' /etc/todo-fcgi/todo-fcgi.env || fail "the upgrade lost the admin's change"
check_stat "640 root:todo-fcgi" /etc/todo-fcgi/todo-fcgi.env
ok "same secret, the admin's edit kept"

say "dpkg -r: the program goes, the configuration stays"
ln -s ../sites-available/todo-fcgi "$SITE_LINK" 2>/dev/null || true
dpkg -r "$PKG" >/dev/null
[[ ! -e /usr/bin/todo-fcgi && ! -e /lib/systemd/system/todo-fcgi.service ]] || fail "files left after remove"
[[ -f /etc/todo-fcgi/jwt_secret && -f /etc/todo-fcgi/todo-fcgi.env && -f /etc/nginx/sites-available/todo-fcgi ]] ||
  fail "remove took the configuration"
ok "binary and units gone; /etc/todo-fcgi and the site kept"

say "dpkg -P: the configuration goes too"
dpkg -P "$PKG" >/dev/null
installed && fail "still installed after purge"
for gone in /etc/todo-fcgi /etc/nginx/sites-available/todo-fcgi /etc/nginx/snippets/todo-fcgi /usr/share/todo-fcgi; do
  [[ ! -e $gone ]] || fail "$gone is left after purge"
done
[[ ! -L $SITE_LINK ]] || fail "the dangling $SITE_LINK is left (nginx would refuse its configuration)"
getent passwd todo-fcgi >/dev/null || fail "purge removed the system user (Debian leaves it)"
ok "/etc/todo-fcgi, the site, its snippets and the enabled link are gone; the user stays"
