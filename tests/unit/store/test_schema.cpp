// SPDX-License-Identifier: MIT
#include <util/file.hpp>

#include <store/schema.hpp>

#include <fstream>

#include "store_test_util.hpp"

using namespace crashpilot::store;
using crashpilot::store::testing::open_store;
using crashpilot::store::testing::ScratchDir;

namespace {

int64_t table_count(const Db& db, const std::string& name) {
  auto stmt = db.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
  EXPECT_TRUE(stmt);
  auto row = stmt->bind(1, name).step();
  EXPECT_TRUE(row && *row);
  return stmt->column_int(0);
}

} // namespace

TEST(Schema, FreshDatabaseGetsEveryMigrationAndThePragmas) {
  ScratchDir dir;
  Options o;
  o.busy_timeout_ms = 1234;
  Store s = open_store(dir.file("s.db"), o);
  EXPECT_EQ(*schema_version(s.db()), latest_schema_version());
  EXPECT_GE(latest_schema_version(), 2);
  for (const char* t :
       {"buckets", "bucket_links", "raw_reports", "occurrences", "daily_counts",
        "analysis_requests", "attempts", "responses", "patches", "verdicts", "schema_version"}) {
    EXPECT_EQ(table_count(s.db(), t), 1) << t;
  }
  auto mode = s.db().prepare("PRAGMA journal_mode");
  ASSERT_TRUE(mode && *mode->step());
  EXPECT_EQ(mode->column_text(0), "wal");
  EXPECT_EQ(*s.db().query_int("PRAGMA foreign_keys"), 1);
  EXPECT_EQ(*s.db().query_int("PRAGMA busy_timeout"), 1234);
  EXPECT_EQ(*s.db().query_int("SELECT count(*) FROM schema_version"), 1);
}

TEST(Schema, ReopeningAppliesNothingTwice) {
  ScratchDir dir;
  { Store s = open_store(dir.file("s.db")); }
  Store s = open_store(dir.file("s.db"));
  EXPECT_EQ(*schema_version(s.db()), latest_schema_version());
  EXPECT_EQ(*s.db().query_int("SELECT count(*) FROM schema_version"), 1);
}

TEST(Schema, DatabaseAtVersionOneIsMigratedAndKeepsItsRows) {
  ScratchDir dir;
  const std::string path = dir.file("v1.db");
  {
    // What a version-1 crashpilot left: its schema, its version row, one bucket.
    auto db = Db::open(path);
    ASSERT_TRUE(db) << db.error();
    ASSERT_TRUE(db->exec("CREATE TABLE schema_version (version INTEGER NOT NULL); INSERT INTO "
                         "schema_version VALUES (1)"));
    ASSERT_TRUE(db->exec(migrations()[0].sql));
    ASSERT_TRUE(db->exec(
        "INSERT INTO buckets(signature_id, signature_text, signature_frames, kind, category, "
        "severity, "
        "crash_function, crash_location, is_bot_related, first_seen, last_seen, count) VALUES "
        "('abc', 'signal\nf', '[\"f\"]', 'signal', 'NULL_DEREF', 'HIGH', 'f', 'a.cpp:1', 0, 10, "
        "20, 3)"));
    EXPECT_EQ(table_count(*db, "attempts"), 0);
  }
  Store s = open_store(path);
  EXPECT_EQ(*schema_version(s.db()), latest_schema_version());
  EXPECT_EQ(table_count(s.db(), "attempts"), 1);
  auto b = s.get_bucket("abc");
  ASSERT_TRUE(b) << b.error();
  ASSERT_TRUE(b->has_value());
  EXPECT_EQ((*b)->bucket.count, 3);
  // The migrated tables work: a request for the old bucket.
  auto req = s.add_request("abc", 5, 30);
  EXPECT_TRUE(req) << req.error();
}

TEST(Schema, NewerDatabaseIsRefusedWithItsVersion) {
  ScratchDir dir;
  const std::string path = dir.file("future.db");
  { Store s = open_store(path); }
  {
    auto db = Db::open(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->exec("UPDATE schema_version SET version = 99"));
  }
  auto s = Store::open(path);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("schema version 99 is newer"), std::string::npos) << s.error();
  EXPECT_NE(s.error().find(path), std::string::npos) << s.error();
}

TEST(Schema, FileThatIsNotADatabaseGivesAnErrorNamingIt) {
  ScratchDir dir;
  const std::string path = dir.file("crash.txt");
  std::string text;
  for (int i = 0; i < 200; ++i) {
    text += "Exception code: C0000005 ACCESS_VIOLATION at WorldObject::GetMap\n";
  }
  ASSERT_TRUE(crashpilot::util::write_file_atomic(path, text));
  auto s = Store::open(path);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find(path), std::string::npos) << s.error();
  EXPECT_NE(s.error().find("not a SQLite database"), std::string::npos) << s.error();
}

TEST(Schema, DamagedDatabaseGivesAnErrorNamingIt) {
  ScratchDir dir;
  const std::string path = dir.file("damaged.db");
  {
    Store s = open_store(path);
    ASSERT_TRUE(s.db().exec("PRAGMA wal_checkpoint(TRUNCATE)"));
  }
  // Keep the 16-byte magic, overwrite the rest of the header and the schema page.
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    ASSERT_TRUE(f);
    f.seekp(16);
    std::string junk(4000, '\x5a');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }
  auto s = Store::open(path);
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find(path), std::string::npos) << s.error();
}

TEST(Schema, MissingDirectoryGivesAnErrorNamingThePath) {
  auto s = Store::open("/nonexistent-dir-for-crashpilot/s.db");
  ASSERT_FALSE(s);
  EXPECT_NE(s.error().find("/nonexistent-dir-for-crashpilot/s.db"), std::string::npos) << s.error();
}
