#include "core/log.hpp"

#include <unistd.h>

#include <cstdio>
#include <ctime>
#include <string>

namespace todo {

namespace {

// "2026-11-24T23:07:40.123Z"
void append_timestamp(std::string& out) {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()) % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof buf - n, ".%03dZ", static_cast<int>(millis.count()));
  out += buf;
}

// One write(2) per line, so lines from many threads and processes never interleave.
void write_line(std::string& line) {
  line.push_back('\n');
  std::size_t done = 0;
  while (done < line.size()) {
    ssize_t n = ::write(STDERR_FILENO, line.data() + done, line.size() - done);
    if (n <= 0) return;
    done += static_cast<std::size_t>(n);
  }
}

void log_message(std::string_view level, std::string_view message) {
  std::string line;
  append_timestamp(line);
  line.append(" level=").append(level).append(" msg=\"");
  for (char c : message) line.push_back(c == '"' || c == '\n' ? '\'' : c);
  line.push_back('"');
  write_line(line);
}

// Values come from clients or tokens: keep each one a single printable word.
void append_word(std::string& out, std::string_view value) {
  if (value.empty()) value = "-";
  for (char c : value) out.push_back(c > ' ' && c < 0x7F && c != '"' ? c : '?');
}

}  // namespace

void log_access(const AccessLogEntry& e) {
  std::string line;
  line.reserve(160);
  append_timestamp(line);
  char duration[32];
  std::snprintf(duration, sizeof duration, "%.3f",
                static_cast<double>(e.duration.count()) / 1000.0);
  line.append(" rid=");
  append_word(line, e.request_id);
  line.append(" method=");
  append_word(line, e.method);
  line.append(" route=");
  append_word(line, e.route);
  line.append(" status=").append(std::to_string(e.status));
  line.append(" ms=").append(duration);
  line.append(" user=");
  append_word(line, e.user_id);
  write_line(line);
}

void log_info(std::string_view message) {
  log_message("info", message);
}
void log_error(std::string_view message) {
  log_message("error", message);
}

}  // namespace todo
