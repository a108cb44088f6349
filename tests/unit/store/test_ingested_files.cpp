// SPDX-License-Identifier: MIT
#include <store/schema.hpp>

#include "store_test_util.hpp"

using namespace crashpilot::store;
using crashpilot::store::testing::open_store;
using crashpilot::store::testing::ScratchDir;

TEST(IngestedFiles, RememberedAcrossReopenByPathSizeAndTime) {
  ScratchDir dir;
  {
    Store s = open_store(dir.file("s.db"));
    EXPECT_FALSE(*s.file_ingested("/c/a.txt", 100, 7));
    ASSERT_TRUE(s.mark_file_ingested("/c/a.txt", 100, 7, 1, 1000));
  }
  Store s = open_store(dir.file("s.db"));
  EXPECT_TRUE(*s.file_ingested("/c/a.txt", 100, 7));
  EXPECT_FALSE(*s.file_ingested("/c/a.txt", 101, 7)) << "a rewritten file is a new report";
  EXPECT_FALSE(*s.file_ingested("/c/a.txt", 100, 8));
  EXPECT_FALSE(*s.file_ingested("/c/b.txt", 100, 7));
  ASSERT_TRUE(s.mark_file_ingested("/c/a.txt", 101, 9, 0, 1001));
  EXPECT_TRUE(*s.file_ingested("/c/a.txt", 101, 9));
  EXPECT_FALSE(*s.file_ingested("/c/a.txt", 100, 7));
  EXPECT_EQ(*s.db().query_int("SELECT count(*) FROM ingested_files"), 1);
}

TEST(IngestedFiles, VersionTwoDatabaseGetsTheTable) {
  ScratchDir dir;
  const std::string path = dir.file("v2.db");
  {
    auto db = Db::open(path);
    ASSERT_TRUE(db) << db.error();
    ASSERT_TRUE(db->exec("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO "
                         "schema_version VALUES (2)"));
    ASSERT_TRUE(db->exec(migrations()[0].sql));
    ASSERT_TRUE(db->exec(migrations()[1].sql));
  }
  Store s = open_store(path);
  EXPECT_EQ(*schema_version(s.db()), latest_schema_version());
  EXPECT_EQ(
      *s.db().query_int(
          "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'ingested_files'"),
      1);
  EXPECT_TRUE(s.mark_file_ingested("/c/a.txt", 1, 1, 1, 1));
}
