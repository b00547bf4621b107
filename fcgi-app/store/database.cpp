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

namespace {

// A read-committed transaction whose BEGIN message also sets app.user_id for
// row-level security: one round trip to the server instead of two (BEGIN,
// then SELECT set_config), on every task request. The user id is sent as a
// literal escaped by libpq (PQescapeStringConn), as a simple query cannot
// carry parameters; it is the subject of a token we verified.
class UserTransaction final : public pqxx::internal::basic_transaction {
 public:
  UserTransaction(pqxx::connection_base& c, std::string_view user_id)
      : namedclass{"UserTransaction"},
        basic_transaction(c, pqxx::isolation_traits<pqxx::read_committed>::name(), pqxx::read_write),
        begin_sql_(begin_sql(c, user_id)) {
    Begin();
  }
  ~UserTransaction() noexcept override { End(); }

 private:
  void do_begin() override { direct_exec(begin_sql_.c_str()); }

  static std::string begin_sql(pqxx::connection_base& c, std::string_view user_id) {
    std::string sql = "BEGIN; SELECT set_config('app.user_id', '";
    sql.append(c.esc(user_id.data(), user_id.size())).append("', true)");
    return sql;
  }

  std::string begin_sql_;
};

}  // namespace

// If the server restarted since this connection's last use, BEGIN is where we
// find out. Nothing was sent yet, so one retry on a new connection is safe.
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

std::unique_ptr<pqxx::transaction_base> Database::begin_as(std::string_view user_id) {
  return open_with_retry([user_id](pqxx::connection& c) -> std::unique_ptr<pqxx::transaction_base> {
    return std::make_unique<UserTransaction>(c, user_id);
  });
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
  // One bare statement, no BEGIN and COMMIT around it: one round trip instead
  // of three. A connection the server dropped since its last use gets one
  // fresh try, as a transaction's BEGIN would give it.
  for (int attempt = 0; attempt < 2; ++attempt) {
    try {
      pqxx::nontransaction tx(connection());
      return tx.exec_prepared1("ping")[0].as<int>() == 1;
    } catch (const HttpError&) {
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
