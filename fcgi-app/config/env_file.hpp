#pragma once
// Environment-style configuration files: KEY=VALUE lines, '#' comments,
// optional "export ", values optionally in single or double quotes.

#include <expected>
#include <map>
#include <string>

namespace todo {

using EnvMap = std::map<std::string, std::string>;

// The file's settings, or a message naming the file and line at fault.
std::expected<EnvMap, std::string> read_env_file(const std::string& path);

// Parses the text of such a file; `origin` names it in error messages.
std::expected<EnvMap, std::string> parse_env_text(const std::string& text,
                                                  const std::string& origin);

}  // namespace todo
