#pragma once
// How many connections wait in a listening socket's backlog for a worker to
// accept them: the pool's saturation signal.

#include <optional>

namespace todo::metrics {

// For a TCP socket from TCP_INFO, for a unix socket from the kernel's
// sock_diag; nullopt where the kernel does not say.
std::optional<long> listen_queue_length(int listen_fd);

}  // namespace todo::metrics
