// The pool's metrics (GET /metrics) through nginx: the counters of both
// worker processes summed exactly, across a worker killed and replaced; the
// scrape valid for Prometheus (promtool); and nginx serving it only to the
// addresses it lists.

#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <map>
#include <sstream>
#include <thread>

#include "http_client.hpp"
#include "stack.hpp"

using namespace todo::testing;
using namespace std::chrono_literals;

namespace {

// Every sample of a scrape, by its name and labels as written.
using Samples = std::map<std::string, double>;

Samples scrape() {
  auto r = HttpClient().get("/metrics");
  if (r.status != 200) throw std::runtime_error("GET /metrics: " + std::to_string(r.status));
  Samples samples;
  std::istringstream lines(r.body);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line.front() == '#') continue;
    auto space = line.rfind(' ');
    samples[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return samples;
}

std::string requests(const std::string& route, const std::string& method,
                     const std::string& status) {
  return "todo_http_requests_total{route=\"" + route + "\",method=\"" + method + "\",status=\"" +
         status + "\"}";
}

// The change of one sample between two scrapes.
double grew(const Samples& before, const Samples& after, const std::string& name) {
  auto value = [&name](const Samples& s) { return s.contains(name) ? s.at(name) : 0.0; };
  return value(after) - value(before);
}

// Known requests of several routes: health, a 404, a 401 and a user's tasks.
struct Traffic {
  Account account;
  int sent = 0;

  explicit Traffic(HttpClient& client) : account(register_account(client, "metrics")) {}

  void send(int rounds) {
    HttpClient client;
    for (int i = 0; i < rounds; ++i) {
      client.get("/api/health");
      client.get("/api/nowhere");
      client.get("/api/auth/me");
      client.get(tasks_path(account), account.access_token);
      client.send_json("POST", tasks_path(account), R"({"title":"counted"})", account.access_token);
    }
    sent += rounds;
  }
};

void expect_counted(const Samples& before, const Samples& after, const Traffic& t) {
  double n = t.sent;
  BOOST_TEST(grew(before, after, requests("/api/health", "GET", "200")) == n);
  BOOST_TEST(grew(before, after, requests("none", "GET", "404")) == n);
  BOOST_TEST(grew(before, after, requests("/api/auth/me", "GET", "401")) == n);
  BOOST_TEST(grew(before, after, requests("/api/{user_id}/tasks", "GET", "200")) == n);
  BOOST_TEST(grew(before, after, requests("/api/{user_id}/tasks", "POST", "201")) == n);
  BOOST_TEST(grew(before, after, "todo_auth_failures_total{reason=\"missing\"}") == n);
  BOOST_TEST(
      grew(before, after, "todo_http_request_duration_seconds_count{route=\"/api/health\"}") == n);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(metrics)

BOOST_AUTO_TEST_CASE(counters_sum_exactly_over_the_workers_and_survive_a_replaced_one) {
  HttpClient client;
  Traffic traffic(client);
  Samples before = scrape();
  BOOST_TEST(before.at("todo_worker_processes") == 2);
  traffic.send(20);

  // A worker killed while idle: its counts stay in its slot, its replacement adds to them.
  auto workers = worker_pids();
  BOOST_REQUIRE(workers.size() == 2u);
  kill(workers[0], SIGKILL);
  BOOST_REQUIRE(wait_until(
      [&] {
        auto now = worker_pids();
        return now.size() == 2u && std::ranges::find(now, workers[0]) == now.end();
      },
      10s));
  traffic.send(20);

  Samples after = scrape();
  expect_counted(before, after, traffic);
  BOOST_TEST(grew(before, after, "todo_worker_restarts_total") == 1);
  BOOST_TEST(after.at("todo_worker_processes") == 2);
  BOOST_TEST(after.at("todo_threads{state=\"busy\"}") >= 1);  // this scrape's own
  BOOST_TEST(after.contains("todo_listen_queue_length"));
  BOOST_TEST(after.contains("todo_build_info{version=\"" TODO_TEST_VERSION "\"}"));
}

BOOST_AUTO_TEST_CASE(a_scrape_of_a_loaded_stack_passes_promtool) {
  HttpClient client;
  Traffic(client).send(10);
  std::string url = required_env("TODO_TEST_URL");
  auto check = run_command("curl -sf --cacert " + required_env("TODO_TEST_VAR") + "/tls/cert.pem " +
                           url + "/metrics | promtool check metrics");
  BOOST_TEST(check.status == 0, check.output);
}

BOOST_AUTO_TEST_CASE(only_the_listed_addresses_may_read_the_metrics) {
  std::string url = required_env("TODO_TEST_URL");
  // 127.0.0.2 is this machine too, but metrics-allow.conf names only
  // 127.0.0.1 and ::1: any other address is refused the same way.
  auto refused = run_command("curl -s --interface 127.0.0.2 -w ' %{http_code}' --cacert " +
                             required_env("TODO_TEST_VAR") + "/tls/cert.pem " + url + "/metrics");
  BOOST_TEST(refused.output == R"({"detail":"Forbidden","code":"FORBIDDEN"})"
                               "\n 403");
  auto api = HttpClient().get("/api/metrics");  // and never under /api/
  BOOST_TEST(api.status == 404);
}

BOOST_AUTO_TEST_SUITE_END()
