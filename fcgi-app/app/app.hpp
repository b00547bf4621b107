#pragma once
// The core as one function: Request in, Response out. Routing, the
// authentication guard, error mapping, request ids and the access log.

#include "core/http_error.hpp"
#include "core/router.hpp"
#include "handlers/context.hpp"

namespace todo {

enum class Access {
  open,      // no token needed
  optional,  // a valid bearer token, when given, identifies the caller
  bearer,    // a valid bearer token is required (401 otherwise)
};

struct Route {
  Handler handler;
  Access access;
};

class App {
 public:
  App();

  // Never throws: every failure becomes a JSON error response. `refused` is an
  // error the adapter found before the core saw the request (413, bad length).
  Response handle(Request& request, Services& services,
                  const HttpError* refused = nullptr) const noexcept;

 private:
  Response dispatch(const Request& request, Context& ctx, std::string_view& route) const;

  Router<Route> router_;
};

}  // namespace todo
