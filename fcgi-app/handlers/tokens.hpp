#pragma once
// The token answer of register, login, refresh and password change, and the
// refresh cookie that goes with it.

#include <string>
#include <string_view>

#include "app/context.hpp"
#include "store/users.hpp"

namespace todo {

// __Secure-: browsers refuse the cookie unless it was set over HTTPS with Secure.
inline constexpr std::string_view kRefreshCookie = "__Secure-todo_refresh";

// {"access_token", "token_type", "expires_in", "user"} plus the refresh cookie.
Response token_answer(int status, const store::User& user, Context& ctx);

// A Set-Cookie value that removes the refresh cookie.
std::string cleared_refresh_cookie();

// The refresh token from the Cookie header, or "" when there is none.
std::string_view refresh_cookie_of(const Request& request);

}  // namespace todo
