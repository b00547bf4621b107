#pragma once
// Reason phrases for status lines (RFC 9110, section 15).

#include <string_view>

namespace todo {

// The phrase for `status`, or a generic one for a status this service never sends.
std::string_view reason_phrase(int status);

}  // namespace todo
