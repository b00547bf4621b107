// The second line of isolation (DESIGN.md, Data isolation): PostgreSQL's
// row-level security on tasks, proven with the service's own connection setup
// (store::Database as todo_app) and deliberately unfiltered SQL.

#include <boost/test/unit_test.hpp>
#include <memory>
#include <pqxx/pqxx>
#include <set>

#include "http_client.hpp"
#include "stack.hpp"
#include "store/database.hpp"

using namespace todo::testing;
using namespace std::chrono_literals;

namespace {

// An account with `n` tasks, made through the API.
Account account_with_tasks(HttpClient& client, const std::string& tag, int n) {
  Account a;
  wait_until(  // the sign-up rate limit is shared with every other test
      [&] {
        try {
          a = register_account(client, tag);
          return true;
        } catch (const std::runtime_error& e) {
          if (std::string(e.what()).find("429") == std::string::npos) throw;
          return false;
        }
      },
      20s);
  for (int i = 0; i < n; ++i) {
    auto r =
        client.send_json("POST", tasks_path(a),
                         R"({"title":")" + tag + " " + std::to_string(i) + R"("})", a.access_token);
    if (r.status != 201) throw std::runtime_error("create task: " + r.body);
  }
  return a;
}

// Two accounts, A with two tasks and B with one, and the service's database setup.
struct TwoUsers {
  HttpClient client;
  Account a = account_with_tasks(client, "rls-a", 2);
  Account b = account_with_tasks(client, "rls-b", 1);
  todo::store::Database db{{required_env("TODO_TEST_DATABASE_URL")}};
};

// A superuser connection to the service's database (the test stack only): it
// bypasses row-level security, so it sees what is really in the table.
std::unique_ptr<pqxx::connection> superuser() {
  std::string url = required_env("TODO_TEST_ADMIN_DATABASE_URL");
  std::string app = required_env("TODO_TEST_DATABASE_URL");
  return std::make_unique<pqxx::connection>(url.substr(0, url.rfind('/')) +
                                            app.substr(app.rfind('/')));
}

// Deliberately unfiltered (any pqxx transaction: as_user may hand over a subclass of work).
long count_all_tasks(pqxx::transaction_base& tx) {
  return tx.exec1("SELECT count(*) FROM tasks")[0].as<long>();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(isolation_rls)

BOOST_FIXTURE_TEST_CASE(an_unfiltered_select_as_user_a_sees_only_a_rows, TwoUsers) {
  auto [count, owners] = db.as_user(a.id, [](pqxx::transaction_base& tx) {
    std::set<std::string> ids;
    for (const auto& row : tx.exec("SELECT user_id FROM tasks"))
      ids.insert(row[0].as<std::string>());
    return std::pair{count_all_tasks(tx), ids};
  });
  BOOST_TEST(count == 2);
  BOOST_TEST(owners == std::set<std::string>{a.id});

  // The table really holds more: B's task at least, and every other test's.
  auto admin = superuser();
  pqxx::read_transaction tx(*admin);
  BOOST_TEST(tx.exec1("SELECT count(*) FROM tasks")[0].as<long>() >= 3);
  BOOST_TEST(tx.exec_params1("SELECT count(*) FROM tasks WHERE user_id = $1", b.id)[0].as<long>() ==
             1);
}

BOOST_FIXTURE_TEST_CASE(a_transaction_without_a_user_sees_no_tasks, TwoUsers) {
  BOOST_TEST(db.transaction(count_all_tasks) == 0);
  BOOST_TEST(db.transaction([&](pqxx::transaction_base& tx) {
    return tx.exec_params1("SELECT count(*) FROM tasks WHERE user_id = $1", a.id)[0].as<long>();
  }) == 0);
}

BOOST_FIXTURE_TEST_CASE(the_user_setting_ends_with_its_transaction, TwoUsers) {
  BOOST_TEST(db.as_user(a.id, count_all_tasks) == 2);
  // The same connection, the next transaction: nobody again.
  BOOST_TEST(db.transaction(count_all_tasks) == 0);
  BOOST_TEST(db.as_user(b.id, count_all_tasks) == 1);
}

BOOST_FIXTURE_TEST_CASE(inserting_a_task_for_another_user_is_refused_by_the_policy, TwoUsers) {
  std::string refusal;
  try {
    db.as_user(a.id, [&](pqxx::transaction_base& tx) {
      tx.exec_params("INSERT INTO tasks (user_id, title) VALUES ($1, 'planted by A')", b.id);
    });
  } catch (const pqxx::sql_error& e) {
    refusal = e.what();
  }
  // (libpqxx 6.4 leaves sqlstate() empty here; the server's message is the proof.)
  BOOST_TEST(refusal.find("violates row-level security policy") != std::string::npos, refusal);

  auto admin = superuser();
  pqxx::read_transaction tx(*admin);
  BOOST_TEST(tx.exec_params1("SELECT count(*) FROM tasks WHERE user_id = $1", b.id)[0].as<long>() ==
             1);
}

BOOST_FIXTURE_TEST_CASE(moving_a_task_to_another_user_is_refused_by_the_policy, TwoUsers) {
  std::string refusal;
  try {
    db.as_user(a.id, [&](pqxx::transaction_base& tx) {
      tx.exec_params("UPDATE tasks SET user_id = $1", b.id);  // no WHERE on purpose
    });
  } catch (const pqxx::sql_error& e) {
    refusal = e.what();
  }
  BOOST_TEST(refusal.find("violates row-level security policy") != std::string::npos, refusal);
  BOOST_TEST(db.as_user(a.id, count_all_tasks) == 2);
}

BOOST_FIXTURE_TEST_CASE(unfiltered_updates_and_deletes_as_a_never_reach_b_rows, TwoUsers) {
  auto [updated, deleted] = db.as_user(a.id, [&](pqxx::transaction_base& tx) {
    auto u = tx.exec("UPDATE tasks SET title = 'renamed by A'").affected_rows();
    auto d = tx.exec_params("DELETE FROM tasks WHERE user_id = $1", b.id).affected_rows();
    return std::pair{u, d};
  });
  BOOST_TEST(updated == 2u);  // A's own two
  BOOST_TEST(deleted == 0u);

  auto admin = superuser();
  pqxx::read_transaction tx(*admin);
  auto b_titles = tx.exec_params("SELECT title FROM tasks WHERE user_id = $1", b.id);
  BOOST_TEST_REQUIRE(b_titles.size() == 1u);
  BOOST_TEST(b_titles[0][0].as<std::string>() == "rls-b 0");
}

BOOST_AUTO_TEST_CASE(the_service_role_is_not_superuser_cannot_bypass_rls_and_owns_nothing) {
  todo::store::Database db{{required_env("TODO_TEST_DATABASE_URL")}};
  db.transaction([](pqxx::transaction_base& tx) {
    auto role = tx.exec1(
        "SELECT current_user, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user");
    BOOST_TEST(role[0].as<std::string>() == "todo_app");
    BOOST_TEST(!role[1].as<bool>());
    BOOST_TEST(!role[2].as<bool>());

    auto tasks = tx.exec1(
        "SELECT pg_get_userbyid(relowner), relrowsecurity, relforcerowsecurity "
        "FROM pg_class WHERE oid = 'public.tasks'::regclass");
    BOOST_TEST(tasks[0].as<std::string>() != "todo_app");
    BOOST_TEST(tasks[1].as<bool>());
    BOOST_TEST(tasks[2].as<bool>());

    auto owned = tx.exec1(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relowner = 'todo_app'::regrole");
    BOOST_TEST(owned[0].as<long>() == 0);
  });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(rls_setting)

// Ids with characters SQL would have to quote take the parameterised path:
// the setting holds the id byte for byte and nothing of it runs as SQL.
BOOST_AUTO_TEST_CASE(a_user_id_that_needs_quoting_is_set_as_a_parameter) {
  todo::store::Database db{{required_env("TODO_TEST_DATABASE_URL")}};
  for (std::string id : {std::string("o'brien'); DROP TABLE tasks; --"), std::string("back\\slash"),
                         std::string("plain-Id_0.9")}) {
    BOOST_TEST_CONTEXT(id) {
      std::string seen = db.as_user(id, [](pqxx::transaction_base& tx) {
        return tx.exec("SELECT current_setting('app.user_id')")[0][0].as<std::string>();
      });
      BOOST_TEST(seen == id);
    }
  }
  long tasks = db.as_user("x", [](pqxx::transaction_base& tx) {
    return tx.exec("SELECT count(*) FROM tasks")[0][0].as<long>();
  });
  BOOST_TEST(tasks == 0);
}

BOOST_AUTO_TEST_SUITE_END()
