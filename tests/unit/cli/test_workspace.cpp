// SPDX-License-Identifier: MIT
#include <cli/workspace.hpp>

#include <gtest/gtest.h>

using namespace crashpilot;

namespace {

config::Config load(const std::vector<std::string>& sets) {
  config::LoadOptions lo;
  lo.search_default_file = false;
  lo.overrides = sets;
  auto c = config::Config::load(lo);
  EXPECT_TRUE(c) << c.error();
  return *c;
}

} // namespace

TEST(Workspace, StoreOptionsComeFromTheStoreSection) {
  auto o = cli::store_options_from_config(
      load({"store.max_occurrences_per_bucket=7", "store.busy_timeout_ms=250",
            "store.max_raw_bytes_per_report=4096"}),
      0.8);
  ASSERT_TRUE(o) << o.error();
  EXPECT_EQ(o->retention.max_occurrences_per_bucket, 7u);
  EXPECT_EQ(o->busy_timeout_ms, 250);
  EXPECT_EQ(o->retention.max_raw_bytes_per_report, 4096u);
  EXPECT_EQ(o->retention.max_total_raw_bytes, size_t{268435456});
  ASSERT_TRUE(o->is_near);
  model::Signature a;
  a.frames = {"Map::Update", "World::Update", "main"};
  EXPECT_TRUE(o->is_near(a, a));
}

TEST(Workspace, BadStoreKeyIsAnErrorNamingIt) {
  auto o = cli::store_options_from_config(load({"store.max_total_raw_bytes=-1"}), 0.8);
  ASSERT_FALSE(o);
  EXPECT_NE(o.error().find("store.max_total_raw_bytes"), std::string::npos) << o.error();
}

TEST(Workspace, StorePathFlagWinsOverConfig) {
  cli::Invocation inv;
  auto cfg = load({"store.path=from-config.db"});
  EXPECT_EQ(cli::store_path(inv, cfg), "from-config.db");
  inv.global.store = "flag.db";
  EXPECT_EQ(cli::store_path(inv, cfg), "flag.db");
  EXPECT_EQ(cli::store_path(cli::Invocation{}, load({})), ".crashpilot/crashpilot.db");
}
