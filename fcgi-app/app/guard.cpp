#include "app/guard.hpp"

#include "core/http_error.hpp"
#include "core/text.hpp"

namespace todo {

namespace {

// The token after "Bearer " (scheme compared case-insensitively), or "".
std::string_view bearer_token(const Request& request) {
  std::string_view header = trim(request.header("authorization"));
  if (header.size() < 7 || !iequals(header.substr(0, 7), "bearer ")) return {};
  return trim(header.substr(7));
}

HttpError unauthorized(ErrorCode code, std::string detail, bool token_given) {
  return HttpError(code, std::move(detail))
      .with_header("WWW-Authenticate", token_given ? "Bearer error=\"invalid_token\"" : "Bearer");
}

// Who a valid token speaks for.
struct Caller {
  std::string user_id, email, session_id;
  bool external = false;
};

// A local token may fail only because it is not one: then it may be the
// external issuer's (EdDSA and its other algorithms, its own kids, longer).
bool may_be_external(auth::JwtError local_error) {
  return local_error == auth::JwtError::wrong_algorithm ||
         local_error == auth::JwtError::unknown_key || local_error == auth::JwtError::too_large;
}

std::expected<Caller, auth::JwtError> verify(std::string_view token, const Context& ctx) {
  const Services& s = ctx.services;
  auto local_error = auth::JwtError::wrong_algorithm;
  if (s.config.local_accounts) {
    auto claims = s.jwt.verify(token, auth::TokenKind::access, ctx.now);
    if (claims) return Caller{claims->user_id, claims->email, claims->session_id, false};
    local_error = claims.error();
  }
  if (!s.external || !may_be_external(local_error)) return std::unexpected(local_error);
  auto identity = s.external->verify(token, ctx.now);
  if (!identity) return std::unexpected(identity.error());
  return Caller{identity->subject, identity->email, "", true};
}

// The first token of an unknown subject makes the user; a subject that is
// another issuer's user (or a local one) is refused, whatever ids collide.
void admit_external(const Caller& caller, Context& ctx) {
  KnownExternalUsers& known = *ctx.services.known_external;
  if (known.contains(caller.user_id)) return;
  std::optional<std::string> email;
  if (!caller.email.empty() && caller.email.size() <= 254) email = caller.email;
  if (!ctx.services.store.users().admit_external(caller.user_id,
                                                 ctx.services.config.external_issuer, email))
    throw unauthorized(ErrorCode::unauthorized,
                       "This token's subject is an account of another issuer", true);
  known.add(caller.user_id);
}

void identify(Context& ctx, Caller&& caller) {
  ctx.user_id = std::move(caller.user_id);
  ctx.email = std::move(caller.email);
  ctx.session_id = std::move(caller.session_id);
  ctx.external = caller.external;
}

HttpError refusal(auth::JwtError error) {
  // The issuer's keys are out of reach: the token may well be good.
  if (error == auth::JwtError::issuer_unavailable)
    return HttpError(ErrorCode::auth_unavailable,
                     "The sign-in provider cannot be reached to check this token; try again soon")
        .with_header("Retry-After", "10");
  return unauthorized(
      error == auth::JwtError::expired ? ErrorCode::token_expired : ErrorCode::unauthorized,
      std::string(auth::describe(error)), true);
}

}  // namespace

void require_bearer(const Request& request, Context& ctx) {
  metrics::Recorder* metrics = ctx.services.metrics;
  std::string_view token = bearer_token(request);
  if (token.empty()) {
    if (metrics) metrics->token_refused(std::nullopt);
    throw unauthorized(ErrorCode::unauthorized,
                       "Not authenticated: send Authorization: Bearer <token>", false);
  }
  auto caller = verify(token, ctx);
  if (!caller) {
    if (metrics) metrics->token_refused(caller.error());
    throw refusal(caller.error());
  }
  if (caller->external) admit_external(*caller, ctx);
  identify(ctx, std::move(*caller));
}

void accept_bearer(const Request& request, Context& ctx) {
  std::string_view token = bearer_token(request);
  if (token.empty()) return;
  if (auto caller = verify(token, ctx); caller && !caller->external)
    identify(ctx, std::move(*caller));
}

}  // namespace todo
