// The unit test binary's entry point; each test_*.cpp adds its suites.
#define BOOST_TEST_MODULE todo_unit_tests
#include <boost/test/unit_test.hpp>
