#include "server/worker.hpp"

#include <fcgiapp.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/app.hpp"
#include "core/log.hpp"
#include "core/unique_fd.hpp"
#include "server/acceptor.hpp"
#include "server/fcgi_adapter.hpp"
#include "server/thread_services.hpp"

namespace todo::server {

namespace {

// Serves requests until the stop event fires. A request being served is
// always finished first: the stop is only looked at between requests.
// `running` counts the threads still serving.
void serve_requests(const WorkerSetup& setup, const App& app, Acceptor& acceptor,
                    std::atomic<int>& running) {
  ThreadServices thread_services(setup.config, setup.passwords, setup.bcrypt_gate, setup.shared);

  FCGX_Request fcgi;
  FCGX_InitRequest(&fcgi, setup.listen_fd, 0);
  while (acceptor.next(fcgi)) {
    metrics::Recorder::Busy busy(setup.shared.metrics());
    Request request;
    std::optional<HttpError> refused = read_request(fcgi, setup.config.max_body_bytes, request);
    Response response =
        app.handle(request, thread_services.services(), refused ? &*refused : nullptr);
    write_response(fcgi, response, request.method != "HEAD");
    finish_request(fcgi, !refused);
  }
  FCGX_Free(&fcgi, 1);
  --running;
}

// Longer than any request may legitimately take here (connect 3 s plus a
// 5 s statement, or a 5 s wait for bcrypt), so only a stuck thread hits it.
constexpr auto kDrainDeadline = std::chrono::seconds(10);

// Raises `stopping`, which a thread reads between requests, and fires the stop
// event, which stays readable, so a thread asleep in epoll wakes; returns
// false when some thread had not finished its request by the deadline.
bool drain(int stop_fd, std::atomic<bool>& stopping, const std::atomic<int>& running) {
  stopping = true;
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
  std::atomic<bool> stopping{false};
  std::vector<Acceptor> acceptors;
  for (int i = 0; i < setup.threads; ++i) {
    auto acceptor = Acceptor::open(setup.listen_fd, stop_event.get(), stopping);
    if (!acceptor) {
      log_error(acceptor.error());
      return 1;
    }
    acceptors.push_back(std::move(*acceptor));
  }

  App app(setup.config.local_accounts);
  std::atomic<int> running{static_cast<int>(acceptors.size())};
  std::vector<std::thread> threads;
  for (auto& acceptor : acceptors)
    threads.emplace_back(
        [&setup, &app, &acceptor, &running] { serve_requests(setup, app, acceptor, running); });

  int signal_number = 0;
  sigwait(&stop, &signal_number);
  if (!drain(stop_event.get(), stopping, running))
    std::_Exit(0);  // a stuck thread cannot be joined
  for (auto& t : threads) t.join();
  return 0;
}

}  // namespace todo::server
