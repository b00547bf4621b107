#pragma once
// The core as one function: Request in, Response out. Routing, the
// authentication guard, error mapping, request ids and the access log.

#include "app/context.hpp"
#include "app/routes.hpp"
#include "core/http_error.hpp"
#include "core/router.hpp"

namespace todo {

class App {
 public:
  // Without local accounts, the routes of this service's own accounts
  // (register, login, refresh, password) do not exist: 404.
  explicit App(bool local_accounts = true);

  // Never throws: every failure becomes a JSON error response. `refused` is an
  // error the adapter found before the core saw the request (413, bad length).
  Response handle(Request& request, Services& services,
                  const HttpError* refused = nullptr) const noexcept;

 private:
  Response dispatch(const Request& request, Context& ctx, const RouteSpec*& route) const;

  Router<const RouteSpec*> router_;
};

}  // namespace todo
