#pragma once
// Identifiers nobody can guess, from OpenSSL's CSPRNG.

#include <string>

namespace todo::auth {

// A random (version 4) UUID in canonical form. Throws std::runtime_error when
// the CSPRNG fails.
std::string random_uuid();

}  // namespace todo::auth
