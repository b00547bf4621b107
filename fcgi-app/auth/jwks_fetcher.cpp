#include "auth/jwks_fetcher.hpp"

#include <curl/curl.h>

#include <charconv>
#include <mutex>

#include "auth/jwk.hpp"
#include "core/text.hpp"

namespace todo::auth {
namespace {

struct EasyFree {
  void operator()(CURL* curl) const noexcept { curl_easy_cleanup(curl); }
};

// What a transfer collects. The body stops at kMaxJwksBytes: a larger answer is refused
// rather than read on.
struct Transfer {
  std::string body;
  std::optional<std::chrono::seconds> max_age;
  bool too_large = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  if (t.body.size() + n > kMaxJwksBytes) {
    t.too_large = true;
    return 0;  // libcurl ends the transfer with CURLE_WRITE_ERROR
  }
  t.body.append(data, n);
  return n;
}

// "Cache-Control: public, max-age=300" gives 300 s; no-store and no-cache count as 0 (the
// verifier then refreshes as often as its rate limit allows).
std::optional<std::chrono::seconds> max_age_of(std::string_view value) {
  const std::string lower = to_lower_ascii(value);
  if (lower.find("no-store") != std::string::npos || lower.find("no-cache") != std::string::npos) {
    return std::chrono::seconds(0);
  }
  const auto at = lower.find("max-age=");
  if (at == std::string::npos) return std::nullopt;
  const char* first = lower.data() + at + 8;
  long seconds = 0;
  const auto [end, ec] = std::from_chars(first, lower.data() + lower.size(), seconds);
  if (ec != std::errc{} || end == first || seconds < 0) return std::nullopt;
  return std::chrono::seconds(seconds);
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto& t = *static_cast<Transfer*>(user);
  const std::string_view line(data, size * count);
  const auto colon = line.find(':');
  if (colon != std::string_view::npos && iequals(trim(line.substr(0, colon)), "cache-control")) {
    t.max_age = max_age_of(trim(line.substr(colon + 1)));
  }
  return size * count;
}

// curl_global_init is not thread-safe in every libcurl: run it once, before any transfer.
void global_init() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

class CurlJwksFetcher final : public JwksFetcher {
 public:
  explicit CurlJwksFetcher(std::chrono::milliseconds timeout) : timeout_(timeout) { global_init(); }

  std::expected<JwksDocument, std::string> fetch(const std::string& url) noexcept override {
    try {
      return transfer(url);
    } catch (...) {
      return std::unexpected(std::string("out of memory"));
    }
  }

 private:
  std::expected<JwksDocument, std::string> transfer(const std::string& url) const {
    const std::unique_ptr<CURL, EasyFree> curl(curl_easy_init());
    if (!curl) return std::unexpected(std::string("libcurl cannot start a transfer"));
    Transfer t;
    char error[CURL_ERROR_SIZE] = "";
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    // Configuration admits https, and http only to loopback; nothing else is ever spoken,
    // and no redirect can lead elsewhere.
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout_.count()));
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
    // Worker threads: no signals for timeouts (libcurl's SIGALRM is not thread-safe).
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(kMaxJwksBytes));
    curl_easy_setopt(c, CURLOPT_USERAGENT, "todo-fcgi/" TODO_VERSION);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
    const CURLcode code = curl_easy_perform(c);
    if (t.too_large) return std::unexpected(std::string("the answer is larger than 256 KiB"));
    if (code != CURLE_OK) {
      return std::unexpected(std::string(*error ? error : curl_easy_strerror(code)));
    }
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) return std::unexpected("HTTP status " + std::to_string(status));
    return JwksDocument{std::move(t.body), t.max_age};
  }

  std::chrono::milliseconds timeout_;
};

}  // namespace

std::unique_ptr<JwksFetcher> make_curl_jwks_fetcher(std::chrono::milliseconds timeout) {
  return std::make_unique<CurlJwksFetcher>(timeout);
}

}  // namespace todo::auth
