#pragma once
// The external issuer's users this worker process has already admitted (made
// or found in the users table as theirs), so that their tokens cost no query.

#include <cstddef>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

namespace todo {

class KnownExternalUsers {
 public:
  explicit KnownExternalUsers(std::size_t capacity = 100'000) : capacity_(capacity) {}

  bool contains(std::string_view user_id) const;
  void add(std::string user_id);

 private:
  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_set<std::string> ids_;
};

}  // namespace todo
