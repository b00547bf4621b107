#pragma once
// The tasks table. Every function takes the authenticated user id first and
// every statement filters by it; row-level security enforces the same again.

#include <cstdint>
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.hpp"

namespace todo::store {

struct Task {
  std::string id;
  std::string user_id;
  std::string title;
  std::optional<std::string> description;
  bool completed = false;
  std::string created_at;  // RFC 3339, UTC
  std::string updated_at;
};

enum class TaskStatus { all, pending, completed };
enum class TaskSort { created, updated, title };

struct TaskQuery {
  TaskStatus status = TaskStatus::all;
  TaskSort sort = TaskSort::created;
  bool descending = true;
  std::optional<std::string> search;  // case-insensitive substring of title or description
  int limit = 100;
  long offset = 0;
};

struct TaskPage {
  std::vector<Task> tasks;
  std::int64_t total = 0;  // matching tasks, ignoring limit and offset
};

// Fields a PUT may change; absent ones stay as they are.
struct TaskChanges {
  std::optional<std::string> title;
  std::optional<std::optional<std::string>> description;  // set to null when the inner one is empty
  std::optional<bool> completed;
};

class Tasks {
 public:
  explicit Tasks(Database& db) : db_(db) {}

  TaskPage list(std::string_view user_id, const TaskQuery& query);
  Task create(std::string_view user_id, std::string_view title,
              const std::optional<std::string>& description);
  std::optional<Task> find(std::string_view user_id, std::string_view task_id);
  std::optional<Task> update(std::string_view user_id, std::string_view task_id,
                             const TaskChanges& changes);
  std::optional<Task> toggle(std::string_view user_id, std::string_view task_id);
  bool remove(std::string_view user_id, std::string_view task_id);

 private:
  Database& db_;
};

void prepare_task_statements(pqxx::connection& connection);

}  // namespace todo::store
