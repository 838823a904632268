#!/bin/sh
# The interface language through GNU gettext (shared/spec/cli.md: "Every
# command takes --lang LANG"; issue 13: "a pseudo-locale test fails on any
# string that bypasses the catalog").
set -u
top_srcdir=${top_srcdir:-.}
top_builddir=${top_builddir:-.}
tutor=$top_builddir/tutor/tutor
lesson=$top_srcdir/tests/scenarios/raft-figure8.json
tmp=${TMPDIR:-/tmp}/i18n.$$
[ -n "${KEEP:-}" ] || trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp"
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# 1. "tutor --lang zh-CN --plain LESSON" prints the interface in Chinese,
#    with --lang in every position and as --lang=zh-CN.
for form in "--lang zh-CN --plain $lesson" "--plain --lang zh-CN $lesson" \
    "--plain $lesson --lang zh-CN" "--lang=zh-CN --plain $lesson"; do
    # shellcheck disable=SC2086
    printf 'help\nquit\n' | LC_ALL=C.UTF-8 "$tutor" $form >"$tmp/zh" 2>&1 ||
        bad "tutor $form exited $?"
    grep -q '命令（每行一条）：' "$tmp/zh" || bad "tutor $form: no Chinese help"
    grep -q '重复投递' "$tmp/zh" || bad "tutor $form: dup is not 重复投递"
    grep -q 'commands (one per line)' "$tmp/zh" && bad "tutor $form: English help"
done
# `tutor --help` in Chinese: every description and heading from the
# catalog; the forms stay as one types them.
LC_ALL=C.UTF-8 "$tutor" --lang zh-CN --help >"$tmp/help" 2>&1 || bad "--help exited $?"
grep -q '^用法：' "$tmp/help" || bad "--help --lang zh-CN: no Chinese heading"
grep -q '^  tutor grade FILE|DIR' "$tmp/help" || bad "--help: the grade form is missing"
grep -v '^  \(tutor\|--\)' "$tmp/help" | grep -q '[a-z]\{4,\} [a-z]\{4,\}' &&
    bad "--help --lang zh-CN: English prose: $(grep -v '^  \(tutor\|--\)' "$tmp/help" | grep '[a-z]\{4,\} [a-z]\{4,\}' | head -2)"
# Without --lang a lesson opened in the UI speaks its own lang: a zh-CN
# lesson in Chinese, an English one in English whatever LANGUAGE says.
zh_lesson=$(ls "$top_srcdir"/lessons/zh-CN/*.json | head -n 1)
printf 'help\nquit\n' | LC_ALL=C.UTF-8 "$tutor" --plain "$zh_lesson" >"$tmp/env" 2>&1
grep -q '命令（每行一条）：' "$tmp/env" || bad "a zh-CN lesson without --lang is not in Chinese"
printf 'help\nquit\n' | LC_ALL=C.UTF-8 LANGUAGE=zh_CN "$tutor" --plain "$lesson" >"$tmp/en" 2>&1
grep -q 'commands (one per line)' "$tmp/en" || bad "an English lesson without --lang is not in English"

# 2. --lang before or after the subcommand, for every command.
LC_ALL=C.UTF-8 "$tutor" --lang zh-CN check "$lesson" >"$tmp/c1" 2>&1 || bad "--lang before check: $(tail -1 "$tmp/c1")"
LC_ALL=C.UTF-8 "$tutor" check "$lesson" --lang zh-CN >"$tmp/c2" 2>&1 || bad "--lang after check: $(tail -1 "$tmp/c2")"
LC_ALL=C.UTF-8 "$tutor" --lang zh-CN run "$lesson" --transcript "$tmp/t1.json" >/dev/null 2>"$tmp/r1" ||
    bad "--lang before run: $(cat "$tmp/r1")"
LC_ALL=C.UTF-8 "$tutor" run --lang zh-CN "$lesson" --transcript "$tmp/t2.json" >/dev/null 2>"$tmp/r2" ||
    bad "--lang after run: $(cat "$tmp/r2")"
LC_ALL=C.UTF-8 "$tutor" --lang zh-CN verify "$tmp/t1.json" >/dev/null 2>"$tmp/v1" ||
    bad "--lang before verify: $(cat "$tmp/v1")"
LC_ALL=C.UTF-8 "$tutor" verify "$tmp/t1.json" --lang=zh-CN >/dev/null 2>"$tmp/v2" ||
    bad "--lang after verify: $(cat "$tmp/v2")"
printf 'help\nquit\n' | LC_ALL=C.UTF-8 "$tutor" --lang zh-CN replay "$tmp/t1.json" --lesson "$lesson" --plain \
    >"$tmp/rp" 2>&1 || bad "--lang before replay exited $?"
grep -q '命令（每行一条）：' "$tmp/rp" || bad "replay --plain with --lang zh-CN: no Chinese help"
printf 'help\nquit\n' | LC_ALL=C.UTF-8 "$tutor" replay "$tmp/t1.json" --plain --lesson "$lesson" --lang zh-CN \
    >"$tmp/rp2" 2>&1 || bad "--lang after replay exited $?"
grep -q '命令（每行一条）：' "$tmp/rp2" || bad "replay --plain ... --lang zh-CN: no Chinese help"

# 3. The pseudo-locale: every msgid of the sources' catalog, wrapped in
#    ⟦…⟧, as language "xx". Any catalog string printed unwrapped did not
#    go through gettext.
if command -v xgettext >/dev/null && command -v msgen >/dev/null; then
    (cd "$top_srcdir" && xgettext --from-code=UTF-8 --keyword=N_ --keyword=NC_:1c,2 \
        --keyword=ui_pgettext:1c,2 -o "$tmp/all.pot" $(grep -v '^#' po/POTFILES.in))
    msgen "$tmp/all.pot" 2>/dev/null | msgfilter --keep-header -o "$tmp/xx.po" sed -e 's/^\(.\)/⟦\1/' -e 's/\(.\)$/\1⟧/' 2>/dev/null
    sed -i 's/charset=CHARSET/charset=UTF-8/' "$tmp/xx.po"
    mkdir -p "$tmp/locale/xx/LC_MESSAGES"
    msgfmt -o "$tmp/locale/xx/LC_MESSAGES/consensus-tutor.mo" "$tmp/xx.po" || bad "pseudo catalog does not build"
    printf 'help\ng\ng\nbogus\nquit\n' | LC_ALL=C.UTF-8 TUTOR_LOCALEDIR="$tmp/locale" \
        "$tutor" --lang xx --plain "$lesson" >"$tmp/xx" 2>&1
    # The help, every line of it, comes from the catalog: a whole line, or
    # a command as one types it (never translated) and its description.
    sed -n '/^> help$/,/^> g$/p' "$tmp/xx" | sed '1d;$d' |
        grep -v -e '^⟦.*⟧$' -e '^  [^ ].* ⟦[^⟧]*⟧$' >"$tmp/help-bad"
    [ -s "$tmp/help-bad" ] && bad "help lines outside the catalog: $(head -3 "$tmp/help-bad")"
    grep -q '⟦' "$tmp/xx" || bad "the pseudo catalog is not used"
    # No catalog msgid (without format directives, 8 bytes or more)
    # appears outside ⟦…⟧ — but the actions' names (msgctxt "action"),
    # which are also the commands one types (partition A B | C).
    sed 's/⟦[^⟧]*⟧//g' "$tmp/xx" >"$tmp/xx-rest"
    msggrep -v -J -e '^action$' "$tmp/all.pot" 2>/dev/null | msgen - 2>/dev/null | msgexec sh -c 'cat; echo' 2>/dev/null | grep -v '%' |
        awk 'length($0) >= 8' | sort -u >"$tmp/ids"
    while IFS= read -r id; do
        grep -qF -- "$id" "$tmp/xx-rest" && bad "\"$id\" printed without the catalog"
    done <"$tmp/ids"
else
    echo "SKIP part: gettext tools not found"
fi
exit $fail
