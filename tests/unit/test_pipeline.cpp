// The whole app over the store in memory: what a client sends, through the
// router, the guard, the rules and the handlers, to what it gets back. The
// hostile inputs of the security review, each answered as the contract says.

#include <boost/test/unit_test.hpp>
#include <ctime>

#include "app/app.hpp"
#include "config/config.hpp"
#include "memory_store.hpp"
#include "test_services.hpp"

using namespace todo;

namespace {

constexpr std::string_view kAlice = "00000000-0000-4000-8000-00000000a11c";
constexpr std::string_view kGhost = "00000000-0000-4000-8000-0000000000ff";

struct Pipeline : testing::TestServices {
  testing::MemoryStore store;
  Services services = over(store);
  App app;

  Pipeline() { store.memory_users().add(std::string(kAlice), "alice@example.test"); }

  Response call(std::string method, std::string path, std::string body = "",
                std::string_view user = kAlice) {
    Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.body = std::move(body);
    r.headers.emplace_back("authorization", "Bearer " + token_for(user));
    if (!r.body.empty()) r.headers.emplace_back("content-type", "application/json");
    return app.handle(r, services);
  }

  std::string tasks() { return "/api/" + std::string(kAlice) + "/tasks"; }
};

bool has(const Response& r, std::string_view text) {
  return r.body.find(text) != std::string::npos;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(pipeline, Pipeline)

BOOST_AUTO_TEST_CASE(a_lone_surrogate_escape_is_400_not_valid_utf8) {
  Response r = call("POST", tasks(), R"({"title":"\udc00x"})");
  BOOST_TEST(r.status == 400);
  BOOST_TEST(has(r, "not valid UTF-8"));
  BOOST_TEST(has(r, "INVALID_JSON"));
}

BOOST_AUTO_TEST_CASE(a_surrogate_pair_is_text) {
  Response r = call("POST", tasks(), R"({"title":"\ud83d\ude00"})");
  BOOST_TEST(r.status == 201);
}

BOOST_AUTO_TEST_CASE(a_duplicate_key_is_400_naming_the_key) {
  Response r = call("POST", tasks(), R"({"title":"first","title":"second"})");
  BOOST_TEST(r.status == 400);
  BOOST_TEST(has(r, R"(the key \"title\" more than once)"));
  Response nested = call("POST", tasks(), R"({"title":"x","extra":{"a":1,"a":2}})");
  BOOST_TEST(nested.status == 400);
}

BOOST_AUTO_TEST_CASE(a_nul_in_a_field_is_422_saying_so) {
  Response r = call("POST", tasks(), R"({"title":"a\u0000b"})");
  BOOST_TEST(r.status == 422);
  BOOST_TEST(has(r, "NUL"));
}

BOOST_AUTO_TEST_CASE(an_invalid_description_says_what_is_wrong_not_its_length) {
  Response r = call("POST", tasks(), R"({"title":"x","description":"\udc00"})");
  BOOST_TEST(r.status == 400);
  BOOST_TEST(!has(r, "1000 characters"));
}

BOOST_AUTO_TEST_CASE(a_token_for_a_user_that_does_not_exist_is_401_user_unknown_everywhere) {
  std::string ghost_tasks = "/api/" + std::string(kGhost) + "/tasks";
  std::string ghost_task = ghost_tasks + "/00000000-0000-4000-8000-000000000001";
  for (auto [method, path, body] : {std::tuple{"GET", ghost_tasks, ""},
                                    {"POST", ghost_tasks, R"({"title":"x"})"},
                                    {"GET", ghost_task, ""},
                                    {"PUT", ghost_task, R"({"title":"y"})"},
                                    {"DELETE", ghost_task, ""},
                                    {"PATCH", ghost_task + "/complete", ""},
                                    {"GET", std::string("/api/auth/me"), ""}}) {
    BOOST_TEST_CONTEXT(method << " " << path) {
      Response r = call(method, path, body, kGhost);
      BOOST_TEST(r.status == 401);
      BOOST_TEST(has(r, "USER_UNKNOWN"));
      BOOST_TEST(r.header("WWW-Authenticate") == "Bearer error=\"invalid_token\"");
    }
  }
}

BOOST_AUTO_TEST_CASE(head_is_get_without_a_body_and_allow_lists_it) {
  call("POST", tasks(), R"({"title":"x"})");
  Response get = call("GET", tasks());
  Response head = call("HEAD", tasks());
  BOOST_TEST(head.status == 200);
  BOOST_TEST(head.header("X-Total-Count") == get.header("X-Total-Count"));
  BOOST_TEST(head.body.size() == get.body.size());  // the adapter leaves it out
  BOOST_TEST(call("DELETE", tasks()).header("Allow") == "GET, HEAD, POST");
}

BOOST_AUTO_TEST_CASE(a_header_that_is_not_text_is_400_naming_it) {
  Request r;
  r.method = "GET";
  r.path = "/api/health";
  r.headers.emplace_back("origin", "https://\xff.example");
  Response answer = app.handle(r, services);
  BOOST_TEST(answer.status == 400);
  BOOST_TEST(has(answer, "origin header"));
}

BOOST_AUTO_TEST_CASE(a_query_value_that_is_not_text_is_422_saying_so) {
  Request request;
  request.method = "GET";
  request.path = tasks();
  request.query = "q=%ED%B0%80";
  request.headers.emplace_back("authorization", "Bearer " + token_for(kAlice));
  Response answer = app.handle(request, services);
  BOOST_TEST(answer.status == 422);
  BOOST_TEST(has(answer, "UTF-8"));
}

BOOST_AUTO_TEST_CASE(emails_that_only_look_alike_are_refused_not_registered_twice) {
  auto signup = [this](std::string email) {
    return call("POST", "/api/auth/register",
                "{\"email\":\"" + email + "\",\"password\":\"a sound passphrase\"}");
  };
  BOOST_TEST(signup("cafe@example.test").status == 201);
  BOOST_TEST(signup(" CAFE@example.test\\t").status == 409);  // trimmed, any case: the same
  for (std::string look_alike :
       {"\u00a0cafe@example.test", "cafe@example.test\u200b", "caf\u00e9@example.test",
        "cafe\u0301@example.test", "cafe@ex\u00e4mple.test"})
    BOOST_TEST_CONTEXT(look_alike) {
      Response r = signup(look_alike);
      BOOST_TEST(r.status == 422);
      BOOST_TEST(has(r, "ASCII"));
    }
  BOOST_TEST(signup("cafe@xn--exmple-cua.test").status == 201);  // the punycode form is fine
  for (std::string invalid : {"no-at.example", "@example.test", "a@-x.test", "a@x..test",
                              "a b@example.test", "a@example.test."})
    BOOST_TEST_CONTEXT(invalid) {
      BOOST_TEST(signup(invalid).status == 422);
    }
}

BOOST_AUTO_TEST_CASE(a_nul_cannot_cut_a_login_email_short) {
  call("POST", "/api/auth/register",
       R"({"email":"nul@example.test","password":"a sound passphrase"})");
  Response r = call("POST", "/api/auth/login",
                    R"({"email":"nul@example.test\u0000junk","password":"a sound passphrase"})");
  BOOST_TEST(r.status == 422);
  BOOST_TEST(has(r, "NUL"));
}

BOOST_AUTO_TEST_SUITE_END()
