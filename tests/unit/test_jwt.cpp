// The JWT codec: one case per verification rule, named for the rule.
#include <boost/test/unit_test.hpp>
#include <limits>
#include <random>
#include <set>
#include <string>

#include "auth/base64url.hpp"
#include "auth/hmac_sha256.hpp"
#include "auth/jws.hpp"
#include "auth/jwt.hpp"
#include "core/text.hpp"

using namespace todo::auth;

namespace {

// Test-only secrets (>= 32 bytes, as configuration demands).
const std::string kSecret = "unit-test-secret-0123456789abcdef-current";
const std::string kPreviousSecret = "unit-test-secret-0123456789abcdef-previous";
constexpr std::int64_t kNow = 1'700'000'000;
constexpr std::int64_t kLeeway = 30;

JwtSettings settings(std::string secret = kSecret, std::string previous = "") {
  JwtSettings s;
  s.secret = std::move(secret);
  s.previous_secret = std::move(previous);
  return s;
}

std::string refresh_key(std::string_view secret) {
  return std::string(as_chars(hmac_sha256(secret, "todo-fcgi refresh token v1")));
}

std::string kid() {
  return key_id_for_secret(kSecret);
}

std::string access_header() {
  return R"({"alg":"HS256","typ":"JWT","kid":")" + kid() + R"("})";
}

std::string refresh_header() {
  return R"({"alg":"HS256","typ":"refresh+jwt","kid":")" + kid() + R"("})";
}

// A valid access claims set; tests replace one piece of it.
std::string access_claims() {
  return R"({"sub":"user-1","user_id":"user-1","email":"ada@example.com","iat":1700000000,)"
         R"("exp":1700003600,"iss":"todo-fcgi","aud":"todo-api"})";
}

constexpr const char* kSession = "0f8fad5b-d9cb-469f-a165-70867728950e";
constexpr const char* kTokenId = "7c9e6679-7425-40de-944b-e07fc1f90ae7";

std::string refresh_claims() {
  return R"({"sub":"user-1",)" + std::string(R"("sid":"0f8fad5b-d9cb-469f-a165-70867728950e",)") +
         R"("jti":"7c9e6679-7425-40de-944b-e07fc1f90ae7","iat":1700000000,"exp":1702592000,)"
         R"("iss":"todo-fcgi","aud":"todo-api"})";
}

std::string replaced(std::string text, std::string_view what, std::string_view with) {
  const auto at = text.find(what);
  BOOST_REQUIRE(at != std::string::npos);
  return text.replace(at, what.size(), with);
}

// An access token with this header and payload, correctly signed with the current secret.
std::string signed_access(const std::string& header, const std::string& payload) {
  return sign_hs256_compact(header, payload, kSecret);
}

std::string access_with_claims(const std::string& payload) {
  return signed_access(access_header(), payload);
}

std::expected<TokenClaims, JwtError> verify_access(const std::string& token,
                                                   std::int64_t now = kNow) {
  JwtCodec codec(settings());
  return codec.verify(token, TokenKind::access, now);
}

// The error of a result that must be one (calling error() on a value would be undefined).
JwtError error_of(const std::expected<TokenClaims, JwtError>& result) {
  BOOST_REQUIRE(!result.has_value());
  return result.error();
}

JwtError access_error(const std::string& token, std::int64_t now = kNow) {
  return error_of(verify_access(token, now));
}

// Splits a compact token; for tests that rebuild one segment.
struct Parts {
  std::string header, payload, signature;
};

Parts parts(const std::string& token) {
  const auto a = token.find('.'), b = token.find('.', a + 1);
  return {token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
}

std::string mac_b64(std::string_view key, std::string_view signing_input) {
  return base64url_encode(as_chars(hmac_sha256(key, signing_input)));
}

}  // namespace

BOOST_TEST_DONT_PRINT_LOG_VALUE(JwtError)

BOOST_AUTO_TEST_SUITE(jwt)

// ------------------------------------------------------------------------- issuing and round trip

BOOST_AUTO_TEST_CASE(access_token_round_trips) {
  JwtCodec codec(settings());
  const std::string token = codec.issue(TokenKind::access, {"user-1", "ada@example.com"}, kNow);
  const auto claims = codec.verify(token, TokenKind::access, kNow + 10);
  BOOST_REQUIRE(claims.has_value());
  BOOST_TEST(claims->user_id == "user-1");
  BOOST_TEST(claims->email == "ada@example.com");
  BOOST_TEST(claims->issued_at == kNow);
  BOOST_TEST(claims->expires_at == kNow + 3600);
  BOOST_TEST(claims->session_id.empty());
  BOOST_TEST(todo::is_uuid(claims->token_id));  // a jti made up for it
}

BOOST_AUTO_TEST_CASE(an_access_token_carries_its_session_when_it_has_one) {
  JwtCodec codec(settings());
  const auto claims = codec.verify(
      codec.issue(TokenKind::access, {"user-1", "ada@example.com", kSession, "", 0, 0}, kNow),
      TokenKind::access, kNow);
  BOOST_REQUIRE(claims.has_value());
  BOOST_TEST(claims->session_id == kSession);
}

BOOST_AUTO_TEST_CASE(refresh_token_round_trips_with_its_session_and_token_ids) {
  JwtCodec codec(settings());
  TokenClaims in{"user-1", "ada@example.com", kSession, kTokenId, 0, 0};
  const auto claims =
      codec.verify(codec.issue(TokenKind::refresh, in, kNow), TokenKind::refresh, kNow);
  BOOST_REQUIRE(claims.has_value());
  BOOST_TEST(claims->user_id == "user-1");
  BOOST_TEST(claims->session_id == kSession);
  BOOST_TEST(claims->token_id == kTokenId);
  BOOST_TEST(claims->email.empty());
  BOOST_TEST(claims->expires_at == kNow + 30 * 24 * 3600);
}

BOOST_AUTO_TEST_CASE(issued_access_token_has_the_documented_header_and_claims) {
  JwtCodec codec(settings());
  const auto p = parts(codec.issue(TokenKind::access,
                                   {"user-1", "ada@example.com", kSession, kTokenId, 0, 0}, kNow));
  BOOST_TEST(base64url_decode(p.header).value() == access_header());
  BOOST_TEST(base64url_decode(p.payload).value() ==
             R"({"sub":"user-1","user_id":"user-1","email":"ada@example.com",)"
             R"("sid":"0f8fad5b-d9cb-469f-a165-70867728950e",)"
             R"("jti":"7c9e6679-7425-40de-944b-e07fc1f90ae7","iat":1700000000,)"
             R"("exp":1700003600,"iss":"todo-fcgi","aud":"todo-api"})");
  // Signed with the raw shared secret, so other services can verify access tokens.
  BOOST_TEST(p.signature == mac_b64(kSecret, p.header + "." + p.payload));
}

BOOST_AUTO_TEST_CASE(issued_refresh_token_has_its_own_type_and_derived_key) {
  JwtCodec codec(settings());
  const auto p =
      parts(codec.issue(TokenKind::refresh, {"user-1", "", kSession, kTokenId, 0, 0}, kNow));
  BOOST_TEST(base64url_decode(p.header).value() == refresh_header());
  BOOST_TEST(base64url_decode(p.payload).value() == refresh_claims());
  BOOST_TEST(p.signature == mac_b64(refresh_key(kSecret), p.header + "." + p.payload));
}

BOOST_AUTO_TEST_CASE(kid_is_base64url_of_the_first_9_bytes_of_sha256_of_the_secret) {
  const Sha256Digest digest = sha256(kSecret);
  const std::string expected = base64url_encode(std::span<const unsigned char>(digest.data(), 9));
  BOOST_TEST(key_id_for_secret(kSecret) == expected);
  BOOST_TEST(expected.size() == 12u);
  BOOST_TEST(JwtCodec(settings()).key_id() == expected);
  BOOST_TEST(key_id_for_secret(kPreviousSecret) != expected);
}

BOOST_AUTO_TEST_CASE(user_ids_are_opaque_text) {
  JwtCodec codec(settings());
  for (const std::string id : {"a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6", "Zoë \"quoted\" \\ id", "42"}) {
    const auto claims = codec.verify(codec.issue(TokenKind::access, {id, "x@y.example"}, kNow),
                                     TokenKind::access, kNow);
    BOOST_REQUIRE(claims.has_value());
    BOOST_TEST(claims->user_id == id);
  }
}

BOOST_AUTO_TEST_CASE(issue_refuses_empty_or_control_character_user_ids) {
  JwtCodec codec(settings());
  BOOST_CHECK_THROW(codec.issue(TokenKind::access, {"", "a@b.example"}, kNow),
                    std::invalid_argument);
  BOOST_CHECK_THROW(codec.issue(TokenKind::access, {"a\nb", "a@b.example"}, kNow),
                    std::invalid_argument);
  BOOST_CHECK_THROW(codec.issue(TokenKind::access, {"user", "bad \xff utf-8"}, kNow),
                    std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(codec_refuses_an_empty_secret) {
  BOOST_CHECK_THROW(JwtCodec(settings("")), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(describe_gives_a_distinct_sentence_for_every_error) {
  std::set<std::string_view> seen;
  for (int e = static_cast<int>(JwtError::too_large);
       e <= static_cast<int>(JwtError::wrong_audience); ++e) {
    const auto text = describe(static_cast<JwtError>(e));
    BOOST_TEST(!text.empty());
    seen.insert(text);
  }
  BOOST_TEST(seen.size() == 11u);
}

// ------------------------------------------------------------------------- signature layer

BOOST_AUTO_TEST_CASE(rfc7515_appendix_a1_example_verifies) {
  const std::string key =
      base64url_decode(
          "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow")
          .value();
  const std::string header_b64 = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9";
  const std::string payload_b64 =
      "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl"
      "fQ";
  const std::string signature_b64 = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

  BOOST_TEST(base64url_decode(header_b64).value() == "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}");
  BOOST_TEST(mac_b64(key, header_b64 + "." + payload_b64) == signature_b64);
  BOOST_TEST(hs256_signature_matches(header_b64 + "." + payload_b64 + "." + signature_b64, key));
  BOOST_TEST(
      !hs256_signature_matches(header_b64 + "." + payload_b64 + "." + signature_b64, key + "x"));
}

// ------------------------------------------------------------------------- structure

BOOST_AUTO_TEST_CASE(rejects_token_over_max_bytes_before_decoding) {
  // Garbage that would be "malformed" if it were decoded at all.
  BOOST_TEST(access_error(std::string(4097, '!')) == JwtError::too_large);
  JwtSettings small = settings();
  small.max_token_bytes = 100;
  JwtCodec codec(small);
  JwtCodec issuer(settings());
  const auto token = issuer.issue(TokenKind::access, {"user-1", "ada@example.com"}, kNow);
  BOOST_REQUIRE(token.size() > 100u);
  BOOST_TEST(error_of(codec.verify(token, TokenKind::access, kNow)) == JwtError::too_large);
}

BOOST_AUTO_TEST_CASE(rejects_anything_but_exactly_three_segments) {
  const std::string good = access_with_claims(access_claims());
  const auto p = parts(good);
  BOOST_TEST(access_error("") == JwtError::malformed);
  BOOST_TEST(access_error(p.header) == JwtError::malformed);
  BOOST_TEST(access_error(p.header + "." + p.payload) == JwtError::malformed);
  BOOST_TEST(access_error(good + ".") == JwtError::malformed);
  BOOST_TEST(access_error(good + "." + p.signature) == JwtError::malformed);
  BOOST_TEST(access_error("..") == JwtError::malformed);
}

BOOST_AUTO_TEST_CASE(rejects_bad_base64url_in_header) {
  const auto p = parts(access_with_claims(access_claims()));
  for (const auto& header : {p.header + "=", p.header + "==", "+" + p.header.substr(1),
                             p.header.substr(0, p.header.size() - 1) + "/"}) {
    const std::string input = header + "." + p.payload;
    BOOST_TEST(access_error(input + "." + mac_b64(kSecret, input)) == JwtError::malformed);
  }
}

BOOST_AUTO_TEST_CASE(rejects_bad_base64url_in_payload_even_when_signed) {
  const auto p = parts(access_with_claims(access_claims()));
  const std::string input = p.header + "." + p.payload + "=";
  BOOST_TEST(access_error(input + "." + mac_b64(kSecret, input)) == JwtError::malformed);
}

BOOST_AUTO_TEST_CASE(rejects_bad_base64url_in_signature) {
  const auto p = parts(access_with_claims(access_claims()));
  BOOST_TEST(access_error(p.header + "." + p.payload + "." + p.signature + "=") ==
             JwtError::bad_signature);  // padding makes it the wrong length: not 32 bytes
  std::string plus = p.signature;
  plus[0] = '+';
  BOOST_TEST(access_error(p.header + "." + p.payload + "." + plus) == JwtError::malformed);
}

BOOST_AUTO_TEST_CASE(rejects_non_object_header) {
  for (const std::string header : {"[]", R"(["alg","HS256"])", R"("HS256")", "42", "null", ""}) {
    BOOST_TEST(access_error(signed_access(header, access_claims())) == JwtError::malformed);
  }
}

BOOST_AUTO_TEST_CASE(rejects_non_object_payload) {
  for (const std::string payload : {"[]", R"(["sub"])", R"("user-1")", "1700000000", "true", ""}) {
    BOOST_TEST(access_error(access_with_claims(payload)) == JwtError::malformed);
  }
}

BOOST_AUTO_TEST_CASE(rejects_invalid_json) {
  BOOST_TEST(access_error(access_with_claims(access_claims() + "x")) == JwtError::malformed);
  BOOST_TEST(access_error(access_with_claims(access_claims() + "{}")) == JwtError::malformed);
  BOOST_TEST(access_error(access_with_claims(R"({"sub":"user-1",})")) == JwtError::malformed);
  BOOST_TEST(access_error(access_with_claims(R"({'sub':'user-1'})")) == JwtError::malformed);
  BOOST_TEST(access_error(signed_access(access_header() + std::string(1, '\0'), access_claims())) ==
             JwtError::malformed);
}

BOOST_AUTO_TEST_CASE(rejects_raw_nul_byte_after_the_json) {
  // In-situ parsing stops at a NUL: what follows must not be silently ignored.
  BOOST_TEST(access_error(access_with_claims(access_claims() + std::string(1, '\0') + "junk")) ==
             JwtError::malformed);
}

BOOST_AUTO_TEST_CASE(rejects_invalid_utf8) {
  const auto payload = replaced(access_claims(), "ada@example.com", "ada\xc3\x28@example.com");
  BOOST_TEST(access_error(access_with_claims(payload)) == JwtError::malformed);
  const auto overlong = replaced(access_claims(), "ada@example.com", "ada\xc0\xae@example.com");
  BOOST_TEST(access_error(access_with_claims(overlong)) == JwtError::malformed);
}

BOOST_AUTO_TEST_CASE(rejects_duplicate_header_keys) {
  const std::string twice = R"({"alg":"HS256","typ":"JWT","alg":"HS256","kid":")" + kid() + R"("})";
  BOOST_TEST(access_error(signed_access(twice, access_claims())) == JwtError::malformed);
  // Escapes decode to the same key: still a duplicate.
  const std::string escaped =
      R"({"alg":"HS256","typ":"JWT","\u0061lg":"none","kid":")" + kid() + R"("})";
  BOOST_TEST(access_error(signed_access(escaped, access_claims())) == JwtError::malformed);
}

BOOST_AUTO_TEST_CASE(rejects_duplicate_payload_keys) {
  const auto payload =
      replaced(access_claims(), R"("sub":"user-1",)", R"("sub":"user-1","sub":"admin",)");
  BOOST_TEST(access_error(access_with_claims(payload)) == JwtError::malformed);
  const auto exp_twice =
      replaced(access_claims(), R"("exp":1700003600,)", R"("exp":1700003600,"exp":9999999999,)");
  BOOST_TEST(access_error(access_with_claims(exp_twice)) == JwtError::malformed);
}

BOOST_AUTO_TEST_CASE(accepts_deeply_nested_unknown_claims_without_recursion) {
  const std::string deep = std::string(1200, '[') + std::string(1200, ']');
  const auto payload = replaced(access_claims(), R"("iss")", R"("x":)" + deep + R"(,"iss")");
  BOOST_TEST(verify_access(access_with_claims(payload)).has_value());
}

// ------------------------------------------------------------------------- header rules

BOOST_AUTO_TEST_CASE(rejects_alg_none_in_any_letter_case) {
  for (const std::string alg : {"none", "None", "NONE", "nOnE"}) {
    const std::string header = R"({"alg":")" + alg + R"(","typ":"JWT","kid":")" + kid() + R"("})";
    const std::string unsigned_token =
        base64url_encode(header) + "." + base64url_encode(access_claims()) + ".";
    BOOST_TEST(access_error(unsigned_token) == JwtError::wrong_algorithm);
    BOOST_TEST(access_error(signed_access(header, access_claims())) == JwtError::wrong_algorithm);
  }
}

BOOST_AUTO_TEST_CASE(rejects_every_algorithm_but_hs256) {
  for (const std::string alg :
       {"HS384", "HS512", "RS256", "ES256", "EdDSA", "PS256", "hs256", ""}) {
    const std::string header = R"({"alg":")" + alg + R"(","typ":"JWT","kid":")" + kid() + R"("})";
    BOOST_TEST(access_error(signed_access(header, access_claims())) == JwtError::wrong_algorithm);
  }
}

BOOST_AUTO_TEST_CASE(rejects_missing_alg) {
  const std::string header = R"({"typ":"JWT","kid":")" + kid() + R"("})";
  BOOST_TEST(access_error(signed_access(header, access_claims())) == JwtError::wrong_algorithm);
}

BOOST_AUTO_TEST_CASE(rejects_wrongly_typed_header_fields) {
  BOOST_TEST(access_error(signed_access(R"({"alg":["HS256"],"typ":"JWT"})", access_claims())) ==
             JwtError::malformed);
  BOOST_TEST(access_error(signed_access(R"({"alg":"HS256","kid":7})", access_claims())) ==
             JwtError::malformed);
  BOOST_TEST(access_error(signed_access(R"({"alg":"HS256","typ":null})", access_claims())) ==
             JwtError::malformed);
}

BOOST_AUTO_TEST_CASE(rejects_crit_header_extensions) {
  const std::string header =
      R"({"alg":"HS256","typ":"JWT","kid":")" + kid() + R"(","crit":["b64"],"b64":false})";
  BOOST_TEST(access_error(signed_access(header, access_claims())) == JwtError::malformed);
}

BOOST_AUTO_TEST_CASE(rejects_unknown_kid) {
  const std::string header = R"({"alg":"HS256","typ":"JWT","kid":"not-a-known-key"})";
  BOOST_TEST(access_error(signed_access(header, access_claims())) == JwtError::unknown_key);
  const std::string previous =
      R"({"alg":"HS256","typ":"JWT","kid":")" + key_id_for_secret(kPreviousSecret) + R"("})";
  BOOST_TEST(access_error(sign_hs256_compact(previous, access_claims(), kPreviousSecret)) ==
             JwtError::unknown_key);  // no previous secret configured
}

BOOST_AUTO_TEST_CASE(missing_kid_is_tried_against_the_current_key_only) {
  const std::string header = R"({"alg":"HS256","typ":"JWT"})";
  BOOST_TEST(verify_access(sign_hs256_compact(header, access_claims(), kSecret)).has_value());
  JwtCodec rotated(settings(kSecret, kPreviousSecret));
  BOOST_TEST(error_of(rotated.verify(sign_hs256_compact(header, access_claims(), kPreviousSecret),
                                     TokenKind::access, kNow)) == JwtError::bad_signature);
}

BOOST_AUTO_TEST_CASE(access_token_may_omit_typ_but_not_name_another) {
  const std::string no_typ = R"({"alg":"HS256","kid":")" + kid() + R"("})";
  BOOST_TEST(verify_access(signed_access(no_typ, access_claims())).has_value());
  const std::string lower = R"({"alg":"HS256","typ":"jwt","kid":")" + kid() + R"("})";
  BOOST_TEST(verify_access(signed_access(lower, access_claims())).has_value());
  const std::string other = R"({"alg":"HS256","typ":"at+jwt","kid":")" + kid() + R"("})";
  BOOST_TEST(access_error(signed_access(other, access_claims())) == JwtError::wrong_type);
}

// ------------------------------------------------------------------------- signature

BOOST_AUTO_TEST_CASE(rejects_bad_signature) {
  const std::string good = access_with_claims(access_claims());
  auto p = parts(good);
  p.signature[5] = p.signature[5] == 'A' ? 'B' : 'A';
  BOOST_TEST(access_error(p.header + "." + p.payload + "." + p.signature) ==
             JwtError::bad_signature);
  BOOST_TEST(access_error(sign_hs256_compact(access_header(), access_claims(), "another secret")) ==
             JwtError::bad_signature);
  // A changed payload under the old signature.
  const auto q = parts(good);
  const auto forged =
      base64url_encode(replaced(access_claims(), "user-1\",\"user", "admin\",\"user"));
  BOOST_TEST(access_error(q.header + "." + forged + "." + q.signature) == JwtError::bad_signature);
}

BOOST_AUTO_TEST_CASE(rejects_signature_of_the_wrong_length) {
  const auto p = parts(access_with_claims(access_claims()));
  BOOST_TEST(access_error(p.header + "." + p.payload + ".") == JwtError::bad_signature);
  BOOST_TEST(access_error(p.header + "." + p.payload + "." + p.signature.substr(0, 22)) ==
             JwtError::bad_signature);
  BOOST_TEST(access_error(p.header + "." + p.payload + "." + p.signature + "AAAA") ==
             JwtError::bad_signature);
}

// ------------------------------------------------------------------------- claims

BOOST_AUTO_TEST_CASE(rejects_missing_sub) {
  const auto payload = replaced(access_claims(), R"("sub":"user-1",)", "");
  BOOST_TEST(access_error(access_with_claims(payload)) == JwtError::bad_claims);
}

BOOST_AUTO_TEST_CASE(rejects_empty_sub) {
  auto payload = replaced(access_claims(), R"("sub":"user-1")", R"("sub":"")");
  payload = replaced(payload, R"("user_id":"user-1",)", "");
  BOOST_TEST(access_error(access_with_claims(payload)) == JwtError::bad_claims);
}

BOOST_AUTO_TEST_CASE(rejects_missing_exp) {
  const auto payload = replaced(access_claims(), R"("exp":1700003600,)", "");
  BOOST_TEST(access_error(access_with_claims(payload)) == JwtError::bad_claims);
}

BOOST_AUTO_TEST_CASE(rejects_non_integer_exp_iat_nbf) {
  for (const std::string exp : {R"("1700003600")", "1700003600.0", "1.7e9", "true", "null",
                                "[1700003600]", "18446744073709551615"}) {
    BOOST_TEST_CONTEXT("exp " << exp) {
      const auto payload = replaced(access_claims(), "1700003600", exp);
      BOOST_TEST(access_error(access_with_claims(payload)) == JwtError::bad_claims);
    }
  }
  const auto iat = replaced(access_claims(), R"("iat":1700000000)", R"("iat":"1700000000")");
  BOOST_TEST(access_error(access_with_claims(iat)) == JwtError::bad_claims);
  const auto nbf = replaced(access_claims(), R"("iat")", R"("nbf":1.5,"iat")");
  BOOST_TEST(access_error(access_with_claims(nbf)) == JwtError::bad_claims);
}

BOOST_AUTO_TEST_CASE(rejects_non_string_sub_and_iss) {
  auto sub = replaced(access_claims(), R"("sub":"user-1")", R"("sub":1)");
  sub = replaced(sub, R"("user_id":"user-1",)", "");
  BOOST_TEST(access_error(access_with_claims(sub)) == JwtError::bad_claims);
  const auto iss = replaced(access_claims(), R"("iss":"todo-fcgi")", R"("iss":["todo-fcgi"])");
  BOOST_TEST(access_error(access_with_claims(iss)) == JwtError::bad_claims);
}

BOOST_AUTO_TEST_CASE(rejects_aud_that_is_not_a_string_or_array_of_strings) {
  const auto number = replaced(access_claims(), R"("aud":"todo-api")", R"("aud":1)");
  BOOST_TEST(access_error(access_with_claims(number)) == JwtError::bad_claims);
  const auto mixed = replaced(access_claims(), R"("aud":"todo-api")", R"("aud":["todo-api",1])");
  BOOST_TEST(access_error(access_with_claims(mixed)) == JwtError::bad_claims);
  const auto nested =
      replaced(access_claims(), R"("aud":"todo-api")", R"("aud":["todo-api",["x"]])");
  BOOST_TEST(access_error(access_with_claims(nested)) == JwtError::bad_claims);
  const auto object = replaced(access_claims(), R"("aud":"todo-api")", R"("aud":{"a":"todo-api"})");
  BOOST_TEST(access_error(access_with_claims(object)) == JwtError::bad_claims);
}

BOOST_AUTO_TEST_CASE(rejects_control_characters_and_nul_in_sub) {
  for (const std::string sub :
       {R"(user\u0000admin)", R"(user\n)", R"(\u007f)", R"(a\u0085b)", R"(\t)"}) {
    BOOST_TEST_CONTEXT("sub " << sub) {
      auto payload = replaced(access_claims(), R"("sub":"user-1")", R"("sub":")" + sub + "\"");
      payload = replaced(payload, R"("user_id":"user-1",)", "");
      BOOST_TEST(access_error(access_with_claims(payload)) == JwtError::bad_claims);
    }
  }
}

BOOST_AUTO_TEST_CASE(rejects_user_id_claim_that_differs_from_sub) {
  const auto payload = replaced(access_claims(), R"("user_id":"user-1")", R"("user_id":"user-2")");
  BOOST_TEST(access_error(access_with_claims(payload)) == JwtError::bad_claims);
}

BOOST_AUTO_TEST_CASE(rejects_expired_token_beyond_leeway) {
  const std::string token = access_with_claims(access_claims());
  const std::int64_t exp = 1'700'003'600;
  BOOST_TEST(access_error(token, exp + kLeeway) == JwtError::expired);
  BOOST_TEST(access_error(token, exp + 100000) == JwtError::expired);
  BOOST_TEST(verify_access(token, exp + kLeeway - 1).has_value());  // within the leeway
}

BOOST_AUTO_TEST_CASE(rejects_nbf_in_the_future_beyond_leeway) {
  const auto payload = replaced(access_claims(), R"("iat")", R"("nbf":1700000100,"iat")");
  const std::string token = access_with_claims(payload);
  BOOST_TEST(access_error(token, 1'700'000'100 - kLeeway - 1) == JwtError::not_yet_valid);
  BOOST_TEST(verify_access(token, 1'700'000'100 - kLeeway).has_value());
}

BOOST_AUTO_TEST_CASE(rejects_iat_in_the_future_beyond_leeway) {
  const std::string token = access_with_claims(access_claims());
  BOOST_TEST(access_error(token, 1'700'000'000 - kLeeway - 1) == JwtError::not_yet_valid);
  BOOST_TEST(verify_access(token, 1'700'000'000 - kLeeway).has_value());
}

BOOST_AUTO_TEST_CASE(survives_extreme_times_without_overflow) {
  const auto far = replaced(access_claims(), "1700003600", "9223372036854775807");
  BOOST_TEST(verify_access(access_with_claims(far)).has_value());
  const auto past = replaced(access_claims(), "1700003600", "-9223372036854775808");
  BOOST_TEST(access_error(access_with_claims(past)) == JwtError::expired);
  BOOST_TEST(access_error(access_with_claims(access_claims()),
                          std::numeric_limits<std::int64_t>::min()) == JwtError::not_yet_valid);
  BOOST_TEST(access_error(access_with_claims(access_claims()),
                          std::numeric_limits<std::int64_t>::max()) == JwtError::expired);
}

BOOST_AUTO_TEST_CASE(rejects_wrong_or_missing_issuer) {
  const auto wrong = replaced(access_claims(), R"("iss":"todo-fcgi")", R"("iss":"evil")");
  BOOST_TEST(access_error(access_with_claims(wrong)) == JwtError::wrong_issuer);
  const auto missing = replaced(access_claims(), R"("iss":"todo-fcgi",)", "");
  BOOST_TEST(access_error(access_with_claims(missing)) == JwtError::wrong_issuer);
}

BOOST_AUTO_TEST_CASE(rejects_wrong_or_missing_audience) {
  const auto wrong = replaced(access_claims(), R"("aud":"todo-api")", R"("aud":"other-api")");
  BOOST_TEST(access_error(access_with_claims(wrong)) == JwtError::wrong_audience);
  const auto missing = replaced(access_claims(), R"(,"aud":"todo-api")", "");
  BOOST_TEST(access_error(access_with_claims(missing)) == JwtError::wrong_audience);
  const auto without_ours = replaced(access_claims(), R"("aud":"todo-api")", R"("aud":["a","b"])");
  BOOST_TEST(access_error(access_with_claims(without_ours)) == JwtError::wrong_audience);
  const auto empty = replaced(access_claims(), R"("aud":"todo-api")", R"("aud":[])");
  BOOST_TEST(access_error(access_with_claims(empty)) == JwtError::wrong_audience);
}

BOOST_AUTO_TEST_CASE(accepts_audience_array_containing_ours) {
  const auto payload =
      replaced(access_claims(), R"("aud":"todo-api")", R"("aud":["other","todo-api"])");
  BOOST_TEST(verify_access(access_with_claims(payload)).has_value());
}

BOOST_AUTO_TEST_CASE(ignores_unknown_claims_of_any_type) {
  const auto payload =
      replaced(access_claims(), R"("iss")", R"("role":{"admin":[1,2,{"x":null}]},"n":1.5,"iss")");
  BOOST_TEST(verify_access(access_with_claims(payload)).has_value());
}

// ------------------------------------------------------------------------- kinds

BOOST_AUTO_TEST_CASE(refresh_token_is_never_accepted_as_access_token) {
  JwtCodec codec(settings());
  const auto refresh =
      codec.issue(TokenKind::refresh, {"user-1", "", kSession, kTokenId, 0, 0}, kNow);
  BOOST_TEST(error_of(codec.verify(refresh, TokenKind::access, kNow)) == JwtError::wrong_type);
  // Even relabelled as a JWT, the derived key gives it away.
  const auto p = parts(refresh);
  const std::string input = base64url_encode(access_header()) + "." + p.payload;
  const std::string relabelled = input + "." + mac_b64(refresh_key(kSecret), input);
  BOOST_TEST(error_of(codec.verify(relabelled, TokenKind::access, kNow)) ==
             JwtError::bad_signature);
}

BOOST_AUTO_TEST_CASE(access_token_is_never_accepted_as_refresh_token) {
  JwtCodec codec(settings());
  const auto access = codec.issue(TokenKind::access, {"user-1", "ada@example.com"}, kNow);
  BOOST_TEST(error_of(codec.verify(access, TokenKind::refresh, kNow)) == JwtError::wrong_type);
  // Relabelled as refresh+jwt and signed with the shared secret: still refused.
  BOOST_TEST(error_of(codec.verify(signed_access(refresh_header(), refresh_claims()),
                                   TokenKind::refresh, kNow)) == JwtError::bad_signature);
}

BOOST_AUTO_TEST_CASE(refresh_token_requires_typ_refresh_jwt) {
  JwtCodec codec(settings());
  const std::string no_typ = R"({"alg":"HS256","kid":")" + kid() + R"("})";
  BOOST_TEST(
      error_of(codec.verify(sign_hs256_compact(no_typ, refresh_claims(), refresh_key(kSecret)),
                            TokenKind::refresh, kNow)) == JwtError::wrong_type);
}

BOOST_AUTO_TEST_CASE(refresh_token_requires_its_session_and_token_ids_as_uuids) {
  JwtCodec codec(settings());
  const std::string sid = R"("sid":"0f8fad5b-d9cb-469f-a165-70867728950e",)";
  const std::string jti = R"("jti":"7c9e6679-7425-40de-944b-e07fc1f90ae7",)";
  for (const auto& text : {replaced(refresh_claims(), sid, ""), replaced(refresh_claims(), jti, ""),
                           replaced(refresh_claims(), sid, R"("sid":"not-a-uuid",)"),
                           replaced(refresh_claims(), jti, R"("jti":7,)")}) {
    BOOST_TEST_CONTEXT(text) {
      BOOST_TEST(
          error_of(codec.verify(sign_hs256_compact(refresh_header(), text, refresh_key(kSecret)),
                                TokenKind::refresh, kNow)) == JwtError::bad_claims);
    }
  }
}

// ------------------------------------------------------------------------- rotation

BOOST_AUTO_TEST_CASE(token_under_previous_secret_verifies_only_while_it_is_configured) {
  JwtCodec old_codec(settings(kPreviousSecret));
  const auto access = old_codec.issue(TokenKind::access, {"user-1", "ada@example.com"}, kNow);
  const auto refresh =
      old_codec.issue(TokenKind::refresh, {"user-1", "", kSession, kTokenId, 0, 0}, kNow);

  JwtCodec rotating(settings(kSecret, kPreviousSecret));
  BOOST_TEST(rotating.verify(access, TokenKind::access, kNow).has_value());
  BOOST_TEST(rotating.verify(refresh, TokenKind::refresh, kNow).value().token_id == kTokenId);
  // New tokens are issued under the current secret.
  BOOST_TEST(rotating.key_id() == key_id_for_secret(kSecret));

  JwtCodec rotated(settings(kSecret));
  BOOST_TEST(error_of(rotated.verify(access, TokenKind::access, kNow)) == JwtError::unknown_key);
  BOOST_TEST(error_of(rotated.verify(refresh, TokenKind::refresh, kNow)) == JwtError::unknown_key);
}

BOOST_AUTO_TEST_CASE(token_naming_previous_kid_needs_the_previous_key) {
  JwtCodec rotating(settings(kSecret, kPreviousSecret));
  const std::string header =
      R"({"alg":"HS256","typ":"JWT","kid":")" + key_id_for_secret(kPreviousSecret) + R"("})";
  BOOST_TEST(error_of(rotating.verify(sign_hs256_compact(header, access_claims(), kSecret),
                                      TokenKind::access, kNow)) == JwtError::bad_signature);
}

// ------------------------------------------------------------------------- robustness

BOOST_AUTO_TEST_CASE(verify_never_throws_on_garbage) {
  JwtCodec codec(settings());
  std::mt19937 rng(7);
  const std::string good = codec.issue(TokenKind::access, {"user-1", "ada@example.com"}, kNow);
  for (int i = 0; i < 3000; ++i) {
    std::string token = good;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      token[rng() % token.size()] = static_cast<char>(rng() & 0xff);
    }
    const auto result = codec.verify(token, TokenKind::access, kNow);
    BOOST_TEST((!result.has_value() || token == good));
  }
  // The codec still works after all that.
  BOOST_TEST(codec.verify(good, TokenKind::access, kNow).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
