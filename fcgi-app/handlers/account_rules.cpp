#include "handlers/account_rules.hpp"

#include <algorithm>

#include "auth/password.hpp"
#include "core/text.hpp"

namespace todo {

namespace {

constexpr std::size_t kMaxEmailLength = 254;
constexpr std::size_t kMaxNameLength = 100;

bool is_ascii_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// atext of RFC 5322, as the WHATWG rule takes it for the local part.
bool is_local_char(char c) {
  return is_ascii_alnum(c) ||
         std::string_view(".!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

// A label: 1 to 63 letters, digits and hyphens, not starting or ending with a hyphen.
bool is_label(std::string_view label) {
  return !label.empty() && label.size() <= 63 && is_ascii_alnum(label.front()) &&
         is_ascii_alnum(label.back()) &&
         std::ranges::all_of(label, [](char c) { return is_ascii_alnum(c) || c == '-'; });
}

// The WHATWG "valid e-mail address" (HTML, section 4.10.5.1.5): what a browser's
// type=email field accepts. ASCII only: browsers send an internationalised
// domain as punycode, so no two addresses can look alike by invisible or
// composed characters.
bool is_valid_email(std::string_view email) {
  std::size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0) return false;
  if (!std::ranges::all_of(email.substr(0, at), is_local_char)) return false;
  std::string_view domain = email.substr(at + 1);
  for (;;) {
    std::size_t dot = domain.find('.');
    if (!is_label(domain.substr(0, dot))) return false;
    if (dot == std::string_view::npos) return true;
    domain.remove_prefix(dot + 1);
  }
}

bool is_ascii(std::string_view s) {
  return std::ranges::all_of(s, [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

std::optional<std::string> read_email(FieldReader& fields) {
  auto raw = fields.string("email", true);
  if (!raw) return std::nullopt;
  std::string email(trim(*raw));
  if (!is_ascii(email)) {
    fields.error("email",
                 "Email must be plain ASCII: write an international domain in its xn-- form",
                 "value_error");
    return std::nullopt;
  }
  if (email.size() > kMaxEmailLength) {
    fields.too_long("email", "Email", kMaxEmailLength);
    return std::nullopt;
  }
  if (!is_valid_email(email)) {
    fields.error("email", "Enter a valid email address, like name@example.com", "value_error");
    return std::nullopt;
  }
  return email;
}

std::optional<std::string> read_new_password(FieldReader& fields, const char* field) {
  auto password = fields.string(field, true);
  if (!password) return std::nullopt;
  if (auto problem = auth::check_password_policy(*password)) {
    fields.error(field, *problem, "value_error");
    return std::nullopt;
  }
  return password;
}

std::optional<std::string> read_given_password(FieldReader& fields, const char* field) {
  auto password = fields.string(field, true);
  if (!password) return std::nullopt;
  // Far above any valid password; stops a 64 KiB "password" reaching the hasher.
  if (password->empty() || password->size() > auth::kMaxPasswordBytes) {
    fields.error(field, "Enter your password", "value_error");
    return std::nullopt;
  }
  return password;
}

std::optional<std::string> read_name(FieldReader& fields) {
  auto raw = fields.nullable_string("name");
  if (!raw || !*raw) return std::nullopt;
  std::string name(trim_unicode(**raw));
  auto length = utf8_length(name);
  if (!length || *length > kMaxNameLength) {
    fields.too_long("name", "Name", kMaxNameLength);
    return std::nullopt;
  }
  if (has_control_chars(name)) {
    fields.error("name", "Name must not contain control characters", "value_error");
    return std::nullopt;
  }
  if (name.empty()) return std::nullopt;
  return name;
}

}  // namespace todo
