#include "auth/jws.hpp"

#include "auth/base64url.hpp"

namespace todo::auth {

std::optional<CompactJws> split_compact(std::string_view token) {
  const auto first = token.find('.');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  if (token.find('.', second + 1) != std::string_view::npos) return std::nullopt;
  return CompactJws{token.substr(0, first), token.substr(first + 1, second - first - 1),
                    token.substr(second + 1), token.substr(0, second)};
}

std::string sign_compact(std::string_view encoded_header, std::string_view payload_json,
                         HmacSha256& key) {
  std::string token;
  token.reserve(encoded_header.size() + payload_json.size() * 4 / 3 + 48);
  token = encoded_header;
  token += '.';
  base64url_append(payload_json, token);
  const Sha256Digest mac = key.compute(token);
  token += '.';
  base64url_append(as_chars(mac), token);
  return token;
}

MacCheck check_mac(const CompactJws& jws, HmacSha256& key) {
  if (base64url_decoded_size(jws.signature.size()) != kSha256Size) return MacCheck::wrong_size;
  Sha256Digest given{};
  if (!base64url_decode_exact(jws.signature, given)) return MacCheck::malformed;
  const Sha256Digest expected = key.compute(jws.signing_input);
  return constant_time_equal(as_chars(given), as_chars(expected)) ? MacCheck::match
                                                                  : MacCheck::mismatch;
}

std::string sign_hs256_compact(std::string_view header_json, std::string_view payload_json,
                               std::string_view key) {
  HmacSha256 mac(key);
  return sign_compact(base64url_encode(header_json), payload_json, mac);
}

bool hs256_signature_matches(std::string_view compact, std::string_view key) {
  const auto jws = split_compact(compact);
  if (!jws) return false;
  HmacSha256 mac(key);
  return check_mac(*jws, mac) == MacCheck::match;
}

}  // namespace todo::auth
