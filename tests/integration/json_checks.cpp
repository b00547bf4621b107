#include "json_checks.hpp"

namespace todo::testing {

std::string text_of(const rapidjson::Value& object, const char* name) {
  if (!object.IsObject()) return "";
  auto it = object.FindMember(name);
  return it != object.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

std::string code_of(const HttpResponse& r) {
  return text_of(r.json(), "code");
}

std::string detail_of(const HttpResponse& r) {
  return text_of(r.json(), "detail");
}

bool names_field(const HttpResponse& r, const std::string& field, const char* where) {
  auto doc = r.json();
  if (r.status != 422 || text_of(doc, "code") != "VALIDATION_ERROR") return false;
  if (!doc["detail"].IsArray()) return false;
  for (const auto& entry : doc["detail"].GetArray()) {
    if (!entry.IsObject() || !entry.HasMember("loc") || !entry["loc"].IsArray()) continue;
    const auto& loc = entry["loc"];
    bool at_field = field.empty()
                        ? loc.Size() == 1
                        : loc.Size() == 2 && loc[1].IsString() && loc[1].GetString() == field;
    if (loc[0].IsString() && loc[0].GetString() == std::string(where) && at_field &&
        !text_of(entry, "msg").empty() && !text_of(entry, "type").empty())
      return true;
  }
  return false;
}

}  // namespace todo::testing
