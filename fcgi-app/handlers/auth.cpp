// /api/auth/*: accounts, sign-in and tokens.

#include <algorithm>

#include "core/http_error.hpp"
#include "core/json_body.hpp"
#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "handlers/account_rules.hpp"
#include "handlers/handlers.hpp"
#include "handlers/tokens.hpp"
#include "handlers/views.hpp"
#include "store/users.hpp"

namespace todo::handlers {

namespace {

HttpError invalid_credentials() {
  return HttpError(ErrorCode::invalid_credentials, "Invalid email or password");
}

HttpError refresh_refused(std::string detail) {
  return HttpError(ErrorCode::unauthorized, std::move(detail))
      .with_header("Set-Cookie", cleared_refresh_cookie());
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

// True when `password` matches; costs one bcrypt either way, so the time
// taken does not tell whether the account exists.
bool password_matches(Context& ctx, const std::optional<store::User>& user,
                      const std::string& password) {
  auto permit = ctx.services.bcrypt_gate.acquire();
  const auth::PasswordHasher& hasher = ctx.services.passwords;
  if (!user || !user->password_hash) {
    hasher.verify_dummy(password);
    return false;
  }
  return hasher.verify(password, *user->password_hash);
}

std::string hash_password(Context& ctx, const std::string& password) {
  auto permit = ctx.services.bcrypt_gate.acquire();
  return ctx.services.passwords.hash(password);
}

}  // namespace

Response register_user(const Request& request, Context& ctx) {
  rapidjson::Document body = parse_json_object(request);
  FieldReader fields(body);
  auto email = read_email(fields);
  auto password = read_new_password(fields, "password");
  auto name = read_name(fields);
  fields.finish();

  std::string hash = hash_password(ctx, *password);
  auto user = ctx.services.store.users().create(*email, name, hash);
  if (!user)
    throw HttpError(ErrorCode::email_exists,
                    "An account with this email already exists; log in instead");
  return token_answer(201, *user, ctx);
}

Response login(const Request& request, Context& ctx) {
  rapidjson::Document body = parse_json_object(request);
  FieldReader fields(body);
  auto email = read_email(fields);
  auto password = read_given_password(fields, "password");
  fields.finish();

  store::Users& users = ctx.services.store.users();
  auto user = users.find_by_email(*email);
  if (!password_matches(ctx, user, *password)) throw invalid_credentials();
  if (ctx.services.passwords.needs_rehash(*user->password_hash))
    users.rehash_password(user->id, hash_password(ctx, *password));
  return token_answer(200, *user, ctx);
}

Response refresh(const Request& request, Context& ctx) {
  check_origin(request, ctx.services.config);
  std::string_view token = refresh_cookie_of(request);
  if (token.empty()) throw refresh_refused("No session: log in again");
  auto claims = ctx.services.jwt.verify(token, auth::TokenKind::refresh, ctx.now);
  if (!claims) throw refresh_refused("Your session has expired: log in again");
  auto user = ctx.services.store.users().find_by_id(claims->user_id);
  if (!user || user->token_version != claims->token_version)
    throw refresh_refused("Your session was ended: log in again");
  ctx.user_id = user->id;
  return token_answer(200, *user, ctx);
}

Response logout(const Request& request, Context& ctx) {
  rapidjson::Document body = parse_json_object(request, /*optional=*/true);
  FieldReader fields(body);
  bool everywhere = fields.boolean("all").value_or(false);
  fields.finish();

  if (everywhere) {
    // Whoever holds a valid access token or refresh cookie may end every session.
    std::string user_id = ctx.user_id;
    if (user_id.empty()) {
      check_origin(request, ctx.services.config);
      if (auto claims = ctx.services.jwt.verify(refresh_cookie_of(request),
                                                auth::TokenKind::refresh, ctx.now))
        user_id = claims->user_id;
    }
    if (user_id.empty())
      throw HttpError(ErrorCode::unauthorized, "Log in to log out everywhere")
          .with_header("WWW-Authenticate", "Bearer");
    ctx.services.store.users().bump_token_version(user_id);
  }
  Response r = Response::json(200, message_json("Logged out successfully"));
  r.add_header("Set-Cookie", cleared_refresh_cookie());
  return r;
}

Response me(const Request&, Context& ctx) {
  auto user = ctx.services.store.users().find_by_id(ctx.user_id);
  if (!user) throw store::UnknownUser();
  return Response::json(200, user_json(*user));
}

Response change_password(const Request& request, Context& ctx) {
  rapidjson::Document body = parse_json_object(request);
  FieldReader fields(body);
  auto current = read_given_password(fields, "current_password");
  auto replacement = read_new_password(fields, "new_password");
  fields.finish();

  store::Users& users = ctx.services.store.users();
  auto user = users.find_by_id(ctx.user_id);
  if (!user) throw store::UnknownUser();
  if (!password_matches(ctx, user, *current))
    throw HttpError(ErrorCode::invalid_credentials, "Your current password is not correct");
  auto version = users.change_password(user->id, hash_password(ctx, *replacement));
  if (!version) throw store::UnknownUser();
  user->token_version = *version;
  return token_answer(200, *user, ctx);
}

}  // namespace todo::handlers
