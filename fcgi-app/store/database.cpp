#include "store/database.hpp"

#include <algorithm>

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

// True for ids made only of characters that need no quoting in SQL: our
// UUIDs and external issuers' alphanumeric ids.
bool is_plain_id(std::string_view id) {
  return !id.empty() && id.size() <= 128 && std::ranges::all_of(id, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || c == '.';
  });
}

// A read-committed transaction with app.user_id set for row-level security.
// For a plain id, BEGIN and set_config travel as one simple query: one round
// trip instead of two on every task request. A simple query carries no
// parameters, so this is the one statement with a value in its text, and
// only for ids that cannot hold a quote or a backslash (escaped by libpq all
// the same); any other id takes the parameterised second round trip.
class UserTransaction final : public pqxx::internal::basic_transaction {
 public:
  UserTransaction(pqxx::connection_base& c, std::string_view user_id)
      : namedclass{"UserTransaction"},
        basic_transaction(c, pqxx::isolation_traits<pqxx::read_committed>::name(),
                          pqxx::read_write),
        begin_sql_(is_plain_id(user_id) ? merged_begin(c, user_id) : "BEGIN") {
    Begin();
    if (!is_plain_id(user_id))
      exec_params("SELECT set_config('app.user_id', $1, true)", std::string(user_id));
  }
  ~UserTransaction() noexcept override { End(); }

 private:
  void do_begin() override { direct_exec(begin_sql_.c_str()); }

  static std::string merged_begin(pqxx::connection_base& c, std::string_view user_id) {
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
