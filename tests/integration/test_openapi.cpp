// docs/openapi.json against the running server, so the two cannot drift:
//
// - the document's routes are exactly the router's (app/routes.cpp), and
//   every other method on a documented path is 405 with the documented Allow;
// - every (method, path, status) the document lists has a probe below that
//   provokes it, and every probe a documented status;
// - each probe's live answer has that status, a JSON body valid against the
//   documented schema, and every header the document marks required.

#include <rapidjson/document.h>

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "app/routes.hpp"
#include "core/json_body.hpp"
#include "http_client.hpp"
#include "stack.hpp"

using namespace todo::testing;
using namespace std::chrono_literals;
using Json = rapidjson::Value;

namespace {

// ---------------------------------------------------------------- the document

std::string_view text_of(const Json& v) {
  return v.IsString() ? std::string_view(v.GetString(), v.GetStringLength()) : std::string_view{};
}

// The member `key` of an object, or nullptr.
const Json* find(const Json& object, std::string_view key) {
  if (!object.IsObject()) return nullptr;
  auto it = object.FindMember(rapidjson::Value(rapidjson::StringRef(key.data(), key.size())));
  return it == object.MemberEnd() ? nullptr : &it->value;
}

const Json& at(const Json& object, std::string_view key) {
  if (const Json* v = find(object, key)) return *v;
  throw std::runtime_error("openapi.json: no key " + std::string(key));
}

struct OpenApi {
  rapidjson::Document root;

  static OpenApi load() {
    std::string path = required_env("TODO_SOURCE_DIR") + "/docs/openapi.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    std::stringstream text;
    text << in.rdbuf();
    OpenApi api;
    if (!todo::parse_json(text.str(), api.root) || !api.root.IsObject())
      throw std::runtime_error(path + " is not a JSON object");
    return api;
  }

  // The node a "#/a/b/c" reference names.
  const Json& resolve(std::string_view ref) const {
    if (!ref.starts_with("#/"))
      throw std::runtime_error("openapi.json: external $ref " + std::string(ref));
    const Json* node = &root;
    std::stringstream parts{std::string(ref.substr(2))};
    for (std::string part; std::getline(parts, part, '/');) {
      node = find(*node, part);
      if (!node)
        throw std::runtime_error("openapi.json: $ref " + std::string(ref) + " names nothing");
    }
    return *node;
  }
  // The node itself, or what its $ref names.
  const Json& deref(const Json& node) const {
    const Json* ref = find(node, "$ref");
    return ref ? deref(resolve(text_of(*ref))) : node;
  }

  const Json& paths() const { return at(root, "paths"); }
};

const std::set<std::string> kMethods{"get",   "put",  "post",    "delete",
                                     "patch", "head", "options", "trace"};

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}
std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// (METHOD, path template, status)
using Triple = std::tuple<std::string, std::string, std::string>;

std::set<Triple> documented_statuses(const OpenApi& api) {
  std::set<Triple> out;
  for (const auto& [path, item] : api.paths().GetObject())
    for (const auto& [method, operation] : item.GetObject())
      if (kMethods.contains(method.GetString()))
        for (const auto& [status, response] : at(operation, "responses").GetObject())
          out.emplace(upper(method.GetString()), path.GetString(), status.GetString());
  return out;
}

std::set<std::string> documented_methods(const Json& path_item) {
  std::set<std::string> out;
  for (const auto& [method, operation] : path_item.GetObject())
    if (kMethods.contains(method.GetString())) out.insert(upper(method.GetString()));
  return out;
}

// What Allow lists for a path: its methods, and HEAD wherever GET is (API.md).
std::set<std::string> allowed_methods(const Json& path_item) {
  std::set<std::string> out = documented_methods(path_item);
  if (out.contains("GET")) out.insert("HEAD");
  return out;
}

// ---------------------------------------------------------------- schema checks

bool has_type(const Json& v, std::string_view type) {
  if (type == "string") return v.IsString();
  if (type == "null") return v.IsNull();
  if (type == "integer") return v.IsInt64() || v.IsUint64();
  if (type == "number") return v.IsNumber();
  if (type == "boolean") return v.IsBool();
  if (type == "object") return v.IsObject();
  if (type == "array") return v.IsArray();
  return false;
}

// A schema's "type": one name or a list of names.
std::vector<std::string_view> types_of(const Json& schema) {
  std::vector<std::string_view> out;
  if (const Json* type = find(schema, "type")) {
    if (type->IsArray())
      for (const auto& t : type->GetArray()) out.push_back(text_of(t));
    else
      out.push_back(text_of(*type));
  }
  return out;
}

// Why `v` does not fit `schema` (type, const, enum, required, properties,
// additionalProperties, items, minItems), or "" when it does.
std::string violation(const OpenApi& api, const Json& schema_ref, const Json& v,
                      const std::string& where) {
  const Json& schema = api.deref(schema_ref);
  auto types = types_of(schema);
  if (!types.empty() && std::ranges::none_of(types, [&](auto t) { return has_type(v, t); }))
    return where + " is not of the documented type";
  if (const Json* c = find(schema, "const"); c && *c != v) return where + " is not the const";
  if (const Json* choices = find(schema, "enum")) {
    if (std::ranges::none_of(choices->GetArray(), [&](const Json& choice) { return choice == v; }))
      return where + " is not one of the enum";
  }
  if (v.IsObject()) {
    const Json* properties = find(schema, "properties");
    if (const Json* required = find(schema, "required"))
      for (const auto& name : required->GetArray())
        if (!v.HasMember(name)) return where + " lacks required " + name.GetString();
    const Json* additional = find(schema, "additionalProperties");
    for (const auto& member : v.GetObject()) {
      std::string name = member.name.GetString();
      const Json* property = properties ? find(*properties, name) : nullptr;
      if (!property) {
        if (additional && additional->IsFalse())
          return where + " has undocumented property " + name;
        continue;
      }
      if (auto why = violation(api, *property, member.value, where + "." + name); !why.empty())
        return why;
    }
  }
  if (v.IsArray()) {
    if (const Json* min = find(schema, "minItems"); min && v.Size() < min->GetUint())
      return where + " has fewer than " + std::to_string(min->GetUint()) + " items";
    if (const Json* items = find(schema, "items"))
      for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
        if (auto why = violation(api, *items, v[i], where + "[" + std::to_string(i) + "]");
            !why.empty())
          return why;
  }
  return "";
}

// Checks a live answer against the documented response for `status`.
void check_answer(const OpenApi& api, const Json& operation, const std::string& status,
                  const HttpResponse& r) {
  const Json& response = api.deref(at(at(operation, "responses"), status));
  BOOST_TEST(r.status == std::stol(status), r.body);
  // The one media type the document gives the answer.
  const Json& content = at(response, "content");
  std::string type = content.MemberBegin()->name.GetString();
  BOOST_TEST(r.header("content-type").starts_with(type), r.header("content-type"));
  if (const Json* headers = find(response, "headers")) {
    for (const auto& [name, header_ref] : headers->GetObject()) {
      const Json* required = find(api.deref(header_ref), "required");
      if (required && required->IsTrue())
        BOOST_TEST(!r.header(lower(name.GetString())).empty(),
                   "required header " << name.GetString() << " is missing");
    }
  }
  if (type != "application/json") return;  // /metrics: Prometheus' text, tested on its own
  const Json& schema = at(at(content, "application/json"), "schema");
  auto body = r.json();
  std::string why = violation(api, schema, body, "body");
  BOOST_TEST(why.empty(), why << " in " << r.body);
}

// ---------------------------------------------------------------- the probes

// The accounts and task the probes use. `client` holds the user's refresh cookie.
struct World {
  HttpClient client, other_client;
  Account user = signup(client, "oas");
  Account other = signup(other_client, "oas-other");
  HttpClient password_client;
  Account password_changer = signup(password_client, "oas-password");
  std::string task_id = make_task();

  static Account signup(HttpClient& c, const std::string& tag) { return register_account(c, tag); }

  std::string make_task() {
    auto r = client.send_json("POST", tasks_path(user), R"({"title":"probe"})", user.access_token);
    if (r.status != 201) throw std::runtime_error("create task: " + r.body);
    return r.json()["id"].GetString();
  }

  // The template with a user id and task id filled in.
  static std::string fill(std::string path, const std::string& user_id, const std::string& id) {
    for (auto [name, value] : {std::pair{"{user_id}", user_id}, std::pair{"{id}", id}})
      if (auto at = path.find(name); at != std::string::npos)
        path.replace(at, std::string_view(name).size(), value);
    return path;
  }
  std::string own(const std::string& path) { return fill(path, user.id, task_id); }
  std::string others(const std::string& path) { return fill(path, other.id, task_id); }
  std::string missing(const std::string& path) {
    return fill(path, user.id, "00000000-0000-4000-8000-000000000000");
  }
};

enum class When { live, database_down, rate_limited };

struct Probe {
  std::string method, path, status;
  When when;
  std::function<HttpResponse(World&, const std::string& method, const std::string& path)> provoke;
};

using Fn = decltype(Probe::provoke);

const std::string kOversized = "{\"title\":\"" + std::string(70 * 1024, 'x') + "\"}";

std::vector<std::string> with_token(const std::string& token,
                                    const std::string& type = "application/json") {
  std::vector<std::string> headers{"Content-Type: " + type};
  if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
  return headers;
}

// Sends `body` to the user's own instance of the path, with or without the token.
Fn own(const std::string& body, bool token = true, const std::string& type = "application/json") {
  return [=](World& w, const std::string& m, const std::string& p) {
    return HttpClient().request(m, w.own(p), body,
                                with_token(token ? w.user.access_token : "", type));
  };
}
Fn others_path(const std::string& body = "") {
  return [=](World& w, const std::string& m, const std::string& p) {
    return HttpClient().request(m, w.others(p), body, with_token(w.user.access_token));
  };
}
Fn missing_task(const std::string& body = "") {
  return [=](World& w, const std::string& m, const std::string& p) {
    return HttpClient().request(m, w.missing(p), body, with_token(w.user.access_token));
  };
}
// Requests from one address until nginx's limit answers (bounded).
Fn flood() {
  return [](World&, const std::string& m, const std::string& p) {
    HttpClient client;
    HttpResponse r;
    for (int i = 0; i < 100 && r.status != 429; ++i) r = client.request(m, p, "{}", with_token(""));
    return r;
  };
}
Fn register_fresh() {
  return [](World&, const std::string& m, const std::string& p) {
    return HttpClient().request(m, p,
                                "{\"email\":" + json_quote(unique_email("oas-new")) +
                                    R"(,"password":"a sound passphrase"})",
                                with_token(""));
  };
}
Fn login_as_user(const std::string& password = "") {
  return [=](World& w, const std::string& m, const std::string& p) {
    return HttpClient().request(m, p,
                                "{\"email\":" + json_quote(w.user.email) + ",\"password\":" +
                                    json_quote(password.empty() ? w.user.password : password) + "}",
                                with_token(""));
  };
}
// The browser that signed in, sending its refresh cookie.
Fn with_cookie(std::vector<std::string> headers = {}) {
  return [=](World& w, const std::string& m, const std::string& p) {
    return w.client.request(m, p, "", headers);
  };
}
Fn new_password_for_user() {
  return [](World& w, const std::string& m, const std::string& p) {
    return HttpClient().request(m, p,
                                "{\"current_password\":" + json_quote(w.user.password) +
                                    R"(,"new_password":"another sound passphrase"})",
                                with_token(w.user.access_token));
  };
}

constexpr auto live = When::live;
constexpr auto down = When::database_down;

std::vector<Probe> probes() {
  const std::string health = "/api/health", reg = "/api/auth/register", login = "/api/auth/login",
                    refresh = "/api/auth/refresh", logout = "/api/auth/logout", me = "/api/auth/me",
                    password = "/api/auth/password", sessions = "/api/auth/sessions",
                    session = "/api/auth/sessions/{id}", tasks = "/api/{user_id}/tasks",
                    task = "/api/{user_id}/tasks/{id}",
                    complete = "/api/{user_id}/tasks/{id}/complete";
  const std::string valid_task = R"({"title":"probe task"})";
  return {
      {"GET", health, "200", live, own("", false)},
      {"GET", "/metrics", "200", live, own("", false)},
      {"GET", health, "503", down, own("", false)},

      {"POST", reg, "201", live, register_fresh()},
      {"POST", reg, "400", live, own("{", false)},
      {"POST", reg, "409", live,
       [](World& w, const std::string& m, const std::string& p) {
         return HttpClient().request(m, p,
                                     "{\"email\":" + json_quote(upper(w.user.email)) +
                                         R"(,"password":"a sound passphrase"})",
                                     with_token(""));
       }},
      {"POST", reg, "413", live, own(kOversized, false)},
      {"POST", reg, "415", live, own("email=a", false, "text/plain")},
      {"POST", reg, "422", live, own("{}", false)},
      {"POST", reg, "429", When::rate_limited, flood()},
      {"POST", reg, "503", down, register_fresh()},

      {"POST", login, "200", live, login_as_user()},
      {"POST", login, "400", live, own("{", false)},
      {"POST", login, "401", live, login_as_user("not the password")},
      {"POST", login, "413", live, own(kOversized, false)},
      {"POST", login, "415", live, own("email=a", false, "text/plain")},
      {"POST", login, "422", live, own("{}", false)},
      {"POST", login, "429", When::rate_limited, flood()},
      {"POST", login, "503", down, login_as_user()},

      {"POST", refresh, "200", live, with_cookie()},
      {"POST", refresh, "401", live, own("", false)},  // a fresh client: no cookie
      {"POST", refresh, "403", live, with_cookie({"Origin: https://elsewhere.example"})},
      {"POST", refresh, "503", down, with_cookie()},

      {"POST", logout, "200", live, own("", false)},
      {"POST", logout, "400", live, own("{", false)},
      {"POST", logout, "401", live, own(R"({"all":true})", false)},
      {"POST", logout, "413", live, own(kOversized, false)},
      {"POST", logout, "415", live, own("all=true", false, "text/plain")},
      {"POST", logout, "422", live, own(R"({"all":"yes"})", false)},
      {"POST", logout, "503", down, own(R"({"all":true})")},

      {"GET", me, "200", live, own("")},
      {"GET", me, "401", live, own("", false)},
      {"GET", me, "503", down, own("")},

      {"PUT", password, "200", live,
       [](World& w, const std::string& m, const std::string& p) {
         // An account of its own, made once: this one changes its password.
         Account& a = w.password_changer;
         return w.password_client.request(m, p,
                                          "{\"current_password\":" + json_quote(a.password) +
                                              R"(,"new_password":"another sound passphrase"})",
                                          with_token(a.access_token));
       }},
      {"PUT", password, "400", live, own("{")},
      {"PUT", password, "401", live, own(R"({"current_password":"x","new_password":"y"})", false)},
      {"PUT", password, "413", live, own(kOversized)},
      {"PUT", password, "415", live, own("x", true, "text/plain")},
      {"PUT", password, "422", live, own("{}")},
      {"PUT", password, "429", When::rate_limited, flood()},
      {"PUT", password, "503", down, new_password_for_user()},

      {"GET", sessions, "200", live, own("")},
      {"GET", sessions, "401", live, own("", false)},
      {"GET", sessions, "503", down, own("")},

      {"DELETE", session, "200", live,
       [](World& w, const std::string& m, const std::string& p) {
         // A second login of the user opens the session to end.
         auto login = HttpClient().request("POST", "/api/auth/login",
                                           "{\"email\":" + json_quote(w.user.email) +
                                               ",\"password\":" + json_quote(w.user.password) + "}",
                                           with_token(""));
         if (login.status != 200) return login;  // a 429 is waited out by run_probes
         std::string token = login.json()["access_token"].GetString();
         auto listed = HttpClient().request("GET", "/api/auth/sessions", "", with_token(token));
         auto listed_doc = listed.json();
         for (const auto& s : listed_doc.GetArray())
           if (s["current"].GetBool())
             return HttpClient().request(m, World::fill(p, "", s["id"].GetString()), "",
                                         with_token(w.user.access_token));
         throw std::runtime_error("the new session is not in " + listed.body);
       }},
      {"DELETE", session, "401", live, own("", false)},
      {"DELETE", session, "404", live, missing_task()},
      {"DELETE", session, "503", down, own("")},

      {"GET", tasks, "200", live, own("")},
      {"GET", tasks, "401", live, own("", false)},
      {"GET", tasks, "403", live, others_path()},
      {"GET", tasks, "422", live,
       [](World& w, const std::string& m, const std::string& p) {
         return HttpClient().request(m, w.own(p) + "?status=done", "",
                                     with_token(w.user.access_token));
       }},
      {"GET", tasks, "503", down, own("")},

      {"POST", tasks, "201", live, own(valid_task)},
      {"POST", tasks, "400", live, own("{")},
      {"POST", tasks, "401", live, own(valid_task, false)},
      {"POST", tasks, "403", live, others_path(valid_task)},
      {"POST", tasks, "413", live, own(kOversized)},
      {"POST", tasks, "415", live, own(valid_task, true, "text/plain")},
      {"POST", tasks, "422", live, own("{}")},
      {"POST", tasks, "503", down, own(valid_task)},

      {"GET", task, "200", live, own("")},
      {"GET", task, "401", live, own("", false)},
      {"GET", task, "403", live, others_path()},
      {"GET", task, "404", live, missing_task()},
      {"GET", task, "503", down, own("")},

      {"PUT", task, "200", live, own(R"({"title":"renamed probe"})")},
      {"PUT", task, "400", live, own("{")},
      {"PUT", task, "401", live, own(valid_task, false)},
      {"PUT", task, "403", live, others_path(valid_task)},
      {"PUT", task, "404", live, missing_task(valid_task)},
      {"PUT", task, "413", live, own(kOversized)},
      {"PUT", task, "415", live, own(valid_task, true, "text/plain")},
      {"PUT", task, "422", live, own(R"({"title":""})")},
      {"PUT", task, "503", down, own(valid_task)},

      {"DELETE", task, "200", live,
       [](World& w, const std::string& m, const std::string& p) {
         std::string doomed = w.make_task();
         return HttpClient().request(m, World::fill(p, w.user.id, doomed), "",
                                     with_token(w.user.access_token));
       }},
      {"DELETE", task, "401", live, own("", false)},
      {"DELETE", task, "403", live, others_path()},
      {"DELETE", task, "404", live, missing_task()},
      {"DELETE", task, "503", down, own("")},

      {"PATCH", complete, "200", live, own("")},
      {"PATCH", complete, "401", live, own("", false)},
      {"PATCH", complete, "403", live, others_path()},
      {"PATCH", complete, "404", live, missing_task()},
      {"PATCH", complete, "503", down, own("")},
  };
}

// Provokes every probe of `when` and checks each answer against the document;
// answers how many ran.
int run_probes(const OpenApi& api, World& w, When when) {
  int ran = 0;
  for (const Probe& probe : probes()) {
    if (probe.when != when) continue;
    const Json* item = find(api.paths(), probe.path);
    const Json* operation = item ? find(*item, lower(probe.method)) : nullptr;
    if (!operation || !find(at(*operation, "responses"), probe.status)) continue;  // see coverage
    BOOST_TEST_CONTEXT(probe.method << " " << probe.path << " -> " << probe.status) {
      HttpResponse r;
      // Other tests sign in too: a 429 that is not the point is waited out.
      wait_until(
          [&] {
            r = probe.provoke(w, probe.method, probe.path);
            return r.status != 429 || probe.status == "429";
          },
          20s);
      check_answer(api, *operation, probe.status, r);
      ++ran;
    }
  }
  return ran;
}

// The (METHOD, path) pairs of the service's route table.
std::set<std::pair<std::string, std::string>> router_routes() {
  std::set<std::pair<std::string, std::string>> out;
  for (const todo::RouteSpec& route : todo::routes())
    out.emplace(std::string(route.method), std::string(route.pattern));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(openapi)

BOOST_AUTO_TEST_CASE(the_document_is_openapi_3_1_and_every_ref_resolves) {
  OpenApi api = OpenApi::load();
  BOOST_TEST(text_of(at(api.root, "openapi")) == "3.1.0");
  int refs = 0;
  std::function<void(const Json&)> walk = [&](const Json& node) {
    if (node.IsObject()) {
      for (const auto& [key, child] : node.GetObject()) {
        if (std::string_view(key.GetString()) == "$ref") {
          ++refs;
          BOOST_CHECK_NO_THROW(api.resolve(text_of(child)));
        }
        walk(child);
      }
    }
    if (node.IsArray())
      for (const auto& item : node.GetArray()) walk(item);
  };
  walk(api.root);
  BOOST_TEST(refs > 50);
}

BOOST_AUTO_TEST_CASE(the_document_lists_exactly_the_routers_routes) {
  OpenApi api = OpenApi::load();
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, item] : api.paths().GetObject())
    for (const auto& method : documented_methods(item))
      documented.emplace(method, path.GetString());
  auto routed = router_routes();
  BOOST_TEST_REQUIRE(routed.size() >= 13u);
  for (const auto& [method, path] : routed)
    BOOST_TEST(documented.contains({method, path}), "undocumented route " << method << " " << path);
  for (const auto& [method, path] : documented)
    BOOST_TEST(routed.contains({method, path}),
               "documented but not routed: " << method << " " << path);
}

BOOST_AUTO_TEST_CASE(every_documented_status_has_a_probe_and_every_probe_a_documented_status) {
  OpenApi api = OpenApi::load();
  std::set<Triple> documented = documented_statuses(api), probed;
  for (const auto& p : probes()) {
    BOOST_TEST(probed.emplace(p.method, p.path, p.status).second,
               "two probes for " << p.method << " " << p.path << " " << p.status);
  }
  for (const auto& [method, path, status] : documented)
    BOOST_TEST(probed.contains({method, path, status}),
               "no probe provokes " << method << " " << path << " " << status);
  for (const auto& [method, path, status] : probed)
    BOOST_TEST(documented.contains({method, path, status}),
               "probe for an undocumented status: " << method << " " << path << " " << status);
}

BOOST_AUTO_TEST_CASE(operations_that_need_a_bearer_token_document_401) {
  OpenApi api = OpenApi::load();
  for (const auto& [path, item] : api.paths().GetObject())
    for (const auto& [method, operation] : item.GetObject()) {
      const Json* security = find(operation, "security");
      if (!kMethods.contains(method.GetString()) || !security) continue;
      bool bearer_only = security->Size() == 1 && find((*security)[0], "bearerAuth");
      if (bearer_only)
        BOOST_TEST(find(at(operation, "responses"), "401") != nullptr,
                   method.GetString() << " " << path.GetString());
    }
}

BOOST_AUTO_TEST_CASE(the_server_answers_every_documented_status_as_documented) {
  OpenApi api = OpenApi::load();
  World w;
  BOOST_TEST(run_probes(api, w, When::live) > 50);
}

BOOST_AUTO_TEST_CASE(other_methods_on_documented_paths_are_405_with_the_documented_allow) {
  OpenApi api = OpenApi::load();
  World w;
  for (const auto& [path_name, item] : api.paths().GetObject()) {
    std::string path = path_name.GetString();
    std::set<std::string> allowed = allowed_methods(item);
    for (const char* method : {"GET", "POST", "PUT", "DELETE", "PATCH"}) {
      if (allowed.contains(method)) continue;
      BOOST_TEST_CONTEXT(method << " " << path) {
        HttpResponse r;
        wait_until(  // the sign-in routes' rate limit counts every method
            [&] {
              r = w.client.request(method, w.own(path), "", with_token(w.user.access_token));
              return r.status != 429;
            },
            20s);
        BOOST_TEST(r.status == 405);
        std::set<std::string> allow;
        std::stringstream list(r.header("allow"));
        for (std::string m; std::getline(list, m, ',');)
          allow.insert(m.substr(m.find_first_not_of(' ')));
        BOOST_TEST(allow == allowed, "Allow: " << r.header("allow"));
        BOOST_TEST(r.body == R"({"detail":"Method Not Allowed","code":"METHOD_NOT_ALLOWED"})");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(the_database_outage_statuses_are_answered_as_documented) {
  // Set up while the database is there; then every 503 in one outage.
  OpenApi api = OpenApi::load();
  World w;
  BOOST_REQUIRE(run_todo("pg-stop"));
  struct Restart {
    ~Restart() { run_todo("pg-start"); }
  } restart;
  BOOST_TEST(run_probes(api, w, When::database_down) > 10);
  BOOST_REQUIRE(run_todo("pg-start"));
  BOOST_TEST(wait_until([&] { return w.client.get("/api/health").status == 200; }, 15s));
}

BOOST_AUTO_TEST_CASE(the_rate_limit_statuses_are_answered_as_documented) {
  OpenApi api = OpenApi::load();
  World w;
  BOOST_TEST(run_probes(api, w, When::rate_limited) == 3);
  // Let the bucket drain (5 a second, burst 10) so later sign-ins pass.
  std::this_thread::sleep_for(2500ms);
}

BOOST_AUTO_TEST_SUITE_END()
