// SPDX-License-Identifier: MIT
#include <analyze/prompt_template.hpp>
#include <fmt/format.h>

namespace crashpilot::analyze {

namespace {

bool interactive(const PromptInput& in) {
  return in.lease_id.empty();
}

std::string list(const std::vector<std::string>& items) {
  return items.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(items, ", "));
}

} // namespace

std::string render_prompt(const PromptInput& in) {
  std::string p;
  auto line = [&](std::string_view s) {
    p += s;
    p += '\n';
  };
  const std::string& tool = in.mcp_server_name;
  if (interactive(in)) {
    line(fmt::format("Request to analyze: {}", in.request_id));
    line(in.mcp ? "If that is empty, call list_crashes and take the first pending crash."
                : fmt::format("If that is empty, take the oldest request file in {}/requests/.",
                              in.queue_root));
  } else {
    line(fmt::format("You are analyzing crash request {} from the crashpilot queue. It is already "
                     "claimed for you:",
                     in.request_id));
    line(fmt::format("  request_id: {}", in.request_id));
    line(fmt::format("  lease_id: {}", in.lease_id));
    if (!in.crash_line.empty()) {
      line(fmt::format("  crash: {}", in.crash_line));
    }
    if (!in.base_commit.empty()) {
      line(fmt::format("  base_commit: {}", in.base_commit));
    }
    if (!in.workdir.empty()) {
      line(fmt::format("  source tree: {} (a scratch git worktree at base_commit)", in.workdir));
    }
    line(fmt::format("  request file: {}", in.request_path));
    line(fmt::format("  response file: {}", in.response_path));
    line("Do not call claim_crash; pass this lease_id wherever a tool asks for one.");
  }
  line("");
  int n = 1;
  auto step = [&](const std::string& s) { line(fmt::format("{}. {}", n++, s)); };
  if (interactive(in) && in.mcp) {
    step("Call claim_crash for that request and keep the lease_id it returns.");
  }
  if (in.mcp) {
    step("Read the crash with get_crash, get_stack and get_logs; read code with get_source (it "
         "reads the request's base commit, the code that crashed) or your own file tools.");
    step("Check similar_crashes for earlier fixes of the same or a near signature, and how they "
         "fared.");
  } else {
    step("Read the request file: the crash, its stack, the log lines before it and source "
         "snippets. Read code in the source tree.");
  }
  step(fmt::format("Find the root cause. Change only files the request's policy.allowed_paths "
                   "permit ({}; never {}), in as few lines as possible.",
                   list(in.allowed_paths), list(in.forbidden_paths)));
  if (in.edits) {
    step("Make the fix by editing the files in the source tree; crashpilot turns your changes "
         "into the patch (do not commit them). Then write the response file below with status "
         "\"complete\" and your analysis (no patch needed).");
  } else if (in.mcp) {
    step("Call submit_fix with the analysis and either edits (exact old_string/new_string pairs) "
         "or a unified diff against source.base_commit. If submit_fix reports problems, fix them "
         "and call it again.");
  } else {
    step("Write the response file below with the analysis and the fix as a unified diff against "
         "base_commit (patch.diff) or as edits (exact old_string/new_string pairs).");
  }
  if (in.mcp && interactive(in)) {
    step("If there is no safe fix, call release_crash with the reason.");
  } else {
    step("If there is no safe fix, answer with status \"no_fix\" (analysis only) or "
         "\"needs_info\" (say what is missing). Never claim a fix you did not make.");
  }
  line("");
  if (!in.extra_servers.empty()) {
    line("Other MCP servers you can use for code search and domain knowledge:");
    for (const auto& s : in.extra_servers) {
      line(s.description.empty() ? fmt::format("- {}", s.name)
                                 : fmt::format("- {}: {}", s.name, s.description));
    }
    line("");
  }
  if (!in.feedback.empty()) {
    line("The previous attempt at this request failed:");
    line(in.feedback);
    line("Address that in this attempt.");
    line("");
  }
  if (interactive(in)) {
    line(fmt::format("If the {} tools are unavailable, read the request file under "
                     "{}/in_progress/ and write the response JSON, in the shape given by "
                     "`crashpilot schema print response`, to the path in the request's "
                     "reply.response_path.",
                     tool, in.queue_root));
  } else {
    line(fmt::format(
        "{}The response file is JSON (`crashpilot schema print response` prints its schema):",
        in.mcp ? fmt::format("If the {} tools are unavailable, write the response file "
                             "yourself. ",
                             tool)
               : std::string()));
    line(fmt::format(R"({{"schema_version": 2, "request_id": "{}", "lease_id": "{}", )"
                     R"("status": "complete" | "no_fix" | "needs_info",)",
                     in.request_id, in.lease_id));
    line(R"( "analysis": {"summary": "...", "root_cause": "...", "confidence": 0.7,)");
    line(
        R"(   "crash_location": {"file": "...", "line": 1, "function": "..."}, "evidence": ["..."]},)");
    line(fmt::format(
        R"( "patch": {{"format": "unified-diff", "base_commit": "{}", "diff": "..."}}}})",
        in.base_commit));
    line("Write it whole in one go (write a temporary file, then rename it). Only a response that "
         "passes crashpilot's validation counts; what you print does not.");
  }
  return p;
}

} // namespace crashpilot::analyze
