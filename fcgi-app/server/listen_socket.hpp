#pragma once
// The FastCGI listening socket: the one systemd passes (socket activation), or
// one bound here. Not FCGX_OpenSocket: it unlinks whatever is at the path,
// leaves the mode to the umask and exit()s when bind fails.

#include <sys/types.h>

#include <expected>
#include <string>

namespace todo::server {

// nginx opens a connection per request, and one that finds the backlog full
// is an immediate 502: bursts of 2000 at once must queue, not fail. The kernel
// caps it at net.core.somaxconn (4096 on Debian 12).
inline constexpr int kListenBacklog = 4096;

struct ListenSpec {
  std::string address;  // "/run/todo-fcgi.sock" or "127.0.0.1:9000" / "[::1]:9000"
  mode_t mode = 0660;   // unix sockets only
  std::string group;    // unix sockets only: the group that may connect (nginx's)
  int backlog = kListenBacklog;
};

struct ListenSocket {
  int fd = -1;
  bool from_systemd = false;
  std::string description;  // for log lines
};

// The socket passed by systemd when LISTEN_PID is this process and
// LISTEN_FDS >= 1 (fd 3), else nullopt-like: fd = -1.
ListenSocket socket_from_systemd();

// Binds and listens on spec.address. A stale unix socket (nobody accepting) is
// replaced; a live one or any other file is an error.
std::expected<ListenSocket, std::string> bind_listen_socket(const ListenSpec& spec);

}  // namespace todo::server
