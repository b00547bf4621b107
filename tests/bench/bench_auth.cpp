// Auth micro-benchmarks: JWT verify (reused codec), external EdDSA tokens cached and
// uncached, HMAC-SHA256 reused vs one-shot, bcrypt.
//
//   bench_auth [bcrypt-cost]      (cost 10..15, default 12)
//
// Each figure is the best of 5 rounds, so it shows what the code costs rather than the
// machine's noise. Wall time and this thread's CPU time are both shown: on a busy 2-core
// machine the CPU time (which leaves out time spent descheduled) is the steadier figure.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>

#include "../unit/test_keys.hpp"
#include "auth/external_token.hpp"
#include "auth/hmac_sha256.hpp"
#include "auth/jwt.hpp"
#include "auth/password.hpp"

namespace {

constexpr int kRounds = 5;
constexpr int kIterations = 200'000;
constexpr std::int64_t kNow = 1'700'000'000;
constexpr double kNanosecond = 1;
constexpr double kMillisecond = 1e6;

struct Timing {
  double wall = 1e300;  // per call, best of the rounds
  double cpu = 1e300;
};

double thread_cpu_ns() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e9 + static_cast<double>(ts.tv_nsec);
}

// The best time per call of `f` over kRounds rounds of `iterations` calls, in units of `unit`
// nanoseconds.
template <class F>
Timing best_per_call(int iterations, double unit, F&& f) {
  Timing best;
  for (int round = 0; round < kRounds; ++round) {
    const double cpu_start = thread_cpu_ns();
    const auto wall_start = std::chrono::steady_clock::now();
    for (int i = 0; i < iterations; ++i) f();
    const std::chrono::duration<double, std::nano> wall =
        std::chrono::steady_clock::now() - wall_start;
    const double cpu = thread_cpu_ns() - cpu_start;
    best.wall = std::min(best.wall, wall.count() / iterations / unit);
    best.cpu = std::min(best.cpu, cpu / iterations / unit);
  }
  return best;
}

void header_row() {
  std::printf("  %-34s %10s %10s  %-4s\n", "", "wall", "cpu", "unit");
}

void row(const char* what, Timing t, const char* unit, const char* note) {
  std::printf("  %-34s %10.1f %10.1f  %-4s %s\n", what, t.wall, t.cpu, unit, note);
}

// The issuer's JWKS, served from memory: the benchmark measures verification, not fetching.
class FixedJwks final : public todo::auth::JwksFetcher {
 public:
  explicit FixedJwks(std::string jwks) : jwks_(std::move(jwks)) {}
  std::expected<todo::auth::JwksDocument, std::string> fetch(const std::string&) noexcept override {
    return todo::auth::JwksDocument{jwks_, std::nullopt};
  }

 private:
  std::string jwks_;
};

// A verifier of an Ed25519 issuer, the way Better Auth's JWT plugin signs.
std::unique_ptr<todo::auth::ExternalTokenVerifier> external_verifier(
    const todo::test::IssuerKey& key, std::size_t cache_capacity) {
  todo::auth::ExternalIssuerSettings s;
  s.issuer = s.audience = "https://auth.example.org";
  s.jwks_url = "https://auth.example.org/api/auth/jwks";
  s.cache_capacity = cache_capacity;
  auto v = std::make_unique<todo::auth::ExternalTokenVerifier>(
      s, std::make_unique<FixedJwks>(todo::test::jwks_of({key.jwk()})), todo::auth::ExternalLog{});
  v->refresh_now();
  return v;
}

std::string external_token(const todo::test::IssuerKey& key, const std::string& name) {
  return key.sign(
      key.header(),
      R"({"iat":1700000000,"name":")" + name +
          R"(","email":"ada@example.com","emailVerified":false,"image":null,)"
          R"("createdAt":"2023-11-14T22:13:20.000Z","updatedAt":"2023-11-14T22:13:20.000Z",)"
          R"("id":"pZRmZb6kHcZ7rWqL1sTAbXgYv3Nd2eQf","sub":"pZRmZb6kHcZ7rWqL1sTAbXgYv3Nd2eQf",)"
          R"("exp":1700000900,"iss":"https://auth.example.org","aud":"https://auth.example.org"})");
}

int parse_cost(int argc, char** argv) {
  if (argc < 2) return 12;
  char* end = nullptr;
  const long cost = std::strtol(argv[1], &end, 10);
  if (*end != '\0' || cost < todo::auth::kMinBcryptCost || cost > todo::auth::kMaxBcryptCost) {
    std::fprintf(stderr, "usage: %s [bcrypt-cost 10..15]\n", argv[0]);
    std::exit(2);
  }
  return static_cast<int>(cost);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace todo::auth;
  const int cost = parse_cost(argc, argv);

  JwtSettings settings;
  settings.secret = "benchmark-only-secret-0123456789abcdefghij";  // never printed
  JwtCodec codec(settings);
  const TokenClaims claims{"0f8fad5b-d9cb-469f-a165-70867728950e", "ada@example.com"};
  const std::string token = codec.issue(TokenKind::access, claims, kNow);
  const std::string_view signing_input = std::string_view(token).substr(0, token.rfind('.'));

  std::uint64_t sink = 0;  // keeps results alive so nothing is optimised away
  if (!codec.verify(token, TokenKind::access, kNow)) {
    std::fprintf(stderr, "bench_auth: the benchmark token does not verify\n");
    return 1;
  }
  const Timing verify = best_per_call(kIterations, kNanosecond, [&] {
    sink += static_cast<std::uint64_t>(codec.verify(token, TokenKind::access, kNow)->expires_at);
  });
  const Timing issue = best_per_call(kIterations / 4, kNanosecond, [&] {
    sink += codec.issue(TokenKind::access, claims, kNow).size();
  });
  HmacSha256 reused(settings.secret);
  const Timing reused_mac =
      best_per_call(kIterations, kNanosecond, [&] { sink += reused.compute(signing_input)[0]; });
  const Timing one_shot_mac = best_per_call(kIterations / 4, kNanosecond, [&] {
    sink += hmac_sha256(settings.secret, signing_input)[0];
  });
  // External EdDSA tokens: the same token again (answered from the cache), and two tokens in
  // turn through a cache of one (each evicts the other: every check is a signature check).
  const todo::test::IssuerKey issuer_key("bench", JwsAlgorithm::eddsa);
  const std::string ext_a = external_token(issuer_key, "Ada"),
                    ext_b = external_token(issuer_key, "Bob");
  const auto cached_verifier = external_verifier(issuer_key, 10'000);
  const auto uncached_verifier = external_verifier(issuer_key, 1);
  if (!cached_verifier->verify(ext_a, kNow) || !uncached_verifier->verify(ext_b, kNow)) {
    std::fprintf(stderr, "bench_auth: the external benchmark token does not verify\n");
    return 1;
  }
  const Timing external_cached = best_per_call(kIterations, kNanosecond, [&] {
    sink += static_cast<std::uint64_t>(cached_verifier->verify(ext_a, kNow)->expires_at);
  });
  bool flip = false;
  const Timing external_uncached = best_per_call(kIterations / 50, kNanosecond, [&] {
    flip = !flip;
    sink += static_cast<std::uint64_t>(
        uncached_verifier->verify(flip ? ext_a : ext_b, kNow)->expires_at);
  });

  const PasswordHasher hasher(cost);
  const Timing bcrypt = best_per_call(
      1, kMillisecond, [&] { sink += hasher.hash("correct horse battery staple").size(); });

  std::printf("auth benchmarks (best of %d rounds; token %zu bytes)\n", kRounds, token.size());
  header_row();
  row("JWT HS256 verify, reused codec", verify, "ns", "target < 1500 ns");
  row("JWT HS256 issue, reused codec", issue, "ns", "");
  row("external EdDSA verify, cached", external_cached, "ns", "a token seen before");
  row("external EdDSA verify, uncached", external_uncached, "ns", "signature check every time");
  row("HMAC-SHA256, reused context", reused_mac, "ns", "signing input only");
  row("HMAC-SHA256, one-shot", one_shot_mac, "ns", "same input, new context");
  char label[64];
  std::snprintf(label, sizeof label, "bcrypt hash, cost %d", cost);
  row(label, bcrypt, "ms", "");
  return sink == 0 ? 1 : 0;
}
