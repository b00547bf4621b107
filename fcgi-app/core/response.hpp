#pragma once
// An HTTP response built by the core; the adapter writes it out.

#include <string>
#include <utility>
#include <vector>

namespace todo {

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  Response& set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }

  // A JSON response; every API response is one.
  static Response json(int status, std::string body) {
    Response r{status, {}, std::move(body)};
    r.set_header("Content-Type", "application/json");
    return r;
  }
};

}  // namespace todo
