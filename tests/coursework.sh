#!/bin/sh
# Coursework (issue 12): a learner's session with a detour, a step back and
# a new branch exports Markdown, JSON and SVG that show only the kept
# branch (the rest in its own appendix, never in the diagram), with unique
# message ids; the exports are golden, byte for byte (the export's date
# fixed with SOURCE_DATE_EPOCH); verify reproduces the JSON and catches a
# tampered action, answer, score, hash or branch mark; a zh-CN export has no
# English heading; and `tutor grade` gives a reader that crashes or hangs
# its own row and goes on. REGEN_GOLDEN=1 rewrites the golden files.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
tutor=$(cd "$top_builddir" && pwd)/tutor/tutor
hooked=$(cd "$top_builddir" && pwd)/tests/tutor_hooked
golden=$(cd "$top_srcdir" && pwd)/tests/golden/transcript
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tutor-coursework.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$top_srcdir" || exit 1
export LC_ALL=C.UTF-8 XDG_STATE_HOME="$tmp/state" XDG_CONFIG_HOME="$tmp/config"
export SOURCE_DATE_EPOCH=1736935200 # 2025-01-15T10:00:00Z
version=$("$tutor" --version | sed 's/.* //')
status=0
pass() { echo "ok   $1"; }
fail() {
    echo "FAIL $1"
    status=1
}

# ---- A learner's session: a detour, a step back, a new branch ----
# At the first quiz the learner wanders off (crash S3, two steps), steps
# back to the start and wanders again (crash S4, a step): two branches left
# behind. The answer brings the lesson back; it goes on; the learner steps
# back 2, crashes S5 (a detour from the past), and the lesson, taken up
# again, goes on along a new branch to the end of the session.
# Written against frozen copies of lesson 02 (tests/fixtures), so the
# curriculum can change without moving these step numbers.
lesson=tests/fixtures/en/02-raft-election.json
session='g
crash S3
n
n
back 3
crash S4
n
2
g
g
g
back 2
crash S5
g
2
g
g
g
g
1
g
g
g
g'
printf '%s\nexport %s\nexport %s\nexport %s\n' "$session" "$tmp/l.json" "$tmp/l.md" \
    "$tmp/l.svg" | "$tutor" --plain --ascii --student "Ana Lima" $lesson >"$tmp/plain.out" 2>&1
for ext in md svg; do
    sed "s/$version/@VERSION@/g" "$tmp/l.$ext" >"$tmp/l.$ext.norm"
    if [ "${REGEN_GOLDEN:-}" = 1 ]; then
        cp "$tmp/l.$ext.norm" "$golden/learner-branches.$ext"
        echo "regenerated $golden/learner-branches.$ext"
    elif cmp -s "$golden/learner-branches.$ext" "$tmp/l.$ext.norm"; then
        pass "golden learner-branches.$ext, byte for byte"
    else
        diff -u "$golden/learner-branches.$ext" "$tmp/l.$ext.norm" | head -30
        fail "golden learner-branches.$ext differs (REGEN_GOLDEN=1 after a change on purpose)"
    fi
done

# The timeline holds the kept steps, the appendix the others; the diagram
# draws no message twice.
timeline=$(sed -n '/^## Timeline/,/^## Final state/p' "$tmp/l.md" | grep -o '^| [0-9]* |' | tr -d '| ' | tr '\n' ' ')
appendix=$(sed -n '/^## Appendix: branches left behind/,$p' "$tmp/l.md" | grep -o '^| [0-9]* |' | tr -d '| ' | tr '\n' ' ')
[ "$timeline" = "1 8 14 15 16 17 18 19 20 21 22 23 " ] &&
    [ "$appendix" = "2 3 4 5 6 7 9 10 11 12 13 " ] &&
    pass "Markdown: the run as it ended in the timeline, the branches left behind in the appendix" ||
    fail "kept [$timeline] appendix [$appendix]"
grep -q '| 2 | 0 | 3 quiz | learner | \*(left behind)\* crash S3 |' "$tmp/l.md" &&
    ! sed -n '/^## Timeline/,/^## Appendix/p' "$tmp/l.md" | grep -q 'crash S[345]' &&
    pass "the detours' crashes are only in the appendix" || fail "crashes outside the appendix"
ids=$(grep -o '<title>#[0-9]* ' "$tmp/l.svg" | sort | uniq -d)
[ -z "$ids" ] && ! grep -q 'class="crash"' "$tmp/l.svg" &&
    grep -q 'the run as it ended: 12 of 23 steps' "$tmp/l.svg" &&
    pass "SVG: the kept branch only (no crash of a detour), every message id once" ||
    fail "SVG: repeated ids [$ids] or a detour drawn"
if command -v xmllint >/dev/null 2>&1; then
    xmllint --noout "$tmp/l.svg" && pass "SVG is well-formed XML" || fail "SVG not well-formed"
fi
[ "$(grep -c '"abandoned": true' "$tmp/l.json")" -eq 9 ] &&
    pass "JSON: every input kept for verify, the 9 steps left behind marked abandoned" ||
    fail "JSON abandoned marks: $(grep -c '"abandoned": true' "$tmp/l.json")"

# No two labels of a diagram overlap, for every shipped lesson: each text's
# box estimated from its position, anchor and font size (a CJK character
# one em wide, others 0.6 em).
if command -v python3 >/dev/null 2>&1; then
    for l in lessons/en/*.json lessons/zh-CN/*.json; do
        "$tutor" run "$l" --transcript "$tmp/o-$(basename "$l" .json)-$(basename "$(dirname "$l")").svg" \
            >/dev/null 2>&1
    done
    if python3 - "$tmp"/o-*.svg "$tmp/l.svg" <<'PY'; then
import re, sys
bad = 0
for f in sys.argv[1:]:
    s = open(f, encoding="utf-8").read()
    boxes = []
    for m in re.finditer(r'<text x="(\d+)" y="(\d+)"([^>]*)>([^<]*)</text>', s):
        x, y, attrs, txt = int(m.group(1)), int(m.group(2)), m.group(3), m.group(4)
        if y < 150:  # the title and legend, laid out in a row
            continue
        fs = re.search(r'font-size="(\d+)"', attrs)
        fs = int(fs.group(1)) if fs else 12
        txt = re.sub(r"&\w+;", "x", txt)
        w = sum(fs if ord(c) > 0x2E80 else fs * 0.6 for c in txt)
        x0 = x - w / 2 if 'text-anchor="middle"' in attrs else x
        boxes.append((x0, y - fs * 0.8, x0 + w, y + fs * 0.2, txt))
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                bad += 1
                print(f, "overlap:", a[4], b[4])
sys.exit(1 if bad else 0)
PY
        pass "no two labels overlap in the diagram of any shipped lesson"
    else
        fail "overlapping labels"
    fi
fi

# Partitions marked where they happened (lesson 07 partitions, then heals).
"$tutor" run lessons/en/07-raft-partitions.json --transcript "$tmp/p.md" >/dev/null 2>&1
[ "$(grep -c 'class="network"' "$tmp/o-07-raft-partitions-en.svg" 2>/dev/null)" -eq 2 ] &&
    grep -q '|~~~*|.*partition S1 S2 | S3 S4 S5$' "$tmp/p.md" && grep -q '|~~~*|.*   heal$' "$tmp/p.md" &&
    pass "a partition and its heal are marked where they happened, in the SVG and the Markdown" ||
    fail "partitions not marked"

# ---- Verify reproduces it; tampering is caught ----
out=$("$tutor" verify "$tmp/l.json"); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'reproduces: 23 steps' &&
    pass "verify reproduces the learner's branches: ${out#*: }" || fail "verify: rc=$rc $out"
tamper() { # what sed-expression expected-rc expected-output
    sed "$2" "$tmp/l.json" >"$tmp/t.json"
    cmp -s "$tmp/l.json" "$tmp/t.json" && { fail "tamper $1: the edit did not apply"; return; }
    out=$("$tutor" verify "$tmp/t.json" 2>&1); rc=$?
    [ $rc -eq "$3" ] && echo "$out" | grep -q "$4" && pass "tampered $1 caught: ${out#*: }" ||
        fail "tamper $1: rc=$rc $out"
}
tamper "action on a branch left behind" 's/"do": "crash", "node": "S4"/"do": "crash", "node": "S1"/' \
    1 'differs at step 6 '
# A predict quiz's verdict comes with the continue after the pick (step 9).
tamper "answer" '0,/"kind": "choice", "choice": 1}/s//"kind": "choice", "choice": 0}/' 1 \
    'differs at step 9 .*quiz answer given: recorded "S2", re-run "S1"'
tamper "score" '/"end": {/,$s/"score": 1,/"score": 2,/' 1 'differs at the end.*score'
tamper "lesson hash" 's/"sha256": "[1-9a-f]/"sha256": "0/' 2 'SHA-256'
tamper "branch mark" '0,/"abandoned": true,/s///' 1 'step 2: abandoned'
date1=$(grep '"date"' "$tmp/l.json")
sed 's/"date": "[^"]*"/"date": "2031-05-05T05:05:05Z"/' "$tmp/l.json" >"$tmp/d.json"
[ "$date1" = '  "date": "2025-01-15T10:00:00Z",' ] && "$tutor" verify "$tmp/d.json" >/dev/null &&
    pass "the export's date (SOURCE_DATE_EPOCH here) is kept out of what verify compares" ||
    fail "date: [$date1]"

# Well-formed XML for any text: a hostile student name through a replay.
if command -v xmllint >/dev/null 2>&1; then
    sed 's|"student": "Ana Lima"|"student": "</text><script>\&amp; \\" '"'"' \\u202e ]]> <!--"|' \
        "$tmp/l.json" >"$tmp/h.json"
    printf 'export %s\nexport %s\n' "$tmp/h.svg" "$tmp/h.md" |
        "$tutor" replay "$tmp/h.json" --plain >/dev/null 2>&1
    xmllint --noout "$tmp/h.svg" 2>/dev/null && grep -q '&lt;/text&gt;&lt;script&gt;' "$tmp/h.svg" &&
        ! grep -q '<script' "$tmp/h.svg" && ! grep -q '<script' "$tmp/h.md" &&
        pass "hostile text in a transcript: the SVG stays well-formed, nothing gets through unescaped" ||
        fail "hostile SVG: $(xmllint --noout "$tmp/h.svg" 2>&1 | head -3)"
fi

# A goal reached by the learner: the actions used against its budget
# (time passing free, as the flow counts: the settle is not one).
printf 'g\n1\n2\nsubmit\ng\n1\ng\nanswer 0\ng\nanswer follower\ng\nanswer null\ng\n3\ng\ng\n2\ng\ng\n1\ng\ng\ntimeout S3\nsettle\ng\nexport %s\n' \
    "$tmp/goal.md" | "$tutor" --plain --ascii tests/scenarios/contract-raft-quiz.json >/dev/null 2>&1
grep -q '^| step 11 | 1 | 2 | reached |$' "$tmp/goal.md" &&
    pass "the goals table: the actions used, the budget, reached" ||
    fail "goals: $(sed -n '/^## Goals/,/^## Timeline/p' "$tmp/goal.md")"
# Given up after one action: the attempt is left behind, the solution plays.
printf 'g\n1\n2\nsubmit\ng\n1\ng\nanswer 0\ng\nanswer follower\ng\nanswer null\ng\n3\ng\ng\n2\ng\ng\n1\ng\ng\ntimeout S3\ngiveup\ng\ng\ng\nexport %s\n' \
    "$tmp/giveup.md" | XDG_STATE_HOME="$tmp/state-giveup" "$tutor" --plain --ascii \
    tests/scenarios/contract-raft-quiz.json >/dev/null 2>&1
grep -q '^| step 11 | 1 | 2 | given up: the solution played (no points) |$' "$tmp/giveup.md" &&
    pass "a goal given up: the attempt's actions, the budget, given up" ||
    fail "give up: $(sed -n '/^## Goals/,/^## Timeline/p' "$tmp/giveup.md")"

# ---- Who, what, when on the first lines ----
head -12 "$tmp/l.md" | grep -q '^| Student | Ana Lima |$' &&
    head -12 "$tmp/l.md" | grep -q '^| Exported | 2025-01-15T10:00:00Z |$' &&
    head -12 "$tmp/l.md" | grep -q '^| Lesson id | `raft-election` |$' &&
    head -12 "$tmp/l.md" | grep -q '^| Language | en |$' &&
    head -14 "$tmp/l.md" | grep -q '^| Lesson SHA-256 | `[0-9a-f]\{64\}` |$' &&
    pass "the header table names the student, the export's date, the lesson id, language and hash" ||
    fail "header: $(head -14 "$tmp/l.md")"
"$tutor" run $lesson --transcript "$tmp/run.md" >/dev/null 2>&1
"$tutor" run $lesson --transcript "$tmp/run.svg" >/dev/null 2>&1
grep -q 'y="46"[^>]*><tspan[^>]*>tutor run: the script answered every quiz from its key</tspan>' "$tmp/run.svg" &&
sed -n 3p "$tmp/run.md" | grep -q "^> \*\*Recorded by \`tutor run\`: the lesson's script answered every quiz from its key" &&
    pass "a tutor run transcript says on its first lines (Markdown, SVG) that the script answered from the key" ||
    fail "run header: $(head -4 "$tmp/run.md")"

# ---- A zh-CN export: no English heading or fixed phrase ----
zh=tests/fixtures/zh-CN/02-raft-election.json
printf '%s\nexport %s\nexport %s\n' "$session" "$tmp/zh.md" "$tmp/zh.svg" |
    "$tutor" --plain --lang zh-CN --student 李雷 $zh >/dev/null 2>&1
# Headings, table labels and summary labels, with the names that stay
# (protocol, hash, command and node names, ms, lesson-format paths) taken
# out; the final state's rows are named by the engine's fields, in the
# lesson format's words, as in the JSON.
english=$(sed '/^## 最终状态/,/^## /{/^| [a-z_]* |/d}' "$tmp/zh.md" |
    grep -E '^#|^\| [^|0-9]+ \||^- \*\*|^\| #' |
    sed -E 's/`[^`]*`//g; s/SHA-256|zh-CN|Raft|Paxos|steps\[[0-9]+\]|consensus-tutor|S[0-9]|ms//g' |
    grep -E '[A-Za-z]{2,}')
[ -s "$tmp/zh.md" ] && [ -z "$english" ] &&
    grep -q '^## 附录：被放弃的分支' "$tmp/zh.md" &&
    pass "a zh-CN export has no English heading, label or summary phrase" ||
    fail "English in the zh-CN export: $english"
grep -q '最终的运行：12 / 23 步' "$tmp/zh.svg" && ! grep -q '>restart<\|>crash<\|time flows down' "$tmp/zh.svg" &&
    pass "the zh-CN SVG speaks Chinese" || fail "zh SVG"

# ---- Chinese typography in the Markdown (kinsoku) ----
# The export never hard-wraps prose: a paragraph is one line, a table row
# one line, a cell's lines split at <br>. None of those lines starts with
# closing punctuation or ends with opening punctuation; no ASCII space
# follows full-width punctuation (but a table's " | " and a Markdown line
# break, two spaces at the end); no half-width colon, semicolon or
# parenthesis, nor an ASCII comma after Chinese, sits against Chinese (S1：…, 3 讲解：*标题*, 重启 S2；让 S1 超时). The longest quiz question of
# the zh-CN lessons stays whole on one line. Every zh-CN lesson's run, and the learner's
# export above; the checker is first shown to fail on fabricated lines.
if command -v python3 >/dev/null 2>&1; then
    for l in lessons/zh-CN/*.json; do
        "$tutor" --lang zh-CN run "$l" --transcript "$tmp/k-$(basename "$l" .json).md" >/dev/null 2>&1
    done
    cat >"$tmp/kinsoku.py" <<'PY'
import json, re, sys
CLOSE = "，。、；：？！）」』】》〉”’…"
OPEN = "（「『【《〈“‘"
faults = []
def check(name, text):
    for n, line in enumerate(text.split("\n"), 1):
        where = "%s:%d" % (name, n)
        if re.search("[%s] (?!\\|| *$)" % (CLOSE + OPEN), line):
            faults.append((where, "an ASCII space after full-width punctuation", line))
        if re.search(r": (?=[^\x00-\x7f])|(?<!&[lg]t); |[\u4e00-\u9fff][:()]|[():][\u4e00-\u9fff]|[\u4e00-\u9fff], ", line):
            faults.append((where, "half-width punctuation against Chinese", line))
        for seg in re.split(r"<br>|\|", line):
            s = re.sub(r"^\s*(?:#+ |> |[-*] |\d+\. )?\s*(?:\*\*)?", "", seg).rstrip()
            if s and s[0] in CLOSE:
                faults.append((where, "a line starting with closing punctuation", seg))
            s = s[:-2] if s.endswith("**") else s
            if s and s[-1] in OPEN:
                faults.append((where, "a line ending with opening punctuation", seg))
    return len(faults)
# The checker fails on each fault and passes the same text made right.
for bad in ["甲乙\n，开头", "结尾（\n下一行", "| 1 讲解: *标题* |", "好。 坏", "S1: §5.3：领导者",
            "a<br>。开头", "未填写(x)", "重启 S2; 让 S1 超时", "多数派是 3 台, 任意两个"]:
    before = len(faults)
    if check("self-test", bad) == before:
        print("FAIL self-test: the checker passed %r" % bad)
        sys.exit(1)
del faults[:]
if check("self-test", "| 学员 | （未填写） |\n正确答案：**多数派**  \n| 1 讲解：*标题* |<br>S1：§5.3：领导者"):
    print("FAIL self-test: the checker failed good text: %s" % faults)
    sys.exit(1)
del faults[:]
import glob, os
for f in sys.argv[2:]:
    check(f.split("/")[-1], open(f, encoding="utf-8").read())
for where, what, line in faults[:5]:
    print("%s: %s: %s" % (where, what, line[:90]))
# The longest quiz question of any zh-CN lesson, in that lesson's export.
asks = []
for lesson in glob.glob(sys.argv[1] + "/*.json"):
    md = os.path.dirname(sys.argv[2]) + "/k-" + os.path.basename(lesson)[:-5] + ".md"
    for s in json.load(open(lesson, encoding="utf-8"))["steps"]:
        if "quiz" in s:
            asks.append((max(re.split(r"[*_`\[\]<>|\\&#\n]", s["quiz"]["question"]), key=len), md))
run, md = max(asks, key=lambda a: len(a[0]))
lines = open(md, encoding="utf-8").read().split("\n")
if len(run) < 60 or not any(run in l for l in lines):
    print("the longest question (%d characters) is not whole on one line: %s" % (len(run), run[:40]))
    sys.exit(1)
print("%d lines, the longest question (%d characters) on one line" % (sum(len(open(f, encoding="utf-8").read().split("\n")) for f in sys.argv[2:]), len(run)))
sys.exit(1 if faults else 0)
PY
    if out=$(python3 "$tmp/kinsoku.py" lessons/zh-CN "$tmp"/k-*.md "$tmp/zh.md"); then
        pass "Chinese line breaking in the Markdown: $out"
    else
        fail "Chinese typography in the Markdown: $out"
    fi
fi

# ---- grade: a reader that crashes or hangs gets its own row ----
mkdir -p "$tmp/class"
cp "$tmp/l.json" "$tmp/class/a-genuine.json"
cp "$tmp/l.json" "$tmp/class/b-HOOK-CRASH.json"
cp "$tmp/l.json" "$tmp/class/c-HOOK-HANG.json"
cp "$tmp/l.json" "$tmp/class/d-after.json"
out=$("$hooked" grade "$tmp/class" --jobs 2); rc=$?
# The crash is a SIGSEGV; under the sanitizer build ASan reports it and exits 1.
row() { echo "$out" | grep "/$1.json "; }
[ $rc -eq 2 ] && row b-HOOK-CRASH | grep -q 'refused: reader crashed (\(signal 11\|exit status 1\))' &&
    row c-HOOK-HANG | grep -q 'refused: timed out: the reader took more than 2 s' &&
    row a-genuine | grep -q 'reproduces$' && row d-after | grep -q 'reproduces$' &&
    pass "grade: a crashing and a hanging reader each get their own row; grading goes on" ||
    fail "grade hooks: rc=$rc $out"
out=$("$tutor" grade "$tmp/class/b-HOOK-CRASH.json"); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q 'reproduces$' &&
    pass "the installed tutor has no such hook" || fail "hook in tutor: rc=$rc $out"
# ---- The student's name: asked once at the first export, remembered ----
if command -v tmux >/dev/null 2>&1; then
    sock=tutor-cw-$$
    tm() { tmux -L "$sock" -f /dev/null "$@"; }
    screen_has() { # text: waits up to 5 s for it on the screen
        i=0
        while [ $i -lt 50 ]; do
            tm capture-pane -t cw -p 2>/dev/null | grep -F -q -- "$1" && return 0
            sleep 0.1
            i=$((i + 1))
        done
        return 1
    }
    start_ui() {
        tm kill-server 2>/dev/null
        sock=tutor-cw-$$-$1 # a fresh server each time
        tm new-session -d -s cw -x 100 -y 30 \
            "cd '$tmp' && env -u SOURCE_DATE_EPOCH LC_ALL=C.UTF-8 XDG_STATE_HOME='$tmp/state2' XDG_CONFIG_HOME='$tmp/cfg' TUTOR_LOCALEDIR='${TUTOR_LOCALEDIR:-}' '$tutor' '$(pwd)/$lesson'; sleep 30"
    }
    start_ui 1
    if screen_has "Raft: electing a leader"; then
        tm send-keys -t cw e Enter
        screen_has "Your name, for your transcripts" && tm send-keys -t cw "Ana Lima" Enter
        screen_has "raft-election-Ana-Lima.json" && tm send-keys -t cw Enter
        i=0
        while [ ! -f "$tmp/raft-election-Ana-Lima.json" ] && [ $i -lt 50 ]; do
            sleep 0.1
            i=$((i + 1))
        done
        grep -q '"student": "Ana Lima"' "$tmp/raft-election-Ana-Lima.json" 2>/dev/null &&
            grep -q '"student": "Ana Lima"' "$tmp/cfg/consensus-tutor/config.json" 2>/dev/null &&
            grep -q '"date": "20[0-9-]*T[0-9:]*Z"' "$tmp/raft-election-Ana-Lima.json" &&
            pass "the UI asks the student's name at the first export and remembers it in the config file" ||
            fail "name prompt: $(tm capture-pane -t cw -p | tail -3)"
        start_ui 2
        screen_has "Raft: electing a leader"
        tm send-keys -t cw e Enter
        screen_has "raft-election-Ana-Lima.json" &&
            ! tm capture-pane -t cw -p | grep -q "Your name" &&
            pass "the next session remembers the name and does not ask again" ||
            fail "name remembered: $(tm capture-pane -t cw -p | tail -3)"
        tm send-keys -t cw Escape
    else
        echo "skip: tmux cannot start the UI here"
    fi
    tm kill-server 2>/dev/null
fi
exit $status
