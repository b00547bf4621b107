#pragma once
// Small string helpers shared by the parsers and validators.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace todo {

// Without leading and trailing ASCII white space.
std::string_view trim(std::string_view s);

// Without leading and trailing white space, Unicode spaces included (what a
// person would call "blank").
std::string_view trim_unicode(std::string_view s);

bool iequals(std::string_view a, std::string_view b);
std::string to_lower_ascii(std::string_view s);

// Number of code points in valid UTF-8 text; nullopt when the text is not UTF-8.
std::optional<std::size_t> utf8_length(std::string_view s);

// True for valid UTF-8 (no surrogates, overlong forms or code points past
// U+10FFFF) without NUL: text that every layer below, PostgreSQL and libpq's
// C strings included, takes as it is.
bool is_clean_text(std::string_view s);

// True when the text holds a C0 or C1 control character or DEL.
// Tab, CR and LF count as control characters unless allow_line_breaks is set.
bool has_control_chars(std::string_view utf8, bool allow_line_breaks = false);

// True for a canonical UUID (8-4-4-4-12 hex digits).
bool is_uuid(std::string_view text);

// %XX and (for query strings) '+' decoding; nullopt on a malformed escape.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);

}  // namespace todo
