// SPDX-License-Identifier: MIT
#pragma once

#include <parse/document.hpp>
#include <parse/section.hpp>

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <string>

namespace crashpilot::parse::testing {

// A fixture report from tests/data/crashes, byte for byte.
inline std::string read_fixture(const std::string& rel) {
  std::ifstream in(std::string(CRASHPILOT_TEST_DATA) + "/crashes/" + rel, std::ios::binary);
  EXPECT_TRUE(in.good()) << rel;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The sections one format parser finds in `text`.
inline Sections run(void (*parser)(const Document&, Sections&), std::string_view text) {
  Document doc(text);
  Sections out;
  parser(doc, out);
  return out;
}

} // namespace crashpilot::parse::testing
