#include "handlers/device.hpp"

#include <array>
#include <utility>

namespace todo {

namespace {

using Rule = std::pair<std::string_view, std::string_view>;  // a token in the header -> a name

// First match wins: Edge and Opera also say "Chrome", Chrome also says "Safari".
constexpr std::array<Rule, 8> kBrowsers{{
    {"Edg/", "Edge"},
    {"OPR/", "Opera"},
    {"Firefox/", "Firefox"},
    {"Chrome/", "Chrome"},
    {"Chromium/", "Chromium"},
    {"Safari/", "Safari"},
    {"curl/", "curl"},
    {"node", "Node.js"},
}};

// iPhone and Android before the desktop systems they also name.
constexpr std::array<Rule, 7> kSystems{{
    {"iPhone", "iPhone"},
    {"iPad", "iPad"},
    {"Android", "Android"},
    {"CrOS", "ChromeOS"},
    {"Windows", "Windows"},
    {"Mac OS X", "macOS"},
    {"Linux", "Linux"},
}};

template <std::size_t N>
std::string_view first_match(std::string_view text, const std::array<Rule, N>& rules) {
  for (const auto& [token, name] : rules)
    if (text.find(token) != std::string_view::npos) return name;
  return {};
}

// The first word of the header ("MyApp/1.2" -> "MyApp"), printable ASCII only.
std::string product(std::string_view ua) {
  std::string name;
  for (char c : ua.substr(0, ua.find_first_of(" /(")))
    if (c > ' ' && c < 0x7F && name.size() < 40) name.push_back(c);
  return name;
}

}  // namespace

std::string device_label(std::string_view ua) {
  std::string_view browser = first_match(ua, kBrowsers);
  std::string_view system = first_match(ua, kSystems);
  std::string label = browser.empty() ? product(ua) : std::string(browser);
  if (label.empty()) return "Unknown device";
  if (!system.empty()) label.append(" on ").append(system);
  return label;
}

}  // namespace todo
