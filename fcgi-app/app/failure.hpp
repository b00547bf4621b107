#pragma once
// The one place where whatever stopped a request becomes an HTTP answer: the
// handlers' HttpError as it is, the layers below them (an unreachable
// database, a full bcrypt gate) by what they mean to a client, anything else
// as a logged 500.

#include <string_view>

#include "core/response.hpp"

namespace todo {

// The response for the exception being handled; call it only inside a catch
// block. `route` names the route in the log line of an unexpected error.
Response response_for_current_exception(std::string_view route);

}  // namespace todo
