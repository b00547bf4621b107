// The policy for tokens of an external issuer (Better Auth's JWT plugin, or any issuer that
// publishes a JWKS): which it accepts, with the keys fetched from its JWKS URL and refreshed
// as it rotates them. The service's own HS256 tokens are jwt.hpp's.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "auth/jwt.hpp"
#include "auth/token_cache.hpp"

namespace todo::auth {

struct ExternalIssuerSettings {
  std::string issuer;    // "iss" required, compared exactly (Better Auth: its base URL)
  std::string audience;  // "aud" must be it or contain it (Better Auth: its base URL too)
  std::string jwks_url;  // checked by configuration: HTTPS, or HTTP to a loopback address
  std::chrono::seconds leeway{30};  // as for local tokens: exp, nbf and iat
  std::size_t max_token_bytes = 8192;
  std::size_t cache_capacity = 10'000;
  std::chrono::seconds min_fetch_interval{10};     // never two fetches closer than this
  std::chrono::seconds max_refresh_interval{600};  // keys older than this are fetched again
  std::chrono::milliseconds fetch_timeout{2000};   // connect and total, per fetch
};

// A JWKS as fetched: the body, and the response's Cache-Control max-age when it had one.
struct JwksDocument {
  std::string body;
  std::optional<std::chrono::seconds> max_age;
};

// Where the verifier gets the JWKS from: libcurl in production (jwks_fetcher.hpp), a fake in
// the unit tests. Called by one thread at a time, never while the verifier holds a lock.
class JwksFetcher {
 public:
  virtual ~JwksFetcher() = default;
  // The document at `url`, or why not, as a sentence for a log line. Must give up within the
  // settings' fetch_timeout (other threads may be waiting for it) and must not throw.
  virtual std::expected<JwksDocument, std::string> fetch(const std::string& url) noexcept = 0;
};

// Where the verifier says what happened to the keys: refreshed (which kids), keys skipped
// (and why), fetches that failed. Never anything from a token.
struct ExternalLog {
  std::function<void(std::string_view)> info;
  std::function<void(std::string_view)> error;
};
ExternalLog default_external_log();  // core/log.hpp's log_info and log_error

// Verifies external tokens. One per worker process, shared by its threads: verify() is
// thread-safe, and the keys and the cache of verified tokens are per process.
//
// A token is accepted when:
//   - it has at most max_token_bytes, three segments, a JSON object header without "crit",
//     "jku", "jwk", "x5u" or "x5c" (keys are never fetched from, nor taken from, a token), and
//     "typ", when present, "JWT" or "at+jwt";
//   - its "kid" names a key of the issuer's JWKS, and its "alg" is that key's algorithm
//     ("none", HS*, or any other name are refused before a key is even looked up);
//   - the signature is valid under that key;
//   - the claims: "exp" required and not past (leeway), "nbf" and "iat" not in the future
//     (leeway), "iss" exactly ours, "aud" ours or an array holding ours, "sub" of 1 to 255
//     characters of valid UTF-8 without control characters, "email" (optional) a string of
//     valid UTF-8 without control characters.
//
// Keys: fetched by refresh_now() (at start; a failure is logged, never fatal), again when a
// token names a kid the keys do not have, and when they are older than
// min(max_refresh_interval, the response's max-age); never two fetches within
// min_fetch_interval, never two at once. A thread that needs the fetch another thread is
// making waits for it at most fetch_timeout. A key the issuer drops stops verifying at the
// next refresh, together with the cached tokens (the cache is emptied when any key goes).
// A failed fetch keeps the keys already known, and is tried again after min_fetch_interval.
// Fetches happen inside verify(), in the thread whose token needs them (there is no thread
// of the verifier's own, so nothing to stop or to lose across fork): that one request waits
// for the fetch (milliseconds, fetch_timeout at most), the others go on with the keys they
// have, or wait for it when their kid is unknown.
class ExternalTokenVerifier {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // Throws std::invalid_argument when issuer, audience or jwks_url is empty or fetcher is
  // null. Fetches nothing yet.
  ExternalTokenVerifier(ExternalIssuerSettings settings, std::unique_ptr<JwksFetcher> fetcher,
                        ExternalLog log = default_external_log(),
                        Clock clock = std::chrono::steady_clock::now);
  ~ExternalTokenVerifier();
  ExternalTokenVerifier(const ExternalTokenVerifier&) = delete;
  ExternalTokenVerifier& operator=(const ExternalTokenVerifier&) = delete;

  // Fetches the JWKS now, whatever the rate limit says (the start of a worker). True when
  // the issuer answered with a JWKS. Never throws.
  bool refresh_now() noexcept;

  // The identity the token speaks for, when it is a valid, current token of our issuer at
  // `now` (seconds since the epoch), else why not: JwtError::issuer_unavailable when no key
  // for its kid is known because the JWKS could not be fetched (answer 503), another error
  // for a token that is not acceptable (answer 401). Never throws; never logs the token.
  std::expected<ExternalIdentity, JwtError> verify(std::string_view token,
                                                   std::int64_t now) noexcept;

  // How many keys are usable now (for a start-up log line and the tests).
  std::size_t key_count() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace todo::auth
