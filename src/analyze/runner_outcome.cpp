// SPDX-License-Identifier: MIT
#include <util/string.hpp>

#include <analyze/runner_outcome.hpp>
#include <fmt/format.h>

#include <cstring>

namespace crashpilot::analyze {

std::string_view to_string(Outcome o) {
  switch (o) {
  case Outcome::answered:
    return "answered";
  case Outcome::rejected:
    return "rejected";
  case Outcome::agent_failed:
    return "agent_failed";
  case Outcome::timed_out:
    return "timed_out";
  case Outcome::cancelled:
    return "cancelled";
  }
  return "agent_failed";
}

namespace {

bool transient_api_status(int status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
         status == 504 || status == 529;
}

bool transient_text(std::string_view text) {
  for (std::string_view word : {"rate limit", "rate_limit", "overloaded", "429", "529",
                                "temporarily unavailable", "timeout", "ECONNRESET"}) {
    if (util::icontains(text, word)) {
      return true;
    }
  }
  return false;
}

std::string detail_of(const RunEvidence& e) {
  if (!e.report.error.empty()) {
    return e.report.error;
  }
  return e.stderr_tail;
}

std::string with_detail(std::string head, const std::string& detail) {
  std::string d(util::trim(detail));
  if (!d.empty()) {
    if (d.size() > 300) {
      d = "..." + d.substr(d.size() - 300);
    }
    head += ": " + d;
  }
  return head;
}

} // namespace

Classification classify_run(const RunEvidence& e) {
  Classification c;
  if (e.artifact == Artifact::valid) {
    c.outcome = Outcome::answered;
    c.retryable = false;
    if (e.timed_out) {
      c.reason = "the response arrived before the agent was stopped (it timed out afterwards)";
    }
    return c;
  }
  if (e.artifact == Artifact::rejected) {
    c.outcome = Outcome::rejected;
    c.retryable = true; // the next attempt is told the reasons
    c.reason = "the response was rejected by validation";
    c.reasons = e.artifact_reasons;
    return c;
  }
  if (e.cancelled) {
    c.outcome = Outcome::cancelled;
    c.reason = "interrupted before the agent answered";
    return c;
  }
  if (!e.started) {
    c.outcome = Outcome::agent_failed;
    c.reason = with_detail("the agent could not be started", e.start_error);
    if (e.start_error.find("No such file") != std::string::npos) {
      c.reason += " (is it installed and on PATH? or set agents.<name>.argv)";
    }
    return c;
  }
  if (e.timed_out) {
    c.outcome = Outcome::timed_out;
    c.retryable = true;
    c.reason = e.idle_timed_out ? fmt::format("the agent printed nothing for {} s and was stopped "
                                              "([analyze] idle_timeout_seconds)",
                                              e.idle_seconds)
                                : fmt::format("the agent ran longer than {} s and was stopped "
                                              "([analyze] timeout_seconds)",
                                              e.wall_seconds);
    return c;
  }
  c.outcome = Outcome::agent_failed;
  const AgentReport& r = e.report;
  if ((r.api_status && transient_api_status(*r.api_status)) ||
      (r.is_error && transient_text(r.error))) {
    c.retryable = true;
    c.reason = with_detail(r.api_status ? fmt::format("the model API failed with HTTP {} "
                                                      "(rate limit or overload)",
                                                      *r.api_status)
                                        : std::string("the model API was rate-limited or "
                                                      "overloaded"),
                           r.error);
    return c;
  }
  if (r.subtype == "error_max_turns" || r.subtype == "error_max_budget_usd") {
    c.reason = fmt::format("the agent hit its {} cap without answering ({}); raise it in "
                           "[analyze] or the preset",
                           r.subtype == "error_max_turns" ? "turn" : "budget", r.subtype);
    return c;
  }
  if (!r.mcp_failed.empty()) {
    c.reason = fmt::format("MCP servers did not connect: {}; check the agent's MCP setup",
                           fmt::join(r.mcp_failed, ", "));
    return c;
  }
  if (e.out_dropped > 0) {
    c.reason = fmt::format("the agent printed more than {} bytes ({} more were dropped) and left "
                           "no response",
                           e.max_output_bytes, e.out_dropped);
    return c;
  }
  if (e.term_signal != 0) {
    c.retryable = true;
    c.reason = with_detail(fmt::format("the agent was killed by signal {} ({})", e.term_signal,
                                       ::strsignal(e.term_signal)),
                           detail_of(e));
    return c;
  }
  if (e.exit_code != 0) {
    c.retryable = true;
    c.reason =
        with_detail(fmt::format("the agent exited with status {}", e.exit_code), detail_of(e));
    return c;
  }
  if (r.is_error) {
    c.retryable = true;
    c.reason = with_detail("the agent reported an error", r.error);
    return c;
  }
  c.reason = r.claims_success ? "the agent reported success but left no response (nothing "
                                "submitted, no response file, no changes in the worktree)"
                              : "the agent exited without a response (nothing submitted, no "
                                "response file, no changes in the worktree)";
  return c;
}

} // namespace crashpilot::analyze
