// Sessions behind the refresh cookie, through nginx, TLS, FastCGI and
// PostgreSQL: single-use refresh tokens with reuse detection and a grace
// window, logout, logout everywhere, password changes, the sessions list,
// and the per-account sign-in throttle. Each of the four findings of the
// review that asked for them is a case here ("finding N").
//
// The test stacks run with a short REFRESH_REUSE_GRACE (2 s), so the window can
// be waited out; the stack names it in TODO_TEST_REFRESH_REUSE_GRACE.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <future>
#include <thread>

#include "http_client.hpp"
#include "stack.hpp"

using namespace todo::testing;
using namespace std::chrono_literals;

namespace {

const std::chrono::seconds kGrace{std::stoi(required_env("TODO_TEST_REFRESH_REUSE_GRACE"))};
const std::string kCookie = "__Secure-todo_refresh";

std::string code_of(const HttpResponse& r) {
  auto doc = r.json();
  return doc.IsObject() && doc.HasMember("code") ? doc["code"].GetString() : "";
}

// The refresh token a response sets, or "".
std::string cookie_set_by(const HttpResponse& r) {
  std::string header = r.header("set-cookie");
  if (!header.starts_with(kCookie + "=")) return "";
  header = header.substr(kCookie.size() + 1);
  return header.substr(0, header.find(';'));
}

// Sends `path` with this refresh token as the only cookie (a client of its
// own, so no cookie jar adds another), waiting out nginx's sign-in limit.
HttpResponse with_cookie(const std::string& method, const std::string& path,
                         const std::string& token, const std::string& body = "") {
  HttpResponse r;
  wait_until(
      [&] {
        r = HttpClient().request(
            method, path, body,
            {"Cookie: " + kCookie + "=" + token, "Content-Type: application/json"});
        return r.status != 429;
      },
      20s);
  return r;
}

HttpResponse refresh(const std::string& token) {
  return with_cookie("POST", "/api/auth/refresh", token);
}

struct Login {
  std::string access, refresh;
};

// Signs in again as `a`: a new session, with its own tokens.
Login login(const Account& a, const std::string& user_agent = "") {
  HttpResponse r;
  wait_until(
      [&] {
        std::vector<std::string> headers{"Content-Type: application/json"};
        if (!user_agent.empty()) headers.push_back("User-Agent: " + user_agent);
        r = HttpClient().request(
            "POST", "/api/auth/login",
            "{\"email\":" + json_quote(a.email) + ",\"password\":" + json_quote(a.password) + "}",
            headers);
        return r.status != 429;
      },
      20s);
  if (r.status != 200) throw std::runtime_error("login: " + r.body);
  return {r.json()["access_token"].GetString(), cookie_set_by(r)};
}

// A new session of a new account, refreshed once: its first refresh token,
// now spent, and the current one.
struct Refreshed {
  Account account;
  std::string spent, current;
};

Refreshed refreshed_once(const std::string& tag) {
  HttpClient client;
  Refreshed r{register_account(client, tag), "", ""};
  r.spent = login(r.account).refresh;
  auto answer = refresh(r.spent);
  if (answer.status != 200) throw std::runtime_error("refresh: " + answer.body);
  r.current = cookie_set_by(answer);
  return r;
}

// A password attempt for `email`, waiting out nginx's limit (not the service's).
HttpResponse attempt(const std::string& email, const std::string& password) {
  HttpResponse r;
  wait_until(
      [&] {
        r = HttpClient().send_json(
            "POST", "/api/auth/login",
            "{\"email\":" + json_quote(email) + ",\"password\":" + json_quote(password) + "}");
        return r.status != 429 || code_of(r) == "TOO_MANY_ATTEMPTS";
      },
      20s);
  return r;
}

// A second worker pool (one worker, one thread) on TCP, beside the stack's,
// with the same settings, spoken to in FastCGI with libfcgi's cgi-fcgi.
class SecondPool {
 public:
  SecondPool() {
    pid_ = fork();
    if (pid_ == 0) {
      std::string binary = required_env("TODO_BUILD_DIR") + "/todo-fcgi";
      std::string config = required_env("TODO_TEST_CONFIG");
      execl(binary.c_str(), "todo-fcgi", "serve", "--config", config.c_str(), "--listen", kAddress,
            "--workers", "1", "--threads", "1", static_cast<char*>(nullptr));
      _exit(127);
    }
    wait_until([] { return run_command("bash -c 'exec 3<>/dev/tcp/127.0.0.1/18999'").status == 0; },
               10s);
  }
  ~SecondPool() {
    kill(pid_, SIGTERM);
    waitpid(pid_, nullptr, 0);
  }
  SecondPool(const SecondPool&) = delete;
  SecondPool& operator=(const SecondPool&) = delete;

  // Its raw FastCGI answer: "Status: ...", the headers, the body.
  std::string request(const std::string& method, const std::string& path, const std::string& json) {
    std::string body_file = required_env("TODO_TEST_VAR") + "/second-pool-body";
    std::ofstream(body_file) << json;
    return run_command(
               "REQUEST_METHOD=" + method + " REQUEST_URI=" + path +
               " CONTENT_TYPE=application/json CONTENT_LENGTH=" + std::to_string(json.size()) +
               " cgi-fcgi -bind -connect " + kAddress + " < " + body_file)
        .output;
  }

 private:
  static constexpr const char* kAddress = "127.0.0.1:18999";
  pid_t pid_ = -1;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(sessions)

BOOST_AUTO_TEST_CASE(finding_1_a_trailing_slash_is_another_path_and_cannot_slip_past_the_limit) {
  HttpClient client;
  Account a = register_account(client, "slash");
  int not_found = 0, limited = 0, signed_in = 0;
  for (int i = 0; i < 25; ++i) {
    auto r = HttpClient().send_json(
        "POST", "/api/auth/login/",
        "{\"email\":" + json_quote(a.email) + R"(,"password":"not the password"})");
    not_found += r.status == 404;
    limited += r.status == 429;
    signed_in += r.status == 200 || r.status == 401;
  }
  BOOST_TEST(signed_in == 0);  // never served as login
  BOOST_TEST(limited > 0);     // nginx's limit covers the variant
  BOOST_TEST(not_found + limited == 25);
  std::this_thread::sleep_for(3s);  // let the bucket refill for the other tests
  auto again = HttpClient().send_json(
      "POST", "/api/auth/register/",
      "{\"email\":" + json_quote(a.email) + R"(,"password":"a sound passphrase"})");
  BOOST_TEST((again.status == 404 || again.status == 429));  // never 409: no enumeration
}

BOOST_AUTO_TEST_CASE(finding_2_a_rotated_refresh_token_never_works_again) {
  Refreshed s = refreshed_once("rotated");
  std::string c0 = s.spent;
  Account a = s.account;
  auto r2 = refresh(s.current);
  BOOST_REQUIRE(r2.status == 200);
  std::string c2 = cookie_set_by(r2);
  // c0 is two tokens back: reuse, and the whole session ends.
  auto reused = refresh(c0);
  BOOST_TEST(reused.status == 401);
  BOOST_TEST(code_of(reused) == "REFRESH_REUSED");
  BOOST_TEST(refresh(c2).status == 401);

  // After a plain logout, the logged-out cookie is dead too.
  Login t = login(a);
  BOOST_TEST(with_cookie("POST", "/api/auth/logout", t.refresh).status == 200);
  BOOST_TEST(refresh(t.refresh).status == 401);
}

BOOST_AUTO_TEST_CASE(finding_3_a_revoked_refresh_token_cannot_log_everyone_out) {
  HttpClient client;
  Account a = register_account(client, "revoked");
  Login old = login(a);
  BOOST_REQUIRE(with_cookie("POST", "/api/auth/logout", old.refresh, R"({"all":true})").status ==
                200);
  BOOST_REQUIRE(refresh(old.refresh).status == 401);
  Login fresh = login(a);
  auto attack = with_cookie("POST", "/api/auth/logout", old.refresh, R"({"all":true})");
  BOOST_TEST(attack.status == 401);
  BOOST_TEST(refresh(fresh.refresh).status == 200);  // the owner's new session lives on
}

BOOST_AUTO_TEST_CASE(finding_4_access_tokens_live_15_minutes_and_name_their_session) {
  HttpClient client;
  Account a = register_account(client, "ttl");
  auto r = HttpClient().send_json(
      "POST", "/api/auth/login",
      "{\"email\":" + json_quote(a.email) + ",\"password\":" + json_quote(a.password) + "}");
  BOOST_TEST(r.json()["expires_in"].GetInt() == 900);
  auto listed = HttpClient().get("/api/auth/sessions", r.json()["access_token"].GetString());
  int current = 0;
  auto listed_doc = listed.json();
  for (const auto& s : listed_doc.GetArray()) current += s["current"].GetBool();
  BOOST_TEST(current == 1);
}

BOOST_AUTO_TEST_CASE(reuse_after_the_grace_window_revokes_the_session) {
  Refreshed s = refreshed_once("reuse");
  std::this_thread::sleep_for(kGrace + 1s);
  auto reused = refresh(s.spent);
  BOOST_TEST(reused.status == 401);
  BOOST_TEST(code_of(reused) == "REFRESH_REUSED");
  BOOST_TEST(refresh(s.current).status == 401);  // the session was revoked with it
}

BOOST_AUTO_TEST_CASE(the_previous_token_within_the_grace_window_is_stale_and_revokes_nothing) {
  Refreshed s = refreshed_once("grace");
  auto stale = refresh(s.spent);
  BOOST_TEST(stale.status == 401);
  BOOST_TEST(code_of(stale) == "REFRESH_STALE");
  BOOST_TEST(stale.header("set-cookie").empty());  // the browser keeps its newer cookie
  BOOST_TEST(refresh(s.current).status == 200);
}

BOOST_AUTO_TEST_CASE(ten_concurrent_refreshes_with_one_token_make_exactly_one_winner) {
  HttpClient client;
  Account a = register_account(client, "race");
  std::string c0 = login(a).refresh;
  std::vector<std::future<HttpResponse>> racers;
  for (int i = 0; i < 10; ++i)
    racers.push_back(std::async(std::launch::async, [&] {
      return HttpClient().request("POST", "/api/auth/refresh", "",
                                  {"Cookie: " + kCookie + "=" + c0});
    }));
  int won = 0, stale = 0;
  for (auto& racer : racers) {
    auto r = racer.get();
    won += r.status == 200;
    stale += code_of(r) == "REFRESH_STALE";
  }
  BOOST_TEST(won == 1);
  BOOST_TEST(stale == 9);
}

BOOST_AUTO_TEST_CASE(logout_ends_only_its_own_session) {
  HttpClient client;
  Account a = register_account(client, "logout-one");
  Login phone = login(a), laptop = login(a);
  BOOST_TEST(with_cookie("POST", "/api/auth/logout", phone.refresh).status == 200);
  BOOST_TEST(refresh(phone.refresh).status == 401);
  BOOST_TEST(refresh(laptop.refresh).status == 200);
}

BOOST_AUTO_TEST_CASE(logout_everywhere_and_a_password_change_end_the_other_sessions) {
  HttpClient client;
  Account a = register_account(client, "logout-all");
  Login phone = login(a), laptop = login(a);
  auto all = HttpClient().send_json("POST", "/api/auth/logout", R"({"all":true})", phone.access);
  BOOST_TEST(all.status == 200);
  BOOST_TEST(refresh(phone.refresh).status == 401);
  BOOST_TEST(refresh(laptop.refresh).status == 401);

  Login here = login(a), there = login(a);
  HttpResponse changed;
  wait_until(
      [&] {
        changed = HttpClient().send_json("PUT", "/api/auth/password",
                                         "{\"current_password\":" + json_quote(a.password) +
                                             R"(,"new_password":"a new sound passphrase"})",
                                         here.access);
        return changed.status != 429;
      },
      20s);
  BOOST_REQUIRE(changed.status == 200);
  BOOST_TEST(refresh(there.refresh).status == 401);
  BOOST_TEST(refresh(cookie_set_by(changed)).status == 200);  // this one goes on
}

BOOST_AUTO_TEST_CASE(sessions_are_listed_with_their_device_and_can_be_ended_one_by_one) {
  HttpClient client;
  Account a = register_account(client, "list");
  Login firefox =
      login(a, "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
  Login iphone =
      login(a,
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1");
  auto listed = HttpClient().get("/api/auth/sessions", firefox.access);
  BOOST_REQUIRE(listed.status == 200);
  std::map<std::string, std::string> devices;  // device -> id
  std::string current;
  auto listed_doc = listed.json();
  for (const auto& s : listed_doc.GetArray()) {
    devices[s["device"].GetString()] = s["id"].GetString();
    if (s["current"].GetBool()) current = s["device"].GetString();
  }
  BOOST_TEST(devices.size() == 3u);  // registration, Firefox, iPhone
  BOOST_TEST(devices.contains("Firefox on Linux"));
  BOOST_TEST(devices.contains("Safari on iPhone"));
  BOOST_TEST(current == "Firefox on Linux");

  // Another user cannot end them: the id is as unknown to them as a made-up one.
  HttpClient other;
  Account b = register_account(other, "list-other");
  std::string phone_session = "/api/auth/sessions/" + devices["Safari on iPhone"];
  BOOST_TEST(HttpClient().del(phone_session, b.access_token).status == 404);
  BOOST_TEST(refresh(iphone.refresh).status == 200);

  auto ended = HttpClient().del(phone_session, firefox.access);
  BOOST_TEST(ended.status == 200);
  BOOST_TEST(ended.body == R"({"message":"Session ended"})");
  BOOST_TEST(HttpClient().del(phone_session, firefox.access).status == 404);
  auto left = HttpClient().get("/api/auth/sessions", firefox.access).json();
  BOOST_TEST(left.Size() == 2u);
}

BOOST_AUTO_TEST_CASE(the_account_throttle_holds_across_worker_processes) {
  // The failures go through nginx to the stack's pool; the blocked attempt
  // to a pool of its own, another process entirely that shares only the
  // database: only PostgreSQL can have told it.
  HttpClient client;
  Account a = register_account(client, "throttle");
  for (int i = 0; i < 5; ++i) BOOST_TEST(attempt(a.email, "not the password").status == 401);
  SecondPool other;
  std::string blocked = other.request(
      "POST", "/api/auth/login",
      "{\"email\":" + json_quote(a.email) + ",\"password\":" + json_quote(a.password) + "}");
  BOOST_TEST(blocked.starts_with("Status: 429"), blocked);
  BOOST_TEST(blocked.find("\"code\":\"TOO_MANY_ATTEMPTS\"") != std::string::npos, blocked);
  BOOST_TEST(blocked.find("Retry-After: ") != std::string::npos, blocked);
}

BOOST_AUTO_TEST_CASE(an_unknown_email_is_throttled_exactly_like_a_known_one) {
  HttpClient client;
  Account a = register_account(client, "known");
  std::string unknown = unique_email("unknown");
  for (int i = 0; i < 5; ++i) {
    auto known_r = attempt(a.email, "not the password");
    auto unknown_r = attempt(unknown, "not the password");
    BOOST_TEST(known_r.status == unknown_r.status);
    BOOST_TEST(known_r.body == unknown_r.body);
  }
  auto known_r = attempt(a.email, "not the password");
  auto unknown_r = attempt(unknown, "not the password");
  BOOST_TEST(known_r.status == 429);
  BOOST_TEST(unknown_r.status == 429);
  BOOST_TEST(known_r.body == unknown_r.body);
  // The time left, in whole seconds: two answers a few milliseconds apart may
  // straddle a second, never more.
  int known_wait = std::stoi(known_r.header("retry-after"));
  int unknown_wait = std::stoi(unknown_r.header("retry-after"));
  BOOST_TEST(std::abs(known_wait - unknown_wait) <= 1);
  BOOST_TEST((known_wait >= 29 && known_wait <= 30));
}

BOOST_AUTO_TEST_CASE(wrong_current_passwords_are_throttled_too) {
  HttpClient client;
  Account a = register_account(client, "pw-throttle");
  auto change = [&](const std::string& current) {
    HttpResponse r;
    wait_until(
        [&] {
          r = HttpClient().send_json("PUT", "/api/auth/password",
                                     "{\"current_password\":" + json_quote(current) +
                                         R"(,"new_password":"a new sound passphrase"})",
                                     a.access_token);
          return r.status != 429 || code_of(r) == "TOO_MANY_ATTEMPTS";
        },
        20s);
    return r;
  };
  for (int i = 0; i < 5; ++i) BOOST_TEST(change("not my password").status == 401);
  auto blocked = change(a.password);
  BOOST_TEST(blocked.status == 429);
  BOOST_TEST(code_of(blocked) == "TOO_MANY_ATTEMPTS");
  BOOST_TEST(!blocked.header("retry-after").empty());
  // The same count guards the login of that account.
  BOOST_TEST(code_of(attempt(a.email, a.password)) == "TOO_MANY_ATTEMPTS");
}

BOOST_AUTO_TEST_SUITE_END()
