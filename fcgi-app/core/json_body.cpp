#include "core/json_body.hpp"

#include "core/text.hpp"

namespace todo {

namespace {

// Iterative: a deeply nested array cannot overflow the stack. Validated: invalid
// UTF-8 is an error, not something to store. (Never kParseFullPrecisionFlag.)
constexpr unsigned kParseFlags =
    rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag;

bool is_json_content_type(std::string_view value) {
  std::string_view media = trim(value.substr(0, value.find(';')));
  return iequals(media, "application/json");
}

std::string as_string(const rapidjson::Value& v) {
  return std::string(v.GetString(), v.GetStringLength());
}

}  // namespace

bool parse_json(std::string_view text, rapidjson::Document& out) {
  out.Parse<kParseFlags>(text.data(), text.size());
  return !out.HasParseError();
}

rapidjson::Document parse_json_object(const Request& request, bool optional) {
  rapidjson::Document doc;
  if (trim(request.body).empty()) {
    if (!optional)
      throw HttpError::validation({"body", "", "Field required: send a JSON object", "missing"});
    doc.SetObject();
    return doc;
  }
  if (!is_json_content_type(request.header("content-type")))
    throw HttpError(ErrorCode::unsupported_media_type,
                    "Send the body as JSON with Content-Type: application/json");
  if (!parse_json(request.body, doc))
    throw HttpError(ErrorCode::invalid_json, "The body is not valid JSON in UTF-8");
  if (!doc.IsObject())
    throw HttpError::validation(
        {"body", "", "Input should be a valid dictionary or object", "model_attributes_type"});
  return doc;
}

const rapidjson::Value* FieldReader::find(const char* field) const {
  auto it = object_.FindMember(field);
  return it == object_.MemberEnd() ? nullptr : &it->value;
}

std::optional<std::string> FieldReader::string(const char* field, bool required) {
  const rapidjson::Value* v = find(field);
  if (!v || (required && v->IsNull())) {
    if (required) error(field, "Field required", "missing");
    return std::nullopt;
  }
  if (!v->IsString()) {
    error(field, "Input should be a valid string", "string_type");
    return std::nullopt;
  }
  return as_string(*v);
}

std::optional<bool> FieldReader::boolean(const char* field) {
  const rapidjson::Value* v = find(field);
  if (!v) return std::nullopt;
  if (!v->IsBool()) {
    error(field, "Input should be a valid boolean", "bool_type");
    return std::nullopt;
  }
  return v->GetBool();
}

std::optional<std::optional<std::string>> FieldReader::nullable_string(const char* field) {
  const rapidjson::Value* v = find(field);
  if (!v) return std::nullopt;
  if (v->IsNull()) return std::optional<std::string>{};
  if (!v->IsString()) {
    error(field, "Input should be a valid string", "string_type");
    return std::nullopt;
  }
  return std::optional<std::string>{as_string(*v)};
}

}  // namespace todo
