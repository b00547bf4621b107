// libFuzzer target: the router's path matching with the service's own route
// table (method + raw, percent-encoded path from the input).
//
// Input: "METHOD PATH". Properties checked: no crash; a match names one of the
// table's patterns, with a non-empty value for each of its parameters and no
// '/' or NUL in any (they would change the shape of the path); a 405 lists at
// least one method.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "app/routes.hpp"
#include "core/router.hpp"

namespace {

// The service's own route table (app/routes.cpp), in its order.
const todo::Router<int>& router() {
  static const todo::Router<int> r = [] {
    todo::Router<int> table;
    int id = 0;
    for (const todo::RouteSpec& route : todo::routes())
      table.add(std::string(route.method), std::string(route.pattern), id++);
    return table;
  }();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t space = input.find(' ');
  std::string_view method = space == std::string_view::npos ? "GET" : input.substr(0, space);
  std::string_view path = space == std::string_view::npos ? input : input.substr(space + 1);

  auto result = router().match(method, path);
  using R = todo::Router<int>;
  if (auto* match = std::get_if<R::Match>(&result)) {
    if (!match->target || *match->target < 0 ||
        *match->target >= static_cast<int>(todo::routes().size()))
      std::abort();
    for (const auto& [name, value] : match->params.values)
      if (name.empty() || value.empty() || value.find('/') != std::string::npos ||
          value.find('\0') != std::string::npos)
        std::abort();
  } else if (auto* wrong = std::get_if<R::MethodNotAllowed>(&result)) {
    if (wrong->allow.empty()) std::abort();
  }
  return 0;
}
