#include "store/database.hpp"

#include <sys/socket.h>

#include <cerrno>
#include <utility>

#include "core/log.hpp"

namespace todo::store {

namespace {

// An idle connection has nothing to read: data or end-of-file there means the
// server has closed it (a shutting-down server sends a FATAL notice first).
// Found before anything is sent, it is safe to replace even for a write.
bool closed_by_server(const pqxx::connection& c) {
  char byte;
  ssize_t n = ::recv(c.sock(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  return n >= 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR);
}

}  // namespace

pqxx::connection& Database::connection() {
  if (connection_ && closed_by_server(*connection_)) connection_.reset();
  if (connection_) return *connection_;
  auto now = std::chrono::steady_clock::now();
  if (now - last_failure_ < options_.retry_after_failure)
    throw Unavailable("database unavailable: the last connection attempt failed moments ago");
  try {
    auto fresh = std::make_unique<pqxx::connection>(options_.url);
    // The form of timestamps as the store reads them (fields.hpp), whatever
    // the server's or the role's defaults.
    fresh->set_variable("TimeZone", "UTC");
    fresh->set_variable("DateStyle", "ISO");
    fresh->set_variable("statement_timeout", std::to_string(options_.statement_timeout.count()));
    fresh->set_variable("idle_in_transaction_session_timeout",
                        std::to_string(options_.statement_timeout.count() * 2));
    prepare_statements(*fresh);
    connection_ = std::move(fresh);
    if (options_.observer && std::exchange(connected_before_, true))
      options_.observer->reconnected();
    return *connection_;
  } catch (const std::exception& e) {
    fail("connect", e);
  }
}

// If the server restarted since this connection's last use and the check in
// connection() missed it, BEGIN is where we find out. Nothing was sent yet, so
// one retry on a new connection is safe.
template <typename Open>
auto Database::open_with_retry(Open&& open) -> decltype(open(std::declval<pqxx::connection&>())) {
  for (int attempt = 0;; ++attempt) {
    pqxx::connection& c = connection();
    try {
      return open(c);
    } catch (const pqxx::broken_connection& e) {
      connection_.reset();
      if (attempt > 0) fail("begin", e);
    }
  }
}

std::unique_ptr<pqxx::work> Database::begin() {
  return open_with_retry([](pqxx::connection& c) { return std::make_unique<pqxx::work>(c); });
}

std::unique_ptr<pqxx::nontransaction> Database::begin_autocommit() {
  // Nothing is sent until the first statement, so no retry here: a statement
  // cut off by a failing connection may have run, and is not sent twice.
  return std::make_unique<pqxx::nontransaction>(connection());
}

void Database::fail(const char* where, const std::exception& error) {
  connection_.reset();
  if (options_.observer) options_.observer->failed();
  last_failure_ = std::chrono::steady_clock::now();
  // libpq messages name the host and user, never the password.
  std::string message = std::string("database unavailable (") + where + "): " + error.what();
  log_error(message);
  throw Unavailable(message);
}

bool Database::ping() noexcept {
  // One bare statement, no BEGIN and COMMIT around it: one round trip instead
  // of three. A connection the server dropped since its last use gets one
  // fresh try, as a transaction's BEGIN would give it.
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      pqxx::nontransaction tx(connection());
      return tx.exec_prepared1("ping")[0].as<int>() == 1;
    } catch (const Unavailable&) {
      return false;  // connection() found the server unreachable and said so
    } catch (const pqxx::broken_connection&) {
      connection_.reset();
    } catch (const std::exception& e) {
      try {
        fail("ping", e);  // logs it and drops the connection
      } catch (...) {
      }
      return false;
    }
  }
  return false;
}

}  // namespace todo::store
