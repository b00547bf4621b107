#include "handlers/tokens.hpp"

#include "auth/random_id.hpp"
#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "handlers/device.hpp"
#include "handlers/views.hpp"

namespace todo {

namespace {

// Path=/api/auth: the browser sends it to the auth routes only, never to task routes.
std::string refresh_cookie(std::string_view token, std::int64_t max_age) {
  return std::string(kRefreshCookie) + "=" + std::string(token) +
         "; Path=/api/auth; Max-Age=" + std::to_string(max_age) +
         "; HttpOnly; Secure; SameSite=Strict";
}

}  // namespace

Response new_session_answer(int status, const store::User& user, const Request& request,
                            Context& ctx) {
  std::string token_id = auth::random_uuid();
  std::string session_id =
      ctx.services.store.sessions().open(user.id, device_label(request.header("user-agent")),
                                         token_id, ctx.services.config.refresh_token_ttl);
  return session_answer(status, user, session_id, token_id, ctx);
}

Response session_answer(int status, const store::User& user, std::string_view session_id,
                        std::string_view token_id, Context& ctx) {
  auth::JwtCodec& jwt = ctx.services.jwt;
  auth::TokenClaims claims{user.id, user.email.value_or(""), std::string(session_id), "", 0, 0};
  std::string access = jwt.issue(auth::TokenKind::access, claims, ctx.now);
  claims.token_id = token_id;
  std::string refresh = jwt.issue(auth::TokenKind::refresh, claims, ctx.now);

  JsonWriter w;
  w.start_object();
  w.key("access_token").string(access);
  w.key("token_type").string("bearer");
  w.key("expires_in").integer(ctx.services.config.access_token_ttl.count());
  w.key("user");
  write_user(w, user);
  w.end_object();
  Response r = Response::json(status, w.take());
  r.add_header("Set-Cookie",
               refresh_cookie(refresh, ctx.services.config.refresh_token_ttl.count()));
  return r;
}

store::User existing_user(Context& ctx, std::string_view user_id) {
  auto user = ctx.services.store.users().find_by_id(user_id);
  if (!user) throw store::UnknownUser();
  return *user;
}

std::string cleared_refresh_cookie() {
  return refresh_cookie("", 0);
}

std::string_view refresh_cookie_of(const Request& request) {
  std::string_view cookies = request.header("cookie");
  while (!cookies.empty()) {
    std::size_t semi = cookies.find(';');
    std::string_view pair = trim(cookies.substr(0, semi));
    cookies = semi == std::string_view::npos ? std::string_view{} : cookies.substr(semi + 1);
    std::size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == kRefreshCookie)
      return pair.substr(eq + 1);
  }
  return {};
}

}  // namespace todo
