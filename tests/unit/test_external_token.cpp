// The external token policy (auth/external_token.hpp): one case per rule, against a fake
// issuer (its JWKS served by a fake fetcher) and a fake clock; no network.
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <mutex>
#include <thread>

#include "auth/base64url.hpp"
#include "auth/external_token.hpp"
#include "auth/jws.hpp"
#include "test_keys.hpp"

using namespace todo::auth;
using namespace std::chrono_literals;
using todo::test::IssuerKey;

namespace {

constexpr std::int64_t kNow = 1'700'000'000;
const std::string kIssuer = "https://auth.example.org";
const std::string kJwksUrl = "https://auth.example.org/api/auth/jwks";
const std::string kSubject = "pZRmZb6kHcZ7rWqL1sTAbXgYv3Nd2eQf";  // Better Auth: 32 characters

// The issuer's side: the JWKS it serves, whether it answers, and how often it was asked.
struct FakeIssuer {
  std::mutex mutex;
  std::string jwks;
  bool up = true;
  std::optional<std::chrono::seconds> max_age;
  std::atomic<int> fetches = 0;
  std::chrono::milliseconds delay{0};  // how long a fetch takes

  void serve(const std::vector<const IssuerKey*>& keys) {
    std::vector<std::string> jwks;
    for (const IssuerKey* k : keys) jwks.push_back(k->jwk());
    const std::lock_guard lock(mutex);
    this->jwks = todo::test::jwks_of(jwks);
  }
};

class FakeFetcher final : public JwksFetcher {
 public:
  explicit FakeFetcher(std::shared_ptr<FakeIssuer> issuer) : issuer_(std::move(issuer)) {}
  std::expected<JwksDocument, std::string> fetch(const std::string& url) noexcept override {
    ++issuer_->fetches;
    if (url != kJwksUrl) return std::unexpected(std::string("wrong URL"));
    std::this_thread::sleep_for(issuer_->delay);
    const std::lock_guard lock(issuer_->mutex);
    if (!issuer_->up) return std::unexpected(std::string("connection refused"));
    return JwksDocument{issuer_->jwks, issuer_->max_age};
  }

 private:
  std::shared_ptr<FakeIssuer> issuer_;
};

// A steady clock that moves only when told.
struct FakeClock {
  std::shared_ptr<std::atomic<std::chrono::steady_clock::rep>> ticks =
      std::make_shared<std::atomic<std::chrono::steady_clock::rep>>(1'000'000'000'000);
  void advance(std::chrono::steady_clock::duration d) { *ticks += d.count(); }
  ExternalTokenVerifier::Clock function() const {
    return [t = ticks] {
      return std::chrono::steady_clock::time_point(std::chrono::steady_clock::duration(t->load()));
    };
  }
};

struct Logged {
  std::vector<std::string> info, error;
};

// A verifier of the fake issuer, its key "k1" (EdDSA) served.
struct Fixture {
  std::shared_ptr<FakeIssuer> issuer = std::make_shared<FakeIssuer>();
  FakeClock clock;
  std::shared_ptr<Logged> logged = std::make_shared<Logged>();
  IssuerKey key{"k1", JwsAlgorithm::eddsa};
  std::unique_ptr<ExternalTokenVerifier> verifier;

  explicit Fixture(std::size_t cache_capacity = 100) {
    issuer->serve({&key});
    ExternalIssuerSettings s;
    s.issuer = kIssuer;
    s.audience = kIssuer;
    s.jwks_url = kJwksUrl;
    s.cache_capacity = cache_capacity;
    s.fetch_timeout = 200ms;
    ExternalLog log{[l = logged](std::string_view m) { l->info.emplace_back(m); },
                    [l = logged](std::string_view m) { l->error.emplace_back(m); }};
    verifier = std::make_unique<ExternalTokenVerifier>(s, std::make_unique<FakeFetcher>(issuer),
                                                       log, clock.function());
  }

  std::expected<ExternalIdentity, JwtError> verify(const std::string& token,
                                                   std::int64_t now = kNow) {
    return verifier->verify(token, now);
  }
  // How many fetches the issuer has seen once the clock moved by `step` and `token` (a
  // valid one) was verified again.
  int fetches_after(std::chrono::seconds step, const std::string& token) {
    clock.advance(step);
    BOOST_TEST(verify(token).has_value());
    return issuer->fetches;
  }
  JwtError error(const std::string& token, std::int64_t now = kNow) {
    const auto result = verify(token, now);
    BOOST_REQUIRE(!result.has_value());
    return result.error();
  }
};

// Claims as Better Auth's JWT plugin writes them (the session's user, then the registered
// claims); tests replace one piece.
std::string claims(std::int64_t exp = kNow + 900) {
  return R"({"iat":1700000000,"name":"Ada","email":"ada@example.com","emailVerified":false,)"
         R"("image":null,"createdAt":"2023-11-14T22:13:20.000Z","id":")" +
         kSubject + R"(","sub":")" + kSubject + R"(","exp":)" + std::to_string(exp) +
         R"(,"iss":")" + kIssuer + R"(","aud":")" + kIssuer + R"("})";
}

std::string replaced(std::string text, std::string_view what, std::string_view with) {
  const auto at = text.find(what);
  BOOST_REQUIRE(at != std::string::npos);
  return text.replace(at, what.size(), with);
}

std::string without(std::string text, std::string_view member) {
  return replaced(std::move(text), member, "");
}

}  // namespace

BOOST_TEST_DONT_PRINT_LOG_VALUE(JwtError)

BOOST_AUTO_TEST_SUITE(external_token)

// ------------------------------------------------------------------------- accepted tokens

BOOST_FIXTURE_TEST_CASE(a_valid_eddsa_token_gives_its_identity, Fixture) {
  BOOST_TEST(verifier->refresh_now());
  BOOST_TEST(verifier->key_count() == 1u);
  const auto identity = verify(key.sign(key.header(), claims()));
  BOOST_REQUIRE(identity.has_value());
  BOOST_TEST(identity->subject == kSubject);
  BOOST_TEST(identity->email == "ada@example.com");
  BOOST_TEST(identity->expires_at == kNow + 900);
}

BOOST_AUTO_TEST_CASE(every_supported_algorithm_is_accepted) {
  for (auto algorithm :
       {JwsAlgorithm::es256, JwsAlgorithm::es512, JwsAlgorithm::rs256, JwsAlgorithm::ps256}) {
    BOOST_TEST_CONTEXT(jws_name(algorithm)) {
      Fixture f;
      const IssuerKey other("k2", algorithm);
      f.issuer->serve({&f.key, &other});
      BOOST_TEST(f.verify(other.sign(other.header(), claims())).has_value());
    }
  }
}

BOOST_FIXTURE_TEST_CASE(the_first_token_fetches_the_keys_when_start_did_not, Fixture) {
  BOOST_TEST(verify(key.sign(key.header(), claims())).has_value());
  BOOST_TEST(issuer->fetches == 1);
}

BOOST_FIXTURE_TEST_CASE(email_is_optional, Fixture) {
  const auto identity =
      verify(key.sign(key.header(), without(claims(), R"("email":"ada@example.com",)")));
  BOOST_REQUIRE(identity.has_value());
  BOOST_TEST(identity->email.empty());
}

BOOST_FIXTURE_TEST_CASE(typ_jwt_and_at_jwt_are_accepted, Fixture) {
  for (const char* typ : {"JWT", "jwt", "at+jwt"}) {
    const std::string header = R"({"alg":"EdDSA","typ":")" + std::string(typ) + R"(","kid":"k1"})";
    BOOST_TEST(verify(key.sign(header, claims())).has_value(), typ);
  }
}

BOOST_FIXTURE_TEST_CASE(an_audience_array_holding_ours_is_accepted, Fixture) {
  const std::string payload =
      replaced(claims(), R"("aud":")" + kIssuer + '"', R"("aud":["other",")" + kIssuer + R"("])");
  BOOST_TEST(verify(key.sign(key.header(), payload)).has_value());
}

BOOST_FIXTURE_TEST_CASE(an_expired_token_within_the_leeway_is_accepted, Fixture) {
  BOOST_TEST(verify(key.sign(key.header(), claims(kNow - 29))).has_value());
}

// ------------------------------------------------------------------------- header rules

BOOST_FIXTURE_TEST_CASE(alg_none_is_refused, Fixture) {
  BOOST_TEST(verifier->refresh_now());
  clock.advance(10s);
  for (const char* alg : {"none", "None", "NONE"}) {
    const std::string token =
        base64url_encode(R"({"alg":")" + std::string(alg) + R"(","kid":"k1"})") + "." +
        base64url_encode(claims()) + ".";
    BOOST_TEST(error(token) == JwtError::wrong_algorithm, alg);
  }
  BOOST_TEST(issuer->fetches == 1);  // refused before a key was looked up: no refresh
}

BOOST_FIXTURE_TEST_CASE(hs256_naming_an_external_kid_is_refused, Fixture) {
  // The classic confusion: the public key's bytes used as an HMAC secret.
  const std::string header = R"({"alg":"HS256","kid":"k1"})";
  BOOST_TEST(error(sign_hs256_compact(header, claims(), key.jwk())) == JwtError::wrong_algorithm);
  BOOST_TEST(error(sign_hs256_compact(R"({"alg":"HS512","kid":"k1"})", claims(), "x")) ==
             JwtError::wrong_algorithm);
}

BOOST_FIXTURE_TEST_CASE(an_alg_that_is_not_the_keys_is_refused, Fixture) {
  // A valid ES256 signature, but its kid names the EdDSA key: the key decides.
  const IssuerKey ec("k1", JwsAlgorithm::es256);
  BOOST_TEST(error(ec.sign(R"({"alg":"ES256","kid":"k1"})", claims())) ==
             JwtError::wrong_algorithm);
  // The EdDSA key's own signature under another alg name.
  BOOST_TEST(error(key.sign(R"({"alg":"ES256","kid":"k1"})", claims())) ==
             JwtError::wrong_algorithm);
  BOOST_TEST(error(key.sign(R"({"alg":"RS384","kid":"k1"})", claims())) ==
             JwtError::wrong_algorithm);
}

BOOST_FIXTURE_TEST_CASE(an_ed25519_key_answers_to_alg_ed25519_too, Fixture) {
  BOOST_TEST(verify(key.sign(R"({"alg":"Ed25519","kid":"k1"})", claims())).has_value());
}

BOOST_FIXTURE_TEST_CASE(a_missing_kid_is_refused, Fixture) {
  BOOST_TEST(error(key.sign(R"({"alg":"EdDSA"})", claims())) == JwtError::unknown_key);
  BOOST_TEST(error(key.sign(R"({"alg":"EdDSA","kid":7})", claims())) == JwtError::malformed);
}

BOOST_FIXTURE_TEST_CASE(an_unknown_kid_is_refused, Fixture) {
  BOOST_TEST(verifier->refresh_now());
  BOOST_TEST(error(key.sign(R"({"alg":"EdDSA","kid":"nope"})", claims())) == JwtError::unknown_key);
}

BOOST_FIXTURE_TEST_CASE(crit_is_refused, Fixture) {
  BOOST_TEST(error(key.sign(R"({"alg":"EdDSA","kid":"k1","crit":["b64"],"b64":false})",
                            claims())) == JwtError::malformed);
}

BOOST_FIXTURE_TEST_CASE(jku_x5u_jwk_and_x5c_are_refused_and_never_fetched, Fixture) {
  BOOST_TEST(verifier->refresh_now());
  for (const std::string member :
       {R"("jku":"https://evil.example/jwks")", R"("x5u":"https://evil.example/cert")",
        R"("jwk":{"kty":"OKP","crv":"Ed25519","x":"AA"})", R"("x5c":["MIIB"])"}) {
    const std::string header = R"({"alg":"EdDSA","kid":"k1",)" + member + "}";
    BOOST_TEST(error(key.sign(header, claims())) == JwtError::malformed, member);
  }
  BOOST_TEST(issuer->fetches == 1);  // refresh_now's only
}

BOOST_FIXTURE_TEST_CASE(a_typ_of_another_kind_is_refused, Fixture) {
  BOOST_TEST(error(key.sign(R"({"alg":"EdDSA","kid":"k1","typ":"refresh+jwt"})", claims())) ==
             JwtError::wrong_type);
}

BOOST_FIXTURE_TEST_CASE(a_header_that_is_not_a_json_object_is_malformed, Fixture) {
  BOOST_TEST(error(key.sign(R"(["EdDSA"])", claims())) == JwtError::malformed);
  BOOST_TEST(error(key.sign(R"({"alg":"EdDSA","kid":"k1","kid":"k2"})", claims())) ==
             JwtError::malformed);
  BOOST_TEST(error("a.b") == JwtError::malformed);
  BOOST_TEST(error("a.b.c.d") == JwtError::malformed);
}

BOOST_FIXTURE_TEST_CASE(an_oversized_token_is_refused_unread, Fixture) {
  BOOST_TEST(error(std::string(8193, 'a')) == JwtError::too_large);
}

// ------------------------------------------------------------------------- signatures

BOOST_FIXTURE_TEST_CASE(a_tampered_signature_is_refused, Fixture) {
  std::string token = key.sign(key.header(), claims());
  char& c = token[token.rfind('.') + 3];
  c = c == 'A' ? 'B' : 'A';
  BOOST_TEST(error(token) == JwtError::bad_signature);
}

BOOST_FIXTURE_TEST_CASE(a_tampered_payload_is_refused, Fixture) {
  const std::string good = key.sign(key.header(), claims());
  const std::string forged = key.sign(key.header(), replaced(claims(), kSubject, "someone-else"));
  const std::string spliced =
      good.substr(0, good.find('.')) +
      forged.substr(forged.find('.'), forged.rfind('.') - forged.find('.')) +
      good.substr(good.rfind('.'));
  BOOST_TEST(error(spliced) == JwtError::bad_signature);
}

BOOST_FIXTURE_TEST_CASE(a_token_signed_by_a_key_not_in_the_jwks_is_refused, Fixture) {
  const IssuerKey impostor("k1", JwsAlgorithm::eddsa);
  BOOST_TEST(error(impostor.sign(impostor.header(), claims())) == JwtError::bad_signature);
}

BOOST_FIXTURE_TEST_CASE(a_signature_that_is_not_base64url_is_malformed, Fixture) {
  BOOST_TEST(error(key.sign(key.header(), claims()) + "=") == JwtError::malformed);
}

// ------------------------------------------------------------------------- claims

BOOST_FIXTURE_TEST_CASE(exp_is_required, Fixture) {
  const std::string payload =
      replaced(claims(), R"("exp":)" + std::to_string(kNow + 900) + ",", "");
  BOOST_TEST(error(key.sign(key.header(), payload)) == JwtError::bad_claims);
}

BOOST_FIXTURE_TEST_CASE(an_expired_token_is_refused, Fixture) {
  BOOST_TEST(error(key.sign(key.header(), claims(kNow - 30))) == JwtError::expired);
  BOOST_TEST(error(key.sign(key.header(), claims(kNow + 900)), kNow + 930) == JwtError::expired);
}

BOOST_FIXTURE_TEST_CASE(nbf_and_iat_in_the_future_beyond_the_leeway_are_refused, Fixture) {
  const std::string late_nbf =
      replaced(claims(), R"("iat":1700000000)", R"("iat":1700000000,"nbf":1700000031)");
  BOOST_TEST(error(key.sign(key.header(), late_nbf)) == JwtError::not_yet_valid);
  const std::string near_nbf =
      replaced(claims(), R"("iat":1700000000)", R"("iat":1700000000,"nbf":1700000030)");
  BOOST_TEST(verify(key.sign(key.header(), near_nbf)).has_value());
  const std::string late_iat = replaced(claims(), R"("iat":1700000000)", R"("iat":1700000031)");
  BOOST_TEST(error(key.sign(key.header(), late_iat)) == JwtError::not_yet_valid);
}

BOOST_FIXTURE_TEST_CASE(another_issuer_is_refused, Fixture) {
  const std::string iss = R"("iss":")" + kIssuer + '"';
  BOOST_TEST(
      error(key.sign(key.header(), replaced(claims(), iss, R"("iss":"https://evil.example")"))) ==
      JwtError::wrong_issuer);
  BOOST_TEST(error(key.sign(key.header(),
                            replaced(claims(), iss, R"("iss":"https://auth.example.org/")"))) ==
             JwtError::wrong_issuer);
  BOOST_TEST(error(key.sign(key.header(), without(claims(), iss + ","))) == JwtError::wrong_issuer);
}

BOOST_FIXTURE_TEST_CASE(another_audience_is_refused, Fixture) {
  const std::string aud = R"("aud":")" + kIssuer + '"';
  BOOST_TEST(error(key.sign(key.header(), replaced(claims(), aud, R"("aud":"todo-api")"))) ==
             JwtError::wrong_audience);
  BOOST_TEST(error(key.sign(key.header(), replaced(claims(), aud, R"("aud":["a","b"])"))) ==
             JwtError::wrong_audience);
  BOOST_TEST(error(key.sign(key.header(), replaced(claims(), "," + aud, ""))) ==
             JwtError::wrong_audience);
}

BOOST_FIXTURE_TEST_CASE(sub_is_required, Fixture) {
  const std::string sub = R"("sub":")" + kSubject + R"(",)";
  BOOST_TEST(error(key.sign(key.header(), without(claims(), sub))) == JwtError::bad_claims);
  BOOST_TEST(error(key.sign(key.header(), replaced(claims(), sub, R"("sub":"",)"))) ==
             JwtError::bad_claims);
  BOOST_TEST(error(key.sign(key.header(), replaced(claims(), sub, R"("sub":42,)"))) ==
             JwtError::bad_claims);
}

BOOST_FIXTURE_TEST_CASE(sub_has_at_most_255_characters, Fixture) {
  std::string at_limit;
  for (int i = 0; i < 255; ++i) at_limit += "\xc3\xa9";  // 255 characters, 510 bytes
  const auto ok = verify(
      key.sign(key.header(), replaced(claims(), kSubject + R"(","exp)", at_limit + R"(","exp)")));
  BOOST_REQUIRE(ok.has_value());
  BOOST_TEST(ok->subject == at_limit);
  BOOST_TEST(error(key.sign(key.header(),
                            replaced(claims(), kSubject + R"(","exp)", at_limit + R"(e","exp)"))) ==
             JwtError::bad_claims);
}

BOOST_FIXTURE_TEST_CASE(sub_with_control_characters_or_bad_utf8_is_refused, Fixture) {
  for (const std::string bad : {R"(ab\u0000c)", R"(ab\nc)", R"(ab\u0085c)", R"(ab\udc00c)"}) {
    const std::string payload = replaced(claims(), kSubject + R"(","exp)", bad + R"(","exp)");
    const JwtError e = error(key.sign(key.header(), payload));
    BOOST_TEST((e == JwtError::bad_claims || e == JwtError::malformed), bad);
  }
}

BOOST_FIXTURE_TEST_CASE(an_email_with_control_characters_is_refused, Fixture) {
  const std::string payload = replaced(claims(), "ada@example.com", R"(ada@example.com\r\nBcc: x)");
  BOOST_TEST(error(key.sign(key.header(), payload)) == JwtError::bad_claims);
}

BOOST_FIXTURE_TEST_CASE(claims_that_are_not_an_object_are_malformed, Fixture) {
  BOOST_TEST(error(key.sign(key.header(), "[1]")) == JwtError::malformed);
  BOOST_TEST(error(key.sign(key.header(), "{")) == JwtError::malformed);
}

// ------------------------------------------------------------------------- the issuer away

BOOST_FIXTURE_TEST_CASE(an_unreachable_issuer_makes_external_tokens_unavailable, Fixture) {
  issuer->up = false;
  BOOST_TEST(!verifier->refresh_now());  // at start: logged, not fatal
  BOOST_TEST(logged->error.size() == 1u);
  BOOST_TEST(logged->error.front().find("connection refused; external tokens get 503") !=
             std::string::npos);
  const std::string token = key.sign(key.header(), claims());
  BOOST_TEST(error(token) == JwtError::issuer_unavailable);
  BOOST_TEST(issuer->fetches == 1);  // rate limited: no second fetch within 10 s

  issuer->up = true;
  BOOST_TEST(error(token) == JwtError::issuer_unavailable);
  clock.advance(10s);
  BOOST_TEST(verify(token).has_value());
  BOOST_TEST(issuer->fetches == 2);
}

BOOST_FIXTURE_TEST_CASE(a_failed_refresh_keeps_the_keys_known_before, Fixture) {
  BOOST_TEST(verifier->refresh_now());
  issuer->up = false;
  clock.advance(11min);
  BOOST_TEST(!verifier->refresh_now());
  BOOST_TEST(verify(key.sign(key.header(), claims())).has_value());
  BOOST_TEST(logged->error.back().find("keeping the keys known before") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(an_answer_that_is_not_a_jwks_counts_as_unreachable, Fixture) {
  issuer->jwks = "<html>502 Bad Gateway</html>";
  BOOST_TEST(!verifier->refresh_now());
  BOOST_TEST(error(key.sign(key.header(), claims())) == JwtError::issuer_unavailable);
}

BOOST_FIXTURE_TEST_CASE(a_jwks_without_usable_keys_refuses_tokens_as_unknown, Fixture) {
  issuer->jwks = R"({"keys":[{"kty":"oct","kid":"k1","k":"c2VjcmV0"}]})";
  BOOST_TEST(verifier->refresh_now());
  BOOST_TEST(error(key.sign(key.header(), claims())) == JwtError::unknown_key);
  BOOST_TEST(logged->error.size() == 1u);
  BOOST_TEST(logged->error.front() ==
             "external issuer key skipped (kid \"k1\"): key type is not OKP, EC or RSA");
}

// ------------------------------------------------------------------------- refresh

BOOST_FIXTURE_TEST_CASE(an_unknown_kid_refreshes_at_most_once_per_10_seconds, Fixture) {
  BOOST_TEST(verifier->refresh_now());
  const std::string stranger = key.sign(R"({"alg":"EdDSA","kid":"new"})", claims());
  for (int i = 0; i < 50; ++i) BOOST_TEST(error(stranger) == JwtError::unknown_key);
  BOOST_TEST(issuer->fetches == 1);  // refresh_now's; the unknown kid was within 10 s of it
  clock.advance(10s);
  for (int i = 0; i < 50; ++i) BOOST_TEST(error(stranger) == JwtError::unknown_key);
  BOOST_TEST(issuer->fetches == 2);
  clock.advance(9s);
  BOOST_TEST(error(stranger) == JwtError::unknown_key);
  BOOST_TEST(issuer->fetches == 2);
}

BOOST_FIXTURE_TEST_CASE(a_rotated_key_is_accepted_after_one_refresh, Fixture) {
  BOOST_TEST(verifier->refresh_now());
  const IssuerKey next("k2", JwsAlgorithm::eddsa);
  issuer->serve({&key, &next});
  clock.advance(10s);
  BOOST_TEST(verify(next.sign(next.header(), claims())).has_value());
  BOOST_TEST(issuer->fetches == 2);
  BOOST_TEST(verify(key.sign(key.header(), claims())).has_value());
  BOOST_TEST(logged->info.back().find("k1 (EdDSA), k2 (EdDSA)") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(a_dropped_key_stops_verifying_after_the_next_refresh, Fixture) {
  BOOST_TEST(verifier->refresh_now());
  const std::string old_token = key.sign(key.header(), claims());
  BOOST_TEST(verify(old_token).has_value());  // now cached
  const IssuerKey next("k2", JwsAlgorithm::eddsa);
  issuer->serve({&next});
  BOOST_TEST(verify(old_token).has_value());  // no refresh yet: still the old keys
  clock.advance(10min);
  BOOST_TEST(error(old_token) == JwtError::unknown_key);  // the periodic refresh dropped it
  BOOST_TEST(issuer->fetches == 2);
}

BOOST_FIXTURE_TEST_CASE(keys_are_refreshed_every_10_minutes, Fixture) {
  BOOST_TEST(verifier->refresh_now());
  const std::string token = key.sign(key.header(), claims(kNow + 3600));
  for (int minute = 1; minute <= 30; ++minute) {
    clock.advance(1min);
    BOOST_TEST(verify(token, kNow + minute * 60).has_value());
  }
  BOOST_TEST(issuer->fetches == 4);  // at start, then after 10, 20 and 30 minutes
}

BOOST_FIXTURE_TEST_CASE(a_shorter_max_age_is_honoured_down_to_10_seconds, Fixture) {
  issuer->max_age = 60s;
  BOOST_TEST(verifier->refresh_now());
  const std::string token = key.sign(key.header(), claims());
  BOOST_TEST(fetches_after(59s, token) == 1);
  BOOST_TEST(fetches_after(1s, token) == 2);
  issuer->max_age = 0s;  // no-store: as often as the rate limit allows, never more
  BOOST_TEST(fetches_after(60s, token) == 3);
  BOOST_TEST(fetches_after(9s, token) == 3);
  BOOST_TEST(fetches_after(1s, token) == 4);
}

BOOST_FIXTURE_TEST_CASE(a_longer_max_age_still_refreshes_every_10_minutes, Fixture) {
  issuer->max_age = 86400s;
  BOOST_TEST(verifier->refresh_now());
  clock.advance(10min);
  BOOST_TEST(verify(key.sign(key.header(), claims())).has_value());
  BOOST_TEST(issuer->fetches == 2);
}

BOOST_AUTO_TEST_CASE(threads_waiting_for_a_fetch_wait_no_longer_than_its_timeout) {
  Fixture f;
  f.issuer->delay = 1000ms;  // a fetch five times slower than the 200 ms timeout
  const std::string stranger = f.key.sign(R"({"alg":"EdDSA","kid":"new"})", claims());
  std::thread first([&] { (void)f.verify(stranger); });
  while (f.issuer->fetches == 0) std::this_thread::sleep_for(1ms);
  const auto start = std::chrono::steady_clock::now();
  const JwtError e = f.error(stranger);
  const auto waited = std::chrono::steady_clock::now() - start;
  first.join();
  BOOST_TEST(e == JwtError::issuer_unavailable);  // no keys known yet, the fetch not done
  BOOST_TEST(waited < 600ms);
  BOOST_TEST(f.issuer->fetches == 1);  // one fetch at a time
}

BOOST_AUTO_TEST_CASE(concurrent_verifications_of_many_tokens_agree) {
  Fixture f(8);  // a small cache, so eviction runs under contention
  BOOST_TEST(f.verifier->refresh_now());
  std::vector<std::string> tokens;
  for (int i = 0; i < 16; ++i) {
    tokens.push_back(
        f.key.sign(f.key.header(), replaced(claims(), "Ada", "Ada " + std::to_string(i))));
  }
  std::atomic<int> accepted = 0;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < 20; ++round) {
        for (const auto& token : tokens) accepted += f.verify(token).has_value();
      }
    });
  }
  for (auto& t : threads) t.join();
  BOOST_TEST(accepted == 4 * 20 * 16);
}

BOOST_AUTO_TEST_CASE(settings_without_an_issuer_are_refused) {
  ExternalIssuerSettings s;
  s.jwks_url = kJwksUrl;
  s.audience = kIssuer;
  BOOST_CHECK_THROW(
      ExternalTokenVerifier(s, std::make_unique<FakeFetcher>(std::make_shared<FakeIssuer>())),
      std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

// ----------------------------------------------------------------------------- the cache

BOOST_AUTO_TEST_SUITE(verified_token_cache)

namespace {
Sha256Digest digest_of(int i) {
  return sha256(std::to_string(i));
}
ExternalIdentity identity(int i, std::int64_t exp = kNow + 60) {
  return {"user-" + std::to_string(i), "", exp};
}
}  // namespace

BOOST_AUTO_TEST_CASE(a_cached_identity_is_found_until_its_exp) {
  VerifiedTokenCache cache(10);
  cache.insert(digest_of(1), identity(1));
  BOOST_REQUIRE(cache.find(digest_of(1), kNow).has_value());
  BOOST_TEST(cache.find(digest_of(1), kNow + 59)->subject == "user-1");
  BOOST_TEST(!cache.find(digest_of(1), kNow + 60).has_value());
  BOOST_TEST(cache.size() == 0u);  // the expired entry went
  BOOST_TEST(!cache.find(digest_of(2), kNow).has_value());
}

BOOST_AUTO_TEST_CASE(a_full_cache_evicts_the_oldest_first) {
  VerifiedTokenCache cache(3);
  for (int i = 1; i <= 3; ++i) cache.insert(digest_of(i), identity(i));
  BOOST_TEST(cache.find(digest_of(1), kNow).has_value());  // a hit does not make it younger
  cache.insert(digest_of(4), identity(4));
  BOOST_TEST(cache.size() == 3u);
  BOOST_TEST(!cache.find(digest_of(1), kNow).has_value());
  for (int i = 2; i <= 4; ++i) BOOST_TEST(cache.find(digest_of(i), kNow).has_value());
}

BOOST_AUTO_TEST_CASE(expired_entries_leave_room_and_the_order_stays_bounded) {
  VerifiedTokenCache cache(4);
  for (int i = 0; i < 10'000; ++i) {
    cache.insert(digest_of(i), identity(i, kNow + 1));
    BOOST_TEST_REQUIRE(!cache.find(digest_of(i), kNow + 1).has_value());  // expires at once
  }
  BOOST_TEST(cache.size() == 0u);
  for (int i = 0; i < 4; ++i) cache.insert(digest_of(i), identity(i));
  BOOST_TEST(cache.size() == 4u);
}

BOOST_AUTO_TEST_CASE(clear_empties_it) {
  VerifiedTokenCache cache(4);
  cache.insert(digest_of(1), identity(1));
  cache.clear();
  BOOST_TEST(!cache.find(digest_of(1), kNow).has_value());
}

BOOST_AUTO_TEST_SUITE_END()
