#pragma once
// Sessions: one per login, behind the refresh cookie. The store's interface
// and its PostgreSQL implementation (all of whose SQL is in sessions.cpp).

#include <chrono>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace todo::store {

struct Session {
  std::string id;
  std::string created_at;  // RFC 3339, UTC
  std::string last_used_at;
  std::string device;  // "Firefox on Linux"
};

// What spending a refresh token did (see session_rotate in db/migrations/0006).
enum class Rotation {
  rotated,  // it was the current token; the next one is current now
  stale,    // it was the one just replaced, within the grace window: nothing changed
  reused,   // it was spent before: the session is revoked
  ended,    // the session is not live (logged out, revoked, expired, not this user's)
};

class Sessions {
 public:
  virtual ~Sessions() = default;

  // Opens a session whose current refresh token is `token_id`; returns its id.
  virtual std::string open(std::string_view user_id, std::string_view device,
                           std::string_view token_id, std::chrono::seconds lifetime) = 0;
  // Spends `token_id` and makes `next_id` current when `token_id` is current.
  virtual Rotation rotate(std::string_view user_id, std::string_view session_id,
                          std::string_view token_id, std::string_view next_id,
                          std::chrono::seconds lifetime, std::chrono::seconds grace) = 0;
  // True when `token_id` is the current token of a live session of the user.
  virtual bool is_current(std::string_view user_id, std::string_view session_id,
                          std::string_view token_id) = 0;
  // Makes `token_id` the session's current token, whatever it was; false when
  // the session is not a live one of the user.
  virtual bool renew(std::string_view user_id, std::string_view session_id,
                     std::string_view token_id, std::chrono::seconds lifetime) = 0;
  // Ends one live session of the user; false when there is none with this id.
  virtual bool end(std::string_view user_id, std::string_view session_id) = 0;
  // Ends every live session of the user except `keep` (which may be "").
  virtual void end_all(std::string_view user_id, std::string_view keep) = 0;
  // The user's live sessions, most recently used first.
  virtual std::vector<Session> live(std::string_view user_id) = 0;
};

class PostgresSessions final : public Sessions {
 public:
  explicit PostgresSessions(Database& db) : db_(db) {}

  std::string open(std::string_view user_id, std::string_view device, std::string_view token_id,
                   std::chrono::seconds lifetime) override;
  Rotation rotate(std::string_view user_id, std::string_view session_id, std::string_view token_id,
                  std::string_view next_id, std::chrono::seconds lifetime,
                  std::chrono::seconds grace) override;
  bool is_current(std::string_view user_id, std::string_view session_id,
                  std::string_view token_id) override;
  bool renew(std::string_view user_id, std::string_view session_id, std::string_view token_id,
             std::chrono::seconds lifetime) override;
  bool end(std::string_view user_id, std::string_view session_id) override;
  void end_all(std::string_view user_id, std::string_view keep) override;
  std::vector<Session> live(std::string_view user_id) override;

 private:
  Database& db_;
};

void prepare_session_statements(pqxx::connection& connection);

}  // namespace todo::store
