#pragma once
// Validation of task input (API.md, Tasks: Validation and List parameters).

#include <optional>
#include <string>

#include "core/json_body.hpp"
#include "core/request.hpp"
#include "store/tasks.hpp"

namespace todo {

// Title: 1 to 200 characters after trimming, no control characters.
std::optional<std::string> read_title(FieldReader& fields, bool required);

// Description: at most 1000 characters, or null; line breaks allowed.
std::optional<std::optional<std::string>> read_description(FieldReader& fields);

// status, sort, order, q, limit, offset; an unknown value is a 422.
store::TaskQuery read_task_query(const Request& request);

}  // namespace todo
