// Issues tokens for the benchmark's seeded users and sessions, with the
// running stack's own settings (secret, issuer, audience, lifetimes), so the
// benchmark needs no bcrypt login per user before it starts.
//
//   mint_tokens CONFIG_FILE < user-ids                   > "user-id access-token" lines
//   mint_tokens CONFIG_FILE --refresh < "user-id session-id token-id" lines
//                                                        > "user-id refresh-token" lines
//
// A refresh token names its session and that session's current one-time
// token id, as the service's own would (handlers/tokens.cpp): each can be
// spent exactly once.
#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "auth/jwt.hpp"
#include "config/config.hpp"
#include "server/thread_services.hpp"

namespace {

using todo::auth::TokenClaims;
using todo::auth::TokenKind;

// One input line as claims: "user-id" for access tokens, "user-id session-id
// token-id" for refresh tokens; nullopt for a blank line.
std::optional<TokenClaims> claims_of(const std::string& line, TokenKind kind) {
  std::istringstream fields(line);
  TokenClaims claims;
  if (!(fields >> claims.user_id)) return std::nullopt;
  if (kind == TokenKind::access)
    claims.email = "bench-" + claims.user_id.substr(0, 8) + "@bench.example";
  else
    fields >> claims.session_id >> claims.token_id;
  return claims;
}

}  // namespace

int main(int argc, char** argv) {
  bool refresh = argc == 3 && std::string_view(argv[2]) == "--refresh";
  if (argc != 2 && !refresh) {
    std::fprintf(stderr, "usage: %s CONFIG_FILE [--refresh] < lines\n", argv[0]);
    return 2;
  }
  auto config = todo::load_config({}, argv[1], todo::ConfigPurpose::serve);
  if (!config) {
    std::fprintf(stderr, "mint_tokens: %s\n", config.error().c_str());
    return 1;
  }
  const TokenKind kind = refresh ? TokenKind::refresh : TokenKind::access;
  todo::auth::JwtCodec codec(todo::server::jwt_settings(*config));
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  std::string line;
  while (std::getline(std::cin, line))
    if (auto claims = claims_of(line, kind))
      std::cout << claims->user_id << ' ' << codec.issue(kind, *claims, now) << '\n';
  return 0;
}
