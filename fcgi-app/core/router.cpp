#include "core/router.hpp"

#include "core/text.hpp"

namespace todo {

bool split_path(std::string_view path, std::vector<std::string>& segments) {
  if (path.empty() || path.front() != '/') return false;
  path.remove_prefix(1);
  while (true) {
    std::size_t slash = path.find('/');
    auto decoded = percent_decode(path.substr(0, slash), false);
    // A decoded '/' would change the shape of the path; a segment that is not
    // text without NUL names nothing that can exist: refuse both.
    if (!decoded || decoded->find('/') != std::string::npos || !is_clean_text(*decoded))
      return false;
    segments.push_back(std::move(*decoded));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  // Paths match exactly: "/api/auth/login/" is not "/api/auth/login" (an
  // alias would walk around limits nginx sets on the exact path).
  return true;
}

}  // namespace todo
