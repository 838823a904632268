#!/bin/sh
# tutor explore as a user meets it: exit statuses (0 found, 1 none, 2
# refused), the schedule written with --out and reproduced by tutor check
# (and byte for byte by a second search), --until, silence in pipes, and
# SIGINT stopping a long search cleanly.
set -u
tutor="$top_builddir/tutor/tutor"
sc="$top_srcdir/tests/scenarios"
status=0
pass() { echo "ok   $1"; }
fail() { echo "FAIL $1"; status=1; }
tmp=${TMPDIR:-/tmp}/tutor-explore-$$
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT

for lab in "$sc"/lab-raft-*.json "$sc"/lab-paxos-accept-below-promise.json \
    "$sc"/lab-paxos-ignore-promised-values.json "$sc"/lab-paxos-learn-across-ballots.json \
    "$sc"/lab-paxos-volatile-promise.json; do
    name=$(basename "$lab" .json)
    "$tutor" explore "$lab" --out "$tmp/$name.json" >"$tmp/out" 2>"$tmp/err"; rc=$?
    if [ $rc -ne 0 ] || [ -s "$tmp/err" ]; then
        fail "$name: exit $rc, stderr: $(cat "$tmp/err")"
        continue
    fi
    line=$(grep '^found: ' "$tmp/out")
    check=$("$tutor" check "$tmp/$name.json" 2>&1 | tail -n 1)
    [ "$check" = "1 passed, 0 failed" ] || { fail "$name: the schedule does not reproduce: $check"; continue; }
    "$tutor" explore "$lab" --out "$tmp/$name.again.json" >/dev/null 2>&1
    cmp -s "$tmp/$name.json" "$tmp/$name.again.json" || { fail "$name: a second search differs"; continue; }
    pass "$name: $line, $(grep -c '"do"' "$tmp/$name.json") do steps, reproduced by check"
done

"$tutor" explore "$sc/lab-nobug-raft-no-log-check.json" --depth 5 >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q '^none within the bounds' "$tmp/out" && ! grep -q stopped "$tmp/out" &&
    pass "no bug: none within the bounds, exit 1" || fail "no bug: exit $rc: $(cat "$tmp/out")"

"$tutor" explore "$sc/lab-nobug-raft-volatile-vote.json" --until '{"leader": "S2"}' \
    --out "$tmp/until.json" >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 0 ] && [ "$("$tutor" check "$tmp/until.json" | tail -n 1)" = "1 passed, 0 failed" ] &&
    pass "--until finds a schedule to a fact, reproduced by check" || fail "--until: exit $rc: $(cat "$tmp/out")"

"$tutor" explore "$sc/lab-nobug-raft-volatile-vote.json" --until '{"leaderr": "S2"}' >"$tmp/out" 2>&1
[ $? -eq 2 ] && grep -q 'unknown' "$tmp/out" && pass "--until with a bad fact: refused, exit 2" ||
    fail "--until bad fact: $(cat "$tmp/out")"
"$tutor" explore "$top_srcdir/tests/bad/cluster-bugs.json" >/dev/null 2>&1
[ $? -eq 2 ] && pass "a refused lesson: exit 2" || fail "refused lesson"
"$tutor" explore "$sc/lab-raft-volatile-vote.json" --depth x >/dev/null 2>&1
[ $? -eq 2 ] && pass "a bad --depth: exit 2" || fail "bad --depth"

"$tutor" explore "$sc/lab-nobug-raft-truncate-on-append.json" --depth 20 --states 100000000 \
    >"$tmp/out" 2>"$tmp/err" &
pid=$!
sleep 2
kill -INT $pid
wait $pid; rc=$?
[ $rc -eq 1 ] && grep -q 'stopped before the bounds were exhausted' "$tmp/out" && [ ! -s "$tmp/err" ] &&
    pass "SIGINT stops the search cleanly, silent on a pipe" || fail "SIGINT: exit $rc: $(cat "$tmp/out" "$tmp/err")"
exit $status
