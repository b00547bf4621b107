#pragma once
// Everything the handlers keep: one interface per table, and whether the
// database answers at all. PostgresStore is the service's; the fuzzer has one
// in memory (tests/fuzz/memory_store.hpp).

#include "store/database.hpp"
#include "store/sessions.hpp"
#include "store/sign_in_failures.hpp"
#include "store/tasks.hpp"
#include "store/users.hpp"

namespace todo::store {

class Store {
 public:
  virtual ~Store() = default;

  virtual Tasks& tasks() = 0;
  virtual Users& users() = 0;
  virtual Sessions& sessions() = 0;
  virtual SignInFailures& sign_in_failures() = 0;
  // True when the database answers a trivial query; never throws.
  virtual bool ping() noexcept = 0;
};

// One worker thread's: its own connection, opened on first use.
class PostgresStore final : public Store {
 public:
  explicit PostgresStore(DatabaseOptions options)
      : db_(std::move(options)), tasks_(db_), users_(db_), sessions_(db_), failures_(db_) {}
  PostgresStore(const PostgresStore&) = delete;
  PostgresStore& operator=(const PostgresStore&) = delete;

  Tasks& tasks() override { return tasks_; }
  Users& users() override { return users_; }
  Sessions& sessions() override { return sessions_; }
  SignInFailures& sign_in_failures() override { return failures_; }
  bool ping() noexcept override { return db_.ping(); }

 private:
  Database db_;
  PostgresTasks tasks_;
  PostgresUsers users_;
  PostgresSessions sessions_;
  PostgresSignInFailures failures_;
};

}  // namespace todo::store
