#pragma once
// A small HTTPS client for black-box tests (libcurl), verifying the stack's
// self-signed certificate rather than ignoring TLS errors.

#include <curl/curl.h>
#include <rapidjson/document.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace todo::testing {

struct HttpResponse {
  long status = 0;
  std::multimap<std::string, std::string> headers;  // names in lower case
  std::string body;

  // The first value of a header, or "" when absent.
  std::string header(const std::string& name) const;
  // The body parsed as JSON (a Null document when it is not JSON).
  rapidjson::Document json() const;
};

class HttpClient {
 public:
  // base_url defaults to $TODO_TEST_URL. Each client keeps its own cookies,
  // like one browser.
  explicit HttpClient(std::string base_url = "");
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse request(const std::string& method, const std::string& path,
                       const std::string& body = "", const std::vector<std::string>& headers = {});

  HttpResponse get(const std::string& path, const std::string& token = "");
  HttpResponse del(const std::string& path, const std::string& token = "");
  // A JSON body with Content-Type: application/json.
  HttpResponse send_json(const std::string& method, const std::string& path,
                         const std::string& json, const std::string& token = "");

  // Cookies this client holds, as "name=value" pairs.
  std::vector<std::string> cookies();
  void clear_cookies();

  const std::string& base_url() const { return base_url_; }

 private:
  std::string base_url_;
  CURL* curl_;
};

// Environment helpers for tests.
std::string env_or(const char* name, const std::string& fallback);
std::string required_env(const char* name);

// A JSON string literal for `text` (quotes and escapes), for building bodies.
std::string json_quote(const std::string& text);

}  // namespace todo::testing
