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
  std::string_view fraction;
  bool valid = iso.size() >= kSeconds + 3 && iso[10] == ' ' && iso.ends_with("+00");
  if (valid) {
    fraction = iso.substr(kSeconds, iso.size() - 3 - kSeconds);
    valid = fraction.empty() || (fraction.size() <= 7 && fraction[0] == '.');
    if (!fraction.empty()) fraction.remove_prefix(1);
  }
  if (!valid) throw std::invalid_argument("not a UTC timestamp in ISO style: " + std::string(iso));
  char out[kSeconds + 8];  // one allocation: the string returned
  iso.copy(out, kSeconds);
  out[10] = 'T';
  out[kSeconds] = '.';
  char* end = std::copy(fraction.begin(), fraction.end(), out + kSeconds + 1);
  std::fill(end, out + kSeconds + 7, '0');
  out[kSeconds + 7] = 'Z';
  return std::string(out, sizeof out);
}

}  // namespace todo::store
