// /api/{user_id}/tasks...: one user's tasks.

#include "store/tasks.hpp"

#include "core/http_error.hpp"
#include "core/json_body.hpp"
#include "core/json_writer.hpp"
#include "core/text.hpp"
#include "handlers/handlers.hpp"
#include "handlers/task_rules.hpp"
#include "handlers/views.hpp"

namespace todo::handlers {

namespace {

// The path's user must be the token's: 403 otherwise.
std::string_view own_user_id(const Context& ctx) {
  std::string_view path_user = ctx.params.get("user_id");
  if (path_user != ctx.user_id)
    throw HttpError(ErrorCode::forbidden, "You can only access your own tasks");
  return path_user;
}

HttpError task_not_found() {
  return HttpError(ErrorCode::not_found, "Not Found");
}

// A malformed id is "not found" like any other unknown id.
std::string_view task_id(const Context& ctx) {
  std::string_view id = ctx.params.get("id");
  if (!is_uuid(id)) throw task_not_found();
  return id;
}

Response task_response(int status, const std::optional<store::Task>& task) {
  if (!task) throw task_not_found();
  return Response::json(status, task_json(*task));
}

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace

Response list_tasks(const Request& request, Context& ctx) {
  std::string_view user_id = own_user_id(ctx);
  store::TaskQuery query = read_task_query(request);
  store::TaskPage page = ctx.services.store.tasks().list(user_id, query);
  Response r = Response::json(200, tasks_json(page.tasks));
  r.set_header("X-Total-Count", std::to_string(page.total));
  return r;
}

Response create_task(const Request& request, Context& ctx) {
  std::string_view user_id = own_user_id(ctx);
  rapidjson::Document body = parse_json_object(request);
  FieldReader fields(body);
  auto title = read_title(fields, /*required=*/true);
  auto description = read_description(fields);
  fields.finish();

  store::Task task =
      ctx.services.store.tasks().create(user_id, *title, description.value_or(std::nullopt));
  Response r = Response::json(201, task_json(task));
  r.set_header("Location", "/api/" + percent_encode(user_id) + "/tasks/" + task.id);
  return r;
}

Response get_task(const Request&, Context& ctx) {
  std::string_view user_id = own_user_id(ctx);
  return task_response(200, ctx.services.store.tasks().find(user_id, task_id(ctx)));
}

Response update_task(const Request& request, Context& ctx) {
  std::string_view user_id = own_user_id(ctx);
  std::string_view id = task_id(ctx);
  rapidjson::Document body = parse_json_object(request);
  FieldReader fields(body);
  store::TaskChanges changes;
  changes.title = read_title(fields, /*required=*/false);
  changes.description = read_description(fields);
  changes.completed = fields.boolean("completed");
  fields.finish();
  return task_response(200, ctx.services.store.tasks().update(user_id, id, changes));
}

Response delete_task(const Request&, Context& ctx) {
  std::string_view user_id = own_user_id(ctx);
  if (!ctx.services.store.tasks().remove(user_id, task_id(ctx))) throw task_not_found();
  return Response::json(200, message_json("Task deleted successfully"));
}

Response toggle_task(const Request&, Context& ctx) {
  std::string_view user_id = own_user_id(ctx);
  return task_response(200, ctx.services.store.tasks().toggle(user_id, task_id(ctx)));
}

}  // namespace todo::handlers
