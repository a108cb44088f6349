#!/usr/bin/env bash
# A broken configuration stops every history command with exit 2 and a message naming the problem.
source "$(dirname "$0")/common.sh"
report=$(fixture windows/legioncore-140-map-update-callstack-only.txt)

printf '[store\npath = 1\n' > broken.toml
run "$CRASHPILOT" ingest --config broken.toml --store s.db --queue-root q "$report"
expect_rc 2
expect_err "crashpilot: error:"

printf '[store]\nmax_occurrences_per_bucket = "many"\n' > badkey.toml
run "$CRASHPILOT" ingest --config badkey.toml --store s.db --queue-root q "$report"
expect_rc 2
expect_err "store.max_occurrences_per_bucket"
run "$CRASHPILOT" crashes --config badkey.toml --store s.db
expect_rc 2

run "$CRASHPILOT" queue --queue-root q
expect_rc 2
run "$CRASHPILOT" watch --store s.db --queue-root q no-such-dir --once
expect_rc 2
[ ! -e s.db ] || fail "a store was created despite the errors"
