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

namespace crashpilot::cli {

class ServerOutput {
public:
  // hang_seconds: no heartbeat line for this long = hung (0 = no heartbeat watchdog). json: our
  // stdout carries events, so the server's stdout is copied to our stderr.
  static util::Expected<std::unique_ptr<ServerOutput>> from_config(const config::Config& cfg,
                                                                   int hang_seconds, bool json);
  ~ServerOutput();

  bool captures_output() const;             // the config follows the server's stdout and stderr
  void attach(capture::Launched& launched); // follow this run's stdout/stderr
  std::optional<std::string>
  hung(); // a reason, when the heartbeat stopped or a freeze detector fired
  void fill(capture::Incident& incident); // context and output tail before incident.time
  void stop();

  struct State;

private:
  explicit ServerOutput(std::unique_ptr<State> state);
  std::unique_ptr<State> m_state;
};

} // namespace crashpilot::cli
