#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Crash capture against gdb and eu-stack, measured in the same run on the synthetic game server of
# /work/shared/bench-server (issue 4, "Evidence").
#
# Usage: bench/capture/run.sh CRASHPILOT [--size small|220|N] [--runs N] [--rounds N] [--ticks N]
#                             [--server-dir DIR] [--generator DIR] [--keep]
#   CRASHPILOT     the binary to measure (a release build: cmake --preset release)
#   --size         modules of the generated server: small = 8 (14 MB binary, seconds to build),
#                  220 = 309 MB binary with 187 MB .debug_info (about 6.5 min on 2 cores); default small
#   --runs N       measured runs per tool, after one warm-up round (default 5); p50 = median
#   --rounds N     interleaved rounds of the supervision-overhead measurement (default 5; 0 = skip)
#   --ticks N      server ticks per overhead run (default 3000)
#   --server-dir   where the server is built and cached (default: CRASHPILOT's dir/bench-server-N);
#                  an existing DIR/server is reused as is
#   --generator    the bench-server generator (default /work/shared/bench-server)
#   --keep         keep the work directory (outputs of every run) instead of deleting it
#
# Every round runs every tool once, in turn, so load from other processes hits them alike. Each run
# is checked: all 7 threads and the crash chain with file:line must be in the output, else the
# bench stops and names the output file. Wall time is taken around `timeout /usr/bin/time CMD`;
# the harness's own cost is measured and printed. Peak RSS is /usr/bin/time's %M: the largest
# process of the tree (the tool, or the server it runs, whichever is bigger; the server's own peak
# is in the first row). Needs bash 5, jq, gdb, eu-stack, GNU time, python3, ninja.
set -euo pipefail

die() {
  echo "bench/capture: error: $*" >&2
  exit 2
}

usage() {
  sed -n '4,16p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
}

[[ $# -ge 1 ]] || usage
CP=$1
shift
SIZE=small SIZE_GIVEN=0 RUNS=5 ROUNDS=5 TICKS=3000 SERVER_DIR="" GENERATOR=/work/shared/bench-server KEEP=0
while [[ $# -gt 0 ]]; do
  case $1 in
  --size) SIZE=${2:?--size needs a value} && SIZE_GIVEN=1 && shift ;;
  --runs) RUNS=${2:?--runs needs a value} && shift ;;
  --rounds) ROUNDS=${2:?--rounds needs a value} && shift ;;
  --ticks) TICKS=${2:?--ticks needs a value} && shift ;;
  --server-dir) SERVER_DIR=${2:?--server-dir needs a value} && shift ;;
  --generator) GENERATOR=${2:?--generator needs a value} && shift ;;
  --keep) KEEP=1 ;;
  -h | --help) usage ;;
  *) die "unknown argument '$1' (see --help)" ;;
  esac
  shift
done

case $SIZE in
small) MODULES=8 ;;
[1-9] | [1-9][0-9] | [1-9][0-9][0-9] | [1-9][0-9][0-9][0-9]) MODULES=$SIZE ;;
*) die "--size must be small, 220 or a module count, not '$SIZE'" ;;
esac
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive number, not '$RUNS'"
[[ $ROUNDS =~ ^[0-9]+$ ]] || die "--rounds must be a number, not '$ROUNDS'"
[[ $TICKS =~ ^[1-9][0-9]*$ ]] || die "--ticks must be a positive number, not '$TICKS'"
[[ -x $CP && -f $CP ]] || die "'$CP' is not an executable crashpilot binary"
CP=$(realpath "$CP")
for tool in jq gdb eu-stack python3 ninja timeout awk; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed (apt-get install jq gdb elfutils ninja-build)"
done
[[ -x /usr/bin/time ]] || die "GNU time is not installed at /usr/bin/time (apt-get install time)"
[[ -n ${EPOCHREALTIME:-} ]] || die "bash 5 or later is needed (EPOCHREALTIME)"
[[ -f $GENERATOR/gen.py && -d $GENERATOR/src ]] || die "no bench-server generator (gen.py, src/) in '$GENERATOR'"
[[ -n $SERVER_DIR ]] || SERVER_DIR=$(dirname "$CP")/bench-server-$MODULES

# No tool may wait on the network for debug info.
unset DEBUGINFOD_URLS
export LC_ALL=C

# --- the server: generated and built once per size, then reused ---------------------------------
SERVER=$SERVER_DIR/server
if [[ ! -x $SERVER ]]; then
  echo "building the $MODULES-module bench server in $SERVER_DIR (once; ninja -j2)..." >&2
  mkdir -p "$SERVER_DIR/obj"
  if [[ ! -f $SERVER_DIR/build.ninja ]]; then
    # gen.py rewrites every TU: only on a fresh directory, or ninja would rebuild everything.
    cp -r "$GENERATOR/src" "$SERVER_DIR/"
    chmod -R u+w "$SERVER_DIR/src"
    python3 "$GENERATOR/gen.py" "$SERVER_DIR" "$MODULES" >&2
  fi
  ninja -C "$SERVER_DIR" -j2 >&2 || die "the bench server did not build (see above; $SERVER_DIR)"
fi
SERVER=$(realpath "$SERVER")
# A reused --server-dir says its own size; a different --size is a mistake worth stopping for.
built=$(find "$SERVER_DIR/src/gen" -maxdepth 1 -name 'zone_*.cpp' 2>/dev/null | wc -l)
if [[ $built -gt 0 && $built -ne $MODULES ]]; then
  [[ $SIZE_GIVEN == 0 ]] || die "$SERVER_DIR holds a $built-module server, not $MODULES (--size $SIZE)"
  MODULES=$built
fi

W=$(mktemp -d "${TMPDIR:-/tmp}/bench-capture.XXXXXX")
# Kept when asked, or when a check failed (die names the file to look at).
trap 'if [[ $KEEP == 1 ]]; then echo "work directory (kept): $W" >&2; else rm -rf "$W"; fi' EXIT
cd "$W" # no crashpilot.toml here: the built-in defaults apply
SAMPLES=$W/samples.tsv
: >"$SAMPLES"
EXPECT_THREADS=7
TIMEOUT=600
CRASH_ARGS=(--crash-after-ms 1000)

# --- helpers ---------------------------------------------------------------------------------------

# run_timed PREFIX CMD...: runs CMD with stdin from /dev/null and output to PREFIX.out/.err; sets
# WALL_MS, RSS_KB and RC.
run_timed() {
  local prefix=$1 t0 t1
  shift
  t0=$EPOCHREALTIME
  set +e
  timeout --kill-after=5 "$TIMEOUT" /usr/bin/time -f %M -o "$prefix.rss" "$@" <"/dev/null" >"$prefix.out" 2>"$prefix.err"
  RC=$?
  set -e
  t1=$EPOCHREALTIME
  [[ $RC != 124 && $RC != 137 ]] || die "timed out after $TIMEOUT s: $* (output: $prefix.out)"
  WALL_MS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1000 }')
  # GNU time writes "Command terminated by signal N" before the figure when the command died.
  RSS_KB=$(tail -n 1 "$prefix.rss")
  [[ $RSS_KB =~ ^[0-9]+$ ]] || die "no peak RSS from /usr/bin/time for: $* ($prefix.rss)"
}

sample() { printf '%s\t%s\n' "$1" "$2" >>"$SAMPLES"; }

# stats METRIC -> "p50 min max n" over the recorded samples (p50 = median).
stats() {
  awk -F'\t' -v m="$1" '$1 == m { print $2 }' "$SAMPLES" | sort -g | awk '
    { v[NR] = $1 }
    END {
      if (NR == 0) { print "nan nan nan 0"; exit }
      p = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      printf "%.3f %.3f %.3f %d\n", p, v[1], v[NR], NR
    }'
}
p50() { stats "$1" | cut -d' ' -f1; }
maxof() { stats "$1" | cut -d' ' -f3; }

# check_trace TOOL FILE THREAD_REGEX: the output holds every thread and the crash chain with a
# source line; records "threads/frames" for the table.
check_trace() {
  local tool=$1 file=$2 thread_re=$3 threads frames
  threads=$(grep -Ec "$thread_re" "$file" || true)
  frames=$(grep -Ec '^#[0-9]+ ' "$file" || true)
  if [[ $threads -ne $EXPECT_THREADS ]]; then
    KEEP=1
    die "$tool: $threads threads in its output, $EXPECT_THREADS expected (kept: $file)"
  fi
  if ! grep -Eq 'ChainStep.*zone_[0-9]+\.cpp:[0-9]+|zone_[0-9]+\.cpp:[0-9]+.*ChainStep' "$file" &&
    ! grep -A1 -E 'ChainStep' "$file" | grep -Eq 'zone_[0-9]+\.cpp:[0-9]+'; then
    KEEP=1
    die "$tool: no symbolized crash chain (ChainStep at zone_N.cpp:LINE) in its output (kept: $file)"
  fi
  printf '%s\t%s/%s\n' "$tool" "$threads" "$frames" >"$W/shape.$tool"
}

# --- the core file for the post-mortem tools -------------------------------------------------------
make_core() {
  local dir=$W/core-run pattern found
  mkdir -p "$dir"
  pattern=$(cat /proc/sys/kernel/core_pattern)
  # A plain relative name: the kernel writes the core into the cwd (as a real crash would).
  if [[ $pattern != '|'* && $pattern != */* ]]; then
    # (the braces take bash's "Segmentation fault (core dumped)" notice off the terminal)
    { (cd "$dir" && ulimit -c unlimited && "$SERVER" "${CRASH_ARGS[@]}" >/dev/null 2>&1 </dev/null) || true; } 2>/dev/null
    found=$(find "$dir" -maxdepth 1 -type f -name 'core*' -newer "$SERVER" | head -n 1)
    if [[ -n $found ]]; then
      mv "$found" "$W/core"
      CORE_HOW="kernel (core_pattern '$pattern')"
      return
    fi
  fi
  gdb -batch -ex run -ex "gcore $W/core" --args "$SERVER" "${CRASH_ARGS[@]}" </dev/null >"$W/gcore.log" 2>&1 || true
  [[ -s $W/core ]] || die "could not make a core file (gdb gcore; see $W/gcore.log)"
  CORE_HOW="gdb gcore (core_pattern '$pattern' is not a plain file)"
}

# --- one round: every tool once ---------------------------------------------------------------------
HAVE_SYMBOLIZE=0
if "$CP" --help 2>/dev/null | grep -Eq '^  symbolize( |$)'; then
  HAVE_SYMBOLIZE=1
fi

round() {
  local r=$1 record=$2 ev

  run_timed "$W/harness.$r" true
  [[ $record == 0 ]] || sample harness "$WALL_MS"

  run_timed "$W/bare.$r" "$SERVER" "${CRASH_ARGS[@]}"
  [[ $RC != 0 ]] || die "the server did not crash (--crash-after-ms 1000)"
  [[ $record == 0 ]] || { sample bare.wall "$WALL_MS" && sample bare.rss "$RSS_KB"; }

  # A store, queue and crash directory that persist across runs, like a server that keeps crashing.
  run_timed "$W/cp.$r" "$CP" run --json --max-crashes 1 --crash-dir "$W/cp/crashes" --store "$W/cp/store.db" \
    --queue-root "$W/cp/queue" -- "$SERVER" "${CRASH_ARGS[@]}"
  [[ $RC == 0 ]] || { KEEP=1 && die "crashpilot run exited $RC (kept: $W/cp.$r.err)"; }
  ev=$(grep '^{' "$W/cp.$r.out" | jq -c 'select(.event == "crashed")' || true)
  [[ -n $ev ]] || { KEEP=1 && die "crashpilot run printed no crashed event (kept: $W/cp.$r.out)"; }
  [[ $(jq -r '.snapshot_error' <<<"$ev") == "" && $(jq -r '.timing_us != null' <<<"$ev") == true ]] ||
    { KEEP=1 && die "crashpilot run took no in-place trace: $(jq -r '.snapshot_error' <<<"$ev") (kept: $W/cp.$r.out)"; }
  check_trace crashpilot "$(jq -r '.report_text' <<<"$ev")" '^Thread [0-9]+ \(LWP'
  if [[ $record == 1 ]]; then
    sample cp.wall "$WALL_MS"
    sample cp.rss "$RSS_KB"
    local t
    for t in frozen unwind symbolize; do
      sample "cp.$t" "$(jq -r ".timing_us.$t / 1000" <<<"$ev")"
    done
    sample cp.inproc "$(jq -r '(.timing_us.frozen + .timing_us.symbolize) / 1000' <<<"$ev")"
  fi

  run_timed "$W/gdbrun.$r" gdb -batch -ex run -ex "thread apply all bt" --args "$SERVER" "${CRASH_ARGS[@]}"
  check_trace gdb-run "$W/gdbrun.$r.out" '^Thread [0-9]+ \('
  [[ $record == 0 ]] || { sample gdbrun.wall "$WALL_MS" && sample gdbrun.rss "$RSS_KB"; }

  run_timed "$W/gdbcore.$r" gdb -batch -ex "thread apply all bt" "$SERVER" "$W/core"
  check_trace gdb-core "$W/gdbcore.$r.out" '^Thread [0-9]+ \('
  [[ $record == 0 ]] || { sample gdbcore.wall "$WALL_MS" && sample gdbcore.rss "$RSS_KB"; }

  run_timed "$W/eu.$r" eu-stack -i -s --core "$W/core" --executable "$SERVER"
  check_trace eu-stack "$W/eu.$r.out" '^TID [0-9]+:'
  [[ $record == 0 ]] || { sample eu.wall "$WALL_MS" && sample eu.rss "$RSS_KB"; }

  if [[ $HAVE_SYMBOLIZE == 1 ]]; then
    run_timed "$W/cpsym.$r" "$CP" symbolize --core "$W/core" --exe "$SERVER" --json
    [[ $RC == 0 ]] || { KEEP=1 && die "crashpilot symbolize exited $RC (kept: $W/cpsym.$r.err)"; }
    check_symbolize_json "$W/cpsym.$r.out"
    [[ $record == 0 ]] || { sample cpsym.wall "$WALL_MS" && sample cpsym.rss "$RSS_KB"; }
  fi
}

# crashpilot symbolize --json (one crash object, every thread in .threads): the same checks.
check_symbolize_json() {
  local file=$1 threads frames
  threads=$(jq '[.threads[]? | select((.frames | length) > 0)] | length' "$file" 2>/dev/null || echo 0)
  frames=$(jq '[.threads[]?.frames | length] | add // 0' "$file" 2>/dev/null || echo 0)
  [[ $threads -eq $EXPECT_THREADS ]] ||
    { KEEP=1 && die "crashpilot symbolize: $threads threads with frames in its JSON, $EXPECT_THREADS expected (kept: $file)"; }
  jq -e '[.threads[].frames[] | select((.function | test("ChainStep")) and (.file | test("zone_[0-9]+\\.cpp")) and .line > 0)] | length > 0' \
    "$file" >/dev/null ||
    { KEEP=1 && die "crashpilot symbolize: no ChainStep frame at zone_N.cpp:LINE in its JSON (kept: $file)"; }
  printf '%s\t%s/%s\n' crashpilot-symbolize "$threads" "$frames" >"$W/shape.crashpilot-symbolize"
}

# --- supervision overhead --------------------------------------------------------------------------
ticks_of() {
  local v
  v=$(grep -ho 'ticks_per_s=[0-9.]*' "$@" | tail -n 1 | cut -d= -f2)
  [[ -n $v ]] || die "no ticks_per_s line from the server in $*"
  echo "$v"
}

overhead_round() {
  local r=$1 first tps
  # Alternate which goes first so a drift in machine load does not favour one side.
  for first in $(((r % 2 == 0) ? 0 : 1)) $(((r % 2 == 0) ? 1 : 0)); do
    if [[ $first == 0 ]]; then
      run_timed "$W/ohbare.$r" "$SERVER" --ticks "$TICKS" --no-crash
      [[ $RC == 0 ]] || die "the server exited $RC in --no-crash mode ($W/ohbare.$r.err)"
      tps=$(ticks_of "$W/ohbare.$r.out")
      sample oh.bare "$tps"
    else
      run_timed "$W/ohcp.$r" "$CP" run --json --max-crashes 1 --restart never --crash-dir "$W/oh/crashes" \
        --store "$W/oh/store.db" --queue-root "$W/oh/queue" -- "$SERVER" --ticks "$TICKS" --no-crash
      [[ $RC == 0 ]] || { KEEP=1 && die "crashpilot run exited $RC in the overhead run (kept: $W/ohcp.$r.err)"; }
      jq -e -s 'any(.[]?; .event? == "started" and .traced == true)' <(grep '^{' "$W/ohcp.$r.out") >/dev/null ||
        { KEEP=1 && die "the overhead run was not traced (kept: $W/ohcp.$r.out)"; }
      tps=$(ticks_of "$W/ohcp.$r.out" "$W/ohcp.$r.err")
      sample oh.cp "$tps"
    fi
  done
}

# mean_sd METRIC -> "mean sd min max n"
mean_sd() {
  awk -F'\t' -v m="$1" '$1 == m { v[n++] = $2; s += $2 }
    END {
      if (n == 0) { print "nan nan nan nan 0"; exit }
      mean = s / n; lo = v[0]; hi = v[0]
      for (i = 0; i < n; i++) { d += (v[i] - mean) ^ 2; if (v[i] < lo) lo = v[i]; if (v[i] > hi) hi = v[i] }
      printf "%.1f %.1f %.1f %.1f %d\n", mean, (n > 1 ? sqrt(d / (n - 1)) : 0), lo, hi, n
    }' "$SAMPLES"
}

# --- run -------------------------------------------------------------------------------------------
echo "core file..." >&2
make_core
echo "warm-up round..." >&2
round 0 0
for ((r = 1; r <= RUNS; r++)); do
  echo "round $r/$RUNS..." >&2
  round "$r" 1
done
for ((r = 1; r <= ROUNDS; r++)); do
  echo "overhead round $r/$ROUNDS..." >&2
  overhead_round "$r"
done

# --- report ----------------------------------------------------------------------------------------
f1() { awk -v x="$1" 'BEGIN { printf "%.1f", x }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b <= 0) print "n/a"; else printf "%.1f×", a / b }'; }
range() {
  local s
  read -r -a s <<<"$(stats "$1")"
  printf '%s–%s' "$(f1 "${s[1]}")" "$(f1 "${s[2]}")"
}
shape() { [[ -f $W/shape.$1 ]] && cut -f2 "$W/shape.$1" || echo "-"; }
pass() { awk -v ok="$1" 'BEGIN { print (ok ? "met" : "NOT met") }'; }

BARE=$(p50 bare.wall)
CP_ADD=$(awk -v a="$(p50 cp.wall)" -v b="$BARE" 'BEGIN { printf "%.3f", a - b }')
GDBRUN_ADD=$(awk -v a="$(p50 gdbrun.wall)" -v b="$BARE" 'BEGIN { printf "%.3f", a - b }')
CP_RSS_MB=$(mb "$(maxof cp.rss)")
debug_hex=$(readelf -S -W "$SERVER" | sed 's/^ *\[ *[0-9]*\]//' | awk '$1 == ".debug_info" { print $5 }')
debug_info=$(awk -v b="$((16#${debug_hex:-0}))" 'BEGIN { printf "%.1f MB", b / 1e6 }')

cat <<EOF
# bench/capture — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)

crashpilot: $CP ($("$CP" --version 2>/dev/null | head -n 1))
server: $SERVER ($MODULES modules, $(stat -c %s "$SERVER" | awk '{ printf "%.0f MB", $1 / 1e6 }') file, .debug_info $debug_info), crashes after 1000 ms
core: $CORE_HOW, $(stat -c %s "$W/core" | awk '{ printf "%.0f MB", $1 / 1e6 }')
$RUNS measured runs per row after one warm-up round (warm page cache), rounds interleaved; p50 = median.
Harness cost in every wall figure (timeout + /usr/bin/time around \`true\`): $(f1 "$(p50 harness)") ms p50.

## Signal → symbolized all-thread trace

| tool | command | wall p50 ms | min–max ms | added over the bare crash, ms | peak RSS MB (max) | threads/frames | crashpilot faster by |
| --- | --- | --- | --- | --- | --- | --- | --- |
| server alone | \`server --crash-after-ms 1000\` | $(f1 "$BARE") | $(range bare.wall) | – | $(mb "$(maxof bare.rss)") | – | – |
| **crashpilot** | \`crashpilot run --json --max-crashes 1 -- server …\` | $(f1 "$(p50 cp.wall)") | $(range cp.wall) | **$(f1 "$CP_ADD")** | **$CP_RSS_MB** | $(shape crashpilot) | – |
| gdb, run + bt | \`gdb -batch -ex run -ex 'thread apply all bt' --args server …\` | $(f1 "$(p50 gdbrun.wall)") | $(range gdbrun.wall) | $(f1 "$GDBRUN_ADD") | $(mb "$(maxof gdbrun.rss)") | $(shape gdb-run) | $(ratio "$GDBRUN_ADD" "$CP_ADD") |
| gdb, core | \`gdb -batch -ex 'thread apply all bt' server core\` | $(f1 "$(p50 gdbcore.wall)") | $(range gdbcore.wall) | – | $(mb "$(maxof gdbcore.rss)") | $(shape gdb-core) | $(ratio "$(p50 gdbcore.wall)" "$CP_ADD") |
| eu-stack, core | \`eu-stack -i -s --core core --executable server\` | $(f1 "$(p50 eu.wall)") | $(range eu.wall) | – | $(mb "$(maxof eu.rss)") | $(shape eu-stack) | $(ratio "$(p50 eu.wall)" "$CP_ADD") |
EOF
if [[ $HAVE_SYMBOLIZE == 1 ]]; then
  CPSYM=$(p50 cpsym.wall)
  cat <<EOF
| crashpilot, core | \`crashpilot symbolize --core core --exe server --json\` | $(f1 "$CPSYM") | $(range cpsym.wall) | – | $(mb "$(maxof cpsym.rss)") | $(shape crashpilot-symbolize) | – |

Core against core: gdb / crashpilot symbolize = $(ratio "$(p50 gdbcore.wall)" "$CPSYM"), eu-stack / crashpilot symbolize = $(ratio "$(p50 eu.wall)" "$CPSYM").
EOF
else
  echo
  echo "crashpilot symbolize --core: not measured, this crashpilot has no \`symbolize\` subcommand."
fi
cat <<EOF

"crashpilot faster by" divides each tool's time to a trace (gdb run: its added time; core tools:
their whole wall) by crashpilot's added time (end to end: start-up, stop, unwind, symbolize,
triage, report and store writes). threads/frames: threads and frame lines in the tool's output.
Peak RSS is the largest process of the tree: for crashpilot, crashpilot or its server.

Inside crashpilot (its crashed event's timing_us), p50 (min–max) ms:
- stopped (frozen: stop all threads, read registers and stacks, unwind): $(f1 "$(p50 cp.frozen)") ($(range cp.frozen)); of which unwind $(f1 "$(p50 cp.unwind)") ($(range cp.unwind))
- symbolize, after the process was released: $(f1 "$(p50 cp.symbolize)") ($(range cp.symbolize))
- signal → trace in process (frozen + symbolize): $(f1 "$(p50 cp.inproc)") ($(range cp.inproc))

## Targets (issue 4; stated for the 220-module size)

| target | measured | |
| --- | --- | --- |
| signal → symbolized trace ≤ 100 ms p50, warm | $(f1 "$CP_ADD") ms end to end; $(f1 "$(p50 cp.inproc)") ms in process | $(pass "$(awk -v a="$CP_ADD" 'BEGIN { print (a <= 100) }')") end to end, $(pass "$(awk -v a="$(p50 cp.inproc)" 'BEGIN { print (a <= 100) }')") in process |
| ≥ 20× faster than gdb (run recipe) | $(ratio "$GDBRUN_ADD" "$CP_ADD") | $(pass "$(awk -v a="$GDBRUN_ADD" -v b="$CP_ADD" 'BEGIN { print (b > 0 && a / b >= 20) }')") |
| peak RSS ≤ 64 MB | $CP_RSS_MB MB | $(pass "$(awk -v a="$CP_RSS_MB" 'BEGIN { print (a <= 64) }')") |
| stopped ≤ 5 ms | $(f1 "$(p50 cp.frozen)") ms p50, $(f1 "$(maxof cp.frozen)") ms max | $(pass "$(awk -v a="$(p50 cp.frozen)" 'BEGIN { print (a <= 5) }')") |
EOF

if [[ $ROUNDS -gt 0 ]]; then
  read -r -a B <<<"$(mean_sd oh.bare)"
  read -r -a S <<<"$(mean_sd oh.cp)"
  cat <<EOF

## Supervision overhead: \`server --ticks $TICKS --no-crash\`, $ROUNDS interleaved rounds (ticks/s, higher is better)

| mode | mean ± sd | min–max | runs |
| --- | --- | --- | --- |
| bare | ${B[0]} ± ${B[1]} | ${B[2]}–${B[3]} | ${B[4]} |
| under \`crashpilot run --max-crashes 1 --restart never\` | ${S[0]} ± ${S[1]} | ${S[2]}–${S[3]} | ${S[4]} |

Supervised / bare: $(awk -v s="${S[0]}" -v b="${B[0]}" 'BEGIN { printf "%+.1f%%", (s / b - 1) * 100 }') (run-to-run spread of the bare server: ±$(awk -v sd="${B[1]}" -v m="${B[0]}" 'BEGIN { printf "%.1f%%", sd / m * 100 }') sd).
EOF
fi
