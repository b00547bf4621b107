#pragma once
// The users table. All of its SQL lives in users.cpp.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>

#include "store/database.hpp"

namespace todo::store {

struct User {
  std::string id;
  std::string email;
  std::optional<std::string> name;
  std::optional<std::string> password_hash;
  std::int64_t token_version = 0;
  std::string created_at;  // RFC 3339, UTC
};

class Users {
 public:
  explicit Users(Database& db) : db_(db) {}

  // The new user, or nullopt when the email is taken (in any letter case).
  std::optional<User> create(std::string_view email, const std::optional<std::string>& name,
                             std::string_view password_hash);

  // The user with this email (compared case-insensitively), if any.
  std::optional<User> find_by_email(std::string_view email);

  std::optional<User> find_by_id(std::string_view user_id);

  // Replaces the password hash and revokes every refresh token; returns the new version.
  std::optional<std::int64_t> change_password(std::string_view user_id,
                                              std::string_view password_hash);

  // Stores a hash made at the current cost, keeping refresh tokens valid.
  void rehash_password(std::string_view user_id, std::string_view password_hash);

  // Revokes every refresh token of the user; returns the new version.
  std::optional<std::int64_t> bump_token_version(std::string_view user_id);

 private:
  Database& db_;
};

void prepare_user_statements(pqxx::connection& connection);

}  // namespace todo::store
