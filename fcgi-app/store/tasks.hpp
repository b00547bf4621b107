#pragma once
// Tasks: what a task is, how a list is asked for, the store's interface, and
// its PostgreSQL implementation (all of whose SQL is in tasks.cpp).

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

// One user's tasks. Every function takes the authenticated user id first;
// a user id that names no user throws UnknownUser rather than answering as if
// that user had no tasks.
class Tasks {
 public:
  virtual ~Tasks() = default;

  // One page of the user's tasks that match, and how many match in all.
  virtual TaskPage list(std::string_view user_id, const TaskQuery& query) = 0;
  virtual Task create(std::string_view user_id, std::string_view title,
                      const std::optional<std::string>& description) = 0;
  // The task, or nullopt when the user has no task with this id.
  virtual std::optional<Task> find(std::string_view user_id, std::string_view task_id) = 0;
  virtual std::optional<Task> update(std::string_view user_id, std::string_view task_id,
                                     const TaskChanges& changes) = 0;
  virtual std::optional<Task> toggle(std::string_view user_id, std::string_view task_id) = 0;
  // False when the user has no task with this id.
  virtual bool remove(std::string_view user_id, std::string_view task_id) = 0;
};

// The tasks table in PostgreSQL: every statement filters by the user, and
// row-level security enforces the same again.
class PostgresTasks final : public Tasks {
 public:
  explicit PostgresTasks(Database& db) : db_(db) {}

  TaskPage list(std::string_view user_id, const TaskQuery& query) override;
  Task create(std::string_view user_id, std::string_view title,
              const std::optional<std::string>& description) override;
  std::optional<Task> find(std::string_view user_id, std::string_view task_id) override;
  std::optional<Task> update(std::string_view user_id, std::string_view task_id,
                             const TaskChanges& changes) override;
  std::optional<Task> toggle(std::string_view user_id, std::string_view task_id) override;
  bool remove(std::string_view user_id, std::string_view task_id) override;

 private:
  Database& db_;
};

void prepare_task_statements(pqxx::connection& connection);

}  // namespace todo::store
