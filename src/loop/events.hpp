// SPDX-License-Identifier: MIT
#pragma once

// What the loop tells its caller as it goes: one event per step (captured, analysis started,
// gate verdict, built, verified, landed ...), shown by the CLI as a line (human) or a JSON object.
// Events come from several threads; the loop serializes the calls.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <string>

namespace crashpilot::loop {

struct Event {
  std::string stage; // capture, analyze, gate, apply, build, verify, land, loop
  std::string kind;  // what happened, e.g. "crashed", "answered", "masked", "failed", "fixed"
  std::string bucket;
  int64_t attempt = 0; // the store's attempt id (0 = none)
  std::string message; // one line for a human
  double seconds = 0;  // how long the step took (0 = not timed)
  nlohmann::json data = nlohmann::json::object();
};

using EventSink = std::function<void(const Event&)>;

} // namespace crashpilot::loop
