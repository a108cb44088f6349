# Sourced by tests/e2e/analyze_*.sh after common.sh: a git repository, a configuration whose
# store, queue and run files live in the scratch directory, the fake agent as [agents.custom], and a
# check that no process carrying the test's marker is left.
fake_agent="$CRASHPILOT_SOURCE_DIR/tests/fake-agent/fake-claude"
[ -x "$fake_agent" ] || fail "the fake agent $fake_agent is missing or not executable"
marker="cpe2e-$test_name-$$"

mkdir repo
(cd repo && git init -q && printf 'int main() { return 0; }\n' >main.cpp &&
  git add main.cpp && git -c user.name=t -c user.email=t@t commit -q -m base)
cat >crashpilot.toml <<TOML
[store]
path = "$scratch/store.db"
[queue]
root = "$scratch/queue"
repo_root = "$scratch/repo"
[analyze]
timeout_seconds = 30
idle_timeout_seconds = 3
kill_grace_seconds = 1
exit_drain_seconds = 1
retry_backoff_seconds = 0
max_attempts_per_bucket = 20
max_retries = 0
run_dir = "$scratch/runs"
[agents.custom]
argv = ["$fake_agent", "--mode", "respond", "--marker", "$marker"]
output = "claude-json"
TOML

# agent_mode MODE: the --set that makes the custom agent behave as MODE.
agent_mode() { echo "agents.custom.argv=[\"$fake_agent\",\"--mode\",\"$1\",\"--marker\",\"$marker\"]"; }

# ingest_fixture FILE: records a fixture report; sets $request_id to its request.
ingest_fixture() {
  run "$CRASHPILOT" ingest --json "$(fixture "$1")"
  expect_rc 0
  request_id=$(jq -r '.request.request_id' stdout.txt | head -1)
  [ -n "$request_id" ] && [ "$request_id" != null ] || fail "no request id from ingest: $out"
}

# The state of $request_id in the queue (pending, in_progress, completed).
request_state() { "$CRASHPILOT" queue list --json | jq -r "select(.request_id == \"$request_id\") | .state"; }

expect_no_leftovers() {
  sleep 0.2
  local left
  # The pattern comes from a file, so grep's own command line does not match.
  printf '%s\n' "$marker" >marker.txt
  left=$(grep -l -a -F -f marker.txt /proc/[0-9]*/cmdline /proc/[0-9]*/environ 2>/dev/null |
    grep -v "^/proc/$$/" || true)
  if [ -n "$left" ]; then
    for f in $left; do echo "left: $f: $(tr '\0' ' ' <"$(dirname "$f")/cmdline" 2>/dev/null)" >&2; done
    fail "a process of the agent run was left behind"
  fi
}
