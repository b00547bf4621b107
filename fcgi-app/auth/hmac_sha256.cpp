#include "auth/hmac_sha256.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <stdexcept>

namespace todo::auth {
namespace {

struct MacFree {
  void operator()(EVP_MAC* mac) const noexcept { EVP_MAC_free(mac); }
};
using MacPtr = std::unique_ptr<EVP_MAC, MacFree>;

[[noreturn]] void fail(const char* what) {
  throw std::runtime_error(std::string("hmac_sha256: ") + what);
}

// The HMAC algorithm object is immutable once fetched and safe to share between threads;
// fetching it is the slow part of a one-shot MAC, so it is fetched once per process.
EVP_MAC* hmac_algorithm() {
  static const MacPtr mac{EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr)};
  if (!mac) fail("HMAC is not available from OpenSSL");
  return mac.get();
}

}  // namespace

void HmacSha256::CtxFree::operator()(evp_mac_ctx_st* ctx) const noexcept {
  EVP_MAC_CTX_free(ctx);
}

HmacSha256::HmacSha256(std::string_view key) : ctx_(EVP_MAC_CTX_new(hmac_algorithm())) {
  if (!ctx_) fail("cannot allocate a MAC context");
  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
      OSSL_PARAM_construct_end()};
  // A NULL key pointer would mean "keep the previous key" to EVP_MAC_init, so an empty key
  // must still be passed as a valid pointer.
  static const unsigned char kEmpty = 0;
  const auto* key_bytes =
      key.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(key.data());
  if (EVP_MAC_init(ctx_.get(), key_bytes, key.size(), params) != 1) fail("cannot set the key");
}

HmacSha256::HmacSha256(HmacSha256&&) noexcept = default;
HmacSha256& HmacSha256::operator=(HmacSha256&&) noexcept = default;
HmacSha256::~HmacSha256() = default;

Sha256Digest HmacSha256::compute(std::string_view message) {
  Sha256Digest out{};
  std::size_t out_len = 0;
  // Restart with the key set in the constructor (see the header for why not dup).
  if (EVP_MAC_init(ctx_.get(), nullptr, 0, nullptr) != 1 ||
      EVP_MAC_update(ctx_.get(), reinterpret_cast<const unsigned char*>(message.data()),
                     message.size()) != 1 ||
      EVP_MAC_final(ctx_.get(), out.data(), &out_len, out.size()) != 1 || out_len != out.size()) {
    fail("MAC computation failed");
  }
  return out;
}

Sha256Digest hmac_sha256(std::string_view key, std::string_view message) {
  return HmacSha256(key).compute(message);
}

Sha256Digest sha256(std::string_view data) {
  Sha256Digest out{};
  unsigned int out_len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &out_len, EVP_sha256(), nullptr) != 1 ||
      out_len != out.size()) {
    fail("SHA-256 failed");
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace todo::auth
