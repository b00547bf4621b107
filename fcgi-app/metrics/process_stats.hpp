#pragma once
// The standard process_* figures of one process, from /proc (Prometheus'
// client libraries publish the same for their own process; here a scrape
// reads them for every worker of the pool).

#include <sys/types.h>

#include <optional>

namespace todo::metrics {

struct ProcessStats {
  double cpu_seconds = 0;         // user + system
  double start_time_seconds = 0;  // since the epoch
  double resident_bytes = 0;
  double virtual_bytes = 0;
  double open_fds = 0;
  double max_fds = 0;
};

// nullopt when the process is gone (or not ours to read).
std::optional<ProcessStats> process_stats(pid_t pid);

}  // namespace todo::metrics
