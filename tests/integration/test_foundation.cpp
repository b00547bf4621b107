// The skeleton end to end: TLS, routing, errors, request ids, migrations,
// database outages and worker crashes.

#include <signal.h>

#include <boost/test/unit_test.hpp>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "http_client.hpp"
#include "stack.hpp"

using namespace todo::testing;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_SUITE(foundation)

BOOST_AUTO_TEST_CASE(health_is_200_json_over_tls) {
  HttpClient client;
  auto r = client.get("/api/health");
  BOOST_TEST(r.status == 200);
  BOOST_TEST(r.body == R"({"status":"ok","database":"ok"})");
  BOOST_TEST(r.header("content-type") == "application/json");
  BOOST_TEST(r.header("cache-control") == "no-store");
  BOOST_TEST(r.header("x-request-id").size() == 32u);
}

BOOST_AUTO_TEST_CASE(security_headers_are_set_on_api_and_static_responses) {
  HttpClient client;
  for (const char* path : {"/api/health", "/", "/api/nope"}) {
    auto r = client.get(path);
    BOOST_TEST_CONTEXT(path) {
      BOOST_TEST(r.header("content-security-policy").find("frame-ancestors 'none'") !=
                 std::string::npos);
      BOOST_TEST(r.header("content-security-policy").find("unsafe-inline") == std::string::npos);
      BOOST_TEST(r.header("strict-transport-security").find("max-age=") == 0u);
      BOOST_TEST(r.header("x-content-type-options") == "nosniff");
      BOOST_TEST(r.header("referrer-policy") == "no-referrer");
    }
  }
}

BOOST_AUTO_TEST_CASE(a_sane_request_id_is_echoed_and_an_insane_one_replaced) {
  HttpClient client;
  auto kept = client.request("GET", "/api/health", "", {"X-Request-Id: trace-abc.123_XYZ"});
  BOOST_TEST(kept.header("x-request-id") == "trace-abc.123_XYZ");
  auto replaced = client.request("GET", "/api/health", "", {"X-Request-Id: has spaces; and=junk"});
  BOOST_TEST(replaced.header("x-request-id").size() == 32u);
}

BOOST_AUTO_TEST_CASE(unknown_route_is_404_json) {
  HttpClient client;
  auto r = client.get("/api/no/such/route/here");
  BOOST_TEST(r.status == 404);
  BOOST_TEST(r.body == R"({"detail":"Not Found","code":"NOT_FOUND"})");
}

BOOST_AUTO_TEST_CASE(wrong_method_is_405_with_allow) {
  HttpClient client;
  auto r = client.request("DELETE", "/api/health");
  BOOST_TEST(r.status == 405);
  BOOST_TEST(r.header("allow") == "GET, HEAD");
  BOOST_TEST(r.body == R"({"detail":"Method Not Allowed","code":"METHOD_NOT_ALLOWED"})");
}

BOOST_AUTO_TEST_CASE(oversized_body_is_a_json_413) {
  HttpClient client;
  std::string big = "{\"title\":\"" + std::string(70 * 1024, 'x') + "\"}";
  auto r = client.send_json("POST", "/api/auth/login", big);
  BOOST_TEST(r.status == 413);
  BOOST_TEST(r.header("content-type") == "application/json");
  BOOST_TEST(r.json()["code"].GetString() == std::string("PAYLOAD_TOO_LARGE"));
  BOOST_TEST(r.header("x-request-id").size() == 32u);
  BOOST_TEST(client.get("/api/health").status == 200);
}

BOOST_AUTO_TEST_CASE(a_request_nginx_cannot_parse_is_a_json_400) {
  HttpClient client;
  auto r = client.get("/api/%ZZ/tasks");
  BOOST_TEST(r.status == 400);
  BOOST_TEST(r.header("content-type") == "application/json");
  BOOST_TEST(r.json()["code"].GetString() == std::string("BAD_REQUEST"));
  BOOST_TEST(r.header("x-request-id").size() == 32u);
  BOOST_TEST(r.header("content-security-policy") != "");
}

BOOST_AUTO_TEST_CASE(invalid_json_is_400_and_non_json_is_415) {
  HttpClient client;
  auto bad = client.send_json("POST", "/api/auth/login", "{\"email\": ");
  BOOST_TEST(bad.status == 400);
  BOOST_TEST(bad.json()["code"].GetString() == std::string("INVALID_JSON"));
  auto text = client.request("POST", "/api/auth/login", "email=a", {"Content-Type: text/plain"});
  BOOST_TEST(text.status == 415);
  BOOST_TEST(text.json()["code"].GetString() == std::string("UNSUPPORTED_MEDIA_TYPE"));
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------- migrations

namespace {

// A scratch database owned by todo_owner, dropped at the end of the test.
struct ScratchDatabase {
  std::string name = "todo_scratch_" + std::to_string(getpid());
  std::string admin_url = required_env("TODO_TEST_ADMIN_DATABASE_URL");

  ScratchDatabase() {
    drop();
    pqxx::connection c(admin_url);
    pqxx::nontransaction(c).exec("CREATE DATABASE " + name + " OWNER todo_owner");
  }
  ~ScratchDatabase() { drop(); }

  void drop() {
    pqxx::connection c(admin_url);
    pqxx::nontransaction(c).exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
  }

  // The stack's URL for `role`, pointing at this database instead.
  std::string url_for(const char* env) const {
    std::string url = required_env(env);
    return url.substr(0, url.rfind('/') + 1) + name;
  }
};

std::string binary() {
  return required_env("TODO_BUILD_DIR") + "/todo-fcgi";
}

// Runs `todo-fcgi serve` against a database and returns how it ended; a
// refusal exits at once, so the timeout only matters when it wrongly starts.
CommandResult serve_against(const std::string& database_url) {
  std::string socket = "/tmp/todo-refusal-" + std::to_string(getpid()) + ".sock";
  return run_command("DATABASE_URL='" + database_url +
                     "' JWT_SECRET=0123456789abcdef0123456789abcdef01 timeout 10 " + binary() +
                     " serve --listen " + socket + " --workers 1 --threads 1");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(migrations)

BOOST_AUTO_TEST_CASE(migrate_on_an_empty_database_then_again_is_a_no_op) {
  ScratchDatabase db;
  std::string env = "MIGRATION_DATABASE_URL='" + db.url_for("TODO_TEST_OWNER_DATABASE_URL") + "' ";
  auto first = run_command(env + binary() + " migrate");
  BOOST_TEST(first.status == 0, first.output);
  BOOST_TEST(first.output.find("applied 0001_users_and_tasks") != std::string::npos, first.output);
  auto second = run_command(env + binary() + " migrate");
  BOOST_TEST(second.status == 0, second.output);
  BOOST_TEST(second.output == "database is up to date\n");

  pqxx::connection c(db.url_for("TODO_TEST_OWNER_DATABASE_URL"));
  pqxx::read_transaction tx(c);
  BOOST_TEST(tx.exec("SELECT count(*) FROM schema_migrations")[0][0].as<int>() >= 3);
  BOOST_TEST(
      tx.exec("SELECT relforcerowsecurity FROM pg_class WHERE relname = 'tasks'")[0][0].as<bool>());
}

BOOST_AUTO_TEST_CASE(serve_refuses_an_unmigrated_database) {
  ScratchDatabase db;
  auto r = serve_against(db.url_for("TODO_TEST_DATABASE_URL"));
  BOOST_TEST(r.status == 1, r.output);
  BOOST_TEST(r.output.find("todo-fcgi migrate") != std::string::npos, r.output);
}

BOOST_AUTO_TEST_CASE(serve_refuses_a_role_that_bypasses_row_level_security) {
  std::string admin = required_env("TODO_TEST_ADMIN_DATABASE_URL");
  auto r = serve_against(admin.substr(0, admin.rfind('/') + 1) + "todo");
  BOOST_TEST(r.status == 1, r.output);
  BOOST_TEST(r.output.find("row-level security") != std::string::npos, r.output);
}

BOOST_AUTO_TEST_SUITE_END()

// ---------------------------------------------------------------- faults

BOOST_AUTO_TEST_SUITE(faults)

BOOST_AUTO_TEST_CASE(health_is_503_while_postgres_is_down_and_200_after_without_worker_restart) {
  HttpClient client;
  auto workers_before = worker_pids();
  BOOST_REQUIRE(!workers_before.empty());
  BOOST_REQUIRE(run_todo("pg-stop"));

  auto started = std::chrono::steady_clock::now();
  auto down = client.get("/api/health");
  auto took = std::chrono::steady_clock::now() - started;
  BOOST_TEST(down.status == 503);
  BOOST_TEST(down.header("retry-after") != "");
  BOOST_TEST(down.header("content-type") == "application/json");
  BOOST_TEST(took < 5s);

  BOOST_REQUIRE(run_todo("pg-start"));
  bool back = wait_until([&] { return client.get("/api/health").status == 200; }, 10s);
  BOOST_TEST(back);
  auto workers_after = worker_pids();
  BOOST_TEST(std::set(workers_before.begin(), workers_before.end()) ==
             std::set(workers_after.begin(), workers_after.end()));
}

BOOST_AUTO_TEST_CASE(a_worker_killed_with_sigkill_is_replaced_and_requests_keep_being_answered) {
  HttpClient client;
  auto before = worker_pids();
  BOOST_REQUIRE(before.size() >= 2u);
  pid_t victim = before.front();
  BOOST_REQUIRE(kill(victim, SIGKILL) == 0);

  int ok = 0;
  for (int i = 0; i < 50; ++i) ok += client.get("/api/health").status == 200;
  BOOST_TEST(ok == 50);

  bool replaced = wait_until(
      [&] {
        auto now = worker_pids();
        return now.size() == before.size() &&
               std::find(now.begin(), now.end(), victim) == now.end();
      },
      5s);
  BOOST_TEST(replaced);
}

BOOST_AUTO_TEST_SUITE_END()
