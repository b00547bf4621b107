#include "auth/common_passwords.hpp"

#include <algorithm>
#include <string>
#include <unordered_set>

#include "core/text.hpp"

// common_passwords.txt, verbatim: generated at build time by embed_text() (cmake/EmbedText.cmake,
// called from CMakeLists.txt).
extern const std::string_view common_passwords_text;

namespace todo::auth {
namespace {

// The list's entries are lower case (a unit test holds it to that), so they are used in place:
// the set's views point into the embedded text, which lives as long as the program.
std::unordered_set<std::string_view> build_set() {
  std::unordered_set<std::string_view> set;
  std::string_view rest = common_passwords_text;
  set.reserve(static_cast<std::size_t>(std::ranges::count(rest, '\n')) + 1);
  while (!rest.empty()) {
    const auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end + 1);
    if (line.empty() || line.front() == '#') continue;
    set.insert(line);
  }
  return set;
}

const std::unordered_set<std::string_view>& common_set() {
  static const std::unordered_set<std::string_view> set = build_set();
  return set;
}

}  // namespace

bool is_common_password(std::string_view password) {
  return common_set().contains(to_lower_ascii(password));
}

std::size_t common_password_count() {
  return common_set().size();
}

}  // namespace todo::auth
