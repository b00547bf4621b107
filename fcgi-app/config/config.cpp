#include "config/config.hpp"

#include <grp.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/text.hpp"

namespace todo {

namespace {

class Sources {
 public:
  Sources(const EnvMap& flags, EnvMap file) : flags_(flags), file_(std::move(file)) {}

  std::optional<std::string> get(const std::string& name) const {
    if (auto it = flags_.find(name); it != flags_.end()) return it->second;
    if (auto it = file_.find(name); it != file_.end()) return it->second;
    if (const char* value = std::getenv(name.c_str())) return std::string(value);
    return std::nullopt;
  }

  // NAME, else the file named by NAME_FILE, else the systemd credential.
  std::expected<std::optional<std::string>, std::string> secret(const std::string& name) const {
    if (auto value = get(name); value && !value->empty()) return value;
    if (auto path = get(name + "_FILE"); path && !path->empty())
      return read_secret(*path, name + "_FILE");
    if (const char* dir = std::getenv("CREDENTIALS_DIRECTORY")) {
      std::string path = std::string(dir) + "/" + to_lower_ascii(name);
      if (std::filesystem::exists(path))
        return read_secret(path, "credential " + to_lower_ascii(name));
    }
    return std::optional<std::string>{};
  }

 private:
  static std::expected<std::optional<std::string>, std::string> read_secret(
      const std::string& path, const std::string& what) {
    std::ifstream file(path, std::ios::binary);
    if (!file) return std::unexpected(what + ": cannot read " + path);
    std::ostringstream text;
    text << file.rdbuf();
    std::string value = text.str();
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    return std::optional<std::string>{std::move(value)};
  }

  const EnvMap& flags_;
  EnvMap file_;
};

std::expected<long, std::string> parse_int(const std::string& name, const std::string& text,
                                           long min, long max) {
  long value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || value < min || value > max)
    return std::unexpected(name + " must be a whole number from " + std::to_string(min) + " to " +
                           std::to_string(max) + " (got \"" + text + "\")");
  return value;
}

// Reads an integer setting into `out` when present.
template <typename T, typename Convert>
std::expected<void, std::string> read_int(const Sources& src, const std::string& name, long min,
                                          long max, T& out, Convert convert) {
  auto text = src.get(name);
  if (!text || text->empty()) return {};
  auto value = parse_int(name, *text, min, max);
  if (!value) return std::unexpected(value.error());
  out = convert(*value);
  return {};
}

template <typename T>
std::expected<void, std::string> read_int(const Sources& src, const std::string& name, long min,
                                          long max, T& out) {
  return read_int(src, name, min, max, out, [](long v) { return static_cast<T>(v); });
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::istringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    if (auto t = trim(item); !t.empty()) items.emplace_back(t);
  return items;
}

int default_workers() {
  long cores = sysconf(_SC_NPROCESSORS_ONLN);
  return cores > 0 ? static_cast<int>(cores) : 1;
}

std::expected<void, std::string> read_secrets(const Sources& src, Config& c,
                                              ConfigPurpose purpose) {
  auto db = src.secret("DATABASE_URL");
  if (!db) return std::unexpected(db.error());
  c.database_url = db->value_or("");
  auto owner = src.secret("MIGRATION_DATABASE_URL");
  if (!owner) return std::unexpected(owner.error());
  c.migration_database_url = owner->value_or(c.database_url);
  if ((purpose == ConfigPurpose::serve ? c.database_url : c.migration_database_url).empty())
    return std::unexpected(
        "DATABASE_URL is not set: give a libpq URL such as "
        "postgresql://todo_app:PASSWORD@127.0.0.1:5432/todo");
  if (purpose == ConfigPurpose::migrate) return {};

  auto secret = src.secret("JWT_SECRET");
  if (!secret) return std::unexpected(secret.error());
  c.jwt_secret = secret->value_or("");
  if (c.jwt_secret.empty())
    return std::unexpected(
        "JWT_SECRET is not set: give at least 32 random bytes, e.g. from `openssl rand -base64 "
        "48`, "
        "in JWT_SECRET, JWT_SECRET_FILE or the systemd credential jwt_secret");
  if (c.jwt_secret.size() < kMinSecretBytes)
    return std::unexpected("JWT_SECRET is too weak: " + std::to_string(c.jwt_secret.size()) +
                           " bytes, at least 32 are required (try `openssl rand -base64 48`)");
  auto previous = src.secret("JWT_PREVIOUS_SECRET");
  if (!previous) return std::unexpected(previous.error());
  c.jwt_previous_secret = previous->value_or("");
  if (!c.jwt_previous_secret.empty() && c.jwt_previous_secret.size() < kMinSecretBytes)
    return std::unexpected("JWT_PREVIOUS_SECRET is too weak: at least 32 bytes are required");
  return {};
}

std::expected<void, std::string> read_numbers(const Sources& src, Config& c) {
  auto seconds = [](long v) { return std::chrono::seconds(v); };
  for (auto step : {
           read_int(src, "DB_CONNECT_TIMEOUT", 1, 60, c.db_connect_timeout, seconds),
           read_int(src, "DB_STATEMENT_TIMEOUT", 100, 600000, c.db_statement_timeout,
                    [](long v) { return std::chrono::milliseconds(v); }),
           read_int(src, "ACCESS_TOKEN_TTL", 60, 86400, c.access_token_ttl, seconds),
           read_int(src, "REFRESH_TOKEN_TTL", 300, 365L * 86400, c.refresh_token_ttl, seconds),
           read_int(src, "BCRYPT_COST", 10, 15, c.bcrypt_cost),
           read_int(src, "BCRYPT_CONCURRENCY", 1, 256, c.bcrypt_concurrency),
           read_int(src, "MAX_BODY_BYTES", 1024, 16L * 1024 * 1024, c.max_body_bytes),
           read_int(src, "TODO_WORKERS", 1, 256, c.workers),
           read_int(src, "TODO_THREADS", 1, 256, c.threads),
       })
    if (!step) return step;
  return {};
}

std::expected<void, std::string> read_socket_mode(const Sources& src, Config& c) {
  auto text = src.get("TODO_SOCKET_MODE");
  if (!text || text->empty()) return {};
  unsigned mode = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), mode, 8);
  if (ec != std::errc{} || end != text->data() + text->size() || mode > 0777)
    return std::unexpected("TODO_SOCKET_MODE must be an octal mode such as 0660");
  c.socket_mode = static_cast<mode_t>(mode);
  return {};
}

}  // namespace

std::expected<Config, std::string> load_config(const EnvMap& flags, const std::string& config_file,
                                               ConfigPurpose purpose) {
  EnvMap file;
  if (!config_file.empty()) {
    auto read = read_env_file(config_file);
    if (!read) return std::unexpected(read.error());
    file = std::move(*read);
  }
  Sources src(flags, std::move(file));
  Config c;
  c.config_file = config_file;
  c.workers = default_workers();
  c.bcrypt_concurrency = std::max(1, default_workers() / 2);
  for (auto step : {read_secrets(src, c, purpose), read_numbers(src, c), read_socket_mode(src, c)})
    if (!step) return std::unexpected(step.error());
  c.jwt_issuer = src.get("JWT_ISSUER").value_or(c.jwt_issuer);
  c.jwt_audience = src.get("JWT_AUDIENCE").value_or(c.jwt_audience);
  c.listen = src.get("TODO_LISTEN").value_or("");
  c.socket_group = src.get("TODO_SOCKET_GROUP").value_or("");
  c.allowed_origins = split_list(src.get("ALLOWED_ORIGINS").value_or(""));
  if (c.jwt_issuer.empty() || c.jwt_audience.empty())
    return std::unexpected("JWT_ISSUER and JWT_AUDIENCE must not be empty");
  return c;
}

}  // namespace todo
