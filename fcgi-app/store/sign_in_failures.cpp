#include "store/sign_in_failures.hpp"

namespace todo::store {

void prepare_sign_in_failure_statements(pqxx::connection& c) {
  c.prepare("sign_in_blocked_for",
            "SELECT ceil(extract(epoch FROM blocked_until - now()))::bigint FROM sign_in_failures "
            "WHERE email = lower($1) AND blocked_until > now()");
  c.prepare("sign_in_failed", "SELECT sign_in_failed($1)");
  c.prepare("sign_in_clear", "DELETE FROM sign_in_failures WHERE email = lower($1)");
}

std::chrono::seconds PostgresSignInFailures::blocked_for(std::string_view email) {
  return db_.autocommit([&](pqxx::transaction_base& tx) {
    pqxx::result r = tx.exec_prepared("sign_in_blocked_for", std::string(email));
    return std::chrono::seconds(r.empty() ? 0 : r[0][0].as<std::int64_t>());
  });
}

void PostgresSignInFailures::failed(std::string_view email) {
  db_.autocommit(
      [&](pqxx::transaction_base& tx) { tx.exec_prepared("sign_in_failed", std::string(email)); });
}

void PostgresSignInFailures::clear(std::string_view email) {
  db_.autocommit(
      [&](pqxx::transaction_base& tx) { tx.exec_prepared("sign_in_clear", std::string(email)); });
}

}  // namespace todo::store
