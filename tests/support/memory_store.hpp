#pragma once
// The store's interfaces kept in memory, for tests and the fuzzer that drive
// the whole app without PostgreSQL. It behaves as the PostgreSQL store does
// where a handler can tell: filters, order, paging, emails compared without
// case, UnknownUser for a user that does not exist.

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "store/store.hpp"

namespace todo::testing {

class MemoryTasks final : public store::Tasks {
 public:
  explicit MemoryTasks(const std::map<std::string, store::User>& users) : users_(users) {}

  store::TaskPage list(std::string_view user_id, const store::TaskQuery& query) override;
  store::Task create(std::string_view user_id, std::string_view title,
                     const std::optional<std::string>& description) override;
  std::optional<store::Task> find(std::string_view user_id, std::string_view task_id) override;
  std::optional<store::Task> update(std::string_view user_id, std::string_view task_id,
                                    const store::TaskChanges& changes) override;
  std::optional<store::Task> toggle(std::string_view user_id, std::string_view task_id) override;
  bool remove(std::string_view user_id, std::string_view task_id) override;

 private:
  store::Task* owned(std::string_view user_id, std::string_view task_id);
  void require_user(std::string_view user_id) const;

  const std::map<std::string, store::User>& users_;
  std::vector<store::Task> tasks_;  // in creation order
  long clock_ = 0;                  // makes ever later timestamps
};

class MemoryUsers final : public store::Users {
 public:
  std::optional<store::User> create(std::string_view email, const std::optional<std::string>& name,
                                    std::string_view password_hash) override;
  std::optional<store::User> find_by_email(std::string_view email) override;
  std::optional<store::User> find_by_id(std::string_view user_id) override;
  bool set_password_hash(std::string_view user_id, std::string_view password_hash) override;
  bool admit_external(std::string_view user_id, std::string_view issuer,
                      const std::optional<std::string>& email) override;

  // A user with this id, as if registered (no password: it cannot log in).
  void add(std::string id, std::string email);
  const std::map<std::string, store::User>& all() const { return users_; }

 private:
  std::map<std::string, store::User> users_;    // by id
  std::map<std::string, std::string> issuers_;  // the external users' issuers, by id
  long next_id_ = 0;
};

class MemorySessions final : public store::Sessions {
 public:
  std::string open(std::string_view user_id, std::string_view device, std::string_view token_id,
                   std::chrono::seconds lifetime) override;
  store::Rotation rotate(std::string_view user_id, std::string_view session_id,
                         std::string_view token_id, std::string_view next_id,
                         std::chrono::seconds lifetime, std::chrono::seconds grace) override;
  bool is_current(std::string_view user_id, std::string_view session_id,
                  std::string_view token_id) override;
  bool renew(std::string_view user_id, std::string_view session_id, std::string_view token_id,
             std::chrono::seconds lifetime) override;
  bool end(std::string_view user_id, std::string_view session_id) override;
  void end_all(std::string_view user_id, std::string_view keep) override;
  std::vector<store::Session> live(std::string_view user_id) override;

 private:
  using Clock = std::chrono::steady_clock;
  struct Row {
    std::string user_id, token_id, previous_token_id;
    store::Session session;
    Clock::time_point expires, rotated;
    bool revoked = false;
  };
  Row* live_row(std::string_view user_id, std::string_view session_id);

  std::map<std::string, Row> rows_;  // by session id
  long next_id_ = 0;
};

class MemorySignInFailures final : public store::SignInFailures {
 public:
  std::chrono::seconds blocked_for(std::string_view email) override;
  void failed(std::string_view email) override;
  void clear(std::string_view email) override;

 private:
  struct Row {
    int failures = 0;
    std::chrono::steady_clock::time_point blocked_until;
  };
  std::map<std::string, Row> rows_;  // by lower-case email
};

class MemoryStore final : public store::Store {
 public:
  MemoryStore() = default;
  MemoryStore(const MemoryStore&) = delete;  // tasks_ refers to users_
  MemoryStore& operator=(const MemoryStore&) = delete;

  store::Tasks& tasks() override { return tasks_; }
  store::Users& users() override { return users_; }
  store::Sessions& sessions() override { return sessions_; }
  store::SignInFailures& sign_in_failures() override { return failures_; }
  bool ping() noexcept override { return true; }

  MemoryUsers& memory_users() { return users_; }

 private:
  MemoryUsers users_;
  MemoryTasks tasks_{users_.all()};
  MemorySessions sessions_;
  MemorySignInFailures failures_;
};

}  // namespace todo::testing
