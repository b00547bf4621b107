#pragma once
// Validation of account fields (API.md, Authentication: Rules).

#include <optional>
#include <string>

#include "core/json_body.hpp"

namespace todo {

// The email trimmed of ASCII white space when it is a WHATWG valid e-mail
// address (ASCII only, at most 254 characters); otherwise records a 422 entry.
std::optional<std::string> read_email(FieldReader& fields);

// A new password (register, password change): the policy of auth/password.hpp.
std::optional<std::string> read_new_password(FieldReader& fields, const char* field);

// A password being checked (login, current password): present and a string.
std::optional<std::string> read_given_password(FieldReader& fields, const char* field);

// The optional display name: at most 100 characters, no control characters.
std::optional<std::string> read_name(FieldReader& fields);

}  // namespace todo
