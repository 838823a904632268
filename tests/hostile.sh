#!/bin/sh
# Hostile saved files (tests/hostile/, made by generate.py): every crafted,
# damaged or truncated transcript is refused with its path (exit 2) or, when
# it is well-formed, found to differ (exit 1); never a crash (exit 128 and
# above, or a sanitizer report) and never a hang (each has 60 s). The
# genuine transcript the corpus was made from reproduces.
set -u
tutor="$top_builddir/tutor/tutor"
dir="$top_srcdir/tests/hostile"
lesson="$top_srcdir/tests/scenarios/raft-figure8.json"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tutor-hostile.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export XDG_STATE_HOME="$tmp/state" LC_ALL=C.UTF-8
status=0
n=0
"$tutor" verify "$dir/genuine-learner.json" --lesson "$lesson" >"$tmp/out" 2>&1 ||
    { echo "FAIL the genuine transcript does not reproduce:"; cat "$tmp/out"; status=1; }
for f in "$dir"/transcripts/*.json; do
    n=$((n + 1))
    name=$(basename "$f")
    timeout 60 "$tutor" verify "$f" --lesson "$lesson" >"$tmp/out" 2>&1
    rc=$?
    if [ $rc -ne 1 ] && [ $rc -ne 2 ]; then
        echo "FAIL $name: exit $rc"
        sed 's/^/    /' "$tmp/out"
        status=1
    elif grep -q 'Sanitizer\|runtime error' "$tmp/out"; then
        echo "FAIL $name: sanitizer report"
        sed 's/^/    /' "$tmp/out"
        status=1
    elif ! grep -qF "$name" "$tmp/out"; then
        echo "FAIL $name: the message does not name the file"
        sed 's/^/    /' "$tmp/out"
        status=1
    else
        echo "ok   $name (exit $rc): $(head -c 160 "$tmp/out" | head -n 1)"
    fi
done
echo "$n hostile transcripts checked"
exit $status
