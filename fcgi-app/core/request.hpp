#pragma once
// An HTTP request as the core sees it: no FastCGI, no sockets.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace todo {

struct Request {
  std::string method;
  std::string path;   // raw (still percent-encoded) path, without the query
  std::string query;  // raw query string, without '?'
  std::vector<std::pair<std::string, std::string>> headers;  // names in lower case
  std::string body;
  std::string peer;
  std::string request_id;

  // The first header with this lower-case name, or "" when absent.
  std::string_view header(std::string_view name) const {
    for (const auto& [key, value] : headers)
      if (key == name) return value;
    return {};
  }
};

}  // namespace todo
