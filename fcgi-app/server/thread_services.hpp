#pragma once
// What a worker process's threads share (the external issuer's verifier and
// the users it has admitted), what each thread owns (its database connection
// and token codec), and the Services view of them that the app hands to
// handlers.

#include <memory>

#include "app/context.hpp"

namespace todo::server {

// Made once per worker process, after the fork: the verifier fetches the
// external issuer's keys at once (logged, never fatal, when it cannot).
class ProcessServices {
 public:
  explicit ProcessServices(const Config& config);

  auth::ExternalTokenVerifier* external() { return external_.get(); }
  KnownExternalUsers* known_external() { return external_ ? &known_external_ : nullptr; }

 private:
  std::unique_ptr<auth::ExternalTokenVerifier> external_;
  KnownExternalUsers known_external_;
};

class ThreadServices {
 public:
  ThreadServices(const Config& config, const auth::PasswordHasher& passwords,
                 auth::BcryptGate& bcrypt_gate, ProcessServices& shared);
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
