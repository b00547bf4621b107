// Key pairs an issuer would hold, made with OpenSSL for the tests and benchmarks of external
// tokens: each signs tokens and gives its public JWK, as Better Auth's /api/auth/jwks does.
#pragma once

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "auth/base64url.hpp"
#include "auth/jwk.hpp"
#include "auth/jws.hpp"

namespace todo::test {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
using KeyPair = std::shared_ptr<EVP_PKEY>;

inline KeyPair generate(auth::JwsAlgorithm algorithm) {
  EVP_PKEY* key = nullptr;
  switch (algorithm) {
    case auth::JwsAlgorithm::eddsa:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
      break;
    case auth::JwsAlgorithm::es256:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
      break;
    case auth::JwsAlgorithm::es512:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-521");
      break;
    case auth::JwsAlgorithm::rs256:
    case auth::JwsAlgorithm::ps256:
      key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{2048});
      break;
  }
  if (!key) throw std::runtime_error("test key generation failed");
  return KeyPair(key, PkeyFree{});
}

inline std::string bn_param(EVP_PKEY* key, const char* name, int pad = 0) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) throw std::runtime_error(name);
  std::string out(pad ? static_cast<std::size_t>(pad) : BN_num_bytes(bn), '\0');
  BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(out.size()));
  BN_free(bn);
  return auth::base64url_encode(out);
}

// One issuer key: its kid, its algorithm and the pair.
struct IssuerKey {
  std::string kid;
  auth::JwsAlgorithm algorithm;
  KeyPair pair;

  IssuerKey(std::string k, auth::JwsAlgorithm a)
      : kid(std::move(k)), algorithm(a), pair(generate(a)) {}

  // The public JWK: kty and its members, then `extra` members (e.g. R"("use":"sig")"), with
  // "alg" and "kid".
  std::string jwk(std::string_view extra = "", bool with_alg = true) const {
    std::string json = "{" + key_members();
    if (with_alg) json += R"(,"alg":")" + std::string(auth::jws_name(algorithm)) + '"';
    if (!extra.empty()) json += "," + std::string(extra);
    return json + R"(,"kid":")" + kid + R"("})";
  }

  std::string key_members() const {
    switch (algorithm) {
      case auth::JwsAlgorithm::eddsa: {
        unsigned char x[32];
        std::size_t size = sizeof x;
        EVP_PKEY_get_raw_public_key(pair.get(), x, &size);
        return R"("kty":"OKP","crv":"Ed25519","x":")" +
               auth::base64url_encode(std::span<const unsigned char>(x, size)) + '"';
      }
      case auth::JwsAlgorithm::es256:
      case auth::JwsAlgorithm::es512: {
        const bool p256 = algorithm == auth::JwsAlgorithm::es256;
        const int size = p256 ? 32 : 66;
        return std::string(R"("kty":"EC","crv":")") + (p256 ? "P-256" : "P-521") + R"(","x":")" +
               bn_param(pair.get(), OSSL_PKEY_PARAM_EC_PUB_X, size) + R"(","y":")" +
               bn_param(pair.get(), OSSL_PKEY_PARAM_EC_PUB_Y, size) + '"';
      }
      case auth::JwsAlgorithm::rs256:
      case auth::JwsAlgorithm::ps256:
        break;
    }
    return R"("kty":"RSA","n":")" + bn_param(pair.get(), OSSL_PKEY_PARAM_RSA_N) + R"(","e":")" +
           bn_param(pair.get(), OSSL_PKEY_PARAM_RSA_E) + '"';
  }

  // A token with this header and payload JSON, signed with this key under its algorithm.
  std::string sign(std::string_view header_json, std::string_view payload_json) const {
    return auth::sign_compact_with(header_json, payload_json, pair.get(), algorithm);
  }

  // The header Better Auth writes: alg and kid.
  std::string header() const {
    return R"({"alg":")" + std::string(auth::jws_name(algorithm)) + R"(","kid":")" + kid + R"("})";
  }
};

inline std::string jwks_of(const std::vector<std::string>& jwks) {
  std::string json = R"({"keys":[)";
  for (std::size_t i = 0; i < jwks.size(); ++i) json += (i ? "," : "") + jwks[i];
  return json + "]}";
}

}  // namespace todo::test
