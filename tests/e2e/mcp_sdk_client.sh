#!/usr/bin/env bash
# `crashpilot mcp` driven by the official MCP TypeScript SDK client (npm @modelcontextprotocol/sdk,
# Client + StdioClientTransport): handshake, ping, every tool, prompts and resources, with the
# SDK's own response validation. Skipped when node or tests/mcp-client/node_modules is missing
# (install: cd tests/mcp-client && npm ci).
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/mcp_lib.bash"
client_dir=$CRASHPILOT_SOURCE_DIR/tests/mcp-client
command -v node >/dev/null || skip "node is not installed"
command -v jq >/dev/null || skip "jq is not installed"
[ -d "$client_dir/node_modules/@modelcontextprotocol/sdk" ] ||
  skip "the MCP SDK is not installed (cd tests/mcp-client && npm ci)"
make_workspace

run node "$client_dir/client.mjs" "$CRASHPILOT" "$scratch/crashpilot.toml" "$request_id" "$second_id"
expect_rc 0
[ "$(jq -r .ok stdout.txt)" = true ] || fail "client summary: $out"
[ "$(jq -r .server.name stdout.txt)" = crashpilot ] || fail "serverInfo: $out"

# What the SDK submitted is a response the queue accepts.
run "$CRASHPILOT" queue check --config "$scratch/crashpilot.toml" "$request_id"
expect_rc 0
