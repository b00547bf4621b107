#pragma once
// The edge: a FastCGI request becomes a todo::Request, a todo::Response goes
// back out. Nothing else in the service includes fcgiapp.h.

#include <fcgiapp.h>

#include <cstddef>
#include <optional>

#include "core/http_error.hpp"
#include "core/request.hpp"
#include "core/response.hpp"

namespace todo::server {

// Reads the request's parameters and body. Returns the error to answer with
// instead when the body is over max_body (413, without reading it) or does not
// match CONTENT_LENGTH (400).
std::optional<HttpError> read_request(FCGX_Request& fcgi, std::size_t max_body, Request& out);

// Writes status line, headers and body to the FastCGI output stream; the body
// only when `with_body` (not for HEAD, whose Content-Length is still GET's).
void write_response(FCGX_Request& fcgi, const Response& response, bool with_body);

// Sends the end of the response and closes the connection. `input_read`: the
// request's input was read to its end (read_request found no error).
void finish_request(FCGX_Request& fcgi, bool input_read);

}  // namespace todo::server
