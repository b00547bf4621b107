#pragma once
// The master process: pre-forks the worker processes, replaces one that dies,
// re-reads the worker count on SIGHUP (a new generation starts, the old one
// drains), and drains all of them on SIGTERM.

#include "auth/bcrypt_gate.hpp"
#include "auth/password.hpp"
#include "config/config.hpp"
#include "metrics/pool_metrics.hpp"
#include "server/listen_socket.hpp"

namespace todo::server {

struct MasterSetup {
  ListenSocket socket;
  Config config;  // workers and threads may change on SIGHUP
  EnvMap flags;   // command-line settings, which a reload must keep
  const auth::PasswordHasher& passwords;
  auth::BcryptGate& bcrypt_gate;
  metrics::Block& metrics;  // shared memory, mapped before the first fork
};

// Runs until SIGTERM/SIGINT and every worker has exited; returns the exit code.
int run_master(MasterSetup setup);

}  // namespace todo::server
