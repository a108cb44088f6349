#!/usr/bin/env bash
# A deadlock: the watchdog sees the main thread make no CPU progress, snapshots every thread (kind
# freeze, lock waiters marked with the thread holding their mutex), then kills the server.
source "$(dirname "$0")/common.sh"
require_crashy
run timeout 60 "$CRASHPILOT" run --json --max-crashes 1 --set capture.cpu_stall_seconds=2 \
  --crash-dir crashes --store db.sqlite --queue-root q -- "$CRASHY" --mode deadlock
expect_rc 0
ev=$(json_event hung)
[ -n "$ev" ] || fail "no hung event: $out"
[ "$(jq -r .outcome <<<"$ev")" = hang ] || fail "outcome: $ev"
[ "$(jq -r .crash.kind <<<"$ev")" = freeze ] || fail "kind: $ev"
[ "$(jq -r .crash.crash_category <<<"$ev")" = DEADLOCK ] || fail "category: $(jq -r .crash.crash_category <<<"$ev")"
report=$(jq -r .report <<<"$ev")
a=$(jq -r '.crash.threads[] | select(.name == "locker-a") | .id' "$report")
b=$(jq -r '.crash.threads[] | select(.name == "locker-b") | .id' "$report")
[ "$(jq -r '.crash.threads[] | select(.name == "locker-a") | .state' "$report")" = lock_wait ] || fail "locker-a not a lock waiter"
[ "$(jq -r '.crash.threads[] | select(.name == "locker-a") | .lock_owner' "$report")" = "$b" ] || fail "locker-a's owner is not locker-b"
[ "$(jq -r '.crash.threads[] | select(.name == "locker-b") | .lock_owner' "$report")" = "$a" ] || fail "locker-b's owner is not locker-a"
expect_no_crashy
