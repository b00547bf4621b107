#include "server/thread_services.hpp"

#include "app/routes.hpp"
#include "auth/jwks_fetcher.hpp"
#include "core/log.hpp"

namespace todo::server {

namespace {

std::unique_ptr<auth::ExternalTokenVerifier> external_verifier(const Config& config) {
  if (config.external_issuer.empty()) return nullptr;
  auth::ExternalIssuerSettings settings;
  settings.issuer = config.external_issuer;
  settings.audience = config.external_audience;
  settings.jwks_url = config.external_jwks_url;
  auto verifier = std::make_unique<auth::ExternalTokenVerifier>(
      settings, auth::make_curl_jwks_fetcher(settings.fetch_timeout));
  if (verifier->refresh_now())
    log_info("external issuer " + settings.issuer + ": " + std::to_string(verifier->key_count()) +
             " keys");
  return verifier;
}

}  // namespace

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

ProcessServices::ProcessServices(const Config& config, metrics::Block& block, metrics::Slot* slot,
                                 int listen_fd, auth::BcryptGate& bcrypt_gate)
    : external_(external_verifier(config)) {
  if (!slot) return;
  std::vector<std::string_view> patterns;
  for (const RouteSpec& route : routes()) patterns.push_back(route.pattern);
  metrics_.emplace(block, *slot, std::move(patterns), listen_fd);
  bcrypt_gate.observe(&*metrics_);
}

ThreadServices::ThreadServices(const Config& config, const auth::PasswordHasher& passwords,
                               auth::BcryptGate& bcrypt_gate, ProcessServices& shared)
    : store_({.url = config.database_url,
              .statement_timeout = config.db_statement_timeout,
              .observer = shared.metrics()}),
      jwt_(jwt_settings(config)),
      services_{config,           store_,    jwt_,       shared.external(), shared.known_external(),
                shared.metrics(), passwords, bcrypt_gate} {}

}  // namespace todo::server
