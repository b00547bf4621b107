#include "config/env_file.hpp"

#include <fstream>
#include <sstream>

#include "core/text.hpp"

namespace todo {

namespace {

bool is_key(std::string_view key) {
  if (key.empty() || (key[0] >= '0' && key[0] <= '9')) return false;
  for (char c : key)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

std::string unquote(std::string_view value) {
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
      value.back() == value.front())
    return std::string(value.substr(1, value.size() - 2));
  // An unquoted value ends at a " #" comment.
  std::size_t hash = value.find(" #");
  return std::string(trim(value.substr(0, hash)));
}

}  // namespace

std::expected<EnvMap, std::string> parse_env_text(const std::string& text,
                                                  const std::string& origin) {
  EnvMap settings;
  std::istringstream in(text);
  std::string raw;
  for (int number = 1; std::getline(in, raw); ++number) {
    std::string_view line = trim(raw);
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with("export ")) line = trim(line.substr(7));
    std::size_t eq = line.find('=');
    std::string_view key = eq == std::string_view::npos ? line : trim(line.substr(0, eq));
    if (eq == std::string_view::npos || !is_key(key))
      return std::unexpected(origin + ":" + std::to_string(number) + ": expected KEY=VALUE");
    settings[std::string(key)] = unquote(trim(line.substr(eq + 1)));
  }
  return settings;
}

std::expected<EnvMap, std::string> read_env_file(const std::string& path) {
  std::ifstream file(path);
  if (!file) return std::unexpected("cannot read config file " + path);
  std::ostringstream text;
  text << file.rdbuf();
  return parse_env_text(text.str(), path);
}

}  // namespace todo
