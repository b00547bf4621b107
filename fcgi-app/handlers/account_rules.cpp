#include "handlers/account_rules.hpp"

#include "auth/password.hpp"
#include "core/text.hpp"

namespace todo {

namespace {

constexpr std::size_t kMaxEmailLength = 254;
constexpr std::size_t kMaxNameLength = 100;

bool looks_like_email(std::string_view email) {
  std::size_t at = email.find('@');
  if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string_view::npos)
    return false;
  std::string_view domain = email.substr(at + 1);
  std::size_t dot = domain.find('.');
  if (dot == std::string_view::npos || domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos)
    return false;
  for (char c : email)
    if (c == ' ' || c == '\t' || c == ',' || c == ';' || c == '<' || c == '>') return false;
  return !has_control_chars(email);
}

}  // namespace

std::optional<std::string> read_email(FieldReader& fields) {
  auto raw = fields.string("email", true);
  if (!raw) return std::nullopt;
  std::string email(trim(*raw));
  auto length = utf8_length(email);
  if (!length || *length > kMaxEmailLength) {
    fields.too_long("email", "Email", kMaxEmailLength);
    return std::nullopt;
  }
  if (!looks_like_email(email)) {
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
