#!/bin/sh
# A placeholder's value reads as words, never as JSON: every shipped
# lesson is run headless (`tutor run`, in its own language) and every
# {NODE.field} of its narration (say texts, quiz questions, goal texts)
# is found in what the learner reads; no value may show null, true,
# false, a brace, a bracket or a quote (lesson 11 once said "promised,
# now null ... accepted, now {}"). In zh-CN no English fallback word
# (none, nothing, nobody, yes, no, empty) may appear either.
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
command -v python3 >/dev/null 2>&1 || { echo "skip: no python3"; exit 77; }
tutor=$top_builddir/tutor/tutor
tmp=${TMPDIR:-/tmp}/placeholder-words.$$
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp"
export XDG_STATE_HOME="$tmp/state"
status=0
for f in "$top_srcdir"/lessons/*/*.json; do
    lang=$(basename "$(dirname "$f")")
    LC_ALL=C.UTF-8 "$tutor" run --lang "$lang" "$f" >"$tmp/out" 2>&1
    python3 - "$f" "$lang" "$tmp/out" <<'PY' || status=1
import json, re, sys

lesson_path, lang, out_path = sys.argv[1:4]
lesson = json.load(open(lesson_path, encoding="utf-8"))
out = open(out_path, encoding="utf-8").read()
ref = re.compile(r"\{[A-Za-z][A-Za-z0-9_-]*\.[A-Za-z0-9_.-]+\}")
bad_json = re.compile(r'null|true|false|[{}\[\]"]')
bad_en = re.compile(r"\b(none|nothing|nobody|yes|no|empty|slot|ballot|term)\b", re.I)
name = lang + "/" + lesson_path.rsplit("/", 1)[-1]
failed = False
pos = 0
for i, st in enumerate(lesson["steps"]):
    texts = [st.get("say"), st.get("quiz", {}).get("question"), st.get("goal", {}).get("text")]
    for text in texts:
        if not text or not ref.search(text):
            continue
        # The text as a pattern: its own words literal, each reference a group.
        parts = ref.split(text)
        refs = ref.findall(text)
        pattern = "".join(
            re.escape(p) + ("(.*?)" if k < len(refs) else "") for k, p in enumerate(parts))
        m = re.compile(pattern, re.S).search(out, pos)
        if not m:
            print(f"FAIL {name} steps[{i}]: its narration is not in the run's output")
            failed = True
            continue
        pos = m.end()
        for r, value in zip(refs, m.groups()):
            if value == "" or bad_json.search(value) or (lang != "en" and bad_en.search(value)):
                print(f"FAIL {name} steps[{i}]: {r} renders as {value!r}")
                failed = True
if not failed:
    print(f"ok   {name}")
sys.exit(1 if failed else 0)
PY
done
exit $status
