#!/usr/bin/env bash
# Builds the libFuzzer target with clang and runs it for a bounded time on the committed seeds (the
# fixture reports) plus what it finds. A crash, leak or timeout fails the test and keeps the input.
set -euo pipefail
src=$1 build=$2 seconds=${3:-30}
cmake -S "$src" -B "$build" -G Ninja -DCRASHPILOT_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG="-g -O1" -DCMAKE_CXX_COMPILER=clang++ >/dev/null
cmake --build "$build" --target fuzz_parse
work="$build/corpus"
mkdir -p "$work" "$build/artifacts"
find "$src/tests/data/crashes" -name '*.txt' -exec cp {} "$work/" \;
"$build/tests/fuzz/fuzz_parse" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=65536 -artifact_prefix="$build/artifacts/" -print_final_stats=1 "$work"
