// Passwords: bcrypt over the keyed pre-hash, the hasher's guards, and the password policy.
#include <time.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "auth/common_passwords.hpp"
#include "auth/password.hpp"

using namespace todo::auth;

// The embedded list (cmake/EmbedText.cmake), to check the shipped file's own invariants.
extern const std::string_view common_passwords_text;

namespace {

constexpr int kTestCost = 10;  // the lowest allowed: keeps the suite quick

// One hasher for the suite: constructing one costs a bcrypt (the dummy hash).
const PasswordHasher& hasher() {
  static const PasswordHasher instance(kTestCost);
  return instance;
}

// The CPU time this thread spends in f, in milliseconds: unlike the wall
// clock, it does not grow when other processes share the cores.
double milliseconds_of(auto&& f) {
  auto cpu_now = [] {
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
  };
  const double start = cpu_now();
  f();
  return cpu_now() - start;
}

std::string repeat(std::string_view piece, std::size_t times) {
  std::string out;
  for (std::size_t i = 0; i < times; ++i) out += piece;
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(password)

// ------------------------------------------------------------------------- raw bcrypt vectors

// Known answers from Openwall's crypt_blowfish test suite (crypt_blowfish.c, also run by
// libxcrypt): plain bcrypt, no pre-hash, so libxcrypt itself is what is checked here.
BOOST_AUTO_TEST_CASE(raw_bcrypt_matches_known_2b_vectors) {
  struct Vector {
    std::string hash, password;
  };
  const std::vector<Vector> vectors = {
      {"$2b$05$/OK.fbVrR/bpIqNJ5ianF.CE5elHaaO4EbggVDjb8P19RukzXSM3e", "\xff\xff\xa3"},
      {"$2b$05$/OK.fbVrR/bpIqNJ5ianF.Sa7shbm4.OzKpvFnX1pQLmQW96oUlCq", "\xa3"},
      {"$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW", "U*U"},
      {"$2a$05$CCCCCCCCCCCCCCCCCCCCC.VGOzA784oUp/Z0DY336zx7pLYAy0lwK", "U*U*"},
      {"$2a$05$XXXXXXXXXXXXXXXXXXXXXOAcXxm9kjPGEMsLznoKqmqw7tc8WCx4a", "U*U*U"},
      {"$2a$05$CCCCCCCCCCCCCCCCCCCCC.7uG0VCzI2bS7j6ymqJi9CdcdxiRTWNy", ""},
  };
  for (const auto& v : vectors) {
    BOOST_TEST_CONTEXT(v.hash) {
      // Both ways: from the full hash as setting, and from the 29-character setting alone.
      BOOST_TEST(bcrypt_raw(v.password, v.hash).value_or("") == v.hash);
      BOOST_TEST(bcrypt_raw(v.password, v.hash.substr(0, 29)).value_or("") == v.hash);
    }
  }
}

BOOST_AUTO_TEST_CASE(raw_bcrypt_ignores_bytes_past_72_which_is_why_we_prehash) {
  const std::string hash = "$2a$05$abcdefghijklmnopqrstuu5s2v8.iXieOjg/.AySBTTZIIVFJeBui";
  const std::string first72 =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  BOOST_TEST(bcrypt_raw(first72 + "chars after 72 are ignored", hash).value_or("") == hash);
  BOOST_TEST(bcrypt_raw(first72, hash).value_or("") == hash);
}

BOOST_AUTO_TEST_CASE(raw_bcrypt_refuses_bad_settings_and_nul) {
  BOOST_TEST(!bcrypt_raw("x", "$2a$03$CCCCCCCCCCCCCCCCCCCCC."));
  BOOST_TEST(!bcrypt_raw("x", "$2a$32$CCCCCCCCCCCCCCCCCCCCC."));
  BOOST_TEST(!bcrypt_raw("x", "$2z$05$CCCCCCCCCCCCCCCCCCCCC."));
  BOOST_TEST(!bcrypt_raw(std::string_view("U*U\0x", 5), "$2a$05$CCCCCCCCCCCCCCCCCCCCC."));
}

// ------------------------------------------------------------------------- the pre-hash

BOOST_AUTO_TEST_CASE(prehash_is_base64_of_hmac_sha256_under_the_fixed_label) {
  // Pinned: changing the construction would invalidate every stored hash.
  BOOST_TEST(prehash_password("password") == "F0Z+1FFXUBXoa/cwqMDklJePsFc8XRj2KUCcPWmIciE=");
  BOOST_TEST(prehash_password("correct horse battery staple") ==
             "VGIxKKszeI96o0tzZtjjWLbqfSpMTd+gMF2nebJVtBg=");
  BOOST_TEST(prehash_password(std::string(1000, 'x')).size() == 44u);
  BOOST_TEST(prehash_password(std::string_view("a\0b", 3)).find('\0') == std::string::npos);
}

// ------------------------------------------------------------------------- the hasher

BOOST_AUTO_TEST_CASE(hash_is_2b_at_the_configured_cost_and_verifies) {
  const std::string stored = hasher().hash("correct horse battery staple");
  BOOST_TEST(stored.size() == 60u);
  BOOST_TEST(stored.starts_with("$2b$10$"));
  BOOST_TEST(hasher().verify("correct horse battery staple", stored));
  BOOST_TEST(!hasher().verify("correct horse battery stapler", stored));
  BOOST_TEST(!hasher().verify("", stored));
  BOOST_TEST(hasher().hash("correct horse battery staple") != stored);  // fresh salt
}

BOOST_AUTO_TEST_CASE(passwords_sharing_their_first_72_bytes_are_different) {
  const std::string prefix(72, 'a');
  const std::string one = prefix + "1";
  const std::string two = prefix + "2";
  const std::string stored = hasher().hash(one);
  BOOST_TEST(hasher().verify(one, stored));
  BOOST_TEST(!hasher().verify(two, stored));
  BOOST_TEST(!hasher().verify(prefix, stored));
  // 128 four-byte characters (512 bytes): every byte counts.
  const std::string emoji = repeat("\xf0\x9f\x98\x80", 128);
  const std::string emoji_stored = hasher().hash(emoji);
  BOOST_TEST(hasher().verify(emoji, emoji_stored));
  BOOST_TEST(!hasher().verify(emoji.substr(0, 508) + "\xf0\x9f\x98\x81", emoji_stored));
}

BOOST_AUTO_TEST_CASE(bytes_after_a_nul_still_count) {
  const std::string with_nul("secret\0one", 10);
  const std::string stored = hasher().hash(with_nul);
  BOOST_TEST(hasher().verify(with_nul, stored));
  BOOST_TEST(!hasher().verify("secret", stored));
  BOOST_TEST(!hasher().verify(std::string("secret\0two", 10), stored));
}

BOOST_AUTO_TEST_CASE(cost_outside_10_to_15_is_refused) {
  for (int cost : {-1, 0, 4, 9, 16, 31}) {
    BOOST_TEST_CONTEXT("cost " << cost) {
      BOOST_CHECK_THROW(PasswordHasher{cost}, std::invalid_argument);
    }
  }
  BOOST_TEST(hasher().cost() == 10);
}

BOOST_AUTO_TEST_CASE(stored_hash_with_cost_31_is_refused_fast) {
  const std::string planted = "$2b$31$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
  bool result = true;
  const double ms = milliseconds_of([&] { result = hasher().verify("U*U", planted); });
  BOOST_TEST(!result);
  BOOST_TEST(ms < 5.0);
  BOOST_TEST(
      !hasher().verify("U*U", "$2b$16$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"));
}

BOOST_AUTO_TEST_CASE(malformed_stored_hashes_never_verify) {
  const std::string good = hasher().hash("correct horse battery staple");
  const std::vector<std::string> malformed = {"",
                                              "*0",
                                              good.substr(0, 59),
                                              good + "x",
                                              "$2a$" + good.substr(4),
                                              "$2y$" + good.substr(4),
                                              "$2b$1x" + good.substr(6),
                                              good.substr(0, 20) + "!" + good.substr(21),
                                              "$1$abcdefgh$abcdefghijklmnopqrstuv",
                                              std::string(60, '$')};
  for (const auto& bad : malformed) {
    BOOST_TEST_CONTEXT(bad) {
      BOOST_TEST(!hasher().verify("correct horse battery staple", bad));
      BOOST_TEST(hasher().needs_rehash(bad));
    }
  }
}

BOOST_AUTO_TEST_CASE(needs_rehash_when_the_stored_cost_differs) {
  const std::string current = hasher().hash("correct horse battery staple");
  BOOST_TEST(!hasher().needs_rehash(current));
  const PasswordHasher stronger(11);
  const std::string at_11 = stronger.hash("correct horse battery staple");
  BOOST_TEST(hasher().needs_rehash(at_11));
  BOOST_TEST(!stronger.needs_rehash(at_11));
  BOOST_TEST(hasher().verify("correct horse battery staple", at_11));  // still verifies
}

BOOST_AUTO_TEST_CASE(verify_dummy_costs_about_as_much_as_verify) {
  const std::string stored = hasher().hash("correct horse battery staple");
  double real = 1e9, dummy = 1e9;
  for (int i = 0; i < 3; ++i) {
    real = std::min(real, milliseconds_of([&] { hasher().verify("wrong password", stored); }));
    dummy = std::min(dummy, milliseconds_of([&] { hasher().verify_dummy("wrong password"); }));
  }
  BOOST_TEST(dummy > real * 0.6);
  BOOST_TEST(dummy < real * 1.6);
}

BOOST_AUTO_TEST_CASE(hasher_is_safe_to_share_between_threads) {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &ok] {
      const std::string password = "thread password " + std::to_string(t);
      const std::string stored = hasher().hash(password);
      ok[t] = hasher().verify(password, stored) && !hasher().verify(password + "!", stored);
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) BOOST_TEST(ok[t] == 1);
}

// ------------------------------------------------------------------------- policy

BOOST_AUTO_TEST_CASE(policy_refuses_fewer_than_8_characters) {
  BOOST_TEST(check_password_policy("Xq7#vLp").value_or("") ==
             "Password must be at least 8 characters");
  BOOST_TEST(!check_password_policy("Xq7#vLp2"));
  // Characters, not bytes: 7 two-byte characters are still too short.
  BOOST_TEST(check_password_policy(repeat("\xc3\xa9", 7)).has_value());
}

BOOST_AUTO_TEST_CASE(policy_refuses_more_than_128_characters) {
  BOOST_TEST(!check_password_policy(std::string(128, 'q')));
  BOOST_TEST(check_password_policy(std::string(129, 'q')).value_or("") ==
             "Password must be at most 128 characters");
  BOOST_TEST(check_password_policy(std::string(100000, 'q')).has_value());
}

BOOST_AUTO_TEST_CASE(policy_accepts_128_multibyte_characters) {
  BOOST_TEST(!check_password_policy(repeat("\xc3\xa9", 128)));          // é: 256 bytes
  BOOST_TEST(!check_password_policy(repeat("\xe6\x97\xa5", 128)));      // 日: 384 bytes
  BOOST_TEST(!check_password_policy(repeat("\xf0\x9f\x98\x80", 128)));  // 😀: 512 bytes
  BOOST_TEST(check_password_policy(repeat("\xf0\x9f\x98\x80", 129)).has_value());
}

BOOST_AUTO_TEST_CASE(policy_refuses_nul) {
  BOOST_TEST(check_password_policy(std::string("long enough\0password", 20)).value_or("") ==
             "Password must not contain NUL characters");
}

BOOST_AUTO_TEST_CASE(policy_refuses_invalid_utf8) {
  for (const std::string bad : {"abcdefgh\xff", "abcdefgh\xc0\xaf", "abcdefgh\xed\xa0\x80",
                                "abcdefgh\xf4\x90\x80\x80", "abcdefgh\xe6\x97",
                                "\x80"
                                "abcdefgh"}) {
    BOOST_TEST(check_password_policy(bad).value_or("") == "Password must be valid UTF-8");
  }
}

BOOST_AUTO_TEST_CASE(policy_refuses_common_passwords_case_insensitively) {
  for (const std::string common :
       {"password", "PASSWORD", "Password1", "iloveyou", "qwertyuiop", "12345678"}) {
    BOOST_TEST_CONTEXT(common) {
      BOOST_TEST(check_password_policy(common).value_or("") ==
                 "This password is too common; choose another");
    }
  }
  BOOST_TEST(!check_password_policy("plum-orbit-kettle-42"));
}

BOOST_AUTO_TEST_CASE(common_password_list_is_shipped_lower_case_and_long_enough) {
  BOOST_TEST(common_password_count() >= 10000u);
  BOOST_TEST(is_common_password("password"));
  BOOST_TEST(!is_common_password(""));
  // Comment lines are not passwords.
  BOOST_TEST(common_passwords_text.starts_with("# "));
  const auto first_line = common_passwords_text.substr(0, common_passwords_text.find('\n'));
  BOOST_TEST(!is_common_password(first_line));
  // Lookups fold ASCII case and the set keeps the file's bytes: entries must be lower case.
  std::size_t bad_entries = 0;
  std::string_view rest = common_passwords_text;
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    const auto line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (line.empty() || line.front() == '#') continue;
    const bool upper = line.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string_view::npos;
    if (upper || line.size() < 8 || line.back() == '\r') ++bad_entries;
  }
  BOOST_TEST(bad_entries == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
