#pragma once
// Failed passwords per email, for the sign-in throttle: the store's interface
// and its PostgreSQL implementation (all of whose SQL is in
// sign_in_failures.cpp; the backoff itself is sign_in_failed() in
// db/migrations/0006).

#include <chrono>
#include <pqxx/pqxx>
#include <string_view>

#include "store/database.hpp"

namespace todo::store {

class SignInFailures {
 public:
  virtual ~SignInFailures() = default;

  // How long `email` must wait before its password is checked again; zero
  // when it may try now. The same for an email no account has.
  virtual std::chrono::seconds blocked_for(std::string_view email) = 0;
  // Counts one more failed password for `email`.
  virtual void failed(std::string_view email) = 0;
  // Forgets the failures of `email` (a password was right).
  virtual void clear(std::string_view email) = 0;
};

class PostgresSignInFailures final : public SignInFailures {
 public:
  explicit PostgresSignInFailures(Database& db) : db_(db) {}

  std::chrono::seconds blocked_for(std::string_view email) override;
  void failed(std::string_view email) override;
  void clear(std::string_view email) override;

 private:
  Database& db_;
};

void prepare_sign_in_failure_statements(pqxx::connection& connection);

}  // namespace todo::store
