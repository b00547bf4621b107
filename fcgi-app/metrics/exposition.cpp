#include "metrics/exposition.hpp"

#include <algorithm>
#include <cstdio>
#include <vector>

#include "metrics/listen_queue.hpp"
#include "metrics/process_stats.hpp"

namespace todo::metrics {

namespace {

// Appends the text of one scrape. Label values here are route patterns,
// method and status names and pids: nothing to escape.
class Writer {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
  }
  void sample(std::string_view name, std::string_view labels, double value) {
    out_.append(name);
    if (!labels.empty()) out_.append("{").append(labels).append("}");
    char number[40];
    std::snprintf(number, sizeof number, " %.17g\n", value);
    out_.append(number);
  }
  void histogram(std::string_view name, std::string labels, const Histogram& h) {
    std::string prefix = labels.empty() ? "" : labels + ",";
    double cumulative = 0;
    for (std::size_t i = 0; i <= kBuckets.size(); ++i) {
      cumulative += static_cast<double>(h.buckets[i]);
      char bound[32];
      if (i < kBuckets.size())
        std::snprintf(bound, sizeof bound, "%g", kBuckets[i]);
      else
        std::snprintf(bound, sizeof bound, "+Inf");
      sample(std::string(name) + "_bucket", prefix + "le=\"" + bound + "\"", cumulative);
    }
    sample(std::string(name) + "_sum", labels, static_cast<double>(h.sum_ns) / 1e9);
    sample(std::string(name) + "_count", labels, static_cast<double>(h.count));
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// The counters of every slot a worker has had, added up.
struct Totals {
  std::vector<std::uint64_t> requests;  // [route][method][status]
  std::vector<Histogram> durations;     // [route]
  Histogram db_queries{};
  std::uint64_t auth_failures[kAuthReasons.size()]{};
  std::uint64_t bcrypt_refused = 0, db_errors = 0, db_reconnects = 0;
  std::int64_t workers = 0, threads = 0, busy = 0, bcrypt_waiting = 0;
  std::vector<pid_t> pids;

  Totals() : requests(kMaxRoutes * kMethods.size() * kStatuses.size()), durations(kMaxRoutes) {}
};

// A slot's histogram (read atomically) added into a sum.
void add_histogram(Histogram& sum, Histogram& h) {
  for (std::size_t i = 0; i <= kBuckets.size(); ++i) sum.buckets[i] += load(h.buckets[i]);
  sum.count += load(h.count);
  sum.sum_ns += load(h.sum_ns);
}

// Two sums added (plain: both are this scrape's own).
void merge(Histogram& sum, const Histogram& h) {
  for (std::size_t i = 0; i <= kBuckets.size(); ++i) sum.buckets[i] += h.buckets[i];
  sum.count += h.count;
  sum.sum_ns += h.sum_ns;
}

Totals sum_slots(Block& block) {
  Totals t;
  for (Slot& slot : block.slots) {
    if (!load(slot.used)) continue;
    for (std::size_t r = 0; r < kMaxRoutes; ++r) {
      for (std::size_t m = 0; m < kMethods.size(); ++m)
        for (std::size_t s = 0; s < kStatuses.size(); ++s)
          t.requests[(r * kMethods.size() + m) * kStatuses.size() + s] +=
              load(slot.requests[r][m][s]);
      add_histogram(t.durations[r], slot.durations[r]);
    }
    add_histogram(t.db_queries, slot.db_queries);
    for (std::size_t i = 0; i < kAuthReasons.size(); ++i)
      t.auth_failures[i] += load(slot.auth_failures[i]);
    t.bcrypt_refused += load(slot.bcrypt_refused);
    t.db_errors += load(slot.db_errors);
    t.db_reconnects += load(slot.db_reconnects);
    std::int64_t pid = load(slot.pid);
    if (pid <= 0) continue;  // its counts stay; its gauges went with it
    ++t.workers;
    t.threads += load(slot.threads);
    t.busy += load(slot.busy);
    t.bcrypt_waiting += load(slot.bcrypt_waiting);
    t.pids.push_back(static_cast<pid_t>(pid));
  }
  return t;
}

std::string quoted(std::string_view name, std::string_view value) {
  return std::string(name) + "=\"" + std::string(value) + "\"";
}

void write_requests(Writer& w, const Totals& t, const ScrapeSources& src) {
  w.family("todo_http_requests_total", "counter",
           "Requests answered, by route pattern, method and status.");
  for (std::size_t r = 0; r <= src.routes.size() && r < kMaxRoutes; ++r) {
    std::string route = quoted("route", r < src.routes.size() ? src.routes[r] : "none");
    for (std::size_t m = 0; m < kMethods.size(); ++m)
      for (std::size_t s = 0; s < kStatuses.size(); ++s) {
        auto n = t.requests[(r * kMethods.size() + m) * kStatuses.size() + s];
        if (n == 0) continue;
        std::string status = kStatuses[s] ? std::to_string(kStatuses[s]) : "other";
        w.sample("todo_http_requests_total",
                 route + "," + quoted("method", kMethods[m]) + "," + quoted("status", status),
                 static_cast<double>(n));
      }
  }
  w.family("todo_http_request_duration_seconds", "histogram",
           "Time from the request reaching the app to its answer, by route pattern.");
  // One series a pattern: the route table has a row a method.
  std::vector<std::string_view> done;
  for (std::size_t r = 0; r <= src.routes.size() && r < kMaxRoutes; ++r) {
    std::string_view pattern = r < src.routes.size() ? src.routes[r] : "none";
    if (std::ranges::find(done, pattern) != done.end()) continue;
    done.push_back(pattern);
    Histogram sum{};
    for (std::size_t same = r; same <= src.routes.size() && same < kMaxRoutes; ++same)
      if ((same < src.routes.size() ? src.routes[same] : "none") == pattern)
        merge(sum, t.durations[same]);
    w.histogram("todo_http_request_duration_seconds", quoted("route", pattern), sum);
  }
}

void write_pool(Writer& w, Block& block, const Totals& t, const ScrapeSources& src) {
  w.family("todo_threads", "gauge", "Worker threads, serving a request (busy) or waiting (idle).");
  w.sample("todo_threads", "state=\"busy\"", static_cast<double>(t.busy));
  w.sample("todo_threads", "state=\"idle\"", static_cast<double>(t.threads - t.busy));
  w.family("todo_worker_processes", "gauge", "Worker processes alive.");
  w.sample("todo_worker_processes", "", static_cast<double>(t.workers));
  w.family("todo_pool_generation", "gauge", "Pool generation: one more at each reload.");
  w.sample("todo_pool_generation", "", static_cast<double>(load(block.generation)));
  w.family("todo_worker_restarts_total", "counter", "Workers that died and were replaced.");
  w.sample("todo_worker_restarts_total", "", static_cast<double>(load(block.restarts)));
  if (auto queue = src.listen_fd >= 0 ? listen_queue_length(src.listen_fd) : std::nullopt) {
    w.family("todo_listen_queue_length", "gauge",
             "Connections waiting in the listening socket's backlog for a free thread.");
    w.sample("todo_listen_queue_length", "", static_cast<double>(*queue));
  }
}

void write_auth_and_db(Writer& w, const Totals& t) {
  w.family("todo_bcrypt_waiting", "gauge", "Threads waiting for or running a bcrypt hash.");
  w.sample("todo_bcrypt_waiting", "", static_cast<double>(t.bcrypt_waiting));
  w.family("todo_bcrypt_refused_total", "counter",
           "Sign-ins refused at once (503) because too many hashes were queued.");
  w.sample("todo_bcrypt_refused_total", "", static_cast<double>(t.bcrypt_refused));
  w.family("todo_auth_failures_total", "counter", "Bearer tokens refused, by reason.");
  for (std::size_t i = 0; i < kAuthReasons.size(); ++i)
    w.sample("todo_auth_failures_total", quoted("reason", kAuthReasons[i]),
             static_cast<double>(t.auth_failures[i]));
  w.family("todo_db_errors_total", "counter", "Database outages met: connection lost, timeouts.");
  w.sample("todo_db_errors_total", "", static_cast<double>(t.db_errors));
  w.family("todo_db_reconnects_total", "counter", "Database connections opened again.");
  w.sample("todo_db_reconnects_total", "", static_cast<double>(t.db_reconnects));
  w.family("todo_db_query_duration_seconds", "histogram",
           "Time of each statement or transaction, round trip included.");
  w.histogram("todo_db_query_duration_seconds", "", t.db_queries);
}

void write_processes(Writer& w, const Totals& t, std::string_view version) {
  std::vector<std::pair<pid_t, ProcessStats>> stats;
  for (pid_t pid : t.pids)
    if (auto s = process_stats(pid)) stats.emplace_back(pid, *s);
  struct Family {
    const char* name;
    const char* type;
    const char* help;
    double ProcessStats::*field;
  };
  static constexpr Family kFamilies[] = {
      {"process_cpu_seconds_total", "counter", "CPU time, user and system, of each worker.",
       &ProcessStats::cpu_seconds},
      {"process_start_time_seconds", "gauge", "When each worker started, since the epoch.",
       &ProcessStats::start_time_seconds},
      {"process_resident_memory_bytes", "gauge", "Resident memory of each worker.",
       &ProcessStats::resident_bytes},
      {"process_virtual_memory_bytes", "gauge", "Virtual memory of each worker.",
       &ProcessStats::virtual_bytes},
      {"process_open_fds", "gauge", "Open file descriptors of each worker.",
       &ProcessStats::open_fds},
      {"process_max_fds", "gauge", "Most file descriptors each worker may open.",
       &ProcessStats::max_fds},
  };
  for (const Family& f : kFamilies) {
    w.family(f.name, f.type, f.help);
    for (const auto& [pid, s] : stats)
      w.sample(f.name, quoted("pid", std::to_string(pid)), s.*f.field);
  }
  w.family("todo_build_info", "gauge", "The running build; always 1.");
  w.sample("todo_build_info", quoted("version", version), 1);
}

}  // namespace

std::string render(Block& block, const ScrapeSources& sources) {
  Totals totals = sum_slots(block);
  Writer w;
  write_requests(w, totals, sources);
  write_pool(w, block, totals, sources);
  write_auth_and_db(w, totals);
  write_processes(w, totals, sources.version);
  return w.take();
}

}  // namespace todo::metrics
