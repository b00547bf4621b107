// Password hashing (bcrypt via libxcrypt, every byte counted) and the password policy.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace todo::auth {

inline constexpr int kMinBcryptCost = 10;  // the configurable range for new hashes
inline constexpr int kMaxBcryptCost = 15;  // also the most a stored hash may ask for

// Passwords are 8 to 128 characters (code points); 128 of them are at most 512 bytes of UTF-8.
inline constexpr std::size_t kMinPasswordChars = 8;
inline constexpr std::size_t kMaxPasswordChars = 128;
inline constexpr std::size_t kMaxPasswordBytes = 4 * kMaxPasswordChars;

// Hashes and checks passwords with bcrypt ($2b$) over a keyed pre-hash (see password.cpp).
// Thread-safe: every method is const and each bcrypt call gets its own heap-allocated
// struct crypt_data (about 32 KiB, too big for small thread stacks).
class PasswordHasher {
 public:
  // Throws std::invalid_argument unless kMinBcryptCost <= cost <= kMaxBcryptCost. Makes the
  // dummy hash for verify_dummy() at this cost, so it costs one bcrypt (~216 ms at cost 12).
  explicit PasswordHasher(int cost);

  // A new "$2b$<cost>$<salt><hash>" string (60 characters) with a fresh random salt. Throws
  // std::runtime_error if randomness or libxcrypt fails.
  std::string hash(std::string_view password) const;

  // True when `password` matches `stored`. False, without running bcrypt, for a stored string
  // that is not a well-formed $2b$ hash or whose cost is above kMaxBcryptCost (a planted hash
  // of cost 31 would hold a thread for days). The final comparison is constant-time.
  bool verify(std::string_view password, std::string_view stored) const;

  // True when `stored` should be replaced on the next successful login: its cost is not the
  // configured one (or it is not a hash we can read).
  bool needs_rehash(std::string_view stored) const;

  // The same work as verify() against a dummy hash of the configured cost: run it for
  // unknown emails so that response times do not tell which emails exist.
  void verify_dummy(std::string_view password) const;

  int cost() const { return cost_; }

 private:
  int cost_;
  std::string dummy_hash_;
};

// nullopt when the password is acceptable; otherwise the message for a 422: valid UTF-8,
// 8 to 128 characters (code points, not bytes), no NUL, not on the common-password list
// (compared case-insensitively for ASCII). No composition rules.
std::optional<std::string> check_password_policy(std::string_view password);

// --- Lower-level pieces, exposed for tests and for the documentation they give. ------------

// The string bcrypt actually sees for `password`: standard base64 (44 characters, with '=')
// of HMAC-SHA256(key = "todo-fcgi bcrypt prehash v1", message = password).
std::string prehash_password(std::string_view password);

// Plain libxcrypt crypt_rn(phrase, setting), no pre-hash: the hash string, or nullopt when
// libxcrypt refuses (bad setting, cost out of its range) or either argument contains a NUL.
// For known-answer tests only: it has bcrypt's 72-byte limit.
std::optional<std::string> bcrypt_raw(std::string_view phrase, std::string_view setting);

// The cost of a well-formed "$2b$NN$" + 53-character bcrypt string, else nullopt.
std::optional<int> bcrypt_cost(std::string_view stored);

}  // namespace todo::auth
