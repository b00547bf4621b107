#pragma once
// What a worker thread gives the app, made for tests and the fuzzer: the
// settings of a worker whose database is unreachable (127.0.0.1:1), a token
// codec and a hasher at the lowest cost, over a store the test chooses.

#include "app/context.hpp"
#include "config/config.hpp"

namespace todo::testing {

struct TestServices {
  Config config = test_config();
  auth::JwtCodec jwt{jwt_settings_of(config)};
  auth::PasswordHasher passwords{auth::kMinBcryptCost};
  auth::BcryptGate gate{1, 1};

  // Services over `store`, without an external issuer or metrics.
  Services over(store::Store& store) {
    return {config, store, jwt, nullptr, nullptr, nullptr, passwords, gate};
  }

  // A valid access token for `user_id`.
  std::string token_for(std::string_view user_id);

  static Config test_config();
  static auth::JwtSettings jwt_settings_of(const Config& config);
};

}  // namespace todo::testing
