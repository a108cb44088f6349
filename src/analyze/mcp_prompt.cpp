// SPDX-License-Identifier: MIT
#include <analyze/mcp_prompt.hpp>
#include <analyze/prompt_template.hpp>
#include <queue/policy.hpp>

namespace crashpilot::analyze {

using nlohmann::json;

json analyze_crash_prompt_definition() {
  return {{"name", "analyze_crash"},
          {"title", "Analyze a queued crash"},
          {"description",
           "Claim a crash from the crashpilot queue, find its root cause and submit a fix"},
          {"arguments",
           json::array({{{"name", "request_id"},
                         {"description", "The request to analyze; empty = the first pending one"},
                         {"required", false}}})}};
}

std::string render_analyze_crash_prompt(const McpContext& ctx, const std::string& request_id) {
  PromptInput in;
  in.request_id = request_id;
  in.queue_root = ctx.queue.options().root;
  in.allowed_paths = ctx.options.allowed_paths;
  in.forbidden_paths = ctx.options.forbidden_paths;
  if (!request_id.empty()) {
    if (auto entry = find_request(ctx, request_id); entry && entry->request.contains("policy")) {
      if (auto p = queue::policy_from_json(entry->request["policy"])) {
        in.allowed_paths = p->allowed_paths;
        in.forbidden_paths = p->forbidden_paths;
      }
    }
  }
  return render_prompt(in);
}

} // namespace crashpilot::analyze
