// Every route, every field it reads (body, path, query), each given the
// values a hostile client sends: a lone surrogate, overlong UTF-8, a NUL,
// 2^31 (and a number too long for any integer), nothing at all, and the
// wrong JSON type. Whatever the route makes of them, the answer is never a
// 500 and always JSON.

#include <boost/test/unit_test.hpp>

#include "http_client.hpp"
#include "stack.hpp"

using namespace todo::testing;

namespace {

// A hostile value as a JSON value, as a path segment and as a query value.
struct Hostile {
  const char* name;
  std::string json, path, query;
};

std::vector<Hostile> hostile_values() {
  std::string many_digits(400, '9');
  return {
      {"lone surrogate", R"("\udc00x")", "%ED%B0%80x", "%ED%B0%80x"},
      {"overlong UTF-8", "\"\xc0\xaf\"", "%C0%AF", "%C0%AF"},
      {"NUL", R"("a\u0000b")", "a%00b", "a%00b"},
      {"2^31", "2147483648", "2147483648", "2147483648"},
      {"400 digits", many_digits, many_digits, many_digits},
      {"empty", R"("")", "", ""},
      {"wrong type", R"({"x":[true]})", "%7B%7D", "%5B%5D"},
  };
}

struct Route {
  std::string method, path;  // {user_id} and {id} filled in per account
  std::vector<std::string> body_fields, query_fields;
  std::string valid_body;  // every field valid, so each mutation is alone at fault
};

std::vector<Route> routes() {
  return {
      {"GET", "/api/health", {}, {}, ""},
      {"POST",
       "/api/auth/register",
       {"email", "password", "name"},
       {},
       R"({"email":"x@example.test","password":"a sound passphrase","name":"X"})"},
      {"POST",
       "/api/auth/login",
       {"email", "password"},
       {},
       R"({"email":"x@example.test","password":"a sound passphrase"})"},
      {"POST", "/api/auth/refresh", {}, {}, ""},
      {"POST", "/api/auth/logout", {"all"}, {}, R"({"all":false})"},
      {"GET", "/api/auth/me", {}, {}, ""},
      {"PUT",
       "/api/auth/password",
       {"current_password", "new_password"},
       {},
       R"({"current_password":"wrong one here","new_password":"another sound passphrase"})"},
      {"GET", "/api/{user_id}/tasks", {}, {"status", "sort", "order", "q", "limit", "offset"}, ""},
      {"POST",
       "/api/{user_id}/tasks",
       {"title", "description"},
       {},
       R"({"title":"t","description":"d"})"},
      {"GET", "/api/{user_id}/tasks/{id}", {}, {}, ""},
      {"PUT",
       "/api/{user_id}/tasks/{id}",
       {"title", "description", "completed"},
       {},
       R"({"title":"t","description":"d","completed":true})"},
      {"DELETE", "/api/{user_id}/tasks/{id}", {}, {}, ""},
      {"PATCH", "/api/{user_id}/tasks/{id}/complete", {}, {}, ""},
  };
}

// `body` with the member `field` set to the raw JSON `value`.
std::string with_field(const std::string& body, const std::string& field,
                       const std::string& value) {
  auto doc_start = body.find("\"" + field + "\":");
  auto value_start = doc_start + field.size() + 3;
  auto value_end = body.find_first_of(",}", value_start);
  return body.substr(0, value_start) + value + body.substr(value_end);
}

std::string replace_all(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at; (at = s.find(from)) != std::string::npos;) s.replace(at, from.size(), to);
  return s;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hostile_fields)

BOOST_AUTO_TEST_CASE(every_field_of_every_route_answers_hostile_values_with_json_never_500) {
  HttpClient client;
  Account a = register_account(client, "hostile");
  auto created = client.send_json("POST", tasks_path(a), R"({"title":"t"})", a.access_token);
  std::string task_id = created.json()["id"].GetString();
  std::vector<std::string> headers{"Content-Type: application/json",
                                   "Authorization: Bearer " + a.access_token};
  int requests = 0;
  auto check = [&](const std::string& method, const std::string& path, const std::string& body) {
    HttpResponse r;
    wait_until(  // the sign-in routes' rate limit is shared by every test
        [&] {
          r = client.request(method, path, body, headers);
          return r.status != 429;
        },
        std::chrono::seconds(30));
    ++requests;
    BOOST_TEST(r.status != 500, method << " " << path << " " << body << " -> " << r.body);
    auto doc = r.json();
    bool json = doc.IsObject() || doc.IsArray();
    BOOST_TEST(json, method << " " << path << " " << body << " -> " << r.body);
  };
  for (const Route& route : routes()) {
    std::string path = replace_all(replace_all(route.path, "{user_id}", a.id), "{id}", task_id);
    for (const Hostile& value : hostile_values()) {
      BOOST_TEST_CONTEXT(route.method << " " << route.path << " with " << value.name) {
        for (const auto& field : route.body_fields)
          check(route.method, path, with_field(route.valid_body, field, value.json));
        for (const auto& field : route.query_fields)
          check(route.method, path + "?" + field + "=" + value.query, "");
        if (route.path.find("{user_id}") != std::string::npos)
          check(route.method, replace_all(path, a.id, value.path), route.valid_body);
        if (route.path.find("{id}") != std::string::npos)
          check(route.method, replace_all(path, task_id, value.path), route.valid_body);
        if (route.body_fields.empty() && route.method != "GET")
          check(route.method, path, value.json);  // a whole body that is not an object
      }
    }
  }
  BOOST_TEST(requests > 150);
}

BOOST_AUTO_TEST_SUITE_END()
