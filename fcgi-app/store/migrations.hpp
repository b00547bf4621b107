#pragma once
// Schema migrations: db/migrations/NNNN_name.sql, compiled into the binary,
// applied in order, each once, each in its own transaction, under an advisory
// lock so two `migrate` runs cannot interleave.

#include <pqxx/pqxx>
#include <span>
#include <string>
#include <vector>

namespace todo::store {

struct Migration {
  const char* name;  // file name without .sql, e.g. "0001_users_and_tasks"
  const char* sql;
};

// All migrations known to this binary, in order (generated at build time).
std::span<const Migration> embedded_migrations();

// Applies the pending migrations; returns the names it applied.
std::vector<std::string> apply_migrations(pqxx::connection& connection);

// Names of the migrations this binary knows that the database has not applied.
std::vector<std::string> pending_migrations(pqxx::connection& connection);

}  // namespace todo::store
