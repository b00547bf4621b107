#include "core/response.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace todo {

Response& Response::set_header(std::string_view name, std::string value) {
  std::erase_if(headers, [name](const auto& header) { return iequals(header.first, name); });
  headers.emplace_back(std::string(name), std::move(value));
  return *this;
}

std::string_view Response::header(std::string_view name) const {
  auto it = std::ranges::find_if(headers, [name](const auto& h) { return iequals(h.first, name); });
  return it == headers.end() ? std::string_view{} : std::string_view(it->second);
}

}  // namespace todo
