// SPDX-License-Identifier: MIT
// libFuzzer target for the whole text path: any bytes must parse and triage without crashing, hanging
// or leaking, and every crash that comes out must survive a JSON round trip unchanged.
#include <config/config.hpp>
#include <model/json.hpp>
#include <parse/parser.hpp>
#include <triage/triage.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {
const crashpilot::triage::Rules& rules() {
  static crashpilot::triage::Rules compiled = [] {
    crashpilot::config::LoadOptions o;
    o.search_default_file = false;
    auto c = crashpilot::config::Config::load(o);
    if (!c) {
      std::abort();
    }
    auto r = crashpilot::triage::Rules::from_config(*c);
    if (!r) {
      std::abort();
    }
    return std::move(r.value());
  }();
  return compiled;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  crashpilot::parse::Options options;
  options.max_crashes = 8;
  auto result = crashpilot::parse::parse_text(text, options);
  for (auto& crash : result.crashes) {
    crashpilot::triage::triage(crash, rules());
    nlohmann::json j = crashpilot::model::to_json(crash);
    std::string dumped = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    auto back = crashpilot::model::crash_from_json(nlohmann::json::parse(dumped));
    if (!back) {
      std::abort(); // what we write must read back
    }
  }
  return 0;
}
