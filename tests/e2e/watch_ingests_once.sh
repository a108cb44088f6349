#!/usr/bin/env bash
# `watch --once` ingests a crash directory (not the .dmp beside a report); a second run, as after a
# restart, ingests nothing new; a file still growing is left until it stops.
source "$(dirname "$0")/common.sh"
q="--store=s.db --queue-root=q"
mkdir Crashes
cp "$(fixture windows/legioncore-140-map-update-callstack-only.txt)" Crashes/worldserver_1.txt
cp "$(fixture assertion/npcbots-13-object-getmap-currmap.txt)" Crashes/worldserver_2.txt
printf 'MDMP\0\0binary' > Crashes/worldserver_1.dmp
printf 'partial' > Crashes/worldserver_3.txt.tmp.99999.0

run "$CRASHPILOT" watch $q --once --interval-ms 100 --json Crashes
expect_rc 0
[ "$(jq -r .file stdout.txt | sort -u | wc -l)" -eq 2 ] || fail "expected the two reports: $out"
grep -q '\.dmp\|\.tmp\.' stdout.txt && fail "ingested a dump or temp file: $out"

run "$CRASHPILOT" watch $q --once --interval-ms 100 --json Crashes
expect_rc 0
[ -z "$out" ] || fail "second pass ingested again: $out"

# A report still being written: grows every 50 ms while watch looks twice, 400 ms apart.
report=$(fixture windows/ac-21886-beryl-sorcerer-updateai-callstack.txt)
( for i in $(seq 1 40); do echo "log line $i" >> Crashes/worldserver_4.txt; sleep 0.05; done ) &
writer=$!
sleep 0.1
run "$CRASHPILOT" watch $q --once --interval-ms 400 --json Crashes
expect_rc 0
grep -q worldserver_4 stdout.txt && fail "ingested a growing file: $out"
wait "$writer"
cat "$report" >> Crashes/worldserver_4.txt
run "$CRASHPILOT" watch $q --once --interval-ms 100 --json Crashes
expect_rc 0
grep -q worldserver_4 stdout.txt || fail "the settled file was not ingested: $out"
