#!/bin/sh
# The terminal UI end to end in a real terminal (tmux): open a scenario
# lesson in a detached 100x30 session, press keys (lesson step, step,
# deliver, crash, back, forward, space-time view, help, resize), read the screen back after
# each and wait for the expected text, then quit with q y and check that
# the program exited 0 and the shell's screen is back.
set -u
command -v tmux >/dev/null 2>&1 || { echo "skip: no tmux"; exit 77; }
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
tutor=$(cd "$top_builddir" && pwd)/tutor/tutor
lesson=$(cd "$top_srcdir" && pwd)/tests/scenarios/raft-figure8.json
sock=tutor-test-$$
session=t
done_file=${TMPDIR:-/tmp}/tutor-tmux.$$
# Saved progress goes to a fresh folder, so no earlier run offers to resume.
state_dir=${TMPDIR:-/tmp}/tutor-tmux-state.$$
tm() { tmux -L "$sock" -f /dev/null "$@"; }
cleanup() { tm kill-server 2>/dev/null; rm -f "$done_file"; rm -rf "$state_dir"; }
trap cleanup EXIT INT TERM

fail() {
    echo "FAIL: $1"
    echo "--- screen:"
    tm capture-pane -t "$session" -p 2>/dev/null
    exit 1
}

# Waits up to 5 s for text on the screen.
expect() {
    i=0
    while [ $i -lt 50 ]; do
        if tm capture-pane -t "$session" -p 2>/dev/null | grep -F -q -- "$1"; then
            return 0
        fi
        sleep 0.1
        i=$((i + 1))
    done
    fail "waited for \"$1\""
}

keys() { tm send-keys -t "$session" "$@"; }

tm new-session -d -s "$session" -x 100 -y 30 \
    "env LC_ALL=C.UTF-8 XDG_STATE_HOME='$state_dir' '$tutor' '$lesson'; echo \"exit=\$?\" >'$done_file'; echo SHELL-IS-BACK; sleep 60" ||
    { echo "skip: tmux cannot start a session here"; exit 77; }

expect "Figure 8: the leader of term 4"
expect "Next: crash S5"
expect "1 cluster"
keys g                         # the lesson's first step: crash S5
expect "S5 - down"
expect "history 1/1"
keys g g                       # cut, timeout S1 (the expect runs on the way)
expect "Next: timeout S1"
keys Space                     # one event: a RequestVote is delivered
expect "history 4/4"
keys Enter                     # deliver the selected message
expect "history 5/5"
keys 1 j c                     # cluster panel, select S2, crash it
expect "S2 - down"
keys b                         # back: S2 is up again
expect "history 5/6"
keys f                         # forward again
expect "history 6/6"
keys b b c                     # acting in the past forks the history
expect "1 other branch(es) kept"
keys v                         # the space-time view takes the logs' place
expect "6 space-time"
expect "▼crash"              # S2's crash on its column
keys 3                         # the logs' number brings them back
expect "3 logs"
keys '?'
expect "keys (any key closes)"
keys x
tm resize-window -t "$session" -x 70 -y 20 2>/dev/null || tm resize-pane -t "$session" -x 70 -y 20
expect "3 logs"
tm resize-window -t "$session" -x 50 -y 12 2>/dev/null || tm resize-pane -t "$session" -x 50 -y 12
expect "terminal too small"
tm resize-window -t "$session" -x 100 -y 30 2>/dev/null || tm resize-pane -t "$session" -x 100 -y 30
expect "2 messages"
keys q
expect "Quit?"
keys n
keys q y
expect "SHELL-IS-BACK"
i=0
while [ ! -s "$done_file" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -q "exit=0" "$done_file" || fail "tutor did not exit 0: $(cat "$done_file" 2>/dev/null)"
# The UI's screen is gone (endwin restored the shell's).
if tm capture-pane -t "$session" -p | grep -F -q "1 cluster"; then
    fail "the terminal was not restored"
fi
echo "ok: tmux end-to-end run"
exit 0
