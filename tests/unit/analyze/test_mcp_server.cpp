// SPDX-License-Identifier: MIT
// The MCP protocol layer on strings: both eras (initialize / per-request _meta), server/discover,
// the envelopes, tools/list and tools/call, resources and prompts.
#include "test_mcp_fixture.hpp"

using namespace mcp_test;
using analyze::McpServer;

namespace {

json initialize(const McpServer& s, const std::string& version, int id = 0) {
  return rpc(s, {{"jsonrpc", "2.0"},
                 {"id", id},
                 {"method", "initialize"},
                 {"params",
                  {{"protocolVersion", version},
                   {"capabilities", json::object()},
                   {"clientInfo", {{"name", "unit-client"}, {"version", "1"}}}}}});
}

json request(const McpServer& s, const std::string& method, json params = json::object(),
             int id = 1) {
  return rpc(s,
             {{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}});
}

json modern(const McpServer& s, const std::string& method, json params = json::object()) {
  params["_meta"] = modern_meta();
  return request(s, method, std::move(params));
}

} // namespace

TEST(McpServer, InitializeEchoesALegacyVersionItSpeaks) {
  Workspace w;
  for (const char* v : {"2025-11-25", "2025-06-18", "2025-03-26", "2024-11-05"}) {
    McpServer s(*w.ctx, "9.9.9");
    json r = initialize(s, v);
    EXPECT_EQ(r["result"]["protocolVersion"], v);
    EXPECT_EQ(r["result"]["serverInfo"]["name"], "crashpilot");
    EXPECT_EQ(r["result"]["serverInfo"]["version"], "9.9.9");
    EXPECT_EQ(r["result"]["capabilities"]["tools"]["listChanged"], false);
    EXPECT_TRUE(r["result"]["capabilities"].contains("resources"));
    EXPECT_TRUE(r["result"]["capabilities"].contains("prompts"));
    EXPECT_FALSE(r["result"]["instructions"].get<std::string>().empty());
    EXPECT_FALSE(r["result"].contains("resultType")) << "legacy results keep their old shape";
  }
}

TEST(McpServer, InitializeOffersTheLatestLegacyVersionForAnythingElse) {
  Workspace w;
  // Legacy clients reject 2026-07-28 in an initialize answer, so it is never offered there.
  for (const char* v : {"2026-07-28", "1999-01-01", "draft"}) {
    McpServer s(*w.ctx, "1");
    EXPECT_EQ(initialize(s, v)["result"]["protocolVersion"], "2025-11-25") << v;
  }
  McpServer s(*w.ctx, "1");
  json r = request(s, "initialize", {{"capabilities", json::object()}});
  EXPECT_EQ(r["error"]["code"], -32602);
}

TEST(McpServer, RequestsBeforeAnyEraAreRefusedNamingBothWaysIn) {
  Workspace w;
  McpServer s(*w.ctx, "1");
  json r = request(s, "tools/list");
  EXPECT_EQ(r["error"]["code"], -32602);
  std::string msg = r["error"]["message"];
  EXPECT_NE(msg.find("initialize"), std::string::npos);
  EXPECT_NE(msg.find("2026-07-28"), std::string::npos);
  // ping needs no era.
  EXPECT_EQ(request(s, "ping")["result"], json::object());
}

TEST(McpServer, LegacySessionServesToolsAfterInitialize) {
  Workspace w;
  McpServer s(*w.ctx, "1");
  initialize(s, "2025-11-25");
  EXPECT_FALSE(s.handle_line(R"({"jsonrpc":"2.0","method":"notifications/initialized"})"));
  json list = request(s, "tools/list");
  ASSERT_TRUE(list.contains("result")) << list.dump();
  EXPECT_FALSE(list["result"].contains("ttlMs"));
  json call = request(s, "tools/call", {{"name", "list_crashes"}, {"arguments", json::object()}});
  ASSERT_TRUE(call.contains("result")) << call.dump();
  EXPECT_EQ(call["result"]["isError"], false);
  // The text block is the structured content, serialised.
  EXPECT_EQ(json::parse(call["result"]["content"][0]["text"].get<std::string>()),
            call["result"]["structuredContent"]);
  EXPECT_EQ(call["result"]["structuredContent"]["crashes"][0]["request_id"], w.request_id);
  // The client's name becomes part of the lease holder.
  json claim = request(s, "tools/call", {{"name", "claim_crash"}, {"arguments", json::object()}});
  EXPECT_EQ(claim["result"]["structuredContent"]["holder"], "unit-client (tester@host)");
}

TEST(McpServer, ModernRequestsCarryMetaAndGetResultTypeAndCacheHints) {
  Workspace w;
  McpServer s(*w.ctx, "1");
  json list = modern(s, "tools/list");
  ASSERT_TRUE(list.contains("result")) << list.dump();
  EXPECT_EQ(list["result"]["resultType"], "complete");
  EXPECT_EQ(list["result"]["ttlMs"], 0);
  EXPECT_EQ(list["result"]["cacheScope"], "private");
  EXPECT_EQ(list["result"]["_meta"]["io.modelcontextprotocol/serverInfo"]["name"], "crashpilot");
  json call = modern(s, "tools/call",
                     {{"name", "get_crash"}, {"arguments", {{"request_id", w.request_id}}}});
  EXPECT_EQ(call["result"]["resultType"], "complete");
  EXPECT_FALSE(call["result"].contains("ttlMs")) << "tools/call is not cacheable";
  json claim = modern(s, "tools/call", {{"name", "claim_crash"}, {"arguments", json::object()}});
  EXPECT_EQ(claim["result"]["structuredContent"]["holder"], "test-client (tester@host)");
}

TEST(McpServer, ModernVersionAndCapabilityProblems) {
  Workspace w;
  McpServer s(*w.ctx, "1");
  json params = {{"_meta", modern_meta()}};
  params["_meta"]["io.modelcontextprotocol/protocolVersion"] = "1900-01-01";
  json r = request(s, "tools/list", params);
  EXPECT_EQ(r["error"]["code"], -32022);
  EXPECT_EQ(r["error"]["data"]["requested"], "1900-01-01");
  json supported = r["error"]["data"]["supported"];
  EXPECT_NE(std::find(supported.begin(), supported.end(), "2026-07-28"), supported.end());
  EXPECT_NE(std::find(supported.begin(), supported.end(), "2025-11-25"), supported.end());
  params["_meta"] = modern_meta();
  params["_meta"].erase("io.modelcontextprotocol/clientCapabilities");
  EXPECT_EQ(request(s, "tools/list", params)["error"]["code"], -32602);
  params["_meta"] = modern_meta();
  params["_meta"]["io.modelcontextprotocol/protocolVersion"] = 2026;
  EXPECT_EQ(request(s, "tools/list", params)["error"]["code"], -32602);
  // params that are not an object
  EXPECT_EQ(rpc(s, {{"jsonrpc", "2.0"},
                    {"id", 1},
                    {"method", "tools/list"},
                    {"params", {1, 2}}})["error"]["code"],
            -32602);
}

TEST(McpServer, DiscoverAnswersAsTheSpecExampleShapesIt) {
  Workspace w;
  McpServer s(*w.ctx, "1");
  // schema/2026-07-28/examples/DiscoverRequest/server-discover-request.json (MCP spec repo).
  auto line = s.handle_line(
      R"({"jsonrpc":"2.0","id":"discover-1","method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"ExampleClient","version":"1.0.0"},"io.modelcontextprotocol/clientCapabilities":{}}}})");
  ASSERT_TRUE(line);
  json r = json::parse(*line);
  EXPECT_EQ(r["id"], "discover-1");
  const json& res = r["result"];
  EXPECT_EQ(res["resultType"], "complete");
  EXPECT_EQ(res["supportedVersions"], json::array({"2026-07-28"}));
  EXPECT_TRUE(res["capabilities"].contains("tools"));
  EXPECT_EQ(res["_meta"]["io.modelcontextprotocol/serverInfo"]["name"], "crashpilot");
  EXPECT_TRUE(res.contains("ttlMs"));
  EXPECT_TRUE(res.contains("cacheScope"));
  EXPECT_TRUE(res.contains("instructions"));
}

TEST(McpServer, ToolsListPublishesTenToolsWithClosedSchemas) {
  Workspace w;
  McpServer s(*w.ctx, "1");
  json tools = modern(s, "tools/list")["result"]["tools"];
  std::vector<std::string> names;
  for (const auto& t : tools) {
    names.push_back(t["name"]);
    EXPECT_EQ(t["inputSchema"]["type"], "object") << t["name"];
    EXPECT_EQ(t["inputSchema"]["additionalProperties"], false) << t["name"];
    EXPECT_FALSE(t["description"].get<std::string>().empty());
    EXPECT_TRUE(t["annotations"].contains("readOnlyHint"));
    EXPECT_EQ(t.dump().find("$ref"), std::string::npos);
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{"list_crashes", "claim_crash", "get_crash", "get_stack",
                                      "get_source", "get_logs", "similar_crashes", "submit_fix",
                                      "get_fix_status", "release_crash"}));
  // Deterministic order (2026-07-28 asks for it).
  EXPECT_EQ(modern(s, "tools/list")["result"]["tools"], tools);
}

TEST(McpServer, ToolCallErrorsUseTheRightChannel) {
  Workspace w;
  McpServer s(*w.ctx, "1");
  json unknown = modern(s, "tools/call", {{"name", "rm_rf"}, {"arguments", json::object()}});
  EXPECT_EQ(unknown["error"]["code"], -32602);
  EXPECT_NE(unknown["error"]["message"].get<std::string>().find("Unknown tool"), std::string::npos);
  EXPECT_EQ(modern(s, "tools/call", {{"arguments", json::object()}})["error"]["code"], -32602);
  EXPECT_EQ(modern(s, "tools/call", {{"name", "get_crash"}, {"arguments", "x"}})["error"]["code"],
            -32602);
  // Bad arguments are a tool result the model can read, not a protocol error.
  json bad = modern(s, "tools/call", {{"name", "get_crash"}, {"arguments", json::object()}});
  ASSERT_TRUE(bad.contains("result")) << bad.dump();
  EXPECT_EQ(bad["result"]["isError"], true);
  EXPECT_FALSE(bad["result"]["structuredContent"]["problems"].empty());
  EXPECT_EQ(modern(s, "no/such/method")["error"]["code"], -32601);
}

TEST(McpServer, ResourcesListTemplatesAndRead) {
  Workspace w;
  std::string lease = w.claim(w.request_id);
  McpServer s(*w.ctx, "1");
  json list = modern(s, "resources/list");
  ASSERT_TRUE(list.contains("result")) << list.dump();
  EXPECT_EQ(list["result"]["ttlMs"], 0);
  std::set<std::string> uris;
  for (const auto& r : list["result"]["resources"]) {
    uris.insert(r["uri"]);
  }
  std::string base = "crash://" + w.request_id;
  EXPECT_TRUE(uris.count(base + "/request.json"));
  EXPECT_TRUE(uris.count(base + "/report.txt"));
  EXPECT_TRUE(uris.count(base + "/logs/all"));
  EXPECT_EQ(modern(s, "resources/templates/list")["result"]["resourceTemplates"].size(), 4u);

  json req = modern(s, "resources/read", {{"uri", base + "/request.json"}});
  ASSERT_TRUE(req.contains("result")) << req.dump();
  std::string text = req["result"]["contents"][0]["text"];
  EXPECT_EQ(json::parse(text)["request_id"], w.request_id);
  EXPECT_EQ(text.find(lease), std::string::npos) << "lease ids stay out of resources";
  json report = modern(s, "resources/read", {{"uri", base + "/report.txt"}});
  EXPECT_EQ(report["result"]["contents"][0]["text"], w.report);
  json logs = modern(s, "resources/read", {{"uri", base + "/logs/server"}});
  EXPECT_NE(logs["result"]["contents"][0]["text"].get<std::string>().find("Map 571 not found"),
            std::string::npos);
  json src = modern(s, "resources/read", {{"uri", base + "/source/" + std::string(k_flee)}});
  EXPECT_NE(src["result"]["contents"][0]["text"].get<std::string>().find("FleeManager.cpp line 7"),
            std::string::npos);
  // Not found: -32602 in 2026-07-28, -32002 before.
  json missing = modern(s, "resources/read", {{"uri", base + "/source/.env"}});
  EXPECT_EQ(missing["error"]["code"], -32602);
  EXPECT_EQ(missing["error"]["data"]["uri"], base + "/source/.env");
  McpServer legacy(*w.ctx, "1");
  initialize(legacy, "2025-06-18");
  EXPECT_EQ(
      request(legacy, "resources/read", {{"uri", "crash://nope/request.json"}})["error"]["code"],
      -32002);
  EXPECT_EQ(request(legacy, "resources/read", {{"uri", "file:///etc/passwd"}})["error"]["code"],
            -32002);
}

TEST(McpServer, AnalyzeCrashPrompt) {
  Workspace w;
  McpServer s(*w.ctx, "1");
  json list = modern(s, "prompts/list");
  ASSERT_EQ(list["result"]["prompts"].size(), 1u);
  EXPECT_EQ(list["result"]["prompts"][0]["name"], "analyze_crash");
  json got = modern(s, "prompts/get",
                    {{"name", "analyze_crash"}, {"arguments", {{"request_id", w.request_id}}}});
  ASSERT_TRUE(got.contains("result")) << got.dump();
  std::string text = got["result"]["messages"][0]["content"]["text"];
  EXPECT_NE(text.find("Request to analyze: " + w.request_id), std::string::npos);
  EXPECT_NE(text.find("claim_crash"), std::string::npos);
  EXPECT_NE(text.find(w.queue->options().root + "/in_progress/"), std::string::npos);
  // The one prompt template, with the request's own path policy.
  EXPECT_NE(text.find("modules/**"), std::string::npos) << text;
  EXPECT_NE(text.find("src/server/shared/**"), std::string::npos) << text;
  EXPECT_EQ(modern(s, "prompts/get", {{"name", "other"}})["error"]["code"], -32602);
  EXPECT_EQ(
      modern(s, "prompts/get",
             {{"name", "analyze_crash"}, {"arguments", {{"request_id", "../x"}}}})["error"]["code"],
      -32602);
}
