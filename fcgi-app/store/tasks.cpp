#include "store/tasks.hpp"

namespace todo::store {

namespace {

// Each statement calls one of the functions in db/migrations/0004 (and 0008):
// they set the user for row-level security and run the SQL, so a request is
// one round trip. Every statement returns these columns first, in this order.
#define TASK_COLUMNS "id, user_id, title, description, completed, created_at, updated_at"

Task task_from(const pqxx::row& row) {
  return Task{text(row[0]),      text(row[1]),          text(row[2]),         nullable_text(row[3]),
              row[4].as<bool>(), utc_timestamp(row[5]), utc_timestamp(row[6])};
}

std::optional<Task> first_task(const pqxx::result& result) {
  if (result.empty()) return std::nullopt;
  return task_from(result[0]);
}

const char* status_name(TaskStatus status) {
  switch (status) {
    case TaskStatus::pending:
      return "pending";
    case TaskStatus::completed:
      return "completed";
    case TaskStatus::all:
      break;
  }
  return "all";
}

// task_list's order_by argument.
const char* order_name(TaskSort sort, bool descending) {
  switch (sort) {
    case TaskSort::updated:
      return descending ? "updated_at desc" : "updated_at asc";
    case TaskSort::title:
      return descending ? "title desc" : "title asc";
    case TaskSort::created:
      break;
  }
  return descending ? "created_at desc" : "created_at asc";
}

// "50%_off" -> "%50\%\_off%": the search text matches literally.
std::optional<std::string> like_pattern(const std::optional<std::string>& search) {
  if (!search) return std::nullopt;
  std::string pattern = "%";
  for (char c : *search) {
    if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
    pattern.push_back(c);
  }
  pattern.push_back('%');
  return pattern;
}

}  // namespace

void prepare_task_statements(pqxx::connection& c) {
  c.prepare("task_list", "SELECT * FROM task_list($1, $2, $3, $4, $5, $6)");
  c.prepare("task_count", "SELECT task_count($1, $2, $3)");
  c.prepare("task_create", "SELECT " TASK_COLUMNS " FROM task_create($1, $2, $3)");
  c.prepare("task_find", "SELECT " TASK_COLUMNS " FROM task_find($1, $2::uuid)");
  c.prepare("task_update",
            "SELECT " TASK_COLUMNS " FROM task_update($1, $2::uuid, $3, $4, $5, $6)");
  c.prepare("task_toggle", "SELECT " TASK_COLUMNS " FROM task_toggle($1, $2::uuid)");
  c.prepare("task_delete", "SELECT * FROM task_delete($1, $2::uuid)");
}

TaskPage PostgresTasks::list(std::string_view user_id, const TaskQuery& q) {
  std::string user(user_id);
  std::optional<std::string> pattern = like_pattern(q.search);
  return db_.autocommit([&](pqxx::transaction_base& tx) {
    pqxx::result rows = tx.exec_prepared("task_list", user, status_name(q.status), pattern,
                                         order_name(q.sort, q.descending), q.limit, q.offset);
    TaskPage page;
    page.tasks.reserve(rows.size());
    for (const auto& row : rows) page.tasks.push_back(task_from(row));
    if (!rows.empty())
      page.total = rows[0][7].as<std::int64_t>();
    else if (q.offset > 0)  // past the end: no row carried the count
      page.total = tx.exec_prepared1("task_count", user, status_name(q.status), pattern)[0]
                       .as<std::int64_t>();
    return page;
  });
}

Task PostgresTasks::create(std::string_view user_id, std::string_view title,
                           const std::optional<std::string>& description) {
  return db_.autocommit([&](pqxx::transaction_base& tx) {
    return task_from(
        tx.exec_prepared1("task_create", std::string(user_id), std::string(title), description));
  });
}

std::optional<Task> PostgresTasks::find(std::string_view user_id, std::string_view task_id) {
  return db_.autocommit([&](pqxx::transaction_base& tx) {
    return first_task(tx.exec_prepared("task_find", std::string(user_id), std::string(task_id)));
  });
}

std::optional<Task> PostgresTasks::update(std::string_view user_id, std::string_view task_id,
                                          const TaskChanges& changes) {
  std::optional<std::string> description =
      changes.description ? *changes.description : std::optional<std::string>{};
  return db_.autocommit([&](pqxx::transaction_base& tx) {
    return first_task(tx.exec_prepared("task_update", std::string(user_id), std::string(task_id),
                                       changes.title, changes.description.has_value(), description,
                                       changes.completed));
  });
}

std::optional<Task> PostgresTasks::toggle(std::string_view user_id, std::string_view task_id) {
  return db_.autocommit([&](pqxx::transaction_base& tx) {
    return first_task(tx.exec_prepared("task_toggle", std::string(user_id), std::string(task_id)));
  });
}

bool PostgresTasks::remove(std::string_view user_id, std::string_view task_id) {
  return db_.autocommit([&](pqxx::transaction_base& tx) {
    return !tx.exec_prepared("task_delete", std::string(user_id), std::string(task_id)).empty();
  });
}

}  // namespace todo::store
