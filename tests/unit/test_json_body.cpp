#include <boost/test/unit_test.hpp>

#include "core/json_body.hpp"

using namespace todo;

namespace {

Request json_request(std::string body, std::string type = "application/json") {
  Request r;
  r.method = "POST";
  r.body = std::move(body);
  r.headers.emplace_back("content-type", std::move(type));
  return r;
}

// The error code parsing the request's body raises, or "none".
std::string code_of(const Request& r) {
  try {
    parse_json_object(r);
  } catch (const HttpError& e) {
    return std::string(kind_of(e.code()).name);
  }
  return "none";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(json_body)

BOOST_AUTO_TEST_CASE(an_object_is_parsed) {
  auto doc = parse_json_object(json_request(R"({"title":"x"})", "application/json; charset=utf-8"));
  BOOST_TEST(doc["title"].GetString() == std::string("x"));
}

BOOST_AUTO_TEST_CASE(a_non_json_content_type_is_415) {
  BOOST_TEST(code_of(json_request("{}", "text/plain")) == std::string("UNSUPPORTED_MEDIA_TYPE"));
  BOOST_TEST(code_of(json_request("{}", "")) == std::string("UNSUPPORTED_MEDIA_TYPE"));
}

BOOST_AUTO_TEST_CASE(invalid_json_or_utf8_is_400) {
  BOOST_TEST(code_of(json_request("{")) == std::string("INVALID_JSON"));
  BOOST_TEST(code_of(json_request("{} {}")) == std::string("INVALID_JSON"));
  BOOST_TEST(code_of(json_request("{\"t\":\"\xC3\x28\"}")) == std::string("INVALID_JSON"));
}

BOOST_AUTO_TEST_CASE(a_non_object_or_missing_body_is_422) {
  BOOST_TEST(code_of(json_request("[1,2]")) == std::string("VALIDATION_ERROR"));
  BOOST_TEST(code_of(json_request("")) == std::string("VALIDATION_ERROR"));
}

BOOST_AUTO_TEST_CASE(deep_nesting_does_not_overflow_the_stack) {
  std::string deep = std::string(200000, '[') + std::string(200000, ']');
  BOOST_TEST(code_of(json_request(deep)) ==
             std::string("VALIDATION_ERROR"));  // parsed: an array, not an object
}

BOOST_AUTO_TEST_CASE(field_reader_collects_every_wrong_type) {
  rapidjson::Document doc;
  BOOST_REQUIRE(parse_json(R"({"title": 5, "completed": "yes", "description": null})", doc));
  FieldReader fields(doc);
  BOOST_TEST(!fields.string("title", true));
  BOOST_TEST(!fields.boolean("completed"));
  auto description = fields.nullable_string("description");
  BOOST_TEST((description && !*description));
  BOOST_TEST(!fields.string("missing", false));
  try {
    fields.finish();
    BOOST_FAIL("expected 422");
  } catch (const HttpError& e) {
    BOOST_TEST(e.fields().size() == 2u);
    BOOST_TEST(e.fields()[0].field == "title");
    BOOST_TEST(e.fields()[0].type == "string_type");
    BOOST_TEST(e.fields()[1].field == "completed");
  }
}

BOOST_AUTO_TEST_CASE(a_required_field_that_is_missing_says_so) {
  rapidjson::Document doc;
  BOOST_REQUIRE(parse_json("{}", doc));
  FieldReader fields(doc);
  fields.string("title", true);
  BOOST_CHECK_EXCEPTION(fields.finish(), HttpError,
                        [](const HttpError& e) { return e.fields()[0].type == "missing"; });
}

BOOST_AUTO_TEST_SUITE_END()
