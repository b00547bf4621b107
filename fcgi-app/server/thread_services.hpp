#pragma once
// What one worker thread owns (its database connection and token codec) and
// the Services view of them that the app hands to handlers.

#include "app/context.hpp"

namespace todo::server {

class ThreadServices {
 public:
  ThreadServices(const Config& config, const auth::PasswordHasher& passwords,
                 auth::BcryptGate& bcrypt_gate);
  ThreadServices(const ThreadServices&) = delete;
  ThreadServices& operator=(const ThreadServices&) = delete;

  Services& services() { return services_; }

 private:
  store::PostgresStore store_;
  auth::JwtCodec jwt_;
  Services services_;
};

// The token codec's settings, from the service's configuration.
auth::JwtSettings jwt_settings(const Config& config);

}  // namespace todo::server
