// SPDX-License-Identifier: MIT
// `crashpilot init [--agent A] [--preset P] [--dir DIR] [--force] [--dry-run] [--json]`: sets up
// crashpilot and a coding agent in a repository. Detection (config/detect.hpp), rendering
// (analyze/init_files.hpp) and careful writing (analyze/init_apply.hpp) live in their stages; this
// file finds the repository, decides which crashpilot.toml the agent files are rendered against,
// and reports.
#include <cli/commands.hpp>
#include <cli/terminal.hpp>
#include <config/detect.hpp>
#include <util/child_process.hpp>
#include <util/file.hpp>
#include <util/string.hpp>
#include <util/temp_dir.hpp>

#include <analyze/init_apply.hpp>
#include <analyze/init_files.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace crashpilot::cli {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

util::Expected<std::string> find_root(const Invocation& inv) {
  if (!inv.init.dir.empty()) {
    std::error_code ec;
    if (!fs::is_directory(inv.init.dir, ec)) {
      return util::error(fmt::format("--dir {}: not a directory", inv.init.dir));
    }
    return fs::absolute(inv.init.dir, ec).lexically_normal().string();
  }
  auto git = util::run_command({"git", "rev-parse", "--show-toplevel"});
  if (!git || !git->ok()) {
    return util::error(
        "not inside a git work tree: run crashpilot init in your server's repository, or name "
        "the directory with --dir DIR");
  }
  return std::string(util::trim(git->out));
}

// How agents should start crashpilot: by name when PATH finds this very binary (portable across
// machines), else by its absolute path (a build directory, a test).
std::string crashpilot_command() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) {
    return "crashpilot";
  }
  if (const char* path = std::getenv("PATH"); path != nullptr) {
    for (auto dir : util::split(path, ':')) {
      if (dir.empty()) {
        continue;
      }
      fs::path candidate = fs::path(std::string(dir)) / "crashpilot";
      if (::access(candidate.c_str(), X_OK) == 0) {
        return fs::equivalent(candidate, self, ec) ? std::string("crashpilot") : self.string();
      }
    }
  }
  return self.string();
}

// The configuration crashpilot will run with once init is done: the crashpilot.toml init writes,
// or the user's own one where init keeps it.
util::Expected<config::Config> effective_config(const Invocation& inv,
                                                const analyze::PlannedFile& toml,
                                                const analyze::ApplyOptions& o,
                                                const std::string& preset) {
  config::LoadOptions lo;
  lo.search_default_file = false;
  lo.overrides = inv.global.sets;
  std::optional<util::TempDir> tmp;
  if (analyze::may_write(toml, o)) {
    auto dir = util::TempDir::create("crashpilot-init-");
    if (!dir) {
      return util::error(dir.error());
    }
    tmp.emplace(std::move(*dir));
    std::string path = tmp->path() + "/crashpilot.toml";
    if (auto w = util::write_file_atomic(path, toml.text); !w) {
      return util::error(w.error());
    }
    lo.file = path;
    lo.preset = preset;
  } else {
    lo.file = o.root + "/crashpilot.toml";
  }
  auto cfg = config::Config::load(lo);
  if (!cfg && !tmp) {
    return util::error(fmt::format("{} (init keeps your crashpilot.toml; fix it, or --force "
                                   "regenerates it and keeps a backup)",
                                   cfg.error()));
  }
  return cfg;
}

json tree_json(const config::TreeInfo& t) {
  json j = {{"kind", config::to_string(t.kind)},
            {"evidence", t.evidence},
            {"playerbot", t.playerbot.empty() ? json(nullptr) : json(t.playerbot)},
            {"modules", t.modules},
            {"build_dir", nullptr},
            {"worldserver", nullptr},
            {"worldserver_conf", nullptr},
            {"other_builds", t.other_builds}};
  if (t.build) {
    j["build_dir"] = t.build->path;
    if (t.build->server) {
      j["worldserver"] = t.build->server->path;
      if (!t.build->server->conf.empty()) {
        j["worldserver_conf"] = t.build->server->conf;
      }
    }
  }
  return j;
}

json outcome_json(const analyze::FileOutcome& f) {
  json j = {{"path", f.path},
            {"what", f.what},
            {"action", analyze::to_string(f.action)},
            {"needs_force", f.needs_force},
            {"changes", f.changes}};
  j["reason"] = f.reason.empty() ? json(nullptr) : json(f.reason);
  j["backup"] = f.backup.empty() ? json(nullptr) : json(f.backup);
  return j;
}

std::string verb(analyze::FileAction a, bool dry_run) {
  using analyze::FileAction;
  if (!dry_run || a == FileAction::unchanged || a == FileAction::failed) {
    return std::string(analyze::to_string(a));
  }
  switch (a) {
  case FileAction::created:
    return "would create";
  case FileAction::updated:
    return "would update";
  case FileAction::merged:
    return "would merge";
  case FileAction::replaced:
    return "would replace";
  case FileAction::skipped:
    return "would skip";
  default:
    return std::string(analyze::to_string(a));
  }
}

void print_human(const Terminal& t, const analyze::InitSettings& s,
                 const std::vector<analyze::FileOutcome>& outcomes, const analyze::InitPlan& plan,
                 bool dry_run) {
  const config::TreeInfo& tree = s.tree;
  if (tree.kind == config::TreeKind::generic) {
    fmt::print("{} {}\n", t.bold("Tree:"), tree.root);
  } else {
    fmt::print("{} {} ({})\n", t.bold(fmt::format("{} tree:", config::to_string(tree.kind))),
               tree.root, util::join(tree.evidence, "; "));
  }
  if (!tree.playerbot.empty()) {
    fmt::print("  Playerbot module  {}\n", tree.playerbot);
  }
  if (tree.build) {
    fmt::print("  build directory   {}\n", tree.build->path);
    if (tree.build->server) {
      const auto& bin = *tree.build->server;
      fmt::print("  worldserver       {}{}\n", bin.path,
                 bin.conf.empty() ? std::string(" (no worldserver.conf found)")
                                  : fmt::format(" -c {}", bin.conf));
    }
  } else {
    fmt::print("  build directory   {}\n", t.dim("none found"));
  }
  fmt::print("  preset {}, agent {}\n\n", s.preset, analyze::to_string(s.agent));
  if (dry_run) {
    fmt::print("{}\n", t.yellow("Dry run: nothing is written."));
  }
  size_t width = 0;
  for (const auto& f : outcomes) {
    width = std::max(width, f.path.size());
  }
  for (const auto& f : outcomes) {
    std::string v = verb(f.action, dry_run);
    std::string coloured =
        f.action == analyze::FileAction::skipped || f.action == analyze::FileAction::failed
            ? t.red(fmt::format("{:<13}", v))
        : f.action == analyze::FileAction::unchanged ? t.dim(fmt::format("{:<13}", v))
                                                     : t.green(fmt::format("{:<13}", v));
    fmt::print("  {} {:<{}}  {}\n", coloured, f.path, width, f.what);
    for (const auto& c : f.changes) {
      fmt::print("  {:<13} {:<{}}    {}\n", "", "", width, c);
    }
    if (!f.reason.empty()) {
      fmt::print("  {:<13} {:<{}}    {}\n", "", "", width, f.reason);
    }
    if (!f.backup.empty()) {
      fmt::print("  {:<13} {:<{}}    backup: {}\n", "", "", width, f.backup);
    }
  }
  for (const auto& n : plan.notes) {
    fmt::print("\n{} {}\n", t.yellow("note:"), n);
  }
  fmt::print("\n{}\n", t.bold("Next steps:"));
  int n = 1;
  for (const auto& step : plan.next_steps) {
    fmt::print("  {}. {}\n", n++, step);
  }
}

} // namespace

int run_init(const Invocation& inv) {
  // init writes the repository's crashpilot.toml; these would point the rendering elsewhere.
  if (inv.global.config_file || !inv.global.store.empty() || !inv.global.queue_root.empty()) {
    print_error("init takes no --config, --store or --queue-root: it writes crashpilot.toml in "
                "the repository (set [queue] root or [store] path there afterwards and re-run "
                "init to render the agent files against them)");
    return exit_code::usage;
  }
  auto agent = analyze::parse_init_agent(inv.init.agent);
  if (!agent) {
    print_error(agent.error());
    return exit_code::usage;
  }
  auto root = find_root(inv);
  if (!root) {
    print_error(root.error());
    return exit_code::usage;
  }
  auto tree = config::detect_tree(*root);
  if (!tree) {
    print_error(tree.error());
    return exit_code::failure;
  }
  analyze::InitSettings s;
  s.agent = *agent;
  s.preset = inv.global.preset.empty() ? tree->preset() : inv.global.preset;
  s.tree = std::move(*tree);
  s.version = version();
  s.crashpilot_command = crashpilot_command();

  config::LoadOptions preset_only;
  preset_only.preset = s.preset;
  preset_only.search_default_file = false;
  auto preset_config = config::Config::load(preset_only);
  if (!preset_config) {
    print_error(preset_config.error());
    return exit_code::usage;
  }
  analyze::PlannedFile toml{"crashpilot.toml",
                            "crashpilot configuration",
                            false,
                            analyze::render_config_toml(s, *preset_config),
                            {},
                            {}};
  analyze::ApplyOptions o{s.tree.root, inv.init.force, inv.init.dry_run, s.version,
                          analyze::backup_suffix_now()};
  auto effective = effective_config(inv, toml, o, s.preset);
  if (!effective) {
    print_error(effective.error());
    return exit_code::usage;
  }
  auto plan = analyze::plan_init(s, *effective);
  if (!plan) {
    print_error(plan.error());
    return exit_code::usage;
  }
  std::vector<analyze::PlannedFile> files = {toml};
  files.insert(files.end(), plan->files.begin(), plan->files.end());
  auto outcomes = analyze::apply_init(files, o);

  bool failed = false;
  bool needs_force = false;
  for (const auto& f : outcomes) {
    failed = failed || f.action == analyze::FileAction::failed;
    needs_force = needs_force || f.needs_force;
  }
  if (inv.global.json) {
    json files_json = json::array();
    for (const auto& f : outcomes) {
      files_json.push_back(outcome_json(f));
    }
    json out = {{"root", s.tree.root},
                {"agent", analyze::to_string(s.agent)},
                {"preset", s.preset},
                {"dry_run", inv.init.dry_run},
                {"tree", tree_json(s.tree)},
                {"files", files_json},
                {"next_steps", plan->next_steps},
                {"notes", plan->notes}};
    fmt::print("{}\n", out.dump(-1, ' ', false, json::error_handler_t::replace));
  } else {
    print_human(Terminal::detect(inv.global.color), s, outcomes, *plan, inv.init.dry_run);
  }
  if (needs_force && !inv.global.json) {
    print_warning("some files were kept as they are; re-run with --force to replace them (a "
                  "backup of each is kept)");
  }
  return failed || needs_force ? exit_code::failure : exit_code::ok;
}

} // namespace crashpilot::cli
