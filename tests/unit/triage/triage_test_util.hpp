// SPDX-License-Identifier: MIT
#pragma once

#include <config/config.hpp>
#include <model/crash.hpp>
#include <triage/rules.hpp>

#include <gtest/gtest.h>
#include <initializer_list>
#include <string>

namespace crashpilot::triage::testing {

inline const Rules& rules(const std::string& preset = "trinitycore") {
  static std::map<std::string, Rules> cache;
  auto it = cache.find(preset);
  if (it == cache.end()) {
    config::LoadOptions o;
    o.search_default_file = false;
    o.preset = preset;
    auto c = config::Config::load(o);
    EXPECT_TRUE(c);
    auto r = Rules::from_config(*c);
    EXPECT_TRUE(r) << r.error();
    it = cache.emplace(preset, std::move(*r)).first;
  }
  return it->second;
}

struct F {
  std::string function;
  std::string file = "";
  int line = 0;
  std::string module = "";
};

inline model::Crash crash_with(model::Kind kind, std::initializer_list<F> frames) {
  model::Crash c;
  c.kind = kind;
  model::Thread t;
  t.crashing = true;
  for (const auto& f : frames) {
    model::Frame fr;
    fr.function = f.function;
    fr.file = f.file;
    fr.line = f.line;
    fr.module = f.module;
    t.frames.push_back(fr);
  }
  c.threads.push_back(t);
  return c;
}

} // namespace crashpilot::triage::testing
