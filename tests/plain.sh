#!/bin/sh
# The plain line mode, end to end: a fixed command script piped into
# `tutor --plain` on a scenario lesson must print exactly the golden text
# (the mode is deterministic), and end cleanly at EOF too.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
tutor=$top_builddir/tutor/tutor
lesson=$top_srcdir/tests/scenarios/raft-figure8.json
golden=$top_srcdir/tests/golden/plain-figure8.txt
script=$top_srcdir/tests/golden/plain-figure8.in
out=${TMPDIR:-/tmp}/plain-figure8.$$
trap 'rm -rf "$out" "$out.state"' EXIT INT TERM

LC_ALL=C.UTF-8 "$tutor" --plain "$lesson" <"$script" >"$out" 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then
    echo "FAIL: tutor --plain exited $rc"
    exit 1
fi
if ! diff -u "$golden" "$out"; then
    echo "FAIL: the plain mode's output differs from $golden"
    exit 1
fi

# EOF without quit ends cleanly; TERM=dumb on a pipe is the plain mode too.
printf 'g\n' | TERM=dumb "$tutor" "$lesson" >"$out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] || ! grep -q 'S5 - down' "$out"; then
    echo "FAIL: EOF or TERM=dumb: exit $rc"
    cat "$out"
    exit 1
fi
# A sandbox names the plain mode's help command, never the UI's keys.
printf 'quit\n' | LC_ALL=C.UTF-8 "$tutor" --plain sandbox raft >"$out" 2>&1
if ! grep -q 'help lists the commands' "$out" || grep -q 'for keys' "$out"; then
    echo "FAIL: the plain sandbox's summary does not name the help command"
    cat "$out"
    exit 1
fi
# §7: a node line shows where its snapshot ends, then only the kept entries.
snap=$top_srcdir/tests/scenarios/raft-snapshot-keep-suffix.json
yes g | head -30 | LC_ALL=C.UTF-8 "$tutor" --plain "$snap" >"$out" 2>&1
if ! grep -q 'S3 F follower  term 1, vote L, commit 4, timer due 100000ms, log: \[snapshot <=3, t1\] 1:d\*$' "$out" ||
    ! grep -q 'L L leader    term 1, vote L, commit 4, timer due 100000ms, log: \[snapshot <=4, t1\]$' "$out"; then
    echo "FAIL: the plain mode does not show the snapshot boundary"
    grep -E '^  (L|S3) ' "$out" | tail -4
    exit 1
fi
# The plain mode names its commands, never the UI's keys, at a quiz; an
# empty submit is refused and costs no try.
l01=$top_srcdir/tests/fixtures/en/01-consensus-basics.json
printf 'g\ng\ng\ng\ng\ng\n' | LC_ALL=C.UTF-8 XDG_STATE_HOME="$out.state" "$tutor" --plain "$l01" >"$out" 2>&1
if ! grep -q "Type the number of your answer · hint: a hint" "$out" || grep -q "H: a hint" "$out"; then
    echo "FAIL: the plain mode's quiz line names a key"
    grep -n "hint" "$out" | head -3
    exit 1
fi
# explore: the outcome is a feed line at the position the search began in
# (already printed), so the plain mode prints the lines the search added
# there right after the command, before the status line: a screen reader
# hears what was found, and f then steps into the schedule.
lab=$top_srcdir/tests/scenarios/lab-paxos-ignore-promised-values.json
printf 'explore\nf\nquit\n' | LC_ALL=C.UTF-8 "$tutor" --plain "$lab" >"$out" 2>&1
if ! sed -n '/^> explore$/{n;p;}' "$out" | grep -q '^  \[     0\] explorer: [0-9]* events from here break a safety invariant' ||
    ! sed -n '/^> f$/{n;p;}' "$out" | grep -q '^  \[     0\] do: propose '; then
    echo "FAIL: the plain mode does not print what the explorer found"
    sed -n '/^> explore$/,$p' "$out" | head -8
    exit 1
fi
nobug=$top_srcdir/tests/scenarios/lab-nobug-raft-volatile-vote.json
printf 'explore\nquit\n' | LC_ALL=C.UTF-8 "$tutor" --plain "$nobug" >"$out" 2>&1
if ! sed -n '/^> explore$/{n;p;}' "$out" | grep -q '^  \[     0\] explorer: no schedule within the bounds breaks a safety invariant'; then
    echo "FAIL: the plain mode does not print that the explorer found nothing"
    sed -n '/^> explore$/,$p' "$out" | head -4
    exit 1
fi
echo "ok: plain mode matches the golden transcript"
exit 0
