#pragma once
// The JSON shapes of API.md's objects.

#include <string>
#include <vector>

#include "core/json_writer.hpp"
#include "store/sessions.hpp"
#include "store/tasks.hpp"
#include "store/users.hpp"

namespace todo {

void write_user(JsonWriter& w, const store::User& user);
void write_task(JsonWriter& w, const store::Task& task);
// {"id", "created_at", "last_used_at", "device", "current"}
void write_session(JsonWriter& w, const store::Session& session, bool current);

std::string task_json(const store::Task& task);
std::string tasks_json(const std::vector<store::Task>& tasks);
std::string user_json(const store::User& user);

}  // namespace todo
