#include "core/request_id.hpp"

#include <array>
#include <random>

namespace todo {

bool is_sane_request_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

std::string generate_request_id() {
  // Request ids need to be unique, not secret: a per-thread PRNG seeded from
  // the OS is enough and costs nothing per request.
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id(32, '0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = rng();
    for (int i = 0; i < 16; ++i, bits >>= 4) id[half * 16 + i] = kHex[bits & 0xF];
  }
  return id;
}

std::string request_id_for(std::string_view client_id) {
  return is_sane_request_id(client_id) ? std::string(client_id) : generate_request_id();
}

}  // namespace todo
