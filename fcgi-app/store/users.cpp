#include "store/users.hpp"

namespace todo::store {

namespace {

#define USER_COLUMNS                                \
  "id, email, name, password_hash, token_version, " \
  "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

User user_from(const pqxx::row& row) {
  return User{row[0].as<std::string>(), row[1].as<std::string>(),  nullable_text(row[2]),
              nullable_text(row[3]),    row[4].as<std::int64_t>(), row[5].as<std::string>()};
}

std::optional<User> first_user(const pqxx::result& result) {
  if (result.empty()) return std::nullopt;
  return user_from(result[0]);
}

std::optional<std::int64_t> first_version(const pqxx::result& result) {
  if (result.empty()) return std::nullopt;
  return result[0][0].as<std::int64_t>();
}

}  // namespace

void prepare_user_statements(pqxx::connection& c) {
  // ON CONFLICT DO NOTHING: a taken email gives no row instead of an error,
  // which would abort the transaction.
  c.prepare("user_create",
            "INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) "
            "ON CONFLICT ((lower(email))) DO NOTHING RETURNING " USER_COLUMNS);
  c.prepare("user_by_email", "SELECT " USER_COLUMNS " FROM users WHERE lower(email) = lower($1)");
  c.prepare("user_by_id", "SELECT " USER_COLUMNS " FROM users WHERE id = $1");
  c.prepare("user_change_password",
            "UPDATE users SET password_hash = $2, token_version = token_version + 1, "
            "updated_at = now() WHERE id = $1 RETURNING token_version");
  c.prepare("user_rehash_password",
            "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1");
  c.prepare("user_bump_token_version",
            "UPDATE users SET token_version = token_version + 1, updated_at = now() "
            "WHERE id = $1 RETURNING token_version");
}

std::optional<User> PostgresUsers::create(std::string_view email,
                                          const std::optional<std::string>& name,
                                          std::string_view password_hash) {
  return db_.transaction([&](pqxx::work& tx) {
    return first_user(
        tx.exec_prepared("user_create", std::string(email), name, std::string(password_hash)));
  });
}

std::optional<User> PostgresUsers::find_by_email(std::string_view email) {
  return db_.transaction([&](pqxx::work& tx) {
    return first_user(tx.exec_prepared("user_by_email", std::string(email)));
  });
}

std::optional<User> PostgresUsers::find_by_id(std::string_view user_id) {
  return db_.transaction([&](pqxx::work& tx) {
    return first_user(tx.exec_prepared("user_by_id", std::string(user_id)));
  });
}

std::optional<std::int64_t> PostgresUsers::change_password(std::string_view user_id,
                                                           std::string_view password_hash) {
  return db_.transaction([&](pqxx::work& tx) {
    return first_version(
        tx.exec_prepared("user_change_password", std::string(user_id), std::string(password_hash)));
  });
}

void PostgresUsers::rehash_password(std::string_view user_id, std::string_view password_hash) {
  db_.transaction([&](pqxx::work& tx) {
    tx.exec_prepared0("user_rehash_password", std::string(user_id), std::string(password_hash));
  });
}

std::optional<std::int64_t> PostgresUsers::bump_token_version(std::string_view user_id) {
  return db_.transaction([&](pqxx::work& tx) {
    return first_version(tx.exec_prepared("user_bump_token_version", std::string(user_id)));
  });
}

}  // namespace todo::store
