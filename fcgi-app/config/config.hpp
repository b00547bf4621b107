#pragma once
// The service's configuration: read once at start, validated once, then passed
// down as a value. Sources, strongest first: command-line flags, the --config
// file, the process environment. Secrets may also come from NAME_FILE or a
// systemd credential ($CREDENTIALS_DIRECTORY/<lower-case name>).

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <expected>
#include <string>
#include <vector>

#include "config/env_file.hpp"

namespace todo {

struct Config {
  // Database
  std::string database_url;            // the service role (no table ownership)
  std::string migration_database_url;  // the owner role used by `migrate`
  std::chrono::seconds db_connect_timeout{3};
  std::chrono::milliseconds db_statement_timeout{5000};

  // Tokens
  std::string jwt_secret;
  std::string jwt_previous_secret;
  std::string jwt_issuer = "todo-fcgi";
  std::string jwt_audience = "todo-api";
  std::chrono::seconds access_token_ttl{3600};
  std::chrono::seconds refresh_token_ttl{30 * 24 * 3600};

  // Passwords
  int bcrypt_cost = 12;
  int bcrypt_concurrency = 1;  // machine-wide bcrypt hashes at once

  // Requests
  std::size_t max_body_bytes = 64 * 1024;
  std::vector<std::string> allowed_origins;  // for cookie routes; empty: same origin as Host

  // Processes
  std::string listen;  // unix socket path or host:port; unused under socket activation
  std::string socket_group;
  mode_t socket_mode = 0660;
  int workers = 1;
  int threads = 4;
  std::string config_file;  // re-read on SIGHUP for workers/threads
};

enum class ConfigPurpose { serve, migrate };

// Builds and validates the configuration. `flags` are the command-line
// settings by their environment names (TODO_WORKERS, ...). The error says which
// setting is wrong and how to fix it.
std::expected<Config, std::string> load_config(const EnvMap& flags, const std::string& config_file,
                                               ConfigPurpose purpose);

// Minimum length of JWT secrets, in bytes.
inline constexpr std::size_t kMinSecretBytes = 32;

}  // namespace todo
