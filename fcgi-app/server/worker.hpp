#pragma once
// One worker process: T threads, each accepting FastCGI requests on the shared
// listening socket with its own database connection and token codec.

#include "auth/bcrypt_gate.hpp"
#include "auth/password.hpp"
#include "config/config.hpp"
#include "server/thread_services.hpp"

namespace todo::server {

struct WorkerSetup {
  int listen_fd;
  int threads;
  const Config& config;
  const auth::PasswordHasher& passwords;
  auth::BcryptGate& bcrypt_gate;
  ProcessServices& shared;  // made in the worker process, after the fork
};

// Serves until SIGTERM or SIGINT, then lets in-flight requests finish and
// returns the process exit code. Call in a freshly forked child.
int run_worker(const WorkerSetup& setup);

}  // namespace todo::server
