// Issues access tokens for the benchmark's seeded users, with the running
// stack's own settings (secret, issuer, audience, lifetime), so the benchmark
// needs no bcrypt login per user before it starts.
//
//   mint_tokens CONFIG_FILE < user-ids > "user-id token" lines
#include <cstdio>
#include <ctime>
#include <iostream>
#include <string>

#include "auth/jwt.hpp"
#include "config/config.hpp"
#include "server/thread_services.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s CONFIG_FILE < user-ids\n", argv[0]);
    return 2;
  }
  auto config = todo::load_config({}, argv[1], todo::ConfigPurpose::serve);
  if (!config) {
    std::fprintf(stderr, "mint_tokens: %s\n", config.error().c_str());
    return 1;
  }
  todo::auth::JwtCodec codec(todo::server::jwt_settings(*config));
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  std::string user_id;
  while (std::getline(std::cin, user_id)) {
    if (user_id.empty()) continue;
    todo::auth::TokenClaims claims{user_id, "bench-" + user_id.substr(0, 8) + "@bench.example"};
    std::cout << user_id << ' ' << codec.issue(todo::auth::TokenKind::access, claims, now) << '\n';
  }
  return 0;
}
