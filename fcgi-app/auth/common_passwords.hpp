// The shipped list of common passwords (common_passwords.txt, compiled into the binary).
#pragma once

#include <cstddef>
#include <string_view>

namespace todo::auth {

// True when `password`, with ASCII letters folded to lower case, is on the list. The list is
// built into a hash set on first use (thread-safe static initialisation) and never changes.
bool is_common_password(std::string_view password);

// How many passwords the list holds (for tests and start-up logs).
std::size_t common_password_count();

}  // namespace todo::auth
