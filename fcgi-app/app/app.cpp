#include "app/app.hpp"

#include <chrono>
#include <ctime>

#include "app/failure.hpp"
#include "app/guard.hpp"
#include "core/log.hpp"
#include "core/request_id.hpp"
#include "core/text.hpp"

namespace todo {

App::App(bool local_accounts) {
  for (const RouteSpec& route : routes())
    if (local_accounts || !route.local_accounts)
      router_.add(std::string(route.method), std::string(route.pattern), &route);
}

namespace {

// The headers anything in the app reads (X-Request-Id is sanitised instead):
// checked here once, so no handler, token check or SQL parameter sees bytes
// that are not text.
constexpr std::string_view kHeadersRead[] = {"authorization", "cookie",       "origin",
                                             "host",          "content-type", "user-agent"};

void check_headers(const Request& request) {
  for (std::string_view name : kHeadersRead)
    if (!is_clean_text(request.header(name)))
      throw HttpError(ErrorCode::bad_request,
                      "The " + std::string(name) + " header must be UTF-8 text without NUL");
}

// "GET, POST" -> "GET, HEAD, POST": wherever GET is allowed, so is HEAD.
std::string with_head(std::string allow) {
  if (auto get = allow.find("GET"); get != std::string::npos) allow.insert(get + 3, ", HEAD");
  return allow;
}

}  // namespace

Response App::dispatch(const Request& request, Context& ctx, const RouteSpec*& route) const {
  check_headers(request);
  // HEAD is GET without the body (RFC 9110 9.3.2): the adapter leaves it out.
  std::string_view method = request.method == "HEAD" ? "GET" : std::string_view(request.method);
  auto result = router_.match(method, request.path);
  if (std::holds_alternative<Router<const RouteSpec*>::NotFound>(result))
    throw HttpError(ErrorCode::not_found, "Not Found");
  if (auto* wrong = std::get_if<Router<const RouteSpec*>::MethodNotAllowed>(&result))
    throw HttpError(ErrorCode::method_not_allowed, "Method Not Allowed")
        .with_header("Allow", with_head(wrong->allow));

  auto& match = std::get<Router<const RouteSpec*>::Match>(result);
  const RouteSpec& spec = **match.target;
  route = &spec;
  ctx.params = std::move(match.params);
  if (spec.access == Access::bearer) require_bearer(request, ctx);
  if (spec.access == Access::optional) accept_bearer(request, ctx);
  return spec.handler(request, ctx);
}

Response App::handle(Request& request, Services& services,
                     const HttpError* refused) const noexcept {
  auto started = std::chrono::steady_clock::now();
  Context ctx(services, static_cast<std::int64_t>(std::time(nullptr)));
  const RouteSpec* route = nullptr;
  Response response;
  try {
    request.request_id = request_id_for(request.header("x-request-id"));
    try {
      if (refused) throw *refused;
      response = dispatch(request, ctx, route);
    } catch (...) {
      response = response_for_current_exception(route ? route->pattern : "");
    }
    response.set_header("Cache-Control", "no-store");
    response.set_header("X-Request-Id", request.request_id);
    auto elapsed = std::chrono::steady_clock::now() - started;
    std::string_view pattern = route ? route->pattern : "";
    log_access({request.request_id, request.method, pattern, response.status,
                std::chrono::duration_cast<std::chrono::microseconds>(elapsed), ctx.user_id});
    if (services.metrics)
      services.metrics->request(
          route ? static_cast<std::size_t>(route - routes().data()) : routes().size(),
          request.method, response.status, elapsed);
  } catch (...) {
    // Out of memory while building an error: answer something rather than nothing.
    return Response{
        500, {{"Content-Type", "application/json"}}, R"({"detail":"Internal Server Error"})"};
  }
  return response;
}

}  // namespace todo
