// Strict base64url: RFC 4648 §5 without padding, one accepted encoding per byte string.
#include <array>
#include <boost/test/unit_test.hpp>
#include <random>
#include <string>

#include "auth/base64url.hpp"

using todo::auth::base64url_decode;
using todo::auth::base64url_decode_exact;
using todo::auth::base64url_encode;

BOOST_AUTO_TEST_SUITE(base64url)

BOOST_AUTO_TEST_CASE(encodes_rfc4648_vectors_without_padding) {
  BOOST_TEST(base64url_encode(std::string_view("")) == "");
  BOOST_TEST(base64url_encode(std::string_view("f")) == "Zg");
  BOOST_TEST(base64url_encode(std::string_view("fo")) == "Zm8");
  BOOST_TEST(base64url_encode(std::string_view("foo")) == "Zm9v");
  BOOST_TEST(base64url_encode(std::string_view("foob")) == "Zm9vYg");
  BOOST_TEST(base64url_encode(std::string_view("fooba")) == "Zm9vYmE");
  BOOST_TEST(base64url_encode(std::string_view("foobar")) == "Zm9vYmFy");
}

BOOST_AUTO_TEST_CASE(decodes_rfc4648_vectors) {
  BOOST_TEST(base64url_decode("").value() == "");
  BOOST_TEST(base64url_decode("Zg").value() == "f");
  BOOST_TEST(base64url_decode("Zm8").value() == "fo");
  BOOST_TEST(base64url_decode("Zm9v").value() == "foo");
  BOOST_TEST(base64url_decode("Zm9vYmE").value() == "fooba");
  BOOST_TEST(base64url_decode("Zm9vYmFy").value() == "foobar");
}

BOOST_AUTO_TEST_CASE(uses_the_url_safe_alphabet) {
  const std::array<unsigned char, 3> bytes{0xfb, 0xff, 0xbf};
  BOOST_TEST(base64url_encode(std::span<const unsigned char>(bytes)) == "-_-_");
  BOOST_TEST(base64url_decode("-_-_").value() == "\xfb\xff\xbf");
}

BOOST_AUTO_TEST_CASE(rejects_padding) {
  BOOST_TEST(!base64url_decode("Zg=="));
  BOOST_TEST(!base64url_decode("Zm8="));
  BOOST_TEST(!base64url_decode("Zg="));
  BOOST_TEST(!base64url_decode("===="));
}

BOOST_AUTO_TEST_CASE(rejects_plus_and_slash_of_standard_base64) {
  BOOST_TEST(!base64url_decode("+_-_"));
  BOOST_TEST(!base64url_decode("-/-_"));
}

BOOST_AUTO_TEST_CASE(rejects_impossible_length) {
  BOOST_TEST(!base64url_decode("Z"));
  BOOST_TEST(!base64url_decode("Zm9vY"));
}

BOOST_AUTO_TEST_CASE(rejects_non_canonical_trailing_bits) {
  // "f" is "Zg"; "Zh".."Zv" carry the same byte with non-zero unused bits.
  BOOST_TEST(!base64url_decode("Zh"));
  BOOST_TEST(!base64url_decode("Zv"));
  // "fo" is "Zm8"; "Zm9" differs only in the 2 unused bits.
  BOOST_TEST(!base64url_decode("Zm9"));
}

BOOST_AUTO_TEST_CASE(rejects_whitespace_and_other_bytes) {
  BOOST_TEST(!base64url_decode("Zm9v\n"));
  BOOST_TEST(!base64url_decode(" Zm9v"));
  BOOST_TEST(!base64url_decode("Zm.v"));
  BOOST_TEST(!base64url_decode(std::string_view("Zm\0v", 4)));
  BOOST_TEST(!base64url_decode("Zm\xc3\xa9"));
}

BOOST_AUTO_TEST_CASE(round_trips_every_byte_value_and_length) {
  std::mt19937 rng(42);
  for (std::size_t length = 0; length <= 64; ++length) {
    std::string bytes(length, '\0');
    for (auto& b : bytes) b = static_cast<char>(rng() & 0xff);
    const std::string text = base64url_encode(bytes);
    BOOST_TEST(text.find_first_of("+/=") == std::string::npos);
    BOOST_TEST(todo::auth::base64url_decoded_size(text.size()) == length);
    BOOST_TEST(base64url_decode(text).value() == bytes);
  }
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  BOOST_TEST(base64url_decode(base64url_encode(all)).value() == all);
}

BOOST_AUTO_TEST_CASE(decode_exact_requires_the_exact_size) {
  std::array<unsigned char, 3> three{};
  BOOST_TEST(base64url_decode_exact("Zm9v", three));
  BOOST_TEST(three[0] == 'f');
  std::array<unsigned char, 2> two{};
  BOOST_TEST(!base64url_decode_exact("Zm9v", two));
  BOOST_TEST(base64url_decode_exact("Zm8", two));
}

BOOST_AUTO_TEST_SUITE_END()
