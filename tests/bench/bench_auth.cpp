// Auth micro-benchmarks: JWT verify (reused codec), HMAC-SHA256 reused vs one-shot, bcrypt.
//
//   bench_auth [bcrypt-cost]      (cost 10..15, default 12)
//
// Timings are the best of 5 rounds, so they show what the code costs, not the machine's noise.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "auth/hmac_sha256.hpp"
#include "auth/jwt.hpp"
#include "auth/password.hpp"

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kRounds = 5;
constexpr int kIterations = 200'000;
constexpr std::int64_t kNow = 1'700'000'000;

// Best-of-rounds nanoseconds per call of `f`, run `iterations` times per round.
template <class F>
double best_ns_per_call(int iterations, F&& f) {
  double best = 1e300;
  for (int round = 0; round < kRounds; ++round) {
    const auto start = Clock::now();
    for (int i = 0; i < iterations; ++i) f();
    const std::chrono::duration<double, std::nano> elapsed = Clock::now() - start;
    best = std::min(best, elapsed.count() / iterations);
  }
  return best;
}

void row(const char* what, double value, const char* unit, const char* note) {
  std::printf("  %-34s %12.1f %-6s %s\n", what, value, unit, note);
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
  const std::string token = codec.issue(
      TokenKind::access, {"0f8fad5b-d9cb-469f-a165-70867728950e", "ada@example.com"}, kNow);
  const std::string_view signing_input = std::string_view(token).substr(0, token.rfind('.'));

  std::uint64_t sink = 0;  // keeps results alive so nothing is optimised away
  if (!codec.verify(token, TokenKind::access, kNow)) {
    std::fprintf(stderr, "bench_auth: the benchmark token does not verify\n");
    return 1;
  }
  const double verify_ns = best_ns_per_call(
      kIterations, [&] { sink += codec.verify(token, TokenKind::access, kNow)->expires_at; });
  const double issue_ns = best_ns_per_call(kIterations / 4, [&] {
    sink += codec.issue(TokenKind::access, {"0f8fad5b-d9cb-469f-a165-70867728950e", "a@b.c"}, kNow)
                .size();
  });
  HmacSha256 reused(settings.secret);
  const double reused_ns =
      best_ns_per_call(kIterations, [&] { sink += reused.compute(signing_input)[0]; });
  const double one_shot_ns = best_ns_per_call(
      kIterations / 4, [&] { sink += hmac_sha256(settings.secret, signing_input)[0]; });

  const PasswordHasher hasher(cost);
  constexpr int kBcryptRuns = 3;
  double bcrypt_ms = 1e300;
  for (int i = 0; i < kBcryptRuns; ++i) {
    const auto start = Clock::now();
    sink += hasher.hash("correct horse battery staple").size();
    const std::chrono::duration<double, std::milli> elapsed = Clock::now() - start;
    bcrypt_ms = std::min(bcrypt_ms, elapsed.count());
  }

  std::printf("auth benchmarks (best of %d rounds; token %zu bytes)\n", kRounds, token.size());
  row("JWT HS256 verify, reused codec", verify_ns, "ns", "target < 1500 ns");
  row("JWT HS256 issue, reused codec", issue_ns, "ns", "");
  row("HMAC-SHA256, reused context", reused_ns, "ns", "signing input only");
  row("HMAC-SHA256, one-shot", one_shot_ns, "ns", "same input, new context");
  char label[64];
  std::snprintf(label, sizeof label, "bcrypt hash, cost %d", cost);
  row(label, bcrypt_ms, "ms", "best of 3");
  return sink == 0 ? 1 : 0;
}
