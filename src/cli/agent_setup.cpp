// SPDX-License-Identifier: MIT
#include <cli/agent_setup.hpp>
#include <cli/commands.hpp>
#include <cli/terminal.hpp>

#include <analyze/agent_preset.hpp>
#include <analyze/builtin_analyzer.hpp>
#include <analyze/runner_options.hpp>
#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

namespace crashpilot::cli {

namespace fs = std::filesystem;

std::atomic<bool> g_stop{false};

namespace {

extern "C" void on_loop_stop_signal(int) {
  g_stop.store(true);
}

// What `crashpilot mcp`, started by the agent in another directory, needs to see the same
// configuration, store and queue as this command.
std::vector<std::string> mcp_args(const Invocation& inv, const queue::QueueOptions& q,
                                  const std::string& store) {
  std::vector<std::string> args = {"--queue-root", absolute_path(q.root), "--store",
                                   absolute_path(store)};
  if (inv.global.config_file) {
    args.insert(args.end(), {"--config", absolute_path(*inv.global.config_file)});
  } else if (const char* env = std::getenv("CRASHPILOT_CONFIG"); env != nullptr && *env != '\0') {
    args.insert(args.end(), {"--config", absolute_path(env)});
  } else if (fs::exists("crashpilot.toml")) {
    args.insert(args.end(), {"--config", absolute_path("crashpilot.toml")});
  }
  if (!inv.global.preset.empty()) {
    args.insert(args.end(), {"--preset", inv.global.preset});
  }
  for (const auto& s : inv.global.sets) {
    args.insert(args.end(), {"--set", s});
  }
  return args;
}

} // namespace

StopSignals::StopSignals() {
  struct sigaction sa {};
  sa.sa_handler = on_loop_stop_signal;
  sigemptyset(&sa.sa_mask);
  ::sigaction(SIGINT, &sa, &m_old_int);
  ::sigaction(SIGTERM, &sa, &m_old_term);
}

StopSignals::~StopSignals() {
  ::sigaction(SIGINT, &m_old_int, nullptr);
  ::sigaction(SIGTERM, &m_old_term, nullptr);
}

void block_child_signal() {
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  ::pthread_sigmask(SIG_BLOCK, &chld, nullptr);
}

std::string absolute_path(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::absolute(path, ec);
  return ec ? path : p.lexically_normal().string();
}

std::string self_exe() {
  std::error_code ec;
  fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("crashpilot") : p.string();
}

std::optional<analyze::RunnerSetup> runner_setup(const Invocation& inv,
                                                 const config::Config& config, Workspace& ws,
                                                 const std::string& agent, int& exit_code) {
  analyze::RunnerSetup setup;
  setup.version = version();
  if (agent != analyze::k_builtin_agent) {
    auto preset = analyze::agent_preset_from_config(config, agent);
    if (!preset) {
      print_error(preset.error());
      exit_code = exit_code::usage;
      return std::nullopt;
    }
    setup.preset = std::move(*preset);
  }
  auto options = analyze::runner_options_from_config(config);
  if (!options) {
    print_error(options.error());
    exit_code = exit_code::usage;
    return std::nullopt;
  }
  setup.options = std::move(*options);
  auto store_options = store_options_from_config(config, ws.rules.similarity_threshold);
  if (!store_options) {
    print_error(store_options.error());
    exit_code = exit_code::usage;
    return std::nullopt;
  }
  setup.queue = ws.queue->options();
  setup.store_path = ws.store->path();
  setup.store_options = std::move(*store_options);
  setup.options.holder = fmt::format("crashpilot --agent {} ({})", agent, default_holder());
  setup.options.crashpilot_exe = self_exe();
  setup.options.mcp_args = mcp_args(inv, setup.queue, setup.store_path);
  setup.cancel = &g_stop;
  return setup;
}

} // namespace crashpilot::cli
