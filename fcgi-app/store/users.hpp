#pragma once
// Accounts: what a user is, the store's interface, and its PostgreSQL
// implementation (all of whose SQL is in users.cpp).

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>

#include "store/database.hpp"

namespace todo::store {

struct User {
  std::string id;
  std::optional<std::string> email;  // only an external user may have none
  std::optional<std::string> name;
  std::optional<std::string> password_hash;
  std::string created_at;  // RFC 3339, UTC
};

class Users {
 public:
  virtual ~Users() = default;

  // The new user, or nullopt when the email is taken (in any letter case).
  virtual std::optional<User> create(std::string_view email, const std::optional<std::string>& name,
                                     std::string_view password_hash) = 0;
  // The local user with this email (compared case-insensitively), if any.
  virtual std::optional<User> find_by_email(std::string_view email) = 0;
  virtual std::optional<User> find_by_id(std::string_view user_id) = 0;
  // Replaces the password hash (a new password, or the same one hashed at the
  // current cost); false when there is no such user.
  virtual bool set_password_hash(std::string_view user_id, std::string_view password_hash) = 0;
  // Makes the user `user_id` of `issuer` exist (an external identity provider
  // vouched for them); false when that id is taken by a local user or one of
  // another issuer.
  virtual bool admit_external(std::string_view user_id, std::string_view issuer,
                              const std::optional<std::string>& email) = 0;
};

class PostgresUsers final : public Users {
 public:
  explicit PostgresUsers(Database& db) : db_(db) {}

  std::optional<User> create(std::string_view email, const std::optional<std::string>& name,
                             std::string_view password_hash) override;
  std::optional<User> find_by_email(std::string_view email) override;
  std::optional<User> find_by_id(std::string_view user_id) override;
  bool set_password_hash(std::string_view user_id, std::string_view password_hash) override;
  bool admit_external(std::string_view user_id, std::string_view issuer,
                      const std::optional<std::string>& email) override;

 private:
  Database& db_;
};

void prepare_user_statements(pqxx::connection& connection);

}  // namespace todo::store
