// GET /metrics: the pool's metrics, for Prometheus. nginx serves it to the
// addresses snippets/todo-fcgi/metrics-allow.conf lists, never under /api/.

#include "core/http_error.hpp"
#include "handlers/handlers.hpp"
#include "metrics/exposition.hpp"

namespace todo::handlers {

Response metrics(const Request&, Context& ctx) {
  metrics::Recorder* recorder = ctx.services.metrics;
  if (!recorder) throw HttpError(ErrorCode::not_found, "Not Found");  // an app without a pool
  Response r{200, {}, recorder->render(TODO_VERSION)};
  r.add_header("Content-Type", std::string(metrics::kContentType));
  return r;
}

}  // namespace todo::handlers
