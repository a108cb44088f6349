# Sourced by tests/e2e/mcp_*.sh after common.sh (named .bash so CTest does not run it as a test).
# A workspace like a user's: a git repository holding the files of a real crash report's stack, a
# crashpilot.toml, the report ingested; and `crashpilot mcp` running as a coprocess, spoken to one
# raw JSON-RPC line at a time.

travel=modules/mod-playerbots/src/Mgr/Travel/TravelMgr.cpp
flee=modules/mod-playerbots/src/Mgr/Move/FleeManager.cpp
dbc=src/server/shared/DataStores/DBCStore.h
line_401='    MapEntry const* entry = sMapStore.LookupEntry(mapid);'

numbered() { # numbered NAME LINES: "// NAME line N", with line 401 a real-looking statement
  local i
  for ((i = 1; i <= $2; i++)); do
    if [ "$i" -eq 401 ]; then echo "$line_401"; else echo "// $1 line $i"; fi
  done
}

make_workspace() {
  repo=$scratch/repo
  mkdir -p "$repo/$(dirname $travel)" "$repo/$(dirname $flee)" "$repo/$(dirname $dbc)"
  numbered TravelMgr.cpp 450 >"$repo/$travel"
  numbered FleeManager.cpp 200 >"$repo/$flee"
  numbered DBCStore.h 100 >"$repo/$dbc"
  echo 'PASSWORD=hunter2' >"$repo/.env"
  git -C "$repo" init -q
  git -C "$repo" add -A
  git -C "$repo" -c user.name=t -c user.email=t@t commit -q -m base
  base_commit=$(git -C "$repo" rev-parse HEAD)
  cat >"$scratch/crashpilot.toml" <<EOF
[queue]
root = "$scratch/q"
repo_root = "$repo"
[store]
path = "$scratch/s.db"
[policy]
allowed_paths = ['modules/**', 'src/server/game/**']
forbidden_paths = ['.git/**', 'src/server/shared/**']
max_files = 3
max_changed_lines = 50
EOF
  run "$CRASHPILOT" ingest --config "$scratch/crashpilot.toml" --json \
    "$(fixture gdb/playerbots-2608-fleemanager-lookupentry-btfull.txt)"
  expect_rc 0
  request_id=$(jq -r .request.request_id stdout.txt)
  run "$CRASHPILOT" ingest --config "$scratch/crashpilot.toml" --json \
    "$(fixture gdb/ac-2216-crashscript-handleaddignore.txt)"
  expect_rc 0
  second_id=$(jq -r .request.request_id stdout.txt)
  [ -n "$request_id" ] && [ -n "$second_id" ] && [ "$request_id" != "$second_id" ] ||
    fail "ingest did not give two requests: $request_id $second_id"
}

next_id=0
start_mcp() {
  coproc MCP { exec "$CRASHPILOT" mcp --config "$scratch/crashpilot.toml" "$@" 2>"$scratch/mcp.err"; }
  mcp_pid=$MCP_PID
  # Own copies of the pipes: bash closes a coprocess's fds when it exits, which would race with
  # reading its last output. The originals are closed so that closing mcp_in is the server's EOF.
  exec {mcp_in}>&"${MCP[1]}" {mcp_out}<&"${MCP[0]}"
  eval "exec ${MCP[1]}>&- ${MCP[0]}<&-"
}

send() { printf '%s\n' "$1" >&"$mcp_in"; }

recv() {
  IFS= read -r -t 30 reply <&"$mcp_out" || fail "no reply from crashpilot mcp; stderr: $(cat "$scratch/mcp.err")"
  echo "$reply" >>"$scratch/replies.jsonl"
}

call() { send "$1"; recv; }

# request METHOD PARAMS_JSON: a request in the current era ($era: legacy or modern); the reply is in
# $reply.
era=legacy
meta='{"io.modelcontextprotocol/protocolVersion":"2026-07-28","io.modelcontextprotocol/clientCapabilities":{},"io.modelcontextprotocol/clientInfo":{"name":"e2e","version":"1"}}'
request() {
  next_id=$((next_id + 1))
  local params=$2
  if [ "$era" = modern ]; then
    params=$(jq -c --argjson m "$meta" '. + {_meta: $m}' <<<"$params")
  fi
  call "$(jq -cn --arg m "$1" --argjson p "$params" --argjson id "$next_id" \
    '{jsonrpc: "2.0", id: $id, method: $m, params: $p}')"
  [ "$(jq .id <<<"$reply")" = "$next_id" ] || fail "reply to $1 has the wrong id: $reply"
}

# tool NAME ARGS_JSON: tools/call; $result is the structuredContent, $is_error true/false.
tool() {
  request tools/call "$(jq -cn --arg n "$1" --argjson a "$2" '{name: $n, arguments: $a}')"
  jq -e .result <<<"$reply" >/dev/null || fail "tools/call $1 gave no result: $reply"
  result=$(jq -c .result.structuredContent <<<"$reply")
  is_error=$(jq -r .result.isError <<<"$reply")
  # The text block is the same JSON.
  [ "$(jq -c '.result.content[0].text | fromjson' <<<"$reply")" = "$result" ] ||
    fail "$1: text content differs from structuredContent"
}
expect_tool_ok() { [ "$is_error" = false ] || fail "$1 failed: $result"; }
expect_tool_error() {
  [ "$is_error" = true ] || fail "$1 should have failed: $result"
  [ -z "${2:-}" ] || grep -qF -- "$2" <<<"$result" || fail "$1: error lacks '$2': $result"
}
field() { jq -r "$1" <<<"$result"; }

# Every tool once, in the current era, on the workspace's two requests.
sweep_tools() {
  tool list_crashes '{}'
  expect_tool_ok list_crashes
  [ "$(field '.crashes | length')" = 2 ] || fail "list_crashes: $result"

  tool claim_crash "$(jq -cn --arg r "$request_id" '{request_id: $r, agent: "e2e-agent", lease_seconds: 600}')"
  expect_tool_ok claim_crash
  lease=$(field .lease_id)
  [ "${#lease}" = 32 ] || fail "claim_crash: no lease: $result"

  tool get_crash "$(jq -cn --arg r "$request_id" '{request_id: $r, sections: ["crash", "policy"]}')"
  expect_tool_ok get_crash
  [ "$(field .crash.crash_function)" = DBCStorage::LookupEntry ] || fail "get_crash: $result"
  [ "$(field .claimed_by)" = e2e-agent ] || fail "get_crash: claim not shown: $result"

  tool get_stack "$(jq -cn --arg r "$request_id" '{request_id: $r, with_source: true}')"
  expect_tool_ok get_stack
  [ "$(field "[.frames[] | select(.line == 401)][0].repo_path")" = "$travel" ] || fail "get_stack: $result"
  field "[.frames[] | select(.line == 401)][0].source.text" | grep -qF "$line_401" || fail "get_stack source: $result"

  tool get_source "$(jq -cn --arg r "$request_id" --arg p "$travel" '{request_id: $r, path: $p, line: 401, context_lines: 3}')"
  expect_tool_ok get_source
  [ "$(field .commit)" = "$base_commit" ] || fail "get_source: not the base commit: $result"
  field .text | grep -qF ">   401  $line_401" || fail "get_source: $result"
  tool get_source "$(jq -cn --arg r "$request_id" '{request_id: $r, path: "../../etc/passwd", line: 1}')"
  expect_tool_error get_source "path traversal"
  tool get_source "$(jq -cn --arg r "$request_id" '{request_id: $r, path: ".env", line: 1}')"
  expect_tool_error get_source "secret"

  tool get_logs "$(jq -cn --arg r "$request_id" '{request_id: $r, max_lines: 50}')"
  expect_tool_ok get_logs
  [ "$(field .request_id)" = "$request_id" ] || fail "get_logs: $result"

  tool similar_crashes "$(jq -cn --arg r "$request_id" '{request_id: $r}')"
  expect_tool_ok similar_crashes
  [ "$(field .this_bucket.crash_function)" = DBCStorage::LookupEntry ] || fail "similar_crashes: $result"

  # A fix in a forbidden file: rejected by the queue's validator, the lease stays.
  tool submit_fix "$(jq -cn --arg r "$request_id" --arg l "$lease" --arg p "$dbc" \
    '{request_id: $r, lease_id: $l, status: "complete", analysis: {summary: "guard the lookup"},
      edits: [{path: $p, old_string: "// DBCStore.h line 69", new_string: "// guarded"}]}')"
  expect_tool_error submit_fix "src/server/shared/**"
  tool get_fix_status "$(jq -cn --arg r "$request_id" '{request_id: $r}')"
  [ "$(field .state)" = rejected ] || fail "get_fix_status after rejection: $result"

  # The corrected fix is accepted and waits for the fix stage.
  tool submit_fix "$(jq -cn --arg r "$request_id" --arg l "$lease" --arg p "$travel" --arg o "$line_401" \
    '{request_id: $r, lease_id: $l, status: "complete",
      analysis: {summary: "mapid can be invalid", root_cause: "no check", confidence: 0.6},
      edits: [{path: $p, old_string: $o, new_string: ($o + "\n    if (!entry)\n        return nullptr;")}]}')"
  expect_tool_ok submit_fix
  job=$(field .job_id)
  [ -f "$scratch/q/responses/response_$request_id.json" ] || fail "submit_fix wrote no response"
  tool get_fix_status "$(jq -cn --arg r "$request_id" '{request_id: $r}')"
  [ "$(field .state)" = queued ] && [ "$(field .job_id)" = "$job" ] || fail "get_fix_status: $result"

  tool claim_crash "$(jq -cn --arg r "$second_id" '{request_id: $r}')"
  expect_tool_ok claim_crash
  second_lease=$(field .lease_id)
  tool release_crash "$(jq -cn --arg r "$second_id" '{request_id: $r, lease_id: "0123456789abcdef0123456789abcdef", reason: "x"}')"
  expect_tool_error release_crash "is not the current lease"
  tool release_crash "$(jq -cn --arg r "$second_id" --arg l "$second_lease" \
    '{request_id: $r, lease_id: $l, reason: "needs a core dump", outcome: "needs_info"}')"
  expect_tool_ok release_crash
  [ -f "$scratch/q/requests/request_$second_id.json" ] || fail "release_crash did not requeue"
}
