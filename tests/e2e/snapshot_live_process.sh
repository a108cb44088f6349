#!/usr/bin/env bash
# `snapshot --pid` on a running, deadlocked process: all threads with their lock waits, the stop
# time printed, and the process still alive afterwards.
source "$(dirname "$0")/common.sh"
require_crashy
"$CRASHY" --mode deadlock >/dev/null 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; on_exit' EXIT
sleep 0.5
run "$CRASHPILOT" snapshot --json --pid $pid
expect_rc 0
[ "$(jq '.threads | length' stdout.txt)" = 5 ] || fail "threads: $(jq -c '[.threads[].name]' stdout.txt)"
[ "$(jq -r '[.threads[] | select(.state == "lock_wait")] | length' stdout.txt)" = 2 ] || fail "lock waiters: $out"
jq -e '.timing_us.frozen < 1000000' stdout.txt >/dev/null || fail "stopped too long"
kill -0 $pid || fail "the process died"
grep -q '^State:.*[RS]' /proc/$pid/status || fail "the process was left stopped: $(grep State /proc/$pid/status)"
grep -q '^TracerPid:[[:space:]]*0$' /proc/$pid/status || fail "still traced"
run "$CRASHPILOT" snapshot --pid $pid
expect_rc 0
expect_err "was stopped for"
expect_out "locker-a"
# symbolize --pid: the same live look, in the report shape of a core, triaged (a deadlock).
run "$CRASHPILOT" symbolize --json --pid $pid
expect_rc 0
[ "$(jq -r .crash_category stdout.txt)" = DEADLOCK ] || fail "symbolize --pid category: $(jq -r .crash_category stdout.txt)"
[ "$(jq '.threads | length' stdout.txt)" = 5 ] || fail "symbolize --pid threads"
kill -0 $pid || fail "the process died after symbolize --pid"
run "$CRASHPILOT" symbolize --pid $pid --core x
expect_rc 2
run "$CRASHPILOT" snapshot --pid 999999999
expect_rc 1
expect_err "no process"
