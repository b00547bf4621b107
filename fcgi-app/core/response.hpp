#pragma once
// An HTTP response built by the core; the adapter writes it out.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace todo {

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  // Sets the header, replacing any earlier value of the same name.
  Response& set_header(std::string_view name, std::string value);

  // Adds one more header line, keeping those already there (Set-Cookie).
  Response& add_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }

  // The first value of the header (names compared case-insensitively), or "".
  std::string_view header(std::string_view name) const;

  // A JSON response; every API response is one.
  static Response json(int status, std::string body) {
    Response r{status, {}, std::move(body)};
    r.add_header("Content-Type", "application/json");
    return r;
  }
};

}  // namespace todo
