// SPDX-License-Identifier: MIT
#pragma once

// The newline-delimited stream under the JSON-RPC dispatcher: read lines from one fd, answer on
// another, until end of input or a stop request. A line longer than the cap is skipped without
// being kept in memory and answered with -32600, so a 10 MB line costs a buffer of the cap, not of
// the line. Only protocol goes to the output fd; diagnostics go to stderr.

#include <util/expected.hpp>
#include <util/fd.hpp>

#include <analyze/jsonrpc.hpp>

#include <cstddef>

namespace crashpilot::analyze::jsonrpc {

struct StreamOptions {
  size_t max_line_bytes = size_t{8} << 20; // MCP messages are small; 8 MiB as in §6.4
};

enum class StopReason { end_of_input, stop_requested, output_closed };

// Serves until `in_fd` reaches end of input, `stop_fd` (when >= 0) becomes readable, or the peer
// closes `out_fd`. Errors are I/O failures other than those.
util::Expected<StopReason> serve(int in_fd, int out_fd, const Dispatcher& dispatcher,
                                 const StreamOptions& options, int stop_fd = -1);

// SIGTERM, SIGINT and SIGHUP turned into a readable fd (the self-pipe trick), for serve()'s
// stop_fd: no signal mask is changed, so the helper programs the server runs (git) inherit none.
// SIGPIPE is ignored while it lives, so a closed output is an EPIPE error and not a silent death.
// One at a time per process; the destructor restores the previous handlers.
class TerminationSignals {
public:
  static util::Expected<TerminationSignals> install();
  TerminationSignals(TerminationSignals&& other) noexcept;
  TerminationSignals& operator=(TerminationSignals&&) = delete;
  TerminationSignals(const TerminationSignals&) = delete;
  TerminationSignals& operator=(const TerminationSignals&) = delete;
  ~TerminationSignals();

  int fd() const { return m_read.get(); }
  // The signal that arrived, 0 when none did.
  int signal() const;

private:
  TerminationSignals() = default;
  util::Fd m_read;
  util::Fd m_write;
  bool m_installed = false;
};

} // namespace crashpilot::analyze::jsonrpc
