// SPDX-License-Identifier: MIT
#include <util/placeholders.hpp>

#include <fix/attempt_worktree.hpp>
#include <fix/build.hpp>
#include <fix/land.hpp>
#include <fix/mask_gate.hpp>
#include <fix/risk.hpp>
#include <fix/soak.hpp>
#include <fmt/format.h>
#include <loop/attempt.hpp>
#include <queue/diff.hpp>
#include <queue/response.hpp>

#include <chrono>
#include <filesystem>

namespace crashpilot::loop {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

json detail_of(const store::Fix& f) {
  json d = json::parse(f.detail_json, nullptr, false);
  return d.is_object() ? d : json::object();
}

std::string absolute(const std::string& p) {
  std::error_code ec;
  auto a = fs::absolute(p, ec);
  return ec ? p : a.lexically_normal().string();
}

// `path` moved from under `from` to under `to`; unchanged when it is not under `from`.
std::string rebase_path(const std::string& path, const std::string& from, const std::string& to) {
  if (path == from) {
    return to;
  }
  if (path.size() > from.size() && path.compare(0, from.size(), from) == 0 &&
      path[from.size()] == '/') {
    return to + path.substr(from.size());
  }
  return path;
}

class Step {
public:
  Step(const AttemptContext& ctx, AttemptResult& r) : m_ctx(ctx), m_r(r) {}

  // Writes the row with its new stage; a store that cannot be written stops the attempt (the
  // stage would be lost on resume).
  bool save(const std::string& stage, json detail) {
    m_r.fix.stage = stage;
    m_r.fix.detail_json = detail.dump();
    m_r.fix.updated = store::now_seconds();
    if (auto ok = m_ctx.store->put_fix(m_r.fix); !ok) {
      emit("loop", "error", "the fix state was not stored: " + ok.error());
      return false;
    }
    return true;
  }

  void verdict(const std::string& v, const std::string& why) {
    m_r.fix.verdict = v;
    (void)m_ctx.store->add_verdict(m_r.fix.attempt,
                                   v == "fixed" ? std::string(store::k_verdict_verified) : v, why,
                                   store::now_seconds());
    (void)m_ctx.store->add_audit("verdict:" + v, m_r.fix.bucket, m_r.fix.attempt, why,
                                 store::now_seconds());
  }

  void emit(const std::string& stage, const std::string& kind, const std::string& message,
            double seconds = 0, json data = json::object()) {
    if (m_ctx.emit) {
      m_ctx.emit(
          Event{stage, kind, m_r.fix.bucket, m_r.fix.attempt, message, seconds, std::move(data)});
    }
  }

private:
  const AttemptContext& m_ctx;
  AttemptResult& m_r;
};

std::vector<fix::FaultFrame> fault_frames(const model::Crash& crash) {
  std::vector<fix::FaultFrame> out;
  const auto& frames = crash.crashing_frames();
  size_t start = crash.meaningful_frame > 0 ? static_cast<size_t>(crash.meaningful_frame) : 0;
  for (size_t i = start; i < frames.size() && out.size() < 4; ++i) {
    out.push_back({frames[i].file, frames[i].line, frames[i].function});
  }
  return out;
}

std::string worktree_dir(const AttemptContext& ctx, const std::string& branch) {
  std::string name = branch;
  for (char& c : name) {
    if (c == '/') {
      c = '-';
    }
  }
  return absolute(ctx.fix.fix.worktree_dir) + "/" + name;
}

} // namespace

bool is_final_stage(const std::string& stage) {
  return stage == "no_patch" || stage == "masked" || stage == "apply_failed" ||
         stage == "build_failed" || stage == "not_fixed" || stage == "moved" ||
         stage == "regressed" || stage == "inconclusive" || stage == "ready" || stage == "landed" ||
         stage == "awaiting_approval" || stage == "reverted" || stage == "applied_by_user" ||
         stage == "error";
}

bool wants_retry(const std::string& stage) {
  return stage == "masked" || stage == "apply_failed" || stage == "build_failed" ||
         stage == "not_fixed" || stage == "moved" || stage == "regressed";
}

VerifyCommand verify_command(const AttemptContext& ctx, const std::string& worktree) {
  VerifyCommand vc;
  std::map<std::string, std::string> values = {{"worktree", worktree}, {"repo", ctx.repo}};
  auto expand = [&](const std::vector<std::string>& argv) {
    auto filled = util::build_argv(argv, values);
    return filled ? *filled : argv;
  };
  if (!ctx.fix.verify.repro_command.empty()) {
    vc.argv = expand(ctx.fix.verify.repro_command);
    vc.cwd = worktree;
    vc.repro = true;
    return vc;
  }
  std::string repo = absolute(ctx.repo);
  if (!ctx.verify_server_command.empty()) {
    vc.argv = expand(ctx.verify_server_command);
  } else {
    for (const auto& a : ctx.capture.supervisor.launch.argv) {
      vc.argv.push_back(rebase_path(a, repo, worktree));
    }
  }
  std::string cwd = ctx.capture.supervisor.launch.cwd;
  cwd = cwd.empty() ? fs::current_path().string() : absolute(cwd);
  std::string moved = rebase_path(cwd, repo, worktree);
  vc.cwd = moved == cwd ? worktree : moved;
  return vc;
}

AttemptResult advance_attempt(const AttemptContext& ctx, store::Fix fix, const model::Crash& crash,
                              int attempt_no) {
  AttemptResult r;
  r.fix = std::move(fix);
  Step step(ctx, r);
  json detail = detail_of(r.fix);
  auto cancelled = [&] { return ctx.cancel && ctx.cancel->load(); };

  auto response_row = ctx.store->get_response(r.fix.attempt);
  std::optional<queue::Response> response;
  if (response_row && *response_row) {
    json j = json::parse((*response_row)->json, nullptr, false);
    if (auto parsed = queue::response_from_json(j)) {
      response = std::move(*parsed);
    }
  }
  if (!response) {
    step.save("error", detail);
    step.emit("apply", "error", "the attempt's response is not in the store");
    return r;
  }

  if (r.fix.stage == "answered") {
    if (!response->auto_applicable()) {
      detail["summary"] = response->summary;
      step.save("no_patch", detail);
      step.emit("analyze", "no_patch",
                fmt::format("analysis only ({}): {}", response->status,
                            response->summary.empty() ? "no summary" : response->summary));
      return r;
    }
    auto t = Clock::now();
    fix::GateContext gc;
    gc.frames = fault_frames(crash);
    gc.assert_macros = ctx.fix.fix.assert_macros;
    gc.test_paths = ctx.fix.fix.test_paths;
    gc.window_lines = ctx.fix.fix.gate_window_lines;
    auto findings = fix::find_masks(response->diff, gc);
    auto assessment =
        fix::assess(ctx.policy, ctx.fix.fix, queue::summarize_diff(response->diff), findings);
    detail["gate"] = fix::to_json(findings);
    detail["risk"] = fix::to_json(assessment);
    detail["summary"] = response->summary;
    r.fix.risk = std::string(fix::to_string(assessment.risk));
    r.fix.needs_approval = assessment.needs_approval;
    r.fix.base_commit = response->base_commit;
    r.seconds["gate"] = since(t);
    if (fix::masked(findings)) {
      std::string why;
      for (const auto& f : findings) {
        why += fmt::format("{}{} at {}:{}: {}", why.empty() ? "" : "; ", f.rule, f.file, f.line,
                           f.why);
      }
      step.verdict("masked", why);
      r.feedback = "crashpilot's anti-mask gate refused the patch: " + why +
                   ". Fix the cause of the crash; do not hide it.";
      detail["feedback"] = r.feedback;
      step.save("masked", detail);
      step.emit("gate", "masked", "MASKED: " + why, r.seconds["gate"], detail["gate"]);
      return r;
    }
    step.emit("gate", "passed",
              fmt::format("gate passed; risk {}{}", r.fix.risk,
                          r.fix.needs_approval ? " (needs approval)" : ""),
              r.seconds["gate"], detail["risk"]);
    if (!step.save("gated", detail)) {
      return r;
    }
  }

  std::optional<fix::AttemptWorktree> wt;
  if (r.fix.stage == "gated" || r.fix.stage == "applied" || r.fix.stage == "built") {
    if (r.fix.branch.empty()) {
      r.fix.branch = fmt::format("{}{}-{}", ctx.fix.fix.branch_prefix, r.fix.bucket, attempt_no);
      r.fix.worktree = worktree_dir(ctx, r.fix.branch);
    }
    auto made =
        fix::AttemptWorktree::create(ctx.repo, r.fix.base_commit, r.fix.branch, r.fix.worktree);
    if (!made) {
      step.verdict("apply_failed", made.error());
      r.feedback = "the patch could not be applied: " + made.error();
      detail["feedback"] = r.feedback;
      step.save("apply_failed", detail);
      step.emit("apply", "failed", made.error());
      return r;
    }
    wt = std::move(*made);
  }

  if (r.fix.stage == "gated" || (r.fix.stage == "applied" && r.fix.commit.empty())) {
    auto t = Clock::now();
    auto head = wt->head();
    bool committed = head && *head != wt->base();
    if (!committed) {
      auto applied = wt->apply(*response);
      if (!applied) {
        step.verdict("apply_failed", applied.error());
        r.feedback = "the patch did not apply to the base commit: " + applied.error();
        detail["feedback"] = r.feedback;
        step.save("apply_failed", detail);
        step.emit("apply", "failed", applied.error());
        (void)wt->remove(false);
        return r;
      }
      auto commit = wt->commit(
          fmt::format("crashpilot: fix {} (attempt {})\n\n{}\n", r.fix.bucket, attempt_no,
                      response->summary.empty() ? std::string("(no summary)") : response->summary));
      if (!commit) {
        step.save("error", detail);
        step.emit("apply", "error", commit.error());
        return r;
      }
      r.fix.commit = *commit;
    } else {
      r.fix.commit = *head;
    }
    r.seconds["apply"] = since(t);
    if (!step.save("applied", detail)) {
      return r;
    }
    step.emit("apply", "applied",
              fmt::format("applied on branch {} ({})", r.fix.branch, r.fix.commit.substr(0, 12)),
              r.seconds["apply"], {{"branch", r.fix.branch}, {"worktree", r.fix.worktree}});
  }

  if (r.fix.stage == "applied") {
    auto t = Clock::now();
    std::string log = r.fix.worktree + ".build.log";
    auto spec = fix::build_spec(ctx.fix.fix, r.fix.worktree, ctx.repo, log);
    step.emit("build", "started", fmt::format("building in {}", r.fix.worktree));
    auto built = fix::run_build(spec, ctx.cancel);
    r.seconds["build"] = since(t);
    if (cancelled()) {
      return r; // the stage stays "applied": the next run builds again
    }
    if (!built || !built->ok) {
      std::string why = built ? built->message : built.error();
      detail["build"] = built ? fix::to_json(*built) : json{{"error", built.error()}};
      step.verdict("build_failed", why);
      std::string errors;
      if (built) {
        for (const auto& e : built->errors) {
          errors += e + "\n";
        }
        if (errors.empty()) {
          errors = built->tail;
        }
      }
      r.feedback = "the patched tree did not build (" + why + "):\n" + errors;
      detail["feedback"] = r.feedback;
      step.save("build_failed", detail);
      step.emit("build", "failed", why, r.seconds["build"]);
      (void)wt->remove(true); // the branch stays for a look; the worktree and its build go
      return r;
    }
    detail["build"] = fix::to_json(*built);
    if (!step.save("built", detail)) {
      return r;
    }
    step.emit("build", "built", fmt::format("built in {:.1f} s", r.seconds["build"]),
              r.seconds["build"]);
  }

  if (r.fix.stage == "built") {
    auto t = Clock::now();
    VerifyCommand vc = verify_command(ctx, r.fix.worktree);
    fix::VerifySpec spec;
    spec.watch.settings = ctx.capture;
    spec.watch.settings.supervisor.launch.argv = vc.argv;
    spec.watch.settings.supervisor.launch.cwd = vc.cwd;
    spec.watch.settings.crash_dir = r.fix.worktree + ".crashes";
    spec.watch.config = ctx.config;
    spec.watch.rules = ctx.rules;
    spec.watch.cwd = vc.cwd;
    spec.watch.tee_stdout = -1;
    spec.watch.tee_stderr = -1;
    spec.repro = vc.repro;
    spec.runs = ctx.fix.verify.repro_runs;
    spec.run_timeout =
        std::chrono::duration_cast<std::chrono::milliseconds>(ctx.fix.verify.repro_timeout);
    std::vector<double> uptimes = ctx.uptimes ? ctx.uptimes(r.fix.bucket) : std::vector<double>{};
    auto rate = fix::estimate_rate(uptimes, ctx.fix.verify.default_crash_interval);
    auto plan = fix::plan_soak(rate.rate_per_second, ctx.fix.verify);
    spec.soak_seconds = plan.seconds;
    spec.is_near = ctx.is_near;
    spec.cancel = ctx.cancel;
    spec.progress = [&](std::string_view event, std::string_view what) {
      step.emit("verify", std::string(event), std::string(what));
    };
    spec.captured = [&](capture::Captured& c) {
      bool own = c.crash.signature.id == crash.signature.id ||
                 (ctx.is_near && ctx.is_near(c.crash.signature, crash.signature));
      if (!own && ctx.record) {
        ctx.record(c, r.fix.commit);
      }
    };
    if (!vc.repro) {
      detail["soak"] = fix::to_json(plan);
      step.emit("verify", "plan", fix::describe(plan, rate), 0, fix::to_json(plan));
    }
    fix::VerifyTarget target;
    target.signature = crash.signature;
    target.diff = response->diff;
    // A different crash sooner than half the old crash's shortest time to crash says nothing
    // about the fix; later than that, the old crash would most likely have happened first.
    double shortest = 0;
    for (double u : uptimes) {
      shortest = shortest == 0 ? u : std::min(shortest, u);
    }
    target.typical_uptime_seconds = shortest / 2;
    auto result = fix::verify(target, spec);
    r.seconds["verify"] = since(t);
    if (cancelled()) {
      return r; // still "built": verified again on resume
    }
    detail["verify"] = fix::to_json(result);
    std::string v(fix::to_string(result.verdict));
    step.verdict(v, result.detail);
    step.emit("verify", v, fmt::format("{}: {}", v, result.detail), r.seconds["verify"],
              detail["verify"]);
    if (result.verdict != fix::Verdict::fixed) {
      r.feedback = fmt::format("the patch was built and run: verdict {} — {}", v, result.detail);
      detail["feedback"] = r.feedback;
      step.save(v, detail);
      (void)wt->remove(true);
      return r;
    }
    if (!step.save("verified", detail)) {
      return r;
    }
  }

  if (r.fix.stage == "verified") {
    if (!ctx.auto_merge || r.fix.needs_approval) {
      std::string stage = ctx.auto_merge ? "awaiting_approval" : "ready";
      step.save(stage, detail);
      step.emit(
          "land", stage,
          fmt::format("{} on branch {}; to merge it: crashpilot apply {}",
                      ctx.auto_merge ? "needs your approval (risk " + r.fix.risk + ")"
                                     : "verified fix ready",
                      r.fix.branch, r.fix.attempt),
          0,
          {{"branch", r.fix.branch}, {"apply", fmt::format("crashpilot apply {}", r.fix.attempt)}});
      if (wt) {
        (void)wt->remove(true);
      }
      return r;
    }
    auto t = Clock::now();
    auto landed = fix::land(ctx.repo, r.fix.branch, r.fix.base_commit);
    r.seconds["land"] = since(t);
    if (!landed) {
      step.save("awaiting_approval", detail);
      step.emit("land", "refused",
                fmt::format("not merged: {}; merge it later with crashpilot apply {}",
                            landed.error(), r.fix.attempt));
      return r;
    }
    r.fix.landed_commit = landed->head;
    r.landed = true;
    step.save("landed", detail);
    (void)ctx.store->set_status(r.fix.bucket, store::BucketStatus::fixed, r.fix.attempt);
    (void)ctx.store->add_audit("landed", r.fix.bucket, r.fix.attempt, landed->head,
                               store::now_seconds());
    step.emit("land", "landed",
              fmt::format("merged into your branch ({})", landed->head.substr(0, 12)),
              r.seconds["land"], {{"commit", landed->head}});
    if (wt) {
      (void)wt->remove(true);
    }
  }
  return r;
}

} // namespace crashpilot::loop
