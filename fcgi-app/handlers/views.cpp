#include "handlers/views.hpp"

namespace todo {

void write_user(JsonWriter& w, const store::User& user) {
  w.start_object();
  w.key("id").string(user.id);
  w.key("email").string_or_null(user.email);
  w.key("name").string_or_null(user.name);
  w.key("created_at").string(user.created_at);
  w.end_object();
}

void write_task(JsonWriter& w, const store::Task& task) {
  w.start_object();
  w.key("id").string(task.id);
  w.key("user_id").string(task.user_id);
  w.key("title").string(task.title);
  w.key("description").string_or_null(task.description);
  w.key("completed").boolean(task.completed);
  w.key("created_at").string(task.created_at);
  w.key("updated_at").string(task.updated_at);
  w.end_object();
}

void write_session(JsonWriter& w, const store::Session& session, bool current) {
  w.start_object();
  w.key("id").string(session.id);
  w.key("created_at").string(session.created_at);
  w.key("last_used_at").string(session.last_used_at);
  w.key("device").string(session.device);
  w.key("current").boolean(current);
  w.end_object();
}

std::string task_json(const store::Task& task) {
  JsonWriter w;
  write_task(w, task);
  return w.take();
}

std::string tasks_json(const std::vector<store::Task>& tasks) {
  JsonWriter w;
  w.start_array();
  for (const auto& task : tasks) write_task(w, task);
  w.end_array();
  return w.take();
}

std::string user_json(const store::User& user) {
  JsonWriter w;
  write_user(w, user);
  return w.take();
}

}  // namespace todo
