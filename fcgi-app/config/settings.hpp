#pragma once
// Every setting of the service, one row each: what load_config reads, what
// `todo-fcgi --help` lists, and what the config test clears from its
// environment.

#include <span>
#include <string>
#include <string_view>

#include "config/config.hpp"

namespace todo {

enum class SettingKind {
  number,  // a whole number from min to max
  mode,    // an octal file mode, 0 to 0777
  toggle,  // "on" (1) or "off" (0)
  text,    // any text
  secret,  // text that may also come from NAME_FILE or a systemd credential
};

struct Setting {
  std::string_view name;
  SettingKind kind;
  std::string_view fallback;  // used when the setting is absent; "" when there is none
  std::string_view help;      // one line: what it is, and a default the code computes
  long min = 0;               // numbers only
  long max = 0;
  void (*apply)(Config&, std::string_view text, long number) = nullptr;
  bool serve_only = false;  // not read by `migrate`
};

std::span<const Setting> settings();

// The settings as `--help` lists them: name, default and meaning, one per line.
std::string settings_help();

}  // namespace todo
