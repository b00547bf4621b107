#pragma once
// The authentication guard: Authorization: Bearer <access token>, verified
// without touching the database.

#include "app/context.hpp"
#include "core/request.hpp"

namespace todo {

// Sets ctx.user_id and ctx.email from a valid access token; throws a 401
// HttpError (with WWW-Authenticate) otherwise.
void require_bearer(const Request& request, Context& ctx);

// The same when a token is given; nothing when none is, or it is not valid.
void accept_bearer(const Request& request, Context& ctx);

}  // namespace todo
