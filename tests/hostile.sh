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
# What is wrong with verify's answer to a hostile file, or nothing: it must
# refuse (2) or find a difference (1), with no sanitizer report, naming
# the file.
verdict() { # NAME EXIT-STATUS OUTPUT-FILE
    if [ "$2" -ne 1 ] && [ "$2" -ne 2 ]; then
        echo "exit $2"
    elif grep -q 'Sanitizer\|runtime error' "$3"; then
        echo "sanitizer report"
    elif ! grep -qF "$1" "$3"; then
        echo "the message does not name the file"
    fi
}
# The checker fails on fabricated bad answers (a crash, a hang's timeout,
# an accepted file, a sanitizer report, a message without the name) and
# on the real answer to the genuine file, which verify accepts.
selftest() { # WHAT EXIT-STATUS OUTPUT
    printf '%s\n' "$3" >"$tmp/st"
    [ -n "$(verdict x.json "$2" "$tmp/st")" ] ||
        { echo "FAIL self-test: the checker let $1 through"; status=1; }
}
selftest "a crash" 139 "tutor: x.json: steps[0]: bad"
selftest "a hang" 124 "tutor: x.json: steps[0]: bad"
selftest "an accepted file" 0 "x.json: reproduces"
selftest "a sanitizer report" 2 "tutor: x.json: bad
==1==ERROR: AddressSanitizer: heap-buffer-overflow"
selftest "a UBSan report" 1 "x.json: differs; t.c:3:5: runtime error: signed integer overflow"
selftest "a message without the file" 2 "tutor: steps[0]: bad"
printf 'tutor: x.json: steps[0]: bad\n' >"$tmp/st"
[ -z "$(verdict x.json 2 "$tmp/st")" ] || { echo "FAIL self-test: a good refusal failed"; status=1; }
"$tutor" verify "$dir/genuine-learner.json" --lesson "$lesson" >"$tmp/out" 2>&1
[ -n "$(verdict genuine-learner.json $? "$tmp/out")" ] ||
    { echo "FAIL self-test: the genuine transcript passed as hostile"; status=1; }
[ $status -eq 0 ] && echo "ok   self-tests: the checker fails on every bad answer"
for f in "$dir"/transcripts/*.json; do
    n=$((n + 1))
    name=$(basename "$f")
    timeout 60 "$tutor" verify "$f" --lesson "$lesson" >"$tmp/out" 2>&1
    rc=$?
    why=$(verdict "$name" $rc "$tmp/out")
    if [ -n "$why" ]; then
        echo "FAIL $name: $why"
        sed 's/^/    /' "$tmp/out"
        status=1
    else
        echo "ok   $name (exit $rc): $(head -c 160 "$tmp/out" | head -n 1)"
    fi
done
echo "$n hostile transcripts checked"
exit $status
