// libFuzzer target: a request body through the JSON reader and every field
// rule a handler applies (tasks: create and update; accounts: register,
// login, password change). The only exception allowed out is HttpError, and
// only with a 4xx status; anything else (std::bad_alloc aside) is a bug that
// would be a 500.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/http_error.hpp"
#include "core/json_body.hpp"
#include "handlers/account_rules.hpp"
#include "handlers/task_rules.hpp"

namespace {

void task_rules(todo::FieldReader& fields) {
  auto title = todo::read_title(fields, /*required=*/false);
  auto description = todo::read_description(fields);
  fields.boolean("completed");
  // What the rules let through is what the database accepts.
  if (title && (title->empty() || title->find('\0') != std::string::npos)) std::abort();
  if (description && *description && (*description)->find('\0') != std::string::npos) std::abort();
}

void account_rules(todo::FieldReader& fields) {
  auto email = todo::read_email(fields);
  todo::read_new_password(fields, "password");
  todo::read_given_password(fields, "current_password");
  todo::read_name(fields);
  if (email && email->find('@') == std::string::npos) std::abort();
}

void run(const todo::Request& request) {
  try {
    rapidjson::Document body = todo::parse_json_object(request, /*optional=*/true);
    todo::FieldReader tasks(body);
    task_rules(tasks);
    todo::FieldReader accounts(body);
    account_rules(accounts);
    tasks.finish();
    accounts.finish();
  } catch (const todo::HttpError& e) {
    int status = e.status();
    if (status < 400 || status >= 500) std::abort();
    // The 422 body quotes field names and messages: it must be built, too.
    if (todo::to_response(e).body.empty()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  todo::Request request;
  request.method = "POST";
  request.path = "/api/u/tasks";
  request.headers.emplace_back("content-type", "application/json; charset=utf-8");
  request.body.assign(reinterpret_cast<const char*>(data), size);
  run(request);
  return 0;
}
