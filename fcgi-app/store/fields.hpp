#pragma once
// Reading columns out of a result row: text copied once, straight from
// libpq's buffer, and timestamps in the API's form.

#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>

namespace todo::store {

inline std::string_view view(const pqxx::field& field) {
  return {field.c_str(), field.size()};
}

inline std::string text(const pqxx::field& field) {
  return std::string(view(field));
}

// A text column that may be NULL. (pqxx 6.4's own std::optional support does
// not compile in C++23 mode.)
inline std::optional<std::string> nullable_text(const pqxx::field& field) {
  if (field.is_null()) return std::nullopt;
  return text(field);
}

// A timestamptz column as RFC 3339 in UTC with microseconds,
// "2026-12-02T03:51:01.500000Z". The connection runs with TimeZone UTC and
// DateStyle ISO, so PostgreSQL sends "2026-12-02 03:51:01.5+00"; reformatting
// that here costs a fraction of to_char on the server.
std::string utc_timestamp(const pqxx::field& field);

// The same conversion on the text itself; throws std::invalid_argument for
// anything but a UTC ISO timestamp.
std::string utc_timestamp(std::string_view iso);

}  // namespace todo::store
