// SPDX-License-Identifier: MIT
// Separate debug files: a stripped binary finds its DWARF through .gnu_debuglink or its build-id
// in the directories the caller names, a debug file of another build is refused, and debuginfod
// is never asked, whatever DEBUGINFOD_URLS says.
#include <util/child_process.hpp>
#include <util/temp_dir.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <gelf.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <symbolize/session.hpp>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>

#include "program.hpp"

namespace crashpilot::symbolize {
namespace {

namespace fs = std::filesystem;
using test::find_frame;

void run(const std::vector<std::string>& argv) {
  auto r = util::run_command(argv);
  ASSERT_TRUE(r) << r.error();
  ASSERT_TRUE(r->ok()) << argv[0] << ": " << r->err;
}

std::string build_id_hex(const std::string& file) {
  auto r = util::run_command({"readelf", "-n", file});
  if (!r || !r->ok()) {
    return {};
  }
  size_t at = r->out.find("Build ID: ");
  return at == std::string::npos ? std::string() : r->out.substr(at + 10, 40);
}

bool has_compressed_section(const std::string& file) {
  elf_version(EV_CURRENT);
  int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
  Elf* elf = elf_begin(fd, ELF_C_READ_MMAP, nullptr);
  bool found = false;
  for (Elf_Scn* scn = elf != nullptr ? elf_nextscn(elf, nullptr) : nullptr; scn != nullptr;
       scn = elf_nextscn(elf, scn)) {
    GElf_Shdr sh;
    found = found || (gelf_getshdr(scn, &sh) != nullptr && (sh.sh_flags & SHF_COMPRESSED) != 0);
  }
  elf_end(elf);
  ::close(fd);
  return found;
}

// A stripped copy of the test program (symbols and DWARF gone, a debuglink to app.debug left), a
// core of it, and its debug file kept aside.
class DebugFileTest : public ::testing::Test {
protected:
  static void SetUpTestSuite() {
    if (!test::have_gdb()) {
      return;
    }
    auto dir = util::TempDir::create("symbolize-debug-");
    ASSERT_TRUE(dir) << dir.error();
    s_dir = std::make_unique<util::TempDir>(std::move(*dir));
    const std::string& d = s_dir->path();
    fs::create_directories(d + "/bin");
    fs::create_directories(d + "/aside");
    std::string app = d + "/bin/app";
    run({"objcopy", "--only-keep-debug", test::program(), d + "/aside/app.debug"});
    run({"objcopy", "--strip-all", "--add-gnu-debuglink=" + d + "/aside/app.debug", test::program(),
         app});
    auto made = test::make_core(app, {"crash"}, d + "/core");
    ASSERT_TRUE(made) << made.error();
  }
  static void TearDownTestSuite() { s_dir.reset(); }
  void SetUp() override {
    if (s_dir == nullptr) {
      GTEST_SKIP() << "gdb is not installed: no core to read";
    }
  }

  static std::string path(const std::string& rel) { return s_dir->path() + "/" + rel; }

  // The crashing thread, symbolized with `debug_dirs`.
  static model::Thread crashing(const std::vector<std::string>& debug_dirs) {
    auto s = Session::open_core(path("core"), "", debug_dirs);
    EXPECT_TRUE(s) << s.error();
    auto raw = s->unwind();
    EXPECT_TRUE(raw) << raw.error();
    return s->symbolize(raw->front());
  }

  static inline std::unique_ptr<util::TempDir> s_dir;
};

TEST_F(DebugFileTest, StrippedBinaryWithoutDebugFilesHasModuleOffsetsOnly) {
  model::Thread t = crashing({});
  SCOPED_TRACE(test::dump(t));
  ASSERT_FALSE(t.frames.empty());
  EXPECT_EQ(t.frames[0].function, "") << "no symbol table, no DWARF";
  EXPECT_EQ(t.frames[0].file, "");
  EXPECT_EQ(t.frames[0].module, "app");
  EXPECT_TRUE(t.frames[0].offset);
  EXPECT_GE(find_frame(t, "start_thread"), 0) << "libc still has its names";
}

TEST_F(DebugFileTest, DebuglinkFoundInACallerDirectory) {
  model::Thread t = crashing({path("aside")});
  SCOPED_TRACE(test::dump(t));
  ASSERT_GE(t.frames.size(), 3u);
  EXPECT_EQ(t.frames[0].function, "symbolize_test::Unit::Health() const");
  EXPECT_EQ(t.frames[0].line, test::source_line("health"));
  EXPECT_EQ(t.frames[2].function, "symbolize_test::Damage(symbolize_test::Unit const*, int)")
      << "the symbol table comes from the debug file too";
}

TEST_F(DebugFileTest, BuildIdPathFoundInACallerDirectory) {
  std::string id = build_id_hex(path("bin/app"));
  ASSERT_EQ(id.size(), 40u);
  std::string dir = path("by-id/.build-id/" + id.substr(0, 2));
  fs::create_directories(dir);
  fs::copy_file(path("aside/app.debug"), dir + "/" + id.substr(2) + ".debug");
  model::Thread t = crashing({path("by-id")});
  SCOPED_TRACE(test::dump(t));
  EXPECT_EQ(t.frames.at(0).function, "symbolize_test::Unit::Health() const");
  EXPECT_EQ(t.frames.at(0).line, test::source_line("health"));
}

TEST_F(DebugFileTest, DebugFileOfAnotherBuildIsRefused) {
  // Same name, other build: the debug file of a one-line program.
  fs::create_directories(path("other"));
  std::string src = path("other/other.cpp");
  FILE* f = std::fopen(src.c_str(), "w");
  ASSERT_NE(f, nullptr);
  std::fputs("int main() { return 0; }\n", f);
  std::fclose(f);
  run({"c++", "-g", "-o", path("other/app"), src});
  run({"objcopy", "--only-keep-debug", path("other/app"), path("other/app.debug")});
  model::Thread t = crashing({path("other")});
  EXPECT_EQ(t.frames.at(0).file, "") << test::dump(t);
  EXPECT_EQ(t.frames.at(0).function, "");
}

TEST_F(DebugFileTest, CompressedDebugFileIsCachedUncompressedOnce) {
  fs::create_directories(path("zdebug"));
  run({"objcopy", "--compress-debug-sections=zlib", path("aside/app.debug"),
       path("zdebug/app.debug")});
  std::string cache = path("cache");
  SessionOptions options{{path("zdebug")}, cache};
  auto symbolize_once = [&] {
    auto s = Session::open_core(path("core"), "", options);
    EXPECT_TRUE(s) << s.error();
    auto raw = s->unwind();
    EXPECT_TRUE(raw);
    return s->symbolize(raw->front());
  };
  model::Thread first = symbolize_once();
  EXPECT_EQ(first.frames.at(0).function, "symbolize_test::Unit::Health() const")
      << test::dump(first);
  EXPECT_EQ(first.frames.at(0).line, test::source_line("health"));

  std::string id = build_id_hex(path("bin/app"));
  std::string copy = cache + "/" + id + ".debug";
  ASSERT_TRUE(fs::exists(copy)) << "no uncompressed copy in " << cache;
  EXPECT_FALSE(has_compressed_section(copy)) << copy;
  EXPECT_TRUE(has_compressed_section(path("zdebug/app.debug")));
  auto inode = [&] {
    struct stat st {};
    ::stat(copy.c_str(), &st);
    return st.st_ino;
  };
  auto before = inode();

  model::Thread second = symbolize_once();
  EXPECT_EQ(inode(), before) << "the copy was written again";
  ASSERT_EQ(first.frames.size(), second.frames.size());
  for (size_t i = 0; i < first.frames.size(); ++i) {
    EXPECT_EQ(first.frames[i].function, second.frames[i].function);
    EXPECT_EQ(first.frames[i].line, second.frames[i].line);
  }
  for (const auto& e : fs::directory_iterator(cache)) {
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos)
        << "a temporary was left: " << e.path();
  }
}

TEST_F(DebugFileTest, UncompressedDebugFilesAreNotCopied) {
  std::string cache = path("cache-plain");
  auto s = Session::open_core(path("core"), "", SessionOptions{{path("aside")}, cache});
  ASSERT_TRUE(s) << s.error();
  auto raw = s->unwind();
  ASSERT_TRUE(raw);
  EXPECT_EQ(s->symbolize(raw->front()).frames.at(0).line, test::source_line("health"));
  std::string id = build_id_hex(path("bin/app"));
  EXPECT_FALSE(fs::exists(cache + "/" + id + ".debug"));
}

// A TCP listener on localhost; connected() tells whether anyone came.
class Listener {
public:
  Listener() {
    m_fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    if (m_fd < 0 || ::bind(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
        ::listen(m_fd, 16) != 0 ||
        ::getsockname(m_fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
      return;
    }
    m_port = ntohs(a.sin_port);
  }
  Listener(const Listener&) = delete;
  Listener& operator=(const Listener&) = delete;
  ~Listener() {
    if (m_fd >= 0) {
      ::close(m_fd);
    }
  }
  int port() const { return m_port; }
  bool connected() {
    int c = ::accept4(m_fd, nullptr, nullptr, SOCK_CLOEXEC);
    if (c >= 0) {
      ::close(c);
      return true;
    }
    return false;
  }

private:
  int m_fd = -1;
  int m_port = 0;
};

TEST_F(DebugFileTest, DebuginfodIsNeverAsked) {
  Listener server;
  ASSERT_GT(server.port(), 0);
  std::string url = "http://127.0.0.1:" + std::to_string(server.port());
  std::string cache = path("debuginfod-cache");
  const char* old_urls = std::getenv("DEBUGINFOD_URLS");
  std::string saved = old_urls != nullptr ? old_urls : "";
  ::setenv("DEBUGINFOD_URLS", url.c_str(), 1);
  ::setenv("DEBUGINFOD_CACHE_PATH", cache.c_str(), 1);
  ::setenv("DEBUGINFOD_TIMEOUT", "2", 1);
  // The stripped program and libstdc++ have no local debug files: exactly what a debuginfod
  // client would go and fetch.
  auto s = Session::open_core(path("core"), "");
  ASSERT_TRUE(s) << s.error();
  auto raw = s->unwind();
  ASSERT_TRUE(raw);
  for (const auto& t : *raw) {
    s->symbolize(t);
  }
  s->modules();
  if (old_urls != nullptr) {
    ::setenv("DEBUGINFOD_URLS", saved.c_str(), 1);
  } else {
    ::unsetenv("DEBUGINFOD_URLS");
  }
  ::unsetenv("DEBUGINFOD_CACHE_PATH");
  ::unsetenv("DEBUGINFOD_TIMEOUT");
  EXPECT_FALSE(server.connected()) << "a debuginfod query reached " << url;
  EXPECT_FALSE(fs::exists(cache)) << "the debuginfod client was started";
}

} // namespace
} // namespace crashpilot::symbolize
