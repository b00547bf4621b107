#include "auth/base64url.hpp"

#include <array>
#include <cstdint>

namespace todo::auth {
namespace {

constexpr std::string_view kAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr std::int8_t kInvalid = -1;

// Maps each byte to its 6-bit value, or kInvalid; '+', '/', '=' and everything else are
// invalid, which is what makes the decoder strict.
constexpr std::array<std::int8_t, 256> make_decode_table() {
  std::array<std::int8_t, 256> table{};
  table.fill(kInvalid);
  for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
    table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
  }
  return table;
}

constexpr std::array<std::int8_t, 256> kDecode = make_decode_table();

void encode_to(const unsigned char* in, std::size_t n, std::string& out) {
  const std::size_t start = out.size();
  out.resize(start + (n / 3) * 4 + (n % 3 == 0 ? 0 : n % 3 + 1));
  char* p = out.data() + start;
  std::size_t i = 0;
  for (; i + 3 <= n; i += 3) {
    const std::uint32_t v =
        (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8) | in[i + 2];
    *p++ = kAlphabet[(v >> 18) & 63];
    *p++ = kAlphabet[(v >> 12) & 63];
    *p++ = kAlphabet[(v >> 6) & 63];
    *p++ = kAlphabet[v & 63];
  }
  if (n - i == 1) {
    const std::uint32_t v = std::uint32_t{in[i]} << 16;
    *p++ = kAlphabet[(v >> 18) & 63];
    *p++ = kAlphabet[(v >> 12) & 63];
  } else if (n - i == 2) {
    const std::uint32_t v = (std::uint32_t{in[i]} << 16) | (std::uint32_t{in[i + 1]} << 8);
    *p++ = kAlphabet[(v >> 18) & 63];
    *p++ = kAlphabet[(v >> 12) & 63];
    *p++ = kAlphabet[(v >> 6) & 63];
  }
}

// Decodes into `out`, which must hold exactly base64url_decoded_size(text.size()) bytes.
// The caller has already rejected lengths of 4n+1.
bool decode_to(std::string_view text, unsigned char* out) {
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    const int a = kDecode[in[i]], b = kDecode[in[i + 1]], c = kDecode[in[i + 2]],
              d = kDecode[in[i + 3]];
    if ((a | b | c | d) < 0) return false;
    const std::uint32_t v = (std::uint32_t(a) << 18) | (std::uint32_t(b) << 12) |
                            (std::uint32_t(c) << 6) | std::uint32_t(d);
    *out++ = static_cast<unsigned char>(v >> 16);
    *out++ = static_cast<unsigned char>(v >> 8);
    *out++ = static_cast<unsigned char>(v);
  }
  const std::size_t rest = n - i;
  if (rest == 2) {
    const int a = kDecode[in[i]], b = kDecode[in[i + 1]];
    // The last character carries 4 unused bits: non-zero ones mean a non-canonical encoding.
    if ((a | b) < 0 || (b & 0x0f) != 0) return false;
    *out = static_cast<unsigned char>((a << 2) | (b >> 4));
  } else if (rest == 3) {
    const int a = kDecode[in[i]], b = kDecode[in[i + 1]], c = kDecode[in[i + 2]];
    if ((a | b | c) < 0 || (c & 0x03) != 0) return false;
    const std::uint32_t v = (std::uint32_t(a) << 12) | (std::uint32_t(b) << 6) | std::uint32_t(c);
    *out++ = static_cast<unsigned char>(v >> 10);
    *out = static_cast<unsigned char>(v >> 2);
  }
  return true;
}

}  // namespace

void base64url_append(std::string_view bytes, std::string& out) {
  encode_to(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), out);
}

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  base64url_append(bytes, out);
  return out;
}

std::string base64url_encode(std::span<const unsigned char> bytes) {
  std::string out;
  encode_to(bytes.data(), bytes.size(), out);
  return out;
}

bool base64url_decode_into(std::string_view text, std::string& out) {
  if (text.size() % 4 == 1) return false;
  out.resize(base64url_decoded_size(text.size()));
  return decode_to(text, reinterpret_cast<unsigned char*>(out.data()));
}

std::optional<std::string> base64url_decode(std::string_view text) {
  std::string out;
  if (!base64url_decode_into(text, out)) return std::nullopt;
  return out;
}

bool base64url_decode_exact(std::string_view text, std::span<unsigned char> out) {
  if (text.size() % 4 == 1 || base64url_decoded_size(text.size()) != out.size()) return false;
  return decode_to(text, out.data());
}

}  // namespace todo::auth
