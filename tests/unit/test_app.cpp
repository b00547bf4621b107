// The core as a function: requests through routing, the guard and the
// handlers, with no FastCGI, nginx or threads. The database is unreachable
// here, so everything decided before the store is tested, and the store's
// failure must be a clean 503.

#include <boost/test/unit_test.hpp>

#include "app/app.hpp"
#include "app/context.hpp"
#include "app/failure.hpp"
#include "config/config.hpp"
#include "test_services.hpp"

using namespace todo;

namespace {

struct CoreFixture : testing::TestServices {
  store::PostgresStore store{{config.database_url, config.db_statement_timeout}};
  Services services = over(store);
  App app;

  Response call(std::string method, std::string path, std::string token = "",
                std::string body = "") {
    Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.body = std::move(body);
    if (!token.empty()) r.headers.emplace_back("authorization", "Bearer " + token);
    if (!r.body.empty()) r.headers.emplace_back("content-type", "application/json");
    return app.handle(r, services);
  }
};

std::string header(const Response& r, const std::string& name) {
  return std::string(r.header(name));
}

// What the app answers when `failure` stops a handler.
template <typename Failure>
Response answer_to(const Failure& failure) {
  try {
    throw failure;
  } catch (...) {
    return response_for_current_exception("/test");
  }
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(app, CoreFixture)

BOOST_AUTO_TEST_CASE(every_response_has_a_request_id_and_no_store) {
  Response r = call("GET", "/api/nope");
  BOOST_TEST(r.status == 404);
  BOOST_TEST(header(r, "X-Request-Id").size() == 32u);
  BOOST_TEST(header(r, "Cache-Control") == "no-store");
}

BOOST_AUTO_TEST_CASE(a_protected_route_without_a_token_is_401_with_www_authenticate) {
  Response r = call("GET", "/api/someone/tasks");
  BOOST_TEST(r.status == 401);
  BOOST_TEST(header(r, "WWW-Authenticate") == "Bearer");
}

BOOST_AUTO_TEST_CASE(a_bad_token_is_401_invalid_token) {
  Response r = call("GET", "/api/someone/tasks", "not.a.token");
  BOOST_TEST(r.status == 401);
  BOOST_TEST(header(r, "WWW-Authenticate") == "Bearer error=\"invalid_token\"");
}

BOOST_AUTO_TEST_CASE(another_users_path_is_403_before_any_database_work) {
  Response r = call("GET", "/api/bob/tasks", token_for("alice"));
  BOOST_TEST(r.status == 403);
  BOOST_TEST(r.body.find("FORBIDDEN") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(invalid_task_input_is_422_before_any_database_work) {
  Response r = call("POST", "/api/alice/tasks", token_for("alice"), R"({"title":"   "})");
  BOOST_TEST(r.status == 422);
  BOOST_TEST(r.body.find(R"("loc":["body","title"])") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_malformed_task_id_is_404) {
  Response r = call("GET", "/api/alice/tasks/not-a-uuid", token_for("alice"));
  BOOST_TEST(r.status == 404);
}

BOOST_AUTO_TEST_CASE(an_unknown_list_parameter_value_is_422) {
  Request request;
  request.method = "GET";
  request.path = "/api/alice/tasks";
  request.query = "sort=size";
  request.headers.emplace_back("authorization", "Bearer " + token_for("alice"));
  Response r = app.handle(request, services);
  BOOST_TEST(r.status == 422);
  BOOST_TEST(r.body.find(R"("loc":["query","sort"])") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_unreachable_database_is_a_json_503_with_retry_after) {
  Response r = call("GET", "/api/alice/tasks", token_for("alice"));
  BOOST_TEST(r.status == 503);
  BOOST_TEST(header(r, "Retry-After") != "");
  BOOST_TEST(r.body.find("UNAVAILABLE") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(health_reports_the_database_as_unavailable) {
  Response r = call("GET", "/api/health");
  BOOST_TEST(r.status == 503);
  BOOST_TEST(r.body == R"({"status":"degraded","database":"unavailable"})");
  BOOST_TEST(header(r, "Retry-After") == "2");
  BOOST_TEST(header(r, "Content-Type") == "application/json");
}

BOOST_AUTO_TEST_CASE(the_layers_failures_become_their_documented_answers) {
  Response database = answer_to(store::Unavailable("connection refused"));
  BOOST_TEST(database.status == 503);
  BOOST_TEST(database.body.find(R"("code":"UNAVAILABLE")") != std::string::npos);
  BOOST_TEST(header(database, "Retry-After") == "2");

  Response busy = answer_to(auth::Busy("gate full"));
  BOOST_TEST(busy.status == 503);
  BOOST_TEST(busy.body.find("sign-ins") != std::string::npos);
  BOOST_TEST(header(busy, "Retry-After") == "1");

  Response bug = answer_to(std::logic_error("a bug"));
  BOOST_TEST(bug.status == 500);
  BOOST_TEST(bug.body == R"({"detail":"Internal Server Error","code":"INTERNAL"})");
  BOOST_TEST(bug.body.find("a bug") == std::string::npos);  // never shown to a client
}

BOOST_AUTO_TEST_CASE(an_adapter_refusal_goes_through_the_same_path) {
  Request request;
  request.method = "POST";
  request.path = "/api/auth/login";
  HttpError too_big(ErrorCode::payload_too_large, "too big");
  Response r = app.handle(request, services, &too_big);
  BOOST_TEST(r.status == 413);
  BOOST_TEST(header(r, "X-Request-Id") != "");
}

BOOST_AUTO_TEST_SUITE_END()
