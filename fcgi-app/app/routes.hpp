#pragma once
// The service's routes: one table of method, path pattern, handler and access.

#include <span>
#include <string_view>

#include "app/context.hpp"

namespace todo {

enum class Access {
  open,      // no token needed
  optional,  // a valid bearer token, when given, identifies the caller
  bearer,    // a valid bearer token is required (401 otherwise)
};

struct RouteSpec {
  std::string_view method;
  std::string_view pattern;  // literal segments and {name} parameters
  Handler handler;
  Access access;
  bool local_accounts = false;  // this service's own accounts: gone with LOCAL_ACCOUNTS=off
};

// Every route, literal ones before parameterised ones that could match the
// same path (/api/auth/me before /api/{user_id}/...): the router tries them in
// this order.
std::span<const RouteSpec> routes();

}  // namespace todo
