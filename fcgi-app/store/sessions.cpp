#include "store/sessions.hpp"

#include <algorithm>
#include <array>

namespace todo::store {

namespace {

#define SESSION_COLUMNS "id, created_at, last_used_at, device"

// A session's lifetime as a PostgreSQL interval parameter: "2592000 seconds".
std::string interval(std::chrono::seconds s) {
  return std::to_string(s.count()) + " seconds";
}

constexpr std::array<std::pair<std::string_view, Rotation>, 4> kRotations{{
    {"rotated", Rotation::rotated},
    {"stale", Rotation::stale},
    {"reused", Rotation::reused},
    {"ended", Rotation::ended},
}};

}  // namespace

void prepare_session_statements(pqxx::connection& c) {
  // Sessions dead for a month go when their user next logs in.
  c.prepare(
      "session_open",
      "WITH gone AS (DELETE FROM sessions WHERE user_id = $1 AND "
      "  (expires_at < now() - interval '30 days' OR revoked_at < now() - interval '30 days')) "
      "INSERT INTO sessions (user_id, device, token_id, expires_at) "
      "VALUES ($1, $2, $3::uuid, now() + $4::interval) RETURNING id::text");
  c.prepare("session_rotate",
            "SELECT session_rotate($1, $2::uuid, $3::uuid, $4::uuid, $5::interval, $6::interval)");
  c.prepare("session_is_current",
            "SELECT 1 FROM sessions WHERE id = $2::uuid AND user_id = $1 AND token_id = $3::uuid "
            "AND revoked_at IS NULL AND expires_at > now()");
  c.prepare(
      "session_renew",
      "UPDATE sessions SET previous_token_id = NULL, token_id = $3::uuid, rotated_at = now(), "
      "last_used_at = now(), expires_at = now() + $4::interval "
      "WHERE id = $2::uuid AND user_id = $1 AND revoked_at IS NULL AND expires_at > now()");
  c.prepare("session_end",
            "UPDATE sessions SET revoked_at = now() WHERE id = $2::uuid AND user_id = $1 "
            "AND revoked_at IS NULL AND expires_at > now()");
  c.prepare("session_end_all",
            "UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL "
            "AND id::text <> $2");
  c.prepare("session_live",
            "SELECT " SESSION_COLUMNS
            " FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() "
            "ORDER BY last_used_at DESC, id");
}

std::string PostgresSessions::open(std::string_view user_id, std::string_view device,
                                   std::string_view token_id, std::chrono::seconds lifetime) {
  return db_.autocommit([&](pqxx::transaction_base& tx) {
    return tx
        .exec_prepared1("session_open", std::string(user_id), std::string(device),
                        std::string(token_id), interval(lifetime))[0]
        .as<std::string>();
  });
}

Rotation PostgresSessions::rotate(std::string_view user_id, std::string_view session_id,
                                  std::string_view token_id, std::string_view next_id,
                                  std::chrono::seconds lifetime, std::chrono::seconds grace) {
  std::string outcome = db_.autocommit([&](pqxx::transaction_base& tx) {
    return tx
        .exec_prepared1("session_rotate", std::string(user_id), std::string(session_id),
                        std::string(token_id), std::string(next_id), interval(lifetime),
                        interval(grace))[0]
        .as<std::string>();
  });
  auto it = std::ranges::find(kRotations, outcome, &std::pair<std::string_view, Rotation>::first);
  return it == kRotations.end() ? Rotation::ended : it->second;
}

bool PostgresSessions::is_current(std::string_view user_id, std::string_view session_id,
                                  std::string_view token_id) {
  return db_.autocommit([&](pqxx::transaction_base& tx) {
    return !tx.exec_prepared("session_is_current", std::string(user_id), std::string(session_id),
                             std::string(token_id))
                .empty();
  });
}

bool PostgresSessions::renew(std::string_view user_id, std::string_view session_id,
                             std::string_view token_id, std::chrono::seconds lifetime) {
  return db_.autocommit([&](pqxx::transaction_base& tx) {
    return tx.exec_prepared("session_renew", std::string(user_id), std::string(session_id),
                            std::string(token_id), interval(lifetime))
               .affected_rows() == 1;
  });
}

bool PostgresSessions::end(std::string_view user_id, std::string_view session_id) {
  return db_.autocommit([&](pqxx::transaction_base& tx) {
    return tx.exec_prepared("session_end", std::string(user_id), std::string(session_id))
               .affected_rows() == 1;
  });
}

void PostgresSessions::end_all(std::string_view user_id, std::string_view keep) {
  db_.autocommit([&](pqxx::transaction_base& tx) {
    tx.exec_prepared("session_end_all", std::string(user_id), std::string(keep));
  });
}

std::vector<Session> PostgresSessions::live(std::string_view user_id) {
  return db_.autocommit([&](pqxx::transaction_base& tx) {
    std::vector<Session> sessions;
    for (const auto& row : tx.exec_prepared("session_live", std::string(user_id)))
      sessions.push_back(
          {text(row[0]), utc_timestamp(row[1]), utc_timestamp(row[2]), text(row[3])});
    return sessions;
  });
}

}  // namespace todo::store
