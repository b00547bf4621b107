// The production JwksFetcher: libcurl, the system's CA store, no redirects, bounded time and
// size.
#pragma once

#include <chrono>
#include <memory>

#include "auth/external_token.hpp"

namespace todo::auth {

// Fetches with HTTPS (certificate and host name verified against the system CA store), or
// plain HTTP when the URL's host is a loopback address (configuration allows nothing else);
// connect and total time each at most `timeout`; at most kMaxJwksBytes; redirects are not
// followed; only a 200 answer counts. Thread-safe.
std::unique_ptr<JwksFetcher> make_curl_jwks_fetcher(std::chrono::milliseconds timeout);

}  // namespace todo::auth
