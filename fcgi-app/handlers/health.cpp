#include "core/json_writer.hpp"
#include "handlers/handlers.hpp"

namespace todo::handlers {

Response health(const Request&, Context& ctx) {
  bool database = ctx.services.store.ping();
  JsonWriter w;
  w.start_object();
  w.key("status").string(database ? "ok" : "degraded");
  w.key("database").string(database ? "ok" : "unavailable");
  w.end_object();
  Response r = Response::json(database ? 200 : 503, w.take());
  if (!database) r.set_header("Retry-After", "2");
  return r;
}

}  // namespace todo::handlers
