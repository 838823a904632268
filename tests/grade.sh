#!/bin/sh
# `tutor grade` (shared/spec/cli.md): "verifies every transcript given (a
# folder: every *.json in it, recursively) and prints one row per file";
# "exit 0 all reproduce, 1 one differs, 2 one refused"; "--csv writes the
# same table as RFC 4180 CSV, with any cell that a spreadsheet would run as
# a formula neutralized". Issue 12: a truncated, corrupted, forged, newer,
# lessonless, huge or hostile transcript gets its own row with the reason,
# grading goes on, and nothing a transcript contains reaches the terminal or
# the CSV as a control sequence, a formula or a bidi override.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
tutor=$(cd "$top_builddir" && pwd)/tutor/tutor
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tutor-grade.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$top_srcdir" || exit 1
export LC_ALL=C.UTF-8 XDG_STATE_HOME="$tmp/state"
status=0
pass() { echo "ok   $1"; }
fail() {
    echo "FAIL $1"
    status=1
}
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }

good="$tmp/class/good"
bad="$tmp/class/bad"
mkdir -p "$good" "$bad/deeper"
run() { # name lesson [student]
    "$tutor" run "$2" --transcript "$good/$1.json" ${3:+--student "$3"} >/dev/null 2>&1 ||
        fail "tutor run $2"
}
run a-election lessons/en/02-raft-election.json Ana
run b-replication tests/fixtures/raft-replication.json "Bo Li"
run c-paxos lessons/en/11-paxos-basic.json
run d-zh lessons/zh-CN/03-raft-replication.json 李雷
src="$good/b-replication.json"

# ---- Genuine transcripts: every row reproduces, exit 0 ----
out=$("$tutor" grade "$good"); rc=$?
[ $rc -eq 0 ] && [ "$(echo "$out" | grep -c ' reproduces$')" -eq 4 ] &&
    echo "$out" | grep -q "b-replication.json  *Bo Li  *raft-replication  *en  *run  *3/4  *0/1  *reproduces" &&
    echo "$out" | grep -q "d-zh.json  *李雷  *raft-replication  *zh-CN  *run" &&
    echo "$out" | grep -q "answers every quiz from its key" &&
    pass "a folder of genuine run transcripts: one row each, mode run, score 3/4, exit 0" ||
    fail "genuine: rc=$rc $out"

# ---- The broken and the forged, one per file ----
edit() { # name sed-expression: a copy of $src edited
    sed "$2" "$src" >"$bad/$1.json"
    cmp -s "$src" "$bad/$1.json" && fail "edit $1 did not apply"
}
edit action 's/"action": "crash S3"/"action": "crash S2"/'
edit answer '0,/"given": "No: it must be stored/s//"given": "Yes: the leader has it. No: it must be stored/'
edit score '0,/"score": 1,/s//"score": 2,/'
edit newer 's/"version": 1,/"version": 99,/'
edit lessonless 's/"id": "raft-replication"/"id": "no-such-lesson"/;s/"file": "[^"]*"/"file": "gone.json"/'
head -c 3000 "$src" >"$bad/truncated.json"
printf 'not json at all \001\002' >"$bad/corrupted.json"
python3 -c 'import sys; sys.stdout.write("[" * 200000 + "]" * 200000)' >"$bad/deeper/nested.json"
head -c 17000000 /dev/zero | tr '\0' ' ' >"$bad/deeper/huge.json"
# Hostile strings: a student name that clears the screen, a formula, a bidi
# override, C1 controls (the JSON escapes them; the reader decodes them).
python3 - "$src" "$bad" <<'PY'
import json, sys
t = json.load(open(sys.argv[1], encoding="utf-8"))
def put(name, **kw):
    u = json.loads(json.dumps(t))
    u.update(kw)
    json.dump(u, open(sys.argv[2] + "/" + name, "w", encoding="utf-8"), ensure_ascii=True, indent=1)
put("hostile.json", student="\x1b[2J\x1b]0;pwn\x07Eve\x9b31m\x85")
put("bidi.json", student="Eve\u202egnp.exe\u2066\u200b")
put("formula.json", student="=cmd()|' /C calc'!A0")
put("plus.json", student="+1+2")
h = t["lesson"]["sha256"]
u = json.loads(json.dumps(t))
u["lesson"]["sha256"] = ("1" if h[0] == "0" else "0") + h[1:]
json.dump(u, open(sys.argv[2] + "/hash.json", "w", encoding="utf-8"), indent=1)
PY
# A hostile file name: an escape sequence in it.
cp "$src" "$bad/$(printf 'x\033[2Jy').json"
cp "$src" "$bad/deeper/copy.json"
echo 'not a transcript' >"$bad/notes.txt"

out=$("$tutor" grade "$tmp/class" --csv "$tmp/grades.csv" --jobs 2); rc=$?
row() { echo "$out" | grep "/$1.json "; }
verdict() { # name pattern what
    if row "$1" | grep -q "$2"; then pass "$3"; else fail "$3: $(row "$1")"; fi
}
[ $rc -eq 2 ] && pass "a refused file makes the exit status 2" || fail "exit status $rc"
[ "$(echo "$out" | grep -c '\.json ')" -eq 20 ] && ! echo "$out" | grep -q notes.txt &&
    pass "every *.json of the folder, recursively, one row each; nothing else" ||
    fail "rows: $out"
verdict action "differs at step 24 .*action" "a changed action differs at its step"
verdict answer "differs at step 8 " "a changed answer differs at its step"
verdict score "differs at step 8 .*score" "a changed score differs at its step"
verdict hash "refused: .*SHA-256" "a changed lesson hash is refused"
verdict newer "refused: .*version" "a newer version is refused"
verdict lessonless "refused: " "a transcript whose lesson cannot be found is refused"
verdict truncated "refused: " "a truncated transcript is refused"
verdict corrupted "refused: " "a corrupted transcript is refused"
verdict nested "refused: " "a transcript crafted to exhaust the reader (nesting) is refused"
verdict huge "refused: 17000000 bytes, more than the 16 MiB" "a huge transcript is refused by size"
verdict copy "reproduces" "grading goes on: a genuine copy after the broken ones reproduces"
verdict hostile "refused: student: .*control character" \
    "a student name with ESC and C1 controls is refused in its own row"
row bidi | grep -q ' Eve<U+202E>gnp.exe<U+2066><U+200B> .*reproduces' &&
    pass "bidi overrides and zero-width characters are shown escaped: $(row bidi | awk '{print $2}')" ||
    fail "bidi row: $(row bidi)"
echo "$out" | grep -q 'x\\x1b\[2Jy.json .*reproduces' &&
    pass "an escape sequence in a file name is shown escaped" || fail "file name: $out"
if echo "$out" | python3 -c '
import sys
b = sys.stdin.buffer.read()
s = b.decode("utf-8")
bad = [c for c in s if (ord(c) < 32 and c != "\n") or 0x7f <= ord(c) <= 0x9f
       or 0x202a <= ord(c) <= 0x202e or 0x2066 <= ord(c) <= 0x2069 or 0x200b <= ord(c) <= 0x200f]
sys.exit(1 if bad else 0)'; then
    pass "no ESC, C0, C1, bidi or zero-width character reaches standard output"
else
    fail "control characters on stdout"
fi

# ---- The CSV: RFC 4180, same rows, formulas neutralized ----
python3 - "$tmp/grades.csv" <<'PY' && pass "the CSV parses, has the same rows and no live formula or control character" || fail "csv"
import csv, sys
raw = open(sys.argv[1], "rb").read()
assert raw.endswith(b"\r\n"), "CRLF line ends"
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
head = rows[0]
assert head[:8] == ["file", "student", "lesson", "lang", "mode", "score", "goals", "verdict"], head
assert len(rows) == 21, len(rows)
by = {r[0].rsplit("/", 1)[1]: dict(zip(head, r)) for r in rows[1:]}
assert by["b-replication.json"]["verdict"] == "reproduces"
assert by["b-replication.json"]["score"] == "3/4"
assert by["action.json"]["verdict"] == "differs at step 24", by["action.json"]
assert by["formula.json"]["student"].startswith("'="), by["formula.json"]
assert by["plus.json"]["student"] == "'+1+2", by["plus.json"]
assert by["formula.json"]["verdict"] == "reproduces", by["formula.json"]
assert by["bidi.json"]["student"] == "Eve<U+202E>gnp.exe<U+2066><U+200B>", by["bidi.json"]
for r in rows:
    for c in r:
        assert c[:1] not in ("=", "+", "-", "@", "\t", "\r"), c
        assert not any(ord(ch) < 32 or 0x7f <= ord(ch) <= 0x9f or 0x202a <= ord(ch) <= 0x202e
                       or 0x2066 <= ord(ch) <= 0x2069 for ch in c), repr(c)
PY

# ---- Deterministic: the same table with 1 job and with 3 ----
out1=$("$tutor" grade "$tmp/class" --jobs 1)
out3=$("$tutor" grade "$tmp/class" --jobs 3)
[ "$out1" = "$out3" ] && [ "$out1" = "$out" ] &&
    pass "rows in the input order, the same for --jobs 1, 2 and 3" || fail "order differs"

# ---- One differs, none refused: exit 1; a missing file: its own row ----
"$tutor" grade "$good" "$bad/action.json" >/dev/null; rc=$?
[ $rc -eq 1 ] && pass "a differing transcript and no refused one: exit 1" || fail "exit $rc"
out=$("$tutor" grade "$tmp/nonexistent.json" "$good/a-election.json"); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "nonexistent.json .*refused: No such file" &&
    echo "$out" | grep -q "a-election.json .*reproduces" &&
    pass "a missing file is refused in its own row" || fail "missing: rc=$rc $out"
"$tutor" grade --jobs 0 "$good" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] && pass "--jobs 0 is refused" || fail "--jobs 0: $rc"
exit $status
