#!/usr/bin/env bash
# The runner against agents that misbehave: a hang (idle timeout, exit 7, request pending again),
# SIGTERM ignored (SIGKILL), success printed with no artifact, a path-traversal patch (rejected,
# exit 5, nothing left in responses/), and Ctrl-C during a run (exit 130, agent gone, request
# released). No process of any run may be left.
source "$(dirname "$0")/common.sh"
source "$(dirname "$0")/analyze_lib.bash"
command -v jq >/dev/null || skip "jq is not installed"

ingest_fixture gdb/playerbots-2608-fleemanager-lookupentry-btfull.txt
budget='analyze.max_retries=0'

outcome_is() { # OUTCOME
  [ "$(jq -r .outcome stdout.txt)" = "$1" ] || fail "expected $1: $out; stderr: $err"
}

run "$CRASHPILOT" analyze --agent custom --json --set "$budget" --set "$(agent_mode hang)"
expect_rc 7
outcome_is timed_out
[ "$(jq -r .retryable stdout.txt)" = true ] || fail "a timeout should be retryable: $out"
[ "$(request_state)" = pending ] || fail "request not released: $(request_state)"
expect_no_leftovers

run "$CRASHPILOT" analyze --agent custom --json --set "$budget" --set "$(agent_mode ignore-term)"
expect_rc 7
outcome_is timed_out
expect_no_leftovers

run "$CRASHPILOT" analyze --agent custom --json --set "$budget" --set "$(agent_mode fake-success)"
expect_rc 7
outcome_is agent_failed
jq -e '.reason | test("reported success but left no response")' stdout.txt >/dev/null || fail "$out"

run "$CRASHPILOT" analyze --agent custom --json --set "$budget" --set "$(agent_mode flood)"
expect_rc 7
outcome_is agent_failed
jq -e '.reason | test("printed more than")' stdout.txt >/dev/null || fail "$out"
expect_no_leftovers

run "$CRASHPILOT" analyze --agent custom --json --set "$budget" --set "$(agent_mode traversal)"
expect_rc 5
outcome_is rejected
jq -e '.reasons | length > 0' stdout.txt >/dev/null || fail "no reasons: $out"
[ -z "$(ls queue/responses/)" ] || fail "a rejected response stayed in responses/"
ls queue/rejected/reason_"$request_id"*.json >/dev/null || fail "no rejection reason file"

# Ctrl-C while the agent hangs: the agent is stopped, the lease released, exit 130.
"$CRASHPILOT" analyze --agent custom --set "$budget" --set "$(agent_mode hang)" \
  --set analyze.idle_timeout_seconds=0 >int.out 2>int.err &
pid=$!
for _ in $(seq 50); do [ "$(request_state)" = in_progress ] && break; sleep 0.1; done
sleep 0.5
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
[ "$rc" -eq 130 ] || fail "expected exit 130 after SIGINT, got $rc: $(cat int.out int.err)"
grep -q cancelled int.out || fail "no cancelled line: $(cat int.out)"
[ "$(request_state)" = pending ] || fail "request not released after SIGINT: $(request_state)"
expect_no_leftovers

# Every run was recorded as an attempt of the bucket's request.
attempts=$(sqlite3 store.db 'select count(*) from attempts' 2>/dev/null || echo skip)
[ "$attempts" = skip ] || [ "$attempts" -eq 6 ] || fail "expected 6 attempts in the store, got $attempts"
