// SPDX-License-Identifier: MIT
// `crashpilot mcp`: the analysis queue as an MCP server on stdin/stdout. Standard output carries
// only protocol messages; everything else (startup, errors) goes to standard error.
#include <cli/commands.hpp>
#include <cli/terminal.hpp>
#include <cli/workspace.hpp>

#include <analyze/jsonrpc_stream.hpp>
#include <analyze/mcp_server.hpp>
#include <fmt/format.h>
#include <queue/ids.hpp>
#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>

namespace crashpilot::cli {

int run_mcp(const Invocation& inv, const config::Config& config) {
  if (!inv.mcp.request.empty() && !queue::is_valid_id(inv.mcp.request)) {
    print_error(
        fmt::format("--request '{}' is not a request id ([A-Za-z0-9_-]{{1,64}})", inv.mcp.request));
    return exit_code::usage;
  }
  auto options = analyze::mcp_options_from_config(config);
  if (!options) {
    print_error(options.error());
    return exit_code::usage;
  }
  options->default_holder = inv.mcp.holder.empty() ? default_holder() : inv.mcp.holder;
  options->only_request = inv.mcp.request;
  int code = exit_code::ok;
  auto ws = open_workspace(inv, config, {.store = true, .queue = true}, code);
  if (!ws) {
    return code;
  }
  // The client owns this process: when it dies without closing our stdin, stop as if it had.
  ::prctl(PR_SET_PDEATHSIG, SIGTERM);
  auto signals = analyze::jsonrpc::TerminationSignals::install();
  if (!signals) {
    print_error(signals.error());
    return exit_code::failure;
  }
  if (::getppid() == 1) {
    fmt::print(stderr, "crashpilot mcp: the parent process is gone; exiting\n");
    return exit_code::ok;
  }
  options->allowed_paths = ws->policy.allowed_paths;
  options->forbidden_paths = ws->policy.forbidden_paths;
  analyze::McpContext ctx(*ws->queue, &*ws->store, std::move(*options));
  analyze::McpServer server(ctx, version());
  fmt::print(stderr, "crashpilot mcp: serving queue {} and store {} on stdio\n",
             ws->queue->options().root, ws->store->path());
  auto stopped =
      analyze::jsonrpc::serve(STDIN_FILENO, STDOUT_FILENO, server.dispatcher(),
                              {.max_line_bytes = ctx.options.max_line_bytes}, signals->fd());
  if (!stopped) {
    print_error(stopped.error());
    return exit_code::failure;
  }
  switch (*stopped) {
  case analyze::jsonrpc::StopReason::end_of_input:
    fmt::print(stderr, "crashpilot mcp: input closed; exiting\n");
    break;
  case analyze::jsonrpc::StopReason::stop_requested:
    fmt::print(stderr, "crashpilot mcp: signal {} received; exiting\n", signals->signal());
    break;
  case analyze::jsonrpc::StopReason::output_closed:
    fmt::print(stderr, "crashpilot mcp: the client closed our output; exiting\n");
    break;
  }
  return exit_code::ok;
}

} // namespace crashpilot::cli
