# tests/deploy/container.sh: a Debian 12 system booted with systemd as PID 1
# in a container on this machine (sourced after lib.sh, whose defer and fail
# it uses).
#
#   prepare_rootfs DEB PACKAGES...
#                       the container's root file system, cached in
#                       $BOOT_CACHE/rootfs: debootstrap --variant=minbase
#                       with systemd, then the package file DEB's dependencies
#                       and PACKAGES downloaded into its apt cache, so that
#                       the container installs them without a network.
#                       Rebuilt when missing or unfinished, topped up when
#                       that list changes; only then does it need the network
#   boot_container      boots it: systemd-nspawn --boot, every change kept in
#                       memory (--volatile=overlay, the cache stays as it
#                       was), a network namespace of its own with loopback
#                       only; sets PID1 and defers stop_container
#   in_container CMD... CMD inside it, as root, with a clean environment
#   on_container_net CMD...
#                       this machine's CMD in the container's network
#                       namespace (curl, wrk against its nginx)
#   container_file PATH the container's PATH, seen from outside
#
# Everything nspawn runs goes into a cgroup of its own in the cgroup2
# hierarchy, and the container gets a unified hierarchy: systemd's IP filter
# (IPAddressDeny=) needs one, and the bpf() system call, which nspawn forbids
# unless --system-call-filter=bpf says otherwise.

BOOT_CACHE=${TODO_BOOT_CACHE:-$TODO_SOURCE_DIR/var/systemd-boot}
ROOTFS=$BOOT_CACHE/rootfs
MIRROR=http://deb.debian.org/debian
SUITE=bookworm
INCLUDE=systemd,systemd-sysv,dbus
MACHINE=todo-boot-$$
export SYSTEMD_NSPAWN_UNIFIED_HIERARCHY=1

# The cgroup2 hierarchy. Under `ip netns exec`, /sys is a fresh sysfs without
# cgroups: mount it there (that mount namespace alone sees the mount).
cgroup2_root() {
  local root
  root=$(findmnt -n -t cgroup2 -o TARGET | head -n 1)
  if [[ -z $root ]] && ! mountpoint -q /sys/fs/cgroup; then
    mount -t cgroup2 cgroup2 /sys/fs/cgroup && root=/sys/fs/cgroup
  fi
  [[ -n $root ]] || fail "no cgroup2 hierarchy here: systemd-nspawn cannot give the container a unified one"
  echo "$root"
}
CGROUP=$(cgroup2_root)/$MACHINE

# systemd-nspawn without a host system bus (this machine has none), to be
# run from a subshell that enter_cgroup moved into the cgroup $CGROUP.
NSPAWN=(systemd-nspawn --quiet --register=no --keep-unit --machine="$MACHINE")
enter_cgroup() { mkdir -p "$CGROUP" && echo "$BASHPID" >"$CGROUP/cgroup.procs"; }

# Kills whatever is left in $CGROUP and removes it, sub-groups first.
remove_cgroup() {
  [[ -d $CGROUP ]] || return 0
  if [[ -n $(find "$CGROUP" -name cgroup.procs -exec cat {} +) ]]; then echo 1 >"$CGROUP/cgroup.kill"; fi
  wait_for 10 bash -c "[[ -z \$(find '$CGROUP' -name cgroup.procs -exec cat {} +) ]]" || true
  find "$CGROUP" -depth -type d -exec rmdir {} \;
}

# debootstrap into $ROOTFS, unless a finished one is there (debootstrap.done
# names what it was made from). It is made beside and renamed when complete,
# so an interrupted run leaves nothing that looks finished.
debootstrap_rootfs() {
  local recipe="debootstrap --variant=minbase --include=$INCLUDE $SUITE ROOT $MIRROR"
  if [[ -x $ROOTFS/lib/systemd/systemd && $(cat "$BOOT_CACHE/debootstrap.done" 2>/dev/null) == "$recipe" ]]; then
    ok "cached root file system $ROOTFS ($recipe)"
    return 0
  fi
  say "$recipe (the network, a few minutes; cached in $BOOT_CACHE)"
  rm -rf "$ROOTFS" "$ROOTFS.new" "$BOOT_CACHE"/*.done
  mkdir -p "$BOOT_CACHE"
  debootstrap --variant=minbase --include="$INCLUDE" "$SUITE" "$ROOTFS.new" "$MIRROR" >"$BOOT_CACHE/debootstrap.log" 2>&1 ||
    fail "debootstrap failed: $(tail -n 5 "$BOOT_CACHE/debootstrap.log")"
  # A server's sources: the release with its updates and security updates.
  printf 'deb %s %s main\ndeb %s %s-updates main\ndeb %s-security %s-security main\n' \
    "$MIRROR" "$SUITE" "$MIRROR" "$SUITE" "$MIRROR" "$SUITE" >"$ROOTFS.new/etc/apt/sources.list"
  # What the Debian installer writes and debootstrap does not.
  echo todo-boot >"$ROOTFS.new/etc/hostname"
  printf '127.0.0.1\tlocalhost\n127.0.1.1\ttodo-boot\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' \
    >"$ROOTFS.new/etc/hosts"
  mv "$ROOTFS.new" "$ROOTFS"
  echo "$recipe" >"$BOOT_CACHE/debootstrap.done"
  ok "root file system made"
}

prepare_rootfs() {
  local deb=$1 wanted status
  shift
  debootstrap_rootfs
  # What the installs inside will ask for: the package's relations and the rest.
  wanted="$(dpkg-deb -f "$deb" Depends Recommends | tr '\n' ' ') + $*"
  if [[ $(cat "$BOOT_CACHE/packages.done" 2>/dev/null) == "$wanted" ]]; then
    ok "cached downloads for: $wanted"
    return 0
  fi
  say "apt-get update; apt-get install --download-only $(basename "$deb") $* (the network)"
  rm -f "$BOOT_CACHE/packages.done"
  # Not booted: apt-get alone, on this machine's network.
  (enter_cgroup && exec "${NSPAWN[@]}" -D "$ROOTFS" --pipe --bind-ro="$(dirname "$deb"):/mnt/pkg" \
    -E DEBIAN_FRONTEND=noninteractive bash -c \
    "apt-get -q update && apt-get -q -y install --download-only /mnt/pkg/$(basename "$deb") $*") \
    >"$BOOT_CACHE/download.log" 2>&1 && status=0 || status=$?
  remove_cgroup
  ((status == 0)) || fail "apt-get failed: $(tail -n 5 "$BOOT_CACHE/download.log")"
  echo "$wanted" >"$BOOT_CACHE/packages.done"
  ok "downloaded: $(ls "$ROOTFS/var/cache/apt/archives" | grep -c '\.deb$') packages in the cache"
}

boot_container() {
  CONSOLE=$WORK/console.log
  (enter_cgroup && exec "${NSPAWN[@]}" -D "$ROOTFS" --boot --volatile=overlay --private-network \
    --console=read-only --system-call-filter=bpf) >"$CONSOLE" 2>&1 &
  NSPAWN_PID=$!
  defer stop_container
  wait_for 30 container_up || fail "the container's systemd did not start: $(tail -n 20 "$CONSOLE")"
  PID1=$(container_init)
  local state
  wait_for 30 test -S "$(container_file /run/systemd/private)" || fail "systemd in the container does not listen"
  state=$(timeout 120 nsenter -t "$PID1" -a systemctl is-system-running --wait 2>&1) || true
  case $state in
  running) ;;
  degraded) echo "failed units: $(in_container systemctl --failed --no-legend --plain | awk '{print $1}')" ;;
  *) fail "the container did not boot: $state; $(tail -n 20 "$CONSOLE")" ;;
  esac
}

# The pid, seen from here, of the container's PID 1 once it runs systemd.
container_init() {
  local pid
  pid=$(pgrep -P "$NSPAWN_PID" | head -n 1)
  if [[ -n $pid && $(cat "/proc/$pid/comm" 2>/dev/null) == systemd ]]; then echo "$pid"; fi
}
container_up() { [[ -n $(container_init) ]]; }

# Powers the container off (SIGTERM makes nspawn ask systemd to), kills it
# after 60 s, and removes its cgroup and what nspawn leaves in /run.
stop_container() {
  if ! gone "$NSPAWN_PID"; then
    kill -TERM "$NSPAWN_PID"
    wait_for 60 gone "$NSPAWN_PID" || kill -KILL "$NSPAWN_PID"
  fi
  wait "$NSPAWN_PID" 2>/dev/null || true
  remove_cgroup
  rmdir "/run/systemd/nspawn/propagate/$MACHINE" 2>/dev/null || true
  if findmnt -rn -o TARGET | grep -q -F "$ROOTFS"; then echo "left mounted: $(findmnt -rn -o TARGET | grep -F "$ROOTFS")"; fi
}

in_container() {
  nsenter -t "$PID1" -a env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    HOME=/root LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive "$@"
}

on_container_net() { nsenter -t "$PID1" -n "$@"; }

container_file() { echo "/proc/$PID1/root$1"; }
