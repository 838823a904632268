#!/bin/sh
# tutor explore as a user meets it: exit statuses (0 found, 1 none, 2
# refused), the schedule written with --out and reproduced by tutor check
# (and byte for byte by a second search), --until, random-walk probes
# (--walks, deterministic from --walk-seed), reads and membership changes
# as requests, silence in pipes, and SIGINT
# stopping a long search cleanly.
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
    "$sc"/lab-paxos-volatile-promise.json "$sc"/lab-paxos-reuse-ballot.json; do
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

# A search cut short by its state limit says so and which bound, and does
# not claim the bounds were searched ("none within the bounds" alone reads
# as a proof).
"$tutor" explore "$sc/lab-nobug-raft-no-log-check.json" --depth 20 --states 1000 >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q '^none within the bounds searched$' "$tmp/out" &&
    grep -q '^the search reached its limit of 1000 states before it had tried every schedule up to depth 20 (--states N' "$tmp/out" &&
    pass "a search stopped at --states names the limit, exit 1" || fail "--states 1000: exit $rc: $(cat "$tmp/out")"

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

# Random-walk probes (an extension: --walks, --walk-depth, --walk-seed)
# find what a search bounded below the bug's depth misses: Figure 8 needs
# five events, the search stops at four; the walks from seed 1 find a
# schedule, shrunk and reproduced by check, and the same seed finds the
# same schedule byte for byte.
lab=$sc/lab-raft-commit-old-terms.json
"$tutor" explore "$lab" --depth 4 >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q '^none within the bounds' "$tmp/out" &&
    pass "--depth 4 misses commit_old_terms" || fail "--depth 4 alone: exit $rc: $(cat "$tmp/out")"
walk() { "$tutor" explore "$lab" --depth 4 --walks 3000 --walk-depth 30 "$@"; }
walk --walk-seed 1 --out "$tmp/walk1.json" >"$tmp/out" 2>&1; rc=$?
if [ $rc -eq 0 ] && grep -q '^found by random walk ' "$tmp/out" &&
    grep -q '^found: leader .* lacks entry 2' "$tmp/out"; then
    check=$("$tutor" check "$tmp/walk1.json" 2>&1 | tail -n 1)
    walk --walk-seed 1 --out "$tmp/walk1.again.json" >"$tmp/out2" 2>&1
    if [ "$check" != "1 passed, 0 failed" ]; then
        fail "the walk's schedule does not reproduce: $check"
    elif ! cmp -s "$tmp/walk1.json" "$tmp/walk1.again.json" ||
        [ "$(grep -v '^explore: ' "$tmp/out")" != "$(grep -v '^explore: ' "$tmp/out2")" ]; then
        fail "the same walk seed found something else"
    else
        pass "random walks: $(grep '^found by' "$tmp/out"), reproduced by check, the same from the same seed"
    fi
else
    fail "random walks: exit $rc: $(cat "$tmp/out")"
fi
walk --walk-seed 2 >"$tmp/out" 2>&1
grep -q '^found by random walk ' "$tmp/out" && pass "random walks from seed 2 find it too" ||
    fail "seed 2: $(cat "$tmp/out")"
# volatile_vote needs a vote, then a crash and a restart, then a second
# election in the same term: walks that drew every successor uniformly
# crashed a node at the first event and fired timers as often as messages
# arrived (1 walk in 3,000-4,000 of 15 events found it); each walk now
# draws its own weight per kind of event (1 in about 650).
"$tutor" explore "$sc/lab-raft-volatile-vote.json" --depth 4 --walks 5000 --walk-depth 15 \
    --out "$tmp/vv.json" >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 0 ] && grep -q '^found by random walk ' "$tmp/out" && grep -q '^found: two leaders in term 1' "$tmp/out" &&
    grep -q '^schedule (8 events, shrunk from ' "$tmp/out" &&
    [ "$("$tutor" check "$tmp/vv.json" 2>&1 | tail -n 1)" = "1 passed, 0 failed" ] &&
    pass "random walks find volatile_vote below the search's depth: $(grep '^schedule' "$tmp/out")" ||
    fail "random walks, volatile_vote: exit $rc: $(cat "$tmp/out")"
"$tutor" explore "$sc/lab-nobug-raft-commit-old-terms.json" --walks 300 --walk-depth 40 >"$tmp/out" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q 'none reached the target' "$tmp/out" &&
    pass "no bug: 300 random walks find nothing" || fail "no bug, walks: exit $rc: $(cat "$tmp/out")"
"$tutor" explore "$lab" --walks x >/dev/null 2>&1
[ $? -eq 2 ] && pass "a bad --walks: exit 2" || fail "bad --walks"

# Reads and membership changes as the search's requests (an extension:
# docs/lesson-extensions.md): a found add_server and a found read are
# written as the lesson actions and reproduced by tutor check.
cat >"$tmp/requests.json" <<'EOF'
{"format": 1, "id": "explore-requests", "title": "The search adds a server and reads", "protocol": "raft",
 "cluster": {"nodes": 4, "members": ["S1", "S2", "S3"]},
 "steps": [{"do": "timeout", "node": "S1"}, {"do": "settle"}, {"do": "request", "node": "S1", "command": "x=1"},
  {"do": "settle"}, {"explore": {"requests": [{"node": "S1", "add_server": "S4"}, {"node": "S1", "read": "x"}]}}]}
EOF
for until in '{"node": "S4", "config": ["S1", "S2", "S3", "S4"]}|"do":"add_server","node":"S4","to":"S1"' \
    '{"reads": [{"node": "S1", "key": "x", "value": "1"}]}|"do":"read","node":"S1","key":"x"'; do
    fact=${until%%|*} step=${until#*|}
    "$tutor" explore "$tmp/requests.json" --until "$fact" --out "$tmp/req.json" >"$tmp/out" 2>&1; rc=$?
    [ $rc -eq 0 ] && grep -qF "$step" "$tmp/req.json" &&
        [ "$("$tutor" check "$tmp/req.json" 2>&1 | tail -n 1)" = "1 passed, 0 failed" ] &&
        pass "a request {$step} found, written and reproduced by check" ||
        fail "request {$step}: exit $rc: $(cat "$tmp/out")"
done

"$tutor" explore "$sc/lab-nobug-raft-truncate-on-append.json" --depth 20 --states 100000000 \
    >"$tmp/out" 2>"$tmp/err" &
pid=$!
sleep 2
kill -INT $pid
wait $pid; rc=$?
[ $rc -eq 1 ] && grep -q 'stopped before the bounds were exhausted' "$tmp/out" && [ ! -s "$tmp/err" ] &&
    pass "SIGINT stops the search cleanly, silent on a pipe" || fail "SIGINT: exit $rc: $(cat "$tmp/out" "$tmp/err")"
exit $status
