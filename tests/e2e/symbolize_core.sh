#!/usr/bin/env bash
# `symbolize --core`: a core of the -O2 test program (made with gdb's gcore) read back as a triaged
# crash: the crashing worker first, its inline frames and lines against the program's source; bad
# core files are refused with exit 3 and a reason.
source "$(dirname "$0")/common.sh"
program=$(dirname "$CRASHPILOT")/tests/programs/symbolize_crash
source_file=$CRASHPILOT_SOURCE_DIR/tests/programs/symbolize_crash.cpp
[ -x "$program" ] || fail "the test program $program was not built"
command -v gdb >/dev/null || skip "gdb is not installed: no core to read"
command -v jq >/dev/null || skip "jq is not installed"
line() { grep -n "SYMBOLIZE-LINE $1\$" "$source_file" | cut -d: -f1; }
# Uncompressed debug-file copies go to the scratch directory, not the user's ~/.cache.
export XDG_CACHE_HOME=$PWD/cache

gdb -batch -nx -iex 'set debuginfod enabled off' -ex run -ex 'gcore core' --args "$program" crash >gdb.txt 2>&1
[ -s core ] || fail "gdb made no core: $(tail -5 gdb.txt)"

run "$CRASHPILOT" symbolize --json --core core
expect_rc 0
jq -e '.kind == "signal" and .exception_code == "SIGSEGV" and .fault_address == "0x0"' stdout.txt >/dev/null ||
  fail "what happened: $(jq -c '{kind, exception_code, fault_address}' stdout.txt)"
[ "$(jq -r .crash_function stdout.txt)" = "symbolize_test::Unit::Health" ] || fail "crash_function: $(jq -r .crash_function stdout.txt)"
[ "$(jq -r .crash_location stdout.txt)" = "tests/programs/symbolize_crash.cpp:$(line health)" ] ||
  fail "crash_location: $(jq -r .crash_location stdout.txt)"
[ "$(jq '.threads | length' stdout.txt)" = 3 ] || fail "threads: $(jq -c '[.threads[].id]' stdout.txt)"
jq -e '.threads[0].crashing and (.threads[0].id == (.crashing_tid | tostring))' stdout.txt >/dev/null ||
  fail "the crashing thread is not first"
jq -e '.frames[0].inlined and .frames[1].inlined and (.frames[2].inlined | not)' stdout.txt >/dev/null ||
  fail "inline frames: $(jq -c '[.frames[:3][] | {function, inlined}]' stdout.txt)"
[ "$(jq -r '.frames[1].line' stdout.txt)" = "$(line read-health)" ] || fail "inline call site line"
[ "$(jq -r '.frames[3].function' stdout.txt)" = "symbolize_test::World::Update(int)" ] || fail "caller: $(jq -c '.frames[3]' stdout.txt)"
[ "$(jq -r '.frames[3].line' stdout.txt)" = "$(line update)" ] || fail "caller line"
jq -e '.build_id | test("^[0-9a-f]{40}$")' stdout.txt >/dev/null || fail "build_id: $(jq -r .build_id stdout.txt)"

run "$CRASHPILOT" symbolize --core core --exe "$program" --all-threads
expect_rc 0
expect_out "crash at"
expect_out "[inline] symbolize_test::ReadHealth"
expect_out "std::thread::join"

echo "not a core" >crash.txt
run "$CRASHPILOT" symbolize --core crash.txt
expect_rc 3
expect_err "not an ELF file"
head -c 100000 core >cut.core
run "$CRASHPILOT" symbolize --core cut.core
expect_rc 3
expect_err "truncated"
run "$CRASHPILOT" symbolize --core "$program"
expect_rc 3
expect_err "not a core dump"
run "$CRASHPILOT" symbolize --core core --debug-dir "$PWD/no-such-dir"
expect_rc 2
run "$CRASHPILOT" symbolize
expect_rc 2
expect_err "needs --core"
