// JWS compact serialisation (RFC 7515 §7.1) with an HMAC-SHA256 key: splitting a token into
// its parts, signing, and checking a MAC. No header or claim is looked at here; what a token
// must say to be accepted is jwt.hpp's business.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "auth/hmac_sha256.hpp"

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

// For tests, tools and test vectors, never to accept a token (that is JwtCodec::verify):
// the compact JWS of header_json and payload_json under HS256 with `key`, and whether a
// compact JWS carries a valid HS256 MAC under `key`.
std::string sign_hs256_compact(std::string_view header_json, std::string_view payload_json,
                               std::string_view key);
bool hs256_signature_matches(std::string_view compact, std::string_view key);

}  // namespace todo::auth
