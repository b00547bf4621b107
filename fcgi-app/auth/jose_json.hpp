// The JSON inside a JWS: the JOSE header and the claims set, decoded from their base64url
// segments and read with a SAX handler that refuses duplicate keys, checks the types of the
// members it knows and allocates nothing once its buffers are warm.
#pragma once

#include <rapidjson/reader.h>

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace todo::auth {

// The header members a verifier looks at. A member of the wrong type makes the header
// malformed.
struct JoseHeader {
  std::optional<std::string_view> alg, typ, kid;
  bool has_crit = false;  // "crit": extensions this service never understands
  // "jku", "jwk", "x5u" or "x5c": a key, or where to fetch one, chosen by the token's author.
  // Never fetched nor trusted; an external token carrying one is refused.
  bool names_key_source = false;
};

// The claims a verifier looks at: RFC 7519's registered ones and the service's own
// (user_id, email, sid). Unknown claims are ignored whatever they hold.
struct ClaimSet {
  std::optional<std::string_view> sub, user_id, email, iss, jti, sid;
  std::optional<std::int64_t> exp, iat, nbf;
  bool has_aud = false;
  bool aud_matches = false;  // aud is the audience asked for, or an array containing it
};

enum class JoseJsonError {
  malformed,       // not base64url of one JSON object, a raw NUL, a duplicate key
  bad_claim_type,  // a claim this service knows has the wrong JSON type
};

// Views in the results point into the parser's buffers and stay valid until its next call.
// Not thread-safe: one per thread.
class JoseJsonParser {
 public:
  std::optional<JoseHeader> header(std::string_view encoded);
  std::expected<ClaimSet, JoseJsonError> claims(std::string_view encoded,
                                                std::string_view audience);

 private:
  std::string header_buffer_;
  std::string payload_buffer_;
  std::vector<std::string_view> keys_;
  rapidjson::Reader reader_;
};

}  // namespace todo::auth
