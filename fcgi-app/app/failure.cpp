#include "app/failure.hpp"

#include <exception>
#include <string>

#include "auth/bcrypt_gate.hpp"
#include "core/http_error.hpp"
#include "core/log.hpp"
#include "store/database.hpp"

namespace todo {

namespace {

HttpError database_unavailable() {
  return HttpError(ErrorCode::unavailable,
                   "The service cannot reach its database right now; try again in a few seconds")
      .with_header("Retry-After", "2");
}

HttpError sign_ins_busy() {
  return HttpError(ErrorCode::unavailable,
                   "Too many sign-ins are being processed right now; try again in a moment")
      .with_header("Retry-After", "1");
}

HttpError user_unknown() {
  return HttpError(ErrorCode::user_unknown, "This account no longer exists; sign up again")
      .with_header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
}

Response internal_error(std::string_view route, std::string_view what) {
  log_error("unhandled error on " + std::string(route) + ": " + std::string(what));
  return Response::json(500, R"({"detail":"Internal Server Error","code":"INTERNAL"})");
}

}  // namespace

Response response_for_current_exception(std::string_view route) {
  try {
    throw;
  } catch (const HttpError& e) {
    return to_response(e);
  } catch (const store::Unavailable&) {
    return to_response(database_unavailable());  // the store has logged why
  } catch (const store::UnknownUser&) {
    return to_response(user_unknown());
  } catch (const auth::Busy&) {
    return to_response(sign_ins_busy());
  } catch (const std::exception& e) {
    return internal_error(route, e.what());
  } catch (...) {
    return internal_error(route, "an exception of unknown type");
  }
}

}  // namespace todo
