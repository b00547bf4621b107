#include "server/fcgi_adapter.hpp"

#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string_view>
#include <utility>

#include "core/http_error.hpp"
#include "core/http_status.hpp"
#include "core/text.hpp"

namespace todo::server {

namespace {

// "HTTP_X_REQUEST_ID" -> "x-request-id"
std::string header_name(std::string_view cgi_name) {
  std::string name = to_lower_ascii(cgi_name);
  std::ranges::replace(name, '_', '-');
  return name;
}

void read_params(char** envp, Request& out) {
  std::string_view request_uri, document_uri, query_string;
  for (char** p = envp; p && *p; ++p) {
    std::string_view entry(*p);
    std::size_t eq = entry.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view name = entry.substr(0, eq), value = entry.substr(eq + 1);
    if (name.starts_with("HTTP_"))
      out.headers.emplace_back(header_name(name.substr(5)), value);
    else if (name == "CONTENT_TYPE")
      out.headers.emplace_back("content-type", value);
    else if (name == "REQUEST_METHOD")
      out.method = value;
    else if (name == "REQUEST_URI")
      request_uri = value;
    else if (name == "DOCUMENT_URI")
      document_uri = value;
    else if (name == "QUERY_STRING")
      query_string = value;
    else if (name == "REMOTE_ADDR")
      out.peer = value;
  }
  // REQUEST_URI is the raw request target: split it ourselves so percent
  // escapes in path segments stay escaped until the router decodes them.
  if (!request_uri.empty()) {
    std::size_t q = request_uri.find('?');
    out.path = request_uri.substr(0, q);
    out.query = q == std::string_view::npos ? "" : request_uri.substr(q + 1);
  } else {
    out.path = document_uri;
    out.query = query_string;
  }
}

// CONTENT_LENGTH strictly: digits only; absent or empty means no body.
std::optional<std::size_t> content_length(char** envp) {
  const char* text = FCGX_GetParam("CONTENT_LENGTH", envp);
  if (!text || !*text) return 0;
  std::size_t value = 0;
  const char* end = text + std::strlen(text);
  auto [ptr, ec] = std::from_chars(text, end, value);
  if (ec != std::errc{} || ptr != end) return std::nullopt;
  return value;
}

}  // namespace

std::optional<HttpError> read_request(FCGX_Request& fcgi, std::size_t max_body, Request& out) {
  read_params(fcgi.envp, out);
  auto length = content_length(fcgi.envp);
  if (!length) return HttpError(ErrorCode::invalid_json, "Content-Length is not a number");
  if (*length > max_body)
    return HttpError(
        ErrorCode::payload_too_large,
        "The body is larger than " + std::to_string(max_body / 1024) + " KiB; send less");
  out.body.resize(*length);
  int got = *length ? FCGX_GetStr(out.body.data(), static_cast<int>(*length), fcgi.in) : 0;
  char extra;
  if (got != static_cast<int>(*length) || FCGX_GetStr(&extra, 1, fcgi.in) != 0)
    return HttpError(ErrorCode::invalid_json, "The body does not match Content-Length");
  return std::nullopt;
}

void write_response(FCGX_Request& fcgi, const Response& response, bool with_body) {
  std::string head = "Status: " + std::to_string(response.status) + " ";
  head.append(reason_phrase(response.status)).append("\r\n");
  for (const auto& [name, value] : response.headers)
    head.append(name).append(": ").append(value).append("\r\n");
  head.append("Content-Length: ").append(std::to_string(response.body.size())).append("\r\n\r\n");
  FCGX_PutStr(head.data(), static_cast<int>(head.size()), fcgi.out);
  if (with_body)
    FCGX_PutStr(response.body.data(), static_cast<int>(response.body.size()), fcgi.out);
}

// libfcgi closes a connection by shutting down its sending side and reading
// until nginx closes the other: a guard against a TCP reset discarding the
// answer when input is left unread. It holds the thread, three system calls
// and a wake-up later, until nginx has read the answer. With the input read
// to its end there is nothing to guard against, so the connection is closed
// here; libfcgi closes nothing when handed -1 for it.
void finish_request(FCGX_Request& fcgi, bool input_read) {
  int fd = -1;
  if (input_read && !fcgi.keepConnection && FCGX_FClose(fcgi.err) == 0 &&
      FCGX_FClose(fcgi.out) == 0)
    fd = std::exchange(fcgi.ipcFd, -1);
  FCGX_Finish_r(&fcgi);
  if (fd >= 0) ::close(fd);
}

}  // namespace todo::server
