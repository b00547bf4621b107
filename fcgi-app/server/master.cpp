#include "server/master.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <map>
#include <string>

#include "core/log.hpp"
#include "metrics/pool_metrics.hpp"
#include "server/worker.hpp"

namespace todo::server {

namespace {

using Clock = std::chrono::steady_clock;

struct WorkerInfo {
  int generation;
  Clock::time_point started;
};

class Master {
 public:
  explicit Master(MasterSetup setup) : s_(std::move(setup)) {}

  int run();

 private:
  void spawn_generation();
  void spawn_one();
  void reap();
  void reload();
  void retire_generation(int generation);
  void stop_all();

  MasterSetup s_;
  std::map<pid_t, WorkerInfo> workers_;
  int generation_ = 0;
  int wanted_replacements_ = 0;
  Clock::time_point next_spawn_{};
  bool stopping_ = false;
};

sigset_t master_signals() {
  sigset_t set;
  sigemptyset(&set);
  for (int s : {SIGTERM, SIGINT, SIGHUP, SIGCHLD}) sigaddset(&set, s);
  return set;
}

void Master::spawn_one() {
  metrics::Slot* slot = metrics::claim_slot(s_.metrics, s_.config.threads);
  pid_t pid = fork();
  if (pid < 0) {
    log_error("fork failed; will retry");
    if (slot) metrics::assign_slot(*slot, 0);  // free again
    ++wanted_replacements_;
    return;
  }
  if (pid == 0) {
    ProcessServices shared(s_.config, s_.metrics, slot, s_.socket.fd, s_.bcrypt_gate);
    WorkerSetup w{s_.socket.fd, s_.config.threads, s_.config, s_.passwords, s_.bcrypt_gate, shared};
    std::_Exit(run_worker(w));
  }
  if (slot) metrics::assign_slot(*slot, pid);
  workers_[pid] = {generation_, Clock::now()};
}

void Master::spawn_generation() {
  ++generation_;
  metrics::store(s_.metrics.generation, static_cast<std::uint64_t>(generation_));
  for (int i = 0; i < s_.config.workers; ++i) spawn_one();
  log_info("generation " + std::to_string(generation_) + ": " + std::to_string(s_.config.workers) +
           " workers x " + std::to_string(s_.config.threads) + " threads on " +
           s_.socket.description);
}

void Master::reap() {
  int status = 0;
  pid_t pid;
  while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
    auto it = workers_.find(pid);
    if (it == workers_.end()) continue;
    WorkerInfo info = it->second;
    workers_.erase(it);
    metrics::release_slot(s_.metrics, pid);
    if (stopping_ || info.generation != generation_) continue;  // asked to leave
    std::string how = WIFSIGNALED(status) ? "killed by signal " + std::to_string(WTERMSIG(status))
                                          : "exited with " + std::to_string(WEXITSTATUS(status));
    log_error("worker " + std::to_string(pid) + " " + how + "; starting a replacement");
    metrics::add(s_.metrics.restarts);
    ++wanted_replacements_;
    // A worker that dies at once will die again: wait a second between such restarts.
    if (Clock::now() - info.started < std::chrono::seconds(1))
      next_spawn_ = Clock::now() + std::chrono::seconds(1);
  }
}

void Master::retire_generation(int generation) {
  for (const auto& [pid, info] : workers_)
    if (info.generation == generation) kill(pid, SIGTERM);
}

void Master::reload() {
  if (s_.config.config_file.empty()) {
    log_info("SIGHUP: no --config file to re-read; restarting workers with the same settings");
  } else {
    auto fresh = load_config(s_.flags, s_.config.config_file, ConfigPurpose::serve);
    if (!fresh) {
      log_error("SIGHUP: keeping the running configuration: " + fresh.error());
      return;
    }
    s_.config.workers = fresh->workers;
    s_.config.threads = fresh->threads;
  }
  // New workers accept on the same socket before the old ones stop accepting,
  // so no connection finds nobody listening.
  int old = generation_;
  wanted_replacements_ = 0;
  spawn_generation();
  retire_generation(old);
}

void Master::stop_all() {
  stopping_ = true;
  for (const auto& [pid, info] : workers_) kill(pid, SIGTERM);
  log_info("draining " + std::to_string(workers_.size()) + " workers");
}

int Master::run() {
  const sigset_t signals = master_signals();
  sigprocmask(SIG_BLOCK, &signals, nullptr);
  spawn_generation();
  while (!(stopping_ && workers_.empty())) {
    timespec tick{0, 200 * 1000 * 1000};
    int sig = sigtimedwait(&signals, nullptr, &tick);
    if (sig == SIGCHLD)
      reap();
    else if (sig == SIGHUP && !stopping_)
      reload();
    else if ((sig == SIGTERM || sig == SIGINT) && !stopping_)
      stop_all();
    reap();  // SIGCHLDs can merge into one; look every time
    if (!stopping_ && wanted_replacements_ > 0 && Clock::now() >= next_spawn_) {
      --wanted_replacements_;
      spawn_one();
    }
  }
  log_info("all workers stopped");
  return 0;
}

}  // namespace

int run_master(MasterSetup setup) {
  return Master(std::move(setup)).run();
}

}  // namespace todo::server
