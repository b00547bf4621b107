// HMAC-SHA256 and SHA-256 on OpenSSL 3's EVP interfaces, plus a constant-time compare.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <string_view>

// OpenSSL's opaque context type, declared here so this header does not pull in <openssl/evp.h>.
struct evp_mac_ctx_st;

namespace todo::auth {

inline constexpr std::size_t kSha256Size = 32;
using Sha256Digest = std::array<unsigned char, kSha256Size>;

// Views a digest as bytes in a string_view (for base64url_encode, comparisons, keys).
inline std::string_view as_chars(const Sha256Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

// HMAC-SHA256 under one fixed key, computed again and again with one reused OpenSSL context.
//
// Why this shape: measured on the 2-core EPYC (OpenSSL 3.0, SHA-NI, 180-byte message),
//   re-initialising one keyed EVP_MAC_CTX (EVP_MAC_init with a NULL key)   ~270 ns
//   EVP_MAC_CTX_dup of a keyed template, then update/final/free            ~520 ns
//   EVP_MAC_init with the key every time                                     ~440 ns
//   one-shot HMAC() / EVP_Q_mac (fetches the algorithm each call)          ~1200 ns
// EVP_MAC_init(ctx, NULL, 0, NULL) is OpenSSL's documented way to restart a MAC with the key
// it already holds (fixed for the HMAC provider in 3.0.4, openssl#18100): the key's inner and
// outer pad states are kept, so a MAC costs the message's compressions plus two. HMAC_CTX
// is deprecated in OpenSSL 3 and is not used.
//
// Not thread-safe: one object per thread (it owns a mutable context). The key itself is not
// kept in this object, only OpenSSL's derived pad states.
class HmacSha256 {
 public:
  // Throws std::runtime_error if OpenSSL cannot set up the MAC (out of memory, no provider).
  explicit HmacSha256(std::string_view key);

  HmacSha256(HmacSha256&&) noexcept;
  HmacSha256& operator=(HmacSha256&&) noexcept;
  ~HmacSha256();

  // HMAC-SHA256(key, message). Throws std::runtime_error only if OpenSSL fails internally.
  Sha256Digest compute(std::string_view message);

 private:
  struct CtxFree {
    void operator()(evp_mac_ctx_st* ctx) const noexcept;
  };
  std::unique_ptr<evp_mac_ctx_st, CtxFree> ctx_;
};

// One-shot HMAC-SHA256(key, message), for keys used once; a reused HmacSha256 is ~2x faster.
Sha256Digest hmac_sha256(std::string_view key, std::string_view message);

// SHA-256(data).
Sha256Digest sha256(std::string_view data);

// True when a and b hold the same bytes. The time taken depends on the length only, never on
// where the first difference is (CRYPTO_memcmp); different lengths compare unequal at once,
// since lengths here (MAC sizes, hash formats) are public.
bool constant_time_equal(std::string_view a, std::string_view b) noexcept;

}  // namespace todo::auth
