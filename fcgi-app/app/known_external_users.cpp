#include "app/known_external_users.hpp"

namespace todo {

bool KnownExternalUsers::contains(std::string_view user_id) const {
  std::lock_guard lock(mutex_);
  return ids_.contains(std::string(user_id));
}

void KnownExternalUsers::add(std::string user_id) {
  std::lock_guard lock(mutex_);
  // Full: start again rather than grow without bound; forgotten users cost
  // one more query each.
  if (ids_.size() >= capacity_) ids_.clear();
  ids_.insert(std::move(user_id));
}

}  // namespace todo
