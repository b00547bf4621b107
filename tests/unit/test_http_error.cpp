#include <boost/test/unit_test.hpp>
#include <tuple>

#include "core/http_error.hpp"

using namespace todo;

BOOST_AUTO_TEST_SUITE(error_mapping)

// API.md's statuses and codes, written out again on purpose: the table in
// http_error.hpp must agree with the contract, not with itself.
BOOST_AUTO_TEST_CASE(each_code_maps_to_its_documented_status_and_name) {
  const std::tuple<ErrorCode, int, std::string_view> documented[] = {
      {ErrorCode::invalid_json, 400, "INVALID_JSON"},
      {ErrorCode::unauthorized, 401, "UNAUTHORIZED"},
      {ErrorCode::token_expired, 401, "TOKEN_EXPIRED"},
      {ErrorCode::invalid_credentials, 401, "INVALID_CREDENTIALS"},
      {ErrorCode::forbidden, 403, "FORBIDDEN"},
      {ErrorCode::not_found, 404, "NOT_FOUND"},
      {ErrorCode::method_not_allowed, 405, "METHOD_NOT_ALLOWED"},
      {ErrorCode::email_exists, 409, "EMAIL_EXISTS"},
      {ErrorCode::payload_too_large, 413, "PAYLOAD_TOO_LARGE"},
      {ErrorCode::unsupported_media_type, 415, "UNSUPPORTED_MEDIA_TYPE"},
      {ErrorCode::validation_error, 422, "VALIDATION_ERROR"},
      {ErrorCode::rate_limited, 429, "RATE_LIMITED"},
      {ErrorCode::unavailable, 503, "UNAVAILABLE"},
      {ErrorCode::bad_request, 400, "BAD_REQUEST"},
      {ErrorCode::user_unknown, 401, "USER_UNKNOWN"},
      {ErrorCode::too_many_attempts, 429, "TOO_MANY_ATTEMPTS"},
      {ErrorCode::refresh_reused, 401, "REFRESH_REUSED"},
      {ErrorCode::refresh_stale, 401, "REFRESH_STALE"},
      {ErrorCode::auth_unavailable, 503, "AUTH_UNAVAILABLE"},
  };
  BOOST_TEST(std::size(documented) == kErrorKinds.size());
  for (const auto& [code, status, name] : documented) {
    BOOST_TEST(kind_of(code).status == status);
    BOOST_TEST(kind_of(code).name == name);
  }
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
  BOOST_TEST(r.header("Allow") == "GET, POST");
}

BOOST_AUTO_TEST_CASE(detail_text_is_json_escaped) {
  Response r = to_response(HttpError(ErrorCode::forbidden, "quote \" and \\ backslash"));
  BOOST_TEST(r.body == R"({"detail":"quote \" and \\ backslash","code":"FORBIDDEN"})");
}

BOOST_AUTO_TEST_SUITE_END()
