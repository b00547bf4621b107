#include "auth/password.hpp"

#include <crypt.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <array>
#include <memory>
#include <stdexcept>

#include "auth/common_passwords.hpp"
#include "auth/hmac_sha256.hpp"
#include "core/text.hpp"

namespace todo::auth {
namespace {

// ---------------------------------------------------------------------------------------------
// The construction
//
//   stored = bcrypt_$2b$(cost, salt, P)   where
//   P      = base64( HMAC-SHA256(key = "todo-fcgi bcrypt prehash v1", message = password) )
//
// Why a pre-hash at all: bcrypt reads at most 72 bytes and stops at the first NUL (libxcrypt's
// C-string interface), so "128 characters, every byte counts" (API.md) would silently be
// false for long or multi-byte passwords. P is always 44 bytes of base64 text (32 bytes of
// MAC plus one '=' pad): under 72, never a NUL, and a function of every byte of the password.
//
// Why base64 of the MAC, not the raw MAC: raw digests contain NUL bytes about 12% of the time,
// which would truncate the input to crypt and make many passwords collide.
//
// Why HMAC with a fixed label, not plain SHA-256: domain separation. Hashes of the form
// bcrypt(base64(SHA-256(pw))) are used elsewhere; a leak of such a database, or of any plain
// SHA-256 password list, cannot be "shucked" against ours. The label is public and is not a
// pepper: stored hashes do not depend on any secret, so rotating the JWT secret or losing a
// configuration file never locks users out. Changing the label invalidates every stored hash;
// bump the "v1" only together with a migration.
// ---------------------------------------------------------------------------------------------
constexpr std::string_view kPrehashKey = "todo-fcgi bcrypt prehash v1";
constexpr std::string_view kPrefix = "$2b$";
constexpr std::size_t kHashLength = 60;  // "$2b$" + "NN" + "$" + 22 salt + 31 hash characters
constexpr std::size_t kSaltBytes = 16;   // bcrypt's full 128-bit salt

// One crypt_data per call, on the heap, wiped before it is freed: it holds key-dependent state.
class CryptScratch {
 public:
  CryptScratch() : data_(std::make_unique<crypt_data>()) {}  // value-initialised: all zero
  ~CryptScratch() { OPENSSL_cleanse(data_.get(), sizeof(crypt_data)); }
  CryptScratch(const CryptScratch&) = delete;
  CryptScratch& operator=(const CryptScratch&) = delete;

  crypt_data* get() const { return data_.get(); }
  static constexpr int size() { return static_cast<int>(sizeof(crypt_data)); }

 private:
  std::unique_ptr<crypt_data> data_;
};

// A std::string that is wiped when it goes away (it holds a password equivalent).
struct WipedString {
  std::string value;
  ~WipedString() { OPENSSL_cleanse(value.data(), value.size()); }
};

bool is_bcrypt_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '/';
}

// crypt_rn over NUL-terminated copies; nullopt when libxcrypt refuses.
std::optional<std::string> run_crypt(const std::string& phrase, const std::string& setting) {
  CryptScratch scratch;
  const char* out = crypt_rn(phrase.c_str(), setting.c_str(), scratch.get(), scratch.size());
  if (out == nullptr || out[0] == '*') return std::nullopt;
  return std::string(out);
}

std::string new_setting(int cost) {
  std::array<unsigned char, kSaltBytes> salt{};
  if (RAND_bytes(salt.data(), static_cast<int>(salt.size())) != 1) {
    throw std::runtime_error("password: no randomness for a salt");
  }
  std::array<char, CRYPT_GENSALT_OUTPUT_SIZE> setting{};
  const char* made = crypt_gensalt_rn(
      kPrefix.data(), static_cast<unsigned long>(cost), reinterpret_cast<const char*>(salt.data()),
      static_cast<int>(salt.size()), setting.data(), static_cast<int>(setting.size()));
  if (made == nullptr) throw std::runtime_error("password: libxcrypt refused to make a salt");
  return std::string(made);
}

std::string too_long() {
  return "Password must be at most " + std::to_string(kMaxPasswordChars) + " characters";
}

}  // namespace

// ---------------------------------------------------------------------------------------------

std::string prehash_password(std::string_view password) {
  const Sha256Digest mac = hmac_sha256(kPrehashKey, password);
  std::array<unsigned char, 4 * ((kSha256Size + 2) / 3) + 1> text{};  // 44 + NUL
  const int length = EVP_EncodeBlock(text.data(), mac.data(), static_cast<int>(mac.size()));
  std::string result(reinterpret_cast<const char*>(text.data()), static_cast<std::size_t>(length));
  OPENSSL_cleanse(text.data(), text.size());
  return result;
}

std::optional<std::string> bcrypt_raw(std::string_view phrase, std::string_view setting) {
  if (phrase.find('\0') != std::string_view::npos || setting.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  WipedString phrase_copy{std::string(phrase)};
  return run_crypt(phrase_copy.value, std::string(setting));
}

std::optional<int> bcrypt_cost(std::string_view stored) {
  if (stored.size() != kHashLength || !stored.starts_with(kPrefix) || stored[6] != '$') {
    return std::nullopt;
  }
  const char tens = stored[4], ones = stored[5];
  if (tens < '0' || tens > '9' || ones < '0' || ones > '9') return std::nullopt;
  for (const char c : stored.substr(7)) {
    if (!is_bcrypt_char(c)) return std::nullopt;
  }
  return (tens - '0') * 10 + (ones - '0');
}

PasswordHasher::PasswordHasher(int cost) : cost_(cost) {
  if (cost < kMinBcryptCost || cost > kMaxBcryptCost) {
    throw std::invalid_argument("password: bcrypt cost must be between 10 and 15");
  }
  // A random password nobody knows: the dummy hash can never match, only cost the same time.
  std::array<unsigned char, 32> secret{};
  if (RAND_bytes(secret.data(), static_cast<int>(secret.size())) != 1) {
    throw std::runtime_error("password: no randomness for the dummy hash");
  }
  dummy_hash_ = hash({reinterpret_cast<const char*>(secret.data()), secret.size()});
  OPENSSL_cleanse(secret.data(), secret.size());
}

std::string PasswordHasher::hash(std::string_view password) const {
  WipedString prehash{prehash_password(password)};
  auto hashed = run_crypt(prehash.value, new_setting(cost_));
  if (!hashed || !bcrypt_cost(*hashed)) throw std::runtime_error("password: bcrypt failed");
  return *hashed;
}

bool PasswordHasher::verify(std::string_view password, std::string_view stored) const {
  const auto stored_cost = bcrypt_cost(stored);
  if (!stored_cost || *stored_cost > kMaxBcryptCost) return false;
  WipedString prehash{prehash_password(password)};
  const auto computed = run_crypt(prehash.value, std::string(stored));
  return computed && constant_time_equal(*computed, stored);
}

bool PasswordHasher::needs_rehash(std::string_view stored) const {
  const auto stored_cost = bcrypt_cost(stored);
  return !stored_cost || *stored_cost != cost_;
}

void PasswordHasher::verify_dummy(std::string_view password) const {
  static_cast<void>(verify(password, dummy_hash_));
}

std::optional<std::string> check_password_policy(std::string_view password) {
  // Anything longer than the longest valid password is refused before any scanning.
  if (password.size() > kMaxPasswordBytes) return too_long();
  const auto chars = utf8_length(password);
  if (!chars) return "Password must be valid UTF-8";
  if (password.find('\0') != std::string_view::npos) {
    return "Password must not contain NUL characters";
  }
  if (*chars < kMinPasswordChars)
    return "Password must be at least " + std::to_string(kMinPasswordChars) + " characters";
  if (*chars > kMaxPasswordChars) return too_long();
  if (is_common_password(password)) return "This password is too common; choose another";
  return std::nullopt;
}

}  // namespace todo::auth
