#include "metrics/pool_metrics.hpp"

#include <sys/mman.h>

#include <stdexcept>

namespace todo::metrics {

static_assert(std::atomic_ref<std::uint64_t>::is_always_lock_free,
              "shared counters must not need a lock");

void observe(Histogram& h, std::chrono::nanoseconds duration) {
  double seconds = std::chrono::duration<double>(duration).count();
  std::size_t bucket = 0;
  while (bucket < kBuckets.size() && seconds > kBuckets[bucket]) ++bucket;
  add(h.buckets[bucket]);
  add(h.count);
  add(h.sum_ns, static_cast<std::uint64_t>(duration.count()));
}

SharedBlock::SharedBlock() {
  // Anonymous and shared: zeroed pages, inherited by every fork; a page is
  // only resident once a worker writes to it.
  void* memory =
      mmap(nullptr, sizeof(Block), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (memory == MAP_FAILED) throw std::runtime_error("metrics: cannot map shared memory");
  block_ = static_cast<Block*>(memory);
}

SharedBlock::~SharedBlock() {
  munmap(block_, sizeof(Block));
}

Slot* claim_slot(Block& block, std::int64_t threads) {
  for (Slot& slot : block.slots) {
    if (load(slot.pid) != 0) continue;
    store(slot.pid, std::int64_t{-1});  // claimed; the pid follows the fork
    store(slot.threads, threads);
    store(slot.busy, std::int64_t{0});  // a killed worker may have left these up
    store(slot.bcrypt_waiting, std::int64_t{0});
    store(slot.used, std::uint64_t{1});
    return &slot;
  }
  return nullptr;  // more workers than slots: this one goes uncounted
}

void assign_slot(Slot& slot, pid_t pid) {
  store(slot.pid, std::int64_t{pid});
}

void release_slot(Block& block, pid_t pid) {
  for (Slot& slot : block.slots)
    if (load(slot.pid) == pid) {
      store(slot.busy, std::int64_t{0});
      store(slot.bcrypt_waiting, std::int64_t{0});
      store(slot.pid, std::int64_t{0});
    }
}

}  // namespace todo::metrics
