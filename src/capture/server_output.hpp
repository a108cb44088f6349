// SPDX-License-Identifier: MIT
#pragma once

// The server's output and logs during `run`: the logs stage follows the server's stdout/stderr
// (teed to ours, so the user still sees them) and the configured log files; at an incident it gives
// the lines just before it; its heartbeat and freeze-detector patterns tell the supervisor the
// server hangs.

#include <config/config.hpp>
#include <util/expected.hpp>

#include <capture/incident.hpp>
#include <capture/launch.hpp>

#include <memory>
#include <optional>
#include <string>

namespace crashpilot::capture {

class ServerOutput {
public:
  // hang_seconds: no heartbeat line for this long = hung (0 = no heartbeat watchdog). The
  // server's stdout is copied to tee_stdout and its stderr to tee_stderr (-1 = not copied; with
  // --json our stdout carries events, so the caller passes stderr for both). cwd: the server's
  // working directory, where relative log paths start ("" = [server] cwd).
  static util::Expected<std::unique_ptr<ServerOutput>> from_config(const config::Config& cfg,
                                                                   int hang_seconds, int tee_stdout,
                                                                   int tee_stderr,
                                                                   const std::string& cwd = "");
  ~ServerOutput();

  bool captures_output() const;    // the config follows the server's stdout and stderr
  void attach(Launched& launched); // follow this run's stdout/stderr
  std::optional<std::string>
  hung();                        // a reason, when the heartbeat stopped or a freeze detector fired
  void fill(Incident& incident); // context and output tail before incident.time
  void stop();

  struct State;

private:
  explicit ServerOutput(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

} // namespace crashpilot::capture
