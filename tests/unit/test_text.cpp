#include <boost/test/unit_test.hpp>

#include "core/text.hpp"

using namespace todo;

BOOST_AUTO_TEST_SUITE(text)

BOOST_AUTO_TEST_CASE(utf8_length_counts_code_points_not_bytes) {
  BOOST_TEST(*utf8_length("abc") == 3u);
  BOOST_TEST(*utf8_length("h\xC3\xA9llo") == 5u);                      // é
  BOOST_TEST(*utf8_length("\xF0\x9F\x98\x80") == 1u);                  // 😀
  BOOST_TEST(*utf8_length("\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D") == 4u);  // שלום
}

BOOST_AUTO_TEST_CASE(invalid_utf8_has_no_length) {
  BOOST_TEST(!utf8_length("\xC3"));              // truncated
  BOOST_TEST(!utf8_length("\xC0\xAF"));          // overlong '/'
  BOOST_TEST(!utf8_length("\xED\xA0\x80"));      // surrogate
  BOOST_TEST(!utf8_length("\xF4\x90\x80\x80"));  // above U+10FFFF
  BOOST_TEST(!utf8_length("\xFF"));
}

BOOST_AUTO_TEST_CASE(control_characters_are_found) {
  BOOST_TEST(has_control_chars(std::string("a\0b", 3)));
  BOOST_TEST(has_control_chars("tab\there"));
  BOOST_TEST(has_control_chars("del\x7F"));
  BOOST_TEST(has_control_chars("c1 \xC2\x85"));
  BOOST_TEST(!has_control_chars("plain text, émoji \xF0\x9F\x98\x80"));
  BOOST_TEST(!has_control_chars("two\nlines\r\n\tindented", true));
}

BOOST_AUTO_TEST_CASE(trim_unicode_removes_unicode_spaces_too) {
  BOOST_TEST(trim_unicode("  hi  ") == "hi");
  BOOST_TEST(trim_unicode("\xC2\xA0hi\xE3\x80\x80") == "hi");  // NBSP, ideographic space
  BOOST_TEST(trim_unicode(" \t\n ") == "");
  BOOST_TEST(trim_unicode("a b") == "a b");
}

BOOST_AUTO_TEST_CASE(percent_decode_handles_plus_and_escapes) {
  BOOST_TEST(*percent_decode("a+b%20c", true) == "a b c");
  BOOST_TEST(*percent_decode("a+b", false) == "a+b");
  BOOST_TEST(!percent_decode("%", true));
}

BOOST_AUTO_TEST_CASE(iequals_ignores_ascii_case_only) {
  BOOST_TEST(iequals("Application/JSON", "application/json"));
  BOOST_TEST(!iequals("json", "jsonx"));
}

BOOST_AUTO_TEST_SUITE_END()
