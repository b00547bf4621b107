#include "auth/token_cache.hpp"

#include <algorithm>
#include <cstring>

namespace todo::auth {

std::size_t VerifiedTokenCache::DigestHash::operator()(const Sha256Digest& d) const noexcept {
  std::size_t h = 0;
  std::memcpy(&h, d.data(), sizeof h);
  return h;
}

VerifiedTokenCache::VerifiedTokenCache(std::size_t capacity)
    : capacity_(std::max<std::size_t>(1, capacity)) {
  entries_.reserve(capacity_);
}

std::optional<ExternalIdentity> VerifiedTokenCache::find(const Sha256Digest& digest,
                                                         std::int64_t now) {
  const std::lock_guard lock(mutex_);
  const auto it = entries_.find(digest);
  if (it == entries_.end()) return std::nullopt;
  if (now >= it->second.identity.expires_at) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.identity;
}

void VerifiedTokenCache::insert(const Sha256Digest& digest, const ExternalIdentity& identity) {
  const std::lock_guard lock(mutex_);
  if (entries_.contains(digest)) return;  // two threads verified the same token at once
  while (entries_.size() >= capacity_ && !order_.empty()) evict_oldest();
  // Places left by expired entries would let order_ grow without bound under churn.
  if (order_.size() >= 2 * capacity_) {
    std::erase_if(order_, [this](const auto& place) {
      const auto it = entries_.find(place.first);
      return it == entries_.end() || it->second.serial != place.second;
    });
  }
  const std::uint64_t serial = next_serial_++;
  entries_.emplace(digest, Entry{identity, serial});
  order_.emplace_back(digest, serial);
}

void VerifiedTokenCache::evict_oldest() {
  while (!order_.empty()) {
    const auto [digest, serial] = order_.front();
    order_.pop_front();
    const auto it = entries_.find(digest);
    if (it != entries_.end() && it->second.serial == serial) {
      entries_.erase(it);
      return;
    }
  }
}

void VerifiedTokenCache::clear() {
  const std::lock_guard lock(mutex_);
  entries_.clear();
  order_.clear();
}

std::size_t VerifiedTokenCache::size() const {
  const std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace todo::auth
