#!/usr/bin/env bash
# A busy loop: CPU goes on, but the heartbeat line stops. The log watchdog declares the hang,
# every thread is snapshotted (the spinning function on top of the main thread), the server is
# killed, and the heartbeat lines it printed before are in the report's context.
source "$(dirname "$0")/common.sh"
require_crashy
run timeout 60 "$CRASHPILOT" run --json --max-crashes 1 --hang-seconds 2 \
  --set logs.heartbeat_regex=heartbeat --set logs.heartbeat_source=stdout \
  --crash-dir crashes --store db.sqlite --queue-root q -- "$CRASHY" --mode spin --heartbeat-ms 50 --after-ms 500
expect_rc 0
ev=$(json_event hung)
[ -n "$ev" ] || fail "no hung event: $out"
jq -r .crash.error_message <<<"$ev" | grep -q "no line matching 'heartbeat' in stdout" || fail "reason: $ev"
report=$(jq -r .report <<<"$ev")
jq -e '.crash.threads[] | select(.name == "crashy") | .frames | map(.function) | any(startswith("game::Spin"))' "$report" >/dev/null ||
  fail "the main thread does not show game::Spin"
[ "$(jq -r '.crash.threads[] | select(.name == "crashy") | .state' "$report")" = running ] || fail "main thread state"
jq -e '.context.server_log_context | any(test("heartbeat world tick"))' "$report" >/dev/null || fail "no heartbeat lines in the context: $(jq -c .context "$report")"
expect_no_crashy
