#pragma once
// The service's configuration: read once at start, validated once, then passed
// down as a value. Sources, strongest first: command-line flags, the --config
// file, the process environment. Secrets may also come from NAME_FILE or a
// systemd credential ($CREDENTIALS_DIRECTORY/<lower-case name>). Every setting,
// its range, default and meaning is one row of kSettings (settings.hpp).

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <expected>
#include <string>
#include <vector>

#include "config/env_file.hpp"

namespace todo {

// Defaults live in kSettings, not here: a Config is made by load_config.
struct Config {
  // Database
  std::string database_url;            // the service role (no table ownership)
  std::string migration_database_url;  // the owner role used by `migrate`
  std::chrono::seconds db_connect_timeout{};
  std::chrono::milliseconds db_statement_timeout{};

  // Tokens
  std::string jwt_secret;
  std::string jwt_previous_secret;
  std::string jwt_issuer;
  std::string jwt_audience;
  std::chrono::seconds access_token_ttl{};
  std::chrono::seconds refresh_token_ttl{};
  std::chrono::seconds refresh_reuse_grace{};  // the previous refresh token is stale, not stolen

  // An external identity provider (Better Auth): its tokens are accepted beside local ones.
  std::string external_jwks_url;  // empty: none
  std::string external_issuer;
  std::string external_audience;  // the issuer unless set
  bool local_accounts = true;     // off: only external tokens, the local sign-in routes 404

  // Passwords
  int bcrypt_cost = 0;
  int bcrypt_concurrency = 0;  // machine-wide bcrypt hashes at once

  // Requests
  std::size_t max_body_bytes = 0;
  std::vector<std::string> allowed_origins;  // for cookie routes; empty: same origin as Host

  // Processes
  std::string listen;  // unix socket path or host:port; unused under socket activation
  std::string socket_group;
  mode_t socket_mode = 0;
  int workers = 0;
  int threads = 0;
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
