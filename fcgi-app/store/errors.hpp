#pragma once
// What the store reports that is not an answer: the app turns each into one
// HTTP status (app/failure.cpp).

#include <stdexcept>

namespace todo::store {

// The database cannot do the work right now: it is unreachable, restarting,
// out of connection slots or too slow. Nothing a client sent is at fault, and
// the same request may succeed in a few seconds.
class Unavailable : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The user a request acts for does not exist (an account deleted while its
// token is still valid): nothing of theirs can be read or written.
class UnknownUser : public std::runtime_error {
 public:
  UnknownUser() : std::runtime_error("store: the user does not exist") {}
};

}  // namespace todo::store
