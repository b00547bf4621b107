// JWKS parsing (auth/jwk.hpp) and signature checks (auth/jws.hpp) against the RFCs' example
// vectors: each key type, each reason a key is left out.
#include <boost/test/unit_test.hpp>
#include <string>

#include "auth/jwk.hpp"
#include "auth/jws.hpp"
#include "test_keys.hpp"

using namespace todo::auth;
using todo::test::IssuerKey;
using todo::test::jwks_of;

namespace {

// RFC 8037 A.1 (public part) and A.4.
const std::string kRfc8037Jwk =
    R"({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"a4"})";
const std::string kRfc8037Jws =
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

// RFC 7515 A.2 (the key of RFC 7517 A.1, public part) and A.3, A.4.
const std::string kRfc7515Payload =
    "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVl"
    "fQ";
const std::string kRsaN =
    "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4"
    "QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdb"
    "BYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-D"
    "WNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
const std::string kRfc7515A2Jwk =
    R"({"kty":"RSA","alg":"RS256","kid":"a2","e":"AQAB","n":")" + kRsaN + R"("})";
const std::string kRfc7515A2Jws =
    "eyJhbGciOiJSUzI1NiJ9." + kRfc7515Payload +
    ".cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5"
    "jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L"
    "07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUi"
    "pUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";
const std::string kRfc7515A3Jwk =
    R"({"kty":"EC","crv":"P-256","kid":"a3","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",)"
    R"("y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"})";
const std::string kRfc7515A3Jws =
    "eyJhbGciOiJFUzI1NiJ9." + kRfc7515Payload +
    ".DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
const std::string kRfc7515A4Jwk =
    R"({"kty":"EC","crv":"P-521","kid":"a4",)"
    R"("x":"AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk",)"
    R"("y":"ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2"})";
const std::string kRfc7515A4Jws =
    "eyJhbGciOiJFUzUxMiJ9.UGF5bG9hZA."
    "AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_"
    "7XdtAG8GaSw"
    "FKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn";

// The one key of a JWKS holding only `jwk`; fails the test when it is skipped.
Jwk only_key(const std::string& jwk) {
  auto set = parse_jwks(jwks_of({jwk}));
  BOOST_REQUIRE(set.has_value());
  BOOST_REQUIRE_MESSAGE(set->keys.size() == 1,
                        (set->skipped.empty() ? "" : set->skipped.front().reason));
  return set->keys.front();
}

// Why the only key of a JWKS holding `jwk` was skipped.
std::string skip_reason(const std::string& jwk) {
  auto set = parse_jwks(jwks_of({jwk}));
  BOOST_REQUIRE(set.has_value());
  BOOST_REQUIRE(set->keys.empty());
  BOOST_REQUIRE_EQUAL(set->skipped.size(), 1u);
  return set->skipped.front().reason;
}

SignatureCheck check(const std::string& token, const Jwk& key) {
  const auto jws = split_compact(token);
  BOOST_REQUIRE(jws.has_value());
  return check_signature(*jws, key);
}

// The token with one character of its signature changed.
std::string tampered(std::string token) {
  char& c = token[token.rfind('.') + 5];
  c = c == 'A' ? 'B' : 'A';
  return token;
}

// An RFC's example: its key parses to `algorithm`, its JWS verifies, and changed does not.
void vector_verifies(const std::string& jwk, const std::string& jws, JwsAlgorithm algorithm) {
  const Jwk key = only_key(jwk);
  BOOST_TEST(key.algorithm == algorithm);
  BOOST_TEST(check(jws, key) == SignatureCheck::valid);
  BOOST_TEST(check(tampered(jws), key) == SignatureCheck::invalid);
}

const IssuerKey& rsa_key() {
  static const IssuerKey key("rsa", JwsAlgorithm::rs256);
  return key;
}

}  // namespace

BOOST_TEST_DONT_PRINT_LOG_VALUE(SignatureCheck)
BOOST_TEST_DONT_PRINT_LOG_VALUE(JwsAlgorithm)

BOOST_AUTO_TEST_SUITE(jwk)

// ------------------------------------------------------------------------- RFC vectors

BOOST_AUTO_TEST_CASE(rfc8037_a4_ed25519_verifies) {
  vector_verifies(kRfc8037Jwk, kRfc8037Jws, JwsAlgorithm::eddsa);
}

BOOST_AUTO_TEST_CASE(rfc8037_a4_ed25519_is_what_openssl_signs_with_the_rfc_key) {
  // Ed25519 is deterministic: the RFC's private key must give the RFC's signature.
  const auto seed = base64url_decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A");
  BOOST_REQUIRE(seed.has_value());
  const std::unique_ptr<EVP_PKEY, todo::test::PkeyFree> pair(EVP_PKEY_new_raw_private_key(
      EVP_PKEY_ED25519, nullptr, reinterpret_cast<const unsigned char*>(seed->data()),
      seed->size()));
  BOOST_REQUIRE(pair);
  BOOST_TEST(sign_compact_with(R"({"alg":"EdDSA"})", "Example of Ed25519 signing", pair.get(),
                               JwsAlgorithm::eddsa) == kRfc8037Jws);
}

BOOST_AUTO_TEST_CASE(rfc7515_a2_rs256_verifies) {
  vector_verifies(kRfc7515A2Jwk, kRfc7515A2Jws, JwsAlgorithm::rs256);
}

BOOST_AUTO_TEST_CASE(rfc7515_a3_es256_verifies_from_raw_r_and_s) {
  vector_verifies(kRfc7515A3Jwk, kRfc7515A3Jws, JwsAlgorithm::es256);
}

BOOST_AUTO_TEST_CASE(rfc7515_a4_es512_verifies_with_66_byte_halves) {
  vector_verifies(kRfc7515A4Jwk, kRfc7515A4Jws, JwsAlgorithm::es512);
}

BOOST_AUTO_TEST_CASE(a_signature_of_the_wrong_size_is_invalid_not_an_error) {
  const Jwk es256 = only_key(kRfc7515A3Jwk);
  const std::string prefix = kRfc7515A3Jws.substr(0, kRfc7515A3Jws.rfind('.') + 1);
  BOOST_TEST(check(prefix + "AAAA", es256) == SignatureCheck::invalid);
  BOOST_TEST(check(prefix, es256) == SignatureCheck::invalid);
  // A DER signature where JWS wants r||s is refused too.
  BOOST_TEST(check(prefix + base64url_encode(std::string(72, '\x30')), es256) ==
             SignatureCheck::invalid);
  const Jwk ed = only_key(kRfc8037Jwk);
  BOOST_TEST(check(kRfc8037Jws + "AA", ed) == SignatureCheck::invalid);
}

BOOST_AUTO_TEST_CASE(a_signature_that_is_not_strict_base64url_is_malformed) {
  const Jwk key = only_key(kRfc8037Jwk);
  BOOST_TEST(check(kRfc8037Jws + "==", key) == SignatureCheck::malformed);
  std::string plus = kRfc8037Jws;
  plus[plus.rfind('.') + 3] = '+';
  BOOST_TEST(check(plus, key) == SignatureCheck::malformed);
}

BOOST_AUTO_TEST_CASE(each_algorithm_signs_and_verifies_and_refuses_another_key) {
  for (auto algorithm : {JwsAlgorithm::eddsa, JwsAlgorithm::es256, JwsAlgorithm::es512,
                         JwsAlgorithm::rs256, JwsAlgorithm::ps256}) {
    BOOST_TEST_CONTEXT(jws_name(algorithm)) {
      const IssuerKey signer("k", algorithm);
      const Jwk key = only_key(signer.jwk());
      BOOST_TEST(key.algorithm == algorithm);
      const std::string token = signer.sign(signer.header(), R"({"sub":"x"})");
      BOOST_TEST(check(token, key) == SignatureCheck::valid);
      const IssuerKey other("k", algorithm);
      BOOST_TEST(check(token, only_key(other.jwk())) == SignatureCheck::invalid);
    }
  }
}

BOOST_AUTO_TEST_CASE(rs256_and_ps256_signatures_do_not_pass_for_each_other) {
  const IssuerKey& signer = rsa_key();
  const Jwk as_ps256 =
      only_key(R"({"kty":"RSA","alg":"PS256","kid":"p",)" + signer.key_members().substr(12) + "}");
  BOOST_TEST(as_ps256.algorithm == JwsAlgorithm::ps256);
  const std::string rs256_token = signer.sign(signer.header(), "{}");
  BOOST_TEST(check(rs256_token, as_ps256) == SignatureCheck::invalid);
}

// ------------------------------------------------------------------------- key types

BOOST_AUTO_TEST_CASE(the_algorithm_of_okp_and_ec_keys_comes_from_the_curve) {
  BOOST_TEST(only_key(IssuerKey("e", JwsAlgorithm::eddsa).jwk("", false)).algorithm ==
             JwsAlgorithm::eddsa);
  BOOST_TEST(only_key(IssuerKey("p", JwsAlgorithm::es256).jwk("", false)).algorithm ==
             JwsAlgorithm::es256);
  BOOST_TEST(only_key(IssuerKey("q", JwsAlgorithm::es512).jwk("", false)).algorithm ==
             JwsAlgorithm::es512);
}

BOOST_AUTO_TEST_CASE(an_ed25519_key_may_say_alg_ed25519) {
  const IssuerKey key("e", JwsAlgorithm::eddsa);
  BOOST_TEST(only_key(key.jwk(R"("alg":"Ed25519")", false)).algorithm == JwsAlgorithm::eddsa);
}

BOOST_AUTO_TEST_CASE(use_sig_and_key_ops_verify_are_accepted) {
  const IssuerKey key("e", JwsAlgorithm::eddsa);
  BOOST_TEST(only_key(key.jwk(R"("use":"sig","key_ops":["verify"])")).kid == "e");
}

BOOST_AUTO_TEST_CASE(better_auths_jwks_is_read) {
  // As Better Auth 1.7 publishes it: alg and crv first, then the key, then kid.
  const auto set = parse_jwks(
      R"({"keys":[{"alg":"EdDSA","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo",)"
      R"("kty":"OKP","kid":"Qx7fYz0c4UbqG3pCzVt8nLrA1sWmKdEo"}]})");
  BOOST_REQUIRE(set.has_value());
  BOOST_REQUIRE_EQUAL(set->keys.size(), 1u);
  BOOST_TEST(set->find("Qx7fYz0c4UbqG3pCzVt8nLrA1sWmKdEo") != nullptr);
  BOOST_TEST(set->find("other") == nullptr);
}

// ------------------------------------------------------------------------- keys left out

BOOST_AUTO_TEST_CASE(unsupported_key_types_and_curves_are_skipped) {
  BOOST_TEST(skip_reason(R"({"kty":"oct","k":"c2VjcmV0","kid":"h"})") ==
             "key type is not OKP, EC or RSA");
  BOOST_TEST(skip_reason(R"({"kty":"OKP","crv":"Ed448","x":"AA","kid":"h"})") ==
             "OKP curve is not Ed25519");
  BOOST_TEST(skip_reason(R"({"kty":"OKP","crv":"X25519","x":"AA","kid":"h"})") ==
             "OKP curve is not Ed25519");
  BOOST_TEST(skip_reason(R"({"kty":"EC","crv":"P-384","x":"AA","y":"AA","kid":"h"})") ==
             "EC curve is not P-256 or P-521");
  BOOST_TEST(skip_reason(R"({"crv":"P-256","x":"AA","y":"AA","kid":"h"})") == "no \"kty\"");
}

BOOST_AUTO_TEST_CASE(private_keys_are_skipped) {
  const IssuerKey key("e", JwsAlgorithm::eddsa);
  BOOST_TEST(skip_reason(key.jwk(R"("d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A")"))
                 .starts_with("a private key"));
  BOOST_TEST(skip_reason(kRfc7515A2Jwk.substr(0, kRfc7515A2Jwk.size() - 1) + R"(,"p":"AQ"})")
                 .starts_with("a private key"));
}

BOOST_AUTO_TEST_CASE(an_alg_that_does_not_fit_the_key_is_skipped) {
  const IssuerKey ed("e", JwsAlgorithm::eddsa), p256("p", JwsAlgorithm::es256);
  for (const char* alg : {"RS256", "HS256", "none", "ES256"}) {
    BOOST_TEST(skip_reason(ed.jwk(std::string(R"("alg":")") + alg + '"', false)) ==
               "\"alg\" does not fit the key's type");
  }
  BOOST_TEST(skip_reason(p256.jwk(R"("alg":"ES512")", false)) ==
             "\"alg\" does not fit the key's type");
  BOOST_TEST(skip_reason(p256.jwk(R"("alg":"ES384")", false)) ==
             "\"alg\" does not fit the key's type");
}

BOOST_AUTO_TEST_CASE(rsa_keys_need_an_alg_of_rs256_or_ps256) {
  const std::string members = rsa_key().key_members();
  BOOST_TEST(skip_reason("{" + members + R"(,"kid":"r"})").starts_with("RSA key without \"alg\""));
  BOOST_TEST(skip_reason("{" + members + R"(,"alg":"RS512","kid":"r"})") ==
             "RSA \"alg\" is not RS256 or PS256");
  BOOST_TEST(skip_reason("{" + members + R"(,"alg":"HS256","kid":"r"})") ==
             "RSA \"alg\" is not RS256 or PS256");
}

BOOST_AUTO_TEST_CASE(rsa_keys_under_2048_bits_are_skipped) {
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{1024});
  BOOST_REQUIRE(raw);
  const std::unique_ptr<EVP_PKEY, todo::test::PkeyFree> small(raw);
  const std::string jwk = R"({"kty":"RSA","alg":"RS256","kid":"s","n":")" +
                          todo::test::bn_param(raw, OSSL_PKEY_PARAM_RSA_N) + R"(","e":"AQAB"})";
  BOOST_TEST(skip_reason(jwk) == "RSA key of 1024 bits (< 2048)");
}

BOOST_AUTO_TEST_CASE(an_rsa_exponent_of_one_or_even_is_skipped) {
  BOOST_TEST(skip_reason(R"({"kty":"RSA","alg":"RS256","kid":"r","e":"AQ","n":")" + kRsaN +
                         R"("})") == "RSA exponent is not odd and > 1");
  BOOST_TEST(skip_reason(R"({"kty":"RSA","alg":"RS256","kid":"r","e":"AQAC","n":")" + kRsaN +
                         R"("})") == "RSA exponent is not odd and > 1");
}

BOOST_AUTO_TEST_CASE(keys_not_for_verifying_are_skipped) {
  const IssuerKey key("e", JwsAlgorithm::eddsa);
  BOOST_TEST(skip_reason(key.jwk(R"("use":"enc")")) == "\"use\" is not \"sig\"");
  BOOST_TEST(skip_reason(key.jwk(R"("key_ops":["sign"])")) ==
             "\"key_ops\" does not allow \"verify\"");
  BOOST_TEST(skip_reason(key.jwk(R"("key_ops":"verify")")) == "\"key_ops\" is not an array");
}

BOOST_AUTO_TEST_CASE(a_key_without_a_kid_is_skipped) {
  BOOST_TEST(
      skip_reason(
          R"({"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})")
          .starts_with("no \"kid\""));
  BOOST_TEST(
      skip_reason(
          R"({"kty":"OKP","crv":"Ed25519","kid":7,"x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"})")
          .starts_with("no \"kid\""));
}

BOOST_AUTO_TEST_CASE(a_kid_two_keys_share_chooses_neither) {
  const IssuerKey a("same", JwsAlgorithm::eddsa), b("same", JwsAlgorithm::eddsa),
      c("other", JwsAlgorithm::eddsa);
  const auto set = parse_jwks(jwks_of({a.jwk(), c.jwk(), b.jwk()}));
  BOOST_REQUIRE(set.has_value());
  BOOST_REQUIRE_EQUAL(set->keys.size(), 1u);
  BOOST_TEST(set->keys.front().kid == "other");
  BOOST_REQUIRE_EQUAL(set->skipped.size(), 2u);
  BOOST_TEST(set->skipped.front().reason == "another key has the same kid");
}

BOOST_AUTO_TEST_CASE(encodings_that_are_not_strict_base64url_are_skipped) {
  const std::string x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
  auto jwk = [](const std::string& value) {
    return R"({"kty":"OKP","crv":"Ed25519","kid":"k","x":")" + value + R"("})";
  };
  BOOST_TEST(skip_reason(jwk(x + "=")) == "\"x\" is not base64url");
  BOOST_TEST(skip_reason(jwk("11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo")) ==
             "\"x\" is not base64url");
  BOOST_TEST(skip_reason(jwk("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURp")) ==
             "\"x\" is not base64url");  // non-zero unused bits
  BOOST_TEST(skip_reason(jwk(x.substr(4))) == "\"x\" is not 32 bytes");
  BOOST_TEST(skip_reason(R"({"kty":"OKP","crv":"Ed25519","kid":"k","x":5})") ==
             "\"x\" is not a string");
  BOOST_TEST(skip_reason(R"({"kty":"OKP","crv":"Ed25519","kid":"k"})") == "\"x\" is missing");
}

BOOST_AUTO_TEST_CASE(an_ec_point_off_its_curve_is_skipped) {
  // A.3's x with y changed in its last byte: no longer a point of P-256.
  const std::string jwk =
      R"({"kty":"EC","crv":"P-256","kid":"a3","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",)"
      R"("y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5aA"})";
  const std::string reason = skip_reason(jwk);
  BOOST_TEST(
      (reason == "not a valid public key" || reason == "OpenSSL refused the key's parameters"),
      reason);
}

BOOST_AUTO_TEST_CASE(ec_coordinates_must_have_the_curves_size) {
  const std::string jwk =
      R"({"kty":"EC","crv":"P-256","kid":"a3","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",)"
      R"("y":"AMfxRM0bvZt-hyzf7bnuufSzaV1uqQskrYpGMiiFiOWt"})";  // 33 bytes: a leading zero
  BOOST_TEST(skip_reason(jwk) == "\"x\" or \"y\" is not 32 bytes");
}

BOOST_AUTO_TEST_CASE(a_member_twice_in_a_key_skips_it) {
  BOOST_TEST(skip_reason(R"({"kty":"OKP","kty":"OKP","crv":"Ed25519","kid":"k","x":"AA"})") ==
             "a member appears twice");
}

BOOST_AUTO_TEST_CASE(a_key_that_is_not_an_object_is_skipped) {
  const auto set = parse_jwks(R"({"keys":[1,"x",null,[]]})");
  BOOST_REQUIRE(set.has_value());
  BOOST_TEST(set->skipped.size() == 4u);
}

BOOST_AUTO_TEST_CASE(good_keys_are_kept_beside_skipped_ones) {
  const IssuerKey good("good", JwsAlgorithm::eddsa);
  const auto set = parse_jwks(jwks_of({R"({"kty":"oct","kid":"h","k":"AA"})", good.jwk()}));
  BOOST_REQUIRE(set.has_value());
  BOOST_TEST(set->keys.size() == 1u);
  BOOST_TEST(set->skipped.size() == 1u);
  BOOST_TEST(set->skipped.front().kid == "h");
}

BOOST_AUTO_TEST_CASE(a_kid_in_a_skip_is_fit_for_a_log_line) {
  const auto set =
      parse_jwks(R"({"keys":[{"kty":"oct","kid":"a\nb\u0000)" + std::string(100, 'z') + R"("}]})");
  BOOST_REQUIRE(set.has_value());
  BOOST_REQUIRE_EQUAL(set->skipped.size(), 1u);
  BOOST_TEST(set->skipped.front().kid == "a?b?" + std::string(60, 'z') + "...");
}

// ------------------------------------------------------------------------- whole documents

BOOST_AUTO_TEST_CASE(a_document_that_is_not_a_jwks_is_an_error) {
  for (const std::string doc :
       {"", "[]", "{}", R"({"keys":{}})", "not json", R"({"keys":[]} x)", "<html></html>",
        R"({"keys":[],"keys":[]})", "{\"keys\":[\"\xff\"]}"}) {
    BOOST_TEST_CONTEXT(doc) {
      BOOST_TEST(!parse_jwks(doc).has_value());
    }
  }
}

BOOST_AUTO_TEST_CASE(an_empty_key_list_is_a_jwks_without_keys) {
  const auto set = parse_jwks(R"({"keys":[]})");
  BOOST_REQUIRE(set.has_value());
  BOOST_TEST(set->keys.empty());
}

BOOST_AUTO_TEST_CASE(oversized_documents_and_key_lists_are_errors) {
  BOOST_TEST(!parse_jwks(R"({"keys":[],"pad":")" + std::string(kMaxJwksBytes, 'a') + "\"}"));
  std::vector<std::string> many(kMaxJwksKeys + 1, "{}");
  BOOST_TEST(parse_jwks(jwks_of(many)).error() == "the JWKS has more than 64 keys");
}

BOOST_AUTO_TEST_CASE(deep_nesting_does_not_overflow_the_stack) {
  const std::string deep =
      R"({"keys":[],"x":)" + std::string(200'000, '[') + std::string(200'000, ']') + "}";
  BOOST_TEST(!parse_jwks(deep).has_value());  // larger than the cap, refused unread
  const std::string nested =
      R"({"keys":[{"kid":"k","n":)" + std::string(50'000, '[') + std::string(50'000, ']') + "}]}";
  BOOST_TEST(parse_jwks(nested).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
