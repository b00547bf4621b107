// The second line of isolation (DESIGN.md, Data isolation): PostgreSQL's
// row-level security on tasks, proven with the service's own connection setup
// (store::Database as todo_app) and deliberately unfiltered SQL, and the task
// functions (db/migrations/0004) that scope the user to one call.

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
  Account a = register_account(client, tag);
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

// Deliberately unfiltered.
long count_all_tasks(pqxx::transaction_base& tx) {
  return tx.exec1("SELECT count(*) FROM tasks")[0].as<long>();
}

// Runs fn in a transaction scoped to user_id as the task functions scope
// theirs, so that any SQL, not only theirs, meets the policy.
template <typename Fn>
auto as_user(todo::store::Database& db, const std::string& user_id, Fn&& fn) {
  return db.transaction([&](pqxx::work& tx) {
    tx.exec_params("SELECT set_config('app.user_id', $1, true)", user_id);
    return fn(tx);
  });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(isolation_rls)

BOOST_FIXTURE_TEST_CASE(an_unfiltered_select_as_user_a_sees_only_a_rows, TwoUsers) {
  auto [count, owners] = as_user(db, a.id, [](pqxx::transaction_base& tx) {
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
  BOOST_TEST(as_user(db, a.id, count_all_tasks) == 2);
  // The same connection, the next transaction: nobody again.
  BOOST_TEST(db.transaction(count_all_tasks) == 0);
  BOOST_TEST(as_user(db, b.id, count_all_tasks) == 1);
}

BOOST_FIXTURE_TEST_CASE(inserting_a_task_for_another_user_is_refused_by_the_policy, TwoUsers) {
  std::string refusal;
  try {
    as_user(db, a.id, [&](pqxx::transaction_base& tx) {
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
    as_user(db, a.id, [&](pqxx::transaction_base& tx) {
      tx.exec_params("UPDATE tasks SET user_id = $1", b.id);  // no WHERE on purpose
    });
  } catch (const pqxx::sql_error& e) {
    refusal = e.what();
  }
  BOOST_TEST(refusal.find("violates row-level security policy") != std::string::npos, refusal);
  BOOST_TEST(as_user(db, a.id, count_all_tasks) == 2);
}

BOOST_FIXTURE_TEST_CASE(unfiltered_updates_and_deletes_as_a_never_reach_b_rows, TwoUsers) {
  auto [updated, deleted] = as_user(db, a.id, [&](pqxx::transaction_base& tx) {
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

BOOST_AUTO_TEST_SUITE(task_functions)

// A connection as the service's role, outside any explicit transaction, as
// the store calls the functions.
std::unique_ptr<pqxx::connection> service_connection() {
  return std::make_unique<pqxx::connection>(required_env("TODO_TEST_DATABASE_URL"));
}

std::string first_task_id(const Account& account) {
  auto admin = superuser();
  pqxx::read_transaction tx(*admin);
  return tx.exec_params1("SELECT id::text FROM tasks WHERE user_id = $1 LIMIT 1", account.id)[0]
      .as<std::string>();
}

BOOST_FIXTURE_TEST_CASE(the_user_setting_ends_with_the_call, TwoUsers) {
  auto c = service_connection();
  pqxx::nontransaction tx(*c);
  BOOST_TEST(
      tx.exec_params("SELECT * FROM task_list($1, 'all', NULL, 'title asc', 10, 0)", a.id).size() ==
      2u);
  // The same session, the next statement: nobody, so no rows.
  BOOST_TEST(tx.exec1("SELECT current_setting('app.user_id', true)")[0].as<std::string>() == "");
  BOOST_TEST(count_all_tasks(tx) == 0);
}

BOOST_FIXTURE_TEST_CASE(a_function_called_for_a_never_returns_or_changes_b_rows, TwoUsers) {
  std::string b_task = first_task_id(b);
  auto c = service_connection();
  pqxx::nontransaction tx(*c);
  BOOST_TEST(tx.exec_params("SELECT * FROM task_find($1, $2)", a.id, b_task).empty());
  BOOST_TEST(tx.exec_params("SELECT * FROM task_toggle($1, $2)", a.id, b_task).empty());
  BOOST_TEST(
      tx.exec_params("SELECT * FROM task_update($1, $2, 'x', true, NULL, true)", a.id, b_task)
          .empty());
  BOOST_TEST(tx.exec_params("SELECT * FROM task_delete($1, $2)", a.id, b_task).empty());

  auto admin = superuser();
  pqxx::read_transaction check(*admin);
  auto row = check.exec_params1("SELECT title, completed FROM tasks WHERE id = $1", b_task);
  BOOST_TEST(row[0].as<std::string>() == "rls-b 0");
  BOOST_TEST(!row[1].as<bool>());
}

// Every id travels as a parameter: one that SQL would have to quote is held
// byte for byte, and nothing of it runs as SQL.
BOOST_AUTO_TEST_CASE(a_user_id_that_needs_quoting_is_only_ever_a_value) {
  auto c = service_connection();
  pqxx::nontransaction tx(*c);
  for (std::string id : {std::string("o'brien'); DROP TABLE tasks; --"), std::string("back\\slash"),
                         std::string("plain-Id_0.9")}) {
    BOOST_TEST_CONTEXT(id) {
      BOOST_TEST(tx.exec_params1("SELECT task_count($1, 'all', NULL)", id)[0].as<long>() == 0);
    }
  }
  BOOST_TEST(tx.exec1("SELECT to_regclass('public.tasks') IS NOT NULL")[0].as<bool>());
}

BOOST_AUTO_TEST_CASE(only_the_service_role_may_call_the_task_functions) {
  auto admin = superuser();
  pqxx::read_transaction tx(*admin);
  auto rows = tx.exec(
      "SELECT p.proname, has_function_privilege('todo_app', p.oid, 'EXECUTE'), "
      "       has_function_privilege('public', p.oid, 'EXECUTE') "
      "FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
      "WHERE n.nspname = 'public' AND p.proname LIKE 'task\\_%'");
  BOOST_TEST(rows.size() == 8u);
  for (const auto& row : rows) {
    BOOST_TEST_CONTEXT(row[0].as<std::string>()) {
      BOOST_TEST(row[1].as<bool>());
      BOOST_TEST(!row[2].as<bool>());
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
