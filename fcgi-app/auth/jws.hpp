// JWS compact serialisation (RFC 7515 §7.1): splitting a token into its parts, signing and
// checking a MAC with an HMAC-SHA256 key, and checking a signature with an external issuer's
// public key (jwk.hpp). No header or claim is looked at here; what a token must say to be
// accepted is jwt.hpp's and external_token.hpp's business.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/hmac_sha256.hpp"
#include "auth/jwk.hpp"

namespace todo::auth {

// The three base64url segments of a compact JWS, and the signing input (the first two with
// the dot between them). Views into the token.
struct CompactJws {
  std::string_view header, payload, signature, signing_input;
};

// The parts of `token`, or nullopt unless it has exactly three segments.
std::optional<CompactJws> split_compact(std::string_view token);

// encoded_header "." base64url(payload_json) "." base64url(HMAC-SHA256(key, both)).
std::string sign_compact(std::string_view encoded_header, std::string_view payload_json,
                         HmacSha256& key);

enum class MacCheck {
  match,
  mismatch,    // a well-formed MAC of the right size, but not this key's for this input
  wrong_size,  // the signature does not decode to 32 bytes (a forgery or another algorithm)
  malformed,   // the signature segment is not canonical base64url
};

// Compares the token's MAC with `key`'s in constant time.
MacCheck check_mac(const CompactJws& jws, HmacSha256& key);

enum class SignatureCheck {
  valid,
  invalid,    // not this key's signature of this input (also: the wrong size for the key)
  malformed,  // the signature segment is not canonical base64url
};

// Checks the token's signature with `key`, under the key's own algorithm. ES256 and ES512
// signatures are JWS's raw r||s (RFC 7518 §3.4), turned into the DER OpenSSL verifies. Safe
// to call from several threads with the same key. Throws std::runtime_error only when
// OpenSSL cannot allocate.
SignatureCheck check_signature(const CompactJws& jws, const Jwk& key);

// For tests, tools and test vectors, never to accept a token (that is JwtCodec::verify):
// the compact JWS of header_json and payload_json under HS256 with `key`, and whether a
// compact JWS carries a valid HS256 MAC under `key`.
std::string sign_hs256_compact(std::string_view header_json, std::string_view payload_json,
                               std::string_view key);
bool hs256_signature_matches(std::string_view compact, std::string_view key);

// For tests, tools and benchmarks, as an issuer would: the compact JWS of header_json and
// payload_json signed under `algorithm` with `private_key` (an OpenSSL key pair of the
// fitting type). Throws std::runtime_error when OpenSSL refuses.
std::string sign_compact_with(std::string_view header_json, std::string_view payload_json,
                              evp_pkey_st* private_key, JwsAlgorithm algorithm);

}  // namespace todo::auth
