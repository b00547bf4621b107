// The benchmark's ceiling: a bare libfcgi responder with no application in
// it. Run on the pool's socket, behind the same nginx site and TLS, with as
// many processes and threads as the pool, and taking connections with the
// pool's own accept loop (server/acceptor.hpp), it shows what this design can
// serve on this machine before the service does any work of its own;
// ./todo bench measures it first and prints every other row as a share of it.
//
//   bare_responder SOCKET_PATH PROCESSES THREADS
//
// Every request gets the same 200 with health's body, and the connection is
// closed as the pool closes it (server/fcgi_adapter.hpp). It runs until killed.
#include <fcgiapp.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "server/acceptor.hpp"
#include "server/fcgi_adapter.hpp"

namespace {

constexpr std::string_view kBody = R"({"status":"ok","database":"ok"})";
const std::string kAnswer = "Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                            std::to_string(kBody.size()) + "\r\n\r\n" + std::string(kBody);

// The pool's socket path, replaced; non-blocking, as the acceptor needs. 0666:
// this is a benchmark's private var/ directory, and nginx's workers may run
// as another user.
int listen_on(const char* path) {
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (std::strlen(path) >= sizeof addr.sun_path) return -1;
  std::strcpy(addr.sun_path, path);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  ::unlink(path);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::chmod(path, 0666) != 0 || ::listen(fd, 4096) != 0)
    return -1;
  return fd;
}

void serve(todo::server::Acceptor& acceptor, int listen_fd) {
  FCGX_Request request;
  FCGX_InitRequest(&request, listen_fd, 0);
  char input[4096];
  while (acceptor.next(request)) {
    // The input read to its end, as the pool reads it, so the connection
    // closes the way the pool's do.
    while (FCGX_GetStr(input, sizeof input, request.in) > 0) {
    }
    FCGX_PutStr(kAnswer.data(), static_cast<int>(kAnswer.size()), request.out);
    todo::server::finish_request(request, true);
  }
}

}  // namespace

int main(int argc, char** argv) {
  const int processes = argc == 4 ? std::atoi(argv[2]) : 0;
  const int threads = argc == 4 ? std::atoi(argv[3]) : 0;
  if (processes < 1 || threads < 1) {
    std::fprintf(stderr, "usage: %s SOCKET_PATH PROCESSES THREADS\n", argv[0]);
    return 2;
  }
  int fd = listen_on(argv[1]);
  if (fd < 0) {
    std::perror("bare_responder");
    return 1;
  }
  // The children share the listening socket; each dies with this process.
  for (int i = 1; i < processes; ++i)
    if (::fork() == 0) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      break;
    }
  if (FCGX_Init() != 0) return 1;
  // FCGX_Init catches SIGTERM only to end the accept loop at its next
  // connection; the benchmark stops this program with SIGTERM at once.
  std::signal(SIGTERM, SIG_DFL);
  std::signal(SIGPIPE, SIG_IGN);
  // It never stops by itself: the stop event is never written.
  const std::atomic<bool> never{false};
  const int no_stop = ::eventfd(0, EFD_CLOEXEC);
  std::vector<todo::server::Acceptor> acceptors;
  for (int i = 0; i < threads; ++i) {
    auto acceptor = todo::server::Acceptor::open(fd, no_stop, never);
    if (!acceptor) {
      std::fprintf(stderr, "bare_responder: %s\n", acceptor.error().c_str());
      return 1;
    }
    acceptors.push_back(std::move(*acceptor));
  }
  std::vector<std::thread> pool;
  for (auto& acceptor : acceptors) pool.emplace_back(serve, std::ref(acceptor), fd);
  for (auto& t : pool) t.join();
  return 0;
}
