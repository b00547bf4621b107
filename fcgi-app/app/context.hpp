#pragma once
// What a handler works with: the request's route parameters and identity, and
// the worker thread's services (database connection, token codec, ...).

#include <cstdint>
#include <string>

#include "app/known_external_users.hpp"
#include "auth/bcrypt_gate.hpp"
#include "auth/external_token.hpp"
#include "auth/jwt.hpp"
#include "auth/password.hpp"
#include "config/config.hpp"
#include "core/request.hpp"
#include "core/response.hpp"
#include "core/router.hpp"
#include "metrics/recorder.hpp"
#include "store/store.hpp"

namespace todo {

// One per worker thread; nothing in it is shared with other threads except the
// const configuration, the hasher, the external verifier and the known
// external users (thread-safe) and the gate (cross-process).
struct Services {
  const Config& config;
  store::Store& store;
  auth::JwtCodec& jwt;
  auth::ExternalTokenVerifier* external;  // null without an external issuer
  KnownExternalUsers* known_external;     // null without an external issuer
  metrics::Recorder* metrics;             // null where nothing is counted (tests)
  const auth::PasswordHasher& passwords;
  auth::BcryptGate& bcrypt_gate;
};

struct Context {
  Context(Services& s, std::int64_t at) : services(s), now(at) {}

  Services& services;
  PathParams params;
  std::string user_id;  // the verified token's subject, on protected routes
  std::string email;
  std::string session_id;  // the session the access token was issued for, if it names one
  bool external = false;   // the token came from the external issuer, not from this service
  std::int64_t now = 0;    // seconds since the epoch, read once per request
};

using Handler = Response (*)(const Request&, Context&);

}  // namespace todo
