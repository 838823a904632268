#!/bin/sh
# Builds the libFuzzer harnesses with clang (address and undefined
# sanitizers) and runs each for a fixed number of executions from a seed
# corpus: tests/fuzz/run.sh BUILD_DIR [RUNS]. `make fuzz` calls it; CI runs
# it with a small count. Exit 0 when no harness found a crash.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "$1" && pwd)
runs=${2:-20000}
out="$build/fuzz"
mkdir -p "$out"
cc=${FUZZ_CC:-clang}
command -v "$cc" >/dev/null || { echo "fuzz: $cc not found (apt-get install clang)"; exit 1; }
srcs=""
# The engines and the session core, without the commands (tutor/cmd/).
for f in "$top"/protocols/*.c "$top"/tutor/*.c "$top"/tutor/session/*.c; do
    srcs="$srcs $f"
done
flags="-std=c11 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=600 -g -O1 -fsanitize=fuzzer,address,undefined
  -fno-sanitize-recover=undefined -I$top -I$build $(pkg-config --cflags libcjson)
  -DLESSONDIR=\"/nonexistent\" -DLOCALEDIR=\"/nonexistent\" -DFUZZ_LESSON=\"$top/tests/scenarios/raft-figure8.json\""
libs="$(pkg-config --libs libcjson libzstd) -lm"
status=0
for h in inputs transcript; do
    # shellcheck disable=SC2086
    $cc $flags -o "$out/fuzz_$h" "$top/tests/fuzz/fuzz_$h.c" $srcs $libs
    seeds="$out/seeds_$h"
    rm -rf "$seeds"
    mkdir -p "$seeds"
    if [ $h = transcript ]; then
        cp "$top"/tests/hostile/genuine-learner.json "$top"/tests/hostile/transcripts/*.json "$seeds/"
    else
        # The genuine session's inputs, one object per line, and each alone.
        sed -n 's/^ *"input": \(.*\),$/\1/p' "$top/tests/hostile/genuine-learner.json" \
            >"$seeds/all"
        split -l 1 "$seeds/all" "$seeds/one-"
    fi
    echo "fuzz_$h: $runs executions"
    "$out/fuzz_$h" -runs="$runs" -max_len=65536 -timeout=30 -rss_limit_mb=2048 \
        -artifact_prefix="$out/crash-$h-" "$seeds" 2>"$out/fuzz_$h.log" ||
        { status=1; tail -n 40 "$out/fuzz_$h.log"; }
    grep -E '^#[0-9]+ *DONE|Done [0-9]+ runs' "$out/fuzz_$h.log" | tail -n 1
done
exit $status
