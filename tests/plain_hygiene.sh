#!/bin/sh
# What the plain mode and the exports print, byte for byte (issue 13):
#   1. hostile text — C1 controls, DEL, ESC, bidi overrides and isolates,
#      zero-width characters — in every prose field a lesson carries never
#      reaches `tutor check`'s output, the plain mode, the terminal UI's
#      byte stream or an export (Markdown, SVG; the JSON escapes them);
#   2. with --ascii the plain mode prints nothing but ASCII;
#   3. on a terminal, one prompt per command and no command echoed twice;
#   4. the output grows linearly with the number of commands.
set -u
command -v python3 >/dev/null || { echo "skip: no python3"; exit 77; }
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
tutor=$(cd "$top_builddir" && pwd)/tutor/tutor
base=$top_srcdir/tests/scenarios/contract-raft-quiz.json
tmp=${TMPDIR:-/tmp}/plain-hygiene.$$
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp"
fail=0
bad() { echo "FAIL: $*"; fail=1; }
ok() { echo "ok   $*"; }

# The hostile lesson: the contract's quiz lesson with every prose field
# laced. The commands stay clean (a control character in one is refused
# with its path, which tests/check_lesson.c holds).
python3 - "$base" "$tmp/hostile.json" <<'EOF'
import json, sys
bad = "\x1b[2J\x85\x9b31m\x7f\u202e\u2066\u200b\ufeff"
d = json.load(open(sys.argv[1]))
d["title"] = "T" + bad + "itle"
d["summary"] = "Sum" + bad + "mary"
for s in d["steps"]:
    if "say" in s:
        s["say"] += bad
    q = s.get("quiz")
    if q:
        q["question"] += bad
        if "choices" in q:
            q["choices"] = [c + bad for c in q["choices"]]
        for k in ("explain", "hint"):
            if k in q:
                q[k] += bad
    g = s.get("goal")
    if g:
        g["text"] += bad
# A failing expect whose expected value carries the characters, so that
# check's failure line prints them back.
d["steps"].insert(1, {"expect": {"committed": ["x" + bad]}})
json.dump(d, open(sys.argv[2], "w"), ensure_ascii=False)
EOF

# Raw bytes that must never appear: C1 (UTF-8 C2 80..9F), DEL, bidi
# embeddings/overrides (U+202A..202E) and isolates (U+2066..2069),
# zero-width space/joiners (U+200B..200D) and the BOM (U+FEFF); and ESC
# outside the terminal UI.
hostile_bytes() { # FILE [allow-esc]
    LC_ALL=C grep -c -P '\xc2[\x80-\x9f]|\x7f|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]|\xe2\x80[\x8b-\x8d]|\xef\xbb\xbf' "$1"
    [ "${2:-}" = allow-esc ] || LC_ALL=C grep -c -P '\x1b' "$1"
}
hostile_lines() { # FILE [allow-esc]: how many lines carry a hostile byte
    hostile_bytes "$1" "${2:-}" | awk '{ n += $1 } END { print n + 0 }'
}
clean() { # WHAT FILE [allow-esc]
    n=$(hostile_lines "$2" "${3:-}")
    if [ "$n" -ne 0 ]; then bad "$1: $n line(s) with a hostile byte"; else ok "$1: no hostile byte"; fi
}
# The other checkers, as functions the self-tests below feed first.
non_ascii_lines() { # FILE
    LC_ALL=C grep -c -P '[^\x00-\x7f]' "$1"
}
tty_verdict() { # FILE COMMANDS: says what is wrong with a terminal session, or nothing
    prompts=$(grep -o '> ' "$1" | wc -l)
    states=$(grep -c 'state' "$1")
    if [ "$prompts" -lt "$2" ] || [ "$prompts" -gt $(($2 + 1)) ]; then
        echo "a terminal session of $2 commands printed $prompts prompts"
    elif [ "$states" -ne 1 ]; then
        echo "\"state\" appears $states times (echoed twice?)"
    fi
}
growth_verdict() { # BYTES-100 BYTES-1000: says what is wrong, or nothing
    ratio=$(awk "BEGIN { printf \"%.2f\", $2 / $1 }")
    awk "BEGIN { exit !($ratio > 14 || $ratio < 6) }" &&
        echo "output for 1,000 steps is $ratio times that for 100 ($2 / $1 bytes)"
}

# Each checker fails on a fabricated bad sample (a checker that cannot
# fail would pass anything) and passes the good one beside it.
selftest() { # WHAT: a checker that did not fail where it had to
    bad "self-test: $1"
}
printf 'S1 \345\200\231\351\200\211\344\272\272\357\274\214term 1\n' >"$tmp/st-good"
[ "$(hostile_lines "$tmp/st-good")" -eq 0 ] || selftest "clean CJK text counted as hostile"
for b in 'NEL=\302\205' 'CSI=\302\233' 'DEL=\177' 'RLO=\342\200\256' 'LRE=\342\200\252' \
    'LRI=\342\201\246' 'PDI=\342\201\251' 'ZWSP=\342\200\213' 'ZWJ=\342\200\215' 'BOM=\357\273\277' \
    'ESC=\033[2J'; do
    printf "ok line\nti${b#*=}tle\n" >"$tmp/st-bad"
    [ "$(hostile_lines "$tmp/st-bad")" -eq 1 ] || selftest "${b%%=*} was not found"
done
printf 'ok \033[1mbold\033[0m\n' >"$tmp/st-esc"
[ "$(hostile_lines "$tmp/st-esc" allow-esc)" -eq 0 ] || selftest "ESC counted where curses may draw"
[ "$(non_ascii_lines "$tmp/st-good")" -eq 1 ] || selftest "--ascii: a CJK line passed"
printf 'plain ascii, t=0ms\n' >"$tmp/st-ascii"
[ "$(non_ascii_lines "$tmp/st-ascii")" -eq 0 ] || selftest "--ascii: an ASCII line failed"
printf '> n\r\n  S1\r\n> n\r\n> state\r\n  S1 F\r\n> quit\r\n' >"$tmp/st-tty"
[ -z "$(tty_verdict "$tmp/st-tty" 4)" ] || selftest "a good terminal session failed: $(tty_verdict "$tmp/st-tty" 4)"
printf '> n\r\n> n\r\n> state\r\nstate\r\n  S1 F\r\n> quit\r\n' >"$tmp/st-tty"
[ -n "$(tty_verdict "$tmp/st-tty" 4)" ] || selftest "a command echoed twice passed"
printf '> > n\r\n> > n\r\n> > state\r\n> > quit\r\n' >"$tmp/st-tty"
[ -n "$(tty_verdict "$tmp/st-tty" 4)" ] || selftest "two prompts per command passed"
printf 'n\r\nn\r\nstate\r\nquit\r\n' >"$tmp/st-tty"
[ -n "$(tty_verdict "$tmp/st-tty" 4)" ] || selftest "a session with no prompt passed"
[ -z "$(growth_verdict 1000 10200)" ] || selftest "linear growth failed"
[ -n "$(growth_verdict 1000 100000)" ] || selftest "quadratic growth (x100) passed"
[ -n "$(growth_verdict 1000 2000)" ] || selftest "a run that stopped early (x2) passed"
[ $fail -eq 0 ] && ok "self-tests: every checker fails on its bad sample"

LC_ALL=C.UTF-8 "$tutor" check "$tmp/hostile.json" >"$tmp/check.out" 2>&1
grep -q 'committed' "$tmp/check.out" || bad "check did not report the failing expect"
clean "tutor check's output" "$tmp/check.out"

printf 'g\ng\n1\ng\nhelp\nstate\nhint\n2\ng\ng\ng\ng\ng\ng\ng\ng\ng\ng\nquit\n' >"$tmp/cmds"
LC_ALL=C.UTF-8 "$tutor" --plain "$tmp/hostile.json" <"$tmp/cmds" >"$tmp/plain.out" 2>&1
grep -q 'itle' "$tmp/plain.out" || bad "the plain mode printed no title"
clean "the plain mode" "$tmp/plain.out"

for ext in md svg json; do
    LC_ALL=C.UTF-8 "$tutor" run "$tmp/hostile.json" --transcript "$tmp/t.$ext" >/dev/null 2>&1
    [ -s "$tmp/t.$ext" ] || bad "run --transcript t.$ext wrote nothing"
    clean "the .$ext export" "$tmp/t.$ext"
done
python3 -c 'import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])' "$tmp/t.svg" ||
    bad "the SVG of the hostile lesson is not well-formed XML"
LC_ALL=C.UTF-8 "$tutor" verify "$tmp/t.json" --lesson "$tmp/hostile.json" >"$tmp/verify.out" 2>&1 ||
    bad "the JSON of the hostile lesson does not verify: $(head -c 300 "$tmp/verify.out")"

# The terminal UI's byte stream, as tmux's pane receives it (ESC is how
# curses draws; nothing else hostile).
if command -v tmux >/dev/null 2>&1; then
    sock=hygiene-$$
    tm() { tmux -L "$sock" -f /dev/null "$@"; }
    if tm new-session -d -s h -x 100 -y 30 "sleep 1; env LC_ALL=C.UTF-8 XDG_STATE_HOME='$tmp/state' '$tutor' '$tmp/hostile.json'; sleep 30" 2>/dev/null; then
        tm pipe-pane -t h -o "cat >'$tmp/ui.bytes'"
        sleep 2
        for k in g g 1 g H 2 g g g g g; do tm send-keys -t h "$k"; sleep 0.2; done
        sleep 0.5
        tm kill-server 2>/dev/null
        [ -s "$tmp/ui.bytes" ] || bad "no byte of the UI was captured"
        clean "the terminal UI's byte stream" "$tmp/ui.bytes" allow-esc
    else
        echo "skip: tmux cannot start a session here"
    fi
fi

# --ascii: every byte the plain mode prints is ASCII, in Chinese too.
zh=$(ls "$top_srcdir"/lessons/zh-CN/*.json | head -n 2 | tail -n 1)
printf 'g\ng\ng\nn\nn\nstate\nhelp all\nquit\n' |
    LC_ALL=C.UTF-8 "$tutor" --plain --ascii "$zh" >"$tmp/ascii.out" 2>&1
n=$(non_ascii_lines "$tmp/ascii.out")
if [ "$n" -ne 0 ]; then
    bad "--ascii: $n line(s) with non-ASCII bytes: $(LC_ALL=C grep -m 2 -P '[^\x00-\x7f]' "$tmp/ascii.out")"
else
    ok "--ascii: nothing but ASCII ($(wc -c <"$tmp/ascii.out") bytes)"
fi
# Chinese punctuation is spelled in ASCII (，。：；、？！（）［］《》「」), never
# escaped as <U+FFxx> or <U+30xx> as an unknown character is.
n=$(grep -o '<U+\(FF[0-5].\|300.\)>' "$tmp/ascii.out" | sort -u | tr '\n' ' ')
[ -z "$n" ] && ok "--ascii: Chinese punctuation spelled in ASCII" ||
    bad "--ascii: Chinese punctuation escaped: $n"

# On a terminal (a pty from script(1)): one "> " prompt per read and the
# command shown once, by the terminal's echo. The progress a terminal
# session saves goes to a folder of this run's own: in the learner's, the
# next run would be asked to resume and one command fewer would be read.
if command -v script >/dev/null 2>&1; then
    printf 'n\nn\nstate\nquit\n' | LC_ALL=C.UTF-8 XDG_STATE_HOME="$tmp/state" script -qfec \
        "'$tutor' --plain '$top_srcdir/tests/scenarios/raft-figure8.json'" /dev/null \
        >"$tmp/tty.out" 2>&1
    why=$(tty_verdict "$tmp/tty.out" 4)
    if [ -n "$why" ]; then
        bad "$why"
    else
        ok "on a terminal: $(grep -o '> ' "$tmp/tty.out" | wc -l) prompts for 4 commands, each command shown once"
    fi
fi

# Linear growth: 1,000 steps print about ten times what 100 do (the old
# mode reprinted the whole cluster after every command).
sandbox_run() { # N
    i=0
    while [ $i -lt "$1" ]; do echo n; i=$((i + 1)); done >"$tmp/n$1"
    "$tutor" --plain sandbox raft --nodes 5 <"$tmp/n$1" 2>&1 | wc -c
}
b100=$(sandbox_run 100)
b1000=$(sandbox_run 1000)
why=$(growth_verdict "$b100" "$b1000")
if [ -n "$why" ]; then
    bad "$why"
else
    ok "output grows linearly: 100 steps $b100 bytes, 1,000 steps $b1000 bytes (x$(awk "BEGIN { printf \"%.2f\", $b1000 / $b100 }"))"
fi
exit $fail
