#pragma once
// The errors a handler answers with, and their one table of statuses and codes.

#include <array>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
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
  bad_request,
  user_unknown,
  too_many_attempts,
  refresh_reused,
  refresh_stale,
  auth_unavailable,
};

// What an ErrorCode means on the wire: its status and its "code" in the body.
struct ErrorKind {
  ErrorCode code;
  int status;
  std::string_view name;
};

// In ErrorCode's order, so a code indexes its own row.
inline constexpr std::array kErrorKinds{
    ErrorKind{ErrorCode::invalid_json, 400, "INVALID_JSON"},
    ErrorKind{ErrorCode::unauthorized, 401, "UNAUTHORIZED"},
    ErrorKind{ErrorCode::token_expired, 401, "TOKEN_EXPIRED"},
    ErrorKind{ErrorCode::forbidden, 403, "FORBIDDEN"},
    ErrorKind{ErrorCode::not_found, 404, "NOT_FOUND"},
    ErrorKind{ErrorCode::method_not_allowed, 405, "METHOD_NOT_ALLOWED"},
    ErrorKind{ErrorCode::email_exists, 409, "EMAIL_EXISTS"},
    ErrorKind{ErrorCode::invalid_credentials, 401, "INVALID_CREDENTIALS"},
    ErrorKind{ErrorCode::payload_too_large, 413, "PAYLOAD_TOO_LARGE"},
    ErrorKind{ErrorCode::unsupported_media_type, 415, "UNSUPPORTED_MEDIA_TYPE"},
    ErrorKind{ErrorCode::validation_error, 422, "VALIDATION_ERROR"},
    ErrorKind{ErrorCode::rate_limited, 429, "RATE_LIMITED"},
    ErrorKind{ErrorCode::unavailable, 503, "UNAVAILABLE"},
    ErrorKind{ErrorCode::bad_request, 400, "BAD_REQUEST"},
    ErrorKind{ErrorCode::user_unknown, 401, "USER_UNKNOWN"},
    ErrorKind{ErrorCode::too_many_attempts, 429, "TOO_MANY_ATTEMPTS"},
    ErrorKind{ErrorCode::refresh_reused, 401, "REFRESH_REUSED"},
    ErrorKind{ErrorCode::refresh_stale, 401, "REFRESH_STALE"},
    ErrorKind{ErrorCode::auth_unavailable, 503, "AUTH_UNAVAILABLE"},
};

constexpr const ErrorKind& kind_of(ErrorCode code) {
  return kErrorKinds[static_cast<std::size_t>(code)];
}

static_assert(
    [] {
      for (std::size_t i = 0; i < kErrorKinds.size(); ++i)
        if (static_cast<std::size_t>(kErrorKinds[i].code) != i) return false;
      return true;
    }(),
    "kErrorKinds must list every ErrorCode in declaration order");

// One entry of a 422 body: {"loc": [where, field], "msg": ..., "type": ...}.
struct FieldError {
  std::string where;  // "body", "query" or "path"
  std::string field;  // may be empty when the whole body is at fault
  std::string msg;
  std::string type;
};

// Thrown by handlers and the request parsing they call; caught once, in the app.
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
  int status() const { return kind_of(code_).status; }
  const std::string& detail() const { return detail_; }
  const std::vector<FieldError>& fields() const { return fields_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }

 private:
  ErrorCode code_;
  std::string detail_;
  std::vector<FieldError> fields_;
  std::vector<std::pair<std::string, std::string>> headers_;
};

// {"detail": ..., "code": ...} with the status and extra headers of the error.
Response to_response(const HttpError& error);

}  // namespace todo
