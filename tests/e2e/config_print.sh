#!/usr/bin/env bash
# `config print` shows the merged rules with origins; a broken config file is named with its line.
source "$(dirname "$0")/common.sh"

run "$CRASHPILOT" config print
expect_rc 0
expect_out "preset: trinitycore"
expect_out "# preset base"

printf '[triage]\nsignature_frames = 4\n' > crashpilot.toml
run "$CRASHPILOT" config print
expect_rc 0
expect_out "signature_frames = 4  # crashpilot.toml:2"

run "$CRASHPILOT" --set triage.signature_frames=5 config print
expect_out "signature_frames = 5  # --set triage.signature_frames"

CRASHPILOT_TRIAGE__SIGNATURE_FRAMES=6 run "$CRASHPILOT" config print
expect_out "signature_frames = 6  # env CRASHPILOT_TRIAGE__SIGNATURE_FRAMES"

printf '[triage\n' > bad.toml
run "$CRASHPILOT" --config bad.toml triage x
expect_rc 2
expect_err "bad.toml:1"

printf "[triage]\nskip_functions = ['(oops']\n" > badre.toml
run "$CRASHPILOT" --config badre.toml triage "$(fixture assertion/ac-16300-map-getngrid-icc.txt)"
expect_rc 2
expect_err "triage.skip_functions[0]"

"$CRASHPILOT" config print > printed.toml
run "$CRASHPILOT" --config printed.toml config print --no-origins
expect_rc 0
