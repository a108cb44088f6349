// SPDX-License-Identifier: MIT
#pragma once

// What kind of source tree `crashpilot init` runs in, so the configuration it writes starts from
// facts instead of placeholders: a TrinityCore or AzerothCore checkout (and which preset fits),
// a Playerbot module in it, the user's existing CMake build directory of that checkout, and the
// worldserver binary and configuration in that build. Detection only reads; unknown trees are
// "generic", and anything not found stays empty for the caller to turn into a commented hint.

#include <util/expected.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crashpilot::config {

enum class TreeKind { generic, trinitycore, azerothcore };

std::string_view to_string(TreeKind kind);

struct ServerBinary {
  std::string path;      // absolute
  std::string conf;      // absolute path of worldserver.conf ("" = none found)
  std::string conf_dist; // worldserver.conf.dist found where no .conf is ("" = none)
  std::string logs_dir;  // LogsDir from the conf, as written there ("" = unset)
};

struct BuildDir {
  std::string path;           // absolute
  std::string install_prefix; // CMAKE_INSTALL_PREFIX from its cache ("" = unset)
  std::optional<ServerBinary> server;
};

struct TreeInfo {
  std::string root; // absolute, normalized
  TreeKind kind = TreeKind::generic;
  std::vector<std::string> evidence; // the facts the kind rests on, one each
  std::string playerbot;             // root-relative directory of a Playerbot module ("" = none)
  std::vector<std::string> modules;  // AzerothCore modules/mod-* directory names
  std::optional<BuildDir> build;     // the build directory chosen
  std::vector<std::string> other_builds; // further build directories of this tree (absolute)

  // The built-in preset for this tree: trinitycore for the TrinityCore family, else generic.
  std::string preset() const;
};

// Looks at `root` (a directory). Errors only when `root` itself cannot be read.
util::Expected<TreeInfo> detect_tree(const std::string& root);

// CMakeCache.txt values ("" = absent): CMAKE_HOME_DIRECTORY (the source tree a build directory
// belongs to) and CMAKE_INSTALL_PREFIX.
std::string cmake_cache_value(std::string_view cache_text, std::string_view key);

// The LogsDir setting of a worldserver.conf text ("" = absent or empty).
std::string worldserver_logs_dir(std::string_view conf_text);

} // namespace crashpilot::config
