# Sourced by every tests/e2e/*.sh: a scratch directory (kept on failure), the binary under test, and
# small expect_* helpers. CTest passes CRASHPILOT (the fresh binary), CRASHPILOT_SOURCE_DIR and
# CRASHPILOT_TEST_DATA. Exit 125 = skipped.
set -euo pipefail

: "${CRASHPILOT:?run through ctest, which sets CRASHPILOT to the binary under test}"
: "${CRASHPILOT_TEST_DATA:?}"
test_name=$(basename "$0" .sh)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/crashpilot-e2e-${test_name}.XXXXXX")
cd "$scratch"
# The environment must not leak configuration into the test.
unset CRASHPILOT_CONFIG $(env | sed -n 's/^\(CRASHPILOT_[A-Z_]*\)=.*/\1/p' | grep -v -e '^CRASHPILOT_TEST_DATA$' -e '^CRASHPILOT_SOURCE_DIR$' || true)
export NO_COLOR=1
export XDG_CACHE_HOME="$scratch/cache" # the debug-file cache stays in the scratch directory

on_exit() {
  local rc=$?
  if [ $rc -eq 0 ] || [ $rc -eq 125 ]; then
    rm -rf "$scratch"
  else
    echo "FAILED ($test_name): scratch directory kept at $scratch" >&2
  fi
}
trap on_exit EXIT
trap 'echo "failed at line $LINENO: $BASH_COMMAND" >&2' ERR

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 125; }

# run CMD...: runs it, keeping stdout in $out, stderr in $err and the exit code in $rc.
run() {
  set +e
  "$@" >stdout.txt 2>stderr.txt
  rc=$?
  set -e
  out=$(cat stdout.txt)
  err=$(cat stderr.txt)
}
expect_rc() { [ "$rc" -eq "$1" ] || fail "expected exit $1, got $rc; stderr: $err; stdout: ${out:0:600}"; }
expect_out() { grep -qF -- "$1" stdout.txt || fail "stdout lacks '$1': ${out:0:800}"; }
expect_err() { grep -qF -- "$1" stderr.txt || fail "stderr lacks '$1': $err"; }
fixture() { echo "$CRASHPILOT_TEST_DATA/crashes/$1"; }

# Capture tests: the crashing test program, and the line of a CRASHY-LINE marker in its source.
crashy_line() { grep -n "CRASHY-LINE $1\$" "$CRASHPILOT_SOURCE_DIR/tests/programs/crashy.cpp" | cut -d: -f1; }
# The program is copied into the scratch directory, so its path names this test's processes only
# (ctest runs tests in parallel; expect_no_crashy must not see another test's server).
require_crashy() {
  [ -x "${CRASHY:-}" ] || fail "CRASHY (the test program) is not set"
  cp "$CRASHY" "$scratch/crashy"
  CRASHY="$scratch/crashy"
}
# json_event EVENT: the first JSON line of stdout.txt whose "event" is EVENT.
json_event() { jq -c "select(.event == \"$1\")" stdout.txt | head -1; }
# No process of the test program may outlive a test.
expect_no_crashy() {
  if pgrep -f "$CRASHY" >/dev/null 2>&1; then
    pgrep -af "$CRASHY" >&2 || true
    fail "a test program process was left running"
  fi
}
