// SPDX-License-Identifier: MIT
#pragma once

// MCP resources of the queue (agent-integration.md §6.4), under a custom `crash://` scheme:
//   crash://{request_id}/request.json   the request as the queue holds it (lease ids left out)
//   crash://{request_id}/report.txt     the raw crash report from the store
//   crash://{request_id}/logs/{source}  log lines before the crash (server, playerbot, all)
//   crash://{request_id}/source/{+path} a file at the request's base commit (template only)

#include <util/expected.hpp>

#include <analyze/mcp_context.hpp>
#include <nlohmann/json.hpp>

#include <string>

namespace crashpilot::analyze {

// resources/list: {resources:[...], nextCursor?}. An error only for a bad cursor.
util::Expected<nlohmann::json> list_resources(McpContext& ctx, const std::string& cursor);

// resources/templates/list: {resourceTemplates:[...]}.
nlohmann::json resource_templates();

// resources/read: {contents:[{uri, mimeType, text}]}. An error means "not found" and says why.
util::Expected<nlohmann::json> read_resource(McpContext& ctx, const std::string& uri);

} // namespace crashpilot::analyze
