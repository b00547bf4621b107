#pragma once
// A file descriptor closed by its owner, and the text of a failed system call.

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <utility>

namespace todo {

class UniqueFd {
 public:
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(other.release()) {}
  UniqueFd& operator=(UniqueFd&&) = delete;
  ~UniqueFd() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// "what: <strerror(errno)>", for the call that just failed.
inline std::string errno_text(const std::string& what) {
  return what + ": " + std::strerror(errno);
}

}  // namespace todo
