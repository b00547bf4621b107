// The service's token policy: which HS256 access and refresh tokens it issues, and which it
// accepts (the JWS layer is jws.hpp, the JSON inside it jose_json.hpp).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace todo::auth {

struct ClaimSet;  // jose_json.hpp

enum class TokenKind { access, refresh };

struct TokenClaims {
  std::string user_id;       // "sub" (and "user_id" claim too for access tokens); opaque text
  std::string email{};       // access tokens only
  std::string session_id{};  // "sid": the session (a UUID); required in refresh tokens
  std::string token_id{};    // "jti": in a refresh token the session's one-time token id (a UUID);
                             // in an access token made up when issued if left empty
  std::int64_t issued_at = 0;   // iat (seconds since epoch); 0 when a verified token had none
  std::int64_t expires_at = 0;  // exp
};

struct JwtSettings {
  std::string issuer = "todo-fcgi";
  std::string audience = "todo-api";
  std::string secret;           // current signing secret (>= 32 bytes; checked by config, not here)
  std::string previous_secret;  // optional; verify-only, for rotation
  std::chrono::seconds access_ttl{3600};
  std::chrono::seconds refresh_ttl{30 * 24 * 3600};
  std::chrono::seconds leeway{30};
  std::size_t max_token_bytes = 4096;
};

enum class JwtError {
  too_large,        // longer than max_token_bytes; nothing was decoded
  malformed,        // not three base64url segments of JSON objects, duplicate keys, bad types
  wrong_algorithm,  // header alg is not HS256 (including "none" in any case); external: not
                    // the algorithm of the key the kid names
  wrong_type,       // header typ says another kind of token
  unknown_key,      // header kid names neither the current nor the previous secret (external:
                    // no kid, or one the issuer's JWKS does not hold)
  bad_signature,    // the MAC does not match (also: internal failure, so it fails closed)
  bad_claims,       // missing sub/exp (or sid/jti), claims of the wrong type, sub not clean text
  expired,          // exp is past, beyond the leeway
  not_yet_valid,    // nbf or iat is in the future, beyond the leeway
  wrong_issuer,     // iss missing or not ours
  wrong_audience,   // aud missing or not containing ours
  // External tokens only (external_token.hpp): no key is known for the token's kid because
  // the issuer's JWKS could not be fetched. The token may be good: answer 503, not 401.
  issuer_unavailable,
};

// A short sentence for a 401 "detail"; it never contains anything from the token.
std::string_view describe(JwtError error);

// The rules on registered claims that local and external tokens share: "exp" present and
// now < exp + leeway (RFC 7519 §4.1.4), "nbf" and "iat" not after now + leeway, "iss" exactly
// `issuer`, "aud" present and holding ours (the claims parser compared it). The first rule
// broken, or nullopt when none is.
std::optional<JwtError> registered_claims_error(const ClaimSet& claims, std::string_view issuer,
                                                std::int64_t leeway, std::int64_t now);

// The "kid" of tokens signed under `secret`: base64url of the first 9 bytes of SHA-256(secret)
// (12 characters). Revealing it gives nothing an HS256 signature does not already give.
std::string key_id_for_secret(std::string_view secret);

// Issues and verifies the service's tokens.
//
// Access tokens: header {"alg":"HS256","typ":"JWT","kid":<kid>}, signed with the raw secret
// (so other services holding the shared secret can verify them); claims sub, user_id, email,
// iat, exp, iss, aud, jti and, when it has one, sid.
// Refresh tokens: header {"alg":"HS256","typ":"refresh+jwt","kid":<kid>}, signed with
// HMAC-SHA256(secret, "todo-fcgi refresh token v1"), so a refresh token fails as an access
// token on its signature even where a verifier ignores typ, and the other way round; claims
// sub, sid, jti, iat, exp, iss, aud.
//
// NOT thread-safe (owns reusable HMAC contexts and parse buffers): each worker thread
// constructs its own.
class JwtCodec {
 public:
  // Throws std::invalid_argument for an empty secret or a non-positive TTL.
  explicit JwtCodec(const JwtSettings& settings);
  JwtCodec(JwtCodec&&) noexcept;
  JwtCodec& operator=(JwtCodec&&) noexcept;
  ~JwtCodec();

  // A signed token of `kind` for `claims`, with iat = now and exp = now + the kind's TTL
  // (claims.issued_at and expires_at are ignored). Throws std::invalid_argument when
  // claims.user_id is empty or has control characters, or a string is not valid UTF-8.
  std::string issue(TokenKind kind, const TokenClaims& claims, std::int64_t now);

  // The token's claims when it is a valid, current token of `kind` at time `now` (seconds
  // since the epoch), else why not. Never throws.
  std::expected<TokenClaims, JwtError> verify(std::string_view token, TokenKind kind,
                                              std::int64_t now) noexcept;

  // The kid this codec puts in the tokens it issues.
  const std::string& key_id() const noexcept;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace todo::auth
