// SPDX-License-Identifier: MIT
#include <queue/request.hpp>
#include <queue/schema.hpp>

#include "queue_test_util.hpp"

using namespace queue_test;
using nlohmann::json;

namespace {
std::string schema_file(const std::string& name) {
  auto text =
      crashpilot::util::read_file(std::string(CRASHPILOT_TEST_DATA) + "/../../schemas/" + name);
  EXPECT_TRUE(text) << text.error();
  return text ? *text : "";
}
} // namespace

TEST(Schema, EmbeddedCopiesEqualThePublishedFiles) {
  EXPECT_EQ(crashpilot::queue::request_schema_v2(), schema_file("request.v2.schema.json"));
  EXPECT_EQ(crashpilot::queue::response_schema_v2(), schema_file("response.v2.schema.json"));
  EXPECT_EQ(crashpilot::queue::schema_text("request"), crashpilot::queue::request_schema_v2());
  EXPECT_FALSE(crashpilot::queue::schema_text("crash"));
}

TEST(Schema, AreDraft202012AndRequireTheSeedFields) {
  json req = json::parse(crashpilot::queue::request_schema_v2());
  json resp = json::parse(crashpilot::queue::response_schema_v2());
  EXPECT_EQ(req["$schema"], "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(resp["$schema"], "https://json-schema.org/draft/2020-12/schema");
  // Every top-level key the builder writes is described, and every required key is written.
  json built = crashpilot::queue::build_request(sample_input(), "abc", "p", 1, {});
  for (auto it = built.begin(); it != built.end(); ++it) {
    EXPECT_TRUE(req["properties"].contains(it.key())) << it.key();
  }
  for (const auto& k : req["required"]) {
    EXPECT_TRUE(built.contains(k.get<std::string>())) << k;
  }
  for (const auto& k : req["properties"]["crash"]["required"]) {
    EXPECT_TRUE(built["crash"].contains(k.get<std::string>())) << k;
  }
}
