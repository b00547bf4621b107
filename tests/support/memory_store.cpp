#include "memory_store.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "core/text.hpp"

namespace todo::testing {

namespace {

// "2026-01-01T00:00:00.000042Z": the 42nd moment since the store was made.
std::string timestamp(long tick) {
  char text[40];
  std::snprintf(text, sizeof text, "2026-01-01T%02ld:%02ld:%02ld.%06ldZ", tick / 3600000000 % 24,
                tick / 60000000 % 60, tick / 1000000 % 60, tick % 1000000);
  return text;
}

// Version 4 layout, numbered: unique, and a canonical UUID as PostgreSQL prints it.
std::string uuid(long n) {
  char text[40];
  std::snprintf(text, sizeof text, "00000000-0000-4000-8000-%012lx", n);
  return text;
}

bool matches(const store::Task& t, const store::TaskQuery& q) {
  if (q.status == store::TaskStatus::pending && t.completed) return false;
  if (q.status == store::TaskStatus::completed && !t.completed) return false;
  if (!q.search) return true;
  std::string needle = to_lower_ascii(*q.search);
  return to_lower_ascii(t.title).find(needle) != std::string::npos ||
         (t.description && to_lower_ascii(*t.description).find(needle) != std::string::npos);
}

// The list's order: by the chosen column, ties by id, in the chosen direction.
bool before(const store::Task& a, const store::Task& b, const store::TaskQuery& q) {
  auto key = [&q](const store::Task& t) {
    switch (q.sort) {
      case store::TaskSort::updated:
        return t.updated_at;
      case store::TaskSort::title:
        return to_lower_ascii(t.title);
      case store::TaskSort::created:
        break;
    }
    return t.created_at;
  };
  auto ka = std::pair(key(a), a.id), kb = std::pair(key(b), b.id);
  return q.descending ? kb < ka : ka < kb;
}

}  // namespace

void MemoryTasks::require_user(std::string_view user_id) const {
  if (!users_.contains(std::string(user_id))) throw store::UnknownUser();
}

store::Task* MemoryTasks::owned(std::string_view user_id, std::string_view task_id) {
  auto it = std::ranges::find_if(
      tasks_, [&](const store::Task& t) { return t.user_id == user_id && t.id == task_id; });
  if (it != tasks_.end()) return &*it;
  require_user(user_id);
  return nullptr;
}

store::TaskPage MemoryTasks::list(std::string_view user_id, const store::TaskQuery& query) {
  require_user(user_id);
  std::vector<store::Task> found;
  for (const auto& t : tasks_)
    if (t.user_id == user_id && matches(t, query)) found.push_back(t);
  std::ranges::sort(found, [&](const auto& a, const auto& b) { return before(a, b, query); });
  store::TaskPage page;
  page.total = static_cast<std::int64_t>(found.size());
  auto first = std::min<std::size_t>(static_cast<std::size_t>(query.offset), found.size());
  auto last = std::min<std::size_t>(first + static_cast<std::size_t>(query.limit), found.size());
  page.tasks.assign(found.begin() + static_cast<long>(first),
                    found.begin() + static_cast<long>(last));
  return page;
}

store::Task MemoryTasks::create(std::string_view user_id, std::string_view title,
                                const std::optional<std::string>& description) {
  require_user(user_id);
  std::string now = timestamp(++clock_);
  tasks_.push_back(
      {uuid(clock_), std::string(user_id), std::string(title), description, false, now, now});
  return tasks_.back();
}

std::optional<store::Task> MemoryTasks::find(std::string_view user_id, std::string_view task_id) {
  if (store::Task* t = owned(user_id, task_id)) return *t;
  return std::nullopt;
}

std::optional<store::Task> MemoryTasks::update(std::string_view user_id, std::string_view task_id,
                                               const store::TaskChanges& changes) {
  store::Task* t = owned(user_id, task_id);
  if (!t) return std::nullopt;
  if (changes.title) t->title = *changes.title;
  if (changes.description) t->description = *changes.description;
  if (changes.completed) t->completed = *changes.completed;
  t->updated_at = timestamp(++clock_);
  return *t;
}

std::optional<store::Task> MemoryTasks::toggle(std::string_view user_id, std::string_view task_id) {
  store::Task* t = owned(user_id, task_id);
  if (!t) return std::nullopt;
  t->completed = !t->completed;
  t->updated_at = timestamp(++clock_);
  return *t;
}

bool MemoryTasks::remove(std::string_view user_id, std::string_view task_id) {
  store::Task* t = owned(user_id, task_id);
  if (!t) return false;
  tasks_.erase(tasks_.begin() + (t - tasks_.data()));
  return true;
}

// ---------------------------------------------------------------- users

std::optional<store::User> MemoryUsers::create(std::string_view email,
                                               const std::optional<std::string>& name,
                                               std::string_view password_hash) {
  if (find_by_email(email)) return std::nullopt;
  std::string id = uuid(++next_id_ + 1'000'000);
  store::User user{id, std::string(email), name, std::string(password_hash), timestamp(next_id_)};
  users_[id] = user;
  return user;
}

std::optional<store::User> MemoryUsers::find_by_email(std::string_view email) {
  for (const auto& [id, user] : users_)
    if (user.email && !issuers_.contains(id) &&
        to_lower_ascii(*user.email) == to_lower_ascii(email))
      return user;
  return std::nullopt;
}

std::optional<store::User> MemoryUsers::find_by_id(std::string_view user_id) {
  auto it = users_.find(std::string(user_id));
  if (it == users_.end()) return std::nullopt;
  return it->second;
}

bool MemoryUsers::set_password_hash(std::string_view user_id, std::string_view password_hash) {
  auto it = users_.find(std::string(user_id));
  if (it == users_.end()) return false;
  it->second.password_hash = std::string(password_hash);
  return true;
}

bool MemoryUsers::admit_external(std::string_view user_id, std::string_view issuer,
                                 const std::optional<std::string>& email) {
  std::string id(user_id);
  if (!users_.contains(id)) {
    users_[id] = store::User{id, email, std::nullopt, std::nullopt, timestamp(++next_id_)};
    issuers_[id] = std::string(issuer);
  }
  auto it = issuers_.find(id);
  return it != issuers_.end() && it->second == issuer;
}

void MemoryUsers::add(std::string id, std::string email) {
  users_[id] = store::User{id, std::move(email), std::nullopt, std::nullopt, timestamp(0)};
}

// ---------------------------------------------------------------- sessions

MemorySessions::Row* MemorySessions::live_row(std::string_view user_id,
                                              std::string_view session_id) {
  auto it = rows_.find(std::string(session_id));
  if (it == rows_.end() || it->second.user_id != user_id || it->second.revoked ||
      it->second.expires <= Clock::now())
    return nullptr;
  return &it->second;
}

std::string MemorySessions::open(std::string_view user_id, std::string_view device,
                                 std::string_view token_id, std::chrono::seconds lifetime) {
  std::string id = uuid(++next_id_ + 2'000'000);
  std::string now = timestamp(next_id_);
  rows_[id] = Row{std::string(user_id),
                  std::string(token_id),
                  "",
                  store::Session{id, now, now, std::string(device)},
                  Clock::now() + lifetime,
                  {}};
  return id;
}

store::Rotation MemorySessions::rotate(std::string_view user_id, std::string_view session_id,
                                       std::string_view token_id, std::string_view next_id,
                                       std::chrono::seconds lifetime, std::chrono::seconds grace) {
  Row* row = live_row(user_id, session_id);
  if (!row) return store::Rotation::ended;
  if (row->token_id == token_id) {
    row->previous_token_id = std::exchange(row->token_id, std::string(next_id));
    row->rotated = Clock::now();
    row->expires = row->rotated + lifetime;
    return store::Rotation::rotated;
  }
  if (row->previous_token_id == token_id && Clock::now() - row->rotated < grace)
    return store::Rotation::stale;
  row->revoked = true;
  return store::Rotation::reused;
}

bool MemorySessions::is_current(std::string_view user_id, std::string_view session_id,
                                std::string_view token_id) {
  Row* row = live_row(user_id, session_id);
  return row && row->token_id == token_id;
}

bool MemorySessions::renew(std::string_view user_id, std::string_view session_id,
                           std::string_view token_id, std::chrono::seconds lifetime) {
  Row* row = live_row(user_id, session_id);
  if (!row) return false;
  row->token_id = token_id;
  row->previous_token_id.clear();
  row->expires = Clock::now() + lifetime;
  return true;
}

bool MemorySessions::end(std::string_view user_id, std::string_view session_id) {
  Row* row = live_row(user_id, session_id);
  if (row) row->revoked = true;
  return row != nullptr;
}

void MemorySessions::end_all(std::string_view user_id, std::string_view keep) {
  for (auto& [id, row] : rows_)
    if (row.user_id == user_id && id != keep) row.revoked = true;
}

std::vector<store::Session> MemorySessions::live(std::string_view user_id) {
  std::vector<store::Session> out;
  for (const auto& [id, row] : rows_)
    if (live_row(user_id, id)) out.push_back(row.session);
  return out;
}

// ---------------------------------------------------------------- sign-in failures

std::chrono::seconds MemorySignInFailures::blocked_for(std::string_view email) {
  auto it = rows_.find(to_lower_ascii(email));
  if (it == rows_.end()) return {};
  auto left = it->second.blocked_until - std::chrono::steady_clock::now();
  return left.count() > 0 ? std::chrono::ceil<std::chrono::seconds>(left) : std::chrono::seconds{};
}

// As sign_in_failed() in db/migrations/0006: from the fifth failure, 30 s doubling to 15 min.
void MemorySignInFailures::failed(std::string_view email) {
  Row& row = rows_[to_lower_ascii(email)];
  if (++row.failures >= 5)
    row.blocked_until =
        std::chrono::steady_clock::now() +
        std::min<std::chrono::seconds>(
            std::chrono::minutes(15), std::chrono::seconds(30LL << std::min(row.failures - 5, 10)));
}

void MemorySignInFailures::clear(std::string_view email) {
  rows_.erase(to_lower_ascii(email));
}

}  // namespace todo::testing
