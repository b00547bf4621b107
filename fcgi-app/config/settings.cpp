#include "config/settings.hpp"

#include <sstream>

#include "core/text.hpp"

namespace todo {

namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  while (!text.empty()) {
    std::size_t comma = text.find(',');
    if (auto item = trim(text.substr(0, comma)); !item.empty()) items.emplace_back(item);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
  }
  return items;
}

constexpr Setting kSettings[] = {
    {"DATABASE_URL", SettingKind::secret, "",
     "libpq URL of the service role, e.g. postgresql://todo_app:PW@db:5432/todo (required)", 0, 0,
     [](Config& c, std::string_view s, long) { c.database_url = s; }},
    {"MIGRATION_DATABASE_URL", SettingKind::secret, "",
     "libpq URL of the owner role `migrate` uses (default: DATABASE_URL)", 0, 0,
     [](Config& c, std::string_view s, long) { c.migration_database_url = s; }},
    {"DB_CONNECT_TIMEOUT", SettingKind::number, "3",
     "seconds before a connection attempt fails (then 503)", 1, 60,
     [](Config& c, std::string_view, long n) { c.db_connect_timeout = seconds(n); }},
    {"DB_STATEMENT_TIMEOUT", SettingKind::number, "5000",
     "milliseconds a statement may run (then 503)", 100, 600000,
     [](Config& c, std::string_view, long n) { c.db_statement_timeout = milliseconds(n); }},
    {"JWT_SECRET", SettingKind::secret, "", "HS256 signing secret, at least 32 bytes (required)", 0,
     0, [](Config& c, std::string_view s, long) { c.jwt_secret = s; }, true},
    {"JWT_PREVIOUS_SECRET", SettingKind::secret, "",
     "the secret before the last rotation: still verifies, never signs", 0, 0,
     [](Config& c, std::string_view s, long) { c.jwt_previous_secret = s; }, true},
    {"JWT_ISSUER", SettingKind::text, "todo-fcgi",
     "iss of issued tokens, required on verified ones", 0, 0,
     [](Config& c, std::string_view s, long) { c.jwt_issuer = s; }},
    {"JWT_AUDIENCE", SettingKind::text, "todo-api",
     "aud of issued tokens, required on verified ones", 0, 0,
     [](Config& c, std::string_view s, long) { c.jwt_audience = s; }},
    {"EXTERNAL_JWKS_URL", SettingKind::text, "",
     "JWKS of an external issuer (Better Auth: <base URL>/api/auth/jwks); https, or http to "
     "loopback",
     0, 0, [](Config& c, std::string_view s, long) { c.external_jwks_url = s; }, true},
    {"EXTERNAL_ISSUER", SettingKind::text, "",
     "iss required on external tokens (Better Auth: its base URL)", 0, 0,
     [](Config& c, std::string_view s, long) { c.external_issuer = s; }, true},
    {"EXTERNAL_AUDIENCE", SettingKind::text, "",
     "aud required on external tokens (default: EXTERNAL_ISSUER)", 0, 0,
     [](Config& c, std::string_view s, long) { c.external_audience = s; }, true},
    {"LOCAL_ACCOUNTS", SettingKind::toggle, "on",
     "on: this service's own register/login routes; off: only external tokens", 0, 1,
     [](Config& c, std::string_view, long n) { c.local_accounts = n != 0; }, true},
    {"ACCESS_TOKEN_TTL", SettingKind::number, "900", "access token lifetime, seconds", 60, 86400,
     [](Config& c, std::string_view, long n) { c.access_token_ttl = seconds(n); }},
    {"REFRESH_TOKEN_TTL", SettingKind::number, "2592000",
     "a session's life without a refresh, seconds", 300, 365L * 86400,
     [](Config& c, std::string_view, long n) { c.refresh_token_ttl = seconds(n); }},
    {"REFRESH_REUSE_GRACE", SettingKind::number, "10",
     "seconds the previous refresh token answers REFRESH_STALE instead of ending the session", 0,
     300, [](Config& c, std::string_view, long n) { c.refresh_reuse_grace = seconds(n); }},
    {"BCRYPT_COST", SettingKind::number, "12",
     "bcrypt cost; hashes of another cost are upgraded at the next login", 10, 15,
     [](Config& c, std::string_view, long n) { c.bcrypt_cost = static_cast<int>(n); }},
    {"BCRYPT_CONCURRENCY", SettingKind::number, "",
     "bcrypt hashes at once on the whole machine (default: cores / 2, at least 1)", 1, 256,
     [](Config& c, std::string_view, long n) { c.bcrypt_concurrency = static_cast<int>(n); }},
    {"MAX_BODY_BYTES", SettingKind::number, "65536", "request body cap, bytes", 1024,
     16L * 1024 * 1024,
     [](Config& c, std::string_view, long n) { c.max_body_bytes = static_cast<std::size_t>(n); }},
    {"ALLOWED_ORIGINS", SettingKind::text, "",
     "comma-separated origins allowed on the cookie routes (default: https://<Host>)", 0, 0,
     [](Config& c, std::string_view s, long) { c.allowed_origins = split_list(s); }},
    {"TODO_LISTEN", SettingKind::text, "",
     "unix socket path or HOST:PORT; ignored under socket activation", 0, 0,
     [](Config& c, std::string_view s, long) { c.listen = s; }},
    {"TODO_SOCKET_MODE", SettingKind::mode, "0660", "mode of a unix socket bound here", 0, 0777,
     [](Config& c, std::string_view, long n) { c.socket_mode = static_cast<mode_t>(n); }},
    {"TODO_SOCKET_GROUP", SettingKind::text, "", "group of that socket (nginx's, www-data)", 0, 0,
     [](Config& c, std::string_view s, long) { c.socket_group = s; }},
    {"TODO_WORKERS", SettingKind::number, "",
     "worker processes (default: number of cores); re-read on SIGHUP", 1, 256,
     [](Config& c, std::string_view, long n) { c.workers = static_cast<int>(n); }},
    {"TODO_THREADS", SettingKind::number, "4",
     "threads per worker, each with one PostgreSQL connection; re-read on SIGHUP", 1, 256,
     [](Config& c, std::string_view, long n) { c.threads = static_cast<int>(n); }},
};

}  // namespace

std::span<const Setting> settings() {
  return kSettings;
}

std::string settings_help() {
  std::ostringstream out;
  for (const Setting& s : kSettings) {
    std::string name(s.name);
    if (s.kind == SettingKind::secret) name += " *";
    out << "  " << name << std::string(name.size() < 26 ? 26 - name.size() : 1, ' ') << s.help;
    if (!s.fallback.empty()) out << " [" << s.fallback << "]";
    out << "\n";
  }
  out << "  (* also NAME_FILE, or the systemd credential <name in lower case>)\n";
  return out.str();
}

}  // namespace todo
