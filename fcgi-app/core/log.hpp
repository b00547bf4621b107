#pragma once
// Log lines on stderr (journald under systemd). One line per request; never a
// token, password or hash: only the fields named here are ever written.

#include <chrono>
#include <string_view>

namespace todo {

struct AccessLogEntry {
  std::string_view request_id;
  std::string_view method;
  std::string_view route;  // the matched pattern, so ids in paths stay out of the log
  int status = 0;
  std::chrono::microseconds duration{};
  std::string_view user_id;  // empty when unauthenticated
};

void log_access(const AccessLogEntry& entry);

// A free-form operational message ("worker 123 exited", "migrated 0002_...").
void log_info(std::string_view message);
void log_error(std::string_view message);

}  // namespace todo
