#include "core/json_body.hpp"

#include <algorithm>

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

std::string_view view_of(const rapidjson::Value& v) {
  return {v.GetString(), v.GetStringLength()};
}

// RapidJSON validates the bytes it reads, not what escapes decode to: a lone
// surrogate (\udc00) becomes bytes that are not UTF-8. And it keeps every
// member of an object whose key repeats, where other parsers keep the last:
// two readers of one body could disagree. So every string and key is checked
// once here, iteratively (the document may be deeply nested).
void check_text_and_keys(const rapidjson::Value& root) {
  std::vector<const rapidjson::Value*> pending{&root};
  std::vector<std::string_view> keys;
  while (!pending.empty()) {
    const rapidjson::Value& v = *pending.back();
    pending.pop_back();
    if (v.IsString() && !utf8_length(view_of(v)))
      throw HttpError(ErrorCode::invalid_json,
                      "The body holds text that is not valid UTF-8 (a lone surrogate escape?)");
    if (v.IsArray())
      for (const auto& item : v.GetArray()) pending.push_back(&item);
    if (!v.IsObject()) continue;
    keys.clear();
    for (const auto& member : v.GetObject()) {
      if (!utf8_length(view_of(member.name)))
        throw HttpError(ErrorCode::invalid_json, "The body has a key that is not valid UTF-8");
      keys.push_back(view_of(member.name));
      pending.push_back(&member.value);
    }
    std::ranges::sort(keys);
    if (auto twice = std::ranges::adjacent_find(keys); twice != keys.end())
      throw HttpError(ErrorCode::invalid_json,
                      "The body has the key \"" + std::string(*twice) + "\" more than once");
  }
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
  check_text_and_keys(doc);
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
  return text(field, *v);
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
  auto value = text(field, *v);
  if (!value) return std::nullopt;
  return std::optional<std::string>{std::move(*value)};
}

std::optional<std::string> FieldReader::text(const char* field, const rapidjson::Value& v) {
  if (!v.IsString()) {
    error(field, "Input should be a valid string", "string_type");
    return std::nullopt;
  }
  std::string_view value = view_of(v);
  // libpq and crypt take C strings: a NUL would silently cut the value short.
  if (value.find('\0') != std::string_view::npos) {
    error(field, "Input must not contain a NUL character", "value_error");
    return std::nullopt;
  }
  return std::string(value);
}

}  // namespace todo
