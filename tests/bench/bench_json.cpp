// Request-parsing micro-benchmarks: a task body parsed and validated the way
// create_task does it, and a list query string the way list_tasks does.
//
//   bench_json
//
// Timings are the best of 5 rounds (like bench_auth), so they show what the
// code costs, not the machine's noise.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>

#include "core/json_body.hpp"
#include "core/request.hpp"
#include "handlers/task_rules.hpp"

namespace {

using Clock = std::chrono::steady_clock;

constexpr int kRounds = 5;
constexpr int kIterations = 200'000;

template <class F>
double best_ns_per_call(int iterations, F&& f) {
  double best = 1e300;
  for (int round = 0; round < kRounds; ++round) {
    const auto start = Clock::now();
    for (int i = 0; i < iterations; ++i) f();
    const std::chrono::duration<double, std::nano> elapsed = Clock::now() - start;
    best = std::min(best, elapsed.count() / iterations);
  }
  return best;
}

void row(const char* what, double value, const char* note) {
  std::printf("  %-40s %10.1f ns  %s\n", what, value, note);
}

todo::Request json_request(std::string body) {
  todo::Request r;
  r.method = "POST";
  r.path = "/api/0f8fad5b-d9cb-469f-a165-70867728950e/tasks";
  r.headers.emplace_back("content-type", "application/json");
  r.body = std::move(body);
  return r;
}

// What create_task does before its store call; the title's size is the result.
std::size_t parse_create(const todo::Request& request) {
  rapidjson::Document body = todo::parse_json_object(request);
  todo::FieldReader fields(body);
  auto title = todo::read_title(fields, /*required=*/true);
  auto description = todo::read_description(fields);
  fields.finish();
  return title->size() + (description && *description ? (*description)->size() : 0);
}

}  // namespace

int main() {
  const todo::Request small = json_request(R"({"title":"Buy milk","description":"2 litres"})");
  const todo::Request large =
      json_request(R"({"title":")" + std::string(180, 'x') + R"(","description":")" +
                   std::string(900, 'y') + R"(","completed":false,"extra":[1,2,3,{"a":"b"}]})");
  todo::Request list;
  list.method = "GET";
  list.query = "status=pending&sort=title&order=asc&q=milk%20and%20bread&limit=20&offset=0";

  std::uint64_t sink = 0;  // keeps results alive so nothing is optimised away
  const double small_ns = best_ns_per_call(kIterations, [&] { sink += parse_create(small); });
  const double large_ns = best_ns_per_call(kIterations / 4, [&] { sink += parse_create(large); });
  const double query_ns = best_ns_per_call(
      kIterations, [&] { sink += static_cast<std::uint64_t>(todo::read_task_query(list).limit); });

  std::printf("JSON request benchmarks (best of %d rounds)\n", kRounds);
  row("JSON parse+validate, create body", small_ns, "title + description, 45 bytes");
  row("JSON parse+validate, large body", large_ns, "180-char title, 900-char description");
  row("query parse+validate, task list", query_ns, "6 parameters");
  return sink == 0 ? 1 : 0;
}
