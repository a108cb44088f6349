// SPDX-License-Identifier: MIT
// Tree detection on fake trees built in temporary directories: the files that mark a TrinityCore
// or AzerothCore checkout, build directories with their CMakeCache.txt, worldserver binaries.
#include <config/detect.hpp>
#include <util/file.hpp>
#include <util/temp_dir.hpp>

#include <gtest/gtest.h>

#include <filesystem>

using namespace crashpilot::config;
namespace fs = std::filesystem;
using crashpilot::util::TempDir;

namespace {

class FakeTree {
public:
  FakeTree() {
    auto d = TempDir::create("detect-test-");
    EXPECT_TRUE(d) << d.error();
    m_dir = std::move(*d);
    m_root = fs::weakly_canonical(m_dir.path() + "/repo").string();
    fs::create_directories(m_root);
  }
  const std::string& root() const { return m_root; }
  std::string outside(const std::string& rel) const { return m_dir.path() + "/" + rel; }

  void file(const std::string& rel, const std::string& text = "") const {
    write(m_root + "/" + rel, text);
  }
  void dir(const std::string& rel) const { fs::create_directories(m_root + "/" + rel); }
  static void write(const std::string& path, const std::string& text) {
    fs::create_directories(fs::path(path).parent_path());
    ASSERT_TRUE(crashpilot::util::write_file_atomic(path, text));
  }
  static void executable(const std::string& path) {
    write(path, "#!/bin/sh\n");
    fs::permissions(path, fs::perms::owner_all);
  }
  // A CMake build directory at `path` configured from `home`.
  static void build_dir(const std::string& path, const std::string& home,
                        const std::string& prefix = "/usr/local") {
    write(path + "/CMakeCache.txt", "# This is the CMakeCache file.\n"
                                    "CMAKE_BUILD_TYPE:STRING=RelWithDebInfo\n"
                                    "CMAKE_INSTALL_PREFIX:PATH=" +
                                        prefix + "\nCMAKE_HOME_DIRECTORY:INTERNAL=" + home + "\n");
  }

private:
  TempDir m_dir;
  std::string m_root;
};

} // namespace

TEST(Detect, CMakeCacheValuesAndLogsDir) {
  std::string cache =
      "//comment\nCMAKE_HOME_DIRECTORY:INTERNAL=/src/tc\n"
      "CMAKE_HOME_DIRECTORY_X:INTERNAL=/nope\nCMAKE_INSTALL_PREFIX:PATH= /opt/tc \n";
  EXPECT_EQ(cmake_cache_value(cache, "CMAKE_HOME_DIRECTORY"), "/src/tc");
  EXPECT_EQ(cmake_cache_value(cache, "CMAKE_INSTALL_PREFIX"), "/opt/tc");
  EXPECT_EQ(cmake_cache_value(cache, "CMAKE_BUILD_TYPE"), "");
  // Comment lines are skipped.
  EXPECT_EQ(worldserver_logs_dir("# LogsDir = \"x\"\n###\nLogsDir = \"/var/log/tc\"\n"),
            "/var/log/tc");
  EXPECT_EQ(worldserver_logs_dir("LogsDirX = 1\n  LogsDir   =   \"logs\"  \r\n"), "logs");
  EXPECT_EQ(worldserver_logs_dir("LogsDir = \"\"\n"), "");
  EXPECT_EQ(worldserver_logs_dir("DataDir = \".\"\n"), "");
}

TEST(Detect, TrinityCoreWithPlaybotBuildAndServer) {
  FakeTree t;
  t.file("CMakeLists.txt", "project(TrinityCore)\n");
  t.file("revision_data.h.in.cmake", "#define _PACKAGENAME \"TrinityCore\"\n");
  t.dir("src/server/worldserver");
  t.dir("src/modules/Playerbot/AI");
  FakeTree::build_dir(t.root() + "/build", t.root());
  FakeTree::executable(t.root() + "/build/bin/worldserver");
  t.file("build/etc/worldserver.conf", "LogsDir = \"logs\"\n");

  auto info = detect_tree(t.root());
  ASSERT_TRUE(info) << info.error();
  EXPECT_EQ(info->kind, TreeKind::trinitycore);
  EXPECT_EQ(info->preset(), "trinitycore");
  EXPECT_EQ(info->root, t.root());
  EXPECT_EQ(info->evidence,
            (std::vector<std::string>{"src/server/worldserver/", "CMakeLists.txt names TrinityCore",
                                      "revision_data.h.in.cmake names TrinityCore"}));
  EXPECT_EQ(info->playerbot, "src/modules/Playerbot");
  ASSERT_TRUE(info->build);
  EXPECT_EQ(info->build->path, t.root() + "/build");
  ASSERT_TRUE(info->build->server);
  EXPECT_EQ(info->build->server->path, t.root() + "/build/bin/worldserver");
  EXPECT_EQ(info->build->server->conf, t.root() + "/build/etc/worldserver.conf");
  EXPECT_EQ(info->build->server->logs_dir, "logs");
  EXPECT_TRUE(info->other_builds.empty());
}

TEST(Detect, AzerothCorePrefersTheInstalledConfiguredServer) {
  FakeTree t;
  t.file("acore.json", "{\"name\": \"azerothcore-wotlk\"}\n");
  // AzerothCore's CMakeLists may still credit TrinityCore; AzerothCore wins.
  t.file("CMakeLists.txt", "# Copyright TrinityCore\nproject(AzerothCore)\n");
  t.dir("apps/installer");
  t.dir("src/server/apps/worldserver");
  t.dir("modules/mod-playerbots/src");
  t.dir("modules/mod-ah-bot");
  t.dir("modules/not-a-module");
  std::string prefix = t.root() + "/env/dist";
  FakeTree::build_dir(t.root() + "/var/build/obj", t.root(), prefix);
  FakeTree::executable(t.root() + "/var/build/obj/src/server/apps/worldserver/worldserver");
  FakeTree::executable(prefix + "/bin/worldserver");
  FakeTree::write(prefix + "/etc/worldserver.conf", "LogsDir = \"\"\n");

  auto info = detect_tree(t.root());
  ASSERT_TRUE(info) << info.error();
  EXPECT_EQ(info->kind, TreeKind::azerothcore);
  EXPECT_EQ(info->preset(), "trinitycore");
  EXPECT_EQ(info->modules, (std::vector<std::string>{"mod-ah-bot", "mod-playerbots"}));
  EXPECT_EQ(info->playerbot, "modules/mod-playerbots");
  ASSERT_TRUE(info->build && info->build->server);
  EXPECT_EQ(info->build->path, t.root() + "/var/build/obj");
  EXPECT_EQ(info->build->install_prefix, prefix);
  EXPECT_EQ(info->build->server->path, prefix + "/bin/worldserver");
  EXPECT_EQ(info->build->server->conf, prefix + "/etc/worldserver.conf");
  EXPECT_EQ(info->build->server->logs_dir, "");
}

TEST(Detect, BuildTreeBinaryAndConfDistOnly) {
  FakeTree t;
  t.dir("src/server/worldserver");
  FakeTree::build_dir(t.root() + "/_build", t.root());
  FakeTree::executable(t.root() + "/_build/src/server/worldserver/worldserver");
  t.file("_build/src/server/worldserver/worldserver.conf.dist", "LogsDir = \"\"\n");
  // Not executable: a source file of that name is no server.
  t.file("src/server/worldserver/worldserver", "");

  auto info = detect_tree(t.root());
  ASSERT_TRUE(info && info->build && info->build->server);
  EXPECT_EQ(info->kind, TreeKind::trinitycore);
  EXPECT_EQ(info->build->server->path, t.root() + "/_build/src/server/worldserver/worldserver");
  EXPECT_EQ(info->build->server->conf, "");
  EXPECT_EQ(info->build->server->conf_dist,
            t.root() + "/_build/src/server/worldserver/worldserver.conf.dist");
}

TEST(Detect, OnlyBuildDirectoriesOfThisTreeAndTheOneWithAServerFirst) {
  FakeTree t;
  t.file("CMakeLists.txt", "project(TrinityCore)\n");
  // Another checkout's build directory inside this tree is not ours.
  FakeTree::build_dir(t.root() + "/build-other", "/somewhere/else");
  FakeTree::executable(t.root() + "/build-other/bin/worldserver");
  // Two of ours: build/debug without a server, ../build (a sibling) with one.
  FakeTree::build_dir(t.root() + "/build/debug", t.root());
  FakeTree::build_dir(t.outside("build"), t.root());
  FakeTree::executable(t.outside("build/bin/worldserver"));

  auto info = detect_tree(t.root());
  ASSERT_TRUE(info && info->build);
  EXPECT_EQ(info->build->path, fs::weakly_canonical(t.outside("build")).string());
  ASSERT_TRUE(info->build->server);
  EXPECT_EQ(info->other_builds, std::vector<std::string>{t.root() + "/build/debug"});
}

TEST(Detect, UnknownTreeIsGenericWithItsBuildButNoServerSearch) {
  FakeTree t;
  t.file("CMakeLists.txt", "project(MyServer)\n");
  t.dir("src");
  FakeTree::build_dir(t.root() + "/build", t.root());
  FakeTree::executable(t.root() + "/build/worldserver");

  auto info = detect_tree(t.root());
  ASSERT_TRUE(info) << info.error();
  EXPECT_EQ(info->kind, TreeKind::generic);
  EXPECT_EQ(info->preset(), "generic");
  EXPECT_TRUE(info->evidence.empty());
  EXPECT_EQ(info->playerbot, "");
  ASSERT_TRUE(info->build);
  EXPECT_FALSE(info->build->server);
}

TEST(Detect, EmptyTreeAndMissingDirectory) {
  FakeTree t;
  auto info = detect_tree(t.root());
  ASSERT_TRUE(info) << info.error();
  EXPECT_EQ(info->kind, TreeKind::generic);
  EXPECT_FALSE(info->build);

  auto missing = detect_tree(t.root() + "/nope");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().find("not a directory"), std::string::npos) << missing.error();
}
