#include "store/fields.hpp"

#include <algorithm>
#include <stdexcept>

namespace todo::store {

std::string utc_timestamp(const pqxx::field& field) {
  return utc_timestamp(view(field));
}

// "YYYY-MM-DD HH:MM:SS[.F{1,6}]+00" -> "YYYY-MM-DDTHH:MM:SS.FFFFFFZ".
// PostgreSQL leaves out trailing zeros of the fraction, and the whole
// fraction when it is zero; the API always writes six digits.
std::string utc_timestamp(std::string_view iso) {
  constexpr std::size_t kSeconds = 19;  // "YYYY-MM-DD HH:MM:SS"
  if (iso.size() < kSeconds + 3 || iso[10] != ' ' || !iso.ends_with("+00"))
    throw std::invalid_argument("not a UTC timestamp in ISO style: " + std::string(iso));
  std::string_view fraction = iso.substr(kSeconds, iso.size() - 3 - kSeconds);
  if (!fraction.empty()) {
    if (fraction.size() > 7 || fraction[0] != '.')
      throw std::invalid_argument("not a UTC timestamp in ISO style: " + std::string(iso));
    fraction.remove_prefix(1);
  }
  std::string out;
  out.reserve(kSeconds + 8);
  out.append(iso.substr(0, kSeconds));
  out[10] = 'T';
  out.push_back('.');
  out.append(fraction);
  out.append(6 - fraction.size(), '0');
  out.push_back('Z');
  return out;
}

}  // namespace todo::store
