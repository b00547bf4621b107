// A bounded, thread-safe cache of verified external tokens, so a token seen again costs a
// SHA-256 and a lookup (about what a local HS256 check costs) instead of a signature check
// (Ed25519: ~75 times more).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "auth/hmac_sha256.hpp"

namespace todo::auth {

// Who an external token speaks for, once verified.
struct ExternalIdentity {
  std::string subject;          // "sub": the issuer's user id (opaque text, <= 255 characters)
  std::string email;            // "email" when the token has one, else ""
  std::int64_t expires_at = 0;  // "exp", seconds since the epoch
};

// Keyed by SHA-256 of the whole token (so no token is kept in memory, and a token that
// differs in any byte is another key). An entry answers only while now < its expires_at;
// when full, the oldest entry makes room (first in, first out: a hot token is verified again
// at most once per `capacity` new tokens, and no bookkeeping is needed on a hit).
class VerifiedTokenCache {
 public:
  explicit VerifiedTokenCache(std::size_t capacity);

  // The identity cached for `digest`, unless absent or expired at `now`.
  std::optional<ExternalIdentity> find(const Sha256Digest& digest, std::int64_t now);
  void insert(const Sha256Digest& digest, const ExternalIdentity& identity);
  void clear();
  std::size_t size() const;

 private:
  struct DigestHash {
    // SHA-256 output is uniform: its first bytes are already a good hash.
    std::size_t operator()(const Sha256Digest& d) const noexcept;
  };
  struct Entry {
    ExternalIdentity identity;
    std::uint64_t serial;  // which insertion made it, to match its place in order_
  };

  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<Sha256Digest, Entry, DigestHash> entries_;
  // Insertion order, oldest first. An expired entry erased by find() leaves its place here;
  // evict() skips places whose serial no longer matches.
  std::deque<std::pair<Sha256Digest, std::uint64_t>> order_;
  std::uint64_t next_serial_ = 0;

  void evict_oldest();
};

}  // namespace todo::auth
