// SPDX-License-Identifier: MIT
#pragma once

// crashpilot's configuration: a built-in preset, then crashpilot.toml, then CRASHPILOT_* environment
// variables, then command-line overrides, each layer over the one before. Tables merge key by key;
// an array replaces the array below it, and a key named `<name>_add` appends to `<name>` instead.
// Every value remembers where it came from, for `crashpilot config print`.
//
// The tree is exposed as nlohmann::json (which the model already uses) so stages read their section
// without including tomlplusplus.

#include <util/expected.hpp>

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::config {

struct LoadOptions {
  std::string preset;                  // "" = the file's `preset` key, else "trinitycore"
  std::optional<std::string> file;     // an explicit --config FILE (must exist)
  bool search_default_file = true;     // else ./crashpilot.toml when present
  std::vector<std::string> overrides;  // "key.path=value" from --set
  std::map<std::string, std::string> environment; // CRASHPILOT_A__B=... (tests pass their own)
};

class Config {
public:
  static util::Expected<Config> load(const LoadOptions& options);
  // A config from TOML text alone (no preset), for tests and for presets themselves.
  static util::Expected<Config> from_toml(std::string_view text, std::string_view origin);

  const nlohmann::json& tree() const { return m_tree; }
  // The value at a dotted path ("triage.bot_patterns"), or nullptr.
  const nlohmann::json* find(std::string_view dotted) const;
  std::string get_string(std::string_view dotted, std::string_view fallback = "") const;
  int64_t get_int(std::string_view dotted, int64_t fallback) const;
  bool get_bool(std::string_view dotted, bool fallback) const;
  std::vector<std::string> get_strings(std::string_view dotted) const;

  // Where the value at `dotted` came from: "preset trinitycore", "crashpilot.toml:12", "env ...".
  std::string origin(std::string_view dotted) const;
  const std::string& preset() const { return m_preset; }
  // The merged configuration as TOML, each value followed by a comment naming its origin.
  std::string to_toml(bool with_origins = true) const;

private:
  void merge(const Config& over);

  nlohmann::json m_tree = nlohmann::json::object();
  std::map<std::string, std::string> m_origins;
  std::string m_preset;
};

// Names of the built-in presets and their TOML text.
std::vector<std::string> preset_names();
std::optional<std::string_view> preset_text(std::string_view name);

} // namespace crashpilot::config
