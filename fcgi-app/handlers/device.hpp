#pragma once
// A short, readable name for the device a session was opened on.

#include <string>
#include <string_view>

namespace todo {

// "Firefox on Linux", "Safari on iPhone", "curl" ... from a User-Agent
// header; "Unknown device" when it says nothing recognisable. At most 100
// characters of printable ASCII, so it is safe to store and to show.
std::string device_label(std::string_view user_agent);

}  // namespace todo
