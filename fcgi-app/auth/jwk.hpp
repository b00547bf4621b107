// Public keys of an external token issuer, from its JSON Web Key Set (RFC 7517), as OpenSSL
// keys. Each key says which one JWS algorithm (RFC 7518, RFC 8037) it verifies: a token is
// checked with the algorithm of the key its kid names, never one the token asks for.
#pragma once

#include <cstddef>
#include <expected>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

// OpenSSL's opaque key type, declared here so this header does not pull in <openssl/evp.h>.
struct evp_pkey_st;

namespace todo::auth {

// The asymmetric JWS algorithms an external issuer may use. HS* is never one: a shared secret
// is not a public key, and "alg":"HS256" naming an external kid is a classic key-confusion.
enum class JwsAlgorithm {
  eddsa,  // Ed25519 (OKP), RFC 8037
  es256,  // ECDSA P-256 with SHA-256
  es512,  // ECDSA P-521 with SHA-512
  rs256,  // RSASSA-PKCS1-v1_5 with SHA-256, modulus >= 2048 bits
  ps256,  // RSASSA-PSS with SHA-256, MGF1-SHA-256, salt of 32 bytes
};

// The JWS "alg" name of `algorithm` ("EdDSA", "ES256", ...).
std::string_view jws_name(JwsAlgorithm algorithm);

// True when a token's header "alg" names `algorithm`. Ed25519 keys also answer to
// "Ed25519", the fully specified name of RFC 9864.
bool alg_names(std::string_view alg, JwsAlgorithm algorithm);

// An OpenSSL public key. Shared, because a key set is replaced as a whole on refresh while
// threads may still be verifying with the old one; EVP_PKEY is safe to read from several
// threads at once (each verification uses its own context).
using PublicKey = std::shared_ptr<const evp_pkey_st>;

struct Jwk {
  std::string kid;
  JwsAlgorithm algorithm;
  PublicKey key;
};

// Why a key of a JWKS was left out: what an operator needs to see in a log line.
struct SkippedJwk {
  std::string kid;  // as given (cleaned of control characters, shortened), "" when absent
  std::string reason;
};

struct JwkSet {
  std::vector<Jwk> keys;  // usable keys, distinct kids
  std::vector<SkippedJwk> skipped;

  // The key `kid` names, or nullptr.
  const Jwk* find(std::string_view kid) const noexcept;
};

// Limits that keep a hostile or broken JWKS from costing much.
inline constexpr std::size_t kMaxJwksBytes = 256 * 1024;
inline constexpr std::size_t kMaxJwksKeys = 64;

// The usable keys of a JWKS document, each with its algorithm, and the keys left out with a
// reason: unsupported kty or crv, private keys (a JWKS is public; one carrying "d" is a
// mistake this service will not keep in memory), "alg" disagreeing with the key's type,
// RSA keys without "alg" (RS256 and PS256 cannot be told apart) or under 2048 bits,
// "use" other than "sig", "key_ops" without "verify", no kid, a kid used twice (a kid must
// choose one key), encodings that are not strict base64url or not a point on the curve.
// An error (and no keys) only when the document itself is not {"keys":[...]}: too large,
// not JSON, more than kMaxJwksKeys keys. Never throws.
std::expected<JwkSet, std::string> parse_jwks(std::string_view json) noexcept;

}  // namespace todo::auth
