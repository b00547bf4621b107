// /api/{user_id}/tasks... end to end (API.md, Tasks): the CRUD flow, ownership,
// validation, awkward text, hostile bodies, concurrency, listing and a
// database outage, through nginx, TLS, FastCGI and PostgreSQL.

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <set>
#include <thread>

#include "http_client.hpp"
#include "json_checks.hpp"
#include "stack.hpp"

using namespace todo::testing;
using namespace std::chrono_literals;

namespace {

std::string task_path(const Account& a, const std::string& id) {
  return tasks_path(a) + "/" + id;
}

HttpResponse create(HttpClient& client, const Account& a, const std::string& json) {
  return client.send_json("POST", tasks_path(a), json, a.access_token);
}

// Creates a task titled `title` and answers its id.
std::string create_titled(HttpClient& client, const Account& a, const std::string& title,
                          const std::string& description = "") {
  std::string body = "{\"title\":" + json_quote(title);
  if (!description.empty()) body += ",\"description\":" + json_quote(description);
  auto r = create(client, a, body + "}");
  if (r.status != 201) throw std::runtime_error("create: " + std::to_string(r.status) + r.body);
  return text_of(r.json(), "id");
}

HttpResponse list(HttpClient& client, const Account& a, const std::string& query = "") {
  return client.get(tasks_path(a) + (query.empty() ? "" : "?" + query), a.access_token);
}

// The titles of a list answer, in order.
std::vector<std::string> titles(const HttpResponse& r) {
  std::vector<std::string> out;
  auto doc = r.json();
  if (!doc.IsArray()) return {"<not an array: " + r.body + ">"};
  for (const auto& task : doc.GetArray()) out.push_back(text_of(task, "title"));
  return out;
}

std::vector<std::string> titles_of(HttpClient& client, const Account& a, const std::string& query) {
  auto r = list(client, a, query);
  if (r.status != 200) return {"<" + std::to_string(r.status) + ": " + r.body + ">"};
  return titles(r);
}

std::string repeat(const std::string& unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += unit;
  return out;
}

bool is_rfc3339_utc(const std::string& s) {
  return s.size() >= 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s.back() == 'Z';
}

using Titles = std::vector<std::string>;

const std::string kTaskDeleted = R"({"message":"Task deleted successfully"})";
const std::string kNotFound = R"({"detail":"Not Found","code":"NOT_FOUND"})";

}  // namespace

// ---------------------------------------------------------------- the CRUD flow

BOOST_AUTO_TEST_SUITE(tasks_crud)

BOOST_AUTO_TEST_CASE(create_get_list_update_toggle_delete_then_404) {
  HttpClient client;
  Account a = register_account(client, "tasks");

  auto created = create(client, a, R"({"title":"  Buy milk  ","description":"2 litres"})");
  BOOST_TEST_REQUIRE(created.status == 201, created.body);
  auto task = created.json();
  std::string id = text_of(task, "id");
  BOOST_TEST(id.size() == 36u);
  BOOST_TEST(created.header("location") == task_path(a, id));
  BOOST_TEST(text_of(task, "user_id") == a.id);
  BOOST_TEST(text_of(task, "title") == "Buy milk");
  BOOST_TEST(text_of(task, "description") == "2 litres");
  BOOST_TEST(task["completed"].IsFalse());
  BOOST_TEST(is_rfc3339_utc(text_of(task, "created_at")));
  BOOST_TEST(is_rfc3339_utc(text_of(task, "updated_at")));

  auto got = client.get(created.header("location"), a.access_token);
  BOOST_TEST(got.status == 200);
  BOOST_TEST(got.body == created.body);

  auto listed = list(client, a);
  BOOST_TEST(listed.status == 200);
  BOOST_TEST(listed.body == "[" + created.body + "]");
  BOOST_TEST(listed.header("x-total-count") == "1");

  auto updated = client.send_json("PUT", task_path(a, id),
                                  R"({"title":"Buy oat milk","completed":true})", a.access_token);
  BOOST_TEST_REQUIRE(updated.status == 200, updated.body);
  BOOST_TEST(text_of(updated.json(), "title") == "Buy oat milk");
  BOOST_TEST(text_of(updated.json(), "description") == "2 litres");
  BOOST_TEST(updated.json()["completed"].IsTrue());
  BOOST_TEST(text_of(updated.json(), "created_at") == text_of(task, "created_at"));
  BOOST_TEST(text_of(updated.json(), "updated_at") > text_of(task, "updated_at"));

  auto cleared =
      client.send_json("PUT", task_path(a, id), R"({"description":null})", a.access_token);
  BOOST_TEST(cleared.status == 200);
  BOOST_TEST(cleared.json()["description"].IsNull());
  BOOST_TEST(text_of(cleared.json(), "title") == "Buy oat milk");

  auto toggled = client.request("PATCH", task_path(a, id) + "/complete", "",
                                {"Authorization: Bearer " + a.access_token});
  BOOST_TEST(toggled.status == 200);
  BOOST_TEST(toggled.json()["completed"].IsFalse());

  auto deleted = client.del(task_path(a, id), a.access_token);
  BOOST_TEST(deleted.status == 200);
  BOOST_TEST(deleted.body == kTaskDeleted);

  auto gone = client.get(task_path(a, id), a.access_token);
  BOOST_TEST(gone.status == 404);
  BOOST_TEST(gone.body == kNotFound);
  BOOST_TEST(client.del(task_path(a, id), a.access_token).status == 404);
  BOOST_TEST(list(client, a).body == "[]");
  BOOST_TEST(list(client, a).header("x-total-count") == "0");
}

BOOST_AUTO_TEST_CASE(toggling_twice_returns_to_not_completed) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  std::string id = create_titled(client, a, "Toggle me");
  std::vector<std::string> auth{"Authorization: Bearer " + a.access_token};
  auto once = client.request("PATCH", task_path(a, id) + "/complete", "", auth);
  auto twice = client.request("PATCH", task_path(a, id) + "/complete", "", auth);
  BOOST_TEST(once.status == 200);
  BOOST_TEST(once.json()["completed"].IsTrue());
  BOOST_TEST(twice.status == 200);
  BOOST_TEST(twice.json()["completed"].IsFalse());
  BOOST_TEST(client.get(task_path(a, id), a.access_token).json()["completed"].IsFalse());
}

BOOST_AUTO_TEST_CASE(task_routes_need_a_bearer_token) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  std::string id = create_titled(client, a, "Private");
  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", tasks_path(a)},
           {"POST", tasks_path(a)},
           {"GET", task_path(a, id)},
           {"PUT", task_path(a, id)},
           {"DELETE", task_path(a, id)},
           {"PATCH", task_path(a, id) + "/complete"}}) {
    BOOST_TEST_CONTEXT(method << " " << path) {
      auto r = client.request(method, path, method == "POST" || method == "PUT" ? "{}" : "",
                              {"Content-Type: application/json"});
      BOOST_TEST(r.status == 401);
      BOOST_TEST(r.header("www-authenticate") == "Bearer");
    }
  }
  BOOST_TEST(client.get(task_path(a, id), a.access_token).status == 200);
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------- ownership

BOOST_AUTO_TEST_SUITE(tasks_ownership)

BOOST_AUTO_TEST_CASE(another_user_gets_404_for_my_task_on_their_own_path) {
  HttpClient alice, bob;
  Account a = register_account(alice, "alice");
  Account b = register_account(bob, "bob");
  auto created = create(alice, a, R"({"title":"Alice's secret","description":"mine"})");
  std::string id = text_of(created.json(), "id");

  std::vector<std::string> auth{"Authorization: Bearer " + b.access_token,
                                "Content-Type: application/json"};
  auto read = bob.get(task_path(b, id), b.access_token);
  auto update = bob.send_json("PUT", task_path(b, id), R"({"title":"pwned","completed":true})",
                              b.access_token);
  auto toggle = bob.request("PATCH", task_path(b, id) + "/complete", "", auth);
  auto remove = bob.del(task_path(b, id), b.access_token);
  for (const auto* r : {&read, &update, &toggle, &remove}) {
    BOOST_TEST(r->status == 404);
    BOOST_TEST(r->body == kNotFound);
  }
  BOOST_TEST(titles_of(bob, b, "").empty());
  BOOST_TEST(alice.get(task_path(a, id), a.access_token).body == created.body);
}

BOOST_AUTO_TEST_CASE(another_users_path_is_403_and_changes_nothing) {
  HttpClient alice, bob;
  Account a = register_account(alice, "alice");
  Account b = register_account(bob, "bob");
  auto created = create(alice, a, R"({"title":"Alice's list"})");
  std::string id = text_of(created.json(), "id");

  std::vector<std::pair<std::string, std::string>> attempts{
      {"GET", tasks_path(a)},       {"POST", tasks_path(a)},
      {"GET", task_path(a, id)},    {"PUT", task_path(a, id)},
      {"DELETE", task_path(a, id)}, {"PATCH", task_path(a, id) + "/complete"}};
  for (const auto& [method, path] : attempts) {
    BOOST_TEST_CONTEXT(method << " " << path) {
      auto r = bob.request(
          method, path, R"({"title":"from bob","completed":true})",
          {"Authorization: Bearer " + b.access_token, "Content-Type: application/json"});
      BOOST_TEST(r.status == 403);
      BOOST_TEST(code_of(r) == "FORBIDDEN");
    }
  }
  BOOST_TEST(alice.get(task_path(a, id), a.access_token).body == created.body);
  BOOST_TEST(titles_of(alice, a, "") == Titles{"Alice's list"});
}

BOOST_AUTO_TEST_CASE(a_user_id_in_the_body_is_ignored) {
  HttpClient alice, bob;
  Account a = register_account(alice, "alice");
  Account b = register_account(bob, "bob");
  auto r = create(alice, a, "{\"title\":\"Mine\",\"user_id\":" + json_quote(b.id) + "}");
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  BOOST_TEST(text_of(r.json(), "user_id") == a.id);
  BOOST_TEST(titles_of(bob, b, "").empty());
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------- validation

BOOST_AUTO_TEST_SUITE(tasks_validation)

BOOST_AUTO_TEST_CASE(title_is_required_on_create) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  for (const char* body : {"{}", R"({"title":null})", R"({"description":"no title"})"}) {
    BOOST_TEST_CONTEXT(body) {
      BOOST_TEST(names_field(create(client, a, body), "title"));
    }
  }
  BOOST_TEST(names_field(
      client.request("POST", tasks_path(a), "", {"Authorization: Bearer " + a.access_token}), ""));
  BOOST_TEST(list(client, a).header("x-total-count") == "0");
}

BOOST_AUTO_TEST_CASE(title_of_200_characters_after_trimming_is_accepted_and_201_refused) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  std::string two_hundred = repeat("\xe6\x97\xa5", 200);  // 日: 3 bytes, 1 character
  auto ok = create(client, a, "{\"title\":" + json_quote("  " + two_hundred + "\n ") + "}");
  BOOST_TEST_REQUIRE(ok.status == 201, ok.body);
  BOOST_TEST(text_of(ok.json(), "title") == two_hundred);

  auto too_long = create(client, a, "{\"title\":" + json_quote(two_hundred + "x") + "}");
  BOOST_TEST(names_field(too_long, "title"), too_long.body);
  auto ascii = create(client, a, "{\"title\":" + json_quote(std::string(201, 't')) + "}");
  BOOST_TEST(names_field(ascii, "title"), ascii.body);

  std::string id = text_of(ok.json(), "id");
  auto put = client.send_json("PUT", task_path(a, id),
                              "{\"title\":" + json_quote(two_hundred + "x") + "}", a.access_token);
  BOOST_TEST(names_field(put, "title"), put.body);
  BOOST_TEST(list(client, a).header("x-total-count") == "1");
}

BOOST_AUTO_TEST_CASE(whitespace_only_title_is_refused) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  for (const char* title : {"", "   ", "\\t \\n", "\\u3000\\u00a0"}) {
    BOOST_TEST_CONTEXT(title) {
      auto r = create(client, a, std::string("{\"title\":\"") + title + "\"}");
      BOOST_TEST(names_field(r, "title"), r.body);
    }
  }
  std::string id = create_titled(client, a, "Keep me");
  auto put = client.send_json("PUT", task_path(a, id), R"({"title":"   "})", a.access_token);
  BOOST_TEST(names_field(put, "title"), put.body);
  BOOST_TEST(titles_of(client, a, "") == Titles{"Keep me"});
}

BOOST_AUTO_TEST_CASE(control_characters_in_the_title_are_refused) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  for (const char* title :
       {"bell\\u0007", "new\\nline", "tab\\there", "nul\\u0000", "del\\u007f", "c1\\u0085inside"}) {
    BOOST_TEST_CONTEXT(title) {
      auto r = create(client, a, std::string("{\"title\":\"") + title + "\"}");
      BOOST_TEST(names_field(r, "title"), r.body);
    }
  }
}

BOOST_AUTO_TEST_CASE(description_is_at_most_1000_characters_or_null) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  std::string thousand = repeat("\xc3\xa9", 999) + "\n";  // line breaks are allowed here
  auto ok = create(client, a, "{\"title\":\"d\",\"description\":" + json_quote(thousand) + "}");
  BOOST_TEST_REQUIRE(ok.status == 201, ok.body);
  BOOST_TEST(text_of(ok.json(), "description") == thousand);

  auto over =
      create(client, a, "{\"title\":\"d\",\"description\":" + json_quote(thousand + "x") + "}");
  BOOST_TEST(names_field(over, "description"), over.body);

  auto null = create(client, a, R"({"title":"d","description":null})");
  BOOST_TEST(null.status == 201);
  BOOST_TEST(null.json()["description"].IsNull());
  auto absent = create(client, a, R"({"title":"d"})");
  BOOST_TEST(absent.json()["description"].IsNull());
}

BOOST_AUTO_TEST_CASE(a_wrong_type_is_422_naming_the_field) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  BOOST_TEST(names_field(create(client, a, R"({"title":5})"), "title"));
  BOOST_TEST(names_field(create(client, a, R"({"title":["x"]})"), "title"));
  BOOST_TEST(names_field(create(client, a, R"({"title":"x","description":5})"), "description"));
  BOOST_TEST(names_field(create(client, a, R"({"title":"x","description":{}})"), "description"));
  BOOST_TEST(names_field(create(client, a, R"(["title"])"), ""));

  std::string id = create_titled(client, a, "typed");
  auto put = [&](const char* body) {
    return client.send_json("PUT", task_path(a, id), body, a.access_token);
  };
  BOOST_TEST(names_field(put(R"({"completed":"yes"})"), "completed"));
  BOOST_TEST(names_field(put(R"({"completed":1})"), "completed"));
  BOOST_TEST(names_field(put(R"({"title":false})"), "title"));
  auto both = put(R"({"title":1,"completed":null})");
  BOOST_TEST(names_field(both, "title"), both.body);
  BOOST_TEST(names_field(both, "completed"), both.body);
  BOOST_TEST(titles_of(client, a, "") == Titles{"typed"});
}

BOOST_AUTO_TEST_CASE(unknown_fields_are_ignored) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  auto r = create(client, a,
                  R"({"title":"extra","priority":"high","tags":["a"],"completed":true,)"
                  R"("id":"00000000-0000-4000-8000-000000000000"})");
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  BOOST_TEST(text_of(r.json(), "title") == "extra");
  BOOST_TEST(text_of(r.json(), "id") != "00000000-0000-4000-8000-000000000000");
  BOOST_TEST(r.json()["completed"].IsFalse());  // not a field of the create body
  BOOST_TEST(!r.json().HasMember("priority"));

  auto put = client.send_json("PUT", task_path(a, text_of(r.json(), "id")),
                              R"({"colour":"red","completed":true})", a.access_token);
  BOOST_TEST(put.status == 200);
  BOOST_TEST(put.json()["completed"].IsTrue());
}

BOOST_AUTO_TEST_CASE(invalid_json_is_400) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  for (const char* body :
       {R"({"title": )", R"({"title":"x"} trailing)", R"({'title':'x'})", R"({"title":"x",})"}) {
    BOOST_TEST_CONTEXT(body) {
      auto r = create(client, a, body);
      BOOST_TEST(r.status == 400);
      BOOST_TEST(code_of(r) == "INVALID_JSON");
    }
  }
  BOOST_TEST(list(client, a).header("x-total-count") == "0");
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_400) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  for (std::string bad : {std::string("\xff"), std::string("\xc3("), std::string("\xed\xa0\x80"),
                          std::string("\xc0\xaf")}) {
    auto r = create(client, a, "{\"title\":\"a" + bad + "b\"}");
    BOOST_TEST(r.status == 400);
    BOOST_TEST(code_of(r) == "INVALID_JSON");
  }
  BOOST_TEST(list(client, a).header("x-total-count") == "0");
}

BOOST_AUTO_TEST_CASE(a_body_that_is_not_json_is_415) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  std::string auth = "Authorization: Bearer " + a.access_token;
  for (const char* type :
       {"Content-Type: text/plain", "Content-Type: application/x-www-form-urlencoded",
        "Content-Type: application/jsonx"}) {
    BOOST_TEST_CONTEXT(type) {
      auto r = client.request("POST", tasks_path(a), R"({"title":"x"})", {auth, type});
      BOOST_TEST(r.status == 415);
      BOOST_TEST(code_of(r) == "UNSUPPORTED_MEDIA_TYPE");
    }
  }
  auto charset = client.request("POST", tasks_path(a), R"({"title":"x"})",
                                {auth, "Content-Type: application/json; charset=utf-8"});
  BOOST_TEST(charset.status == 201);
}

BOOST_AUTO_TEST_CASE(a_malformed_or_unknown_task_id_is_404) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  std::vector<std::string> auth{"Authorization: Bearer " + a.access_token,
                                "Content-Type: application/json"};
  for (const char* id : {"not-a-uuid", "12345", "00000000-0000-0000-0000-00000000000g",
                         "'%20OR%201=1--", "00000000-0000-4000-8000-000000000000"}) {
    BOOST_TEST_CONTEXT(id) {
      for (const auto& [method, suffix] : std::vector<std::pair<std::string, std::string>>{
               {"GET", ""}, {"PUT", ""}, {"DELETE", ""}, {"PATCH", "/complete"}}) {
        auto r = client.request(method, task_path(a, id) + suffix,
                                method == "PUT" ? R"({"title":"x"})" : "", auth);
        BOOST_TEST(r.status == 404, method);
        BOOST_TEST(r.body == kNotFound);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------- text and hostile bodies

BOOST_AUTO_TEST_SUITE(tasks_text_and_bodies)

BOOST_AUTO_TEST_CASE(awkward_text_round_trips_byte_for_byte) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  const std::vector<std::string> texts{
      "Robert'); DROP TABLE tasks;--",
      "\"double\" and 'single' quotes; `back` ticks",
      "back\\slash \\\\ \\n \\u0041 stays literal",
      "50% of _all_ LIKE '%' $1 ::text E'\\x41'",
      "emoji \xf0\x9f\x8e\x89 \xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb family "
      "\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x91\xa7",
      "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d \xd7\xa2\xd7\x95\xd7\x9c\xd7\x9d \xe2\x80\x8f RTL "
      "\xd9\x85\xd8\xb1\xd8\xad\xd8\xa8\xd8\xa7",
      "<script>alert(1)</script> &amp; </title>",
      "\xe2\x80\xae reversed override, zero\xe2\x80\x8bwidth, combining e\xcc\x81"};
  for (const auto& text : texts) {
    BOOST_TEST_CONTEXT(text) {
      std::string description = text + "\nsecond line\r\n\t" + text;
      auto created = create(
          client, a,
          "{\"title\":" + json_quote(text) + ",\"description\":" + json_quote(description) + "}");
      BOOST_TEST_REQUIRE(created.status == 201, created.body);
      auto got = client.get(created.header("location"), a.access_token).json();
      BOOST_TEST(text_of(got, "title") == text);
      BOOST_TEST(text_of(got, "description") == description);
    }
  }
  auto all = list(client, a, "sort=created&order=asc");
  BOOST_TEST(titles(all) == texts);
}

BOOST_AUTO_TEST_CASE(a_2_mb_body_is_413_and_the_service_stays_up) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  std::string huge = "{\"title\":\"" + std::string(2 * 1024 * 1024, 'x') + "\"}";
  auto r = create(client, a, huge);
  BOOST_TEST(r.status == 413);
  BOOST_TEST(code_of(r) == "PAYLOAD_TOO_LARGE");
  BOOST_TEST(client.get("/api/health").status == 200);
  BOOST_TEST(create(client, a, R"({"title":"after"})").status == 201);
}

BOOST_AUTO_TEST_CASE(deeply_nested_arrays_are_refused_and_the_service_stays_up) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  auto nested = [](int depth) { return std::string(depth, '[') + std::string(depth, ']'); };

  auto over_cap = create(client, a, nested(100'000));  // 200 KB: over the 64 KiB cap
  BOOST_TEST(over_cap.status == 413);
  BOOST_TEST(client.get("/api/health").status == 200);

  auto bare = create(client, a, nested(30'000));  // 60 KB: parsed, then not an object
  BOOST_TEST(bare.status >= 400);
  BOOST_TEST(bare.status < 500);
  BOOST_TEST(names_field(bare, ""), bare.body);
  BOOST_TEST(client.get("/api/health").status == 200);

  auto as_title = create(client, a, "{\"title\":" + nested(30'000) + "}");
  BOOST_TEST(names_field(as_title, "title"), as_title.body);
  auto as_unknown = create(client, a, "{\"title\":\"deep\",\"x\":" + nested(30'000) + "}");
  BOOST_TEST(as_unknown.status == 201);
  BOOST_TEST(client.get("/api/health").status == 200);
  BOOST_TEST(list(client, a).header("x-total-count") == "1");
}

BOOST_AUTO_TEST_CASE(one_hundred_concurrent_creates_all_persist) {
  HttpClient owner;
  Account a = register_account(owner, "tasks");
  constexpr int kThreads = 5, kEach = 20;
  std::vector<std::vector<std::string>> ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      HttpClient client;
      for (int i = 0; i < kEach; ++i) {
        auto r = create(client, a,
                        "{\"title\":\"t" + std::to_string(t) + "-" + std::to_string(i) + "\"}");
        ids[t].push_back(r.status == 201 ? text_of(r.json(), "id")
                                         : "status " + std::to_string(r.status));
      }
    });
  for (auto& t : threads) t.join();

  std::set<std::string> made;
  for (const auto& v : ids) made.insert(v.begin(), v.end());
  BOOST_TEST(made.size() == std::size_t{kThreads * kEach});
  for (const auto& id : made) BOOST_TEST(id.size() == 36u, id);

  auto all = list(owner, a, "limit=500");
  BOOST_TEST(all.status == 200);
  BOOST_TEST(all.header("x-total-count") == "100");
  std::set<std::string> listed;
  auto tasks = all.json();
  BOOST_TEST_REQUIRE(tasks.IsArray());
  for (const auto& task : tasks.GetArray()) listed.insert(text_of(task, "id"));
  BOOST_TEST(listed == made);
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------- listing

BOOST_AUTO_TEST_SUITE(tasks_listing)

BOOST_AUTO_TEST_CASE(status_filters_pending_and_completed) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  create_titled(client, a, "open one");
  std::string done = create_titled(client, a, "done");
  create_titled(client, a, "open two");
  client.request("PATCH", task_path(a, done) + "/complete", "",
                 {"Authorization: Bearer " + a.access_token});

  auto pending = list(client, a, "status=pending");
  BOOST_TEST(titles(pending) == (Titles{"open two", "open one"}));
  BOOST_TEST(pending.header("x-total-count") == "2");
  auto completed = list(client, a, "status=completed");
  BOOST_TEST(titles(completed) == Titles{"done"});
  BOOST_TEST(completed.header("x-total-count") == "1");
  BOOST_TEST(titles_of(client, a, "status=all") == (Titles{"open two", "done", "open one"}));
  BOOST_TEST(list(client, a, "status=all").header("x-total-count") == "3");
}

BOOST_AUTO_TEST_CASE(created_order_is_newest_first_by_default_and_reverses_with_asc) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  for (const char* title : {"first", "second", "third"}) create_titled(client, a, title);
  BOOST_TEST(titles_of(client, a, "") == (Titles{"third", "second", "first"}));
  BOOST_TEST(titles_of(client, a, "sort=created") == (Titles{"third", "second", "first"}));
  BOOST_TEST(titles_of(client, a, "sort=created&order=desc") ==
             (Titles{"third", "second", "first"}));
  BOOST_TEST(titles_of(client, a, "sort=created&order=asc") ==
             (Titles{"first", "second", "third"}));
}

BOOST_AUTO_TEST_CASE(updated_order_puts_the_last_changed_first) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  std::string first = create_titled(client, a, "first");
  create_titled(client, a, "second");
  create_titled(client, a, "third");
  auto touched =
      client.send_json("PUT", task_path(a, first), R"({"description":"touched"})", a.access_token);
  BOOST_TEST_REQUIRE(touched.status == 200);
  BOOST_TEST(titles_of(client, a, "sort=updated") == (Titles{"first", "third", "second"}));
  BOOST_TEST(titles_of(client, a, "sort=updated&order=asc") ==
             (Titles{"second", "third", "first"}));
}

BOOST_AUTO_TEST_CASE(title_order_is_alphabetical_ignoring_case_and_ascending_by_default) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  for (const char* title : {"banana", "Cherry", "apple"}) create_titled(client, a, title);
  BOOST_TEST(titles_of(client, a, "sort=title") == (Titles{"apple", "banana", "Cherry"}));
  BOOST_TEST(titles_of(client, a, "sort=title&order=asc") == (Titles{"apple", "banana", "Cherry"}));
  BOOST_TEST(titles_of(client, a, "sort=title&order=desc") ==
             (Titles{"Cherry", "banana", "apple"}));
}

BOOST_AUTO_TEST_CASE(q_searches_title_and_description_ignoring_case) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  create_titled(client, a, "Buy MILK");
  create_titled(client, a, "Call mum", "ask about the milk");
  create_titled(client, a, "Walk the dog");
  auto found = list(client, a, "q=milk&sort=title");
  BOOST_TEST(titles(found) == (Titles{"Buy MILK", "Call mum"}));
  BOOST_TEST(found.header("x-total-count") == "2");
  BOOST_TEST(titles_of(client, a, "q=MiLk&sort=title") == (Titles{"Buy MILK", "Call mum"}));
  BOOST_TEST(titles_of(client, a, "q=the%20dog") == Titles{"Walk the dog"});
  BOOST_TEST(titles_of(client, a, "q=nothing-like-it").empty());
  BOOST_TEST(list(client, a, "q=nothing-like-it").header("x-total-count") == "0");
}

BOOST_AUTO_TEST_CASE(q_takes_percent_underscore_and_backslash_literally) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  for (const char* title : {"50% off", "500 off", "a_b", "axb", "back\\slash", "backslash"})
    create_titled(client, a, title);
  BOOST_TEST(titles_of(client, a, "q=%25") == Titles{"50% off"});
  BOOST_TEST(titles_of(client, a, "q=0%25") == Titles{"50% off"});
  BOOST_TEST(titles_of(client, a, "q=_") == Titles{"a_b"});
  BOOST_TEST(titles_of(client, a, "q=a_b") == Titles{"a_b"});
  BOOST_TEST(titles_of(client, a, "q=%5C") == Titles{"back\\slash"});
}

BOOST_AUTO_TEST_CASE(limit_and_offset_page_through_with_the_total_in_x_total_count) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  for (const char* title : {"t1", "t2", "t3", "t4", "t5"}) create_titled(client, a, title);
  auto page = [&](const std::string& query) {
    auto r = list(client, a, "sort=created&order=asc&" + query);
    BOOST_TEST(r.status == 200);
    BOOST_TEST(r.header("x-total-count") == "5", query);
    return titles(r);
  };
  BOOST_TEST(page("limit=2") == (Titles{"t1", "t2"}));
  BOOST_TEST(page("limit=2&offset=2") == (Titles{"t3", "t4"}));
  BOOST_TEST(page("limit=2&offset=4") == Titles{"t5"});
  BOOST_TEST(page("limit=2&offset=5").empty());
  BOOST_TEST(page("offset=100").empty());
  BOOST_TEST(page("limit=500").size() == 5u);
  BOOST_TEST(page("limit=1&status=all&q=t").size() == 1u);
}

BOOST_AUTO_TEST_CASE(the_default_page_is_100_tasks) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  // Through the API like everything else: 101 creates take a second or two.
  for (int i = 0; i < 101; ++i) create_titled(client, a, "task " + std::to_string(i));
  auto r = list(client, a);
  BOOST_TEST(r.header("x-total-count") == "101");
  BOOST_TEST(titles(r).size() == 100u);
}

BOOST_AUTO_TEST_CASE(unknown_or_out_of_range_list_values_are_422_naming_the_parameter) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  for (const auto& [query, name] :
       std::vector<std::pair<std::string, std::string>>{{"status=done", "status"},
                                                        {"status=", "status"},
                                                        {"sort=priority", "sort"},
                                                        {"order=up", "order"},
                                                        {"limit=0", "limit"},
                                                        {"limit=501", "limit"},
                                                        {"limit=ten", "limit"},
                                                        {"limit=2.5", "limit"},
                                                        {"offset=-1", "offset"},
                                                        {"offset=x", "offset"},
                                                        {"q=" + std::string(201, 'q'), "q"}}) {
    BOOST_TEST_CONTEXT(query) {
      auto r = list(client, a, query);
      BOOST_TEST(names_field(r, name, "query"), r.body);
    }
  }
  auto several = list(client, a, "status=done&limit=0");
  BOOST_TEST(names_field(several, "status", "query"));
  BOOST_TEST(names_field(several, "limit", "query"));
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------- database outage

BOOST_AUTO_TEST_SUITE(tasks_database_outage)

BOOST_AUTO_TEST_CASE(task_requests_are_503_while_postgres_is_down_and_200_after_without_restart) {
  HttpClient client;
  Account a = register_account(client, "tasks");
  std::string id = create_titled(client, a, "survives the outage");
  auto workers_before = worker_pids();
  BOOST_REQUIRE(!workers_before.empty());

  BOOST_REQUIRE(run_todo("pg-stop"));
  struct Restart {  // whatever happens below, later tests get their database back
    ~Restart() { run_todo("pg-start"); }
  } restart;

  for (const auto& [method, path] : std::vector<std::pair<std::string, std::string>>{
           {"GET", tasks_path(a)}, {"POST", tasks_path(a)}, {"GET", task_path(a, id)}}) {
    BOOST_TEST_CONTEXT(method << " " << path) {
      auto started = std::chrono::steady_clock::now();
      auto r = client.request(
          method, path, method == "POST" ? R"({"title":"during"})" : "",
          {"Authorization: Bearer " + a.access_token, "Content-Type: application/json"});
      auto took = std::chrono::steady_clock::now() - started;
      BOOST_TEST(r.status == 503);
      BOOST_TEST(r.header("content-type") == "application/json");
      BOOST_TEST(code_of(r) == "UNAVAILABLE");
      BOOST_TEST(!r.header("retry-after").empty());
      BOOST_TEST(took < 5s);
    }
  }

  BOOST_REQUIRE(run_todo("pg-start"));
  bool back = wait_until([&] { return list(client, a).status == 200; }, 15s);
  BOOST_TEST(back);
  BOOST_TEST(titles_of(client, a, "") == Titles{"survives the outage"});
  auto workers_after = worker_pids();
  BOOST_TEST(std::set(workers_before.begin(), workers_before.end()) ==
             std::set(workers_after.begin(), workers_after.end()));
}

BOOST_AUTO_TEST_SUITE_END()
