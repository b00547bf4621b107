#include "test_services.hpp"

#include <ctime>

namespace todo::testing {

Config TestServices::test_config() {
  // Port 1 on loopback: a connection is refused at once.
  return *load_config({{"DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none"},
                       {"JWT_SECRET", "0123456789abcdef0123456789abcdef"},
                       {"BCRYPT_COST", std::to_string(auth::kMinBcryptCost)}},
                      "", ConfigPurpose::serve);
}

auth::JwtSettings TestServices::jwt_settings_of(const Config& config) {
  auth::JwtSettings s;
  s.issuer = config.jwt_issuer;
  s.audience = config.jwt_audience;
  s.secret = config.jwt_secret;
  return s;
}

std::string TestServices::token_for(std::string_view user_id) {
  return jwt.issue(auth::TokenKind::access,
                   {std::string(user_id), std::string(user_id) + "@example.test"},
                   std::time(nullptr));
}

}  // namespace todo::testing
