#include "config/config.hpp"

#include <arpa/inet.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/settings.hpp"
#include "core/text.hpp"

namespace todo {

namespace {

using Problem = std::unexpected<std::string>;

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
    if (!file) return Problem(what + ": cannot read " + path);
    std::ostringstream text;
    text << file.rdbuf();
    std::string value = text.str();
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    return std::optional<std::string>{std::move(value)};
  }

  const EnvMap& flags_;
  EnvMap file_;
};

std::expected<long, std::string> parse_number(const Setting& s, const std::string& text) {
  if (s.kind == SettingKind::toggle) {
    if (text == "on" || text == "off") return text == "on" ? 1 : 0;
    return Problem(std::string(s.name) + " must be on or off (got \"" + text + "\")");
  }
  long value = 0;
  int base = s.kind == SettingKind::mode ? 8 : 10;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value, base);
  if (ec == std::errc{} && end == text.data() + text.size() && value >= s.min && value <= s.max)
    return value;
  if (s.kind == SettingKind::mode)
    return Problem(std::string(s.name) + " must be an octal mode such as 0660");
  return Problem(std::string(s.name) + " must be a whole number from " + std::to_string(s.min) +
                 " to " + std::to_string(s.max) + " (got \"" + text + "\")");
}

// The setting's text from the sources, or its fallback; nullopt when neither is there.
std::expected<std::optional<std::string>, std::string> text_of(const Sources& src,
                                                               const Setting& s) {
  std::optional<std::string> text;
  if (s.kind == SettingKind::secret) {
    auto secret = src.secret(std::string(s.name));
    if (!secret) return Problem(secret.error());
    text = std::move(*secret);
  } else {
    text = src.get(std::string(s.name));
  }
  // An empty number means "not set"; an empty text may be meant (TODO_SOCKET_GROUP=).
  bool is_number =
      s.kind == SettingKind::number || s.kind == SettingKind::mode || s.kind == SettingKind::toggle;
  if ((!text || (is_number && text->empty())) && !s.fallback.empty())
    text = std::string(s.fallback);
  if (text && is_number && text->empty()) text.reset();
  return text;
}

std::expected<void, std::string> apply(const Sources& src, const Setting& s, Config& c) {
  auto text = text_of(src, s);
  if (!text) return Problem(text.error());
  if (!*text) return {};
  if (s.kind == SettingKind::number || s.kind == SettingKind::mode ||
      s.kind == SettingKind::toggle) {
    auto number = parse_number(s, **text);
    if (!number) return Problem(number.error());
    s.apply(c, {}, *number);
  } else {
    s.apply(c, **text, 0);
  }
  return {};
}

// The host of an http(s) URL, without brackets or port; nullopt when there is none or the
// URL carries user information (credentials do not belong in a setting that gets logged).
std::optional<std::string> url_host(std::string_view url, std::string_view scheme) {
  std::string_view rest = url.substr(scheme.size());
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (rest.empty() || rest.find('@') != std::string_view::npos) return std::nullopt;
  if (rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return std::string(rest.substr(1, close - 1));
  }
  return to_lower_ascii(rest.substr(0, rest.find(':')));
}

// Plain HTTP is only for an issuer on this machine: anyone on the path could replace the
// keys of a remote one.
bool is_loopback_host(const std::string& host) {
  if (host == "localhost" || host == "::1") return true;
  in_addr address{};
  return inet_pton(AF_INET, host.c_str(), &address) == 1 && (ntohl(address.s_addr) >> 24) == 127;
}

std::expected<void, std::string> check_jwks_url(const std::string& url) {
  constexpr std::string_view kHttps = "https://", kHttp = "http://";
  const bool https = url.starts_with(kHttps);
  if (!https && !url.starts_with(kHttp)) {
    return Problem("EXTERNAL_JWKS_URL must be an https:// URL (got \"" + url + "\")");
  }
  const auto host = url_host(url, https ? kHttps : kHttp);
  if (!host || host->empty()) {
    return Problem("EXTERNAL_JWKS_URL has no host, or user:password@ in it (got \"" + url + "\")");
  }
  if (!https && !is_loopback_host(*host)) {
    return Problem(
        "EXTERNAL_JWKS_URL must use https:// unless the issuer runs on this machine "
        "(127.0.0.1, [::1] or localhost): a JWKS fetched over plain HTTP can be "
        "replaced on the way (got \"" +
        url + "\")");
  }
  return {};
}

// The external issuer: both of its settings or neither; its audience defaults to it.
std::expected<void, std::string> check_external_issuer(Config& c) {
  if (c.external_jwks_url.empty() != c.external_issuer.empty()) {
    return Problem(
        "EXTERNAL_JWKS_URL and EXTERNAL_ISSUER go together: set both (for Better Auth, "
        "EXTERNAL_ISSUER=<its base URL> and EXTERNAL_JWKS_URL=<its base URL>/api/auth/jwks) or "
        "neither");
  }
  if (c.external_audience.empty()) c.external_audience = c.external_issuer;
  if (!c.external_jwks_url.empty()) {
    if (auto ok = check_jwks_url(c.external_jwks_url); !ok) return ok;
  }
  if (!c.local_accounts && c.external_issuer.empty()) {
    return Problem(
        "LOCAL_ACCOUNTS=off leaves no way to sign in: set EXTERNAL_ISSUER and "
        "EXTERNAL_JWKS_URL to an identity provider such as Better Auth, or set "
        "LOCAL_ACCOUNTS=on");
  }
  return {};
}

int cores() {
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<int>(n) : 1;
}

// What no single setting can say alone: what is required, and secrets' strength.
std::expected<void, std::string> check(Config& c, ConfigPurpose purpose) {
  if (c.migration_database_url.empty()) c.migration_database_url = c.database_url;
  if ((purpose == ConfigPurpose::serve ? c.database_url : c.migration_database_url).empty())
    return Problem(
        "DATABASE_URL is not set: give a libpq URL such as "
        "postgresql://todo_app:PASSWORD@127.0.0.1:5432/todo");
  if (purpose == ConfigPurpose::migrate) return {};
  if (c.jwt_secret.empty())
    return Problem(
        "JWT_SECRET is not set: give at least 32 random bytes, e.g. from `openssl rand -base64 "
        "48`, in JWT_SECRET, JWT_SECRET_FILE or the systemd credential jwt_secret");
  if (c.jwt_secret.size() < kMinSecretBytes)
    return Problem("JWT_SECRET is too weak: " + std::to_string(c.jwt_secret.size()) +
                   " bytes, at least " + std::to_string(kMinSecretBytes) +
                   " are required (try `openssl rand -base64 48`)");
  if (!c.jwt_previous_secret.empty() && c.jwt_previous_secret.size() < kMinSecretBytes)
    return Problem("JWT_PREVIOUS_SECRET is too weak: at least " + std::to_string(kMinSecretBytes) +
                   " bytes are required");
  if (c.jwt_issuer.empty() || c.jwt_audience.empty())
    return Problem("JWT_ISSUER and JWT_AUDIENCE must not be empty");
  return check_external_issuer(c);
}

}  // namespace

std::expected<Config, std::string> load_config(const EnvMap& flags, const std::string& config_file,
                                               ConfigPurpose purpose) {
  EnvMap file;
  if (!config_file.empty()) {
    auto read = read_env_file(config_file);
    if (!read) return Problem(read.error());
    file = std::move(*read);
  }
  Sources src(flags, std::move(file));
  Config c;
  c.config_file = config_file;
  c.workers = cores();
  c.bcrypt_concurrency = std::max(1, cores() / 2);
  for (const Setting& s : settings()) {
    if (s.serve_only && purpose != ConfigPurpose::serve) continue;
    if (auto ok = apply(src, s, c); !ok) return Problem(ok.error());
  }
  if (auto ok = check(c, purpose); !ok) return Problem(ok.error());
  return c;
}

}  // namespace todo
