// docs/openapi.yaml against the running server, so the two cannot drift:
//
// - the document's routes are exactly the router's (fcgi-app/app/app.cpp), and
//   every other method on a documented path is 405 with the documented Allow;
// - every (method, path, status) the document lists has a probe below that
//   provokes it, and every probe a documented status;
// - each probe's live answer has that status, a JSON body valid against the
//   documented schema, and every header the document marks required.
//
// The document keeps to a small YAML subset (see its header), read by the
// purpose-made reader here.

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "http_client.hpp"
#include "stack.hpp"

using namespace todo::testing;
using namespace std::chrono_literals;

namespace {

// ---------------------------------------------------------------- a small YAML reader

// A scalar (value), a mapping (entries, in order) or a sequence (items).
struct YamlNode {
  std::string value;
  std::vector<std::pair<std::string, YamlNode>> entries;
  std::vector<YamlNode> items;

  const YamlNode* find(std::string_view key) const {
    for (const auto& [k, v] : entries)
      if (k == key) return &v;
    return nullptr;
  }
  const YamlNode& at(std::string_view key) const {
    if (const YamlNode* node = find(key)) return *node;
    throw std::runtime_error("openapi.yaml: no key " + std::string(key));
  }
  std::string value_of(std::string_view key) const {
    const YamlNode* node = find(key);
    return node ? node->value : "";
  }
};

std::string unquote(std::string_view text) {
  if (text.size() < 2 || (text.front() != '"' && text.front() != '\'') ||
      text.back() != text.front())
    return std::string(text);
  std::string out;
  for (std::size_t i = 1; i + 1 < text.size(); ++i) {
    if (text.front() == '"' && text[i] == '\\' && i + 2 < text.size())
      ++i;
    else if (text.front() == '\'' && text[i] == '\'' && i + 2 < text.size())
      ++i;
    out.push_back(text[i]);
  }
  return out;
}

// Block mappings and sequences by indentation, "key: value" scalars, quoted
// keys, ">-"/"|" block text. Anything else is an error naming the line.
class YamlReader {
 public:
  explicit YamlReader(std::istream& in) {
    std::string raw;
    for (int number = 1; std::getline(in, raw); ++number) {
      if (!raw.empty() && raw.back() == '\r') raw.pop_back();
      std::size_t indent = raw.find_first_not_of(' ');
      if (indent == std::string::npos || raw[indent] == '#') continue;
      if (raw.find('\t') != std::string::npos) fail(number, "tab character");
      lines_.push_back({static_cast<int>(indent), raw.substr(indent), number});
    }
  }

  YamlNode document() {
    YamlNode root = block(0);
    if (pos_ < lines_.size()) fail(lines_[pos_].number, "unexpected indentation");
    return root;
  }

 private:
  struct Line {
    int indent;
    std::string text;
    int number;
  };

  [[noreturn]] static void fail(int number, const std::string& why) {
    throw std::runtime_error("openapi.yaml line " + std::to_string(number) + ": " + why);
  }

  // The position of the ':' that ends a mapping key, or npos.
  static std::size_t key_end(std::string_view text) {
    std::size_t from = 0;
    if (text.front() == '"' || text.front() == '\'') {
      from = text.find(text.front(), 1);
      if (from == std::string_view::npos) return from;
    }
    for (std::size_t i = from; i < text.size(); ++i)
      if (text[i] == ':' && (i + 1 == text.size() || text[i + 1] == ' ')) return i;
    return std::string_view::npos;
  }

  YamlNode block(int indent) {
    YamlNode node;
    while (pos_ < lines_.size() && lines_[pos_].indent == indent) {
      Line& line = lines_[pos_];
      if (line.text == "-" || line.text.starts_with("- ")) {
        std::string rest = line.text == "-" ? "" : line.text.substr(2);
        if (rest.empty()) {
          ++pos_;
          if (pos_ == lines_.size() || lines_[pos_].indent <= indent)
            fail(line.number, "empty item");
          node.items.push_back(block(lines_[pos_].indent));
        } else if (key_end(rest) != std::string::npos) {
          line = {indent + 2, rest, line.number};  // "- key: value" opens a mapping
          node.items.push_back(block(indent + 2));
        } else {
          node.items.push_back({unquote(rest), {}, {}});
          ++pos_;
        }
        continue;
      }
      std::size_t colon = key_end(line.text);
      if (colon == std::string::npos) fail(line.number, "expected \"key: value\"");
      std::string key = unquote(line.text.substr(0, colon));
      std::string rest = colon + 1 < line.text.size() ? line.text.substr(colon + 2) : "";
      ++pos_;
      YamlNode child;
      if (rest == ">-" || rest == ">" || rest == "|" || rest == "|-") {
        for (; pos_ < lines_.size() && lines_[pos_].indent > indent; ++pos_)
          child.value += (child.value.empty() ? "" : " ") + lines_[pos_].text;
      } else if (!rest.empty()) {
        child.value = unquote(rest);
      } else if (pos_ < lines_.size() && lines_[pos_].indent > indent) {
        child = block(lines_[pos_].indent);
      }
      node.entries.emplace_back(std::move(key), std::move(child));
    }
    return node;
  }

  std::vector<Line> lines_;
  std::size_t pos_ = 0;
};

// [a, "b"] or a block sequence or one scalar, as a list of strings.
std::vector<std::string> list_of(const YamlNode* node) {
  std::vector<std::string> out;
  if (!node) return out;
  for (const auto& item : node->items) out.push_back(item.value);
  std::string_view v = node->value;
  if (v.size() >= 2 && v.front() == '[' && v.back() == ']') {
    std::stringstream items(std::string(v.substr(1, v.size() - 2)));
    for (std::string item; std::getline(items, item, ',');) {
      auto first = item.find_first_not_of(' '), last = item.find_last_not_of(' ');
      if (first != std::string::npos) out.push_back(unquote(item.substr(first, last - first + 1)));
    }
  } else if (!v.empty()) {
    out.emplace_back(v);
  }
  return out;
}

struct OpenApi {
  YamlNode root;

  static OpenApi load() {
    std::string path = required_env("TODO_SOURCE_DIR") + "/docs/openapi.yaml";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    return OpenApi{YamlReader(in).document()};
  }

  // The node a "#/a/b/c" reference names.
  const YamlNode& resolve(const std::string& ref) const {
    if (!ref.starts_with("#/")) throw std::runtime_error("openapi.yaml: external $ref " + ref);
    const YamlNode* node = &root;
    std::stringstream parts(ref.substr(2));
    for (std::string part; std::getline(parts, part, '/');) {
      node = node->find(part);
      if (!node) throw std::runtime_error("openapi.yaml: $ref " + ref + " names nothing");
    }
    return *node;
  }
  // The node itself, or what its $ref names.
  const YamlNode& deref(const YamlNode& node) const {
    const YamlNode* ref = node.find("$ref");
    return ref ? deref(resolve(ref->value)) : node;
  }

  const YamlNode& paths() const { return root.at("paths"); }
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
  for (const auto& [path, item] : api.paths().entries)
    for (const auto& [method, operation] : item.entries)
      if (kMethods.contains(method))
        for (const auto& [status, response] : operation.at("responses").entries)
          out.emplace(upper(method), path, status);
  return out;
}

std::set<std::string> documented_methods(const YamlNode& path_item) {
  std::set<std::string> out;
  for (const auto& [method, operation] : path_item.entries)
    if (kMethods.contains(method)) out.insert(upper(method));
  return out;
}

// ---------------------------------------------------------------- schema checks

bool has_type(const rapidjson::Value& v, const std::string& type) {
  if (type == "string") return v.IsString();
  if (type == "null") return v.IsNull();
  if (type == "integer") return v.IsInt64() || v.IsUint64();
  if (type == "number") return v.IsNumber();
  if (type == "boolean") return v.IsBool();
  if (type == "object") return v.IsObject();
  if (type == "array") return v.IsArray();
  return false;
}

// Why `v` does not fit `schema` (type, const, enum, required, properties,
// additionalProperties, items, minItems), or "" when it does.
std::string violation(const OpenApi& api, const YamlNode& schema_ref, const rapidjson::Value& v,
                      const std::string& where) {
  const YamlNode& schema = api.deref(schema_ref);
  auto types = list_of(schema.find("type"));
  if (!types.empty() && std::ranges::none_of(types, [&](const auto& t) { return has_type(v, t); }))
    return where + " is not of type " + schema.value_of("type");
  if (const YamlNode* c = schema.find("const"); c && (!v.IsString() || v.GetString() != c->value))
    return where + " is not " + c->value;
  if (auto choices = list_of(schema.find("enum")); !choices.empty()) {
    if (!v.IsString() || std::ranges::find(choices, std::string(v.GetString())) == choices.end())
      return where + " is not one of the enum";
  }
  if (v.IsObject()) {
    const YamlNode* properties = schema.find("properties");
    for (const auto& name : list_of(schema.find("required")))
      if (!v.HasMember(name.c_str())) return where + " lacks required " + name;
    for (const auto& member : v.GetObject()) {
      std::string name = member.name.GetString();
      const YamlNode* property = properties ? properties->find(name) : nullptr;
      if (!property) {
        if (schema.value_of("additionalProperties") == "false")
          return where + " has undocumented property " + name;
        continue;
      }
      if (auto why = violation(api, *property, member.value, where + "." + name); !why.empty())
        return why;
    }
  }
  if (v.IsArray()) {
    if (auto min = schema.value_of("minItems"); !min.empty() && v.Size() < std::stoul(min))
      return where + " has fewer than " + min + " items";
    if (const YamlNode* items = schema.find("items"))
      for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
        if (auto why = violation(api, *items, v[i], where + "[" + std::to_string(i) + "]");
            !why.empty())
          return why;
  }
  return "";
}

// Checks a live answer against the documented response for `status`.
void check_answer(const OpenApi& api, const YamlNode& operation, const std::string& status,
                  const HttpResponse& r) {
  const YamlNode& response = api.deref(operation.at("responses").at(status));
  BOOST_TEST(r.status == std::stol(status), r.body);
  BOOST_TEST(r.header("content-type").starts_with("application/json"), r.header("content-type"));
  if (const YamlNode* headers = response.find("headers")) {
    for (const auto& [name, header_ref] : headers->entries)
      if (api.deref(header_ref).value_of("required") == "true")
        BOOST_TEST(!r.header(lower(name)).empty(), "required header " << name << " is missing");
  }
  const YamlNode& schema =
      response.at("content").at("application/json").at("schema");  // every answer is JSON
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
  std::string task_id = make_task();

  static Account signup(HttpClient& c, const std::string& tag) {
    Account a;
    wait_until(
        [&] {
          try {
            a = register_account(c, tag);
            return true;
          } catch (const std::runtime_error& e) {
            if (std::string(e.what()).find(" 429 ") == std::string::npos) throw;
            return false;
          }
        },
        20s);
    if (a.id.empty()) throw std::runtime_error("could not register through the rate limit");
    return a;
  }

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
                    password = "/api/auth/password", tasks = "/api/{user_id}/tasks",
                    task = "/api/{user_id}/tasks/{id}",
                    complete = "/api/{user_id}/tasks/{id}/complete";
  const std::string valid_task = R"({"title":"probe task"})";
  return {
      {"GET", health, "200", live, own("", false)},
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
       [](World&, const std::string& m, const std::string& p) {
         HttpClient client;  // an account of its own: this one changes its password
         Account a = World::signup(client, "oas-password");
         return client.request(m, p,
                               "{\"current_password\":" + json_quote(a.password) +
                                   R"(,"new_password":"another sound passphrase"})",
                               with_token(a.access_token));
       }},
      {"PUT", password, "400", live, own("{")},
      {"PUT", password, "401", live, own(R"({"current_password":"x","new_password":"y"})", false)},
      {"PUT", password, "413", live, own(kOversized)},
      {"PUT", password, "415", live, own("x", true, "text/plain")},
      {"PUT", password, "422", live, own("{}")},
      {"PUT", password, "503", down, new_password_for_user()},

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
    const YamlNode* item = api.paths().find(probe.path);
    const YamlNode* operation = item ? item->find(lower(probe.method)) : nullptr;
    if (!operation || !operation->at("responses").find(probe.status)) continue;  // see coverage
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

// The (METHOD, path) pairs fcgi-app/app/app.cpp gives its router.
std::set<std::pair<std::string, std::string>> router_routes() {
  std::ifstream in(required_env("TODO_SOURCE_DIR") + "/fcgi-app/app/app.cpp");
  std::stringstream text;
  text << in.rdbuf();
  std::string source = text.str();
  std::set<std::pair<std::string, std::string>> out;
  std::regex add(R"re(router_\.add\(\s*"([A-Z]+)"\s*,\s*"([^"]+)")re");
  for (auto it = std::sregex_iterator(source.begin(), source.end(), add);
       it != std::sregex_iterator(); ++it)
    out.emplace((*it)[1], (*it)[2]);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(openapi)

BOOST_AUTO_TEST_CASE(the_document_is_openapi_3_1_and_every_ref_resolves) {
  OpenApi api = OpenApi::load();
  BOOST_TEST(api.root.value_of("openapi") == "3.1.0");
  int refs = 0;
  std::function<void(const YamlNode&)> walk = [&](const YamlNode& node) {
    for (const auto& [key, child] : node.entries) {
      if (key == "$ref") {
        ++refs;
        BOOST_CHECK_NO_THROW(api.resolve(child.value));
      }
      walk(child);
    }
    for (const auto& item : node.items) walk(item);
  };
  walk(api.root);
  BOOST_TEST(refs > 50);
}

BOOST_AUTO_TEST_CASE(the_document_lists_exactly_the_routers_routes) {
  OpenApi api = OpenApi::load();
  std::set<std::pair<std::string, std::string>> documented;
  for (const auto& [path, item] : api.paths().entries)
    for (const auto& method : documented_methods(item)) documented.emplace(method, path);
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
  for (const auto& [path, item] : api.paths().entries)
    for (const auto& [method, operation] : item.entries) {
      if (!kMethods.contains(method) || !operation.find("security")) continue;
      const auto& schemes = operation.at("security").items;
      bool bearer_only = schemes.size() == 1 && schemes[0].find("bearerAuth");
      if (bearer_only)
        BOOST_TEST(operation.at("responses").find("401") != nullptr, method << " " << path);
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
  for (const auto& [path, item] : api.paths().entries) {
    std::set<std::string> allowed = documented_methods(item);
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
  BOOST_TEST(run_probes(api, w, When::rate_limited) == 2);
  // Let the bucket drain (5 a second, burst 10) so later sign-ins pass.
  std::this_thread::sleep_for(2500ms);
}

BOOST_AUTO_TEST_SUITE_END()
