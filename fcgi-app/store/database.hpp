#pragma once
// One PostgreSQL connection, owned by one worker thread: opened lazily,
// re-opened after the server comes back, with every statement prepared on it.
// Any failure to reach the database surfaces as store::Unavailable.

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <utility>

#include "store/errors.hpp"
#include "store/fields.hpp"

namespace todo::store {

// What a connection reports, for the pool's metrics.
class DatabaseObserver {
 public:
  virtual ~DatabaseObserver() = default;
  virtual void query(std::chrono::nanoseconds took) = 0;  // a statement or transaction done
  virtual void failed() = 0;                              // an outage (Unavailable)
  virtual void reconnected() = 0;  // a connection opened after this thread's first
};

struct DatabaseOptions {
  std::string url;
  std::chrono::milliseconds statement_timeout{5000};
  // After a failed connect, requests get 503 at once for this long instead of
  // each paying for another attempt.
  std::chrono::milliseconds retry_after_failure{250};
  DatabaseObserver* observer = nullptr;
};

class Database {
 public:
  explicit Database(DatabaseOptions options) : options_(std::move(options)) {}

  // Runs fn(pqxx::work&) in one transaction and commits it.
  template <typename Fn>
  auto transaction(Fn&& fn) -> decltype(fn(std::declval<pqxx::work&>()));

  // Runs fn(pqxx::nontransaction&): no BEGIN or COMMIT, each statement is its
  // own transaction. For work that is one statement, such as a call of one
  // of the task functions: one round trip in all.
  template <typename Fn>
  auto autocommit(Fn&& fn) -> decltype(fn(std::declval<pqxx::nontransaction&>()));

  // True when a trivial query succeeds; never throws.
  bool ping() noexcept;

 private:
  pqxx::connection& connection();
  std::unique_ptr<pqxx::work> begin();
  std::unique_ptr<pqxx::nontransaction> begin_autocommit();
  template <typename Open>
  auto open_with_retry(Open&& open) -> decltype(open(std::declval<pqxx::connection&>()));
  // Runs fn on the transaction `begin` opens, commits it, and turns outages into Unavailable.
  template <typename Begin, typename Fn>
  auto run(Begin&& begin, Fn&& fn) -> decltype(fn(*begin()));
  [[noreturn]] void fail(const char* where, const std::exception& error);

  // Reports how long the work took, once it has succeeded.
  class Timing {
   public:
    explicit Timing(DatabaseObserver* observer)
        : observer_(observer), started_(std::chrono::steady_clock::now()) {}
    void done() {
      if (observer_) observer_->query(std::chrono::steady_clock::now() - started_);
    }

   private:
    DatabaseObserver* observer_;
    std::chrono::steady_clock::time_point started_;
  };

  DatabaseOptions options_;
  std::unique_ptr<pqxx::connection> connection_;
  bool connected_before_ = false;
  std::chrono::steady_clock::time_point last_failure_{};
};

// Registers every statement the store uses on a fresh connection.
void prepare_statements(pqxx::connection& connection);

template <typename Begin, typename Fn>
auto Database::run(Begin&& begin, Fn&& fn) -> decltype(fn(*begin())) {
  // The transaction lives inside the try block, so it is gone before a handler
  // below drops the connection it points to.
  try {
    Timing timing(options_.observer);
    auto tx = begin();
    if constexpr (std::is_void_v<decltype(fn(*tx))>) {
      fn(*tx);
      tx->commit();
      timing.done();
    } else {
      auto result = fn(*tx);
      tx->commit();
      timing.done();
      return result;
    }
  } catch (const pqxx::broken_connection& e) {
    fail("transaction", e);
  } catch (const pqxx::in_doubt_error& e) {
    fail("commit", e);
  } catch (const pqxx::sql_error& e) {
    // Timeouts, lack of connections or a server shutting down are outages,
    // not bugs, like any other unreachable database. So is a server that
    // has turned read-only under an open connection (25006: a primary fenced
    // before a switchover, a managed one out of disk): fail() drops the
    // connection, and the next one goes to whichever host of DATABASE_URL
    // is writable now (target_session_attrs=read-write).
    std::string_view state = e.sqlstate();
    if (state.starts_with("57") || state.starts_with("53") || state.starts_with("08") ||
        state == "25006")
      fail("statement", e);
    // require_user() found no such user, or a row's foreign key (every one
    // names users) did.
    if (state == "TDU01" || state == "23503") throw UnknownUser();
    throw;
  }
}

template <typename Fn>
auto Database::transaction(Fn&& fn) -> decltype(fn(std::declval<pqxx::work&>())) {
  return run([this] { return begin(); }, std::forward<Fn>(fn));
}

template <typename Fn>
auto Database::autocommit(Fn&& fn) -> decltype(fn(std::declval<pqxx::nontransaction&>())) {
  return run([this] { return begin_autocommit(); }, std::forward<Fn>(fn));
}

}  // namespace todo::store
