#pragma once
// Reading a request's JSON body: content type, UTF-8, depth-safe parsing, and
// typed access to fields that collects FastAPI-style 422 errors.

#include <rapidjson/document.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/http_error.hpp"
#include "core/request.hpp"

namespace todo {

// Parses any JSON text strictly (iterative, so deep nesting cannot overflow the
// stack; UTF-8 validated). Returns false on error.
bool parse_json(std::string_view text, rapidjson::Document& out);

// Parses the body as a JSON object. Throws HttpError: 415 for a non-JSON
// content type; 400 for invalid JSON, text that is not UTF-8 (lone surrogate
// escapes included) or a key given twice in one object; 422 when the body is
// missing or not an object. An empty body is {} when `optional` is set.
rapidjson::Document parse_json_object(const Request& request, bool optional = false);

// Typed access to an object's fields. A wrong type, or a string holding NUL,
// records a 422 entry naming the field and yields nullopt; finish() throws
// them all at once.
class FieldReader {
 public:
  explicit FieldReader(const rapidjson::Value& object) : object_(object) {}

  std::optional<std::string> string(const char* field, bool required);
  std::optional<bool> boolean(const char* field);
  // nullopt: absent; optional(nullopt): explicitly null.
  std::optional<std::optional<std::string>> nullable_string(const char* field);

  void error(std::string field, std::string msg, std::string type) {
    errors_.push_back({"body", std::move(field), std::move(msg), std::move(type)});
  }
  // "<What> must be at most <limit> characters".
  void too_long(std::string field, std::string_view what, std::size_t limit) {
    error(std::move(field),
          std::string(what) + " must be at most " + std::to_string(limit) + " characters",
          "string_too_long");
  }
  bool ok() const { return errors_.empty(); }
  void finish() const {
    if (!errors_.empty()) throw HttpError::validation(errors_);
  }

 private:
  const rapidjson::Value* find(const char* field) const;
  std::optional<std::string> text(const char* field, const rapidjson::Value& v);

  const rapidjson::Value& object_;
  std::vector<FieldError> errors_;
};

}  // namespace todo
