// The security review's findings, each through nginx, TLS, FastCGI and
// PostgreSQL: every one got a 500, a misleading answer or an HTML error
// before; each must now get the answer the contract documents.

#include <boost/test/unit_test.hpp>
#include <thread>

#include "auth/jws.hpp"
#include "auth/jwt.hpp"
#include "http_client.hpp"
#include "stack.hpp"

using namespace todo::testing;

namespace {

std::string code_of(const HttpResponse& r) {
  auto doc = r.json();
  return doc.IsObject() && doc.HasMember("code") && doc["code"].IsString() ? doc["code"].GetString()
                                                                           : "";
}

// An access token with these claims, signed with the stack's own secret.
std::string signed_access(const std::string& sub_json) {
  std::string secret = jwt_secret();
  std::string header =
      R"({"alg":"HS256","typ":"JWT","kid":")" + todo::auth::key_id_for_secret(secret) + "\"}";
  std::string claims = "{\"sub\":" + sub_json + ",\"iat\":" + std::to_string(now_seconds()) +
                       ",\"exp\":" + std::to_string(now_seconds() + 600) +
                       R"(,"iss":"todo-fcgi","aud":"todo-api"})";
  return todo::auth::sign_hs256_compact(header, claims, secret);
}

HttpResponse login(const std::string& body) {
  HttpResponse r;
  wait_until(
      [&] {
        r = HttpClient().send_json("POST", "/api/auth/login", body);
        return r.status != 429;
      },
      std::chrono::seconds(20));
  return r;
}

// The status line and the headers of a raw answer, lower-cased, each line
// ending in CRLF.
std::string head_of(std::string raw) {
  raw = raw.substr(0, raw.find("\r\n\r\n")) + "\r\n";
  for (char& c : raw) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return raw;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hostile_input)

BOOST_AUTO_TEST_CASE(finding_1_a_lone_surrogate_anywhere_is_never_a_500) {
  auto r = login(R"({"email":"\udc00@example.com","password":"whatever1"})");
  BOOST_TEST(r.status == 400);
  BOOST_TEST(code_of(r) == "INVALID_JSON");

  HttpClient client;
  auto me = client.get("/api/auth/me", signed_access(R"("\udc00x")"));
  BOOST_TEST(me.status == 401);
  BOOST_TEST(code_of(me) == "UNAUTHORIZED");

  Account a = register_account(client, "surrogate");
  auto path = client.get("/api/%ED%B0%80x/tasks", a.access_token);
  BOOST_TEST(path.status == 404);
  BOOST_TEST(code_of(path) == "NOT_FOUND");
}

BOOST_AUTO_TEST_CASE(finding_2_a_valid_token_for_a_user_that_does_not_exist_is_401_user_unknown) {
  std::string ghost = "00000000-0000-4000-8000-00000000dead";
  std::string token = signed_access("\"" + ghost + "\"");
  HttpClient client;
  auto create = client.send_json("POST", "/api/" + ghost + "/tasks", R"({"title":"x"})", token);
  auto list = client.get("/api/" + ghost + "/tasks", token);
  auto me = client.get("/api/auth/me", token);
  for (const auto* r : {&create, &list, &me}) {
    BOOST_TEST(r->status == 401, r->body);
    BOOST_TEST(code_of(*r) == "USER_UNKNOWN");
    BOOST_TEST(r->header("www-authenticate") == "Bearer error=\"invalid_token\"");
  }
}

BOOST_AUTO_TEST_CASE(finding_3_a_nul_cannot_cut_the_login_email_short) {
  HttpClient client;
  Account a = register_account(client, "nul");
  auto r = login("{\"email\":" + json_quote(a.email).insert(a.email.size() + 1, "\\u0000junk") +
                 ",\"password\":" + json_quote(a.password) + "}");
  BOOST_TEST(r.status == 422);
  BOOST_TEST(r.body.find("NUL") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(finding_4_look_alike_emails_are_refused_not_registered_again) {
  HttpClient client;
  Account a = register_account(client, "cafe");  // cafe.<n>@example.test
  std::string local = a.email.substr(0, a.email.find('@'));
  for (std::string look_alike :
       {"\\u00a0" + a.email, a.email + "\\u200b", "caf\\u00e9" + a.email.substr(4),
        "cafe\\u0301" + a.email.substr(4), local + "@ex\\u00e4mple.test"}) {
    BOOST_TEST_CONTEXT(look_alike) {
      HttpResponse r;
      wait_until(
          [&] {
            r = HttpClient().send_json(
                "POST", "/api/auth/register",
                "{\"email\":\"" + look_alike + R"(","password":"a sound passphrase"})");
            return r.status != 429;
          },
          std::chrono::seconds(20));
      BOOST_TEST(r.status == 422, r.body);
      BOOST_TEST(code_of(r) == "VALIDATION_ERROR");
    }
  }
}

BOOST_AUTO_TEST_CASE(finding_5_a_duplicate_key_is_400_naming_it) {
  HttpClient client;
  Account a = register_account(client, "dupkey");
  auto r = client.send_json("POST", tasks_path(a), R"({"title":"first","title":"second"})",
                            a.access_token);
  BOOST_TEST(r.status == 400);
  BOOST_TEST(code_of(r) == "INVALID_JSON");
  BOOST_TEST(r.body.find("title") != std::string::npos);
  BOOST_TEST(client.get(tasks_path(a), a.access_token).header("x-total-count") == "0");
}

BOOST_AUTO_TEST_CASE(finding_6_invalid_text_is_not_reported_as_too_long) {
  HttpClient client;
  Account a = register_account(client, "utf8msg");
  auto r = client.send_json("POST", tasks_path(a), R"({"title":"x","description":"\udc00"})",
                            a.access_token);
  BOOST_TEST(r.status == 400);
  BOOST_TEST(r.body.find("UTF-8") != std::string::npos);
  BOOST_TEST(r.body.find("1000") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(finding_7_errors_nginx_makes_itself_are_json_with_no_store) {
  const std::string host = "Host: 127.0.0.1\r\nConnection: close\r\n";
  const std::string long_uri = "/api/" + std::string(20 * 1024, 'a');
  const std::string long_header = "X-Big: " + std::string(20 * 1024, 'a') + "\r\n";
  struct Case {
    const char* what;
    std::string request;
    const char* status;
  } cases[] = {
      {"bad chunk size",
       "POST /api/auth/login HTTP/1.1\r\n" + host +
           "Transfer-Encoding: chunked\r\nContent-Type: "
           "application/json\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
       "400"},
      {"TRACE", "TRACE /api/health HTTP/1.1\r\n" + host + "\r\n", "405"},
      {"20 KB URI", "GET " + long_uri + " HTTP/1.1\r\n" + host + "\r\n", "414"},
      {"20 KB header", "GET /api/health HTTP/1.1\r\n" + host + long_header + "\r\n", "400"},
      {"gzip, chunked",
       "POST /api/auth/login HTTP/1.1\r\n" + host +
           "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
       "501"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      std::string raw = raw_https(c.request);
      std::string head = head_of(raw);
      BOOST_TEST(head.starts_with(std::string("http/1.1 ") + c.status), head);
      BOOST_TEST(head.find("content-type: application/json") != std::string::npos, raw);
      BOOST_TEST(head.find("cache-control: no-store") != std::string::npos, raw);
      BOOST_TEST(head.find("x-content-type-options: nosniff") != std::string::npos, raw);
      BOOST_TEST(raw.find("\"code\":\"") != std::string::npos, raw);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_malformed_body_on_a_rate_limited_route_is_still_json) {
  // The 429 page is served first; discarding the body then fails: an error
  // inside an error page, which nginx answers with HTML unless told otherwise.
  HttpClient client;
  for (int i = 0; i < 100 && client.send_json("POST", "/api/auth/login", "{}").status != 429; ++i) {
  }
  std::string raw = raw_https(
      "POST /api/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
      "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
  std::string head = head_of(raw);
  BOOST_TEST(head.find("content-type: application/json") != std::string::npos, raw);
  BOOST_TEST(raw.find("\"code\":\"") != std::string::npos, raw);
  std::this_thread::sleep_for(std::chrono::seconds(3));  // let the bucket refill for others
}

BOOST_AUTO_TEST_CASE(finding_8_redirects_never_echo_the_request_host) {
  int http_port = std::stoi(required_env("TODO_TEST_HTTP_PORT"));
  std::string origin = required_env("TODO_TEST_URL");
  std::string plain = head_of(
      raw_http(http_port, "GET /p HTTP/1.1\r\nHost: evil.example#\r\nConnection: close\r\n\r\n"));
  BOOST_TEST(plain.find("location: " + origin + "/p\r") != std::string::npos, plain);
  std::string no_host = head_of(raw_http(http_port, "GET /p HTTP/1.0\r\n\r\n"));
  BOOST_TEST(no_host.find("location: " + origin + "/p\r") != std::string::npos, no_host);
  std::string api =
      head_of(raw_https("GET /api HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"));
  BOOST_TEST(api.find("evil") == std::string::npos, api);
  BOOST_TEST(api.find("location: /api/\r") != std::string::npos, api);
}

BOOST_AUTO_TEST_CASE(finding_9_every_origin_of_the_local_certificate_may_refresh) {
  std::string url = required_env("TODO_TEST_URL");
  std::string port = url.substr(url.rfind(':') + 1);
  for (std::string origin : {"https://127.0.0.1:" + port, "https://localhost:" + port}) {
    BOOST_TEST_CONTEXT(origin) {
      HttpClient client;
      register_account(client, "origin");
      auto r = client.request("POST", "/api/auth/refresh", "", {"Origin: " + origin});
      BOOST_TEST(r.status == 200, r.body);
    }
  }
  auto foreign =
      HttpClient().request("POST", "/api/auth/refresh", "", {"Origin: https://evil.example"});
  BOOST_TEST(foreign.status == 403);
}

BOOST_AUTO_TEST_CASE(finding_10_head_works_on_every_get_route) {
  HttpClient client;
  Account a = register_account(client, "head");
  client.send_json("POST", tasks_path(a), R"({"title":"x"})", a.access_token);
  std::string id = client.get(tasks_path(a), a.access_token).json()[0]["id"].GetString();
  for (std::string path : {std::string("/api/health"), std::string("/api/auth/me"), tasks_path(a),
                           tasks_path(a) + "/" + id}) {
    BOOST_TEST_CONTEXT(path) {
      auto get = client.get(path, a.access_token);
      auto head = client.request("HEAD", path, "", {"Authorization: Bearer " + a.access_token});
      BOOST_TEST(head.status == get.status);
      BOOST_TEST(head.body.empty());
      BOOST_TEST(head.header("content-type") == get.header("content-type"));
      BOOST_TEST(head.header("content-length") == get.header("content-length"));
      BOOST_TEST(head.header("cache-control") == "no-store");
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
