// libFuzzer target: the query-string parser and the task list's parameter
// rules (status, sort, order, q, limit, offset) on a raw query string.
//
// Properties checked: no crash; the only exception is a 422 HttpError; what
// read_task_query accepts is within the documented ranges.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "core/http_error.hpp"
#include "core/query_string.hpp"
#include "handlers/task_rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  todo::Request request;
  request.method = "GET";
  request.query.assign(reinterpret_cast<const char*>(data), size);

  if (auto params = todo::parse_query(request.query))
    for (const auto& [name, value] : *params) todo::query_value(*params, name);

  try {
    todo::store::TaskQuery q = todo::read_task_query(request);
    if (q.limit < 1 || q.limit > 500 || q.offset < 0) std::abort();
    if (q.search && (q.search->empty() || q.search->find('\0') != std::string::npos)) std::abort();
  } catch (const todo::HttpError& e) {
    if (e.status() != 422) std::abort();
    todo::to_response(e);
  }
  return 0;
}
