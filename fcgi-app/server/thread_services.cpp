#include "server/thread_services.hpp"

namespace todo::server {

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

ThreadServices::ThreadServices(const Config& config, const auth::PasswordHasher& passwords,
                               auth::BcryptGate& bcrypt_gate)
    : store_({config.database_url, config.db_statement_timeout}),
      jwt_(jwt_settings(config)),
      services_{config, store_, jwt_, passwords, bcrypt_gate} {}

}  // namespace todo::server
