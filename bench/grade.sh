#!/bin/sh
# Benchmark (not a test): `tutor grade` over 500 learner transcripts of the
# shipped lessons, with --jobs 1 and --jobs 2; prints files per second.
# Usage: bench/grade.sh [BUILDDIR] [FILES]   (from the source tree)
set -u
builddir=${1:-_build}
files=${2:-500}
tutor=$(cd "$builddir" && pwd)/tutor/tutor
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tutor-bench-grade.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export LC_ALL=C.UTF-8 XDG_STATE_HOME="$tmp/state"
mkdir -p "$tmp/one" "$tmp/class"
# One learner session per shipped lesson, in the plain mode: go on, answer
# the first choice, give up goals.
for lesson in lessons/*/*.json; do
    name=$(basename "$(dirname "$lesson")")-$(basename "$lesson" .json)
    {
        i=0
        while [ $i -lt 60 ]; do
            printf 'g\n1\nsubmit\ngiveup\n'
            i=$((i + 1))
        done
        printf 'export %s\nquit\n' "$tmp/one/$name.json"
    } | "$tutor" --plain --no-progress --student "Student" "$lesson" >/dev/null 2>&1
done
set -- "$tmp"/one/*.json
n=$#
[ "$n" -gt 0 ] || { echo "no transcripts made" >&2; exit 1; }
# FILES copies, each with its own student.
k=0
while [ $k -lt "$files" ]; do
    for f in "$tmp"/one/*.json; do
        [ $k -lt "$files" ] || break
        sed "s/\"student\": \"Student\"/\"student\": \"Student $k\"/" "$f" \
            >"$tmp/class/$(printf %04d $k)-$(basename "$f")"
        k=$((k + 1))
    done
done
bytes=$(cat "$tmp"/class/*.json | wc -c)
echo "grading $files learner transcripts of $n lesson files ($((bytes / files)) bytes each on average)"
for jobs in 1 2; do
    start=$(date +%s.%N)
    "$tutor" grade "$tmp/class" --jobs $jobs >"$tmp/out.$jobs" 2>&1
    rc=$?
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" -v n="$files" -v j=$jobs -v rc=$rc -v \
        ok="$(grep -c ' reproduces$' "$tmp/out.$jobs")" \
        'BEGIN { printf "--jobs %d: %.2f s, %.1f files/s (%d reproduce, exit %d)\n", j, e - s, n / (e - s), ok, rc }'
done
