#pragma once
// X-Request-Id: kept from the client when it is a sane token, else made here.

#include <string>
#include <string_view>

namespace todo {

// True for 1..64 characters of [A-Za-z0-9._-]: safe to echo and to log.
bool is_sane_request_id(std::string_view id);

// 16 random bytes as 32 hex characters.
std::string generate_request_id();

// The client's id when sane, otherwise a fresh one.
std::string request_id_for(std::string_view client_id);

}  // namespace todo
