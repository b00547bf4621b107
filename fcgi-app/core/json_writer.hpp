#pragma once
// A small fluent wrapper over RapidJSON's Writer, so response bodies read like
// the JSON they produce.

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace todo {

class JsonWriter {
 public:
  // RapidJSON's buffer starts at 256 bytes and grows by half: a page of 20
  // tasks (about 5 KiB) would be copied eight times on the way.
  JsonWriter() : buffer_(nullptr, 8192), writer_(buffer_) {}

  JsonWriter& start_object() { return ok(writer_.StartObject()); }
  JsonWriter& end_object() { return ok(writer_.EndObject()); }
  JsonWriter& start_array() { return ok(writer_.StartArray()); }
  JsonWriter& end_array() { return ok(writer_.EndArray()); }
  JsonWriter& key(std::string_view k) {
    return ok(writer_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())));
  }
  JsonWriter& string(std::string_view s) {
    return ok(writer_.String(s.data(), static_cast<rapidjson::SizeType>(s.size())));
  }
  JsonWriter& string_or_null(const std::optional<std::string>& s) {
    return s ? string(*s) : null();
  }
  JsonWriter& boolean(bool b) { return ok(writer_.Bool(b)); }
  JsonWriter& integer(std::int64_t i) { return ok(writer_.Int64(i)); }
  JsonWriter& null() { return ok(writer_.Null()); }

  // The finished document; the writer is spent afterwards.
  std::string take() { return std::string(buffer_.GetString(), buffer_.GetSize()); }

 private:
  JsonWriter& ok(bool) { return *this; }

  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> writer_;
};

// {"message": "..."}: the small body of answers that have nothing else to say.
inline std::string message_json(std::string_view message) {
  JsonWriter w;
  w.start_object().key("message").string(message).end_object();
  return w.take();
}

}  // namespace todo
