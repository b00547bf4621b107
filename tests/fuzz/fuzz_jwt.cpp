// libFuzzer target: JwtCodec::verify, the one function every protected request
// runs on attacker-chosen bytes.
//
// The first input byte picks the mode:
//   even: the rest is a token, verified as an access and as a refresh token;
//   odd:  the rest is "header JSON \n payload JSON", signed with the codec's
//         secret first, so the fuzzer gets past the signature and into header
//         and claim checking, where a forged token could not go.
// Properties checked: verify never throws or crashes, and a token it accepts
// has a subject and an expiry in the future (within the leeway).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "auth/jws.hpp"
#include "auth/jwt.hpp"

namespace {

constexpr std::int64_t kNow = 1'700'000'000;

todo::auth::JwtCodec& codec() {
  static todo::auth::JwtCodec c([] {
    todo::auth::JwtSettings s;
    s.secret = "fuzzing-secret-0123456789abcdefghijklmnop";
    s.previous_secret = "previous-fuzzing-secret-0123456789abcdefgh";
    return s;
  }());
  return c;
}

void check(std::string_view token, todo::auth::TokenKind kind) {
  auto claims = codec().verify(token, kind, kNow);
  if (!claims) return;
  if (claims->user_id.empty() || claims->expires_at + 30 < kNow) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    check(rest, todo::auth::TokenKind::access);
    check(rest, todo::auth::TokenKind::refresh);
    return 0;
  }
  std::size_t newline = rest.find('\n');
  if (newline == std::string_view::npos) return 0;
  std::string token =
      todo::auth::sign_hs256_compact(rest.substr(0, newline), rest.substr(newline + 1),
                                     "fuzzing-secret-0123456789abcdefghijklmnop");
  check(token, todo::auth::TokenKind::access);
  return 0;
}
