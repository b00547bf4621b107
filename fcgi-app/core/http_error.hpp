#pragma once
// The few kinds of error the core raises, and their one mapping to HTTP.

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/response.hpp"

namespace todo {

enum class ErrorCode {
  invalid_json,
  unauthorized,
  token_expired,
  forbidden,
  not_found,
  method_not_allowed,
  email_exists,
  invalid_credentials,
  payload_too_large,
  unsupported_media_type,
  validation_error,
  rate_limited,
  unavailable,
};

// One entry of a 422 body: {"loc": [where, field], "msg": ..., "type": ...}.
struct FieldError {
  std::string where;  // "body", "query" or "path"
  std::string field;  // may be empty when the whole body is at fault
  std::string msg;
  std::string type;
};

// Thrown by handlers and the layers below them; caught once, in the dispatcher.
class HttpError : public std::runtime_error {
 public:
  HttpError(ErrorCode code, std::string detail)
      : std::runtime_error(detail), code_(code), detail_(std::move(detail)) {}

  static HttpError validation(std::vector<FieldError> fields);
  static HttpError validation(FieldError field) {
    return validation(std::vector{std::move(field)});
  }

  HttpError&& with_header(std::string name, std::string value) && {
    headers_.emplace_back(std::move(name), std::move(value));
    return std::move(*this);
  }

  ErrorCode code() const { return code_; }
  const std::string& detail() const { return detail_; }
  const std::vector<FieldError>& fields() const { return fields_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

 private:
  ErrorCode code_;
  std::string detail_;
  std::vector<FieldError> fields_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

int status_of(ErrorCode code);
const char* name_of(ErrorCode code);

// {"detail": ..., "code": ...} with the status and extra headers of the error.
Response to_response(const HttpError& error);

// The database cannot be reached: 503 with Retry-After.
HttpError unavailable();

}  // namespace todo
