#include "app/routes.hpp"

#include "handlers/handlers.hpp"

namespace todo {

namespace {

namespace h = handlers;

constexpr RouteSpec kRoutes[] = {
    {"GET", "/api/health", h::health, Access::open},
    {"GET", "/metrics", h::metrics, Access::open},
    {"POST", "/api/auth/register", h::register_user, Access::open, true},
    {"POST", "/api/auth/login", h::login, Access::open, true},
    {"POST", "/api/auth/refresh", h::refresh, Access::open, true},
    {"POST", "/api/auth/logout", h::logout, Access::optional},
    {"GET", "/api/auth/me", h::me, Access::bearer},
    {"PUT", "/api/auth/password", h::change_password, Access::bearer, true},
    {"GET", "/api/auth/sessions", h::list_sessions, Access::bearer},
    {"DELETE", "/api/auth/sessions/{id}", h::end_session, Access::bearer},
    {"GET", "/api/{user_id}/tasks", h::list_tasks, Access::bearer},
    {"POST", "/api/{user_id}/tasks", h::create_task, Access::bearer},
    {"GET", "/api/{user_id}/tasks/{id}", h::get_task, Access::bearer},
    {"PUT", "/api/{user_id}/tasks/{id}", h::update_task, Access::bearer},
    {"DELETE", "/api/{user_id}/tasks/{id}", h::delete_task, Access::bearer},
    {"PATCH", "/api/{user_id}/tasks/{id}/complete", h::toggle_task, Access::bearer},
};

static_assert(std::size(kRoutes) < metrics::kMaxRoutes, "the metrics count every route and none");

}  // namespace

std::span<const RouteSpec> routes() {
  return kRoutes;
}

}  // namespace todo
