#include "server/acceptor.hpp"

#include <sys/epoll.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <thread>

#include "core/log.hpp"

namespace todo::server {

// Why the worker owns the wait for a connection instead of leaving it to
// FCGX_Accept_r: a thread blocked in libfcgi's accept() can only be woken by a
// signal or FCGX_ShutdownPending, and either one, landing just after accept()
// returned, makes libfcgi fail the read of the request it has taken: the
// request is dropped (nginx answers 502) or served without its parameters.
// So each thread waits in epoll on the listening socket and on a stop event;
// the socket is non-blocking, so losing the race for a connection to another
// thread or process returns EAGAIN instead of blocking.
std::expected<Acceptor, std::string> Acceptor::open(int listen_fd, int stop_fd,
                                                    const std::atomic<bool>& stopping) {
  Acceptor acceptor(::epoll_create1(EPOLL_CLOEXEC), stop_fd, stopping);
  if (acceptor.epoll_.get() < 0) return std::unexpected(errno_text("epoll_create1"));
  // EPOLLEXCLUSIVE: a connection wakes one waiting thread, not all of them.
  if (!acceptor.add(listen_fd, EPOLLIN | EPOLLEXCLUSIVE) || !acceptor.add(stop_fd, EPOLLIN))
    return std::unexpected(errno_text("epoll_ctl"));
  return acceptor;
}

bool Acceptor::add(int fd, std::uint32_t mask) {
  epoll_event event{};
  event.events = mask;
  event.data.fd = fd;
  return ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) == 0;
}

// Blocks until a connection waits (true) or the worker stops (false).
bool Acceptor::wait() {
  epoll_event events[2];
  int n;
  while ((n = ::epoll_wait(epoll_.get(), events, 2, -1)) < 0)
    if (errno != EINTR) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  for (int i = 0; i < n; ++i)
    if (events[i].data.fd == stop_fd_) return false;
  return true;
}

// Under load a connection is usually waiting already when a request is done,
// so the thread tries to take one before it sleeps in epoll: one system call
// and no sleep instead of three and a wake-up.
bool Acceptor::next(FCGX_Request& fcgi) {
  for (;;) {
    if (stopping_->load(std::memory_order_relaxed)) return false;
    int rc = FCGX_Accept_r(&fcgi);
    if (rc == 0) return true;
    if (rc == -EAGAIN || rc == -EWOULDBLOCK) {  // nothing waiting, or another thread took it
      if (!wait()) return false;
      continue;
    }
    // EMFILE and friends: back off instead of spinning, and keep serving.
    log_error("FCGX_Accept_r failed with " + std::to_string(rc));
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

}  // namespace todo::server
