#include "auth/jwt.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <limits>
#include <optional>
#include <stdexcept>

#include "auth/base64url.hpp"
#include "auth/hmac_sha256.hpp"
#include "auth/jose_json.hpp"
#include "auth/jws.hpp"
#include "auth/random_id.hpp"
#include "core/text.hpp"

namespace todo::auth {
namespace {

constexpr std::string_view kAlgorithm = "HS256";  // pinned here, never read from a token
constexpr std::string_view kAccessType = "JWT";
constexpr std::string_view kRefreshType = "refresh+jwt";
// Domain separation: refresh tokens are MACed with HMAC-SHA256(secret, label) instead of the
// secret itself, so a verifier checking access tokens with the raw secret (ours, or another
// service's that shares it) can never accept a refresh token, whatever it does with typ.
constexpr std::string_view kRefreshKeyLabel = "todo-fcgi refresh token v1";
constexpr std::size_t kKeyIdBytes = 9;

constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMinInt = std::numeric_limits<std::int64_t>::min();

constexpr std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  if (b > 0 && a > kMaxInt - b) return kMaxInt;
  if (b < 0 && a < kMinInt - b) return kMinInt;
  return a + b;
}

// A user id is opaque text, but never empty, never invalid UTF-8 and never holds a control
// character: it goes into log lines, SQL parameters and JSON.
bool is_acceptable_user_id(std::string_view id) {
  return !id.empty() && !has_control_chars(id);
}

std::string header_json(std::string_view type, std::string_view kid) {
  std::string json = R"({"alg":")";
  json += kAlgorithm;
  json += R"(","typ":")";
  json += type;
  json += R"(","kid":")";
  json += kid;  // base64url characters only: nothing to escape
  json += R"("})";
  return json;
}

// Both keys made from one secret, under that secret's kid, and the encoded headers we issue
// with them.
struct KeySet {
  explicit KeySet(std::string_view secret)
      : kid(key_id_for_secret(secret)),
        access(secret),
        refresh(as_chars(hmac_sha256(secret, kRefreshKeyLabel))),
        access_header(base64url_encode(header_json(kAccessType, kid))),
        refresh_header(base64url_encode(header_json(kRefreshType, kid))) {}

  HmacSha256& for_kind(TokenKind kind) { return kind == TokenKind::access ? access : refresh; }
  const std::string& header(TokenKind kind) const {
    return kind == TokenKind::access ? access_header : refresh_header;
  }

  std::string kid;
  HmacSha256 access;           // the raw shared secret
  HmacSha256 refresh;          // HMAC-SHA256(secret, kRefreshKeyLabel)
  std::string access_header;   // base64url of {"alg":"HS256","typ":"JWT","kid":kid}
  std::string refresh_header;  // base64url of {"alg":"HS256","typ":"refresh+jwt","kid":kid}
};

}  // namespace

// ---------------------------------------------------------------------------------------------

std::string_view describe(JwtError error) {
  // In JwtError's order.
  static constexpr std::string_view kDescriptions[] = {
      "Token is too large",
      "Token is malformed",
      "Token algorithm is not accepted",
      "Token is not of the expected type",
      "Token was signed with an unknown key",
      "Token signature is invalid",
      "Token claims are invalid",
      "Token has expired",
      "Token is not yet valid",
      "Token issuer is not accepted",
      "Token audience is not accepted",
      "The token issuer cannot be reached to check the token; try again shortly",
  };
  static_assert(std::size(kDescriptions) ==
                static_cast<std::size_t>(JwtError::issuer_unavailable) + 1);
  return kDescriptions[static_cast<std::size_t>(error)];
}

std::optional<JwtError> registered_claims_error(const ClaimSet& c, std::string_view issuer,
                                                std::int64_t leeway, std::int64_t now) {
  if (!c.exp) return JwtError::bad_claims;
  if (c.iss != issuer) return JwtError::wrong_issuer;
  if (!c.has_aud || !c.aud_matches) return JwtError::wrong_audience;
  // Valid while now < exp + leeway, written so nothing can overflow.
  if (*c.exp <= saturating_add(now, -leeway)) return JwtError::expired;
  const std::int64_t latest_start = saturating_add(now, leeway);
  if ((c.nbf && *c.nbf > latest_start) || (c.iat && *c.iat > latest_start)) {
    return JwtError::not_yet_valid;
  }
  return std::nullopt;
}

std::string key_id_for_secret(std::string_view secret) {
  const Sha256Digest digest = sha256(secret);
  return base64url_encode(std::span<const unsigned char>(digest.data(), kKeyIdBytes));
}

// ---------------------------------------------------------------------------------------------

class JwtCodec::Impl {
 public:
  explicit Impl(const JwtSettings& settings)
      : issuer_(settings.issuer),
        audience_(settings.audience),
        access_ttl_(settings.access_ttl.count()),
        refresh_ttl_(settings.refresh_ttl.count()),
        leeway_(std::max<std::int64_t>(0, settings.leeway.count())),
        max_token_bytes_(settings.max_token_bytes),
        current_(checked_secret(settings.secret)) {
    if (access_ttl_ <= 0 || refresh_ttl_ <= 0) {
      throw std::invalid_argument("jwt: token lifetimes must be positive");
    }
    if (!settings.previous_secret.empty() && settings.previous_secret != settings.secret) {
      previous_.emplace(settings.previous_secret);
    }
  }

  const std::string& key_id() const { return current_.kid; }

  std::string issue(TokenKind kind, const TokenClaims& claims, std::int64_t now) {
    if (!is_acceptable_user_id(claims.user_id)) {
      throw std::invalid_argument("jwt: user id must be non-empty text without control chars");
    }
    if (kind == TokenKind::refresh && !(is_uuid(claims.session_id) && is_uuid(claims.token_id))) {
      throw std::invalid_argument("jwt: a refresh token needs its session and token ids");
    }
    const std::int64_t ttl = kind == TokenKind::access ? access_ttl_ : refresh_ttl_;
    const std::string payload = claims_json(kind, claims, now, saturating_add(now, ttl));
    return sign_compact(current_.header(kind), payload, current_.for_kind(kind));
  }

  std::expected<TokenClaims, JwtError> verify(std::string_view token, TokenKind kind,
                                              std::int64_t now) {
    if (token.size() > max_token_bytes_) return std::unexpected(JwtError::too_large);
    const auto jws = split_compact(token);
    if (!jws) return std::unexpected(JwtError::malformed);

    auto key = check_header(jws->header, kind);
    if (!key) return std::unexpected(key.error());
    switch (check_mac(*jws, (*key)->for_kind(kind))) {
      case MacCheck::match:
        break;
      case MacCheck::malformed:
        return std::unexpected(JwtError::malformed);
      case MacCheck::mismatch:
      case MacCheck::wrong_size:
        return std::unexpected(JwtError::bad_signature);
    }
    // Only an authentic payload is parsed: a forger cannot make us walk hostile JSON twice.
    return check_claims(jws->payload, kind, now);
  }

 private:
  static std::string_view checked_secret(const std::string& secret) {
    if (secret.empty()) throw std::invalid_argument("jwt: the signing secret is empty");
    return secret;
  }

  std::string claims_json(TokenKind kind, const TokenClaims& claims, std::int64_t iat,
                          std::int64_t exp) const {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer, rapidjson::UTF8<>, rapidjson::UTF8<>,
                      rapidjson::CrtAllocator, rapidjson::kWriteValidateEncodingFlag>
        writer(buffer);
    auto string = [&writer](std::string_view s) {
      return writer.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    };
    bool ok = writer.StartObject() && writer.Key("sub") && string(claims.user_id);
    if (kind == TokenKind::access) {
      ok = ok && writer.Key("user_id") && string(claims.user_id) && writer.Key("email") &&
           string(claims.email);
    }
    if (!claims.session_id.empty()) ok = ok && writer.Key("sid") && string(claims.session_id);
    ok = ok && writer.Key("jti") &&
         string(claims.token_id.empty() ? random_uuid() : claims.token_id);
    ok = ok && writer.Key("iat") && writer.Int64(iat) && writer.Key("exp") && writer.Int64(exp) &&
         writer.Key("iss") && string(issuer_) && writer.Key("aud") && string(audience_) &&
         writer.EndObject();
    if (!ok) throw std::invalid_argument("jwt: claims must be valid UTF-8");
    return {buffer.GetString(), buffer.GetSize()};
  }

  // The key set the header names, once alg, typ and kid are acceptable for `kind`.
  std::expected<KeySet*, JwtError> check_header(std::string_view segment, TokenKind kind) {
    // Fast path: the exact header bytes we issue for this kind. They were made to pass every
    // check below, so they need no decoding; any other bytes take the full path.
    if (segment == current_.header(kind)) return &current_;
    if (previous_ && segment == previous_->header(kind)) return &*previous_;

    const auto header = parser_.header(segment);
    if (!header) return std::unexpected(JwtError::malformed);
    // Compared exactly: "none", "None", "HS384", "RS256", "hs256" ... all fail here.
    if (header->alg != kAlgorithm) return std::unexpected(JwtError::wrong_algorithm);
    if (!type_fits(header->typ, kind)) return std::unexpected(JwtError::wrong_type);
    if (header->has_crit) return std::unexpected(JwtError::malformed);  // no extension is known
    // A token without kid is tried against the current key only: other services holding
    // the shared secret may omit kid, and one MAC per token keeps forgeries cheap to refuse.
    // Tokens still valid under a previous secret always carry its kid (we set it).
    if (!header->kid || *header->kid == current_.kid) return &current_;
    if (previous_ && *header->kid == previous_->kid) return &*previous_;
    return std::unexpected(JwtError::unknown_key);
  }

  // Media-type names compare case-insensitively (RFC 7515 §4.1.9). Access tokens may omit
  // typ (other issuers of the shared secret may); refresh tokens must say what they are.
  static bool type_fits(const std::optional<std::string_view>& typ, TokenKind kind) {
    if (kind == TokenKind::refresh) return typ && iequals(*typ, kRefreshType);
    return !typ || iequals(*typ, kAccessType);
  }

  std::expected<TokenClaims, JwtError> check_claims(std::string_view segment, TokenKind kind,
                                                    std::int64_t now) {
    const auto claims = parser_.claims(segment, audience_);
    if (!claims) {
      return std::unexpected(claims.error() == JoseJsonError::bad_claim_type ? JwtError::bad_claims
                                                                             : JwtError::malformed);
    }
    if (const auto error = first_claim_error(*claims, kind, now)) return std::unexpected(*error);

    TokenClaims result;
    result.user_id = *claims->sub;
    if (kind == TokenKind::access && claims->email) result.email = *claims->email;
    if (claims->sid) result.session_id = *claims->sid;
    if (claims->jti) result.token_id = *claims->jti;
    result.issued_at = claims->iat.value_or(0);
    result.expires_at = *claims->exp;
    return result;
  }

  std::optional<JwtError> first_claim_error(const ClaimSet& c, TokenKind kind,
                                            std::int64_t now) const {
    if (!c.sub || !is_acceptable_user_id(*c.sub)) return JwtError::bad_claims;
    if (c.email && !is_clean_text(*c.email)) return JwtError::bad_claims;
    if (kind == TokenKind::refresh && !(c.sid && is_uuid(*c.sid) && c.jti && is_uuid(*c.jti)))
      return JwtError::bad_claims;
    if (kind == TokenKind::access && c.sid && !is_uuid(*c.sid)) return JwtError::bad_claims;
    if (kind == TokenKind::access && c.user_id && *c.user_id != *c.sub) {
      return JwtError::bad_claims;
    }
    return registered_claims_error(c, issuer_, leeway_, now);
  }

  std::string issuer_;
  std::string audience_;
  std::int64_t access_ttl_;
  std::int64_t refresh_ttl_;
  std::int64_t leeway_;
  std::size_t max_token_bytes_;
  KeySet current_;
  std::optional<KeySet> previous_;
  JoseJsonParser parser_;  // scratch reused by every verify: no allocation once warm
};

// ---------------------------------------------------------------------------------------------

JwtCodec::JwtCodec(const JwtSettings& settings) : impl_(std::make_unique<Impl>(settings)) {}
JwtCodec::JwtCodec(JwtCodec&&) noexcept = default;
JwtCodec& JwtCodec::operator=(JwtCodec&&) noexcept = default;
JwtCodec::~JwtCodec() = default;

std::string JwtCodec::issue(TokenKind kind, const TokenClaims& claims, std::int64_t now) {
  return impl_->issue(kind, claims, now);
}

std::expected<TokenClaims, JwtError> JwtCodec::verify(std::string_view token, TokenKind kind,
                                                      std::int64_t now) noexcept {
  try {
    return impl_->verify(token, kind, now);
  } catch (...) {
    // Out of memory or an OpenSSL failure: refuse the token (fail closed), never throw.
    return std::unexpected(JwtError::bad_signature);
  }
}

const std::string& JwtCodec::key_id() const noexcept {
  return impl_->key_id();
}

}  // namespace todo::auth
