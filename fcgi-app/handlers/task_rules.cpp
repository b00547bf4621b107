#include "handlers/task_rules.hpp"

#include <charconv>

#include "core/http_error.hpp"
#include "core/query_string.hpp"
#include "core/text.hpp"

namespace todo {

namespace {

constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxDescription = 1000;
constexpr std::size_t kMaxSearch = 200;
constexpr long kDefaultPageSize = 100;
constexpr long kMaxPageSize = 500;
constexpr long kMaxOffset = 1'000'000'000;

FieldError query_error(std::string name, std::string msg, std::string type = "value_error") {
  return {"query", std::move(name), std::move(msg), std::move(type)};
}

template <typename Enum, std::size_t N>
std::optional<Enum> pick(const QueryParams& params, const char* name,
                         const std::pair<const char*, Enum> (&choices)[N],
                         std::vector<FieldError>& errors) {
  auto value = query_value(params, name);
  if (!value) return std::nullopt;
  for (const auto& [text, choice] : choices)
    if (*value == text) return choice;
  std::string expected;
  for (const auto& [text, choice] : choices)
    expected += (expected.empty() ? "'" : ", '") + std::string(text) + "'";
  errors.push_back(query_error(name, "Input should be " + expected, "enum"));
  return std::nullopt;
}

std::optional<long> integer(const QueryParams& params, const char* name, long min, long max,
                            std::vector<FieldError>& errors) {
  auto value = query_value(params, name);
  if (!value) return std::nullopt;
  long number = 0;
  auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), number);
  if (ec != std::errc{} || end != value->data() + value->size() || value->empty()) {
    errors.push_back(query_error(name, "Input should be a valid integer", "int_parsing"));
  } else if (number < min || number > max) {
    errors.push_back(query_error(
        name, "Input should be between " + std::to_string(min) + " and " + std::to_string(max)));
  } else {
    return number;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> read_title(FieldReader& fields, bool required) {
  auto raw = fields.string("title", required);
  if (!raw) return std::nullopt;
  std::string title(trim_unicode(*raw));
  auto length = utf8_length(title);
  if (!length) {
    fields.error("title", "Title must be valid UTF-8 text", "value_error");
  } else if (*length == 0) {
    fields.error("title", "Title must not be empty", "string_too_short");
  } else if (*length > kMaxTitle) {
    fields.too_long("title", "Title", kMaxTitle);
  } else if (has_control_chars(title)) {
    fields.error("title", "Title must not contain control characters", "value_error");
  } else {
    return title;
  }
  return std::nullopt;
}

std::optional<std::optional<std::string>> read_description(FieldReader& fields) {
  auto raw = fields.nullable_string("description");
  if (!raw || !*raw) return raw;
  const std::string& text = **raw;
  auto length = utf8_length(text);
  if (!length || *length > kMaxDescription) {
    fields.too_long("description", "Description", kMaxDescription);
  } else if (has_control_chars(text, /*allow_line_breaks=*/true)) {
    fields.error("description", "Description must not contain control characters", "value_error");
  } else {
    return raw;
  }
  return std::nullopt;
}

store::TaskQuery read_task_query(const Request& request) {
  auto params = parse_query(request.query);
  if (!params) throw HttpError::validation(query_error("", "The query string is malformed"));
  std::vector<FieldError> errors;
  for (const auto& [name, value] : *params)
    if (!is_clean_text(name) || !is_clean_text(value))
      errors.push_back(query_error(is_clean_text(name) ? name : "",
                                   "Query parameters must be UTF-8 text without NUL characters"));
  if (!errors.empty()) throw HttpError::validation(std::move(errors));
  store::TaskQuery q;
  static constexpr std::pair<const char*, store::TaskStatus> kStatus[] = {
      {"all", store::TaskStatus::all},
      {"pending", store::TaskStatus::pending},
      {"completed", store::TaskStatus::completed}};
  static constexpr std::pair<const char*, store::TaskSort> kSort[] = {
      {"created", store::TaskSort::created},
      {"updated", store::TaskSort::updated},
      {"title", store::TaskSort::title}};
  static constexpr std::pair<const char*, bool> kOrder[] = {{"asc", false}, {"desc", true}};

  q.status = pick(*params, "status", kStatus, errors).value_or(store::TaskStatus::all);
  q.sort = pick(*params, "sort", kSort, errors).value_or(store::TaskSort::created);
  // Newest first for times, A to Z for titles.
  q.descending = pick(*params, "order", kOrder, errors).value_or(q.sort != store::TaskSort::title);
  q.limit = static_cast<int>(
      integer(*params, "limit", 1, kMaxPageSize, errors).value_or(kDefaultPageSize));
  q.offset = integer(*params, "offset", 0, kMaxOffset, errors).value_or(0);
  if (auto search = query_value(*params, "q")) {
    if (*utf8_length(*search) > kMaxSearch)
      errors.push_back(query_error(
          "q", "Search text must be at most " + std::to_string(kMaxSearch) + " characters"));
    else if (has_control_chars(*search))
      errors.push_back(query_error("q", "Search text must not contain control characters"));
    else if (!trim_unicode(*search).empty())
      q.search = std::string(trim_unicode(*search));
  }
  if (!errors.empty()) throw HttpError::validation(std::move(errors));
  return q;
}

}  // namespace todo
