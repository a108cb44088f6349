#!/usr/bin/env bash
# A report piped on stdin, pasted with CRLF line ends, Markdown quoting and a docker-compose prefix,
# triages to the same signature as the clean file.
source "$(dirname "$0")/common.sh"
command -v jq >/dev/null || skip "jq not installed"

src=$(fixture windows/legioncore-140-map-update-callstack-only.txt)
run "$CRASHPILOT" triage --json "$src"
expect_rc 0
clean=$(jq -r .signature.id stdout.txt)

sed 's/$/\r/' "$src" > crlf.txt
sed 's/^/> /' "$src" > quoted.txt
sed 's/^/worldserver_1  | /' "$src" > docker.txt
{ echo "2024-05-01 10:00:00 INFO  [server] Loading maps"; cat "$src"; echo "2024-05-01 10:00:01 INFO  [server] restart"; } > embedded.txt
for f in crlf.txt quoted.txt docker.txt embedded.txt; do
  run "$CRASHPILOT" triage --json "$f"
  expect_rc 0
  [ "$(jq -r .signature.id stdout.txt)" = "$clean" ] || fail "$f: signature differs from the clean report: $out"
done

set +e
"$CRASHPILOT" triage --json - < "$src" > piped.json
rc=$?
set -e
[ $rc -eq 0 ] || fail "stdin exit $rc"
jq -e --arg s "$clean" '.file == "-" and .signature.id == $s' piped.json >/dev/null || fail "stdin: $(cat piped.json)"
