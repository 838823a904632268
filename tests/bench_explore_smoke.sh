#!/bin/sh
# Explorer bench smoke (never a timing assertion): bench/explore_bench runs
# both bench searches at a small depth and prints its figures; each search
# must end with none (no bug), not stopped, with more than one state.
set -u
out=$("$top_builddir/bench/explore_bench" --depth 4 "$top_srcdir/bench/explore-raft.json" \
    "$top_srcdir/bench/explore-paxos.json" 2>&1)
rc=$?
printf '%s\n' "$out"
[ $rc -eq 0 ] || { echo "FAIL: explore_bench exited $rc"; exit 1; }
[ "$(printf '%s\n' "$out" | grep -c ': none, [0-9]* states, .* states/s, .*bytes per stored state; peak memory')" -eq 2 ] ||
    { echo "FAIL: expected two 'none' lines with figures"; exit 1; }
printf '%s\n' "$out" | grep -q stopped && { echo "FAIL: a search stopped"; exit 1; }
echo "ok"
