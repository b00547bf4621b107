#include "auth/jwt.hpp"

#include <rapidjson/reader.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>
#include <optional>
#include <stdexcept>
#include <vector>

#include "auth/base64url.hpp"
#include "auth/hmac_sha256.hpp"

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

// Iterative: no recursion, so nesting depth cannot overflow the stack (PITFALLS).
// Validate encoding: invalid UTF-8 is refused. In situ: strings are decoded inside our scratch
// buffer, so keys and values stay valid as string_views for the whole parse, without copies.
constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag |
                                 rapidjson::kParseValidateEncodingFlag |
                                 rapidjson::kParseInsituFlag;

constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMinInt = std::numeric_limits<std::int64_t>::min();

constexpr std::int64_t saturating_add(std::int64_t a, std::int64_t b) {
  if (b > 0 && a > kMaxInt - b) return kMaxInt;
  if (b < 0 && a < kMinInt - b) return kMinInt;
  return a + b;
}

bool equals_ignore_ascii_case(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    return lower(x) == lower(y);
  });
}

// C0 controls, DEL and (as UTF-8 bytes C2 80..C2 9F) C1 controls: never part of a user id.
bool has_control_chars(std::string_view s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return true;
    if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xa0) return true;
  }
  return false;
}

std::string_view view(const char* s, rapidjson::SizeType n) {
  return {s, n};
}

// ---------------------------------------------------------------------------------------------
// SAX parsing. A DOM would keep duplicate keys and allocate per node; a SAX handler sees every
// key once, checks types as they come and allocates nothing once its buffers are warm.

enum class JsonType { null_or_bool, integer, other_number, string, object, array };

struct JsonValue {
  JsonValue(JsonType t, std::int64_t i = 0, std::string_view s = {})
      : type(t), integer(i), text(s) {}
  JsonType type;
  std::int64_t integer;
  std::string_view text;
};

// Walks a document that must be one JSON object, hands each top-level member to
// Derived::member(key, value) and each element of a top-level array to
// Derived::element(key, value); records the keys to refuse duplicates. A Derived handler
// returning false stops the parse (after setting its error).
template <class Derived>
class ObjectHandler {
 public:
  explicit ObjectHandler(std::vector<std::string_view>& keys) : keys_(keys) { keys_.clear(); }

  bool Null() { return value({JsonType::null_or_bool}); }
  bool Bool(bool) { return value({JsonType::null_or_bool}); }
  bool Int(int i) { return value({JsonType::integer, i}); }
  bool Uint(unsigned u) { return value({JsonType::integer, u}); }
  bool Int64(std::int64_t i) { return value({JsonType::integer, i}); }
  bool Uint64(std::uint64_t u) {
    if (u > static_cast<std::uint64_t>(kMaxInt)) return value({JsonType::other_number});
    return value({JsonType::integer, static_cast<std::int64_t>(u)});
  }
  bool Double(double) { return value({JsonType::other_number}); }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return value({JsonType::other_number}); }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    return value({JsonType::string, 0, view(s, n)});
  }
  bool StartObject() { return open(JsonType::object); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open(JsonType::array); }
  bool EndArray(rapidjson::SizeType) { return close(); }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (depth_ == 1) {
      key_ = view(s, n);
      keys_.push_back(key_);
    }
    return true;
  }

  // True when the whole document was one object without duplicate top-level keys.
  bool complete() const { return complete_; }

 private:
  Derived& derived() { return static_cast<Derived&>(*this); }

  bool value(const JsonValue& v) {
    if (depth_ == 0) return false;  // the root must be an object
    if (depth_ == 1) return derived().member(key_, v);
    if (depth_ == 2 && in_top_array_) return derived().element(key_, v);
    return true;  // inside a member's nested value: not ours to judge
  }

  bool open(JsonType type) {
    if (depth_ == 0 && type != JsonType::object) return false;
    if (depth_ >= 1 && !value({type})) return false;
    if (depth_ == 1 && type == JsonType::array) in_top_array_ = true;
    ++depth_;
    return true;
  }

  bool close() {
    --depth_;
    if (depth_ == 1) in_top_array_ = false;
    if (depth_ == 0) {
      // Sorting the recorded keys is O(n log n) even for a hostile header with many keys.
      std::ranges::sort(keys_);
      if (std::ranges::adjacent_find(keys_) != keys_.end()) return false;
      complete_ = true;
    }
    return true;
  }

  std::vector<std::string_view>& keys_;
  std::string_view key_;
  int depth_ = 0;
  bool in_top_array_ = false;
  bool complete_ = false;
};

// The JOSE header: alg, typ and kid must be strings when present; crit is never understood.
class HeaderHandler : public ObjectHandler<HeaderHandler> {
 public:
  using ObjectHandler::ObjectHandler;

  std::optional<std::string_view> alg, typ, kid;
  bool has_crit = false;

  bool member(std::string_view key, const JsonValue& v) {
    if (key == "alg") return assign_string(alg, v);
    if (key == "typ") return assign_string(typ, v);
    if (key == "kid") return assign_string(kid, v);
    if (key == "crit") has_crit = true;
    return true;
  }
  bool element(std::string_view, const JsonValue&) { return true; }

 private:
  static bool assign_string(std::optional<std::string_view>& slot, const JsonValue& v) {
    if (v.type != JsonType::string) return false;
    slot = v.text;
    return true;
  }
};

// The claims set. A claim we know with the wrong type is bad_claims; unknown claims are
// ignored whatever they hold.
class ClaimsHandler : public ObjectHandler<ClaimsHandler> {
 public:
  ClaimsHandler(std::vector<std::string_view>& keys, std::string_view audience)
      : ObjectHandler(keys), audience_(audience) {}

  std::optional<std::string_view> sub, user_id, email, iss;
  std::optional<std::int64_t> exp, iat, nbf, ver;
  bool has_aud = false;
  bool aud_matches = false;
  bool bad_type = false;

  bool member(std::string_view key, const JsonValue& v) {
    if (key == "sub") return assign_string(sub, v);
    if (key == "user_id") return assign_string(user_id, v);
    if (key == "email") return assign_string(email, v);
    if (key == "iss") return assign_string(iss, v);
    if (key == "exp") return assign_integer(exp, v);
    if (key == "iat") return assign_integer(iat, v);
    if (key == "nbf") return assign_integer(nbf, v);
    if (key == "ver") return assign_integer(ver, v);
    if (key == "aud") return audience(v);
    return true;
  }

  // An element of a top-level array: only "aud" (an array of strings) is ours.
  bool element(std::string_view key, const JsonValue& v) {
    if (key != "aud") return true;
    if (v.type != JsonType::string) return reject();
    aud_matches = aud_matches || v.text == audience_;
    return true;
  }

 private:
  bool reject() {
    bad_type = true;
    return false;
  }
  bool assign_string(std::optional<std::string_view>& slot, const JsonValue& v) {
    if (v.type != JsonType::string) return reject();
    slot = v.text;
    return true;
  }
  bool assign_integer(std::optional<std::int64_t>& slot, const JsonValue& v) {
    if (v.type != JsonType::integer) return reject();
    slot = v.integer;
    return true;
  }
  bool audience(const JsonValue& v) {
    has_aud = true;
    if (v.type == JsonType::string) {
      aud_matches = v.text == audience_;
      return true;
    }
    return v.type == JsonType::array || reject();  // the elements come through element()
  }

  std::string_view audience_;
};

// Decodes one base64url segment into `buffer` and checks it can be parsed in situ: RapidJSON
// reads up to a NUL, so a raw NUL (never valid JSON) would hide whatever follows it.
bool decode_segment(std::string_view segment, std::string& buffer) {
  return base64url_decode_into(segment, buffer) &&
         std::memchr(buffer.data(), '\0', buffer.size()) == nullptr;
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

// The three segments of a compact JWS, or nullopt unless there are exactly three.
struct Segments {
  std::string_view header, payload, signature, signing_input;
};

std::optional<Segments> split(std::string_view token) {
  const auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  return Segments{token.substr(0, first), token.substr(first + 1, second - first - 1),
                  token.substr(second + 1), token.substr(0, second)};
}

bool signature_matches(std::string_view signature_b64, std::string_view signing_input,
                       HmacSha256& key) {
  Sha256Digest given{};
  if (!base64url_decode_exact(signature_b64, given)) return false;
  const Sha256Digest expected = key.compute(signing_input);
  return constant_time_equal(as_chars(given), as_chars(expected));
}

}  // namespace

// ---------------------------------------------------------------------------------------------

std::string_view describe(JwtError error) {
  switch (error) {
    case JwtError::too_large:
      return "Token is too large";
    case JwtError::malformed:
      return "Token is malformed";
    case JwtError::wrong_algorithm:
      return "Token algorithm is not accepted";
    case JwtError::wrong_type:
      return "Token is not of the expected type";
    case JwtError::unknown_key:
      return "Token was signed with an unknown key";
    case JwtError::bad_signature:
      return "Token signature is invalid";
    case JwtError::bad_claims:
      return "Token claims are invalid";
    case JwtError::expired:
      return "Token has expired";
    case JwtError::not_yet_valid:
      return "Token is not yet valid";
    case JwtError::wrong_issuer:
      return "Token issuer is not accepted";
    case JwtError::wrong_audience:
      return "Token audience is not accepted";
  }
  return "Token is invalid";
}

std::string key_id_for_secret(std::string_view secret) {
  const Sha256Digest digest = sha256(secret);
  return base64url_encode(std::span<const unsigned char>(digest.data(), kKeyIdBytes));
}

std::string sign_hs256_compact(std::string_view header_json, std::string_view payload_json,
                               std::string_view key) {
  std::string token = base64url_encode(header_json);
  token += '.';
  base64url_append(payload_json, token);
  const Sha256Digest mac = hmac_sha256(key, token);
  token += '.';
  base64url_append(as_chars(mac), token);
  return token;
}

bool hs256_signature_matches(std::string_view compact, std::string_view key) {
  const auto segments = split(compact);
  if (!segments) return false;
  HmacSha256 mac(key);
  return signature_matches(segments->signature, segments->signing_input, mac);
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
    keys_.reserve(16);
  }

  const std::string& key_id() const { return current_.kid; }

  std::string issue(TokenKind kind, const TokenClaims& claims, std::int64_t now) {
    if (claims.user_id.empty() || has_control_chars(claims.user_id)) {
      throw std::invalid_argument("jwt: user id must be non-empty text without control chars");
    }
    const std::int64_t ttl = kind == TokenKind::access ? access_ttl_ : refresh_ttl_;
    const std::string payload = claims_json(kind, claims, now, saturating_add(now, ttl));

    std::string token;
    const std::string& header = current_.header(kind);
    token.reserve(header.size() + payload.size() * 4 / 3 + 48);
    token = header;
    token += '.';
    base64url_append(payload, token);
    const Sha256Digest mac = current_.for_kind(kind).compute(token);
    token += '.';
    base64url_append(as_chars(mac), token);
    return token;
  }

  std::expected<TokenClaims, JwtError> verify(std::string_view token, TokenKind kind,
                                              std::int64_t now) {
    if (token.size() > max_token_bytes_) return std::unexpected(JwtError::too_large);
    const auto segments = split(token);
    if (!segments) return std::unexpected(JwtError::malformed);

    auto key = check_header(segments->header, kind);
    if (!key) return std::unexpected(key.error());
    if (base64url_decoded_size(segments->signature.size()) != kSha256Size) {
      return std::unexpected(JwtError::bad_signature);
    }
    Sha256Digest given{};
    if (!base64url_decode_exact(segments->signature, given)) {
      return std::unexpected(JwtError::malformed);
    }
    const Sha256Digest expected = (*key)->for_kind(kind).compute(segments->signing_input);
    if (!constant_time_equal(as_chars(given), as_chars(expected))) {
      return std::unexpected(JwtError::bad_signature);
    }
    // Only an authentic payload is parsed: a forger cannot make us walk hostile JSON twice.
    return check_claims(segments->payload, kind, now);
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
    } else {
      ok = ok && writer.Key("ver") && writer.Int64(claims.token_version);
    }
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

    if (!decode_segment(segment, header_buffer_)) return std::unexpected(JwtError::malformed);
    HeaderHandler header(keys_);
    rapidjson::InsituStringStream stream(header_buffer_.data());
    if (!reader_.Parse<kParseFlags>(stream, header) || !header.complete()) {
      return std::unexpected(JwtError::malformed);
    }
    // Compared exactly: "none", "None", "HS384", "RS256", "hs256" ... all fail here.
    if (header.alg != kAlgorithm) return std::unexpected(JwtError::wrong_algorithm);
    if (!type_fits(header.typ, kind)) return std::unexpected(JwtError::wrong_type);
    if (header.has_crit) return std::unexpected(JwtError::malformed);  // no extension is known
    // A token without kid is tried against the current key only: other services holding
    // the shared secret may omit kid, and one MAC per token keeps forgeries cheap to refuse.
    // Tokens still valid under a previous secret always carry its kid (we set it).
    if (!header.kid || *header.kid == current_.kid) return &current_;
    if (previous_ && *header.kid == previous_->kid) return &*previous_;
    return std::unexpected(JwtError::unknown_key);
  }

  // Media-type names compare case-insensitively (RFC 7515 §4.1.9). Access tokens may omit
  // typ (other issuers of the shared secret may); refresh tokens must say what they are.
  static bool type_fits(const std::optional<std::string_view>& typ, TokenKind kind) {
    if (kind == TokenKind::refresh) return typ && equals_ignore_ascii_case(*typ, kRefreshType);
    return !typ || equals_ignore_ascii_case(*typ, kAccessType);
  }

  std::expected<TokenClaims, JwtError> check_claims(std::string_view segment, TokenKind kind,
                                                    std::int64_t now) {
    if (!decode_segment(segment, payload_buffer_)) return std::unexpected(JwtError::malformed);
    ClaimsHandler claims(keys_, audience_);
    rapidjson::InsituStringStream stream(payload_buffer_.data());
    if (!reader_.Parse<kParseFlags>(stream, claims) || !claims.complete()) {
      return std::unexpected(claims.bad_type ? JwtError::bad_claims : JwtError::malformed);
    }
    if (const auto error = first_claim_error(claims, kind, now)) return std::unexpected(*error);

    TokenClaims result;
    result.user_id = *claims.sub;
    if (kind == TokenKind::access && claims.email) result.email = *claims.email;
    result.issued_at = claims.iat.value_or(0);
    result.expires_at = *claims.exp;
    if (kind == TokenKind::refresh) result.token_version = *claims.ver;
    return result;
  }

  std::optional<JwtError> first_claim_error(const ClaimsHandler& c, TokenKind kind,
                                            std::int64_t now) const {
    if (!c.sub || c.sub->empty() || has_control_chars(*c.sub)) return JwtError::bad_claims;
    if (!c.exp) return JwtError::bad_claims;
    if (kind == TokenKind::refresh && !c.ver) return JwtError::bad_claims;
    if (kind == TokenKind::access && c.user_id && *c.user_id != *c.sub) {
      return JwtError::bad_claims;
    }
    if (c.iss != issuer_) return JwtError::wrong_issuer;
    if (!c.has_aud || !c.aud_matches) return JwtError::wrong_audience;
    // Valid while now < exp + leeway (RFC 7519 §4.1.4), written so nothing can overflow.
    if (*c.exp <= saturating_add(now, -leeway_)) return JwtError::expired;
    const std::int64_t latest_start = saturating_add(now, leeway_);
    if ((c.nbf && *c.nbf > latest_start) || (c.iat && *c.iat > latest_start)) {
      return JwtError::not_yet_valid;
    }
    return std::nullopt;
  }

  std::string issuer_;
  std::string audience_;
  std::int64_t access_ttl_;
  std::int64_t refresh_ttl_;
  std::int64_t leeway_;
  std::size_t max_token_bytes_;
  KeySet current_;
  std::optional<KeySet> previous_;

  // Scratch reused by every verify: no allocation once warm.
  std::string header_buffer_;
  std::string payload_buffer_;
  std::vector<std::string_view> keys_;
  rapidjson::Reader reader_;
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
