// SPDX-License-Identifier: MIT
// `crashpilot schema print request|response`: the published JSON Schemas (v2).
#include <cli/commands.hpp>
#include <cli/terminal.hpp>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <queue/schema.hpp>

namespace crashpilot::cli {

int run_schema(const Invocation& inv, const config::Config& /*config*/) {
  auto text = queue::schema_text(inv.schema.name);
  if (!text) {
    print_error(fmt::format("unknown schema '{}' (request or response)", inv.schema.name));
    return exit_code::usage;
  }
  if (inv.global.json) {
    // One line, like every other --json output.
    fmt::print("{}\n", nlohmann::json::parse(*text).dump());
  } else {
    fmt::print("{}{}", *text, text->ends_with('\n') ? "" : "\n");
  }
  return exit_code::ok;
}

} // namespace crashpilot::cli
