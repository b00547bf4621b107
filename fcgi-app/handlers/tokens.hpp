#pragma once
// The token answer of register, login, refresh and password change, the
// session behind it, and the refresh cookie that names them.

#include <string>
#include <string_view>

#include "app/context.hpp"
#include "store/users.hpp"

namespace todo {

// __Secure-: browsers refuse the cookie unless it was set over HTTPS with Secure.
inline constexpr std::string_view kRefreshCookie = "__Secure-todo_refresh";

// Opens a session for `user` on the device the request comes from, and
// answers {"access_token", "token_type", "expires_in", "user"} with its
// refresh cookie.
Response new_session_answer(int status, const store::User& user, const Request& request,
                            Context& ctx);

// The same for a session that goes on: `token_id` is its new current refresh
// token (already stored).
Response session_answer(int status, const store::User& user, std::string_view session_id,
                        std::string_view token_id, Context& ctx);

// The user a token or session names; store::UnknownUser when the account is gone.
store::User existing_user(Context& ctx, std::string_view user_id);

// A Set-Cookie value that removes the refresh cookie.
std::string cleared_refresh_cookie();

// The refresh token from the Cookie header, or "" when there is none.
std::string_view refresh_cookie_of(const Request& request);

}  // namespace todo
