#include <boost/test/unit_test.hpp>

#include "core/router.hpp"

using todo::Router;

namespace {

Router<int> make_router() {
  Router<int> r;
  r.add("GET", "/api/health", 1);
  r.add("GET", "/api/auth/me", 2);
  r.add("GET", "/api/{user_id}/tasks", 3);
  r.add("POST", "/api/{user_id}/tasks", 4);
  r.add("GET", "/api/{user_id}/tasks/{id}", 5);
  r.add("PUT", "/api/{user_id}/tasks/{id}", 6);
  r.add("PATCH", "/api/{user_id}/tasks/{id}/complete", 7);
  return r;
}

using Match = Router<int>::Match;
using NotFound = Router<int>::NotFound;
using MethodNotAllowed = Router<int>::MethodNotAllowed;

}  // namespace

BOOST_AUTO_TEST_SUITE(router)

// A Match points into its router, so each test keeps the router alive.

BOOST_AUTO_TEST_CASE(literal_route_matches) {
  const auto router = make_router();
  auto m = std::get<Match>(router.match("GET", "/api/health"));
  BOOST_TEST(*m.target == 1);
  BOOST_TEST(m.pattern == "/api/health");
}

BOOST_AUTO_TEST_CASE(parameters_are_captured_and_percent_decoded) {
  const auto router = make_router();
  auto m = std::get<Match>(router.match("GET", "/api/user%201/tasks/abc"));
  BOOST_TEST(*m.target == 5);
  BOOST_TEST(m.params.get("user_id") == "user 1");
  BOOST_TEST(m.params.get("id") == "abc");
}

BOOST_AUTO_TEST_CASE(literal_routes_added_first_win_over_parameters) {
  const auto router = make_router();
  auto m = std::get<Match>(router.match("GET", "/api/auth/me"));
  BOOST_TEST(*m.target == 2);
}

BOOST_AUTO_TEST_CASE(unknown_path_is_not_found) {
  auto r = make_router();
  BOOST_TEST(std::holds_alternative<NotFound>(r.match("GET", "/api/nothing/here/at/all")));
  BOOST_TEST(std::holds_alternative<NotFound>(r.match("GET", "/api")));
  BOOST_TEST(std::holds_alternative<NotFound>(r.match("GET", "")));
  BOOST_TEST(std::holds_alternative<NotFound>(r.match("GET", "api/health")));
}

BOOST_AUTO_TEST_CASE(known_path_with_wrong_method_lists_the_allowed_ones) {
  auto r = make_router();
  auto wrong = std::get<MethodNotAllowed>(r.match("DELETE", "/api/u/tasks"));
  BOOST_TEST(wrong.allow == "GET, POST");
  auto one = std::get<MethodNotAllowed>(r.match("POST", "/api/health"));
  BOOST_TEST(one.allow == "GET");
}

// An alias would walk around any limit nginx sets on the exact path.
BOOST_AUTO_TEST_CASE(paths_match_exactly_so_a_trailing_slash_is_another_path) {
  const auto router = make_router();
  BOOST_TEST(std::holds_alternative<NotFound>(router.match("GET", "/api/health/")));
  BOOST_TEST(std::holds_alternative<NotFound>(router.match("GET", "/api/u/tasks/")));
  BOOST_TEST(std::holds_alternative<NotFound>(router.match("GET", "//api/health")));
}

BOOST_AUTO_TEST_CASE(a_segment_that_is_not_text_names_nothing) {
  const auto router = make_router();
  BOOST_TEST(std::holds_alternative<NotFound>(router.match("GET", "/api/%ED%B0%80x/tasks")));
  BOOST_TEST(std::holds_alternative<NotFound>(router.match("GET", "/api/%C0%AF/tasks")));
  BOOST_TEST(std::holds_alternative<NotFound>(router.match("GET", "/api/a%00b/tasks")));
  BOOST_TEST(std::holds_alternative<Match>(router.match("GET", "/api/caf%C3%A9/tasks")));
}

BOOST_AUTO_TEST_CASE(an_empty_parameter_segment_does_not_match) {
  BOOST_TEST(std::holds_alternative<NotFound>(make_router().match("GET", "/api//tasks")));
}

BOOST_AUTO_TEST_CASE(encoded_slash_or_nul_in_a_segment_is_not_found) {
  auto r = make_router();
  BOOST_TEST(std::holds_alternative<NotFound>(r.match("GET", "/api/a%2Fb/tasks")));
  BOOST_TEST(std::holds_alternative<NotFound>(r.match("GET", "/api/a%00b/tasks")));
}

BOOST_AUTO_TEST_CASE(malformed_escape_is_not_found) {
  auto r = make_router();
  BOOST_TEST(std::holds_alternative<NotFound>(r.match("GET", "/api/a%zz/tasks")));
  BOOST_TEST(std::holds_alternative<NotFound>(r.match("GET", "/api/a%2/tasks")));
  BOOST_TEST(std::holds_alternative<NotFound>(r.match("GET", "/api/a%/tasks")));
}

BOOST_AUTO_TEST_SUITE_END()
