#!/usr/bin/env bash
# `crashpilot analyze --agent builtin --all`: with no agent installed, every pending request gets
# an analysis-only response (status no_fix, evidence, where to look, no patch) that passed the
# validator, and the requests complete.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/analyze_lib.bash"
command -v jq >/dev/null || skip "jq is not installed"

ingest_fixture gdb/playerbots-2608-fleemanager-lookupentry-btfull.txt
first=$request_id
ingest_fixture gdb/cmangos-2261-crashlog-begin-playerbot-attack.txt
second=$request_id
[ "$first" != "$second" ] || fail "the two fixtures share a request"

run "$CRASHPILOT" analyze --agent builtin --all --json --parallel 2
expect_rc 0
[ "$(wc -l <stdout.txt)" -eq 2 ] || fail "expected two result lines: $out"
[ "$(jq -r .outcome stdout.txt | sort -u)" = answered ] || fail "not all answered: $out"
for response in $(jq -r .response_path stdout.txt); do
  [ "$(jq -r .status "$response")" = no_fix ] || fail "status: $(cat "$response")"
  jq -e '.patch == null' "$response" >/dev/null || fail "the built-in analyzer wrote a patch"
  jq -e '.analysis.evidence | length > 0' "$response" >/dev/null || fail "no evidence"
  jq -e '.analysis.look_at | length > 0' "$response" >/dev/null || fail "nowhere to look"
  jq -e '.analysis.root_cause | length > 0' "$response" >/dev/null || fail "no root cause"
done
request_id=$first
[ "$(request_state)" = completed ] || fail "first request not completed"

# Human output names the outcome and the response.
ingest_fixture gdb/cmangos-3310-playerbot-attack-nosym.txt
run "$CRASHPILOT" analyze --agent builtin
expect_rc 0
expect_out "answered"
expect_out "response: "

run "$CRASHPILOT" analyze --agent nosuch
expect_rc 2
expect_err "no agent preset 'nosuch'"
