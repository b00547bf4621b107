#include "auth/bcrypt_gate.hpp"

#include <sys/ipc.h>
#include <sys/sem.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

namespace todo::auth {

BcryptGate::BcryptGate(int permits, int max_waiting)
    : owner_pid_(getpid()), max_waiting_(max_waiting) {
  semaphore_id_ = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
  if (semaphore_id_ < 0)
    throw std::runtime_error(std::string("bcrypt gate: semget failed: ") + std::strerror(errno));
  if (semctl(semaphore_id_, 0, SETVAL, permits) < 0) {
    int saved = errno;
    semctl(semaphore_id_, 0, IPC_RMID);
    throw std::runtime_error(std::string("bcrypt gate: semctl failed: ") + std::strerror(saved));
  }
}

BcryptGate::~BcryptGate() {
  // Forked workers share the id; only the creating process removes it.
  if (semaphore_id_ >= 0 && getpid() == owner_pid_) semctl(semaphore_id_, 0, IPC_RMID);
}

BcryptGate::Permit BcryptGate::acquire(std::chrono::milliseconds timeout) {
  if (waiting_.fetch_add(1) >= max_waiting_) {
    waiting_.fetch_sub(1);
    refuse("bcrypt gate: too many threads of this worker waiting");
  }
  if (observer_) observer_->waiting(+1);
  sembuf op{0, -1, SEM_UNDO};
  timespec limit{static_cast<time_t>(timeout.count() / 1000),
                 static_cast<long>(timeout.count() % 1000) * 1000000L};
  int rc;
  do {
    rc = semtimedop(semaphore_id_, &op, 1, &limit);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0) {
    leave();
    refuse("bcrypt gate: no permit free in time");
  }
  return Permit(this);
}

void BcryptGate::release() {
  sembuf op{0, 1, SEM_UNDO};
  while (semop(semaphore_id_, &op, 1) < 0 && errno == EINTR) {
  }
  leave();
}

void BcryptGate::leave() {
  waiting_.fetch_sub(1);
  if (observer_) observer_->waiting(-1);
}

void BcryptGate::refuse(const char* why) {
  if (observer_) observer_->refused();
  throw Busy(why);
}

}  // namespace todo::auth
