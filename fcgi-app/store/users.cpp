#include "store/users.hpp"

namespace todo::store {

namespace {

#define USER_COLUMNS "id, email, name, password_hash, created_at"

User user_from(const pqxx::row& row) {
  return User{text(row[0]), nullable_text(row[1]), nullable_text(row[2]), nullable_text(row[3]),
              utc_timestamp(row[4])};
}

std::optional<User> first_user(const pqxx::result& result) {
  if (result.empty()) return std::nullopt;
  return user_from(result[0]);
}

}  // namespace

void prepare_user_statements(pqxx::connection& c) {
  // ON CONFLICT DO NOTHING: a taken email gives no row instead of an error,
  // which would abort the transaction.
  c.prepare("user_create",
            "INSERT INTO users (email, name, password_hash) VALUES ($1, $2, $3) "
            "ON CONFLICT ((lower(email))) WHERE issuer IS NULL DO NOTHING RETURNING " USER_COLUMNS);
  c.prepare("user_by_email",
            "SELECT " USER_COLUMNS " FROM users WHERE lower(email) = lower($1) AND issuer IS NULL");
  c.prepare("user_by_id", "SELECT " USER_COLUMNS " FROM users WHERE id = $1");
  // The row that was made, or the one that was there: whose it is decides.
  c.prepare("user_admit_external",
            "WITH made AS (INSERT INTO users (id, email, issuer) VALUES ($1, $3, $2) "
            "ON CONFLICT (id) DO NOTHING RETURNING issuer) "
            "SELECT issuer FROM made UNION ALL SELECT issuer FROM users WHERE id = $1 LIMIT 1");
  c.prepare("user_issuer", "SELECT issuer FROM users WHERE id = $1");
  c.prepare("user_set_password_hash",
            "UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1");
}

std::optional<User> PostgresUsers::create(std::string_view email,
                                          const std::optional<std::string>& name,
                                          std::string_view password_hash) {
  return db_.autocommit([&](pqxx::transaction_base& tx) {
    return first_user(
        tx.exec_prepared("user_create", std::string(email), name, std::string(password_hash)));
  });
}

std::optional<User> PostgresUsers::find_by_email(std::string_view email) {
  return db_.autocommit([&](pqxx::transaction_base& tx) {
    return first_user(tx.exec_prepared("user_by_email", std::string(email)));
  });
}

std::optional<User> PostgresUsers::find_by_id(std::string_view user_id) {
  return db_.autocommit([&](pqxx::transaction_base& tx) {
    return first_user(tx.exec_prepared("user_by_id", std::string(user_id)));
  });
}

bool PostgresUsers::set_password_hash(std::string_view user_id, std::string_view password_hash) {
  return db_.autocommit([&](pqxx::transaction_base& tx) {
    return tx.exec_prepared("user_set_password_hash", std::string(user_id),
                            std::string(password_hash))
               .affected_rows() == 1;
  });
}

bool PostgresUsers::admit_external(std::string_view user_id, std::string_view issuer,
                                   const std::optional<std::string>& email) {
  return db_.autocommit([&](pqxx::transaction_base& tx) {
    pqxx::result r =
        tx.exec_prepared("user_admit_external", std::string(user_id), std::string(issuer), email);
    // Empty when another request made the row at the same moment: this
    // statement's snapshot is older than that row, the next one's is not.
    if (r.empty()) r = tx.exec_prepared("user_issuer", std::string(user_id));
    return !r.empty() && !r[0][0].is_null() && r[0][0].as<std::string>() == issuer;
  });
}

}  // namespace todo::store
