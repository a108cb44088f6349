// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <queue/diff.hpp>

using namespace crashpilot::queue;

TEST(DiffHunks, LinesCarryOldAndNewNumbers) {
  std::string d = "diff --git a/src/a.cpp b/src/a.cpp\n"
                  "--- a/src/a.cpp\n"
                  "+++ b/src/a.cpp\n"
                  "@@ -10,4 +10,5 @@ void f()\n"
                  " keep\n"
                  "-old\r\n"
                  "+new 1\n"
                  "+new 2\n"
                  " -- not a header\n"
                  " end\n"
                  "@@ -30 +31 @@\n"
                  "-x\n"
                  "+y\n";
  auto h = diff_hunks(d);
  ASSERT_EQ(h.files.size(), 1u);
  EXPECT_TRUE(h.problems.empty());
  const auto& f = h.files[0];
  EXPECT_EQ(f.file.new_path, "src/a.cpp");
  EXPECT_FALSE(f.created || f.deleted);
  ASSERT_EQ(f.hunks.size(), 2u);
  const auto& l = f.hunks[0].lines;
  ASSERT_EQ(l.size(), 6u);
  EXPECT_EQ(l[0].kind, ' ');
  EXPECT_EQ(l[0].old_line, 10);
  EXPECT_EQ(l[0].new_line, 10);
  EXPECT_EQ(l[1].kind, '-');
  EXPECT_EQ(l[1].old_line, 11);
  EXPECT_EQ(l[1].new_line, 0);
  EXPECT_EQ(l[1].text, "old"); // CR dropped
  EXPECT_EQ(l[2].new_line, 11);
  EXPECT_EQ(l[3].new_line, 12);
  EXPECT_EQ(l[3].old_line, 0);
  EXPECT_EQ(l[4].text, "-- not a header");
  EXPECT_EQ(l[4].old_line, 12);
  EXPECT_EQ(l[4].new_line, 13);
  EXPECT_EQ(f.hunks[1].old_start, 30);
  EXPECT_EQ(f.hunks[1].new_start, 31);
  EXPECT_EQ(f.hunks[1].lines[0].old_line, 30);
  EXPECT_EQ(f.hunks[1].lines[1].new_line, 31);
  // The summary agrees.
  auto s = summarize_diff(d);
  EXPECT_EQ(s.added, 3);
  EXPECT_EQ(s.removed, 2);
}

TEST(DiffHunks, CreatedAndDeletedFiles) {
  std::string d = "diff --git a/gone.cpp b/gone.cpp\n"
                  "deleted file mode 100644\n"
                  "--- a/gone.cpp\n"
                  "+++ /dev/null\n"
                  "@@ -1,2 +0,0 @@\n"
                  "-a\n"
                  "-b\n"
                  "diff --git a/new.cpp b/new.cpp\n"
                  "new file mode 100644\n"
                  "--- /dev/null\n"
                  "+++ b/new.cpp\n"
                  "@@ -0,0 +1 @@\n"
                  "+c\n"
                  "diff --git a/empty.txt b/empty.txt\n"
                  "deleted file mode 100644\n";
  auto h = diff_hunks(d);
  ASSERT_EQ(h.files.size(), 3u);
  EXPECT_TRUE(h.files[0].deleted);
  EXPECT_EQ(h.files[0].file.old_path, "gone.cpp");
  EXPECT_TRUE(h.files[1].created);
  EXPECT_EQ(h.files[1].hunks[0].lines[0].new_line, 1);
  EXPECT_TRUE(h.files[2].deleted); // no hunk: only the mode line says so
  EXPECT_TRUE(h.files[2].hunks.empty());
}
