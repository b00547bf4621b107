#include <boost/test/unit_test.hpp>

#include "core/http_error.hpp"

using namespace todo;

BOOST_AUTO_TEST_SUITE(error_mapping)

BOOST_AUTO_TEST_CASE(each_code_maps_to_its_documented_status) {
  BOOST_TEST(status_of(ErrorCode::invalid_json) == 400);
  BOOST_TEST(status_of(ErrorCode::unauthorized) == 401);
  BOOST_TEST(status_of(ErrorCode::token_expired) == 401);
  BOOST_TEST(status_of(ErrorCode::invalid_credentials) == 401);
  BOOST_TEST(status_of(ErrorCode::forbidden) == 403);
  BOOST_TEST(status_of(ErrorCode::not_found) == 404);
  BOOST_TEST(status_of(ErrorCode::method_not_allowed) == 405);
  BOOST_TEST(status_of(ErrorCode::email_exists) == 409);
  BOOST_TEST(status_of(ErrorCode::payload_too_large) == 413);
  BOOST_TEST(status_of(ErrorCode::unsupported_media_type) == 415);
  BOOST_TEST(status_of(ErrorCode::validation_error) == 422);
  BOOST_TEST(status_of(ErrorCode::rate_limited) == 429);
  BOOST_TEST(status_of(ErrorCode::unavailable) == 503);
}

BOOST_AUTO_TEST_CASE(error_body_has_detail_and_code) {
  Response r = to_response(HttpError(ErrorCode::not_found, "Not Found"));
  BOOST_TEST(r.status == 404);
  BOOST_TEST(r.body == R"({"detail":"Not Found","code":"NOT_FOUND"})");
}

BOOST_AUTO_TEST_CASE(validation_errors_list_fields_fastapi_style) {
  Response r = to_response(HttpError::validation({{"body", "title", "Field required", "missing"},
                                                  {"query", "limit", "Too big", "value_error"}}));
  BOOST_TEST(r.status == 422);
  BOOST_TEST(
      r.body ==
      R"({"detail":[{"loc":["body","title"],"msg":"Field required","type":"missing"},)"
      R"({"loc":["query","limit"],"msg":"Too big","type":"value_error"}],"code":"VALIDATION_ERROR"})");
}

BOOST_AUTO_TEST_CASE(extra_headers_travel_with_the_error) {
  Response r = to_response(HttpError(ErrorCode::method_not_allowed, "Method Not Allowed")
                               .with_header("Allow", "GET, POST"));
  BOOST_TEST(r.status == 405);
  bool found = false;
  for (const auto& [name, value] : r.headers) found |= name == "Allow" && value == "GET, POST";
  BOOST_TEST(found);
}

BOOST_AUTO_TEST_CASE(unavailable_says_when_to_retry) {
  Response r = to_response(unavailable());
  BOOST_TEST(r.status == 503);
  bool retry = false;
  for (const auto& [name, value] : r.headers) retry |= name == "Retry-After";
  BOOST_TEST(retry);
}

BOOST_AUTO_TEST_CASE(detail_text_is_json_escaped) {
  Response r = to_response(HttpError(ErrorCode::forbidden, "quote \" and \\ backslash"));
  BOOST_TEST(r.body == R"({"detail":"quote \" and \\ backslash","code":"FORBIDDEN"})");
}

BOOST_AUTO_TEST_SUITE_END()
