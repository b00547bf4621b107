#include "server/listen_socket.hpp"

#include <arpa/inet.h>
#include <grp.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <utility>

#include "core/unique_fd.hpp"

namespace todo::server {

namespace {

bool is_tcp(const std::string& address) {
  return !address.empty() && address.front() != '/' && address.find(':') != std::string::npos;
}

// True when something accepts connections on the unix socket at path.
bool unix_socket_alive(const sockaddr_un& addr) {
  UniqueFd probe{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  return probe.get() >= 0 &&
         ::connect(probe.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
}

std::expected<void, std::string> clear_stale_socket(const sockaddr_un& addr) {
  struct stat st {};
  if (::lstat(addr.sun_path, &st) != 0) return {};
  if (!S_ISSOCK(st.st_mode))
    return std::unexpected(std::string(addr.sun_path) +
                           " exists and is not a socket; not touching it");
  if (unix_socket_alive(addr))
    return std::unexpected(std::string(addr.sun_path) + " is in use by another running server");
  ::unlink(addr.sun_path);
  return {};
}

std::expected<void, std::string> set_owner_and_mode(const ListenSpec& spec) {
  if (!spec.group.empty()) {
    struct group* g = ::getgrnam(spec.group.c_str());
    if (!g) return std::unexpected("socket group " + spec.group + " does not exist");
    if (::chown(spec.address.c_str(), static_cast<uid_t>(-1), g->gr_gid) != 0)
      return std::unexpected(errno_text("chown " + spec.address + " to group " + spec.group));
  }
  if (::chmod(spec.address.c_str(), spec.mode) != 0)
    return std::unexpected(errno_text("chmod " + spec.address));
  return {};
}

std::expected<ListenSocket, std::string> bind_unix(const ListenSpec& spec) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (spec.address.size() >= sizeof addr.sun_path)
    return std::unexpected("socket path too long: " + spec.address);
  std::memcpy(addr.sun_path, spec.address.c_str(), spec.address.size() + 1);
  if (auto cleared = clear_stale_socket(addr); !cleared) return std::unexpected(cleared.error());

  UniqueFd fd{::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (fd.get() < 0) return std::unexpected(errno_text("socket"));
  // Nobody may connect in the moment between bind and chmod.
  mode_t old_mask = ::umask(0177);
  int rc = ::bind(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  ::umask(old_mask);
  if (rc != 0) return std::unexpected(errno_text("bind " + spec.address));
  if (auto owned = set_owner_and_mode(spec); !owned) return std::unexpected(owned.error());
  if (::listen(fd.get(), spec.backlog) != 0)
    return std::unexpected(errno_text("listen " + spec.address));
  return ListenSocket{fd.release(), false, "unix:" + spec.address};
}

std::expected<ListenSocket, std::string> bind_tcp(const ListenSpec& spec) {
  std::size_t colon = spec.address.rfind(':');
  std::string host = spec.address.substr(0, colon);
  std::string port = spec.address.substr(colon + 1);
  if (host.size() > 1 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);

  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(host.c_str(), port.c_str(), &hints, &found); rc != 0)
    return std::unexpected("cannot resolve " + spec.address + ": " + ::gai_strerror(rc));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, ::freeaddrinfo);

  UniqueFd fd{::socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0)};
  if (fd.get() < 0) return std::unexpected(errno_text("socket"));
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd.get(), found->ai_addr, found->ai_addrlen) != 0)
    return std::unexpected(errno_text("bind " + spec.address));
  if (::listen(fd.get(), spec.backlog) != 0)
    return std::unexpected(errno_text("listen " + spec.address));
  return ListenSocket{fd.release(), false, "tcp:" + spec.address};
}

}  // namespace

ListenSocket socket_from_systemd() {
  const char* pid = std::getenv("LISTEN_PID");
  const char* fds = std::getenv("LISTEN_FDS");
  if (!pid || !fds || std::atol(pid) != ::getpid() || std::atoi(fds) < 1) return {};
  // Children must not take these variables for their own.
  ::unsetenv("LISTEN_PID");
  ::unsetenv("LISTEN_FDS");
  ::unsetenv("LISTEN_FDNAMES");
  constexpr int kFirstPassedFd = 3;  // SD_LISTEN_FDS_START
  return ListenSocket{kFirstPassedFd, true, "systemd socket (fd 3)"};
}

std::expected<ListenSocket, std::string> bind_listen_socket(const ListenSpec& spec) {
  if (spec.address.empty())
    return std::unexpected(
        "no socket to listen on: give --listen PATH or HOST:PORT, or start under systemd socket "
        "activation");
  return is_tcp(spec.address) ? bind_tcp(spec) : bind_unix(spec);
}

}  // namespace todo::server
