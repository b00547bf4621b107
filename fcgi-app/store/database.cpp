#include "store/database.hpp"

#include "core/log.hpp"

namespace todo::store {

pqxx::connection& Database::connection() {
  if (connection_) return *connection_;
  auto now = std::chrono::steady_clock::now();
  if (now - last_failure_ < options_.retry_after_failure) throw unavailable();
  try {
    auto fresh = std::make_unique<pqxx::connection>(options_.url);
    fresh->set_variable("statement_timeout", std::to_string(options_.statement_timeout.count()));
    fresh->set_variable("idle_in_transaction_session_timeout",
                        std::to_string(options_.statement_timeout.count() * 2));
    prepare_statements(*fresh);
    connection_ = std::move(fresh);
    return *connection_;
  } catch (const std::exception& e) {
    fail("connect", e);
  }
}

std::unique_ptr<pqxx::work> Database::begin() {
  // If the server restarted since this connection's last use, BEGIN is where
  // we find out. Nothing was sent yet, so one retry on a new connection is safe.
  for (int attempt = 0;; ++attempt) {
    pqxx::connection& c = connection();
    try {
      return std::make_unique<pqxx::work>(c);
    } catch (const pqxx::broken_connection& e) {
      connection_.reset();
      if (attempt > 0) fail("begin", e);
    }
  }
}

void Database::fail(const char* where, const std::exception& error) {
  connection_.reset();
  last_failure_ = std::chrono::steady_clock::now();
  // libpq messages name the host and user, never the password.
  std::string message = std::string("database unavailable (") + where + "): " + error.what();
  log_error(message);
  throw unavailable();
}

bool Database::ping() noexcept {
  try {
    return transaction([](pqxx::work& tx) { return tx.exec_prepared1("ping")[0].as<int>() == 1; });
  } catch (...) {
    return false;
  }
}

}  // namespace todo::store
