// SPDX-License-Identifier: MIT
// `crashpilot triage FILE... | -`: parse and triage each input, print a summary (TTY) or one JSON
// object per input (--json), exit 3 when some input held no crash.
#include <cli/commands.hpp>
#include <cli/frame_text.hpp>
#include <cli/input.hpp>
#include <cli/terminal.hpp>
#include <model/json.hpp>
#include <triage/frames.hpp>
#include <triage/signature.hpp>
#include <util/string.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace crashpilot::cli {

namespace {

using Outcome = TriagedInput;

// Earlier inputs of the same run whose main crash is the same bug or a near one.
struct Related {
  std::string same_as; // the first earlier input with the same signature
  std::vector<std::pair<std::string, double>>
      near; // earlier inputs with a near signature, and the score
};

struct Seen {
  std::string file;
  model::Signature signature;
};

Related relate(const model::Crash& c, const std::vector<Seen>& seen, const triage::Rules& rules) {
  Related r;
  for (const auto& s : seen) {
    if (s.signature.id == c.signature.id) {
      if (r.same_as.empty()) {
        r.same_as = s.file;
      }
    } else if (triage::is_near(c.signature, s.signature, rules.similarity_threshold) &&
               r.near.size() < 8) {
      r.near.emplace_back(s.file, triage::similarity(c.signature, s.signature));
    }
  }
  return r;
}

void print_json(const std::string& input, const Outcome& o, const TriageOptions& options,
                const Related& related) {
  nlohmann::json line;
  if (o.crashes.empty()) {
    line = {{"file", input}, {"error", o.error}, {"crash_id", nullptr}};
  } else {
    size_t p = primary_index(o.crashes);
    model::JsonOptions jo;
    jo.include_raw = options.raw;
    line = model::to_json(o.crashes[p], jo);
    line["file"] = input;
    nlohmann::json others = nlohmann::json::array();
    for (size_t i = 0; i < o.crashes.size(); ++i) {
      if (i != p) {
        const auto& c = o.crashes[i];
        others.push_back({{"crash_id", c.crash_id},
                          {"kind", model::to_string(c.kind)},
                          {"crash_function", c.crash_function},
                          {"crash_location", c.crash_location},
                          {"crash_category", c.crash_category}});
      }
    }
    line["reports_in_input"] = o.crashes.size() + o.dropped;
    line["other_reports"] = std::move(others);
    line["same_as"] =
        related.same_as.empty() ? nlohmann::json(nullptr) : nlohmann::json(related.same_as);
    nlohmann::json near = nlohmann::json::array();
    for (const auto& [file, score] : related.near) {
      near.push_back({{"file", file}, {"similarity", std::round(score * 100) / 100}});
    }
    line["near"] = std::move(near);
  }
  fmt::print("{}\n", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void print_crash(const Terminal& t, const model::Crash& c, const TriageOptions& options) {
  fmt::print("  {} {}  {}  {}  {}\n", t.dim("signature"), t.bold(c.signature.id),
             model::to_string(c.kind), c.crash_category, t.severity(c.severity));
  if (!c.exception_code.empty() || !c.error_message.empty()) {
    fmt::print("  {}     {}{}\n", t.dim("error"), c.exception_code,
               c.error_message.empty() || c.error_message == c.exception_code
                   ? ""
                   : "  " + c.error_message.substr(0, 160));
  }
  fmt::print("  {}  {}  {}\n", t.dim("crash at"),
             t.cyan(c.crash_function.empty() ? "(unknown)" : c.crash_function), c.crash_location);
  if (c.is_bot_related) {
    fmt::print("  {}       {}\n", t.dim("bot"),
               t.yellow(c.bot_evidence.empty() ? "yes" : c.bot_evidence.front()));
  }
  fmt::print("  {}    {}\n", t.dim("because"), c.root_cause_hypothesis);
  for (const auto& s : c.fix_suggestions) {
    fmt::print("  {}    - {}\n", t.dim("fix    "), s);
  }
  auto print_frames = [&](const model::Thread& th, size_t limit) {
    for (size_t i = 0; i < th.frames.size() && i < limit; ++i) {
      bool meaningful = th.crashing && static_cast<int>(i) == c.meaningful_frame;
      std::string line = fmt::format("#{:<2} {}", i, frame_text(th.frames[i]));
      fmt::print("    {} {}\n", meaningful ? t.green(">") : " ", meaningful ? t.bold(line) : line);
    }
    if (th.frames.size() > limit) {
      fmt::print("      {}\n", t.dim(fmt::format("... {} more frames", th.frames.size() - limit)));
    }
  };
  if (const model::Thread* th = c.crashing_thread(); th && !th->frames.empty()) {
    fmt::print("  {} {}{}\n", t.dim("frames"), th->id.empty() ? "" : "thread " + th->id,
               th->name.empty() ? "" : " \"" + th->name + "\"");
    print_frames(*th, options.all_threads ? 1024 : 8);
  }
  if (options.all_threads) {
    for (const auto& th : c.threads) {
      if (&th == c.crashing_thread()) {
        continue;
      }
      fmt::print("  {} {} {}{}\n", t.dim("thread"), th.id,
                 th.role.empty() ? "" : "(" + th.role + ") ", th.name);
      print_frames(th, 1024);
    }
  } else if (c.threads.size() > 1) {
    fmt::print("  {}\n", t.dim(fmt::format("{} other thread(s)/stack(s): --all-threads shows them",
                                           c.threads.size() - 1)));
  }
  fmt::print("  {}   {}\n", t.dim("quality"),
             c.quality == "good" ? t.green(c.quality) : t.yellow(c.quality));
}

void print_human(const Terminal& t, const std::string& input, const Outcome& o,
                 const TriageOptions& options, const Related& related) {
  if (o.crashes.empty()) {
    fmt::print("{}\n  {} {}\n", t.bold(input), t.red("no crash:"), o.error);
    return;
  }
  size_t p = primary_index(o.crashes);
  fmt::print("{}{}\n", t.bold(input),
             o.crashes.size() > 1
                 ? fmt::format("  ({} reports; the main one first)", o.crashes.size() + o.dropped)
                 : "");
  print_crash(t, o.crashes[p], options);
  if (!related.same_as.empty()) {
    fmt::print("  {}      {}\n", t.dim("same"), t.green("same bug as " + related.same_as));
  }
  for (const auto& [file, score] : related.near) {
    fmt::print("  {}      near {} (similarity {:.2f})\n", t.dim("near"), file, score);
  }
  for (size_t i = 0; i < o.crashes.size(); ++i) {
    if (i != p) {
      const auto& c = o.crashes[i];
      fmt::print("  {} {} {} {} {}\n", t.dim("also"), c.signature.id, model::to_string(c.kind),
                 c.crash_function.empty() ? "(unknown)" : c.crash_function, c.crash_location);
    }
  }
}

} // namespace

int run_triage(const Invocation& inv, const config::Config& config) {
  auto rules = triage::Rules::from_config(config);
  if (!rules) {
    print_error(rules.error());
    return exit_code::usage;
  }
  if (std::count(inv.triage.inputs.begin(), inv.triage.inputs.end(), "-") > 1) {
    print_error("'-' (standard input) given more than once");
    return exit_code::usage;
  }
  Terminal t = Terminal::detect(inv.global.color);
  bool all_ok = true;
  std::vector<Seen> seen;
  size_t distinct = 0;
  for (size_t i = 0; i < inv.triage.inputs.size(); ++i) {
    const std::string& input = inv.triage.inputs[i];
    Outcome o = triage_input(input, InputOptions{inv.triage.max_input_mb, false}, *rules);
    all_ok = all_ok && !o.crashes.empty();
    Related related;
    if (!o.crashes.empty()) {
      const model::Crash& main_crash = o.crashes[primary_index(o.crashes)];
      related = relate(main_crash, seen, *rules);
      distinct += related.same_as.empty() ? 1u : 0u;
      seen.push_back({input, main_crash.signature});
    }
    if (inv.global.json) {
      print_json(input, o, inv.triage, related);
    } else {
      if (i > 0) {
        fmt::print("\n");
      }
      print_human(t, input, o, inv.triage, related);
    }
    std::fflush(stdout);
  }
  if (!inv.global.json && inv.triage.inputs.size() > 1) {
    fmt::print("\n{} input(s): {} with a crash, {} distinct bug(s) by signature\n",
               inv.triage.inputs.size(), seen.size(), distinct);
  }
  return all_ok ? exit_code::ok : exit_code::no_crash;
}

} // namespace crashpilot::cli
