#!/bin/sh
# Every broken lesson in tests/bad/ is refused by `tutor check` with exit 2
# and with each line of its .expect file among the messages.
set -u
tutor="$top_builddir/tutor/tutor"
status=0
n=0
for f in "$top_srcdir"/tests/bad/*.json; do
    n=$((n + 1))
    exp="${f%.json}.expect"
    out=$("$tutor" check "$f" 2>&1 >/dev/null)
    rc=$?
    ok=1
    [ $rc -eq 2 ] || ok=0
    if [ -f "$exp" ]; then
        while IFS= read -r line; do
            [ -n "$line" ] || continue
            printf '%s\n' "$out" | grep -qF -- "$line" || { ok=0; echo "  missing: $line"; }
        done <"$exp"
    fi
    if [ $ok -eq 1 ]; then
        echo "ok   $(basename "$f")"
    else
        echo "FAIL $(basename "$f") (exit $rc):"
        printf '%s\n' "$out" | sed 's/^/    /'
        status=1
    fi
done
echo "$n broken lessons checked"
exit $status
