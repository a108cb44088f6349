// SPDX-License-Identifier: MIT
#include <parse/scan.hpp>
#include <parse/scan_kernel.hpp>

#include <gtest/gtest.h>
#include <string>
#include <vector>

using namespace crashpilot::parse;

namespace {
std::string filler(size_t lines, size_t seed = 0) {
  std::string out;
  for (size_t i = 0; i < lines; ++i) {
    out += "2024-05-01 10:00:00 INFO  [server] player " + std::to_string(i + seed) + " moved to map 571 zone 67\n";
  }
  return out;
}
size_t line_of(std::string_view text, size_t pos) {
  size_t n = 1;
  for (size_t i = 0; i < pos; ++i) {
    n += text[i] == '\n';
  }
  return n;
}
} // namespace

TEST(Scan, SmallTextIsOneRegion) {
  auto r = find_regions("no anchors at all\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_TRUE(find_regions("").empty());
}

TEST(Scan, FindsReportsInABigLogWithLineNumbers) {
  std::string text = filler(20000);
  size_t a = text.size();
  text += "#0  0x00005555 in Map::Update (this=0x0) at Map.cpp:12\n#1  0x0000 in World::Update () at World.cpp:3\n";
  text += filler(20000, 7);
  size_t b = text.size();
  text += "Exception code: C0000005 ACCESS_VIOLATION\n";
  text += filler(20000, 9);
  ScanOptions o;
  o.whole_text_below = 1024;
  o.lines_before = 10;
  o.lines_after = 20;
  auto regions = find_regions(text, o);
  ASSERT_EQ(regions.size(), 2u);
  EXPECT_LE(regions[0].begin, a);
  EXPECT_GE(regions[0].end, a + 60);
  EXPECT_EQ(regions[0].first_line_number, line_of(text, regions[0].begin));
  EXPECT_EQ(regions[0].first_line_number, 20001u - 10u);
  EXPECT_LE(regions[1].begin, b);
  EXPECT_GT(regions[1].end, b);
  EXPECT_EQ(regions[1].first_line_number, line_of(text, regions[1].begin));
  // 10 lines before and the anchor line plus 20 after.
  std::string_view second(text.data() + regions[1].begin, regions[1].end - regions[1].begin);
  EXPECT_EQ(std::count(second.begin(), second.end(), '\n'), 31);
}

TEST(Scan, NearbyAnchorsMergeAndAnchorsAtTheEdges) {
  std::string text = "Call stack:\n" + filler(5000) + "ASSERTION FAILED:\n" + filler(3) + "SIGSEGV\n" + filler(5000) +
                     "==1234== Invalid read of size 4";
  ScanOptions o;
  o.whole_text_below = 1024;
  o.lines_before = 5;
  o.lines_after = 5;
  auto regions = find_regions(text, o);
  ASSERT_EQ(regions.size(), 3u);
  EXPECT_EQ(regions[0].begin, 0u);
  EXPECT_EQ(regions[0].first_line_number, 1u);
  EXPECT_EQ(regions[2].end, text.size());
  std::string_view mid(text.data() + regions[1].begin, regions[1].end - regions[1].begin);
  EXPECT_NE(mid.find("ASSERTION FAILED"), std::string_view::npos);
  EXPECT_NE(mid.find("SIGSEGV"), std::string_view::npos);
  for (size_t i = 1; i < regions.size(); ++i) {
    EXPECT_GE(regions[i].begin, regions[i - 1].end); // no overlap
  }
}

TEST(Scan, AnchorLines) {
  EXPECT_TRUE(is_anchor_line("#3  0x00007f in foo () from libc.so.6"));
  EXPECT_TRUE(is_anchor_line("    #0 0x4f2a in main a.cpp:3"));
  EXPECT_TRUE(is_anchor_line("# Location '/src/Map.h:682'"));
  EXPECT_FALSE(is_anchor_line("# A markdown title"));
  EXPECT_TRUE(is_anchor_line("Program terminated with signal SIGSEGV, Segmentation fault."));
  EXPECT_TRUE(is_anchor_line("==20421==    at 0x1171CF2: acore::Thread::~Thread()"));
  EXPECT_TRUE(is_anchor_line("./mangosd(_ZN4Unit6UpdateEjj+0x56f) [0x97689f]"));
  EXPECT_TRUE(is_anchor_line("World Thread hangs for 60000 ms, forcing a crash!"));
  EXPECT_TRUE(is_anchor_line("Deadlock detected: world"));
  EXPECT_TRUE(is_anchor_line("worldserver.exe!Map::Update(unsigned int t_diff) Line 1061"));
  EXPECT_FALSE(is_anchor_line("2024-05-01 10:00:00 INFO  [server] SIG is not a signal here: SIg"));
  EXPECT_FALSE(is_anchor_line("a == b"));
}

TEST(Scan, Sse2AndAvx2KernelsAgree) {
  std::string text = filler(3000);
  for (size_t i = 0; i < text.size(); i += 997) {
    text[i] = "#+=SA"[i % 5];
  }
  kernel::Pairs p;
  p.count = 3;
  p.first[0] = '#';
  p.second[0] = '#';
  p.first[1] = '+';
  p.second[1] = 'x';
  p.distance[1] = 2;
  p.first[2] = 'S';
  p.second[2] = 'A';
  p.distance[2] = 1;
  p.max_distance = 2;
  using Hits = std::vector<std::pair<size_t, size_t>>;
  auto collect = [](void* ctx, size_t pos, size_t line) {
    static_cast<Hits*>(ctx)->emplace_back(pos, line);
    return true;
  };
  Hits a, b;
  size_t la = kernel::scan_sse2(text.data(), text.size(), p, collect, &a);
  EXPECT_EQ(la, static_cast<size_t>(std::count(text.begin(), text.end(), '\n')));
  if (__builtin_cpu_supports("avx2")) {
    size_t lb = kernel::scan_avx2(text.data(), text.size(), p, collect, &b);
    EXPECT_EQ(la, lb);
    EXPECT_EQ(a, b);
  }
  for (auto [pos, line] : a) {
    EXPECT_EQ(line + 1, line_of(text, pos));
  }
}

TEST(Scan, TeddyKernelAgreesWithTheGenericOne) {
  // Adjacent pairs and a single byte: the AVX2 kernel uses its nibble-table filter for these.
  kernel::Pairs p;
  const char* pairs[] = {"#", "k:", "Ex", "AS", "+0", "==", "dl", "e!", "-S", "(f", "r:", "Ca"};
  for (const char* pr : pairs) {
    p.first[p.count] = static_cast<unsigned char>(pr[0]);
    p.second[p.count] = static_cast<unsigned char>(pr[1] ? pr[1] : pr[0]);
    p.distance[p.count] = pr[1] ? 1 : 0;
    ++p.count;
  }
  p.max_distance = 1;
  std::string text;
  uint32_t x = 12345;
  const char alphabet[] = "abcdek:ExAS+0=dl!-S(frCa#\n \n";
  for (size_t i = 0; i < 100000; ++i) {
    x = x * 1103515245u + 12345u;
    text += alphabet[(x >> 16) % (sizeof alphabet - 1)];
  }
  using Hits = std::vector<std::pair<size_t, size_t>>;
  auto collect = [](void* ctx, size_t pos, size_t line) {
    static_cast<Hits*>(ctx)->emplace_back(pos, line);
    return true;
  };
  for (size_t len : {text.size(), size_t{31}, size_t{32}, size_t{33}, size_t{64}, size_t{1000}}) {
    Hits a, b;
    size_t la = kernel::scan_sse2(text.data(), len, p, collect, &a);
    if (!__builtin_cpu_supports("avx2")) {
      GTEST_SKIP() << "no AVX2 on this CPU";
    }
    size_t lb = kernel::scan_avx2(text.data(), len, p, collect, &b);
    EXPECT_EQ(la, lb) << len;
    EXPECT_EQ(a, b) << len;
    EXPECT_GT(a.size(), len / 100) << len;
  }
}

TEST(Scan, ChunkedScanFindsTheSameRegionsAndReportsProgress) {
  std::string text;
  for (int i = 0; i < 40; ++i) {
    text += filler(200, static_cast<size_t>(i));
    text += i % 2 ? "#0  0x1 in f () at a.cpp:1\n" : "Exception code: C0000005\n";
  }
  ScanOptions whole;
  whole.whole_text_below = 1024;
  whole.lines_before = 3;
  whole.lines_after = 3;
  whole.progress_every = size_t{1} << 30;
  auto expected = find_regions(text, whole);
  ASSERT_EQ(expected.size(), 40u);
  // Chunk sizes that cut anchors in two at various places.
  for (size_t chunk : {size_t{65536}, size_t{65537}, size_t{100003}}) {
    ScanOptions chunked = whole;
    chunked.progress_every = chunk;
    std::vector<size_t> progress;
    chunked.progress = [&](size_t offset) { progress.push_back(offset); };
    auto got = find_regions(text, chunked);
    ASSERT_EQ(got.size(), expected.size()) << chunk;
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].begin, expected[i].begin) << chunk << " region " << i;
      EXPECT_EQ(got[i].end, expected[i].end) << chunk << " region " << i;
      EXPECT_EQ(got[i].first_line_number, expected[i].first_line_number) << chunk << " region " << i;
    }
    EXPECT_GE(progress.size(), text.size() / chunk);
    EXPECT_EQ(progress.back(), text.size());
  }
}
