#include <boost/test/unit_test.hpp>
#include <stdexcept>

#include "store/fields.hpp"

using todo::store::utc_timestamp;

BOOST_AUTO_TEST_SUITE(fields)

BOOST_AUTO_TEST_CASE(a_timestamp_always_gets_six_fraction_digits) {
  BOOST_TEST(utc_timestamp("2026-12-02 03:51:01.123456+00") == "2026-12-02T03:51:01.123456Z");
  BOOST_TEST(utc_timestamp("2026-12-02 03:51:01.5+00") == "2026-12-02T03:51:01.500000Z");
  BOOST_TEST(utc_timestamp("2026-12-02 03:51:01+00") == "2026-12-02T03:51:01.000000Z");
}

BOOST_AUTO_TEST_CASE(anything_but_a_utc_iso_timestamp_is_refused) {
  BOOST_CHECK_THROW(utc_timestamp("2026-12-02 03:51:01.5+01"), std::invalid_argument);
  BOOST_CHECK_THROW(utc_timestamp("Wed Dec 02 03:51:01 2026 UTC"), std::invalid_argument);
  BOOST_CHECK_THROW(utc_timestamp("2026-12-02 03:51:01.1234567+00"), std::invalid_argument);
  BOOST_CHECK_THROW(utc_timestamp("2026-12-02 03:51:01x5+00"), std::invalid_argument);
  BOOST_CHECK_THROW(utc_timestamp(""), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
