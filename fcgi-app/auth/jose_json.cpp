#include "auth/jose_json.hpp"

#include <algorithm>
#include <cstring>
#include <limits>

#include "auth/base64url.hpp"

namespace todo::auth {
namespace {

// Iterative: no recursion, so nesting depth cannot overflow the stack (PITFALLS).
// Validate encoding: invalid UTF-8 is refused. In situ: strings are decoded inside our scratch
// buffer, so keys and values stay valid as string_views for the whole parse, without copies.
constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag |
                                 rapidjson::kParseValidateEncodingFlag |
                                 rapidjson::kParseInsituFlag;

constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();

enum class JsonType { null_or_bool, integer, other_number, string, object, array };

struct JsonValue {
  JsonValue(JsonType t, std::int64_t i = 0, std::string_view s = {})
      : type(t), integer(i), text(s) {}
  JsonType type;
  std::int64_t integer;
  std::string_view text;
};

// Walks a document that must be one JSON object, hands each top-level member to
// Derived::member(key, value) and each element of a top-level array to
// Derived::element(key, value); records the keys to refuse duplicates. A Derived handler
// returning false stops the parse.
template <class Derived>
class ObjectHandler {
 public:
  explicit ObjectHandler(std::vector<std::string_view>& keys) : keys_(keys) { keys_.clear(); }

  bool Null() { return value({JsonType::null_or_bool}); }
  bool Bool(bool) { return value({JsonType::null_or_bool}); }
  bool Int(int i) { return value({JsonType::integer, i}); }
  bool Uint(unsigned u) { return value({JsonType::integer, u}); }
  bool Int64(std::int64_t i) { return value({JsonType::integer, i}); }
  bool Uint64(std::uint64_t u) {
    if (u > static_cast<std::uint64_t>(kMaxInt)) return value({JsonType::other_number});
    return value({JsonType::integer, static_cast<std::int64_t>(u)});
  }
  bool Double(double) { return value({JsonType::other_number}); }
  bool RawNumber(const char*, rapidjson::SizeType, bool) { return value({JsonType::other_number}); }
  bool String(const char* s, rapidjson::SizeType n, bool) {
    return value({JsonType::string, 0, {s, n}});
  }
  bool StartObject() { return open(JsonType::object); }
  bool EndObject(rapidjson::SizeType) { return close(); }
  bool StartArray() { return open(JsonType::array); }
  bool EndArray(rapidjson::SizeType) { return close(); }
  bool Key(const char* s, rapidjson::SizeType n, bool) {
    if (depth_ == 1) {
      key_ = {s, n};
      keys_.push_back(key_);
    }
    return true;
  }

  // True when the whole document was one object without duplicate top-level keys.
  bool complete() const { return complete_; }

 private:
  Derived& derived() { return static_cast<Derived&>(*this); }

  bool value(const JsonValue& v) {
    if (depth_ == 0) return false;  // the root must be an object
    if (depth_ == 1) return derived().member(key_, v);
    if (depth_ == 2 && in_top_array_) return derived().element(key_, v);
    return true;  // inside a member's nested value: not ours to judge
  }

  bool open(JsonType type) {
    if (depth_ == 0 && type != JsonType::object) return false;
    if (depth_ >= 1 && !value({type})) return false;
    if (depth_ == 1 && type == JsonType::array) in_top_array_ = true;
    ++depth_;
    return true;
  }

  bool close() {
    --depth_;
    if (depth_ == 1) in_top_array_ = false;
    if (depth_ == 0) {
      // Sorting the recorded keys is O(n log n) even for a hostile header with many keys.
      std::ranges::sort(keys_);
      if (std::ranges::adjacent_find(keys_) != keys_.end()) return false;
      complete_ = true;
    }
    return true;
  }

  std::vector<std::string_view>& keys_;
  std::string_view key_;
  int depth_ = 0;
  bool in_top_array_ = false;
  bool complete_ = false;
};

bool assign_string(std::optional<std::string_view>& slot, const JsonValue& v) {
  if (v.type != JsonType::string) return false;
  slot = v.text;
  return true;
}

bool assign_integer(std::optional<std::int64_t>& slot, const JsonValue& v) {
  if (v.type != JsonType::integer) return false;
  slot = v.integer;
  return true;
}

class HeaderHandler : public ObjectHandler<HeaderHandler> {
 public:
  HeaderHandler(std::vector<std::string_view>& keys, JoseHeader& out)
      : ObjectHandler(keys), out_(out) {}

  bool member(std::string_view key, const JsonValue& v) {
    if (key == "alg") return assign_string(out_.alg, v);
    if (key == "typ") return assign_string(out_.typ, v);
    if (key == "kid") return assign_string(out_.kid, v);
    if (key == "crit") out_.has_crit = true;
    if (key == "jku" || key == "jwk" || key == "x5u" || key == "x5c") out_.names_key_source = true;
    return true;
  }
  bool element(std::string_view, const JsonValue&) { return true; }

 private:
  JoseHeader& out_;
};

class ClaimsHandler : public ObjectHandler<ClaimsHandler> {
 public:
  ClaimsHandler(std::vector<std::string_view>& keys, std::string_view audience, ClaimSet& out)
      : ObjectHandler(keys), audience_(audience), out_(out) {}

  bool bad_type = false;

  bool member(std::string_view key, const JsonValue& v) {
    if (key == "sub") return typed(assign_string(out_.sub, v));
    if (key == "user_id") return typed(assign_string(out_.user_id, v));
    if (key == "email") return typed(assign_string(out_.email, v));
    if (key == "iss") return typed(assign_string(out_.iss, v));
    if (key == "exp") return typed(assign_integer(out_.exp, v));
    if (key == "iat") return typed(assign_integer(out_.iat, v));
    if (key == "nbf") return typed(assign_integer(out_.nbf, v));
    if (key == "jti") return typed(assign_string(out_.jti, v));
    if (key == "sid") return typed(assign_string(out_.sid, v));
    if (key == "aud") return audience(v);
    return true;
  }

  // An element of a top-level array: only "aud" (an array of strings) is ours.
  bool element(std::string_view key, const JsonValue& v) {
    if (key != "aud") return true;
    if (v.type != JsonType::string) return typed(false);
    out_.aud_matches = out_.aud_matches || v.text == audience_;
    return true;
  }

 private:
  bool typed(bool ok) {
    bad_type = bad_type || !ok;
    return ok;
  }
  bool audience(const JsonValue& v) {
    out_.has_aud = true;
    if (v.type == JsonType::string) {
      out_.aud_matches = v.text == audience_;
      return true;
    }
    return typed(v.type == JsonType::array);  // the elements come through element()
  }

  std::string_view audience_;
  ClaimSet& out_;
};

// Decodes one base64url segment into `buffer` and checks it can be parsed in situ: RapidJSON
// reads up to a NUL, so a raw NUL (never valid JSON) would hide whatever follows it.
bool decode_segment(std::string_view segment, std::string& buffer) {
  return base64url_decode_into(segment, buffer) &&
         std::memchr(buffer.data(), '\0', buffer.size()) == nullptr;
}

}  // namespace

std::optional<JoseHeader> JoseJsonParser::header(std::string_view encoded) {
  if (!decode_segment(encoded, header_buffer_)) return std::nullopt;
  JoseHeader header;
  HeaderHandler handler(keys_, header);
  rapidjson::InsituStringStream stream(header_buffer_.data());
  if (!reader_.Parse<kParseFlags>(stream, handler) || !handler.complete()) return std::nullopt;
  return header;
}

std::expected<ClaimSet, JoseJsonError> JoseJsonParser::claims(std::string_view encoded,
                                                              std::string_view audience) {
  if (!decode_segment(encoded, payload_buffer_)) return std::unexpected(JoseJsonError::malformed);
  ClaimSet claims;
  ClaimsHandler handler(keys_, audience, claims);
  rapidjson::InsituStringStream stream(payload_buffer_.data());
  if (!reader_.Parse<kParseFlags>(stream, handler) || !handler.complete())
    return std::unexpected(handler.bad_type ? JoseJsonError::bad_claim_type
                                            : JoseJsonError::malformed);
  return claims;
}

}  // namespace todo::auth
