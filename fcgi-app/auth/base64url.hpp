// Strict base64url (RFC 4648 §5) without padding, as JWS compact serialisation uses it.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace todo::auth {

// The unpadded base64url text of `bytes`.
std::string base64url_encode(std::string_view bytes);
std::string base64url_encode(std::span<const unsigned char> bytes);

// Appends the unpadded base64url text of `bytes` to `out` (no temporary string).
void base64url_append(std::string_view bytes, std::string& out);

// The decoded bytes, or nullopt unless `text` is canonical unpadded base64url: only
// [A-Za-z0-9_-], no '=' padding, no '+' or '/', no length of 4n+1, and the unused low bits
// of the last character zero (so every byte string has exactly one accepted encoding).
std::optional<std::string> base64url_decode(std::string_view text);

// As base64url_decode, into `out` (its capacity is reused); false and `out` unspecified on
// rejection. For hot paths that decode into a scratch buffer.
bool base64url_decode_into(std::string_view text, std::string& out);

// As base64url_decode, but only when the decoded size is exactly out.size(); no allocation.
bool base64url_decode_exact(std::string_view text, std::span<unsigned char> out);

// How many bytes a text of `encoded_length` characters decodes to (for a valid length).
constexpr std::size_t base64url_decoded_size(std::size_t encoded_length) {
  return encoded_length / 4 * 3 + (encoded_length % 4 == 0 ? 0 : encoded_length % 4 - 1);
}

}  // namespace todo::auth
