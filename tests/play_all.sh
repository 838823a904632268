#!/bin/sh
# Every shipped lesson can be played to the end in the plain line mode, in
# its own language: the learner keeps going (g), answers every quiz
# (a choice, a multiple choice, a typed value; wrong answers included) and
# gives up every goal (solution), and the lesson must reach its end.
set -u
tutor="$top_builddir/tutor/tutor"
state=${TMPDIR:-/tmp}/tutor-play-$$
trap 'rm -rf "$state"' EXIT INT TERM
status=0
n=0
for f in "$top_srcdir"/lessons/*/*.json; do
    lang=$(basename "$(dirname "$f")")
    case $lang in
    zh-CN) over='课程已结束' ;;
    *) over='the lesson is over' ;;
    esac
    out=$( (i=0; while [ $i -lt 400 ]; do printf 'g\n1\nsubmit\nanswer 0\nsolution\n'; i=$((i + 1)); done
        printf 'quit\n') | XDG_STATE_HOME="$state" LC_ALL=C.UTF-8 "$tutor" --plain --lang "$lang" "$f" 2>&1)
    rc=$?
    n=$((n + 1))
    if [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -qF "$over"; then
        echo "ok   $lang/$(basename "$f"): $(printf '%s\n' "$out" | grep -E 'Score|得分' | tail -n 1)"
    else
        echo "FAIL $lang/$(basename "$f") (exit $rc): the end was not reached"
        printf '%s\n' "$out" | tail -n 15 | sed 's/^/    /'
        status=1
    fi
done
echo "$n lessons played to the end"
exit $status
