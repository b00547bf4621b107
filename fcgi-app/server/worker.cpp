#include "server/worker.hpp"

#include <fcgiapp.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <expected>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/app.hpp"
#include "core/log.hpp"
#include "core/unique_fd.hpp"
#include "server/fcgi_adapter.hpp"
#include "server/thread_services.hpp"

namespace todo::server {

namespace {

// Why the worker owns the wait for a connection instead of leaving it to
// FCGX_Accept_r: a thread blocked in libfcgi's accept() can only be woken by a
// signal or FCGX_ShutdownPending, and either one, landing just after accept()
// returned, makes libfcgi fail the read of the request it has taken: the
// request is dropped (nginx answers 502) or served without its parameters.
// So each thread waits in epoll on the listening socket and on a stop event,
// and calls FCGX_Accept_r only when a connection is waiting; the socket is
// non-blocking, so losing the race for it to another thread or process
// returns EAGAIN instead of blocking.
class ConnectionWaiter {
 public:
  static std::expected<ConnectionWaiter, std::string> open(int listen_fd, int stop_fd) {
    ConnectionWaiter waiter(::epoll_create1(EPOLL_CLOEXEC), stop_fd);
    if (waiter.epoll_.get() < 0) return std::unexpected(errno_text("epoll_create1"));
    // EPOLLEXCLUSIVE: a connection wakes one waiting thread, not all of them.
    if (!waiter.add(listen_fd, EPOLLIN | EPOLLEXCLUSIVE) || !waiter.add(stop_fd, EPOLLIN))
      return std::unexpected(errno_text("epoll_ctl"));
    return waiter;
  }

  // Blocks until a connection waits (true) or the worker stops (false).
  bool wait() {
    epoll_event events[2];
    int n;
    while ((n = ::epoll_wait(epoll_.get(), events, 2, -1)) < 0)
      if (errno != EINTR) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    for (int i = 0; i < n; ++i)
      if (events[i].data.fd == stop_fd_) return false;
    return true;
  }

 private:
  ConnectionWaiter(int epoll_fd, int stop_fd) : epoll_(epoll_fd), stop_fd_(stop_fd) {}

  bool add(int fd, std::uint32_t mask) {
    epoll_event event{};
    event.events = mask;
    event.data.fd = fd;
    return ::epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &event) == 0;
  }

  UniqueFd epoll_;
  int stop_fd_;
};

// Serves requests until the stop event fires. A request being served is
// always finished first: the stop is only looked at between requests.
// `running` counts the threads still serving.
void serve_requests(const WorkerSetup& setup, const App& app, ConnectionWaiter& waiter,
                    std::atomic<int>& running) {
  ThreadServices thread_services(setup.config, setup.passwords, setup.bcrypt_gate, setup.shared);

  FCGX_Request fcgi;
  FCGX_InitRequest(&fcgi, setup.listen_fd, 0);
  while (waiter.wait()) {
    int rc = FCGX_Accept_r(&fcgi);
    if (rc == -EAGAIN || rc == -EWOULDBLOCK) continue;  // another thread took it
    if (rc < 0) {
      // EMFILE and friends: back off instead of spinning, and keep serving.
      log_error("FCGX_Accept_r failed with " + std::to_string(rc));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }
    metrics::Recorder::Busy busy(setup.shared.metrics());
    Request request;
    std::optional<HttpError> refused = read_request(fcgi, setup.config.max_body_bytes, request);
    Response response =
        app.handle(request, thread_services.services(), refused ? &*refused : nullptr);
    write_response(fcgi, response, request.method != "HEAD");
    FCGX_Finish_r(&fcgi);
  }
  FCGX_Free(&fcgi, 1);
  --running;
}

// Longer than any request may legitimately take here (connect 3 s plus a
// 5 s statement, or a 5 s wait for bcrypt), so only a stuck thread hits it.
constexpr auto kDrainDeadline = std::chrono::seconds(10);

// Fires the stop event, which stays readable, so every thread sees it as soon
// as it next waits; returns false when some thread had not finished its
// request by the deadline.
bool drain(int stop_fd, const std::atomic<int>& running) {
  const std::uint64_t one = 1;
  if (::write(stop_fd, &one, sizeof one) != sizeof one)
    log_error(errno_text("cannot signal the stop event"));
  auto deadline = std::chrono::steady_clock::now() + kDrainDeadline;
  while (running.load() > 0) {
    if (std::chrono::steady_clock::now() >= deadline) {
      log_error("drain deadline passed with " + std::to_string(running.load()) +
                " threads still busy; exiting anyway");
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

sigset_t signal_set(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (int s : signals) sigaddset(&set, s);
  return set;
}

}  // namespace

int run_worker(const WorkerSetup& setup) {
  // Exit with the master, even if it is killed without a chance to tell us.
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  const sigset_t stop = signal_set({SIGTERM, SIGINT});
  const sigset_t blocked = signal_set({SIGTERM, SIGINT, SIGHUP, SIGCHLD});
  pthread_sigmask(SIG_BLOCK, &blocked, nullptr);  // threads inherit this mask
  if (FCGX_Init() != 0) {
    log_error("FCGX_Init failed");
    return 1;
  }
  signal(SIGPIPE, SIG_IGN);  // a client that went away is an error code, not a death
  int flags = ::fcntl(setup.listen_fd, F_GETFL);
  if (flags < 0 || ::fcntl(setup.listen_fd, F_SETFL, flags | O_NONBLOCK) != 0) {
    log_error(errno_text("cannot make the listening socket non-blocking"));
    return 1;
  }
  UniqueFd stop_event(::eventfd(0, EFD_CLOEXEC));
  if (stop_event.get() < 0) {
    log_error(errno_text("eventfd"));
    return 1;
  }
  std::vector<ConnectionWaiter> waiters;
  for (int i = 0; i < setup.threads; ++i) {
    auto waiter = ConnectionWaiter::open(setup.listen_fd, stop_event.get());
    if (!waiter) {
      log_error(waiter.error());
      return 1;
    }
    waiters.push_back(std::move(*waiter));
  }

  App app(setup.config.local_accounts);
  std::atomic<int> running{static_cast<int>(waiters.size())};
  std::vector<std::thread> threads;
  for (auto& waiter : waiters)
    threads.emplace_back(
        [&setup, &app, &waiter, &running] { serve_requests(setup, app, waiter, running); });

  int signal_number = 0;
  sigwait(&stop, &signal_number);
  if (!drain(stop_event.get(), running)) std::_Exit(0);  // a stuck thread cannot be joined
  for (auto& t : threads) t.join();
  return 0;
}

}  // namespace todo::server
