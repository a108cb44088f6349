// SPDX-License-Identifier: MIT
#include <store/sqlite.hpp>

#include "store_test_util.hpp"

using namespace crashpilot::store;
using crashpilot::store::testing::ScratchDir;

namespace {

Db memory_db() {
  auto db = Db::open(":memory:");
  EXPECT_TRUE(db) << db.error();
  return std::move(*db);
}

} // namespace

TEST(Sqlite, BindsAndReadsEveryColumnType) {
  Db db = memory_db();
  ASSERT_TRUE(db.exec("CREATE TABLE t(i INTEGER, d REAL, s TEXT, b BLOB, n INTEGER)"));
  auto ins = db.prepare("INSERT INTO t VALUES (?, ?, ?, ?, ?)");
  ASSERT_TRUE(ins) << ins.error();
  std::string blob("a\0b", 3);
  ASSERT_TRUE(ins->bind(1, int64_t{1} << 40)
                  .bind(2, 2.5)
                  .bind(3, "text")
                  .bind_blob(4, blob)
                  .bind(5, std::optional<int64_t>())
                  .run());
  auto sel = db.prepare("SELECT i, d, s, b, n FROM t");
  ASSERT_TRUE(sel);
  auto row = sel->step();
  ASSERT_TRUE(row && *row);
  EXPECT_EQ(sel->column_int(0), int64_t{1} << 40);
  EXPECT_DOUBLE_EQ(sel->column_double(1), 2.5);
  EXPECT_EQ(sel->column_text(2), "text");
  EXPECT_EQ(sel->column_blob(3), blob);
  EXPECT_TRUE(sel->column_is_null(4));
  EXPECT_FALSE(sel->column_opt_int(4).has_value());
  row = sel->step();
  ASSERT_TRUE(row);
  EXPECT_FALSE(*row);
}

TEST(Sqlite, BindErrorIsReportedByStep) {
  Db db = memory_db();
  auto stmt = db.prepare("SELECT ?");
  ASSERT_TRUE(stmt);
  auto row = stmt->bind(7, int64_t{1}).step(); // no parameter 7
  ASSERT_FALSE(row);
  EXPECT_NE(row.error().find("binding parameter 7"), std::string::npos) << row.error();
}

TEST(Sqlite, PrepareErrorNamesTheDatabaseAndStatement) {
  Db db = memory_db();
  auto stmt = db.prepare("SELEC nonsense");
  ASSERT_FALSE(stmt);
  EXPECT_NE(stmt.error().find(":memory:"), std::string::npos) << stmt.error();
  EXPECT_NE(stmt.error().find("SELEC nonsense"), std::string::npos) << stmt.error();
}

TEST(Sqlite, TransactionRollsBackUnlessCommitted) {
  Db db = memory_db();
  ASSERT_TRUE(db.exec("CREATE TABLE t(x INTEGER)"));
  {
    auto tx = Transaction::begin(db);
    ASSERT_TRUE(tx) << tx.error();
    ASSERT_TRUE(db.exec("INSERT INTO t VALUES (1)"));
  } // destroyed without commit
  EXPECT_EQ(*db.query_int("SELECT count(*) FROM t"), 0);
  {
    auto tx = Transaction::begin(db);
    ASSERT_TRUE(tx);
    ASSERT_TRUE(db.exec("INSERT INTO t VALUES (1)"));
    ASSERT_TRUE(tx->commit());
    EXPECT_FALSE(tx->commit()); // already finished
  }
  EXPECT_EQ(*db.query_int("SELECT count(*) FROM t"), 1);
}

TEST(Sqlite, OpenWithoutCreateOfMissingFileNamesThePath) {
  ScratchDir dir;
  OpenFlags flags;
  flags.create = false;
  auto db = Db::open(dir.file("missing.db"), flags);
  ASSERT_FALSE(db);
  EXPECT_NE(db.error().find(dir.file("missing.db")), std::string::npos) << db.error();
}
