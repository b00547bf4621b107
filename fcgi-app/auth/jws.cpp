#include "auth/jws.hpp"

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <memory>
#include <stdexcept>

#include "auth/base64url.hpp"

namespace todo::auth {
namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};
struct EcdsaSigFree {
  void operator()(ECDSA_SIG* sig) const noexcept { ECDSA_SIG_free(sig); }
};
struct OpensslFree {
  void operator()(unsigned char* p) const noexcept { OPENSSL_free(p); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, EcdsaSigFree>;

[[noreturn]] void fail(const char* what) {
  ERR_clear_error();
  throw std::runtime_error(std::string("jws: ") + what);
}

const unsigned char* bytes_of(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Bytes of one ECDSA integer (r or s) in a JWS signature: the curve's order size, rounded up.
std::size_t ecdsa_half(JwsAlgorithm algorithm) {
  return algorithm == JwsAlgorithm::es512 ? 66 : 32;
}

bool is_ecdsa(JwsAlgorithm algorithm) {
  return algorithm == JwsAlgorithm::es256 || algorithm == JwsAlgorithm::es512;
}

// JWS's fixed-size r||s as the DER ECDSA-Sig-Value OpenSSL verifies; "" when the size is not
// the curve's.
std::string ecdsa_der(std::string_view raw, JwsAlgorithm algorithm) {
  const std::size_t half = ecdsa_half(algorithm);
  if (raw.size() != 2 * half) return {};
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(bytes_of(raw), static_cast<int>(half), nullptr);
  BIGNUM* s = BN_bin2bn(bytes_of(raw) + half, static_cast<int>(half), nullptr);
  // ECDSA_SIG_set0 takes ownership of r and s only when it succeeds.
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    fail("out of memory");
  }
  unsigned char* der = nullptr;
  const int size = i2d_ECDSA_SIG(sig.get(), &der);
  const std::unique_ptr<unsigned char, OpensslFree> owned(der);
  if (size <= 0) fail("cannot encode an ECDSA signature");
  return {reinterpret_cast<const char*>(der), static_cast<std::size_t>(size)};
}

// The DER signature OpenSSL made, as JWS's r||s.
std::string ecdsa_raw(std::string_view der, JwsAlgorithm algorithm) {
  const unsigned char* p = bytes_of(der);
  const EcdsaSigPtr sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  if (!sig) fail("OpenSSL made an unreadable ECDSA signature");
  const std::size_t half = ecdsa_half(algorithm);
  std::string raw(2 * half, '\0');
  auto* out = reinterpret_cast<unsigned char*>(raw.data());
  if (BN_bn2binpad(ECDSA_SIG_get0_r(sig.get()), out, static_cast<int>(half)) < 0 ||
      BN_bn2binpad(ECDSA_SIG_get0_s(sig.get()), out + half, static_cast<int>(half)) < 0) {
    fail("an ECDSA integer does not fit the curve");
  }
  return raw;
}

// The digest JWS pairs with `algorithm`; nullptr for EdDSA, which hashes by itself.
const EVP_MD* digest_of(JwsAlgorithm algorithm) {
  switch (algorithm) {
    case JwsAlgorithm::eddsa:
      return nullptr;
    case JwsAlgorithm::es512:
      return EVP_sha512();
    case JwsAlgorithm::es256:
    case JwsAlgorithm::rs256:
    case JwsAlgorithm::ps256:
      break;
  }
  return EVP_sha256();
}

// RFC 7518 §3.5: PSS with MGF1 over the same SHA-256 and a salt as long as the hash (which
// OpenSSL then requires exactly when verifying).
bool set_padding(EVP_PKEY_CTX* pctx, JwsAlgorithm algorithm) {
  if (algorithm == JwsAlgorithm::ps256) {
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
           EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
  }
  if (algorithm == JwsAlgorithm::rs256) {
    return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
  }
  return true;
}

}  // namespace

std::optional<CompactJws> split_compact(std::string_view token) {
  const auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  return CompactJws{token.substr(0, first), token.substr(first + 1, second - first - 1),
                    token.substr(second + 1), token.substr(0, second)};
}

std::string sign_compact(std::string_view encoded_header, std::string_view payload_json,
                         HmacSha256& key) {
  std::string token;
  token.reserve(encoded_header.size() + payload_json.size() * 4 / 3 + 48);
  token = encoded_header;
  token += '.';
  base64url_append(payload_json, token);
  const Sha256Digest mac = key.compute(token);
  token += '.';
  base64url_append(as_chars(mac), token);
  return token;
}

MacCheck check_mac(const CompactJws& jws, HmacSha256& key) {
  if (base64url_decoded_size(jws.signature.size()) != kSha256Size) return MacCheck::wrong_size;
  Sha256Digest given{};
  if (!base64url_decode_exact(jws.signature, given)) return MacCheck::malformed;
  const Sha256Digest expected = key.compute(jws.signing_input);
  return constant_time_equal(as_chars(given), as_chars(expected)) ? MacCheck::match
                                                                  : MacCheck::mismatch;
}

std::string sign_hs256_compact(std::string_view header_json, std::string_view payload_json,
                               std::string_view key) {
  HmacSha256 mac(key);
  return sign_compact(base64url_encode(header_json), payload_json, mac);
}

bool hs256_signature_matches(std::string_view compact, std::string_view key) {
  const auto jws = split_compact(compact);
  if (!jws) return false;
  HmacSha256 mac(key);
  return check_mac(*jws, mac) == MacCheck::match;
}

SignatureCheck check_signature(const CompactJws& jws, const Jwk& key) {
  std::string signature;
  if (!base64url_decode_into(jws.signature, signature)) return SignatureCheck::malformed;
  auto* pkey = const_cast<EVP_PKEY*>(key.key.get());  // only read, as OpenSSL's API allows
  if (is_ecdsa(key.algorithm)) {
    signature = ecdsa_der(signature, key.algorithm);
    if (signature.empty()) return SignatureCheck::invalid;
  } else if (signature.size() != static_cast<std::size_t>(EVP_PKEY_get_size(pkey))) {
    return SignatureCheck::invalid;  // RSA: the modulus' size; Ed25519: 64 bytes
  }
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  if (!ctx ||
      EVP_DigestVerifyInit(ctx.get(), &pctx, digest_of(key.algorithm), nullptr, pkey) != 1 ||
      !set_padding(pctx, key.algorithm)) {
    fail("cannot set up a signature check");
  }
  // One-shot: Ed25519 allows nothing else, and the others gain nothing from streaming.
  const int result = EVP_DigestVerify(ctx.get(), bytes_of(signature), signature.size(),
                                      bytes_of(jws.signing_input), jws.signing_input.size());
  // A refused signature leaves an entry in this thread's OpenSSL error queue; do not let it
  // be blamed on whatever fails next.
  if (result != 1) ERR_clear_error();
  return result == 1 ? SignatureCheck::valid : SignatureCheck::invalid;
}

std::string sign_compact_with(std::string_view header_json, std::string_view payload_json,
                              evp_pkey_st* private_key, JwsAlgorithm algorithm) {
  std::string token = base64url_encode(header_json);
  token += '.';
  base64url_append(payload_json, token);
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  std::size_t size = 0;
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), &pctx, digest_of(algorithm), nullptr, private_key) != 1 ||
      !set_padding(pctx, algorithm) ||
      EVP_DigestSign(ctx.get(), nullptr, &size, bytes_of(token), token.size()) != 1) {
    fail("cannot set up signing");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     bytes_of(token), token.size()) != 1) {
    fail("signing failed");
  }
  signature.resize(size);
  if (is_ecdsa(algorithm)) signature = ecdsa_raw(signature, algorithm);
  token += '.';
  base64url_append(signature, token);
  return token;
}

}  // namespace todo::auth
