#include "metrics/recorder.hpp"

#include <algorithm>

#include "metrics/exposition.hpp"

namespace todo::metrics {

static_assert(kAuthReasons.size() ==
                  static_cast<std::size_t>(auth::JwtError::issuer_unavailable) + 2,
              "kAuthReasons names each JwtError, in order, then \"missing\"");

namespace {

std::size_t method_index(std::string_view method) {
  auto it = std::ranges::find(kMethods, method);
  return it == kMethods.end() ? kMethods.size() - 1
                              : static_cast<std::size_t>(it - kMethods.begin());
}

std::size_t status_index(int status) {
  auto it = std::ranges::find(kStatuses, status);
  return static_cast<std::size_t>((it == kStatuses.end() ? kStatuses.end() - 1 : it) -
                                  kStatuses.begin());
}

}  // namespace

void Recorder::request(std::size_t route, std::string_view method, int status,
                       std::chrono::nanoseconds took) {
  route = std::min(route, kMaxRoutes - 1);
  add(slot_.requests[route][method_index(method)][status_index(status)]);
  observe(slot_.durations[route], took);
}

std::string Recorder::render(std::string_view version) {
  return metrics::render(block_, {routes_, listen_fd_, version});
}

void Recorder::token_refused(std::optional<auth::JwtError> why) {
  std::size_t reason = why ? static_cast<std::size_t>(*why) : kAuthReasons.size() - 1;
  add(slot_.auth_failures[std::min(reason, kAuthReasons.size() - 1)]);
}

}  // namespace todo::metrics
