#include "core/http_error.hpp"

#include "core/json_writer.hpp"

namespace todo {

HttpError HttpError::validation(std::vector<FieldError> fields) {
  HttpError e(ErrorCode::validation_error, fields.empty() ? "Invalid request" : fields.front().msg);
  e.fields_ = std::move(fields);
  return e;
}

namespace {

void write_field_errors(JsonWriter& w, const std::vector<FieldError>& fields) {
  w.start_array();
  for (const auto& f : fields) {
    w.start_object();
    w.key("loc").start_array().string(f.where);
    if (!f.field.empty()) w.string(f.field);
    w.end_array();
    w.key("msg").string(f.msg);
    w.key("type").string(f.type);
    w.end_object();
  }
  w.end_array();
}

}  // namespace

Response to_response(const HttpError& error) {
  JsonWriter w;
  w.start_object().key("detail");
  if (error.code() == ErrorCode::validation_error)
    write_field_errors(w, error.fields());
  else
    w.string(error.detail());
  w.key("code").string(kind_of(error.code()).name).end_object();
  Response r = Response::json(error.status(), w.take());
  for (const auto& [name, value] : error.headers()) r.add_header(name, value);
  return r;
}

}  // namespace todo
