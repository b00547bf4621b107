// libFuzzer target: parse_jwks, which reads whatever an issuer's JWKS URL answers (a proxy's
// error page, a compromised or broken issuer), and check_signature with every key it accepts.
//
// Properties checked: parsing never throws or crashes; every accepted key has a non-empty kid
// no other accepted key has and an OpenSSL key; every skipped key has a reason; a signature
// check with a fuzzer-made key returns (valid or not) and never crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>

#include "auth/jwk.hpp"
#include "auth/jws.hpp"

namespace {

// RFC 8037 A.4's token: a well-formed signature for every key to be tried against.
constexpr std::string_view kToken =
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto set = todo::auth::parse_jwks(input);
  if (!set) {
    if (set.error().empty()) std::abort();
    return 0;
  }
  std::set<std::string> kids;
  const auto jws = todo::auth::split_compact(kToken);
  for (const auto& key : set->keys) {
    if (key.kid.empty() || !key.key || !kids.insert(key.kid).second) std::abort();
    (void)todo::auth::check_signature(*jws, key);
  }
  for (const auto& skipped : set->skipped) {
    if (skipped.reason.empty()) std::abort();
  }
  return 0;
}
