#!/usr/bin/env bash
# assert() failing: an abort with the assertion text taken from the server's output, and the
# meaningful frame in the program, not in libc's abort machinery.
source "$(dirname "$0")/common.sh"
require_crashy
run "$CRASHPILOT" run --json --max-crashes 1 --crash-dir crashes --store db.sqlite --queue-root q -- "$CRASHY" --mode assert
expect_rc 0
ev=$(json_event crashed)
[ "$(jq -r .outcome <<<"$ev")" = abort ] || fail "outcome: $ev"
[ "$(jq -r .crash.exception_code <<<"$ev")" = SIGABRT ] || fail "code: $ev"
report=$(jq -r .report <<<"$ev")
jq -e '.crash.threads[0].frames | map(.function) | any(startswith("game::CheckInvariant"))' "$report" >/dev/null ||
  fail "no CheckInvariant in the crashing thread"
[ "$(jq -r .crash.crash_function <<<"$ev")" = "game::CheckInvariant" ] || fail "meaningful frame: $(jq -r .crash.crash_function <<<"$ev")"
if jq -e '.output_tail | length > 0' "$report" >/dev/null; then
  [ "$(jq -r .crash.assertion.condition "$report")" = "value == 42" ] || fail "assertion: $(jq -c .crash.assertion "$report")"
  [ "$(jq -r .crash.kind "$report")" = assertion ] || fail "kind: $(jq -r .crash.kind "$report")"
fi
expect_no_crashy
