#!/bin/sh
# Every note template (protocols/notes_*.def, tutor/notes_tutor.def) has a
# translation in every catalog of po/LINGUAS: a note the catalog misses
# would reach a Chinese reader in English.
set -eu
src=${srcdir:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
xgettext --language=C --from-code=UTF-8 -k -kNOTE:2 --flag=NOTE:2:no-c-format \
    -o "$tmp/notes.pot" "$src"/protocols/notes_*.def "$src"/tutor/notes_tutor.def
status=0
for lang in $(grep -v '^#' "$src/po/LINGUAS"); do
    if ! msgcmp "$src/po/$lang.po" "$tmp/notes.pot" 2>"$tmp/err"; then
        echo "notes_catalog: po/$lang.po lacks translations of notes:" >&2
        grep -v "is not used" "$tmp/err" >&2 || true
        status=1
    fi
done
[ $status -eq 0 ] && echo "notes_catalog: every note is translated in $(grep -vc '^#' "$src/po/LINGUAS") catalog(s)"
exit $status
