// SPDX-License-Identifier: MIT
// `crashpilot config print`: the merged configuration with each value's origin.
#include <cli/commands.hpp>

#include <fmt/format.h>

namespace crashpilot::cli {

int run_config(const Invocation& inv, const config::Config& config) {
  if (inv.global.json) {
    fmt::print("{}\n", config.tree().dump(2));
  } else {
    fmt::print("{}", config.to_toml(inv.config.origins));
  }
  return exit_code::ok;
}

} // namespace crashpilot::cli
