// libFuzzer target: whole requests through App::handle, for every route, with
// the store in memory (tests/support/memory_store.hpp) and real tokens,
// passwords and rules.
//
// Input, as in an HTTP/1.1 request:
//   METHOD SP TARGET LF          (TARGET: the path, then ?query if any)
//   NAME: VALUE LF ...           (headers)
//   LF
//   BODY
// In TARGET and header values, @alice and @bob stand for the ids of the two
// users the store starts with, @ghost for one it does not have; in header
// values, @token:NAME for a valid access token of that user and
// @refresh:NAME for a valid refresh token (the refresh cookie's value).
//
// Properties: the app never answers 500; every body is JSON in valid UTF-8;
// and the status is one docs/openapi.json documents for the route (any route:
// 400 BAD_REQUEST for a header that is not text; no route: 404 or 405).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>

#include "app/app.hpp"
#include "config/config.hpp"
#include "core/json_body.hpp"
#include "core/text.hpp"
#include "memory_store.hpp"
#include "test_services.hpp"

namespace {

using namespace todo;

// (METHOD, route pattern) -> the statuses docs/openapi.json lists for it.
using Documented = std::map<std::pair<std::string, std::string>, std::set<int>>;

Documented documented_statuses() {
  std::ifstream in(std::string(TODO_SOURCE_DIR) + "/docs/openapi.json");
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document doc;
  if (!parse_json(text.str(), doc) || !doc.IsObject()) std::abort();
  Documented out;
  for (const auto& [path, item] : doc["paths"].GetObject())
    for (const auto& [method, operation] : item.GetObject()) {
      if (!operation.IsObject() || !operation.HasMember("responses")) continue;
      std::string name = to_lower_ascii(method.GetString());
      for (char& c : name) c = static_cast<char>(c - 32);  // upper case
      for (const auto& [status, response] : operation["responses"].GetObject())
        out[{name, path.GetString()}].insert(std::atoi(status.GetString()));
    }
  return out;
}

struct World : testing::TestServices {
  App app;
  Router<int> routes;
  Documented documented = documented_statuses();
  std::vector<std::string> patterns;

  World() {
    for (const RouteSpec& r : todo::routes()) {
      routes.add(std::string(r.method), std::string(r.pattern), static_cast<int>(patterns.size()));
      patterns.emplace_back(r.pattern);
    }
  }
};

World& world() {
  static World w;
  return w;
}

// A session id no store has (ghost's).
constexpr std::string_view kNoSession = "00000000-0000-4000-8000-00000000005e";

const std::pair<std::string_view, std::string_view> kUsers[] = {
    {"alice", "00000000-0000-4000-8000-00000000a11c"},
    {"bob", "00000000-0000-4000-8000-000000000b0b"},
    {"ghost", "00000000-0000-4000-8000-0000000000ff"}};

// The session each user has in the store: its id and current refresh token id.
using Sessions = std::map<std::string_view, std::pair<std::string, std::string>>;

// Replaces each @name placeholder in `text`.
std::string expand(std::string text, bool tokens, const Sessions& sessions) {
  World& w = world();
  auto now = static_cast<std::int64_t>(std::time(nullptr));
  for (const auto& [name, id] : kUsers) {
    auto session = sessions.contains(name)
                       ? sessions.at(name)
                       : std::pair{std::string(kNoSession), std::string(kNoSession)};
    auth::TokenClaims claims{
        std::string(id), std::string(name) + "@example.test", session.first, "", 0, 0};
    std::string access = tokens ? w.jwt.issue(auth::TokenKind::access, claims, now) : "";
    claims.token_id = session.second;
    std::string refresh = tokens ? w.jwt.issue(auth::TokenKind::refresh, claims, now) : "";
    std::pair<std::string, std::string> swaps[] = {{"@token:" + std::string(name), access},
                                                   {"@refresh:" + std::string(name), refresh},
                                                   {"@" + std::string(name), std::string(id)}};
    for (const auto& [from, to] : swaps) {
      if (!tokens && to.empty()) continue;
      for (std::size_t at; (at = text.find(from)) != std::string::npos;)
        text.replace(at, from.size(), to);
    }
  }
  return text;
}

Request parse(std::string_view input, const Sessions& sessions) {
  Request r;
  auto line = [&input] {
    std::size_t end = input.find('\n');
    std::string_view l = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view{} : input.substr(end + 1);
    return l;
  };
  std::string_view first = line();
  std::size_t space = first.find(' ');
  r.method = first.substr(0, space);
  std::string target = expand(
      std::string(space == std::string_view::npos ? "" : first.substr(space + 1)), false, sessions);
  std::size_t q = target.find('?');
  r.path = target.substr(0, q);
  r.query = q == std::string::npos ? "" : target.substr(q + 1);
  for (std::string_view h = line(); !h.empty(); h = line()) {
    std::size_t colon = h.find(':');
    if (colon == std::string_view::npos) continue;
    r.headers.emplace_back(to_lower_ascii(h.substr(0, colon)),
                           expand(std::string(trim(h.substr(colon + 1))), true, sessions));
  }
  r.body = input;
  return r;
}

// alice and bob, one task and one session each; @ghost has no account.
Sessions seed(testing::MemoryStore& store) {
  Sessions sessions;
  int n = 0;
  for (const auto& [name, id] : kUsers)
    if (name != "ghost") {
      store.memory_users().add(std::string(id), std::string(name) + "@example.test");
      store.tasks().create(id, "a task of " + std::string(name), std::nullopt);
      std::string token_id = "00000000-0000-4000-8000-00000000000" + std::to_string(++n);
      sessions[name] = {store.sessions().open(id, "fuzz", token_id, std::chrono::hours(1)),
                        token_id};
    }
  return sessions;
}

// The statuses a request may be answered with.
std::set<int> allowed_statuses(const Request& r) {
  World& w = world();
  std::string_view method = r.method == "HEAD" ? "GET" : std::string_view(r.method);
  auto match = w.routes.match(method, r.path);
  if (auto* m = std::get_if<Router<int>::Match>(&match))
    return w.documented[{std::string(method), w.patterns[static_cast<std::size_t>(*m->target)]}];
  return {404, 405};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  World& w = world();
  testing::MemoryStore store;
  Sessions sessions = seed(store);
  Request request = parse({reinterpret_cast<const char*>(data), size}, sessions);
  Services services = w.over(store);
  Response response = w.app.handle(request, services);

  rapidjson::Document body;
  if (response.status == 500 || !utf8_length(response.body) || !parse_json(response.body, body))
    std::abort();
  bool header_refused = response.status == 400 && body.IsObject() && body.HasMember("code") &&
                        std::string_view(body["code"].GetString()) == "BAD_REQUEST";
  if (!header_refused && !allowed_statuses(request).contains(response.status)) std::abort();
  return 0;
}
