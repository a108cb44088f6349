// SPDX-License-Identifier: MIT
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace crashpilot::parse::testing {

// A fixture report from tests/data/crashes, byte for byte.
inline std::string read_fixture(const std::string& rel) {
  std::ifstream in(std::string(CRASHPILOT_TEST_DATA) + "/crashes/" + rel, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

} // namespace crashpilot::parse::testing
