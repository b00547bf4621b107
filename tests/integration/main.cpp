// The integration test binary's entry point. These tests talk to the running
// test stack (real nginx, TLS, FastCGI workers and PostgreSQL) that CTest's
// stack_up fixture starts; its address is in TODO_TEST_URL.
#define BOOST_TEST_MODULE todo_integration_tests
#include <boost/test/unit_test.hpp>
