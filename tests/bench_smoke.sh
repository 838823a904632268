#!/bin/sh
# Bench smoke (never a timing assertion): bench/bench runs the short load
# bench/load-2s.json beside bench/baseline and prints both speeds, their
# ratio, peak memory and commands committed. The baseline runs the same
# message schedule, so both must count the same events and commit the same
# commands.
set -u
out=$("$top_builddir/bench/bench" "$top_srcdir/bench/load-2s.json" 2>&1)
rc=$?
printf '%s\n' "$out"
[ $rc -eq 0 ] || { echo "FAIL: bench exited $rc"; exit 1; }
figure() { printf '%s\n' "$out" | sed -n "s/^$1 .* \([0-9][0-9]*\) $2.*/\1/p"; }
for line in tutor baseline ratio; do
    printf '%s\n' "$out" | grep -q "^$line " || { echo "FAIL: no $line line"; exit 1; }
done
te=$(figure tutor 'events,') be=$(figure baseline 'events,')
tc=$(figure tutor 'commands committed') bc=$(figure baseline 'commands committed')
printf '%s\n' "$out" | grep -q 'peak memory [0-9.]* MB' || { echo "FAIL: no peak memory"; exit 1; }
if [ -z "$te" ] || [ "$te" != "$be" ] || [ -z "$tc" ] || [ "$tc" != "$bc" ] || [ "$tc" -eq 0 ]; then
    echo "FAIL: tutor ($te events, $tc committed) and baseline ($be events, $bc committed) differ"
    exit 1
fi
echo "ok: same schedule, $te events, $tc commands committed"
