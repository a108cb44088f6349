#!/usr/bin/env bash
# `crashpilot mcp` in the legacy era (MCP 2025-11-25 and older): initialize, notifications/
# initialized, ping, tools/list, every tool through raw JSON-RPC lines, the prompt and the
# resources; the accepted fix passes `queue check`; closing stdin ends the server with exit 0.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/mcp_lib.bash"
command -v jq >/dev/null || skip "jq is not installed"
make_workspace
start_mcp

request initialize '{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"e2e","version":"1"}}'
[ "$(jq -r .result.protocolVersion <<<"$reply")" = 2025-06-18 ] || fail "initialize: $reply"
[ "$(jq -r .result.serverInfo.name <<<"$reply")" = crashpilot ] || fail "initialize: $reply"
send '{"jsonrpc":"2.0","method":"notifications/initialized"}'
request ping '{}'
[ "$(jq -c .result <<<"$reply")" = '{}' ] || fail "ping: $reply"

request tools/list '{}'
[ "$(jq '.result.tools | length' <<<"$reply")" = 10 ] || fail "tools/list: $reply"
jq -e '.result.tools | all(.inputSchema.type == "object" and .inputSchema.additionalProperties == false)' \
  <<<"$reply" >/dev/null || fail "tools/list schemas: $reply"
jq -e '.result | has("resultType") | not' <<<"$reply" >/dev/null || fail "legacy result carries resultType"

sweep_tools

request prompts/get "$(jq -cn --arg r "$request_id" '{name: "analyze_crash", arguments: {request_id: $r}}')"
jq -r '.result.messages[0].content.text' <<<"$reply" | grep -qF "Request to analyze: $request_id" ||
  fail "prompts/get: $reply"
request resources/read "$(jq -cn --arg u "crash://$request_id/report.txt" '{uri: $u}')"
jq -r '.result.contents[0].text' <<<"$reply" | grep -qF "LookupEntry" || fail "report resource: $reply"
request resources/read '{"uri":"crash://nosuchid/request.json"}'
[ "$(jq .error.code <<<"$reply")" = -32002 ] || fail "legacy not-found code: $reply"

# Close stdin: the server exits 0, and everything it wrote was protocol.
exec {mcp_in}>&-
wait "$mcp_pid" && rc=0 || rc=$?
[ "$rc" -eq 0 ] || fail "crashpilot mcp exited $rc on EOF; stderr: $(cat "$scratch/mcp.err")"
grep -qF "input closed" "$scratch/mcp.err" || fail "no shutdown line on stderr"

# The response the tool wrote is one the queue accepts.
run "$CRASHPILOT" queue check --config "$scratch/crashpilot.toml" "$request_id"
expect_rc 0
expect_out "is valid"
