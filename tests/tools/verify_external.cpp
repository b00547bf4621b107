// verify_external: checks tokens of an external issuer the way the service does, with the
// production verifier and its libcurl JWKS fetcher, against the live JWKS. For the
// interoperability test with a real Better Auth server (tests/external/better-auth.test.sh).
//
//   verify_external --issuer URL --jwks URL [--audience AUD]      (tokens on stdin, one a line)
//
// One verifier for all the tokens, as in a worker process: keys are fetched at start and
// refreshed as the verifier's rules say. For each token it prints one line,
//   accepted <sub> <email>      or      refused <error>: <description>
// and at the end "fetches <n>": how many times the JWKS was fetched. Exit status 0 unless
// the arguments are wrong; the caller judges the lines. Tokens are never printed.
#include <cstdio>
#include <ctime>
#include <iostream>
#include <string>

#include "auth/external_token.hpp"
#include "auth/jwks_fetcher.hpp"

namespace {

using namespace todo::auth;

// Counts the fetches of the real fetcher it wraps.
class CountingFetcher final : public JwksFetcher {
 public:
  CountingFetcher(std::unique_ptr<JwksFetcher> inner, int& count)
      : inner_(std::move(inner)), count_(count) {}
  std::expected<JwksDocument, std::string> fetch(const std::string& url) noexcept override {
    ++count_;
    return inner_->fetch(url);
  }

 private:
  std::unique_ptr<JwksFetcher> inner_;
  int& count_;
};

std::string_view error_name(JwtError e) {
  static constexpr std::string_view kNames[] = {
      "too_large",     "malformed",     "wrong_algorithm", "wrong_type",
      "unknown_key",   "bad_signature", "bad_claims",      "expired",
      "not_yet_valid", "wrong_issuer",  "wrong_audience",  "issuer_unavailable"};
  static_assert(std::size(kNames) == static_cast<std::size_t>(JwtError::issuer_unavailable) + 1);
  return kNames[static_cast<std::size_t>(e)];
}

int usage() {
  std::fprintf(stderr,
               "usage: verify_external --issuer URL --jwks URL [--audience AUD] < tokens\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  ExternalIssuerSettings settings;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--issuer") {
      settings.issuer = argv[i + 1];
    } else if (flag == "--jwks") {
      settings.jwks_url = argv[i + 1];
    } else if (flag == "--audience") {
      settings.audience = argv[i + 1];
    } else {
      return usage();
    }
  }
  if (argc % 2 == 0 || settings.issuer.empty() || settings.jwks_url.empty()) return usage();
  if (settings.audience.empty()) settings.audience = settings.issuer;

  int fetches = 0;
  ExternalTokenVerifier verifier(
      settings,
      std::make_unique<CountingFetcher>(make_curl_jwks_fetcher(settings.fetch_timeout), fetches),
      {[](std::string_view m) { std::cerr << "info: " << m << '\n'; },
       [](std::string_view m) { std::cerr << "error: " << m << '\n'; }});
  verifier.refresh_now();
  std::string token;
  while (std::getline(std::cin, token)) {
    const auto identity = verifier.verify(token, std::time(nullptr));
    if (identity) {
      std::cout << "accepted " << identity->subject << ' ' << identity->email << std::endl;
    } else {
      std::cout << "refused " << error_name(identity.error()) << ": " << describe(identity.error())
                << std::endl;
    }
  }
  std::cout << "fetches " << fetches << std::endl;
  return 0;
}
