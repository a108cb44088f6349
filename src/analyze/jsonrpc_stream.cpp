// SPDX-License-Identifier: MIT
#include <analyze/jsonrpc_stream.hpp>
#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <string>

namespace crashpilot::analyze::jsonrpc {

namespace {

enum class WriteResult { ok, closed, failed };

WriteResult write_all(int fd, std::string_view data, int& error) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      if (errno == EAGAIN) { // EWOULDBLOCK is the same value on Linux
        pollfd p{fd, POLLOUT, 0};
        ::poll(&p, 1, -1);
        continue;
      }
      error = errno;
      return error == EPIPE ? WriteResult::closed : WriteResult::failed;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return WriteResult::ok;
}

// Accumulates bytes into lines; a line over the cap is dropped as it streams in.
class LineSplitter {
public:
  explicit LineSplitter(size_t cap) : m_cap(cap) {}

  // Calls `line(std::string_view)` for each complete line and `oversize(size_t)` for each skipped
  // one. Stops early (returning false) when a callback returns false.
  template <typename OnLine, typename OnOversize>
  bool feed(std::string_view data, OnLine&& line, OnOversize&& oversize) {
    while (!data.empty()) {
      size_t nl = data.find('\n');
      std::string_view part = data.substr(0, nl);
      if (m_skipping) {
        m_skipped += part.size();
      } else if (m_buffer.size() + part.size() > m_cap) {
        m_skipping = true;
        m_skipped = m_buffer.size() + part.size();
        m_buffer.clear();
        m_buffer.shrink_to_fit();
      } else {
        m_buffer.append(part);
      }
      if (nl == std::string_view::npos) {
        return true;
      }
      data.remove_prefix(nl + 1);
      bool go_on = m_skipping ? oversize(m_skipped) : line(std::string_view(m_buffer));
      m_skipping = false;
      m_skipped = 0;
      m_buffer.clear();
      if (!go_on) {
        return false;
      }
    }
    return true;
  }

  // End of input: a last line without its newline still counts.
  template <typename OnLine, typename OnOversize>
  void finish(OnLine&& line, OnOversize&& oversize) {
    if (m_skipping) {
      oversize(m_skipped);
    } else if (!m_buffer.empty()) {
      line(std::string_view(m_buffer));
    }
    m_buffer.clear();
    m_skipping = false;
  }

private:
  size_t m_cap;
  std::string m_buffer;
  bool m_skipping = false;
  size_t m_skipped = 0;
};

} // namespace

util::Expected<StopReason> serve(int in_fd, int out_fd, const Dispatcher& dispatcher,
                                 const StreamOptions& options, int stop_fd) {
  LineSplitter splitter(options.max_line_bytes);
  std::array<char, 64 * 1024> buf{};
  WriteResult write_state = WriteResult::ok;
  int write_errno = 0;
  auto respond = [&](const std::optional<std::string>& reply) {
    if (!reply) {
      return true;
    }
    std::string framed = *reply;
    framed.push_back('\n');
    write_state = write_all(out_fd, framed, write_errno);
    return write_state == WriteResult::ok;
  };
  auto on_line = [&](std::string_view line) { return respond(dispatcher.handle_line(line)); };
  auto on_oversize = [&](size_t bytes) {
    fmt::print(stderr, "crashpilot mcp: skipped a message of {} bytes (limit {})\n", bytes,
               options.max_line_bytes);
    return respond(Dispatcher::oversize_response(bytes, options.max_line_bytes));
  };
  auto after_write = [&]() -> util::Expected<StopReason> {
    if (write_state == WriteResult::closed) {
      return StopReason::output_closed;
    }
    return util::error(fmt::format("cannot write a response: {}", std::strerror(write_errno)));
  };

  while (true) {
    std::array<pollfd, 2> fds{pollfd{in_fd, POLLIN, 0}, pollfd{stop_fd, POLLIN, 0}};
    nfds_t count = stop_fd >= 0 ? 2 : 1;
    if (::poll(fds.data(), count, -1) < 0) {
      if (errno == EINTR) {
        continue; // a signal: the stop fd tells whether it was one that ends the server
      }
      return util::error(fmt::format("poll: {}", std::strerror(errno)));
    }
    if (count == 2 && (fds[1].revents & (POLLIN | POLLHUP)) != 0) {
      return StopReason::stop_requested;
    }
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) == 0) {
      continue;
    }
    ssize_t n = ::read(in_fd, buf.data(), buf.size());
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) {
        continue;
      }
      return util::error(fmt::format("cannot read the input: {}", std::strerror(errno)));
    }
    if (n == 0) {
      splitter.finish(on_line, on_oversize);
      if (write_state != WriteResult::ok) {
        return after_write();
      }
      return StopReason::end_of_input;
    }
    if (!splitter.feed(std::string_view(buf.data(), static_cast<size_t>(n)), on_line,
                       on_oversize)) {
      return after_write();
    }
  }
}

namespace {

std::atomic<int> g_write_fd{-1};
std::atomic<int> g_signal{0};
constexpr std::array<int, 3> k_signals{SIGTERM, SIGINT, SIGHUP};
std::array<struct sigaction, 3> g_previous{};
struct sigaction g_previous_pipe {};

extern "C" void on_termination_signal(int sig) {
  int saved = errno;
  g_signal.store(sig);
  int fd = g_write_fd.load();
  if (fd >= 0) {
    char c = 1;
    [[maybe_unused]] ssize_t n = ::write(fd, &c, 1);
  }
  errno = saved;
}

} // namespace

util::Expected<TerminationSignals> TerminationSignals::install() {
  if (g_write_fd.load() >= 0) {
    return util::error("termination signals are already being watched");
  }
  std::array<int, 2> p{};
  if (::pipe2(p.data(), O_CLOEXEC | O_NONBLOCK) != 0) {
    return util::error(fmt::format("pipe: {}", std::strerror(errno)));
  }
  TerminationSignals t;
  t.m_read = util::Fd(p[0]);
  t.m_write = util::Fd(p[1]);
  g_signal.store(0);
  g_write_fd.store(p[1]);
  struct sigaction sa {};
  sa.sa_handler = on_termination_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0; // no SA_RESTART: a blocked poll returns
  for (size_t i = 0; i < k_signals.size(); ++i) {
    ::sigaction(k_signals[i], &sa, &g_previous[i]);
  }
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  ::sigaction(SIGPIPE, &ignore, &g_previous_pipe);
  t.m_installed = true;
  return t;
}

TerminationSignals::TerminationSignals(TerminationSignals&& other) noexcept
    : m_read(std::move(other.m_read)), m_write(std::move(other.m_write)),
      m_installed(std::exchange(other.m_installed, false)) {}

TerminationSignals::~TerminationSignals() {
  if (!m_installed) {
    return;
  }
  for (size_t i = 0; i < k_signals.size(); ++i) {
    ::sigaction(k_signals[i], &g_previous[i], nullptr);
  }
  ::sigaction(SIGPIPE, &g_previous_pipe, nullptr);
  g_write_fd.store(-1);
}

int TerminationSignals::signal() const {
  return g_signal.load();
}

} // namespace crashpilot::analyze::jsonrpc
