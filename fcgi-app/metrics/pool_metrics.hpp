#pragma once
// The worker pool's metrics: one block of shared memory that the master maps
// before forking, with one slot per worker process. A worker writes only its
// own slot, with relaxed atomic adds (no lock shared between processes, none
// at all); a scrape, in whichever worker answers /metrics, sums the slots.
// Counters are never reset: a slot keeps the counts of the worker that died
// in it, and its replacement adds to them.

#include <sys/types.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace todo::metrics {

// What the counters are split by. Fixed, so a slot is a fixed-size array.
inline constexpr std::size_t kMaxRoutes = 24;  // the route table, plus "no route"
inline constexpr std::array<std::string_view, 8> kMethods{"GET",    "HEAD",  "POST",    "PUT",
                                                          "DELETE", "PATCH", "OPTIONS", "other"};
inline constexpr std::array<int, 21> kStatuses{200, 201, 204, 301, 400, 401, 403,
                                               404, 405, 409, 413, 414, 415, 422,
                                               429, 500, 501, 502, 503, 504, 0};  // 0: other
inline constexpr std::array<double, 14> kBuckets{
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};  // seconds
// Why a bearer token was refused: the JwtError names, then "missing".
inline constexpr std::array<std::string_view, 13> kAuthReasons{
    "too_large",      "malformed",          "wrong_algorithm", "wrong_type",    "unknown_key",
    "bad_signature",  "bad_claims",         "expired",         "not_yet_valid", "wrong_issuer",
    "wrong_audience", "issuer_unavailable", "missing"};

// Plain integers, read and written through std::atomic_ref: zeroed shared
// memory is a valid Block as it is, with nothing to construct.
struct Histogram {
  std::uint64_t buckets[kBuckets.size() + 1];  // the last one: above every bound
  std::uint64_t count;
  std::uint64_t sum_ns;
};

struct Slot {
  std::int64_t pid;  // 0: no worker (yet, or any more)
  std::int64_t threads;
  std::int64_t busy;  // threads serving a request
  std::int64_t bcrypt_waiting;
  std::uint64_t used;  // non-zero once a worker has had it: its counts are summed
  std::uint64_t bcrypt_refused;
  std::uint64_t db_errors;
  std::uint64_t db_reconnects;
  std::uint64_t auth_failures[kAuthReasons.size()];
  std::uint64_t requests[kMaxRoutes][kMethods.size()][kStatuses.size()];
  Histogram durations[kMaxRoutes];
  Histogram db_queries;
};

// Room for twice the most workers a pool may have: during a reload the old
// generation drains while the new one starts.
inline constexpr std::size_t kMaxSlots = 2 * 256;

struct Block {
  std::uint64_t generation;
  std::uint64_t restarts;
  Slot slots[kMaxSlots];
};

template <typename T>
void add(T& counter, T n = 1) {
  std::atomic_ref<T>(counter).fetch_add(n, std::memory_order_relaxed);
}
template <typename T>
T load(T& value) {
  return std::atomic_ref<T>(value).load(std::memory_order_relaxed);
}
template <typename T>
void store(T& value, T n) {
  std::atomic_ref<T>(value).store(n, std::memory_order_relaxed);
}

void observe(Histogram& h, std::chrono::nanoseconds duration);

// The block, mapped shared and anonymous: made by the master before the first
// fork, so every worker inherits the same pages. Unmapped when it goes.
class SharedBlock {
 public:
  SharedBlock();
  ~SharedBlock();
  SharedBlock(const SharedBlock&) = delete;
  SharedBlock& operator=(const SharedBlock&) = delete;

  Block& get() const { return *block_; }

 private:
  Block* block_;
};

// The master's side: which slot a new worker gets (a free one: a dead
// worker's counts stay in it and the new one adds to them), and which are
// free again. Gauges are reset for the new worker; counters never are.
Slot* claim_slot(Block& block, std::int64_t threads);
void assign_slot(Slot& slot, pid_t pid);
void release_slot(Block& block, pid_t pid);

}  // namespace todo::metrics
