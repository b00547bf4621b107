# tests/multihost/bed.sh: the test bed's hosts and wires (sourced by run.sh).
# shellcheck shell=bash
#
#   host     address      runs
#   nginx    192.0.2.10   nginx on port 80: the shared snippets, and the upstream
#                         of nginx/upstream-multi-host.conf.example as shipped
#   w1, w2   192.0.2.21,  a todo-fcgi pool each, on TCP port 9000 (socket-unit.pl
#            192.0.2.22   stands in for todo-fcgi.socket), nftables in place of
#                         IPAddressAllow=: FastCGI from nginx only, out only to
#                         PostgreSQL
#   pg1      192.0.2.31   PostgreSQL primary
#   pg2      192.0.2.32   PostgreSQL standby, streaming and synchronous
#   client   192.0.2.40   the load (wrk), seeding and checks (curl, psql)
#
# Each host is a network namespace with one link, eth0, a veth pair whose
# other end is a port of a bridge in a namespace of its own ("sw", the
# switch). The machine's own namespace gets no address and no route, so
# nothing reaches the bed from outside and nothing leaves it.
#
#   on HOST CMD...   runs CMD on HOST (in its namespace)
#   bed_up           makes the hosts, the switch and the firewalls
#   bed_down         ends every process on the bed, removes the namespaces
#   bed_leftovers    the bed's namespaces that exist now, one a line

MH=${MH_PREFIX:-mh-}
declare -A ADDR=([nginx]=192.0.2.10 [w1]=192.0.2.21 [w2]=192.0.2.22
                 [pg1]=192.0.2.31 [pg2]=192.0.2.32 [client]=192.0.2.40)
FASTCGI_PORT=9000

on() {
  local host=$1
  shift
  ip netns exec "$MH$host" "$@"
}

bed_leftovers() { ip netns list | awk -v p="$MH" 'index($1, p) == 1 {print $1}'; }

bed_up() {
  local host
  say "bed: a switch and ${#ADDR[@]} hosts on 192.0.2.0/24 (namespaces ${MH}*)"
  ip netns add "${MH}sw"
  on sw ip link add br0 type bridge
  on sw ip link set br0 up
  for host in "${!ADDR[@]}"; do
    ip netns add "$MH$host"
    ip link add eth0 netns "$MH$host" type veth peer name "$host" netns "${MH}sw"
    on sw ip link set "$host" master br0 up
    on "$host" ip addr add "${ADDR[$host]}/24" dev eth0
    on "$host" ip link set lo up
    on "$host" ip link set eth0 up
  done
  worker_firewall w1
  worker_firewall w2
}

# What IPAddressDeny=any plus IPAddressAllow= of the deployment manual do on a
# worker host: the socket unit admits FastCGI from the nginx host only, and
# the service reaches nothing but the database hosts (and loopback).
worker_firewall() {
  on "$1" nft -f - <<EOF
table inet todo_multihost {
  chain input {
    type filter hook input priority 0; policy drop;
    iif lo accept
    ct state established,related accept
    ip saddr ${ADDR[nginx]} tcp dport $FASTCGI_PORT accept
  }
  chain output {
    type filter hook output priority 0; policy drop;
    oif lo accept
    ct state established,related accept
    ip daddr { ${ADDR[pg1]}, ${ADDR[pg2]} } tcp dport 5432 accept
  }
}
EOF
}

# Every process still on a host gets SIGKILL: what is left after the orderly
# stops, or everything when those could not run.
kill_host() {
  local pids
  mapfile -t pids < <(ip netns pids "$MH$1" 2>/dev/null)
  [ ${#pids[@]} -eq 0 ] || kill -KILL "${pids[@]}" 2>/dev/null || true
}

bed_down() {
  local ns
  for ns in $(bed_leftovers); do kill_host "${ns#"$MH"}"; done
  sleep 0.2
  for ns in $(bed_leftovers); do ip netns del "$ns" 2>/dev/null || true; done
}
