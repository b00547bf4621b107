#include <stdlib.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/config.hpp"
#include "config/settings.hpp"

using namespace todo;

namespace {

const std::string kGoodSecret = "0123456789abcdef0123456789abcdef";  // 32 bytes

// Clears every setting (and its _FILE variant) from the process environment
// for the test's duration, so a developer's own settings cannot leak in.
struct CleanEnvironment {
  CleanEnvironment() { clear(); }
  ~CleanEnvironment() { clear(); }
  static void clear() {
    for (const Setting& s : settings()) {
      std::string name(s.name);
      unsetenv(name.c_str());
      unsetenv((name + "_FILE").c_str());
    }
    unsetenv("CREDENTIALS_DIRECTORY");
  }
};

EnvMap serve_flags() {
  return {{"DATABASE_URL", "postgresql:///todo"}, {"JWT_SECRET", kGoodSecret}};
}

std::filesystem::path temp_file(const std::string& name, const std::string& content) {
  auto path = std::filesystem::temp_directory_path() / ("todo-config-test-" + name);
  std::ofstream(path) << content;
  return path;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(config, CleanEnvironment)

BOOST_AUTO_TEST_CASE(a_missing_secret_is_refused_saying_how_to_make_one) {
  auto c = load_config({{"DATABASE_URL", "postgresql:///todo"}}, "", ConfigPurpose::serve);
  BOOST_REQUIRE(!c);
  BOOST_TEST(c.error().find("JWT_SECRET is not set") != std::string::npos);
  BOOST_TEST(c.error().find("openssl rand") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_weak_secret_is_refused_with_its_length) {
  auto c = load_config({{"DATABASE_URL", "x"}, {"JWT_SECRET", "short"}}, "", ConfigPurpose::serve);
  BOOST_REQUIRE(!c);
  BOOST_TEST(c.error().find("too weak: 5 bytes, at least 32") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_weak_previous_secret_is_refused) {
  auto flags = serve_flags();
  flags["JWT_PREVIOUS_SECRET"] = "short";
  BOOST_TEST(!load_config(flags, "", ConfigPurpose::serve));
}

BOOST_AUTO_TEST_CASE(migrate_needs_no_secret) {
  BOOST_TEST(load_config({{"DATABASE_URL", "postgresql:///todo"}}, "", ConfigPurpose::migrate)
                 .has_value());
}

BOOST_AUTO_TEST_CASE(a_missing_database_url_is_refused) {
  auto c = load_config({{"JWT_SECRET", kGoodSecret}}, "", ConfigPurpose::serve);
  BOOST_REQUIRE(!c);
  BOOST_TEST(c.error().find("DATABASE_URL is not set") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(the_secret_can_come_from_a_file_without_its_newline) {
  auto path = temp_file("secret", kGoodSecret + "\n");
  auto c = load_config({{"DATABASE_URL", "x"}, {"JWT_SECRET_FILE", path.string()}}, "",
                       ConfigPurpose::serve);
  BOOST_REQUIRE(c);
  BOOST_TEST(c->jwt_secret == kGoodSecret);
}

BOOST_AUTO_TEST_CASE(the_secret_can_come_from_a_systemd_credential) {
  auto dir = std::filesystem::temp_directory_path() / "todo-config-test-creds";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "jwt_secret") << kGoodSecret;
  setenv("CREDENTIALS_DIRECTORY", dir.c_str(), 1);
  auto c = load_config({{"DATABASE_URL", "x"}}, "", ConfigPurpose::serve);
  BOOST_REQUIRE(c);
  BOOST_TEST(c->jwt_secret == kGoodSecret);
}

BOOST_AUTO_TEST_CASE(flags_beat_the_file_which_beats_the_environment) {
  setenv("TODO_WORKERS", "2", 1);
  setenv("TODO_THREADS", "3", 1);
  setenv("BCRYPT_COST", "11", 1);
  auto file = temp_file("env", "# comment\nTODO_WORKERS=5\nexport TODO_THREADS='7'\n");
  auto flags = serve_flags();
  flags["TODO_WORKERS"] = "9";
  auto c = load_config(flags, file.string(), ConfigPurpose::serve);
  BOOST_REQUIRE(c);
  BOOST_TEST(c->workers == 9);
  BOOST_TEST(c->threads == 7);
  BOOST_TEST(c->bcrypt_cost == 11);
}

BOOST_AUTO_TEST_CASE(numbers_out_of_range_are_refused_naming_the_setting) {
  for (auto [name, value] : {std::pair{"BCRYPT_COST", "9"},
                             {"BCRYPT_COST", "16"},
                             {"TODO_WORKERS", "0"},
                             {"TODO_THREADS", "many"},
                             {"MAX_BODY_BYTES", "12x"}}) {
    auto flags = serve_flags();
    flags[name] = value;
    auto c = load_config(flags, "", ConfigPurpose::serve);
    BOOST_TEST_CONTEXT(name << "=" << value) {
      BOOST_REQUIRE(!c);
      BOOST_TEST(c.error().find(name) == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(socket_mode_is_octal) {
  auto flags = serve_flags();
  flags["TODO_SOCKET_MODE"] = "0660";
  BOOST_TEST(load_config(flags, "", ConfigPurpose::serve)->socket_mode == 0660u);
  flags["TODO_SOCKET_MODE"] = "0999";
  BOOST_TEST(!load_config(flags, "", ConfigPurpose::serve));
}

BOOST_AUTO_TEST_CASE(a_malformed_config_file_names_the_line) {
  auto file = temp_file("bad", "GOOD=1\nthis is not a setting\n");
  auto c = load_config(serve_flags(), file.string(), ConfigPurpose::serve);
  BOOST_REQUIRE(!c);
  BOOST_TEST(c.error().find(":2: expected KEY=VALUE") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_missing_config_file_is_refused) {
  BOOST_TEST(!load_config(serve_flags(), "/nonexistent/todo.env", ConfigPurpose::serve));
}

BOOST_AUTO_TEST_CASE(every_default_is_valid_and_applied) {
  auto c = load_config(serve_flags(), "", ConfigPurpose::serve);
  BOOST_REQUIRE(c);
  BOOST_TEST(c->bcrypt_cost == 12);
  BOOST_TEST(c->threads == 4);
  BOOST_TEST(c->access_token_ttl.count() == 900);
  BOOST_TEST(c->max_body_bytes == 65536u);
  BOOST_TEST(c->socket_mode == 0660u);
  BOOST_TEST(c->jwt_issuer == "todo-fcgi");
  BOOST_TEST(c->migration_database_url == "postgresql:///todo");
  BOOST_TEST(c->workers >= 1);
  BOOST_TEST(c->bcrypt_concurrency >= 1);
}

BOOST_AUTO_TEST_CASE(no_external_issuer_and_local_accounts_by_default) {
  auto c = load_config(serve_flags(), "", ConfigPurpose::serve);
  BOOST_REQUIRE(c);
  BOOST_TEST(c->external_jwks_url.empty());
  BOOST_TEST(c->external_issuer.empty());
  BOOST_TEST(c->local_accounts);
}

BOOST_AUTO_TEST_CASE(the_external_audience_defaults_to_the_issuer) {
  auto flags = serve_flags();
  flags["EXTERNAL_ISSUER"] = "https://auth.example.org";
  flags["EXTERNAL_JWKS_URL"] = "https://auth.example.org/api/auth/jwks";
  auto c = load_config(flags, "", ConfigPurpose::serve);
  BOOST_REQUIRE(c);
  BOOST_TEST(c->external_audience == "https://auth.example.org");
  flags["EXTERNAL_AUDIENCE"] = "todo-api";
  BOOST_TEST(load_config(flags, "", ConfigPurpose::serve)->external_audience == "todo-api");
}

BOOST_AUTO_TEST_CASE(the_jwks_url_and_the_issuer_go_together) {
  for (const char* name : {"EXTERNAL_ISSUER", "EXTERNAL_JWKS_URL"}) {
    auto flags = serve_flags();
    flags[name] = "https://auth.example.org/api/auth/jwks";
    auto c = load_config(flags, "", ConfigPurpose::serve);
    BOOST_TEST_CONTEXT(name) {
      BOOST_REQUIRE(!c);
      BOOST_TEST(c.error().find("go together: set both") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_jwks_url_is_https_or_http_to_loopback) {
  for (auto [url, ok] : {std::pair{"https://auth.example.org/api/auth/jwks", true},
                         {"http://127.0.0.1:3000/api/auth/jwks", true},
                         {"http://127.1.2.3/jwks", true},
                         {"http://localhost:3000/api/auth/jwks", true},
                         {"http://[::1]:3000/api/auth/jwks", true},
                         {"http://auth.example.org/api/auth/jwks", false},
                         {"http://127.0.0.1.example.org/jwks", false},
                         {"http://10.0.0.1/jwks", false},
                         {"ftp://auth.example.org/jwks", false},
                         {"https:///jwks", false},
                         {"https://user:pw@auth.example.org/jwks", false},
                         {"auth.example.org/jwks", false}}) {
    auto flags = serve_flags();
    flags["EXTERNAL_ISSUER"] = "https://auth.example.org";
    flags["EXTERNAL_JWKS_URL"] = url;
    auto c = load_config(flags, "", ConfigPurpose::serve);
    BOOST_TEST_CONTEXT(url) {
      BOOST_TEST(c.has_value() == ok);
      if (!c) BOOST_TEST(c.error().find("EXTERNAL_JWKS_URL") == 0u);
    }
  }
}

BOOST_AUTO_TEST_CASE(plain_http_to_a_remote_issuer_is_refused_saying_why) {
  auto flags = serve_flags();
  flags["EXTERNAL_ISSUER"] = "http://auth.example.org";
  flags["EXTERNAL_JWKS_URL"] = "http://auth.example.org/api/auth/jwks";
  auto c = load_config(flags, "", ConfigPurpose::serve);
  BOOST_REQUIRE(!c);
  BOOST_TEST(c.error().find("must use https:// unless the issuer runs on this machine") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(local_accounts_off_needs_an_external_issuer) {
  auto flags = serve_flags();
  flags["LOCAL_ACCOUNTS"] = "off";
  auto c = load_config(flags, "", ConfigPurpose::serve);
  BOOST_REQUIRE(!c);
  BOOST_TEST(c.error().find("LOCAL_ACCOUNTS=off leaves no way to sign in") == 0u);
  flags["EXTERNAL_ISSUER"] = "https://auth.example.org";
  flags["EXTERNAL_JWKS_URL"] = "https://auth.example.org/api/auth/jwks";
  c = load_config(flags, "", ConfigPurpose::serve);
  BOOST_REQUIRE(c);
  BOOST_TEST(!c->local_accounts);
}

BOOST_AUTO_TEST_CASE(local_accounts_is_on_or_off) {
  auto flags = serve_flags();
  flags["LOCAL_ACCOUNTS"] = "yes";
  auto c = load_config(flags, "", ConfigPurpose::serve);
  BOOST_REQUIRE(!c);
  BOOST_TEST(c.error() == "LOCAL_ACCOUNTS must be on or off (got \"yes\")");
}

BOOST_AUTO_TEST_CASE(help_lists_every_setting_with_its_default) {
  std::string help = settings_help();
  for (const Setting& s : settings()) {
    BOOST_TEST_CONTEXT(s.name) {
      BOOST_TEST(help.find("  " + std::string(s.name)) != std::string::npos);
      BOOST_TEST(!s.help.empty());
      if (!s.fallback.empty())
        BOOST_TEST(help.find("[" + std::string(s.fallback) + "]") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_readme_documents_every_setting) {
  std::ifstream in(std::string(TODO_SOURCE_DIR) + "/README.md");
  std::stringstream readme;
  readme << in.rdbuf();
  BOOST_REQUIRE(!readme.str().empty());
  for (const Setting& s : settings())
    BOOST_TEST(readme.str().find("| `" + std::string(s.name) + "`") != std::string::npos,
               s.name << " is not in README.md's configuration table");
}

BOOST_AUTO_TEST_SUITE_END()
