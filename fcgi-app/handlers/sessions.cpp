// /api/auth: sessions behind the refresh cookie: refresh, log out, the
// caller's sessions.

#include <algorithm>

#include "auth/random_id.hpp"
#include "core/http_error.hpp"
#include "core/json_body.hpp"
#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "handlers/handlers.hpp"
#include "handlers/tokens.hpp"
#include "handlers/views.hpp"

namespace todo::handlers {

namespace {

// The refresh cookie is removed with the refusal unless the browser may hold
// a newer one that the removal would destroy (REFRESH_STALE).
HttpError refresh_refused(ErrorCode code, std::string detail, bool clear_cookie = true) {
  HttpError e(code, std::move(detail));
  if (!clear_cookie) return e;
  return std::move(e).with_header("Set-Cookie", cleared_refresh_cookie());
}

// Cookie routes refuse a foreign Origin. Browsers send Origin on every POST;
// clients that send none (curl) are not a CSRF vector.
void check_origin(const Request& request, const Config& config) {
  std::string_view origin = request.header("origin");
  if (origin.empty()) return;
  bool allowed =
      config.allowed_origins.empty()
          ? origin == "https://" + std::string(request.header("host"))
          : std::ranges::find(config.allowed_origins, origin) != config.allowed_origins.end();
  if (!allowed)
    throw HttpError(ErrorCode::forbidden,
                    "This request must come from the application's own origin");
}

// Who the refresh cookie speaks for, when it is the current token of a live
// session: a rotated, revoked or forged cookie speaks for nobody.
struct CookieSession {
  std::string user_id, session_id;
};

std::optional<CookieSession> cookie_session(const Request& request, Context& ctx) {
  std::string_view token = refresh_cookie_of(request);
  if (token.empty()) return std::nullopt;
  check_origin(request, ctx.services.config);
  auto claims = ctx.services.jwt.verify(token, auth::TokenKind::refresh, ctx.now);
  if (!claims || !ctx.services.store.sessions().is_current(claims->user_id, claims->session_id,
                                                           claims->token_id))
    return std::nullopt;
  return CookieSession{claims->user_id, claims->session_id};
}

}  // namespace

Response refresh(const Request& request, Context& ctx) {
  check_origin(request, ctx.services.config);
  std::string_view token = refresh_cookie_of(request);
  if (token.empty()) throw refresh_refused(ErrorCode::unauthorized, "No session: log in again");
  auto claims = ctx.services.jwt.verify(token, auth::TokenKind::refresh, ctx.now);
  if (!claims)
    throw refresh_refused(ErrorCode::unauthorized, "Your session has expired: log in again");

  const Config& config = ctx.services.config;
  std::string next = auth::random_uuid();
  switch (ctx.services.store.sessions().rotate(claims->user_id, claims->session_id,
                                               claims->token_id, next, config.refresh_token_ttl,
                                               config.refresh_reuse_grace)) {
    case store::Rotation::rotated:
      return session_answer(200, existing_user(ctx, claims->user_id), claims->session_id, next,
                            ctx);
    case store::Rotation::stale:
      throw refresh_refused(ErrorCode::refresh_stale,
                            "This session was just refreshed by another request: use the newer "
                            "refresh cookie",
                            /*clear_cookie=*/false);
    case store::Rotation::reused:
      throw refresh_refused(ErrorCode::refresh_reused,
                            "This refresh token was already used, so the session was ended to "
                            "protect it: log in again");
    case store::Rotation::ended:
      break;
  }
  throw refresh_refused(ErrorCode::unauthorized, "Your session was ended: log in again");
}

Response logout(const Request& request, Context& ctx) {
  rapidjson::Document body = parse_json_object(request, /*optional=*/true);
  FieldReader fields(body);
  bool everywhere = fields.boolean("all").value_or(false);
  fields.finish();

  // A valid access token or the current token of a live session identify the
  // caller; a spent or revoked cookie can end nothing.
  auto cookie = cookie_session(request, ctx);
  store::Sessions& sessions = ctx.services.store.sessions();
  if (everywhere) {
    std::string user_id = !ctx.user_id.empty() ? ctx.user_id : cookie ? cookie->user_id : "";
    if (user_id.empty())
      throw HttpError(ErrorCode::unauthorized, "Log in to log out everywhere")
          .with_header("WWW-Authenticate", "Bearer");
    sessions.end_all(user_id, /*keep=*/"");
  } else if (cookie) {
    sessions.end(cookie->user_id, cookie->session_id);
  } else if (!ctx.session_id.empty()) {
    sessions.end(ctx.user_id, ctx.session_id);
  }
  Response r = Response::json(200, message_json("Logged out successfully"));
  r.add_header("Set-Cookie", cleared_refresh_cookie());
  return r;
}

Response list_sessions(const Request&, Context& ctx) {
  JsonWriter w;
  w.start_array();
  for (const store::Session& s : ctx.services.store.sessions().live(ctx.user_id))
    write_session(w, s, s.id == ctx.session_id);
  w.end_array();
  return Response::json(200, w.take());
}

Response end_session(const Request&, Context& ctx) {
  std::string_view id = ctx.params.get("id");
  // Another user's session is as unknown as one that never was.
  if (!is_uuid(id) || !ctx.services.store.sessions().end(ctx.user_id, id))
    throw HttpError(ErrorCode::not_found, "Not Found");
  return Response::json(200, message_json("Session ended"));
}

}  // namespace todo::handlers
