#pragma once
// One worker process's hand on the pool's metrics: it records into the
// process's own slot, for the app (requests, refused tokens, busy threads),
// the store (queries, outages, reconnects) and the bcrypt gate.

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/bcrypt_gate.hpp"
#include "auth/jwt.hpp"
#include "metrics/pool_metrics.hpp"
#include "store/database.hpp"

namespace todo::metrics {

class Recorder final : public store::DatabaseObserver, public auth::GateObserver {
 public:
  // `routes` are the route patterns, by index; `listen_fd` is the pool's
  // listening socket, whose queue a scrape reports.
  Recorder(Block& block, Slot& slot, std::vector<std::string_view> routes, int listen_fd)
      : block_(block), slot_(slot), routes_(std::move(routes)), listen_fd_(listen_fd) {}

  // One answered request: `route` is its index in the route table (the
  // table's size for no route), `status` the answer's.
  void request(std::size_t route, std::string_view method, int status,
               std::chrono::nanoseconds took);
  // A bearer token refused, and why (a missing one: std::nullopt).
  void token_refused(std::optional<auth::JwtError> why);

  // While one exists, its thread counts as busy.
  class Busy {
   public:
    explicit Busy(Recorder* r) : slot_(r ? &r->slot_ : nullptr) {
      if (slot_) add(slot_->busy);
    }
    ~Busy() {
      if (slot_) add(slot_->busy, std::int64_t{-1});
    }
    Busy(const Busy&) = delete;
    Busy& operator=(const Busy&) = delete;

   private:
    Slot* slot_;
  };

  void query(std::chrono::nanoseconds took) override { observe(slot_.db_queries, took); }
  void failed() override { add(slot_.db_errors); }
  void reconnected() override { add(slot_.db_reconnects); }

  void waiting(int delta) override { add(slot_.bcrypt_waiting, std::int64_t{delta}); }
  void refused() override { add(slot_.bcrypt_refused); }

  // The whole pool's metrics, as a scrape shows them.
  std::string render(std::string_view version);

 private:
  Block& block_;
  Slot& slot_;
  std::vector<std::string_view> routes_;
  int listen_fd_;
};

}  // namespace todo::metrics
