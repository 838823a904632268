#!/usr/bin/env python3
"""Writes the hostile corpus from genuine-learner.json (a real plain-mode
session on tests/scenarios/raft-figure8.json): transcripts and progress
files a crafted or damaged file could be. Run it again after the formats
change; tests/hostile.sh and tests/check_progress.c read the results."""
import json, os

here = os.path.dirname(os.path.abspath(__file__))
genuine_text = open(os.path.join(here, "genuine-learner.json"), encoding="utf-8").read()
genuine = json.loads(genuine_text)


def with_input(i, inp):
    t = json.loads(genuine_text)
    t["steps"][i]["input"] = inp
    return json.dumps(t, ensure_ascii=False, indent=1)


crash = {"kind": "do", "action": {"do": "crash", "node": "S3"}}
transcripts = {
    "node-out-of-range": with_input(4, {"kind": "do", "action": {"do": "crash", "node": "S99"}}),
    "node-index-number": with_input(4, {"kind": "do", "action": {"do": "crash", "node": 100}}),
    "cut-negative-node": with_input(4, {"kind": "do", "action": {"do": "cut", "from": "S-1", "to": "S1"}}),
    "unknown-input-kind": with_input(2, {"kind": "teleport"}),
    "message-kind-not-one": with_input(3, {"kind": "message", "do": "crash", "id": 2}),
    "message-id-negative": with_input(3, {"kind": "message", "do": "deliver", "id": -7}),
    "message-id-huge": with_input(3, {"kind": "message", "do": "deliver", "id": 1e300}),
    "step-count-1e11": with_input(2, {"kind": "do", "action": {"do": "step", "count": 100000000000}}),
    "run-for-a-year": with_input(2, {"kind": "do", "action": {"do": "run", "for": 31536000000}}),
    "settle-max-huge": with_input(2, {"kind": "do", "action": {"do": "settle", "max": 1e12}}),
    "newline-in-command": with_input(7, {"kind": "do", "action": {"do": "request", "node": "S2", "command": "x=1\ny=2"}}),
    "escape-in-command": with_input(7, {"kind": "do", "action": {"do": "request", "node": "S2", "command": "x=\u001b[2J"}}),
    "newline-in-value": with_input(7, {"kind": "value", "text": "S1\nS2"}),
    "choice-huge": with_input(7, {"kind": "choice", "choice": 999999}),
    "seek-far": with_input(6, {"kind": "seek", "pos": 1e15}),
    "action-not-object": with_input(4, {"kind": "do", "action": "crash S3"}),
    "unknown-action": with_input(4, {"kind": "do", "action": {"do": "format-disk"}}),
    "inject-bad-type": with_input(4, {"kind": "do", "action": {"do": "inject", "message": {"type": "Nuke", "from": "S1", "to": "S2"}}}),
    "script-input-in-learner-run": with_input(2, {"kind": "script"}),
    "version-newer": genuine_text.replace('"version": 1,', '"version": 99,', 1),
    "truncated-half": genuine_text[: len(genuine_text) // 2],
    "truncated-in-string": genuine_text[: genuine_text.index('"kind": "continue"') + 5],
    "nul-byte": genuine_text.replace('"continue"', '"cont\u0000inue"', 1),
    "deep-nesting": '{"format": ' + "[" * 5000 + "]" * 5000 + "}",
    "not-json": "\u00ff\u00fe garbage",
    "empty": "",
}
# An inject, then back over it and forward again: the injected message
# lives as long as the history does, whatever the stack does.
t = json.loads(genuine_text)
t["steps"][4]["input"] = {"kind": "do", "action": {"do": "inject", "message": {
    "type": "AppendEntries", "from": "S1", "to": "S2", "term": 9, "entries": [[9, "forged"]]}}}
t["steps"][5]["input"] = {"kind": "seek", "pos": 1}
t["steps"][6]["input"] = {"kind": "seek", "pos": 40}
transcripts["inject-then-back-and-forward"] = json.dumps(t, indent=1)

for name, text in transcripts.items():
    with open(os.path.join(here, "transcripts", name + ".json"), "w", encoding="utf-8",
              newline="") as f:
        f.write(text)


def progress(inputs, **over):
    p = {"format": 2, "lesson": "scenario-raft-figure-8", "lang": "en",
         "sha256": "0" * 64, "step": 3, "n_steps": 21, "score": 0, "max_score": 0,
         "done": False, "best_score": 0, "inputs": inputs}
    p.update(over)
    return json.dumps(p)


progress_files = {
    "node-out-of-range": progress([{"kind": "continue"}, {"kind": "do", "action": {"do": "crash", "node": "S99"}}]),
    "old-line-format": progress(["a 7 100 1 0,0,0,0,0,0,0,0,0"], format=1),
    "line-strings": progress(["g", "c 1"]),
    "step-count-1e11": progress([{"kind": "do", "action": {"do": "step", "count": 100000000000}}]),
    "newline-in-value": progress([{"kind": "value", "text": "a\nb"}]),
    "unknown-kind": progress([{"kind": "teleport"}]),
    "negative-step": progress([], step=-1),
    "truncated": progress([{"kind": "continue"}])[:40],
    "score-not-number": progress([], score="lots"),
    "lang-with-slash": progress([], lang="../../etc"),
}
for name, text in progress_files.items():
    with open(os.path.join(here, "progress", name + ".json"), "w", encoding="utf-8",
              newline="") as f:
        f.write(text)
