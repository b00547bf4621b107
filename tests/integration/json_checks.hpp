#pragma once
// Reading the API's JSON answers in tests: error codes and FastAPI-style 422s.

#include <rapidjson/document.h>

#include <string>

#include "http_client.hpp"

namespace todo::testing {

// A member of a JSON object as a string, or "" when it is absent or not a string.
std::string text_of(const rapidjson::Value& object, const char* name);

// The error body's "code" and "detail" (when detail is a message).
std::string code_of(const HttpResponse& r);
std::string detail_of(const HttpResponse& r);

// True for a 422 whose detail has an entry at loc [where, field] (loc [where]
// when field is empty) with a message and a type.
bool names_field(const HttpResponse& r, const std::string& field, const char* where = "body");

}  // namespace todo::testing
