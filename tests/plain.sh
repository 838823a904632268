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
trap 'rm -rf "$out" "$out.state" "$out.st"' EXIT INT TERM

# The checkers, one a function each; the self-tests below feed each a
# fabricated bad sample first (a checker that cannot fail passes anything).
golden_same() { diff -u "$golden" "$1"; }
eof_ok() { grep -q 'S5 - down' "$1"; }
sandbox_ok() { grep -q 'help lists the commands' "$1" && ! grep -q 'for keys' "$1"; }
snapshot_ok() {
    grep -q 'S3 F follower  term 1, vote L, commit 4, timer due 100000ms, log: \[snapshot <=3, t1\] 1:d\*$' "$1" &&
        grep -q 'L L leader    term 1, vote L, commit 4, timer due 100000ms, log: \[snapshot <=4, t1\]$' "$1"
}
quiz_line_ok() { grep -q "Type the number of your answer · hint: a hint" "$1" && ! grep -q "H: a hint" "$1"; }
explore_found_ok() {
    sed -n '/^> explore$/{n;p;}' "$1" | grep -q '^  \[     0\] explorer: [0-9]* events from here break a safety invariant' &&
        sed -n '/^> f$/{n;p;}' "$1" | grep -q '^  \[     0\] do: propose '
}
explore_none_ok() {
    sed -n '/^> explore$/{n;p;}' "$1" | grep -q '^  \[     0\] explorer: no schedule within the bounds breaks a safety invariant'
}
# help lists the commands that apply now: in a Paxos lesson not Raft's.
paxos_help_ok() {
    sed -n '/^> help$/,/^help all/p' "$1" | grep -q '^  propose NODE VALUE' &&
        ! sed -n '/^> help$/,/^help all/p' "$1" | grep -q '(Raft'
}
# One arrow between two nodes everywhere (the feed's notes, the message
# list, the cut links): → and ↔, and -> and <-> under --ascii, never both.
arrows_utf8_ok() {
    grep -q '^  \[ *[0-9]*\] .*S[0-9]→S[0-9]' "$1" && grep -q '^  #[0-9]* S[0-9]→S[0-9] ' "$1" &&
        grep -q '^  link cut: S[0-9] ↔ S[0-9]$' "$1" && ! grep -q 'S[0-9] \{0,1\}<\{0,1\}-> \{0,1\}S[0-9]' "$1"
}
arrows_ascii_ok() {
    grep -q '^  \[ *[0-9]*\] .*S[0-9]->S[0-9]' "$1" && grep -q '^  #[0-9]* S[0-9]->S[0-9] ' "$1" &&
        grep -q '^  link cut: S[0-9] <-> S[0-9]$' "$1" && ! LC_ALL=C grep -q '[^ -~]' "$1"
}
must_fail() { # CHECKER WHAT SAMPLE
    printf '%s\n' "$3" >"$out.st"
    if "$1" "$out.st" >/dev/null 2>&1; then
        echo "FAIL self-test: $1 passed $2"
        exit 1
    fi
}
must_pass() { # CHECKER SAMPLE
    printf '%s\n' "$2" >"$out.st"
    "$1" "$out.st" >/dev/null 2>&1 || { echo "FAIL self-test: $1 failed its good sample"; exit 1; }
}
sed '$s/$/ /' "$golden" >"$out.st"
golden_same "$out.st" >/dev/null && { echo "FAIL self-test: a space added to the golden passed"; exit 1; }
head -n 3 "$golden" >"$out.st"
golden_same "$out.st" >/dev/null && { echo "FAIL self-test: a cut golden passed"; exit 1; }
must_fail eof_ok "a run that never crashed S5" "  S5 F follower  term 1"
must_pass sandbox_ok "Raft, 3 nodes. help lists the commands."
must_fail sandbox_ok "the UI's keys" "Raft, 3 nodes. help lists the commands, ? for keys."
must_fail sandbox_ok "no help command" "Raft, 3 nodes."
snap_good='  S3 F follower  term 1, vote L, commit 4, timer due 100000ms, log: [snapshot <=3, t1] 1:d*
  L L leader    term 1, vote L, commit 4, timer due 100000ms, log: [snapshot <=4, t1]'
must_pass snapshot_ok "$snap_good"
must_fail snapshot_ok "the compacted entries shown" "$(echo "$snap_good" | sed 's/\[snapshot <=3, t1\] 1:d\*/1:a 2:b 3:c 4:d*/')"
must_pass quiz_line_ok "Type the number of your answer · hint: a hint"
must_fail quiz_line_ok "a key named" "Type the number of your answer · hint: a hint (H: a hint)"
must_pass paxos_help_ok "> help
  propose NODE VALUE a client proposal to a node (Paxos)
help all: every command and when it applies"
must_fail paxos_help_ok "a Raft command" "> help
  propose NODE VALUE a client proposal to a node (Paxos)
  request NODE CMD   a client command to a node (Raft)
help all: every command and when it applies"
found='> explore
  [     0] explorer: 7 events from here break a safety invariant
> f
  [     0] do: propose blue at S1'
must_pass explore_found_ok "$found"
must_fail explore_found_ok "the outcome printed late" "$(echo "$found" | sed '1a\
t=0ms, history 0/7, safe')"
must_pass explore_none_ok "> explore
  [     0] explorer: no schedule within the bounds breaks a safety invariant (9 states searched, 6 events deep)"
must_fail explore_none_ok "nothing printed" "> explore
t=0ms, history 0/0, safe"
arrows_good='  [     0] S1: #1 RequestVote S1→S2 term=3 (due 10)
  #1 S1→S2 RequestVote term=3, due 10ms
  link cut: S1 ↔ S4'
must_pass arrows_utf8_ok "$arrows_good"
must_fail arrows_utf8_ok "a message list in ASCII" "$(echo "$arrows_good" | sed '2s/→/->/')"
must_fail arrows_utf8_ok "a cut link in ASCII" "$(echo "$arrows_good" | sed '3s/↔/<->/')"
arrows_ascii_good=$(echo "$arrows_good" | sed 's/→/->/g; s/↔/<->/')
must_pass arrows_ascii_ok "$arrows_ascii_good"
must_fail arrows_ascii_ok "a UTF-8 arrow" "$(echo "$arrows_ascii_good" | sed '1s/->/→/')"

LC_ALL=C.UTF-8 "$tutor" --plain "$lesson" <"$script" >"$out" 2>&1
rc=$?
if [ "$rc" -ne 0 ]; then
    echo "FAIL: tutor --plain exited $rc"
    exit 1
fi
if ! golden_same "$out"; then
    echo "FAIL: the plain mode's output differs from $golden"
    exit 1
fi
if ! arrows_utf8_ok "$out"; then
    echo "FAIL: the plain mode draws a message's arrow two ways"
    grep -n 'S[0-9] \{0,1\}<\{0,1\}-> \{0,1\}S[0-9]' "$out" | head -3
    exit 1
fi
LC_ALL=C.UTF-8 "$tutor" --plain --ascii "$lesson" <"$script" >"$out" 2>&1
if ! arrows_ascii_ok "$out"; then
    echo "FAIL: the plain mode under --ascii draws a message's arrow two ways, or not in ASCII"
    LC_ALL=C grep -n '[^ -~]' "$out" | head -3
    exit 1
fi
echo "ok: one arrow for a message in the feed, the message list and the cut links"

# EOF without quit ends cleanly; TERM=dumb on a pipe is the plain mode too.
printf 'g\n' | TERM=dumb "$tutor" "$lesson" >"$out" 2>&1
rc=$?
if [ "$rc" -ne 0 ] || ! eof_ok "$out"; then
    echo "FAIL: EOF or TERM=dumb: exit $rc"
    cat "$out"
    exit 1
fi
# A sandbox names the plain mode's help command, never the UI's keys.
printf 'quit\n' | LC_ALL=C.UTF-8 "$tutor" --plain sandbox raft >"$out" 2>&1
if ! sandbox_ok "$out"; then
    echo "FAIL: the plain sandbox's summary does not name the help command"
    cat "$out"
    exit 1
fi
# §7: a node line shows where its snapshot ends, then only the kept entries.
snap=$top_srcdir/tests/scenarios/raft-snapshot-keep-suffix.json
yes g | head -30 | LC_ALL=C.UTF-8 "$tutor" --plain "$snap" >"$out" 2>&1
if ! snapshot_ok "$out"; then
    echo "FAIL: the plain mode does not show the snapshot boundary"
    grep -E '^  (L|S3) ' "$out" | tail -4
    exit 1
fi
# The plain mode names its commands, never the UI's keys, at a quiz; an
# empty submit is refused and costs no try.
l01=$top_srcdir/tests/fixtures/en/01-consensus-basics.json
printf 'g\ng\ng\ng\ng\ng\n' | LC_ALL=C.UTF-8 XDG_STATE_HOME="$out.state" "$tutor" --plain "$l01" >"$out" 2>&1
if ! quiz_line_ok "$out"; then
    echo "FAIL: the plain mode's quiz line names a key"
    grep -n "hint" "$out" | head -3
    exit 1
fi
# Piped, the plain mode keeps no progress (only a terminal's session
# does): the newcomer's script writes nothing under XDG_STATE_HOME, and a
# second run prints the same bytes as the first.
l02=$top_srcdir/lessons/en/02-raft-election.json
rm -rf "$out.state"
printf 'g\ng\ng\nquit\n' | LC_ALL=C.UTF-8 XDG_STATE_HOME="$out.state" "$tutor" --plain "$l02" >"$out" 2>&1
printf 'g\ng\ng\nquit\n' | LC_ALL=C.UTF-8 XDG_STATE_HOME="$out.state" "$tutor" --plain "$l02" >"$out.st" 2>&1
if [ -n "$(find "$out.state" -type f 2>/dev/null)" ] || ! cmp -s "$out" "$out.st"; then
    echo "FAIL: a piped plain mode wrote progress or printed differently the second time"
    find "$out.state" -type f 2>/dev/null
    diff "$out" "$out.st" | head -5
    exit 1
fi
# explore: the outcome is a feed line at the position the search began in
# (already printed), so the plain mode prints the lines the search added
# there right after the command, before the status line: a screen reader
# hears what was found, and f then steps into the schedule.
lab=$top_srcdir/tests/scenarios/lab-paxos-ignore-promised-values.json
printf 'explore\nf\nquit\n' | LC_ALL=C.UTF-8 "$tutor" --plain "$lab" >"$out" 2>&1
if ! explore_found_ok "$out"; then
    echo "FAIL: the plain mode does not print what the explorer found"
    sed -n '/^> explore$/,$p' "$out" | head -8
    exit 1
fi
printf 'help\nquit\n' | LC_ALL=C.UTF-8 "$tutor" --plain "$lab" >"$out" 2>&1
if ! paxos_help_ok "$out"; then
    echo "FAIL: help in a Paxos lesson lists Raft's commands as applying now"
    sed -n '/^> help$/,/^help all/p' "$out"
    exit 1
fi
nobug=$top_srcdir/tests/scenarios/lab-nobug-raft-volatile-vote.json
printf 'explore\nquit\n' | LC_ALL=C.UTF-8 "$tutor" --plain "$nobug" >"$out" 2>&1
if ! explore_none_ok "$out"; then
    echo "FAIL: the plain mode does not print that the explorer found nothing"
    sed -n '/^> explore$/,$p' "$out" | head -4
    exit 1
fi
# Past the snapshot budget the older snapshots thin out (history.h) and
# the status line says so; before it, it does not.
printf '{"do": "load", "every": 10, "for": 300000}\nquit\n' |
    "$tutor" --plain "$top_srcdir/bench/load-600s.json" >"$out" 2>&1
grep -q '^t=0ms, history 0/0, safe$' "$out" &&
    grep -q '^t=300000ms, history [0-9]*/[0-9]*, thinned, safe$' "$out" || {
    echo "FAIL: the status line after a long run does not say the snapshots thinned:"
    grep '^t=' "$out" | head -3
    exit 1
}
echo "ok: the status line says when older snapshots were thinned"
# A command sent while no node leads or knows a leader is refused by each
# node once: asking them again at the same instant changes nothing (the
# client used to go round the cluster twice, ten refusals of "c1").
printf 'g\nquit\n' | "$tutor" --plain "$top_srcdir/bench/load-2s.json" >"$out" 2>&1
n=$(grep -c 'knows no leader: refuses "c1"$' "$out")
[ "$n" -eq 5 ] || {
    echo "FAIL: \"c1\" was refused $n times by a 5-node cluster with no leader (once each expected)"
    exit 1
}
echo "ok: a command nobody can take is refused once by each node"
# A sandbox has no steps: its lesson line says sandbox, never "step 0/0".
printf 'quit\n' | "$tutor" --plain sandbox raft >"$out" 2>&1
grep -q '^sandbox:$' "$out" && ! grep -q 'step 0/0' "$out" || {
    echo "FAIL: the sandbox's lesson line:"
    grep -n 'step\|sandbox' "$out" | head -3
    exit 1
}
echo "ok: a sandbox's lesson line says sandbox, not step 0/0"
echo "ok: plain mode matches the golden transcript"
exit 0
