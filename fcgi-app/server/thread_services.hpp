#pragma once
// What a worker process's threads share (the external issuer's verifier and
// the users it has admitted), what each thread owns (its database connection
// and token codec), and the Services view of them that the app hands to
// handlers.

#include <memory>
#include <optional>

#include "app/context.hpp"

namespace todo::server {

// Made once per worker process, after the fork: the verifier fetches the
// external issuer's keys at once (logged, never fatal, when it cannot); the
// recorder writes this process's slot of the pool's metrics (none when the
// master had no slot left), and the bcrypt gate reports to it.
class ProcessServices {
 public:
  ProcessServices(const Config& config, metrics::Block& block, metrics::Slot* slot, int listen_fd,
                  auth::BcryptGate& bcrypt_gate);

  auth::ExternalTokenVerifier* external() { return external_.get(); }
  KnownExternalUsers* known_external() { return external_ ? &known_external_ : nullptr; }
  metrics::Recorder* metrics() { return metrics_ ? &*metrics_ : nullptr; }

 private:
  std::unique_ptr<auth::ExternalTokenVerifier> external_;
  KnownExternalUsers known_external_;
  std::optional<metrics::Recorder> metrics_;
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
