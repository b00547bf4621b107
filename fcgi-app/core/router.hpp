#pragma once
// Method + path pattern -> route. Patterns are literal segments and
// {name} parameters, e.g. "/api/{user_id}/tasks/{id}".

#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace todo {

struct PathParams {
  std::vector<std::pair<std::string, std::string>> values;  // percent-decoded

  // The value of a {name} parameter, or "" when the route has none.
  std::string_view get(std::string_view name) const {
    for (const auto& [key, value] : values)
      if (key == name) return value;
    return {};
  }
};

template <typename Target>
class Router {
 public:
  struct Match {
    const Target* target;
    std::string_view pattern;
    PathParams params;
  };
  struct NotFound {};
  struct MethodNotAllowed {
    std::string allow;  // "GET, POST"
  };
  using Result = std::variant<Match, NotFound, MethodNotAllowed>;

  void add(std::string method, std::string pattern, Target target) {
    routes_.push_back({std::move(method), split(pattern), std::move(pattern), std::move(target)});
  }

  Result match(std::string_view method, std::string_view path) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    std::string pattern;
    Target target;
  };

  static std::vector<std::string> split(std::string_view path);
  static bool matches(const Route& route, const std::vector<std::string>& segments,
                      PathParams* params);

  std::vector<Route> routes_;
};

// Splits a raw path into percent-decoded segments; false when the path is not
// absolute or holds a malformed escape.
bool split_path(std::string_view path, std::vector<std::string>& segments);

template <typename Target>
std::vector<std::string> Router<Target>::split(std::string_view pattern) {
  std::vector<std::string> segments;
  split_path(pattern, segments);
  return segments;
}

template <typename Target>
bool Router<Target>::matches(const Route& route, const std::vector<std::string>& segments,
                             PathParams* params) {
  if (route.segments.size() != segments.size()) return false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const std::string& want = route.segments[i];
    bool is_param = want.size() > 2 && want.front() == '{' && want.back() == '}';
    if (is_param) {
      if (segments[i].empty()) return false;
      if (params) params->values.emplace_back(want.substr(1, want.size() - 2), segments[i]);
    } else if (want != segments[i]) {
      return false;
    }
  }
  return true;
}

template <typename Target>
typename Router<Target>::Result Router<Target>::match(std::string_view method,
                                                      std::string_view path) const {
  std::vector<std::string> segments;
  if (!split_path(path, segments)) return NotFound{};
  std::string allow;
  // Routes are tried in the order they were added, so literal routes added
  // before parameterised ones win (/api/auth/me before /api/{user_id}/...).
  for (const Route& route : routes_) {
    if (!matches(route, segments, nullptr)) continue;
    if (route.method == method) {
      Match m{&route.target, route.pattern, {}};
      matches(route, segments, &m.params);
      return m;
    }
    if (allow.find(route.method) == std::string::npos)
      allow += (allow.empty() ? "" : ", ") + route.method;
  }
  if (allow.empty()) return NotFound{};
  return MethodNotAllowed{std::move(allow)};
}

}  // namespace todo
