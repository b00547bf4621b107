#include "store/migrations.hpp"

#include <set>

namespace todo::store {

namespace {

// An arbitrary constant shared by every `todo-fcgi migrate`.
constexpr long long kMigrationLockKey = 0x746f646f2d6d6967;  // "todo-mig"

std::set<std::string> applied_names(pqxx::transaction_base& tx) {
  std::set<std::string> names;
  auto exists = tx.exec("SELECT to_regclass('schema_migrations') IS NOT NULL")[0][0].as<bool>();
  if (!exists) return names;
  for (const auto& row : tx.exec("SELECT name FROM schema_migrations"))
    names.insert(row[0].as<std::string>());
  return names;
}

// Releases the session-level advisory lock however the run ends.
class AdvisoryLock {
 public:
  explicit AdvisoryLock(pqxx::connection& c) : connection_(c) {
    pqxx::nontransaction(c).exec_params("SELECT pg_advisory_lock($1)", kMigrationLockKey);
  }
  ~AdvisoryLock() {
    try {
      pqxx::nontransaction(connection_)
          .exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
    } catch (...) {
      // The lock goes with the session anyway.
    }
  }
  AdvisoryLock(const AdvisoryLock&) = delete;
  AdvisoryLock& operator=(const AdvisoryLock&) = delete;

 private:
  pqxx::connection& connection_;
};

}  // namespace

std::vector<std::string> apply_migrations(pqxx::connection& connection) {
  AdvisoryLock lock(connection);
  {
    pqxx::work tx(connection);
    tx.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " name text PRIMARY KEY,"
        " applied_at timestamptz NOT NULL DEFAULT now())");
    tx.commit();
  }
  std::vector<std::string> applied;
  for (const Migration& m : embedded_migrations()) {
    pqxx::work tx(connection);
    if (applied_names(tx).contains(m.name)) continue;
    tx.exec(m.sql);
    tx.exec_params("INSERT INTO schema_migrations (name) VALUES ($1)", std::string(m.name));
    tx.commit();
    applied.emplace_back(m.name);
  }
  return applied;
}

std::vector<std::string> pending_migrations(pqxx::connection& connection) {
  pqxx::read_transaction tx(connection);
  std::set<std::string> done = applied_names(tx);
  std::vector<std::string> pending;
  for (const Migration& m : embedded_migrations())
    if (!done.contains(m.name)) pending.emplace_back(m.name);
  return pending;
}

}  // namespace todo::store
