#!/usr/bin/env bash
# Runs the whole test suite: a normal build with warnings as errors, make
# distcheck, then an address+undefined sanitizer build; prints every test log so Check's
# summaries are visible.
set -uo pipefail
top=$(cd "$(dirname "$0")" && pwd)
"$top/scripts/deps.sh" || exit 1
status=0
run_suite() {
    local dir=$1
    shift
    echo "=== build $dir ($*)"
    "$top/scripts/build.sh" "$dir" "$@" || return 1
    (cd "$dir" && make -s -j"$(nproc)" check >/dev/null 2>&1)
    local rc=$?
    for log in "$dir"/tests/*.log; do
        [ "$(basename "$log")" = test-suite.log ] && continue
        echo "--- $log"
        cat "$log"
    done
    return $rc
}
run_suite "$top/_build" --enable-werror || status=1
echo "=== fuzz: the saved-input reader and resume, a fixed number of executions each"
(cd "$top/_build" && make -s fuzz FUZZ_RUNS=20000) || status=1
echo "=== make distcheck (the release tarball builds, installs and passes its tests)"
(cd "$top/_build" && make -s distcheck >distcheck.log 2>&1) && echo "distcheck: ok" ||
    { tail -n 40 "$top/_build/distcheck.log"; echo "distcheck: FAILED"; status=1; }
ASAN_OPTIONS=detect_leaks=1 run_suite "$top/_build-san" --enable-sanitize --enable-werror || status=1
[ $status -eq 0 ] && echo "ALL SUITES PASSED" || echo "SOME SUITES FAILED"
# One closing line over both builds: every test program or script counts once per build.
passed=$(cat "$top"/_build/tests/*.trs "$top"/_build-san/tests/*.trs 2>/dev/null | grep -c '^:test-result: PASS')
failed=$(cat "$top"/_build/tests/*.trs "$top"/_build-san/tests/*.trs 2>/dev/null | grep -Ec '^:test-result: (FAIL|ERROR|XPASS)')
skipped=$(cat "$top"/_build/tests/*.trs "$top"/_build-san/tests/*.trs 2>/dev/null | grep -c '^:test-result: SKIP')
[ $status -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "tests: $passed passed, $failed failed, $skipped skipped"
exit $status
