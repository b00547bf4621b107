#include "core/http_error.hpp"

#include "core/json_writer.hpp"

namespace todo {

HttpError HttpError::validation(std::vector<FieldError> fields) {
  HttpError e(ErrorCode::validation_error, fields.empty() ? "Invalid request" : fields.front().msg);
  e.fields_ = std::move(fields);
  return e;
}

int status_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_json:
      return 400;
    case ErrorCode::unauthorized:
    case ErrorCode::token_expired:
    case ErrorCode::invalid_credentials:
      return 401;
    case ErrorCode::forbidden:
      return 403;
    case ErrorCode::not_found:
      return 404;
    case ErrorCode::method_not_allowed:
      return 405;
    case ErrorCode::email_exists:
      return 409;
    case ErrorCode::payload_too_large:
      return 413;
    case ErrorCode::unsupported_media_type:
      return 415;
    case ErrorCode::validation_error:
      return 422;
    case ErrorCode::rate_limited:
      return 429;
    case ErrorCode::unavailable:
      return 503;
  }
  return 500;
}

const char* name_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_json:
      return "INVALID_JSON";
    case ErrorCode::unauthorized:
      return "UNAUTHORIZED";
    case ErrorCode::token_expired:
      return "TOKEN_EXPIRED";
    case ErrorCode::forbidden:
      return "FORBIDDEN";
    case ErrorCode::not_found:
      return "NOT_FOUND";
    case ErrorCode::method_not_allowed:
      return "METHOD_NOT_ALLOWED";
    case ErrorCode::email_exists:
      return "EMAIL_EXISTS";
    case ErrorCode::invalid_credentials:
      return "INVALID_CREDENTIALS";
    case ErrorCode::payload_too_large:
      return "PAYLOAD_TOO_LARGE";
    case ErrorCode::unsupported_media_type:
      return "UNSUPPORTED_MEDIA_TYPE";
    case ErrorCode::validation_error:
      return "VALIDATION_ERROR";
    case ErrorCode::rate_limited:
      return "RATE_LIMITED";
    case ErrorCode::unavailable:
      return "UNAVAILABLE";
  }
  return "INTERNAL";
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
  w.key("code").string(name_of(error.code())).end_object();
  Response r = Response::json(status_of(error.code()), w.take());
  for (const auto& [name, value] : error.headers()) r.set_header(name, value);
  return r;
}

HttpError unavailable() {
  return HttpError(ErrorCode::unavailable,
                   "The service cannot reach its database right now; try again in a few seconds")
      .with_header("Retry-After", "2");
}

}  // namespace todo
