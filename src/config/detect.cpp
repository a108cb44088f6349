// SPDX-License-Identifier: MIT
#include <config/detect.hpp>
#include <util/file.hpp>
#include <util/string.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace crashpilot::config {

namespace {

namespace fs = std::filesystem;

// Build trees of a world server hold tens of thousands of files; the binary sits a few levels
// down (bin/, src/server/worldserver/, src/server/apps/worldserver/). Bounds keep a huge or
// unrelated directory from making init slow.
constexpr int k_max_search_depth = 6;
constexpr size_t k_max_search_entries = 200000;
constexpr std::string_view k_server_name = "worldserver";

bool is_dir(const fs::path& p) {
  std::error_code ec;
  return fs::is_directory(p, ec);
}

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

bool is_executable_file(const fs::path& p) {
  std::error_code ec;
  auto st = fs::status(p, ec);
  if (ec || !fs::is_regular_file(st)) {
    return false;
  }
  auto perms = st.permissions();
  return (perms & (fs::perms::owner_exec | fs::perms::group_exec | fs::perms::others_exec)) !=
         fs::perms::none;
}

// A small text file's contents, or "" when it is missing, large or unreadable: detection is
// best effort and never fails on one odd file.
std::string small_text(const fs::path& p) {
  if (!is_file(p)) {
    return {};
  }
  auto text = util::read_file(p.string(), {size_t{4} << 20});
  return text ? std::move(*text) : std::string();
}

std::string normalized(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return (ec ? fs::absolute(p, ec) : c).lexically_normal().string();
}

std::vector<std::string> subdirectories(const fs::path& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec)) {
    if (it->is_directory(ec) && !it->is_symlink(ec)) {
      names.push_back(it->path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

void detect_kind(TreeInfo& t) {
  fs::path root(t.root);
  std::string cmake = small_text(root / "CMakeLists.txt");
  // AzerothCore derives from TrinityCore and may still name it, so it is recognised first.
  if (is_file(root / "acore.json")) {
    t.evidence.emplace_back("acore.json");
  }
  if (cmake.find("AzerothCore") != std::string::npos) {
    t.evidence.emplace_back("CMakeLists.txt names AzerothCore");
  }
  if (!t.evidence.empty()) {
    t.kind = TreeKind::azerothcore;
    if (is_dir(root / "apps")) {
      t.evidence.emplace_back("apps/");
    }
    if (is_dir(root / "src/server/apps/worldserver")) {
      t.evidence.emplace_back("src/server/apps/worldserver/");
    }
    for (const auto& name : subdirectories(root / "modules")) {
      if (name.starts_with("mod-")) {
        t.modules.push_back(name);
      }
    }
    if (!t.modules.empty()) {
      t.evidence.push_back(fmt::format("modules/ with {}", util::join(t.modules, ", ")));
    }
    return;
  }
  if (is_dir(root / "src/server/worldserver")) {
    t.evidence.emplace_back("src/server/worldserver/");
  }
  if (cmake.find("TrinityCore") != std::string::npos) {
    t.evidence.emplace_back("CMakeLists.txt names TrinityCore");
  }
  for (const char* revision : {"revision_data.h.in.cmake", "revision.h.in.cmake"}) {
    if (small_text(root / revision).find("TrinityCore") != std::string::npos) {
      t.evidence.push_back(fmt::format("{} names TrinityCore", revision));
    }
  }
  if (!t.evidence.empty()) {
    t.kind = TreeKind::trinitycore;
  }
}

void detect_playerbot(TreeInfo& t) {
  fs::path root(t.root);
  if (is_dir(root / "src/modules/Playerbot")) {
    t.playerbot = "src/modules/Playerbot";
    return;
  }
  for (const auto& name : subdirectories(root / "modules")) {
    if (util::icontains(name, "playerbot")) {
      t.playerbot = "modules/" + name;
      return;
    }
  }
}

// Build directories that may belong to the tree: its own children (build/, _build, out/) and
// their children (build/release), AzerothCore's acore.sh build directory, and siblings named
// after the usual conventions (../build, ../TrinityCore-build).
std::vector<fs::path> build_candidates(const fs::path& root) {
  std::vector<fs::path> out;
  for (const auto& name : subdirectories(root)) {
    if (name == ".git") {
      continue;
    }
    out.push_back(root / name);
    std::string lower = util::to_lower(name);
    if (lower.starts_with("build") || lower.starts_with("_build") || lower.starts_with("out") ||
        lower.starts_with("cmake-build")) {
      for (const auto& sub : subdirectories(root / name)) {
        out.push_back(root / name / sub);
      }
    }
  }
  out.push_back(root / "var/build/obj");
  fs::path parent = root.parent_path();
  std::string base = root.filename().string();
  if (!parent.empty() && parent != root) {
    for (const auto& name : {std::string("build"), "build-" + base, "build_" + base,
                             base + "-build", base + "_build"}) {
      out.push_back(parent / name);
    }
  }
  return out;
}

std::optional<fs::path> find_conf(const std::vector<fs::path>& dirs, std::string_view name) {
  for (const auto& d : dirs) {
    if (is_file(d / name)) {
      return d / name;
    }
  }
  return std::nullopt;
}

ServerBinary describe_server(const fs::path& binary, const std::string& install_prefix) {
  ServerBinary s;
  s.path = normalized(binary);
  fs::path dir = binary.parent_path();
  std::vector<fs::path> dirs = {dir, dir.parent_path() / "etc", dir / "etc"};
  if (!install_prefix.empty()) {
    dirs.push_back(fs::path(install_prefix) / "etc");
  }
  if (auto conf = find_conf(dirs, "worldserver.conf")) {
    s.conf = normalized(*conf);
    s.logs_dir = worldserver_logs_dir(small_text(*conf));
  } else if (auto dist = find_conf(dirs, "worldserver.conf.dist")) {
    s.conf_dist = normalized(*dist);
  }
  return s;
}

// The shallowest executable named worldserver under `dir`.
std::optional<fs::path> search_binary(const fs::path& dir) {
  std::optional<fs::path> best;
  int best_depth = k_max_search_depth + 1;
  size_t seen = 0;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  for (fs::recursive_directory_iterator end; !ec && it != end; it.increment(ec)) {
    if (++seen > k_max_search_entries) {
      break;
    }
    const auto& entry = *it;
    std::string name = entry.path().filename().string();
    if (entry.is_directory(ec)) {
      if (it.depth() >= k_max_search_depth || name == "CMakeFiles" || name == ".git" ||
          entry.is_symlink(ec)) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (name == k_server_name && it.depth() < best_depth && is_executable_file(entry.path())) {
      best = entry.path();
      best_depth = it.depth();
    }
  }
  return best;
}

std::optional<ServerBinary> find_server(const BuildDir& b) {
  // An installed, configured server (PREFIX/bin with PREFIX/etc/worldserver.conf) is what users
  // run; a binary in the build tree is the next best.
  if (!b.install_prefix.empty()) {
    fs::path prefix(b.install_prefix);
    fs::path bin = prefix / "bin" / k_server_name;
    if (is_executable_file(bin) && is_file(prefix / "etc/worldserver.conf")) {
      return describe_server(bin, b.install_prefix);
    }
  }
  if (auto bin = search_binary(b.path)) {
    return describe_server(*bin, b.install_prefix);
  }
  return std::nullopt;
}

void detect_build(TreeInfo& t) {
  fs::path root(t.root);
  struct Found {
    BuildDir dir;
    fs::file_time_type cache_time;
  };
  std::vector<Found> found;
  for (const auto& candidate : build_candidates(root)) {
    fs::path cache = candidate / "CMakeCache.txt";
    std::string text = small_text(cache);
    std::string home = cmake_cache_value(text, "CMAKE_HOME_DIRECTORY");
    if (home.empty() || normalized(home) != t.root) {
      continue;
    }
    std::string path = normalized(candidate);
    if (std::any_of(found.begin(), found.end(),
                    [&](const Found& f) { return f.dir.path == path; })) {
      continue;
    }
    Found f;
    f.dir.path = path;
    f.dir.install_prefix = cmake_cache_value(text, "CMAKE_INSTALL_PREFIX");
    if (t.kind != TreeKind::generic) {
      f.dir.server = find_server(f.dir);
    }
    std::error_code ec;
    f.cache_time = fs::last_write_time(cache, ec);
    found.push_back(std::move(f));
  }
  if (found.empty()) {
    return;
  }
  // The one with a server, then the most recently configured.
  auto better = [](const Found& a, const Found& b) {
    if (a.dir.server.has_value() != b.dir.server.has_value()) {
      return a.dir.server.has_value();
    }
    return a.cache_time > b.cache_time;
  };
  std::stable_sort(found.begin(), found.end(), better);
  t.build = found.front().dir;
  for (size_t i = 1; i < found.size(); ++i) {
    t.other_builds.push_back(found[i].dir.path);
  }
}

} // namespace

std::string_view to_string(TreeKind kind) {
  switch (kind) {
  case TreeKind::trinitycore:
    return "TrinityCore";
  case TreeKind::azerothcore:
    return "AzerothCore";
  case TreeKind::generic:
    break;
  }
  return "generic";
}

std::string TreeInfo::preset() const {
  return kind == TreeKind::generic ? "generic" : "trinitycore";
}

std::string cmake_cache_value(std::string_view cache_text, std::string_view key) {
  // Entries are KEY:TYPE=VALUE, one a line.
  for (auto line : util::split(cache_text, '\n')) {
    line = util::trim(line);
    if (!line.starts_with(key) || line.size() <= key.size() || line[key.size()] != ':') {
      continue;
    }
    size_t eq = line.find('=');
    if (eq != std::string_view::npos) {
      return std::string(util::trim(line.substr(eq + 1)));
    }
  }
  return {};
}

std::string worldserver_logs_dir(std::string_view conf_text) {
  for (auto line : util::split(conf_text, '\n')) {
    line = util::trim(line);
    if (!line.starts_with("LogsDir")) {
      continue;
    }
    auto rest = util::trim(line.substr(7));
    if (!rest.starts_with('=')) {
      continue;
    }
    auto value = util::trim(rest.substr(1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    }
    return std::string(value);
  }
  return {};
}

util::Expected<TreeInfo> detect_tree(const std::string& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    return util::error(fmt::format("{}: not a directory", root));
  }
  TreeInfo t;
  t.root = normalized(root);
  detect_kind(t);
  detect_playerbot(t);
  detect_build(t);
  return t;
}

} // namespace crashpilot::config
