// todo-fcgi: the to-do service's FastCGI application.
//   todo-fcgi serve   [--config FILE] [--listen ADDR] [--workers N] [--threads T] ...
//   todo-fcgi migrate [--config FILE]

#include <curl/curl.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>
#include <string_view>

#include "auth/bcrypt_gate.hpp"
#include "auth/password.hpp"
#include "config/config.hpp"
#include "config/settings.hpp"
#include "core/log.hpp"
#include "metrics/pool_metrics.hpp"
#include "server/listen_socket.hpp"
#include "server/master.hpp"
#include "store/migrations.hpp"

namespace {

constexpr std::string_view kUsage = R"(usage: todo-fcgi COMMAND [OPTIONS]

Commands:
  serve     run the FastCGI worker pool (master + worker processes)
  migrate   apply pending database migrations, then exit
  version   print the version

Options (each sets the setting named beside it):
  --config FILE         environment-style settings file; re-read on SIGHUP for
                        TODO_WORKERS and TODO_THREADS
  --listen ADDR         TODO_LISTEN
  --workers N           TODO_WORKERS
  --threads T           TODO_THREADS
  --socket-mode MODE    TODO_SOCKET_MODE
  --socket-group GROUP  TODO_SOCKET_GROUP

Signals (serve): SIGTERM/SIGINT drain and exit; SIGHUP re-reads the worker count
and replaces the workers without dropping requests.

Settings (environment, --config file or the options above), [default]:
)";

struct CommandLine {
  std::string command;
  std::string config_file;
  todo::EnvMap flags;
};

int fail(const std::string& message) {
  std::cerr << "todo-fcgi: " << message << "\n";
  return 1;
}

std::expected<CommandLine, std::string> parse_command_line(int argc, char** argv) {
  static const std::pair<std::string_view, const char*> kFlags[] = {
      {"--listen", "TODO_LISTEN"},
      {"--workers", "TODO_WORKERS"},
      {"--threads", "TODO_THREADS"},
      {"--socket-mode", "TODO_SOCKET_MODE"},
      {"--socket-group", "TODO_SOCKET_GROUP"},
  };
  CommandLine cl;
  if (argc < 2) return std::unexpected("no command given; try --help");
  cl.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (i + 1 >= argc) return std::unexpected("option " + std::string(arg) + " needs a value");
    if (arg == "--config") {
      cl.config_file = argv[++i];
      continue;
    }
    bool known = false;
    for (const auto& [flag, name] : kFlags)
      if (arg == flag) {
        cl.flags[name] = argv[++i];
        known = true;
      }
    if (!known) return std::unexpected("unknown option " + std::string(arg) + "; try --help");
  }
  return cl;
}

// libpq reads PGCONNECT_TIMEOUT for every connection this process makes.
void apply_connect_timeout(const todo::Config& config) {
  setenv("PGCONNECT_TIMEOUT", std::to_string(config.db_connect_timeout.count()).c_str(), 0);
}

int migrate(const CommandLine& cl) {
  auto config = todo::load_config(cl.flags, cl.config_file, todo::ConfigPurpose::migrate);
  if (!config) return fail(config.error());
  apply_connect_timeout(*config);
  try {
    pqxx::connection connection(config->migration_database_url);
    auto applied = todo::store::apply_migrations(connection);
    if (applied.empty()) std::cout << "database is up to date\n";
    for (const auto& name : applied) std::cout << "applied " << name << "\n";
    return 0;
  } catch (const std::exception& e) {
    return fail(std::string("migration failed: ") + e.what());
  }
}

// Refuses an unmigrated database and a role that row-level security cannot
// hold. An unreachable database is only a warning: workers answer 503 until
// it is back.
std::expected<void, std::string> check_database(const todo::Config& config) {
  try {
    pqxx::connection connection(config.database_url);
    auto pending = todo::store::pending_migrations(connection);
    if (!pending.empty())
      return std::unexpected(
          "the database is behind this binary: " + std::to_string(pending.size()) +
          " migration(s) pending, first " + pending.front() + "; run `todo-fcgi migrate` first");
    pqxx::read_transaction tx(connection);
    bool bypasses =
        tx.exec("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")[0][0]
            .as<bool>();
    if (bypasses)
      return std::unexpected(
          "DATABASE_URL connects as a superuser or BYPASSRLS role, which row-level security "
          "cannot restrict; connect as the service role todo_app");
  } catch (const pqxx::broken_connection& e) {
    todo::log_error(std::string("database not reachable at start; serving 503 until it is: ") +
                    e.what());
  }
  return {};
}

int serve(const CommandLine& cl) {
  auto config = todo::load_config(cl.flags, cl.config_file, todo::ConfigPurpose::serve);
  if (!config) return fail(config.error());
  apply_connect_timeout(*config);
  if (auto ok = check_database(*config); !ok) return fail(ok.error());

  todo::server::ListenSocket socket = todo::server::socket_from_systemd();
  if (socket.fd < 0) {
    auto bound = todo::server::bind_listen_socket(
        {config->listen, config->socket_mode, config->socket_group, todo::server::kListenBacklog});
    if (!bound) return fail(bound.error());
    socket = *bound;
  }
  // libcurl (the external issuer's keys) is set up once, before any thread.
  curl_global_init(CURL_GLOBAL_DEFAULT);
  try {
    // Made before forking: the dummy hash costs one bcrypt, paid once.
    todo::auth::PasswordHasher passwords(config->bcrypt_cost);
    todo::auth::BcryptGate gate(config->bcrypt_concurrency, std::max(1, config->threads / 2));
    todo::metrics::SharedBlock metrics;
    return todo::server::run_master({socket, *config, cl.flags, passwords, gate, metrics.get()});
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && (std::strcmp(argv[1], "--help") == 0 || std::strcmp(argv[1], "help") == 0)) {
    std::cout << kUsage << todo::settings_help();
    return 0;
  }
  if (argc >= 2 &&
      (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "version") == 0)) {
    std::cout << "todo-fcgi " << TODO_VERSION << "\n";
    return 0;
  }
  auto cl = parse_command_line(argc, argv);
  if (!cl) return fail(cl.error());
  if (cl->command == "serve") return serve(*cl);
  if (cl->command == "migrate") return migrate(*cl);
  return fail("unknown command " + cl->command + "; try --help");
}
