#include "app/app.hpp"

#include <chrono>
#include <ctime>

#include "app/guard.hpp"
#include "core/http_error.hpp"
#include "core/log.hpp"
#include "core/request_id.hpp"
#include "handlers/handlers.hpp"

namespace todo {

App::App() {
  namespace h = handlers;
  // Literal routes first: /api/auth/me must not be taken for /api/{user_id}/...
  router_.add("GET", "/api/health", {h::health, Access::open});
  router_.add("POST", "/api/auth/register", {h::register_user, Access::open});
  router_.add("POST", "/api/auth/login", {h::login, Access::open});
  router_.add("POST", "/api/auth/refresh", {h::refresh, Access::open});
  router_.add("POST", "/api/auth/logout", {h::logout, Access::optional});
  router_.add("GET", "/api/auth/me", {h::me, Access::bearer});
  router_.add("PUT", "/api/auth/password", {h::change_password, Access::bearer});
  router_.add("GET", "/api/{user_id}/tasks", {h::list_tasks, Access::bearer});
  router_.add("POST", "/api/{user_id}/tasks", {h::create_task, Access::bearer});
  router_.add("GET", "/api/{user_id}/tasks/{id}", {h::get_task, Access::bearer});
  router_.add("PUT", "/api/{user_id}/tasks/{id}", {h::update_task, Access::bearer});
  router_.add("DELETE", "/api/{user_id}/tasks/{id}", {h::delete_task, Access::bearer});
  router_.add("PATCH", "/api/{user_id}/tasks/{id}/complete", {h::toggle_task, Access::bearer});
}

Response App::dispatch(const Request& request, Context& ctx, std::string_view& route) const {
  auto result = router_.match(request.method, request.path);
  if (std::holds_alternative<Router<Route>::NotFound>(result))
    throw HttpError(ErrorCode::not_found, "Not Found");
  if (auto* wrong = std::get_if<Router<Route>::MethodNotAllowed>(&result))
    throw HttpError(ErrorCode::method_not_allowed, "Method Not Allowed")
        .with_header("Allow", wrong->allow);

  auto& match = std::get<Router<Route>::Match>(result);
  route = match.pattern;
  ctx.params = std::move(match.params);
  if (match.target->access == Access::bearer) require_bearer(request, ctx);
  if (match.target->access == Access::optional) accept_bearer(request, ctx);
  return match.target->handler(request, ctx);
}

Response App::handle(Request& request, Services& services,
                     const HttpError* refused) const noexcept {
  auto started = std::chrono::steady_clock::now();
  request.request_id = request_id_for(request.header("x-request-id"));
  Context ctx{services, {}, {}, {}, static_cast<std::int64_t>(std::time(nullptr))};
  std::string_view route;
  Response response;
  try {
    try {
      if (refused) throw *refused;
      response = dispatch(request, ctx, route);
    } catch (const HttpError& e) {
      response = to_response(e);
    } catch (const std::exception& e) {
      log_error(std::string("unhandled error on ") + std::string(route) + ": " + e.what());
      response = Response::json(500, R"({"detail":"Internal Server Error","code":"INTERNAL"})");
    }
    response.set_header("Cache-Control", "no-store");
    response.set_header("X-Request-Id", request.request_id);
    auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - started);
    log_access({request.request_id, request.method, route, response.status, elapsed, ctx.user_id});
  } catch (...) {
    // Out of memory while building an error: answer something rather than nothing.
    return Response{
        500, {{"Content-Type", "application/json"}}, R"({"detail":"Internal Server Error"})"};
  }
  return response;
}

}  // namespace todo
