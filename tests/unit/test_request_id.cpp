#include <boost/test/unit_test.hpp>
#include <set>

#include "core/request_id.hpp"

using namespace todo;

BOOST_AUTO_TEST_SUITE(request_id)

BOOST_AUTO_TEST_CASE(a_sane_client_id_is_kept) {
  BOOST_TEST(request_id_for("abc-123_X.y") == "abc-123_X.y");
}

BOOST_AUTO_TEST_CASE(an_insane_client_id_is_replaced) {
  for (std::string_view bad : {"", "has space", "new\nline", "quote\"", "semi;colon", "é"}) {
    std::string id = request_id_for(bad);
    BOOST_TEST(id != bad);
    BOOST_TEST(is_sane_request_id(id));
  }
  BOOST_TEST(request_id_for(std::string(65, 'a')).size() == 32u);
  BOOST_TEST(request_id_for(std::string(64, 'a')) == std::string(64, 'a'));
}

BOOST_AUTO_TEST_CASE(generated_ids_are_32_hex_characters_and_distinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = generate_request_id();
    BOOST_TEST(id.size() == 32u);
    BOOST_TEST(id.find_first_not_of("0123456789abcdef") == std::string::npos);
    seen.insert(id);
  }
  BOOST_TEST(seen.size() == 1000u);
}

BOOST_AUTO_TEST_SUITE_END()
