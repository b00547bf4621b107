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

void identify(Context& ctx, auth::TokenClaims&& claims) {
  ctx.user_id = std::move(claims.user_id);
  ctx.email = std::move(claims.email);
  ctx.session_id = std::move(claims.session_id);
}

}  // namespace

void require_bearer(const Request& request, Context& ctx) {
  std::string_view token = bearer_token(request);
  if (token.empty())
    throw unauthorized(ErrorCode::unauthorized,
                       "Not authenticated: send Authorization: Bearer <token>", false);
  auto claims = ctx.services.jwt.verify(token, auth::TokenKind::access, ctx.now);
  if (!claims) {
    bool expired = claims.error() == auth::JwtError::expired;
    throw unauthorized(expired ? ErrorCode::token_expired : ErrorCode::unauthorized,
                       std::string(auth::describe(claims.error())), true);
  }
  identify(ctx, std::move(*claims));
}

void accept_bearer(const Request& request, Context& ctx) {
  std::string_view token = bearer_token(request);
  if (token.empty()) return;
  if (auto claims = ctx.services.jwt.verify(token, auth::TokenKind::access, ctx.now))
    identify(ctx, std::move(*claims));
}

}  // namespace todo
