#!/bin/sh
# Every string a person reads — the interface's (N_, NC_, ui_pgettext in
# the files of po/POTFILES.in) and every note template (protocols/notes_*.def,
# tutor/notes_tutor.def) — has a translation, not fuzzy, in every catalog
# of po/LINGUAS: a string a catalog misses reaches a Chinese reader in
# English.
set -eu
src=${srcdir:-.}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
files=$(grep -v '^#' "$src/po/POTFILES.in" | sed "s|^|$src/|")
# The keywords of po/Makevars (-k drops xgettext's defaults, so gettext
# and ngettext are named too: student_config.c, cmd/main.c and the
# exports call gettext directly; lesson_err, flaw, scan_fail and fail
# are the lesson loader's and the transcript reader's message helpers,
# which look their format up themselves).
# shellcheck disable=SC2086
xgettext --language=C --from-code=UTF-8 -k --keyword=gettext --keyword=ngettext:1,2 \
    --keyword=N_ --keyword=NC_:1c,2 --keyword=NP_:1,2 --keyword=ui_pgettext:1c,2 \
    --flag=ui_trf:3:c-format --keyword=NOTE:2 --flag=NOTE:2:no-c-format \
    --keyword=CMP_INT --keyword=CMP_STR --keyword=CMP_BOOL --keyword=differ:2 \
    --keyword=differ_str:2 --keyword=differ_int:2 \
    --keyword=lesson_err:3 --flag=lesson_err:3:c-format --keyword=flaw:5 --flag=flaw:5:c-format \
    --keyword=scan_fail:2 --flag=scan_fail:2:c-format --keyword=fail:3 --flag=fail:3:c-format \
    -o "$tmp/all.pot" $files
status=0
# A file that marks strings but is not in POTFILES.in is never extracted:
# its strings would reach every reader in English. (note_text.c only
# includes the note tables of the .def files, which are listed.)
for f in $(cd "$src" && grep -rlE '\<(gettext|ngettext|N_|NC_|NP_|ui_pgettext)\(' tutor ui --include='*.c'); do
    [ "$f" = tutor/note_text.c ] && continue
    grep -qx "$f" "$src/po/POTFILES.in" || {
        echo "catalog: $f marks strings for translation but po/POTFILES.in does not list it" >&2
        status=1
    }
done
for lang in $(grep -v '^#' "$src/po/LINGUAS"); do
    if ! msgcmp "$src/po/$lang.po" "$tmp/all.pot" 2>"$tmp/err"; then
        echo "catalog: po/$lang.po lacks translations:" >&2
        grep -v "is not used" "$tmp/err" >&2 || true
        status=1
    fi
    fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$src/po/$lang.po" | grep -c '^msgid' || true)
    if [ "$fuzzy" -gt 0 ]; then
        echo "catalog: po/$lang.po has $fuzzy fuzzy entries (a stale guess shows as a translation)" >&2
        status=1
    fi
done
# The glossary (shared/zh-glossary.md) where a word has one right
# translation: duplicate is 重复投递 (复制 is log replication), proposer
# 提议者 (never 提案者), leader 领导者 (never 领袖 or 主节点). Checked on
# every Chinese msgstr whose msgid names the concept.
zh=$src/po/zh_CN.po
glossary() { # MSGID-REGEX WRONG-WORD WHAT
    found=$(msggrep --no-wrap -K -i -e "$1" "$zh" 2>/dev/null | msggrep --no-wrap -T -e "$2" 2>/dev/null |
        grep '^msgstr' | head -3)
    if [ -n "$found" ]; then
        echo "catalog: $3: $found" >&2
        status=1
    fi
}
glossary 'dup' '复制' "duplicate translated as 复制 (replication), not 重复投递"
glossary 'propos' '提案者' "proposer translated as 提案者, not 提议者"
glossary 'leader' '领袖\|主节点' "leader translated as 领袖 or 主节点, not 领导者"
[ $status -eq 0 ] && echo "catalog: every string and note is translated in $(grep -vc '^#' "$src/po/LINGUAS") catalog(s)"
exit $status
