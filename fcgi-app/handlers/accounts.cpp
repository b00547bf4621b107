// /api/auth: accounts and sign-in: register, log in, the account, its password.

#include "auth/random_id.hpp"
#include "core/http_error.hpp"
#include "core/json_body.hpp"
#include "handlers/account_rules.hpp"
#include "handlers/handlers.hpp"
#include "handlers/tokens.hpp"
#include "handlers/views.hpp"

namespace todo::handlers {

namespace {

HttpError invalid_credentials() {
  return HttpError(ErrorCode::invalid_credentials, "Invalid email or password");
}

// Refuses a password check for `email` before bcrypt runs while it is
// blocked: the same for an email no account has, so the answer tells nothing.
void check_not_blocked(Context& ctx, std::string_view email) {
  auto wait = ctx.services.store.sign_in_failures().blocked_for(email);
  if (wait.count() > 0)
    throw HttpError(ErrorCode::too_many_attempts,
                    "Too many wrong passwords for this account; wait before trying again")
        .with_header("Retry-After", std::to_string(wait.count()));
}

// True when `password` matches; costs one bcrypt either way, so the time
// taken does not tell whether the account exists. A wrong password counts
// against `email`, a right one clears its count.
bool password_matches(Context& ctx, std::string_view email, const std::optional<store::User>& user,
                      const std::string& password) {
  bool matches = false;
  {
    auto permit = ctx.services.bcrypt_gate.acquire();
    const auth::PasswordHasher& hasher = ctx.services.passwords;
    if (user && user->password_hash)
      matches = hasher.verify(password, *user->password_hash);
    else
      hasher.verify_dummy(password);
  }
  store::SignInFailures& failures = ctx.services.store.sign_in_failures();
  if (matches)
    failures.clear(email);
  else
    failures.failed(email);
  return matches;
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
  return new_session_answer(201, *user, request, ctx);
}

Response login(const Request& request, Context& ctx) {
  rapidjson::Document body = parse_json_object(request);
  FieldReader fields(body);
  auto email = read_email(fields);
  auto password = read_given_password(fields, "password");
  fields.finish();

  check_not_blocked(ctx, *email);
  store::Users& users = ctx.services.store.users();
  auto user = users.find_by_email(*email);
  if (!password_matches(ctx, *email, user, *password)) throw invalid_credentials();
  if (ctx.services.passwords.needs_rehash(*user->password_hash))
    users.set_password_hash(user->id, hash_password(ctx, *password));
  return new_session_answer(200, *user, request, ctx);
}

Response me(const Request&, Context& ctx) {
  return Response::json(200, user_json(existing_user(ctx, ctx.user_id)));
}

Response change_password(const Request& request, Context& ctx) {
  rapidjson::Document body = parse_json_object(request);
  FieldReader fields(body);
  auto current = read_given_password(fields, "current_password");
  auto replacement = read_new_password(fields, "new_password");
  fields.finish();

  // An external issuer's user has no password here to change.
  if (ctx.external) throw HttpError(ErrorCode::not_found, "Not Found");
  store::User user = existing_user(ctx, ctx.user_id);
  const std::string& email = *user.email;  // every local user has one
  check_not_blocked(ctx, email);
  if (!password_matches(ctx, email, user, *current))
    throw HttpError(ErrorCode::invalid_credentials, "Your current password is not correct");
  store::Store& store = ctx.services.store;
  if (!store.users().set_password_hash(user.id, hash_password(ctx, *replacement)))
    throw store::UnknownUser();
  // Every other session ends; this one goes on with a new refresh token.
  store.sessions().end_all(user.id, /*keep=*/ctx.session_id);
  std::string next = auth::random_uuid();
  if (!ctx.session_id.empty() &&
      store.sessions().renew(user.id, ctx.session_id, next, ctx.services.config.refresh_token_ttl))
    return session_answer(200, user, ctx.session_id, next, ctx);
  return new_session_answer(200, user, request, ctx);
}

}  // namespace todo::handlers
