// A worker thread's connection (store::Database, as todo_app) when the server
// under it changes, against the test stack's PostgreSQL. The multi-host test
// (tests/multihost/run.sh) shows the same through nginx on a real failover.

#include <boost/test/unit_test.hpp>
#include <pqxx/pqxx>

#include "http_client.hpp"
#include "store/database.hpp"
#include "store/errors.hpp"

using namespace std::chrono_literals;
using todo::testing::required_env;

BOOST_AUTO_TEST_SUITE(database)

// A primary fenced before a switchover (default_transaction_read_only on, and
// a reload) turns every open session read-only; here one session is turned
// read-only by itself. A write there is an outage (503), not a bug (500), and
// the session is given up: the next request connects again, and would reach
// the writable host of a multi-host DATABASE_URL.
BOOST_AUTO_TEST_CASE(a_write_refused_as_read_only_is_unavailable_and_the_next_one_connects_again) {
  // No pause after a failure, so the next call connects at once.
  todo::store::Database db{{required_env("TODO_TEST_DATABASE_URL"), 5000ms, 0ms}};
  auto write = [](pqxx::transaction_base& tx) { tx.exec("DELETE FROM tasks WHERE false"); };
  db.transaction(write);

  db.autocommit(
      [](pqxx::transaction_base& tx) { tx.exec("SET default_transaction_read_only = on"); });
  BOOST_CHECK_THROW(db.transaction(write), todo::store::Unavailable);
  BOOST_CHECK_NO_THROW(db.transaction(write));
}

BOOST_AUTO_TEST_SUITE_END()
