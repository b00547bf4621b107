#pragma once
// Helpers for tests of the running stack: accounts, processes, waiting.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "http_client.hpp"

namespace todo::testing {

struct Account {
  std::string id;
  std::string email;
  std::string password;
  std::string access_token;
};

// An email no other test run has used.
std::string unique_email(const std::string& tag);

// Registers a fresh account through the API (the client keeps its refresh cookie),
// waiting out the sign-up rate limit that every test shares.
Account register_account(HttpClient& client, const std::string& tag = "user");

// "/api/<user id>/tasks"
std::string tasks_path(const Account& account);

// Runs `./todo <command>` against the test stack; true on exit status 0.
bool run_todo(const std::string& command);

// Runs a shell command; its exit status and combined output.
struct CommandResult {
  int status;
  std::string output;
};
CommandResult run_command(const std::string& command);

// The test stack's master process and its worker children.
pid_t master_pid();
std::vector<pid_t> worker_pids();

// The test stack's JWT secret, and the time as tokens count it.
std::string jwt_secret();
std::int64_t now_seconds();

// What the stack answers to `request`, written byte for byte on a connection
// of its own: over TLS to the HTTPS port, or in plain text to `port`. For
// requests no HTTP library would send (a bad chunk size, no Host).
std::string raw_https(const std::string& request);
std::string raw_http(int port, const std::string& request);

// Polls `done` every 50 ms until it holds or `timeout` passes.
bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout);

}  // namespace todo::testing
