#!/usr/bin/env bash
# Without ptrace (capture.method = core, as where Yama or a container forbids it): the server runs
# with RLIMIT_CORE raised, its core is found through core_pattern and symbolized to the same
# signature a live capture gives. A core_pattern that pipes cores elsewhere is named as the reason.
source "$(dirname "$0")/common.sh"
require_crashy
run "$CRASHPILOT" run --json --max-crashes 1 --crash-dir live --store db.sqlite --queue-root q -- "$CRASHY" --mode null-thread
expect_rc 0
live=$(json_event crashed | jq -r .crash.signature.id)
run "$CRASHPILOT" run --json --max-crashes 1 --set capture.method=core --crash-dir cores --store db.sqlite --queue-root q -- "$CRASHY" --mode null-thread
expect_rc 0
ev=$(json_event crashed)
[ "$(jq -r .outcome <<<"$ev")" = crash ] || fail "outcome: $ev"
pattern=$(cat /proc/sys/kernel/core_pattern)
if [ "${pattern:0:1}" = "|" ]; then
  jq -r .snapshot_error <<<"$ev" | grep -q core_pattern || fail "a piped core_pattern is not named: $ev"
  exit 0
fi
report=$(jq -r .report <<<"$ev")
[ -n "$(jq -r .exit.core "$report")" ] || fail "no core found: $(jq -c '{exit, snapshot_error}' "$report")"
[ "$(jq -r .crash.signature.id <<<"$ev")" = "$live" ] || fail "core signature $(jq -r .crash.signature.id <<<"$ev") != live $live"
[ "$(jq -r .crash.crash_category <<<"$ev")" = NULL_DEREF ] || fail "category from the core: $(jq -r .crash.crash_category <<<"$ev")"
expect_no_crashy
