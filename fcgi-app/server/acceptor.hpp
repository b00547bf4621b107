#pragma once
// How a worker thread takes its next FastCGI connection. The pool and the
// benchmark's bare responder both use it, so the bench's ceiling waits for
// connections exactly as the service does.

#include <fcgiapp.h>

#include <atomic>
#include <cstdint>
#include <expected>
#include <string>

#include "core/unique_fd.hpp"

namespace todo::server {

class Acceptor {
 public:
  // `listen_fd` must be non-blocking. `stop_fd` is an eventfd that, once
  // readable, stays so; `stopping` is set before it is written.
  static std::expected<Acceptor, std::string> open(int listen_fd, int stop_fd,
                                                   const std::atomic<bool>& stopping);

  // Takes the next connection into `fcgi` (whose last request must be
  // finished). False once the worker stops: then no connection was taken.
  bool next(FCGX_Request& fcgi);

 private:
  Acceptor(int epoll_fd, int stop_fd, const std::atomic<bool>& stopping)
      : epoll_(epoll_fd), stop_fd_(stop_fd), stopping_(&stopping) {}

  bool add(int fd, std::uint32_t mask);
  bool wait();

  UniqueFd epoll_;
  int stop_fd_;
  const std::atomic<bool>* stopping_;
};

}  // namespace todo::server
