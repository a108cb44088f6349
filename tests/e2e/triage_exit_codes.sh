#!/usr/bin/env bash
# Exit codes mean something: 0 all triaged, 3 some input held no crash (and says why), 2 usage errors.
source "$(dirname "$0")/common.sh"

run "$CRASHPILOT" triage "$(fixture windows/legioncore-140-map-update-callstack-only.txt)"
expect_rc 0
expect_out "Map::Update"

: > empty.txt
run "$CRASHPILOT" triage empty.txt
expect_rc 3
expect_out "empty input"

run "$CRASHPILOT" triage "$(fixture windows/legioncore-140-map-update-callstack-only.txt)" empty.txt
expect_rc 3

mkdir adir
run "$CRASHPILOT" triage adir
expect_rc 3
expect_out "is a directory"

printf 'ELF\0\0\0\1\2\3binary' > core.bin
run "$CRASHPILOT" triage core.bin
expect_rc 3
expect_out "binary data"

run "$CRASHPILOT" triage no-such-file.txt
expect_rc 3
expect_out "no-such-file.txt"

printf 'just a normal log line\nanother one\n' > log.txt
run "$CRASHPILOT" triage log.txt
expect_rc 3
expect_out "no crash report found"

run "$CRASHPILOT" triage
expect_rc 2
expect_err "crashpilot: error:"

run "$CRASHPILOT" triage x.txt --no-such-flag
expect_rc 2

run "$CRASHPILOT" triage - -
expect_rc 2
