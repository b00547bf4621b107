// HMAC-SHA256 (RFC 4231 test cases), SHA-256 and the constant-time compare.
#include <boost/test/unit_test.hpp>
#include <string>
#include <vector>

#include "auth/hmac_sha256.hpp"

using todo::auth::HmacSha256;
using todo::auth::Sha256Digest;

namespace {

std::string hex(const Sha256Digest& digest, std::size_t bytes = 32) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    out.push_back(kDigits[digest[i] >> 4]);
    out.push_back(kDigits[digest[i] & 15]);
  }
  return out;
}

std::string bytes(std::size_t n, unsigned char value) {
  return std::string(n, static_cast<char>(value));
}

struct Rfc4231Case {
  std::string name, key, data, expected_hex;
};

// RFC 4231 §4.2–4.8, HMAC-SHA-256 results. Test case 5's result is truncated to 128 bits.
std::vector<Rfc4231Case> rfc4231_cases() {
  std::string key4;
  for (unsigned char b = 0x01; b <= 0x19; ++b) key4.push_back(static_cast<char>(b));
  return {
      {"1", bytes(20, 0x0b), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"2", "Jefe", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {"3", bytes(20, 0xaa), bytes(50, 0xdd),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {"4", key4, bytes(50, 0xcd),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {"5", bytes(20, 0x0c), "Test With Truncation", "a3b6167473100ee06e0c796c2955552b"},
      {"6", bytes(131, 0xaa), "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {"7", bytes(131, 0xaa),
       "This is a test using a larger than block-size key and a larger than block-size data. "
       "The key needs to be hashed before being used by the HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
}

}  // namespace

BOOST_AUTO_TEST_SUITE(hmac_sha256)

BOOST_AUTO_TEST_CASE(one_shot_matches_all_rfc4231_test_cases) {
  for (const auto& c : rfc4231_cases()) {
    BOOST_TEST_CONTEXT("RFC 4231 test case " << c.name) {
      const auto mac = todo::auth::hmac_sha256(c.key, c.data);
      BOOST_TEST(hex(mac, c.expected_hex.size() / 2) == c.expected_hex);
    }
  }
}

BOOST_AUTO_TEST_CASE(reused_context_matches_all_rfc4231_test_cases_every_time) {
  for (const auto& c : rfc4231_cases()) {
    BOOST_TEST_CONTEXT("RFC 4231 test case " << c.name) {
      HmacSha256 mac(c.key);
      // Restarting the context must give the same answer on every use, also after other messages.
      for (int round = 0; round < 3; ++round) {
        BOOST_TEST(hex(mac.compute(c.data), c.expected_hex.size() / 2) == c.expected_hex);
        mac.compute("something else in between");
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(empty_key_and_message_are_valid) {
  HmacSha256 mac("");
  BOOST_TEST(hex(mac.compute("")) ==
             "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
  BOOST_TEST(hex(mac.compute("")) == hex(todo::auth::hmac_sha256("", "")));
}

BOOST_AUTO_TEST_CASE(moved_context_keeps_its_key) {
  HmacSha256 a("key");
  HmacSha256 b(std::move(a));
  BOOST_TEST(hex(b.compute("The quick brown fox jumps over the lazy dog")) ==
             "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

BOOST_AUTO_TEST_CASE(sha256_matches_fips_180_example) {
  BOOST_TEST(hex(todo::auth::sha256("abc")) ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(constant_time_equal_compares_bytes_and_length) {
  using todo::auth::constant_time_equal;
  BOOST_TEST(constant_time_equal("", ""));
  BOOST_TEST(constant_time_equal("abc", "abc"));
  BOOST_TEST(!constant_time_equal("abc", "abd"));
  BOOST_TEST(!constant_time_equal("abc", "abcd"));
  BOOST_TEST(!constant_time_equal(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

BOOST_AUTO_TEST_SUITE_END()
