#pragma once
// Bounds how many bcrypt hashes run at once, across every worker process of
// the machine, so a login storm leaves CPU and threads for task requests.
//
// A System V semaphore with SEM_UNDO: the kernel gives a permit back when a
// worker dies holding it (SIGKILL included), which a semaphore in shared
// memory would not. Within one process, at most `max_waiting` threads may be
// queued or hashing; the next one is refused at once.

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <utility>

namespace todo::auth {

// Too many sign-ins are being hashed already: try again in a moment.
class Busy : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// What the gate reports, for the pool's metrics.
class GateObserver {
 public:
  virtual ~GateObserver() = default;
  virtual void waiting(int delta) = 0;  // a thread starts (+1) or stops (-1) waiting or hashing
  virtual void refused() = 0;           // a sign-in turned away (Busy)
};

class BcryptGate {
 public:
  // Creates the semaphore (in the master, before forking workers).
  BcryptGate(int permits, int max_waiting);
  ~BcryptGate();
  BcryptGate(const BcryptGate&) = delete;
  BcryptGate& operator=(const BcryptGate&) = delete;

  class Permit {
   public:
    explicit Permit(BcryptGate* gate) : gate_(gate) {}
    Permit(Permit&& other) noexcept : gate_(std::exchange(other.gate_, nullptr)) {}
    Permit& operator=(Permit&&) = delete;
    ~Permit() {
      if (gate_) gate_->release();
    }

   private:
    BcryptGate* gate_;
  };

  // Set once in each worker process, before its threads start.
  void observe(GateObserver* observer) { observer_ = observer; }

  // A permit to run one hash. Throws Busy when too many threads of this
  // process already wait, or none was free in `timeout`.
  Permit acquire(std::chrono::milliseconds timeout = std::chrono::seconds(5));

 private:
  void release();
  void leave();                               // a thread stops waiting or hashing
  [[noreturn]] void refuse(const char* why);  // counts the refusal, throws Busy

  int semaphore_id_ = -1;
  int owner_pid_ = 0;
  int max_waiting_;
  std::atomic<int> waiting_{0};
  GateObserver* observer_ = nullptr;
};

}  // namespace todo::auth
