// SPDX-License-Identifier: MIT
// Build logs as gcc 12, clang 14, GNU ld, ninja, make and CMake print them (captured from real runs
// on Debian bookworm), plus a live compile with whatever compilers are installed.
#include <util/child_process.hpp>
#include <util/file.hpp>
#include <util/temp_dir.hpp>

#include <fix/build_log.hpp>
#include <gtest/gtest.h>

#include <algorithm>

using namespace crashpilot;
using fix::build_errors;

namespace {

const char* k_ninja_gcc = R"(ninja: Entering directory `build'
[1/4] Building CXX object CMakeFiles/p.dir/src/ok.cpp.o
[2/4] Building CXX object CMakeFiles/p.dir/src/BotAI.cpp.o
FAILED: CMakeFiles/p.dir/src/BotAI.cpp.o 
/usr/bin/c++    -MD -MT CMakeFiles/p.dir/src/BotAI.cpp.o -MF CMakeFiles/p.dir/src/BotAI.cpp.o.d -o CMakeFiles/p.dir/src/BotAI.cpp.o -c /tmp/hg/src/BotAI.cpp
/tmp/hg/src/BotAI.cpp: In function ‘int damage(Unit*)’:
/tmp/hg/src/BotAI.cpp:3:13: error: ‘struct Unit’ has no member named ‘mana’
    3 |   return u->mana;
      |             ^~~~
ninja: build stopped: subcommand failed.
)";

const char* k_clang = R"(broken.cpp:1:10: fatal error: 'missing_header.h' file not found
#include "missing_header.h"
         ^~~~~~~~~~~~~~~~~~
1 error generated.
broken2.cpp:3:13: error: no member named 'mana' in 'Unit'
  return u->mana;
         ~  ^
1 error generated.
)";

const char* k_link = R"(/usr/bin/ld: /tmp/ccBSdZZ3.o: in function `main':
link.cpp:(.text+0x5): undefined reference to `never_defined()'
collect2: error: ld returned 1 exit status
)";

const char* k_make = R"([ 50%] Building CXX object CMakeFiles/p.dir/tmp/hg/broken2.cpp.o
/tmp/hg/broken2.cpp: In function ‘int damage(Unit*)’:
/tmp/hg/broken2.cpp:3:13: error: ‘struct Unit’ has no member named ‘mana’
    3 |   return u->mana;
      |             ^~~~
gmake[2]: *** [CMakeFiles/p.dir/build.make:76: CMakeFiles/p.dir/tmp/hg/broken2.cpp.o] Error 1
gmake[1]: *** [CMakeFiles/Makefile2:83: CMakeFiles/p.dir/all] Error 2
gmake: *** [Makefile:91: all] Error 2
)";

const char* k_cmake = R"(-- The CXX compiler identification is GNU 12.2.0
-- Detecting CXX compiler ABI info - done
CMake Error at CMakeLists.txt:3 (find_package):
  By not providing "FindNoSuchPkg.cmake" in CMAKE_MODULE_PATH this project
  has asked CMake to find a package configuration file provided by
  "NoSuchPkg", but CMake did not find one.

  Could not find a package configuration file provided by "NoSuchPkg" with
  any of the following names:

    NoSuchPkgConfig.cmake
    nosuchpkg-config.cmake


-- Configuring incomplete, errors occurred!
See also "/tmp/hg/proj2/b/CMakeFiles/CMakeOutput.log".
)";

bool has(const std::vector<std::string>& lines, const std::string& needle) {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const std::string& l) { return l.find(needle) != std::string::npos; });
}

std::string joined(const std::vector<std::string>& lines) {
  std::string s;
  for (const auto& l : lines) {
    s += l + "\n";
  }
  return s;
}

} // namespace

TEST(BuildLog, Gcc12UnderNinja) {
  auto e = build_errors(k_ninja_gcc, 80);
  EXPECT_EQ(joined(e), "FAILED: CMakeFiles/p.dir/src/BotAI.cpp.o \n"
                       "/tmp/hg/src/BotAI.cpp: In function ‘int damage(Unit*)’:\n"
                       "/tmp/hg/src/BotAI.cpp:3:13: error: ‘struct Unit’ has no member named "
                       "‘mana’\n"
                       "    3 |   return u->mana;\n"
                       "      |             ^~~~\n")
      << joined(e);
}

TEST(BuildLog, Clang14SourceAndCaretLines) {
  auto e = build_errors(k_clang, 80);
  EXPECT_EQ(joined(e), "broken.cpp:1:10: fatal error: 'missing_header.h' file not found\n"
                       "#include \"missing_header.h\"\n"
                       "         ^~~~~~~~~~~~~~~~~~\n"
                       "broken2.cpp:3:13: error: no member named 'mana' in 'Unit'\n"
                       "  return u->mana;\n"
                       "         ~  ^\n")
      << joined(e);
}

TEST(BuildLog, LinkerErrors) {
  auto e = build_errors(k_link, 80);
  EXPECT_EQ(joined(e), "/usr/bin/ld: /tmp/ccBSdZZ3.o: in function `main':\n"
                       "link.cpp:(.text+0x5): undefined reference to `never_defined()'\n"
                       "collect2: error: ld returned 1 exit status\n")
      << joined(e);
  auto clang = build_errors("/usr/bin/ld: /tmp/link-2f269e.o: in function `main':\n"
                            "link.cpp:(.text+0x5): undefined reference to `never_defined()'\n"
                            "clang: error: linker command failed with exit code 1 (use -v to see "
                            "invocation)\n",
                            80);
  EXPECT_EQ(clang.size(), 3u) << joined(clang);
  EXPECT_TRUE(
      has(build_errors("/usr/bin/ld: cannot find -lmysqlclient: No such file or directory\n", 80),
          "cannot find -lmysqlclient"));
}

TEST(BuildLog, MakeAndCMake) {
  auto m = build_errors(k_make, 80);
  EXPECT_TRUE(has(m, "error: ‘struct Unit’ has no member named ‘mana’")) << joined(m);
  EXPECT_TRUE(has(m, "gmake[2]: *** [CMakeFiles/p.dir/build.make:76")) << joined(m);
  EXPECT_TRUE(has(m, "gmake: *** [Makefile:91: all] Error 2")) << joined(m);
  EXPECT_FALSE(has(m, "[ 50%]"));

  auto c = build_errors(k_cmake, 80);
  ASSERT_FALSE(c.empty());
  EXPECT_EQ(c.front(), "CMake Error at CMakeLists.txt:3 (find_package):");
  EXPECT_TRUE(has(c, "nosuchpkg-config.cmake")) << joined(c);
  EXPECT_FALSE(has(c, "Configuring incomplete")) << joined(c);
  EXPECT_FALSE(c.back().empty());
}

TEST(BuildLog, WarningsAreNotErrorsButWerrorIs) {
  auto e = build_errors("a.cpp:1:5: warning: unused variable ‘x’ [-Wunused-variable]\n"
                        "    1 | int x;\n"
                        "a.cpp:2:5: error: unused variable ‘y’ [-Werror=unused-variable]\n",
                        80);
  EXPECT_EQ(joined(e), "a.cpp:2:5: error: unused variable ‘y’ [-Werror=unused-variable]\n");
}

TEST(BuildLog, ColoursDuplicatesAndTheCap) {
  std::string coloured =
      "\x1b[01m\x1b[Ka.cpp:3:1:\x1b[m\x1b[K \x1b[01;31m\x1b[Kerror: \x1b[m\x1b[Kbad\n";
  auto e = build_errors(coloured + coloured, 80);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0], "a.cpp:3:1: error: bad");

  std::string many;
  for (int i = 0; i < 50; ++i) {
    many += "f.cpp:" + std::to_string(i + 1) + ":1: error: e" + std::to_string(i) + "\n";
  }
  auto capped = build_errors(many, 10);
  ASSERT_EQ(capped.size(), 10u);
  EXPECT_EQ(capped.back(), "[... 41 more error lines]");

  std::string huge = "g.cpp:1:1: error: " + std::string(5000, 'x') + "\n";
  EXPECT_LT(build_errors(huge, 5)[0].size(), 450u);
}

TEST(BuildLog, FeedbackPutsErrorsFirstThenTheTail) {
  std::string log;
  for (int i = 0; i < 100; ++i) {
    log += "[" + std::to_string(i) + "/200] Building CXX object x" + std::to_string(i) + ".o\n";
  }
  log += k_ninja_gcc;
  std::string fb = fix::feedback(log, 20);
  EXPECT_EQ(fb.rfind("Build errors:\n", 0), 0u) << fb;
  size_t errors_at = fb.find("error: ‘struct Unit’");
  size_t tail_at = fb.find("Last 15 lines of the build log:");
  ASSERT_NE(errors_at, std::string::npos) << fb;
  ASSERT_NE(tail_at, std::string::npos) << fb;
  EXPECT_LT(errors_at, tail_at);
  EXPECT_NE(fb.find("ninja: build stopped", tail_at), std::string::npos);
  EXPECT_EQ(fb.find("[80/200]"), std::string::npos) << fb; // older than the last 15 lines

  // Nothing recognised: the tail alone; a short log: all of it.
  std::string odd;
  for (int i = 0; i < 30; ++i) {
    odd += "step " + std::to_string(i) + " went wrong somehow\n";
  }
  std::string t = fix::feedback(odd, 10);
  EXPECT_NE(t.find("no error line recognized"), std::string::npos);
  EXPECT_NE(t.find("step 29"), std::string::npos);
  EXPECT_EQ(t.find("step 19 "), std::string::npos);
  EXPECT_EQ(fix::feedback("one\ntwo\n\n", 10), "Build log:\none\ntwo\n");
  EXPECT_EQ(fix::log_tail("a\nb\nc\n\n", 2), "b\nc\n");
}

// A real compile of a broken file with each installed compiler: the error comes back.
TEST(BuildLog, LiveCompilerOutput) {
  auto dir = util::TempDir::create("crashpilot-buildlog-");
  ASSERT_TRUE(dir) << dir.error();
  std::string src = dir->path() + "/broken.cpp";
  ASSERT_TRUE(util::write_file_atomic(src, "struct Unit { int hp; };\n"
                                           "int damage(Unit* u) {\n"
                                           "  return u->mana;\n"
                                           "}\n"));
  int compilers = 0;
  for (std::string cxx : {"g++", "clang++"}) {
    util::RunOptions ro;
    ro.env_set["LC_ALL"] = "C";
    auto r = util::run_command({cxx, "-fsyntax-only", src}, ro);
    if (!r) {
      continue; // not installed
    }
    ++compilers;
    EXPECT_NE(r->exit_code, 0);
    auto e = build_errors(r->err, 20);
    ASSERT_FALSE(e.empty()) << cxx << ":\n" << r->err;
    EXPECT_TRUE(has(e, "broken.cpp:3:13: error:")) << cxx << ":\n" << joined(e);
    EXPECT_TRUE(has(e, "mana")) << cxx;
    EXPECT_TRUE(has(e, "return u->mana;")) << cxx << ":\n" << joined(e); // the source line
  }
  if (compilers == 0) {
    GTEST_SKIP() << "neither g++ nor clang++ is installed";
  }
}
