#include "server/worker.hpp"

#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <sys/prctl.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "app/app.hpp"
#include "core/log.hpp"
#include "server/fcgi_adapter.hpp"

namespace todo::server {

namespace {

// Per-thread flags the main thread reads to know whom it may poke.
struct ThreadState {
  std::atomic<bool> idle{false};  // blocked in FCGX_Accept_r (SIGUSR1 unblocked)
  std::atomic<bool> done{false};
  pthread_t handle{};
};

std::atomic<bool> g_stopping{false};

// A handler that does nothing, installed without SA_RESTART: its only job is
// to make a blocked accept() return EINTR so libfcgi notices the shutdown.
void on_poke(int) {}

void install_poke_handler() {
  struct sigaction sa {};
  sa.sa_handler = on_poke;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;
  sigaction(SIGUSR1, &sa, nullptr);
}

sigset_t signal_set(std::initializer_list<int> signals) {
  sigset_t set;
  sigemptyset(&set);
  for (int s : signals) sigaddset(&set, s);
  return set;
}

void serve_requests(const WorkerSetup& setup, const App& app, ThreadState& state) {
  store::Database db({setup.config.database_url, setup.config.db_statement_timeout});
  auth::JwtCodec jwt(jwt_settings(setup.config));
  Services services{setup.config, db, jwt, setup.passwords, setup.bcrypt_gate};

  FCGX_Request fcgi;
  FCGX_InitRequest(&fcgi, setup.listen_fd, 0);
  const sigset_t poke = signal_set({SIGUSR1});
  while (!g_stopping.load()) {
    state.idle.store(true);
    pthread_sigmask(SIG_UNBLOCK, &poke, nullptr);
    int rc = FCGX_Accept_r(&fcgi);
    pthread_sigmask(SIG_BLOCK, &poke, nullptr);
    state.idle.store(false);
    if (rc < 0) {
      if (g_stopping.load()) break;
      // EMFILE and friends: back off instead of spinning, and keep serving.
      log_error("FCGX_Accept_r failed with " + std::to_string(rc));
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      continue;
    }

    Request request;
    std::optional<HttpError> refused = read_request(fcgi, setup.config.max_body_bytes, request);
    Response response = app.handle(request, services, refused ? &*refused : nullptr);
    write_response(fcgi, response);
    FCGX_Finish_r(&fcgi);
  }
  FCGX_Free(&fcgi, 0);
  state.done.store(true);
}

// Longer than any request may legitimately take here (connect 3 s plus a
// 5 s statement, or a 5 s wait for bcrypt), so only a stuck thread hits it.
constexpr auto kDrainDeadline = std::chrono::seconds(10);

// Wakes every thread that waits for a request, again and again, until all
// have returned; threads busy with a request finish it first. Returns false
// when some thread had not returned by the deadline.
bool drain(std::vector<std::unique_ptr<ThreadState>>& states) {
  FCGX_ShutdownPending();
  auto deadline = std::chrono::steady_clock::now() + kDrainDeadline;
  while (std::chrono::steady_clock::now() < deadline) {
    bool all_done = true;
    for (auto& s : states) {
      if (s->done.load()) continue;
      all_done = false;
      if (s->idle.load()) pthread_kill(s->handle, SIGUSR1);
    }
    if (all_done) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  int idle = 0, busy = 0;
  for (auto& s : states)
    if (!s->done.load()) ++(s->idle.load() ? idle : busy);
  log_error("drain deadline passed with " + std::to_string(idle) + " idle and " +
            std::to_string(busy) + " busy threads left; exiting anyway");
  return false;
}

}  // namespace

int run_worker(const WorkerSetup& setup) {
  // Exit with the master, even if it is killed without a chance to tell us.
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  const sigset_t stop = signal_set({SIGTERM, SIGINT});
  const sigset_t blocked = signal_set({SIGTERM, SIGINT, SIGHUP, SIGUSR1, SIGCHLD});
  pthread_sigmask(SIG_BLOCK, &blocked, nullptr);  // threads inherit this mask
  if (FCGX_Init() != 0) {
    log_error("FCGX_Init failed");
    return 1;
  }
  install_poke_handler();
  signal(SIGPIPE, SIG_IGN);  // a client that went away is an error code, not a death

  App app;
  std::vector<std::unique_ptr<ThreadState>> states;
  std::vector<std::thread> threads;
  for (int i = 0; i < setup.threads; ++i) {
    auto& state = *states.emplace_back(std::make_unique<ThreadState>());
    threads.emplace_back([&setup, &app, &state] { serve_requests(setup, app, state); });
    state.handle = threads.back().native_handle();
  }

  int signal_number = 0;
  sigwait(&stop, &signal_number);
  g_stopping.store(true);
  if (!drain(states)) std::_Exit(0);  // a stuck thread cannot be joined
  for (auto& t : threads) t.join();
  return 0;
}

}  // namespace todo::server
