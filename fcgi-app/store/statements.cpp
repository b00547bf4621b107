#include "store/database.hpp"
#include "store/sessions.hpp"
#include "store/sign_in_failures.hpp"
#include "store/tasks.hpp"
#include "store/users.hpp"

namespace todo::store {

void prepare_statements(pqxx::connection& c) {
  c.prepare("ping", "SELECT 1");
  prepare_user_statements(c);
  prepare_task_statements(c);
  prepare_session_statements(c);
  prepare_sign_in_failure_statements(c);
}

}  // namespace todo::store
