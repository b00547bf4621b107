#!/usr/bin/perl
# socket-unit.pl ADDRESS PORT DIR: what todo-fcgi.socket and todo-fcgi.service
# do on a worker host, for the multi-host test bed, which has no systemd.
#
# This process owns the listening socket (as the socket unit does, with
# ListenStream=ADDRESS:PORT) and starts `BINARY serve --config DIR/todo-fcgi.env`
# with it as fd 3 (LISTEN_FDS=1, LISTEN_PID), BINARY read from DIR/binary at
# each start. When the service exits it is started again (Restart=always): so
# SIGTERM to the service, with a new DIR/binary, is an upgrade during which
# connections wait in the socket's backlog instead of being refused, as under
# `systemctl restart`. The service's pid is in DIR/service.pid. SIGTERM to this
# process stops the service and then itself.
use strict;
use warnings;
use POSIX qw(dup2);
use Socket qw(PF_INET SOCK_STREAM SOL_SOCKET SO_REUSEADDR inet_aton pack_sockaddr_in);

my ($address, $port, $dir) = @ARGV;
die "usage: $0 ADDRESS PORT DIR\n" unless defined $dir;

# Descriptors up to 3 stay open across exec (Perl closes higher ones).
$^F = 3;
socket(my $listener, PF_INET, SOCK_STREAM, 0) or die "socket: $!\n";
setsockopt($listener, SOL_SOCKET, SO_REUSEADDR, 1) or die "setsockopt: $!\n";
bind($listener, pack_sockaddr_in($port, inet_aton($address))) or die "bind $address:$port: $!\n";
listen($listener, 4096) or die "listen: $!\n";
fileno($listener) == 3 or dup2(fileno($listener), 3) or die "dup2: $!\n";

my ($service, $stopping) = (0, 0);
$SIG{TERM} = sub { $stopping = 1; kill 'TERM', $service if $service; };

until ($stopping) {
    open(my $file, '<', "$dir/binary") or die "$dir/binary: $!\n";
    chomp(my $binary = <$file>);
    close $file;
    $service = fork() // die "fork: $!\n";
    if ($service == 0) {
        @ENV{qw(LISTEN_FDS LISTEN_PID)} = (1, $$);
        exec($binary, 'serve', '--config', "$dir/todo-fcgi.env") or die "exec $binary: $!\n";
    }
    open(my $pid, '>', "$dir/service.pid") or die "$dir/service.pid: $!\n";
    print $pid "$service\n";
    close $pid;
    waitpid($service, 0);    # Perl retries it after a signal
    select(undef, undef, undef, 0.1) unless $stopping;    # RestartSec=100ms
}
