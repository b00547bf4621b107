// An external issuer for the benchmark's row (g): one Ed25519 key, its JWKS,
// and tokens signed with it the way Better Auth's JWT plugin signs them
// (alg EdDSA, the key's kid; iss and aud the issuer's URL).
//
//   mint_external DIR ISSUER USERS TOKENS
//
// writes DIR/jwks.json (served to the stack as EXTERNAL_JWKS_URL),
// DIR/external.users (the USERS subjects, bench-x-1 ... bench-x-USERS, one a
// line, for seeding their rows), DIR/external-cached.tokens (one token for
// each user, reused request after request: the verified-token cache answers)
// and DIR/external-uncached.tokens (TOKENS tokens over the users, each with a
// jti of its own, so none is ever in the cache: a signature check every
// request). Token files hold "user-id token" lines; every token is valid for
// a day.
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>

#include "../unit/test_keys.hpp"

namespace {

using todo::test::IssuerKey;

std::string token_for(const IssuerKey& key, const std::string& issuer, const std::string& sub,
                      long jti, std::int64_t now) {
  const std::string payload =
      R"({"sub":")" + sub + R"(","email":")" + sub + R"(@bench.example","iss":")" + issuer +
      R"(","aud":")" + issuer + R"(","iat":)" + std::to_string(now) + R"(,"exp":)" +
      std::to_string(now + 86400) + R"(,"jti":"j)" + std::to_string(jti) + R"("})";
  return key.sign(key.header(), payload);
}

bool write(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  const long users = argc == 5 ? std::atol(argv[3]) : 0,
             tokens = argc == 5 ? std::atol(argv[4]) : 0;
  if (users < 1 || tokens < 1) {
    std::fprintf(stderr, "usage: %s DIR ISSUER USERS TOKENS\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1], issuer = argv[2];
  const IssuerKey key("bench-ed25519", todo::auth::JwsAlgorithm::eddsa);
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  auto sub = [users](long i) { return "bench-x-" + std::to_string(i % users + 1); };

  std::string subjects, cached, uncached;
  for (long i = 0; i < users; ++i) {
    subjects += sub(i) + '\n';
    cached += sub(i) + ' ' + token_for(key, issuer, sub(i), -1 - i, now) + '\n';
  }
  for (long i = 0; i < tokens; ++i)
    uncached += sub(i) + ' ' + token_for(key, issuer, sub(i), i, now) + '\n';

  const bool ok = write(dir + "/jwks.json", todo::test::jwks_of({key.jwk(R"("use":"sig")")})) &&
                  write(dir + "/external.users", subjects) &&
                  write(dir + "/external-cached.tokens", cached) &&
                  write(dir + "/external-uncached.tokens", uncached);
  if (!ok) std::fprintf(stderr, "mint_external: cannot write into %s\n", dir.c_str());
  return ok ? 0 : 1;
}
