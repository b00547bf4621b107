#include "handlers/context.hpp"

namespace todo {

auth::JwtSettings jwt_settings(const Config& config) {
  auth::JwtSettings s;
  s.issuer = config.jwt_issuer;
  s.audience = config.jwt_audience;
  s.secret = config.jwt_secret;
  s.previous_secret = config.jwt_previous_secret;
  s.access_ttl = config.access_token_ttl;
  s.refresh_ttl = config.refresh_token_ttl;
  return s;
}

}  // namespace todo
