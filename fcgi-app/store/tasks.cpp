#include "store/tasks.hpp"

#include <array>

namespace todo::store {

namespace {

#define TASK_COLUMNS                                                              \
  "id::text, user_id, title, description, completed, "                            \
  "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), " \
  "to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

// $1 user, $2 status (all|pending|completed), $3 LIKE pattern or null,
// $4 limit, $5 offset. count(*) OVER () gives the total in the same round trip.
#define TASK_LIST(order_by)                                                                   \
  "SELECT " TASK_COLUMNS                                                                      \
  ", count(*) OVER () FROM tasks "                                                            \
  "WHERE user_id = $1 "                                                                       \
  "AND ($2 = 'all' OR completed = ($2 = 'completed')) "                                       \
  "AND ($3::text IS NULL OR title ILIKE $3 ESCAPE '\\' OR description ILIKE $3 ESCAPE '\\') " \
  "ORDER BY " order_by " LIMIT $4 OFFSET $5"

#define TASK_COUNT                                      \
  "SELECT count(*) FROM tasks WHERE user_id = $1 "      \
  "AND ($2 = 'all' OR completed = ($2 = 'completed')) " \
  "AND ($3::text IS NULL OR title ILIKE $3 ESCAPE '\\' OR description ILIKE $3 ESCAPE '\\')"

// One prepared statement per sort order: ORDER BY cannot take parameters.
constexpr std::array<std::array<const char*, 2>, 3> kListStatements{{
    {"task_list_created_asc", "task_list_created_desc"},
    {"task_list_updated_asc", "task_list_updated_desc"},
    {"task_list_title_asc", "task_list_title_desc"},
}};

Task task_from(const pqxx::row& row) {
  return Task{row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::string>(),
              nullable_text(row[3]),    row[4].as<bool>(),        row[5].as<std::string>(),
              row[6].as<std::string>()};
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
  c.prepare("task_list_created_desc", TASK_LIST("created_at DESC, id DESC"));
  c.prepare("task_list_created_asc", TASK_LIST("created_at ASC, id ASC"));
  c.prepare("task_list_updated_desc", TASK_LIST("updated_at DESC, id DESC"));
  c.prepare("task_list_updated_asc", TASK_LIST("updated_at ASC, id ASC"));
  c.prepare("task_list_title_desc", TASK_LIST("lower(title) DESC, id DESC"));
  c.prepare("task_list_title_asc", TASK_LIST("lower(title) ASC, id ASC"));
  c.prepare("task_count", TASK_COUNT);
  c.prepare("task_create",
            "INSERT INTO tasks (user_id, title, description) VALUES ($1, $2, $3) "
            "RETURNING " TASK_COLUMNS);
  c.prepare("task_find", "SELECT " TASK_COLUMNS " FROM tasks WHERE user_id = $1 AND id = $2::uuid");
  // $4 says whether to change the description (to $5, which may be null).
  c.prepare("task_update",
            "UPDATE tasks SET title = COALESCE($3, title), "
            "description = CASE WHEN $4 THEN $5 ELSE description END, "
            "completed = COALESCE($6, completed), updated_at = now() "
            "WHERE user_id = $1 AND id = $2::uuid RETURNING " TASK_COLUMNS);
  c.prepare("task_toggle",
            "UPDATE tasks SET completed = NOT completed, updated_at = now() "
            "WHERE user_id = $1 AND id = $2::uuid RETURNING " TASK_COLUMNS);
  c.prepare("task_delete", "DELETE FROM tasks WHERE user_id = $1 AND id = $2::uuid RETURNING id");
}

TaskPage Tasks::list(std::string_view user_id, const TaskQuery& q) {
  const char* statement = kListStatements[static_cast<int>(q.sort)][q.descending ? 1 : 0];
  std::string user(user_id);
  std::optional<std::string> pattern = like_pattern(q.search);
  return db_.as_user(user_id, [&](pqxx::transaction_base& tx) {
    pqxx::result rows =
        tx.exec_prepared(statement, user, status_name(q.status), pattern, q.limit, q.offset);
    TaskPage page;
    page.tasks.reserve(rows.size());
    for (const auto& row : rows) page.tasks.push_back(task_from(row));
    if (!rows.empty())
      page.total = rows[0][7].as<std::int64_t>();
    else if (q.offset > 0)  // past the end: the window count saw no rows
      page.total = tx.exec_prepared1("task_count", user, status_name(q.status), pattern)[0]
                       .as<std::int64_t>();
    return page;
  });
}

Task Tasks::create(std::string_view user_id, std::string_view title,
                   const std::optional<std::string>& description) {
  return db_.as_user(user_id, [&](pqxx::transaction_base& tx) {
    return task_from(
        tx.exec_prepared1("task_create", std::string(user_id), std::string(title), description));
  });
}

std::optional<Task> Tasks::find(std::string_view user_id, std::string_view task_id) {
  return db_.as_user(user_id, [&](pqxx::transaction_base& tx) {
    return first_task(tx.exec_prepared("task_find", std::string(user_id), std::string(task_id)));
  });
}

std::optional<Task> Tasks::update(std::string_view user_id, std::string_view task_id,
                                  const TaskChanges& changes) {
  std::optional<std::string> description =
      changes.description ? *changes.description : std::optional<std::string>{};
  return db_.as_user(user_id, [&](pqxx::transaction_base& tx) {
    return first_task(tx.exec_prepared("task_update", std::string(user_id), std::string(task_id),
                                       changes.title, changes.description.has_value(), description,
                                       changes.completed));
  });
}

std::optional<Task> Tasks::toggle(std::string_view user_id, std::string_view task_id) {
  return db_.as_user(user_id, [&](pqxx::transaction_base& tx) {
    return first_task(tx.exec_prepared("task_toggle", std::string(user_id), std::string(task_id)));
  });
}

bool Tasks::remove(std::string_view user_id, std::string_view task_id) {
  return db_.as_user(user_id, [&](pqxx::transaction_base& tx) {
    return !tx.exec_prepared("task_delete", std::string(user_id), std::string(task_id)).empty();
  });
}

}  // namespace todo::store
