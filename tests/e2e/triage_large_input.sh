#!/usr/bin/env bash
# A 200 MB log with one report in it: found, with bounded memory (the file is mapped, not copied).
source "$(dirname "$0")/common.sh"
[ -x /usr/bin/time ] || skip "GNU time not installed (scripts/setup-debian installs it)"

line='2024-05-01 10:00:00 INFO  [server.worldserver] Player Annise entered map 571 zone 67 area 4417 in instance 0 with 5 bots'
filler() { (set +o pipefail; yes "$line" | head -c 100000000); }
filler > big.log
cat "$(fixture assertion/tc-24438-map-getrespawnmapfortype.txt)" >> big.log
filler >> big.log
# The baseline: the same report alone (sanitizer builds start much bigger than release builds).
cp "$(fixture assertion/tc-24438-map-getrespawnmapfortype.txt)" small.log
run /usr/bin/time -f '%M' "$CRASHPILOT" triage --json small.log
expect_rc 0
base_kb=$(tail -n 1 stderr.txt)

run /usr/bin/time -f '%M' "$CRASHPILOT" triage --json big.log
expect_rc 0
grep -q 'GetRespawnMapForType' stdout.txt || fail "report not found: ${out:0:400}"
rss_kb=$(tail -n 1 stderr.txt)
[ "$rss_kb" -lt $((base_kb + 65536)) ] ||
  fail "max RSS ${rss_kb} KB for a 200 MB input (${base_kb} KB for the report alone): memory is not bounded"

run "$CRASHPILOT" triage --max-input-mb 1 big.log
expect_rc 3
expect_out "input limit"
