#include <boost/test/unit_test.hpp>

#include "core/query_string.hpp"

using namespace todo;

BOOST_AUTO_TEST_SUITE(query_string)

BOOST_AUTO_TEST_CASE(pairs_are_decoded_in_order) {
  auto q = parse_query("status=pending&q=milk+%26+eggs&empty=&flag");
  BOOST_REQUIRE(q);
  BOOST_TEST(q->size() == 4u);
  BOOST_TEST(*query_value(*q, "q") == "milk & eggs");
  BOOST_TEST(*query_value(*q, "empty") == "");
  BOOST_TEST(*query_value(*q, "flag") == "");
  BOOST_TEST(!query_value(*q, "missing"));
}

BOOST_AUTO_TEST_CASE(the_last_repeated_value_wins) {
  auto q = parse_query("limit=1&limit=2");
  BOOST_TEST(*query_value(*q, "limit") == "2");
}

BOOST_AUTO_TEST_CASE(malformed_escapes_are_refused) {
  BOOST_TEST(!parse_query("q=%"));
  BOOST_TEST(!parse_query("q=%4"));
  BOOST_TEST(!parse_query("q=%GG"));
}

BOOST_AUTO_TEST_CASE(empty_pieces_are_skipped) {
  auto q = parse_query("&&a=1&&");
  BOOST_TEST(q->size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
