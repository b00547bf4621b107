#pragma once
// Every route's handler: plain functions of (Request, Context) to Response,
// testable without FastCGI, nginx or threads.

#include "app/context.hpp"

namespace todo::handlers {

Response health(const Request&, Context&);
Response metrics(const Request&, Context&);

Response register_user(const Request&, Context&);
Response login(const Request&, Context&);
Response refresh(const Request&, Context&);
Response logout(const Request&, Context&);
Response me(const Request&, Context&);
Response change_password(const Request&, Context&);
Response list_sessions(const Request&, Context&);
Response end_session(const Request&, Context&);

Response list_tasks(const Request&, Context&);
Response create_task(const Request&, Context&);
Response get_task(const Request&, Context&);
Response update_task(const Request&, Context&);
Response delete_task(const Request&, Context&);
Response toggle_task(const Request&, Context&);

}  // namespace todo::handlers
