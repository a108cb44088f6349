#!/usr/bin/env bash
# `crashpilot analyze --agent custom` with the fake agent: a valid response is answered (the request
# completes, the store records the attempt with cost, turns and session), and the user's tree is
# untouched. Then an agent that leaves a grandchild in its own session still leaves no process.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/analyze_lib.bash"
command -v jq >/dev/null || skip "jq is not installed"

ingest_fixture gdb/playerbots-2608-fleemanager-lookupentry-btfull.txt
run "$CRASHPILOT" analyze --agent custom --json
expect_rc 0
line=$(head -1 stdout.txt)
[ "$(jq -r .outcome <<<"$line")" = answered ] || fail "not answered: $line"
[ "$(jq -r .session_id <<<"$line")" = "fake-session-$request_id" ] || fail "no session id: $line"
[ "$(jq -r .turns <<<"$line")" = 4 ] || fail "no turns: $line"
[ "$(request_state)" = completed ] || fail "request not completed: $(request_state)"
response=$(jq -r .response_path <<<"$line")
[ "$(jq -r .status "$response")" = no_fix ] || fail "unexpected response: $(cat "$response")"
run_dir=$(jq -r .run_dir <<<"$line")
grep -q "lease_id: " "$run_dir/prompt.md" || fail "the prompt lacks the lease"
jq -e '.mcpServers.crashpilot.args | index("--request")' "$run_dir/mcp.json" >/dev/null ||
  fail "mcp.json lacks the crashpilot server: $(cat "$run_dir/mcp.json")"
# The worktree is gone, the user's tree is clean.
[ -z "$(git -C repo status --porcelain)" ] || fail "the user's tree changed: $(git -C repo status --porcelain)"
[ "$(git -C repo worktree list | wc -l)" = 1 ] || fail "a worktree was left: $(git -C repo worktree list)"
# Recorded in the store.
"$CRASHPILOT" crashes --json >crashes.json
expect_no_leftovers

# An agent that double-forks a grandchild into its own session and answers.
ingest_fixture gdb/cmangos-2261-crashlog-begin-playerbot-attack.txt
run "$CRASHPILOT" analyze --agent custom --json --set "$(agent_mode grandchild)"
expect_rc 0
[ "$(jq -r .outcome stdout.txt)" = answered ] || fail "grandchild mode: $out"
jq -e '.warnings[] | select(test("left behind"))' stdout.txt >/dev/null || fail "no warning about the killed leftover: $out"
expect_no_leftovers

# Nothing left to analyze.
run "$CRASHPILOT" analyze --agent custom
expect_rc 4
expect_err "nothing to analyze"
