#pragma once
// application/x-www-form-urlencoded query strings.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace todo {

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// Decoded name/value pairs in order; nullopt on a malformed %-escape.
std::optional<QueryParams> parse_query(std::string_view query);

// The last value given for a name (a repeated parameter: the last one wins).
std::optional<std::string> query_value(const QueryParams& params, std::string_view name);

}  // namespace todo
