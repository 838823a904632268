#!/bin/sh
# The command line as a user meets it: help, version, exit statuses, and a
# headless run that prints every event with its note.
set -u
tutor="$top_builddir/tutor/tutor"
fig8="$top_srcdir/tests/scenarios/raft-figure8.json"
status=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; status=1; }

"$tutor" --version | grep -q '^tutor (consensus-tutor) ' && pass "--version" || fail "--version"
"$tutor" --help | grep -q 'tutor check FILE' && pass "--help" || fail "--help"

for c in check run replay verify grade export explore sandbox; do
    out=$("$tutor" $c --help 2>&1); rc=$?
    [ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q "^  tutor $c " &&
        pass "$c --help prints its usage" || fail "$c --help: rc=$rc $out"
done

"$tutor" check >/dev/null 2>&1; [ $? -eq 2 ] && pass "check without files: exit 2" || fail "check without files"

out=$("$tutor" check "$fig8" 2>&1); rc=$?
[ $rc -eq 0 ] && printf '%s\n' "$out" | tail -n 1 | grep -Eq '^[0-9]+ passed, 0 failed$' &&
    pass "check passes Figure 8: $(printf '%s\n' "$out" | tail -n 1)" || fail "check Figure 8: $out"

# --history-budget MB, taken by every command (tutor/history.h): a number
# of megabytes runs as without; anything else is refused with exit 2.
out=$("$tutor" --history-budget 64 check "$fig8" 2>&1); rc=$?
[ $rc -eq 0 ] && printf '%s\n' "$out" | tail -n 1 | grep -Eq '^[0-9]+ passed, 0 failed$' &&
    pass "--history-budget 64 check" || fail "--history-budget 64: rc=$rc $out"
out=$("$tutor" check "$fig8" --history-budget=0 2>&1); rc=$?
[ $rc -eq 0 ] && pass "--history-budget=0 after the command" || fail "--history-budget=0: rc=$rc $out"
for bad in x -1 12MB 99999999 ""; do
    out=$("$tutor" --history-budget "$bad" check "$fig8" 2>&1); rc=$?
    [ $rc -eq 2 ] && printf '%s\n' "$out" | grep -q "^tutor: --history-budget: \"$bad\" is not a number of megabytes" &&
        pass "--history-budget \"$bad\" refused" || fail "--history-budget \"$bad\": rc=$rc $out"
done

tmp=${TMPDIR:-/tmp}/tutor-cli-$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
# A lesson whose expectation is wrong: check says where and exits 1.
sed 's/{"node": "S5", "commit_index": 3}/{"node": "S5", "commit_index": 2}/' "$fig8" >"$tmp/wrong.json"
out=$("$tutor" check "$tmp/wrong.json" 2>&1); rc=$?
[ $rc -eq 1 ] && printf '%s\n' "$out" | grep -q 'steps\[.*\]: S5.commit_index: expected 2, found 3' &&
    printf '%s\n' "$out" | tail -n 1 | grep -Eq '^[0-9]+ passed, 1 failed$' &&
    pass "a wrong expect fails with its location" || fail "wrong expect: rc=$rc $out"

# A refused file: exit 2, message on stderr with the location.
printf '{"format": 1,\n "id": }\n' >"$tmp/syntax.json"
out=$("$tutor" check "$tmp/syntax.json" 2>&1 >/dev/null); rc=$?
[ $rc -eq 2 ] && printf '%s\n' "$out" | grep -q "^tutor: $tmp/syntax.json:2:" &&
    pass "a syntax error is refused with FILE:LINE:COL" || fail "syntax error: rc=$rc $out"

# tutor run prints the events and the engine's notes, citing the paper.
out=$("$tutor" run "$fig8" --until-end 2>&1); rc=$?
[ $rc -eq 0 ] && printf '%s\n' "$out" | grep -q '§5.4.2' && printf '%s\n' "$out" | grep -q 'AppendEntries' &&
    pass "run --until-end prints events and notes" || fail "run: rc=$rc"

# Same lesson, same output: determinism, byte for byte.
a=$("$tutor" run "$fig8" --until-end | md5sum); b=$("$tutor" run "$fig8" --until-end | md5sum)
[ "$a" = "$b" ] && pass "run is deterministic" || fail "run differs between two runs"
exit $status
