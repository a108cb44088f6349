#!/usr/bin/env bash
# `crashpilot mcp` in the 2026-07-28 era: no initialize; server/discover; every request carries
# _meta; results carry resultType, serverInfo and cache hints; a wrong version gets -32022 with the
# supported versions of both eras; every tool works statelessly (the lease id is the only state).
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/mcp_lib.bash"
command -v jq >/dev/null || skip "jq is not installed"
make_workspace
start_mcp
era=modern

# The spec's own example request (schema/2026-07-28/examples/DiscoverRequest).
call '{"jsonrpc":"2.0","id":"discover-1","method":"server/discover","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientInfo":{"name":"ExampleClient","version":"1.0.0"},"io.modelcontextprotocol/clientCapabilities":{}}}}'
[ "$(jq -r .id <<<"$reply")" = discover-1 ] || fail "discover id: $reply"
jq -e '.result.resultType == "complete" and .result.supportedVersions == ["2026-07-28"]
       and .result._meta["io.modelcontextprotocol/serverInfo"].name == "crashpilot"
       and (.result.ttlMs | type) == "number" and (.result.cacheScope | type) == "string"' \
  <<<"$reply" >/dev/null || fail "server/discover: $reply"

# Unsupported version: -32022 naming what is supported.
call '{"jsonrpc":"2.0","id":"v","method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"1900-01-01","io.modelcontextprotocol/clientCapabilities":{}}}}'
jq -e '.error.code == -32022 and (.error.data.supported | index("2026-07-28")) != null
       and (.error.data.supported | index("2025-11-25")) != null and .error.data.requested == "1900-01-01"' \
  <<<"$reply" >/dev/null || fail "-32022: $reply"
# A required _meta field missing: -32602.
call '{"jsonrpc":"2.0","id":"c","method":"tools/list","params":{"_meta":{"io.modelcontextprotocol/protocolVersion":"2026-07-28"}}}'
[ "$(jq .error.code <<<"$reply")" = -32602 ] || fail "missing clientCapabilities: $reply"
# No era at all (no initialize, no _meta): -32602 that names both ways in.
call '{"jsonrpc":"2.0","id":"n","method":"tools/list"}'
[ "$(jq .error.code <<<"$reply")" = -32602 ] || fail "no era: $reply"
jq -r .error.message <<<"$reply" | grep -qF initialize || fail "no era message: $reply"

request tools/list '{}'
jq -e '.result.resultType == "complete" and .result.ttlMs == 0 and .result.cacheScope == "private"
       and (.result.tools | length) == 10' <<<"$reply" >/dev/null || fail "tools/list: $reply"

sweep_tools
jq -e '.result.resultType == "complete"' <<<"$reply" >/dev/null || fail "tools/call resultType: $reply"

request resources/list '{}'
jq -e --arg u "crash://$request_id/request.json" '.result.ttlMs == 0 and ([.result.resources[].uri] | index($u)) != null' \
  <<<"$reply" >/dev/null || fail "resources/list: $reply"
request resources/read '{"uri":"crash://nosuchid/request.json"}'
[ "$(jq .error.code <<<"$reply")" = -32602 ] || fail "modern not-found code: $reply"
request prompts/list '{}'
[ "$(jq -r '.result.prompts[0].name' <<<"$reply")" = analyze_crash ] || fail "prompts/list: $reply"

# SIGTERM ends the server promptly with exit 0, even with stdin still open.
kill -TERM "$mcp_pid"
wait "$mcp_pid" && rc=0 || rc=$?
[ "$rc" -eq 0 ] || fail "crashpilot mcp exited $rc on SIGTERM; stderr: $(cat "$scratch/mcp.err")"
grep -qF "signal 15" "$scratch/mcp.err" || fail "no signal line on stderr: $(cat "$scratch/mcp.err")"
