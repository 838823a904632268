#!/bin/sh
# Every shipped lesson, every scenario file and the spec's example must pass
# `tutor check` (exit 0), so no lesson can teach what the engine does not do.
set -u
tutor="$top_builddir/tutor/tutor"
status=0
files=$(ls "$top_srcdir"/lessons/*/*.json "$top_srcdir"/tests/scenarios/*.json "$top_srcdir"/tests/fixtures/*.json "$top_srcdir"/tests/fixtures/*/*.json 2>/dev/null)
example="$top_srcdir/../shared/spec/examples/raft-election-example.json"
[ -f "$example" ] && files="$files $example"
for f in $files; do
    out=$("$tutor" check "$f" 2>&1)
    rc=$?
    last=$(printf '%s\n' "$out" | tail -n 1)
    if [ $rc -eq 0 ]; then
        echo "ok   $(basename "$f"): $last"
    else
        echo "FAIL $(basename "$f") (exit $rc):"
        printf '%s\n' "$out" | sed 's/^/    /'
        status=1
    fi
done
exit $status
