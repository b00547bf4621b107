#include "stack.hpp"

#include <dirent.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace todo::testing {

std::string unique_email(const std::string& tag) {
  static std::atomic<int> counter{0};
  static const unsigned long run = std::random_device{}();
  auto now = std::chrono::system_clock::now().time_since_epoch().count();
  return tag + "." + std::to_string(now % 100000000) + "." + std::to_string(run % 100000) + "." +
         std::to_string(counter++) + "@example.test";
}

Account register_account(HttpClient& client, const std::string& tag) {
  Account a;
  a.email = unique_email(tag);
  a.password = "a sound passphrase " + std::to_string(std::random_device{}());
  HttpResponse r;
  wait_until(  // the sign-up rate limit is shared with every other test
      [&] {
        r = client.send_json("POST", "/api/auth/register",
                             "{\"email\":" + json_quote(a.email) +
                                 ",\"password\":" + json_quote(a.password) + ",\"name\":\"Test\"}");
        return r.status != 429;
      },
      std::chrono::seconds(20));
  if (r.status != 201)
    throw std::runtime_error("register failed: " + std::to_string(r.status) + " " + r.body);
  auto doc = r.json();
  a.access_token = doc["access_token"].GetString();
  a.id = doc["user"]["id"].GetString();
  return a;
}

std::string tasks_path(const Account& account) {
  return "/api/" + account.id + "/tasks";
}

CommandResult run_command(const std::string& command) {
  CommandResult result{-1, ""};
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer{};
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.output.append(buffer.data(), n);
  int status = pclose(pipe);
  result.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

bool run_todo(const std::string& command) {
  return run_command(required_env("TODO_SOURCE_DIR") + "/todo " + command).status == 0;
}

pid_t master_pid() {
  std::ifstream file(required_env("TODO_TEST_VAR") + "/run/todo-fcgi.pid");
  pid_t pid = 0;
  file >> pid;
  return pid;
}

std::vector<pid_t> worker_pids() {
  pid_t parent = master_pid();
  std::vector<pid_t> children;
  DIR* proc = opendir("/proc");
  if (!proc) return children;
  while (dirent* entry = readdir(proc)) {
    pid_t pid = std::atoi(entry->d_name);
    if (pid <= 0) continue;
    std::ifstream stat("/proc/" + std::string(entry->d_name) + "/stat");
    std::string line;
    std::getline(stat, line);
    // pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
    auto close = line.rfind(')');
    if (close == std::string::npos) continue;
    std::istringstream rest(line.substr(close + 2));
    char state;
    pid_t ppid = 0;
    rest >> state >> ppid;
    if (ppid == parent && state != 'Z') children.push_back(pid);
  }
  closedir(proc);
  return children;
}

std::string jwt_secret() {
  std::ifstream file(required_env("TODO_TEST_VAR") + "/secrets/jwt_secret");
  std::stringstream text;
  text << file.rdbuf();
  std::string secret = text.str();
  while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
  if (secret.empty()) throw std::runtime_error("no JWT secret in $TODO_TEST_VAR/secrets");
  return secret;
}

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

// Writes `request` to a file and feeds it to `client` (a shell command reading stdin).
std::string send_raw(const std::string& client, const std::string& request) {
  std::string path = required_env("TODO_TEST_VAR") + "/raw-request." + std::to_string(getpid());
  std::ofstream(path, std::ios::binary) << request;
  auto result = run_command("(" + client + " < " + path + " 2>/dev/null)");
  std::remove(path.c_str());
  return result.output;
}

}  // namespace

std::string raw_https(const std::string& request) {
  std::string url = required_env("TODO_TEST_URL");  // https://127.0.0.1:18443
  std::string host_port = url.substr(url.find("://") + 3);
  return send_raw("timeout 10 openssl s_client -quiet -ign_eof -connect " + host_port, request);
}

std::string raw_http(int port, const std::string& request) {
  return send_raw("timeout 10 bash -c 'exec 3<>/dev/tcp/127.0.0.1/" + std::to_string(port) +
                      "; cat >&3; cat <&3'",
                  request);
}

bool wait_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

}  // namespace todo::testing
