#include "http_client.hpp"

#include <cstdlib>
#include <stdexcept>

#include "core/json_body.hpp"
#include "core/json_writer.hpp"

namespace todo::testing {

namespace {

size_t collect_body(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

size_t collect_header(char* data, size_t size, size_t count, void* out) {
  std::string line(data, size * count);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ')) value.erase(0, 1);
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
      value.pop_back();
    static_cast<std::multimap<std::string, std::string>*>(out)->emplace(name, value);
  }
  return size * count;
}

}  // namespace

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? "" : it->second;
}

rapidjson::Document HttpResponse::json() const {
  rapidjson::Document doc;
  if (!parse_json(body, doc)) doc.SetNull();
  return doc;
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? value : fallback;
}

std::string required_env(const char* name) {
  const char* value = std::getenv(name);
  if (!value || !*value)
    throw std::runtime_error(std::string(name) +
                             " is not set: run these tests through ctest (./todo test)");
  return value;
}

std::string json_quote(const std::string& text) {
  JsonWriter w;
  w.string(text);
  return w.take();
}

HttpClient::HttpClient(std::string base_url)
    : base_url_(base_url.empty() ? required_env("TODO_TEST_URL") : std::move(base_url)),
      curl_(curl_easy_init()) {
  if (!curl_) throw std::runtime_error("curl_easy_init failed");
  curl_easy_setopt(curl_, CURLOPT_COOKIEFILE, "");  // in-memory cookie engine
  std::string ca = env_or("TODO_TEST_VAR", "") + "/tls/cert.pem";
  curl_easy_setopt(curl_, CURLOPT_CAINFO, ca.c_str());
  curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 60L);
  curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
}

HttpClient::~HttpClient() {
  curl_easy_cleanup(curl_);
}

HttpResponse HttpClient::request(const std::string& method, const std::string& path,
                                 const std::string& body, const std::vector<std::string>& headers) {
  HttpResponse response;
  std::string url = base_url_ + path;
  curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  } else {
    curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  // After HTTPGET, which resets it: a HEAD answer has headers and no body.
  curl_easy_setopt(curl_, CURLOPT_NOBODY, method == "HEAD" ? 1L : 0L);
  curl_slist* list = nullptr;
  for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
  list = curl_slist_append(list, "Expect:");  // no 100-continue round trip
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> guard(list, curl_slist_free_all);
  curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
  curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, collect_body);
  curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, collect_header);
  curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &response.headers);
  CURLcode rc = curl_easy_perform(curl_);
  if (rc != CURLE_OK) throw std::runtime_error(method + " " + path + ": " + curl_easy_strerror(rc));
  curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &response.status);
  return response;
}

HttpResponse HttpClient::get(const std::string& path, const std::string& token) {
  std::vector<std::string> headers;
  if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
  return request("GET", path, "", headers);
}

HttpResponse HttpClient::del(const std::string& path, const std::string& token) {
  std::vector<std::string> headers;
  if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
  return request("DELETE", path, "", headers);
}

HttpResponse HttpClient::send_json(const std::string& method, const std::string& path,
                                   const std::string& json, const std::string& token) {
  std::vector<std::string> headers{"Content-Type: application/json"};
  if (!token.empty()) headers.push_back("Authorization: Bearer " + token);
  return request(method, path, json, headers);
}

std::vector<std::string> HttpClient::cookies() {
  std::vector<std::string> out;
  curl_slist* list = nullptr;
  curl_easy_getinfo(curl_, CURLINFO_COOKIELIST, &list);
  for (curl_slist* item = list; item; item = item->next) {
    // Netscape format: domain, flag, path, secure, expiry, name, value (tab separated)
    std::string line = item->data;
    std::vector<std::string> fields;
    size_t start = 0, tab;
    while ((tab = line.find('\t', start)) != std::string::npos) {
      fields.push_back(line.substr(start, tab - start));
      start = tab + 1;
    }
    fields.push_back(line.substr(start));
    if (fields.size() >= 7) out.push_back(fields[5] + "=" + fields[6]);
  }
  curl_slist_free_all(list);
  return out;
}

void HttpClient::clear_cookies() {
  curl_easy_setopt(curl_, CURLOPT_COOKIELIST, "ALL");
}

}  // namespace todo::testing
