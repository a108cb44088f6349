// SPDX-License-Identifier: MIT
// Writing init's files over whatever is already there: own files are regenerated, the user's are
// kept unless --force (then backed up), JSON files are merged keeping the user's content, and a
// second run changes nothing.
#include <util/file.hpp>
#include <util/temp_dir.hpp>

#include <analyze/init_apply.hpp>
#include <gtest/gtest.h>

#include <filesystem>

using namespace crashpilot;
using namespace crashpilot::analyze;
using nlohmann::ordered_json;
namespace fs = std::filesystem;

namespace {

class ApplyTest : public ::testing::Test {
protected:
  void SetUp() override {
    auto d = util::TempDir::create("init-apply-test-");
    ASSERT_TRUE(d) << d.error();
    m_dir = std::move(*d);
    o.root = m_dir.path();
    o.version = "1.0";
    o.backup_suffix = ".bak.20260101-000000";
  }

  std::string read(const std::string& rel) const {
    auto t = util::read_file(o.root + "/" + rel);
    return t ? *t : std::string("<missing>");
  }
  bool exists(const std::string& rel) const { return fs::exists(o.root + "/" + rel); }
  void write(const std::string& rel, const std::string& text) const {
    fs::create_directories(fs::path(o.root + "/" + rel).parent_path());
    ASSERT_TRUE(util::write_file_atomic(o.root + "/" + rel, text));
  }

  static PlannedFile text_file(const std::string& body) {
    return {
        "cmd/analyze.md", "a command", false, with_marker(body, 0, "<!-- ", " -->", "1.0"), {}, {}};
  }
  static PlannedFile mcp_file(const std::string& command = "crashpilot") {
    PlannedFile f{".mcp.json", "MCP servers", true, {}, {}, {}};
    f.entries.push_back({{"mcpServers", "crashpilot"},
                         ordered_json{{"type", "stdio"}, {"command", command}, {"args", {"mcp"}}},
                         true});
    f.entries.push_back({{"mcpServers", "serena"}, ordered_json{{"command", "serena"}}, false});
    return f;
  }
  static PlannedFile settings_file() {
    PlannedFile f{".claude/settings.json", "permissions", true, {}, {}, {}};
    f.items.push_back({{"permissions", "allow"}, {"mcp__crashpilot__*", "Read", "Grep"}});
    return f;
  }

  std::vector<FileOutcome> apply(const std::vector<PlannedFile>& files) const {
    return apply_init(files, o);
  }

  util::TempDir m_dir;
  ApplyOptions o;
};

} // namespace

TEST_F(ApplyTest, FreshTreeThenIdempotentRerun) {
  std::vector<PlannedFile> files = {text_file("step one\n"), mcp_file(), settings_file()};
  auto first = apply(files);
  ASSERT_EQ(first.size(), 4u);
  EXPECT_EQ(first[0].action, FileAction::created);
  EXPECT_EQ(first[1].action, FileAction::created);
  EXPECT_EQ(first[1].changes,
            (std::vector<std::string>{"mcpServers.crashpilot added", "mcpServers.serena added"}));
  EXPECT_EQ(first[2].action, FileAction::created);
  EXPECT_EQ(first[3].path, k_init_manifest);
  EXPECT_EQ(first[3].action, FileAction::created);
  EXPECT_EQ(read("cmd/analyze.md"), files[0].text);
  auto mcp = ordered_json::parse(read(".mcp.json"));
  EXPECT_EQ(mcp["mcpServers"]["crashpilot"]["command"], "crashpilot");
  auto manifest = ordered_json::parse(read(std::string(k_init_manifest)));
  EXPECT_EQ(manifest.begin().key(), "_generated_by");
  EXPECT_TRUE(manifest["files"][".mcp.json"]["entries"].contains("/mcpServers/crashpilot"));

  std::string before = read(std::string(k_init_manifest));
  auto second = apply(files);
  for (const auto& f : second) {
    EXPECT_EQ(f.action, FileAction::unchanged) << f.path << ": " << f.reason;
  }
  EXPECT_EQ(read(std::string(k_init_manifest)), before);
}

TEST_F(ApplyTest, OwnTextFilesAreRegeneratedEditedOnesKeptUnlessForced) {
  apply({text_file("version one\n")});
  auto updated = apply({text_file("version two\n")});
  EXPECT_EQ(updated[0].action, FileAction::updated);

  std::string edited = read("cmd/analyze.md") + "my own rule\n";
  write("cmd/analyze.md", edited);
  auto kept = apply({text_file("version three\n")});
  EXPECT_EQ(kept[0].action, FileAction::skipped);
  EXPECT_TRUE(kept[0].needs_force);
  EXPECT_NE(kept[0].reason.find("changed since crashpilot init wrote it"), std::string::npos);
  EXPECT_EQ(read("cmd/analyze.md"), edited);

  o.force = true;
  auto forced = apply({text_file("version three\n")});
  EXPECT_EQ(forced[0].action, FileAction::replaced);
  EXPECT_EQ(forced[0].backup, "cmd/analyze.md.bak.20260101-000000");
  EXPECT_EQ(read("cmd/analyze.md.bak.20260101-000000"), edited);
  EXPECT_EQ(marker_state(read("cmd/analyze.md")), MarkerState::intact);
  // A second forced replacement in the same second gets a backup name of its own.
  write("cmd/analyze.md", "hand written\n");
  auto again = apply({text_file("version three\n")});
  EXPECT_EQ(again[0].backup, "cmd/analyze.md.bak.20260101-000000.1");
}

TEST_F(ApplyTest, FileWithoutMarkerIsTheUsers) {
  write("cmd/analyze.md", "# my own command\n");
  auto r = apply({text_file("generated\n")});
  EXPECT_EQ(r[0].action, FileAction::skipped);
  EXPECT_NE(r[0].reason.find("no marker"), std::string::npos);
  EXPECT_EQ(read("cmd/analyze.md"), "# my own command\n");
  EXPECT_FALSE(may_write(text_file("generated\n"), o));
  o.force = true;
  EXPECT_TRUE(may_write(text_file("generated\n"), o));
}

TEST_F(ApplyTest, ManifestHashAlsoProvesOwnership) {
  // A file whose marker line was lost, but which is byte for byte what init wrote last time.
  PlannedFile f{"notes.txt", "notes", false, "plain text\n", {}, {}};
  apply({f});
  PlannedFile next{"notes.txt", "notes", false, "plain text, new\n", {}, {}};
  EXPECT_TRUE(may_write(next, o));
  EXPECT_EQ(apply({next})[0].action, FileAction::updated);
}

TEST_F(ApplyTest, MergeKeepsTheUsersServersKeysAndOrder) {
  write(".mcp.json", R"({"zeta": 1, "mcpServers": {"other": {"command": "other-mcp"}},
                        "alpha": true})");
  auto r = apply({mcp_file()});
  EXPECT_EQ(r[0].action, FileAction::merged);
  auto doc = ordered_json::parse(read(".mcp.json"));
  std::vector<std::string> keys;
  for (const auto& [k, v] : doc.items()) {
    keys.push_back(k);
  }
  EXPECT_EQ(keys, (std::vector<std::string>{"zeta", "mcpServers", "alpha"}));
  EXPECT_EQ(doc["mcpServers"]["other"]["command"], "other-mcp");
  EXPECT_EQ(doc["mcpServers"]["crashpilot"]["command"], "crashpilot");
  EXPECT_EQ(doc["mcpServers"].begin().key(), "other");
  EXPECT_FALSE(exists(".mcp.json.bak.20260101-000000"));
}

TEST_F(ApplyTest, AllowListGainsMissingItemsOnlyAndKeepsTheRest) {
  write(".claude/settings.json",
        R"J({"permissions": {"allow": ["Bash(make:*)", "Read"], "deny": ["Bash(git push:*)"]},
            "model": "opus"})J");
  auto r = apply({settings_file()});
  EXPECT_EQ(r[0].action, FileAction::merged);
  EXPECT_EQ(r[0].changes,
            std::vector<std::string>{"permissions.allow: added mcp__crashpilot__*, Grep"});
  auto doc = ordered_json::parse(read(".claude/settings.json"));
  EXPECT_EQ(doc["permissions"]["allow"],
            ordered_json::parse(R"J(["Bash(make:*)", "Read", "mcp__crashpilot__*", "Grep"])J"));
  EXPECT_EQ(doc["permissions"]["deny"], ordered_json::parse(R"J(["Bash(git push:*)"])J"));
  EXPECT_EQ(doc["model"], "opus");
  EXPECT_EQ(apply({settings_file()})[0].action, FileAction::unchanged);
}

TEST_F(ApplyTest, OwnEntryUpdatesUsersChangeConflicts) {
  apply({mcp_file("crashpilot")});
  // A newer init writes a different command: the old entry was ours, so it is updated.
  auto updated = apply({mcp_file("/opt/crashpilot")});
  EXPECT_EQ(updated[0].action, FileAction::merged);
  EXPECT_EQ(updated[0].changes, std::vector<std::string>{"mcpServers.crashpilot updated"});

  // The user points the entry elsewhere: kept, and the run says --force would replace it.
  auto doc = ordered_json::parse(read(".mcp.json"));
  doc["mcpServers"]["crashpilot"]["args"] = {"mcp", "--config", "/etc/cp.toml"};
  doc["mcpServers"]["serena"]["args"] = {"--verbose"};
  write(".mcp.json", doc.dump(4));
  std::string users = read(".mcp.json");
  auto kept = apply({mcp_file("/opt/crashpilot")});
  EXPECT_EQ(kept[0].action, FileAction::skipped);
  EXPECT_TRUE(kept[0].needs_force);
  EXPECT_NE(kept[0].reason.find("mcpServers.crashpilot differs"), std::string::npos);
  EXPECT_EQ(read(".mcp.json"), users);

  o.force = true;
  auto forced = apply({mcp_file("/opt/crashpilot")});
  EXPECT_EQ(forced[0].action, FileAction::replaced);
  EXPECT_EQ(read(forced[0].backup), users);
  doc = ordered_json::parse(read(".mcp.json"));
  EXPECT_EQ(doc["mcpServers"]["crashpilot"]["args"], ordered_json::parse(R"(["mcp"])"));
  // The user's own server entry is theirs even with --force.
  EXPECT_EQ(doc["mcpServers"]["serena"]["args"], ordered_json::parse(R"(["--verbose"])"));
}

TEST_F(ApplyTest, InvalidJsonIsSkippedOrReplacedWithBackup) {
  write(".mcp.json", "{ not json");
  auto r = apply({mcp_file()});
  EXPECT_EQ(r[0].action, FileAction::skipped);
  EXPECT_NE(r[0].reason.find("is not valid JSON"), std::string::npos);
  write(".claude/settings.json", R"({"permissions": ["Read"]})");
  auto s = apply({settings_file()});
  EXPECT_EQ(s[0].action, FileAction::skipped);
  EXPECT_NE(s[0].reason.find("permissions is not an object"), std::string::npos) << s[0].reason;

  o.force = true;
  r = apply({mcp_file()});
  EXPECT_EQ(r[0].action, FileAction::replaced);
  EXPECT_EQ(read(".mcp.json.bak.20260101-000000"), "{ not json");
  EXPECT_TRUE(ordered_json::parse(read(".mcp.json"))["mcpServers"].contains("crashpilot"));
}

TEST_F(ApplyTest, DryRunWritesNothing) {
  write("cmd/analyze.md", "mine\n");
  o.dry_run = true;
  o.force = true;
  auto r = apply({text_file("generated\n"), mcp_file()});
  EXPECT_EQ(r[0].action, FileAction::replaced);
  EXPECT_EQ(r[1].action, FileAction::created);
  EXPECT_EQ(r[2].action, FileAction::created);
  EXPECT_EQ(read("cmd/analyze.md"), "mine\n");
  EXPECT_FALSE(exists(".mcp.json"));
  EXPECT_FALSE(exists(std::string(k_init_manifest)));
  EXPECT_FALSE(exists(r[0].backup));
}

TEST_F(ApplyTest, SomethingInTheWayFailsThatFileOnly) {
  fs::create_directories(o.root + "/cmd/analyze.md");
  auto r = apply({text_file("x\n"), mcp_file()});
  EXPECT_EQ(r[0].action, FileAction::failed);
  EXPECT_NE(r[0].reason.find("is a directory"), std::string::npos);
  EXPECT_EQ(r[1].action, FileAction::created);
}
