#include "core/http_status.hpp"

#include <algorithm>
#include <array>
#include <utility>

namespace todo {

namespace {

constexpr std::array<std::pair<int, std::string_view>, 17> kReasonPhrases{{
    {200, "OK"},
    {201, "Created"},
    {204, "No Content"},
    {400, "Bad Request"},
    {401, "Unauthorized"},
    {403, "Forbidden"},
    {404, "Not Found"},
    {405, "Method Not Allowed"},
    {409, "Conflict"},
    {413, "Content Too Large"},
    {415, "Unsupported Media Type"},
    {422, "Unprocessable Content"},
    {429, "Too Many Requests"},
    {500, "Internal Server Error"},
    {502, "Bad Gateway"},
    {503, "Service Unavailable"},
    {504, "Gateway Timeout"},
}};

}  // namespace

std::string_view reason_phrase(int status) {
  auto it = std::ranges::find(kReasonPhrases, status, &std::pair<int, std::string_view>::first);
  if (it != kReasonPhrases.end()) return it->second;
  return status < 500 ? "Error" : "Internal Server Error";
}

}  // namespace todo
