#include "metrics/process_stats.hpp"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>

namespace todo::metrics {

namespace {

std::string proc_path(pid_t pid, const char* what) {
  return "/proc/" + std::to_string(pid) + "/" + what;
}

// Seconds since the epoch at which the machine booted (btime in /proc/stat).
double boot_time() {
  std::ifstream stat("/proc/stat");
  for (std::string key; stat >> key;) {
    if (key == "btime") {
      double seconds = 0;
      stat >> seconds;
      return seconds;
    }
  }
  return 0;
}

// /proc/PID/stat, fields 14 and 15 (utime, stime), 22 (starttime), 23
// (vsize) and 24 (rss in pages), counted after the parenthesised name, which
// may itself hold spaces.
bool read_stat(pid_t pid, ProcessStats& out) {
  std::ifstream file(proc_path(pid, "stat"));
  std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  auto close = text.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  double utime = 0, stime = 0, start = 0, vsize = 0, rss = 0;
  for (int n = 3; fields >> field; ++n) {  // field 3 is the state
    if (n == 14) utime = std::stod(field);
    if (n == 15) stime = std::stod(field);
    if (n == 22) start = std::stod(field);
    if (n == 23) vsize = std::stod(field);
    if (n == 24) rss = std::stod(field);
  }
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  static const double booted = boot_time();
  out.cpu_seconds = (utime + stime) / ticks;
  out.start_time_seconds = booted + start / ticks;
  out.virtual_bytes = vsize;
  out.resident_bytes = rss * static_cast<double>(sysconf(_SC_PAGESIZE));
  return true;
}

struct CloseDir {
  void operator()(DIR* dir) const { closedir(dir); }
};

double count_fds(pid_t pid) {
  std::unique_ptr<DIR, CloseDir> dir(opendir(proc_path(pid, "fd").c_str()));
  if (!dir) return 0;
  double n = 0;
  while (dirent* entry = readdir(dir.get()))
    if (entry->d_name[0] != '.') ++n;
  return n;
}

double max_fds(pid_t pid) {
  rlimit limit{};
  if (prlimit(pid, RLIMIT_NOFILE, nullptr, &limit) != 0) return 0;
  return static_cast<double>(limit.rlim_cur);
}

}  // namespace

std::optional<ProcessStats> process_stats(pid_t pid) {
  ProcessStats stats;
  if (!read_stat(pid, stats)) return std::nullopt;
  stats.open_fds = count_fds(pid);
  stats.max_fds = max_fds(pid);
  return stats;
}

}  // namespace todo::metrics
