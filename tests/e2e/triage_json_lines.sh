#!/usr/bin/env bash
# --json prints one JSON object per input, in order, with the file as given and the crash fields.
source "$(dirname "$0")/common.sh"
command -v jq >/dev/null || skip "jq not installed (scripts/setup-debian installs it)"

a=$(fixture assertion/ac-16300-map-getngrid-icc.txt)
b=$(fixture windows/cmangos-934-threatmanager-arlokk-callstack.txt)
: > empty.txt
run "$CRASHPILOT" triage --json "$a" empty.txt "$b"
expect_rc 3
[ "$(wc -l < stdout.txt)" -eq 3 ] || fail "expected 3 JSON lines, got: $out"
jq -e . stdout.txt >/dev/null || fail "not valid JSON Lines: $out"

sed -n 1p stdout.txt > first.json
jq -e --arg f "$a" '.file == $f' first.json >/dev/null || fail "file not echoed"
for key in crash_function crash_location exception_code crash_category severity is_bot_related signature frames problems; do
  jq -e --arg k "$key" 'has($k)' first.json >/dev/null || fail "missing $key"
done
jq -e '.kind == "assertion" and .crash_category == "ASSERTION"' first.json >/dev/null || fail "wrong kind: $(cat first.json)"
jq -e '.crash_location | endswith("src/server/game/Maps/Map.h:682")' first.json >/dev/null || fail "location: $(cat first.json)"
jq -e '.signature.id | test("^[0-9a-f]{12}$")' first.json >/dev/null || fail "signature id"
jq -e 'has("raw") | not' first.json >/dev/null || fail "raw must need --raw"

sed -n 2p stdout.txt | jq -e '.file == "empty.txt" and (.error | contains("empty")) and .crash_id == null' >/dev/null ||
  fail "empty input line: $(sed -n 2p stdout.txt)"
sed -n 3p stdout.txt | jq -e '.crash_function == "ThreatContainer::getReferenceByTarget"' >/dev/null ||
  fail "third line: $(sed -n 3p stdout.txt)"

run "$CRASHPILOT" triage --json --raw "$a"
expect_rc 0
jq -e '.raw | contains("ASSERTION FAILED")' stdout.txt >/dev/null || fail "--raw lacks the report text"
