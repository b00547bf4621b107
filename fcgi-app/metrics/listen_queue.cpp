#include "metrics/listen_queue.hpp"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstring>

#include "core/unique_fd.hpp"

namespace todo::metrics {

namespace {

// A listening TCP socket's tcpi_unacked is the length of its accept queue.
std::optional<long> tcp_queue(int fd) {
  tcp_info info{};
  socklen_t size = sizeof info;
  if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &info, &size) != 0) return std::nullopt;
  return static_cast<long>(info.tcpi_unacked);
}

// Asks the kernel (NETLINK_SOCK_DIAG) about the unix socket with this inode:
// for a listening one, UNIX_DIAG_RQLEN's first number is its queue.
std::optional<long> unix_queue(ino_t inode) {
  const UniqueFd nl{socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG)};
  if (nl.get() < 0) return std::nullopt;
  struct {
    nlmsghdr header;
    unix_diag_req request;
  } query{};
  query.header.nlmsg_len = sizeof query;
  query.header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  query.header.nlmsg_flags = NLM_F_REQUEST;
  query.request.sdiag_family = AF_UNIX;
  query.request.udiag_ino = static_cast<__u32>(inode);
  query.request.udiag_states = 1u << 10;  // TCP_LISTEN
  query.request.udiag_show = UDIAG_SHOW_RQLEN;
  query.request.udiag_cookie[0] = query.request.udiag_cookie[1] = ~0u;
  std::optional<long> length;
  std::array<char, 8192> buffer{};
  if (send(nl.get(), &query, sizeof query, 0) == sizeof query) {
    ssize_t n = recv(nl.get(), buffer.data(), buffer.size(), 0);
    auto* message = reinterpret_cast<nlmsghdr*>(buffer.data());
    if (n > 0 && NLMSG_OK(message, static_cast<unsigned>(n)) &&
        message->nlmsg_type == SOCK_DIAG_BY_FAMILY) {
      auto* diag = static_cast<unix_diag_msg*>(NLMSG_DATA(message));
      int room = static_cast<int>(message->nlmsg_len - NLMSG_LENGTH(sizeof *diag));
      for (auto* attr = reinterpret_cast<rtattr*>(diag + 1); RTA_OK(attr, room);
           attr = RTA_NEXT(attr, room))
        if (attr->rta_type == UNIX_DIAG_RQLEN) {
          unix_diag_rqlen rq{};
          std::memcpy(&rq, RTA_DATA(attr), sizeof rq);
          length = rq.udiag_rqueue;
        }
    }
  }
  return length;
}

}  // namespace

std::optional<long> listen_queue_length(int fd) {
  sockaddr_storage address{};
  socklen_t size = sizeof address;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) != 0) return std::nullopt;
  if (address.ss_family == AF_INET || address.ss_family == AF_INET6) return tcp_queue(fd);
  struct stat st {};
  if (address.ss_family != AF_UNIX || fstat(fd, &st) != 0) return std::nullopt;
  return unix_queue(st.st_ino);
}

}  // namespace todo::metrics
