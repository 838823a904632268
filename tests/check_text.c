/* Tests of column-aware text (ui/text.c): widths by wcwidth, truncation
 * that never splits a double-width character, and wrapping of English and
 * Chinese text within a width. */
#include <check.h>
#include <curses.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "protocols/sbuf.h"
#include "ui/keys.h"
#include "ui/plain_wrap.h"
#include "ui/text.h"

static void setup(void)
{
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "en_US.UTF-8");
}

START_TEST(test_text_width_counts_columns)
{
    ck_assert_int_eq(ui_text_width("abc"), 3);
    ck_assert_int_eq(ui_text_width("\xe9\xa2\x86\xe5\xaf\xbc\xe8\x80\x85"), 6); /* 领导者 */
    ck_assert_int_eq(ui_text_width("S1\xe2\x86\x92S2"), 5);                     /* S1→S2 */
    ck_assert_int_eq(ui_text_width("e\xcc\x81"), 1); /* e + combining acute */
    ck_assert_int_eq(ui_text_width("\xff"), 1);      /* invalid byte: one replacement */
    ck_assert_int_eq(ui_text_width(""), 0);
}
END_TEST

START_TEST(test_text_truncate_never_splits_wide)
{
    char out[64];
    /* 领导者 is 6 columns; 5 columns fit two characters and no half. */
    int w = ui_text_truncate("\xe9\xa2\x86\xe5\xaf\xbc\xe8\x80\x85", 5, NULL, out, sizeof out);
    ck_assert_int_eq(w, 4);
    ck_assert_str_eq(out, "\xe9\xa2\x86\xe5\xaf\xbc");
    /* With a mark, the mark takes the last column. */
    w = ui_text_truncate("\xe9\xa2\x86\xe5\xaf\xbc\xe8\x80\x85", 5, "~", out, sizeof out);
    ck_assert_int_eq(w, 5);
    ck_assert_str_eq(out, "\xe9\xa2\x86\xe5\xaf\xbc~");
    w = ui_text_truncate("hello world", 8, "\xe2\x80\xa6", out, sizeof out);
    ck_assert_int_eq(w, 8);
    ck_assert_str_eq(out, "hello w\xe2\x80\xa6");
    w = ui_text_truncate("short", 8, "~", out, sizeof out);
    ck_assert_str_eq(out, "short");
    ck_assert_int_eq(w, 5);
    w = ui_text_truncate("abc", 0, "~", out, sizeof out);
    ck_assert_int_eq(w, 0);
    ck_assert_str_eq(out, "");
}
END_TEST

static void check_wrap(const char *s, int cols)
{
    struct ui_text_line lines[128];
    size_t n = ui_text_wrap(s, cols, lines, 128);
    ck_assert_uint_le(n, 128);
    for (size_t i = 0; i < n; i++) {
        char buf[512];
        memcpy(buf, s + lines[i].start, lines[i].len);
        buf[lines[i].len] = 0;
        ck_assert_msg(ui_text_width(buf) <= cols, "line \"%s\" wider than %d", buf, cols);
        ck_assert_int_eq(ui_text_width(buf), lines[i].width);
        /* Never starts in the middle of a character. */
        ck_assert((s[lines[i].start] & 0xc0) != 0x80);
    }
}

START_TEST(test_text_wrap_english)
{
    struct ui_text_line l[8];
    size_t n = ui_text_wrap("the leader sends heartbeats", 10, l, 8);
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(l[0].start, 0);
    ck_assert_uint_eq(l[0].len, 10); /* "the leader" */
    ck_assert_uint_eq(l[1].start, 11);
    ck_assert_uint_eq(l[1].len, 5); /* "sends" */
    n = ui_text_wrap("a\nb", 10, l, 8);
    ck_assert_uint_eq(n, 2);
    n = ui_text_wrap("", 10, l, 8);
    ck_assert_uint_eq(n, 1);
    n = ui_text_wrap("averyveryverylongword", 5, l, 8);
    ck_assert_uint_eq(n, 5);
    check_wrap("the leader sends heartbeats to every follower, and a follower that hears "
               "nothing for an election timeout starts an election of its own.",
               17);
}
END_TEST

/* The plain mode at a terminal: a line wider than the terminal breaks at
 * spaces, never inside a word; each later piece of an indented line sits
 * under its text (its leading spaces and four more), prose wraps flush;
 * no piece is wider than the
 * terminal; the words come back in order; from a pipe (cols 0) and for a
 * line that fits, nothing changes. */
START_TEST(test_plain_lines_wrap_at_spaces_under_their_text)
{
    const char *line = "  [   109] S4: an old leader loses the data if the disk dies";
    struct sbuf out;
    sbuf_init(&out);
    plain_wrap(line, 30, &out);
    ck_assert_str_eq(out.s, "  [   109] S4: an old leader\n"
                            "      loses the data if the\n"
                            "      disk dies");
    sbuf_reset(&out);
    plain_wrap("Nothing moves on its own: virtual time stands still", 20, &out);
    ck_assert_str_eq(out.s, "Nothing moves on its\nown: virtual time\nstands still");
    sbuf_reset(&out);
    plain_wrap(line, 0, &out);
    ck_assert_str_eq(out.s, line);
    sbuf_reset(&out);
    plain_wrap("short\nlines stay\n", 30, &out);
    ck_assert_str_eq(out.s, "short\nlines stay\n");
    /* Chinese has no spaces: it breaks between characters, within width. */
    sbuf_reset(&out);
    plain_wrap("\xe9\xa2\x86\xe5\xaf\xbc\xe8\x80\x85\xe5\x8f\x91\xe9\x80\x81\xe5\xbf\x83"
               "\xe8\xb7\xb3",
               8, &out);
    for (char *p = out.s, *nl; p; p = nl ? nl + 1 : NULL) {
        nl = strchr(p, '\n');
        char piece[64];
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        memcpy(piece, p, len);
        piece[len] = 0;
        ck_assert_int_le(ui_text_width(piece), 8);
    }
    ck_assert_ptr_nonnull(strchr(out.s, '\n'));
    sbuf_free(&out);
}
END_TEST

START_TEST(test_text_wrap_chinese)
{
    /* "领导者在任期内向所有跟随者发送心跳。" — no spaces: breaks between characters. */
    const char *zh = "\xe9\xa2\x86\xe5\xaf\xbc\xe8\x80\x85\xe5\x9c\xa8\xe4\xbb\xbb\xe6\x9c\x9f"
                     "\xe5\x86\x85\xe5\x90\x91\xe6\x89\x80\xe6\x9c\x89\xe8\xb7\x9f\xe9\x9a\x8f"
                     "\xe8\x80\x85\xe5\x8f\x91\xe9\x80\x81\xe5\xbf\x83\xe8\xb7\xb3\xe3\x80\x82";
    for (int cols = 2; cols < 40; cols++)
        check_wrap(zh, cols);
    struct ui_text_line l[16];
    size_t n = ui_text_wrap(zh, 9, l, 16);
    ck_assert_uint_eq(n, 5); /* 18 characters, 4 per 9-column line */
}
END_TEST

START_TEST(test_text_wrap_mixed)
{
    const char *mixed = "Raft \xe7\x9a\x84 leader \xe5\x9c\xa8 term 3 \xe5\xbd\x93\xe9\x80\x89"
                        " S1\xe2\x86\x92S2 AppendEntries";
    for (int cols = 2; cols < 50; cols++)
        check_wrap(mixed, cols);
}
END_TEST

/* Wrapped with a hanging indent, every line fits the columns it is drawn
 * in (cols for the first, cols - hang after it) and, spaces at the breaks
 * aside, the lines put back together are the whole text: no character is
 * lost at the end of a line (the feed once lost the value of
 * "leader_commit=" and the ")" of "(due 180)"). */
static void check_wrap_keeps_all(const char *s, int cols, int hang)
{
    struct ui_text_line lines[256];
    size_t n = ui_text_wrap_hang(s, cols, hang, lines, 256);
    ck_assert_uint_le(n, 256);
    char joined[2048] = "", plain[2048] = "";
    for (size_t i = 0; i < n; i++) {
        int room = i ? (cols - hang < 1 ? 1 : cols - hang) : cols;
        char buf[512];
        memcpy(buf, s + lines[i].start, lines[i].len);
        buf[lines[i].len] = 0;
        ck_assert_msg(ui_text_width(buf) <= room, "line %zu \"%s\" wider than %d", i, buf, room);
        strcat(joined, buf);
    }
    for (size_t i = 0, k = 0; s[i]; i++)
        if (s[i] != ' ')
            plain[k++] = s[i];
    char squeezed[2048];
    size_t k = 0;
    for (size_t i = 0; joined[i]; i++)
        if (joined[i] != ' ')
            squeezed[k++] = joined[i];
    squeezed[k] = 0;
    ck_assert_str_eq(squeezed, plain);
}

/* Issue 13, Chinese typography: "never start a line with closing
 * punctuation or end one with opening punctuation" (kinsoku), while
 * breaking between ideographs, losing no character at any width. The
 * longest run these texts have with no allowed break, "（up-to-date），",
 * is 16 columns: from 16 columns on the rules hold on every line (a
 * narrower line must cut such a run somewhere). */
START_TEST(test_no_line_starts_with_closing_or_ends_with_opening_punctuation)
{
    static const char *const texts[] = {
        "领导者（S1）在任期 2 中提交了“c1”，然后崩溃了。跟随者们：S2、S3？还有「S4」！",
        "提议者先发出 Prepare（提案编号 1.1），多数派接受者回复 Promise；然后……",
        "§5.4.1：候选人的日志至少和多数派一样新（up-to-date），才能赢得选举。",
    };
    static const char *const closing[] = {"，", "。", "、", "；", "：", "？", "！",
                                          "）", "」", "”",  "…",  ")",  ",",  "."};
    static const char *const opening[] = {"（", "「", "“", "("};
    for (size_t t = 0; t < sizeof texts / sizeof *texts; t++)
        for (int cols = 4; cols <= 40; cols++) {
            check_wrap_keeps_all(texts[t], cols, 0);
            if (cols < 16)
                continue;
            struct ui_text_line l[256];
            size_t n = ui_text_wrap(texts[t], cols, l, 256);
            for (size_t i = 0; i < n; i++) {
                const char *line = texts[t] + l[i].start;
                for (size_t k = 0; i > 0 && k < sizeof closing / sizeof *closing; k++)
                    ck_assert_msg(strncmp(line, closing[k], strlen(closing[k])) != 0,
                                  "width %d: line %zu starts with %s", cols, i, closing[k]);
                for (size_t k = 0; i + 1 < n && k < sizeof opening / sizeof *opening; k++) {
                    size_t m = strlen(opening[k]);
                    ck_assert_msg(l[i].len < m || strncmp(line + l[i].len - m, opening[k], m) != 0,
                                  "width %d: line %zu ends with %s", cols, i, opening[k]);
                }
            }
        }
}
END_TEST

START_TEST(test_text_wrap_hanging_indent_loses_no_character)
{
    const char *feed = "  120 S1: AppendEntries to S2 term=3 prev=4/2 entries=1 leader_commit=4"
                       " (due 180)";
    for (int cols = 4; cols < 90; cols++)
        check_wrap_keeps_all(feed, cols, 2);
    /* 领导者 S1 在任期 3 向 S2 发送 AppendEntries（截止 180） */
    const char *zh = "  120 S1: \xe9\xa2\x86\xe5\xaf\xbc\xe8\x80\x85 S1 \xe5\x9c\xa8\xe4\xbb\xbb"
                     "\xe6\x9c\x9f 3 \xe5\x90\x91 S2 \xe5\x8f\x91\xe9\x80\x81 AppendEntries"
                     "\xef\xbc\x88\xe6\x88\xaa\xe6\xad\xa2 180\xef\xbc\x89";
    for (int cols = 4; cols < 60; cols++)
        check_wrap_keeps_all(zh, cols, 2);
    /* The case the feed hit: 20 columns, continuation lines 18 wide. */
    struct ui_text_line l[8];
    size_t n = ui_text_wrap_hang("leader_commit=4 (due 180)", 16, 2, l, 8);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(l[0].len, 15); /* "leader_commit=4" */
    ck_assert_uint_eq(l[1].len, 9);  /* "(due 180)" in 14 columns */
    /* A hang of 0 is the plain wrap. */
    ck_assert_uint_eq(ui_text_wrap_hang("the leader sends heartbeats", 10, 0, l, 8),
                      ui_text_wrap("the leader sends heartbeats", 10, NULL, 0));
}
END_TEST

static bool hint_has(unsigned ctx, const char *go, int n, const char *needle)
{
    struct ui_keys_state st = {.ctx = ctx, .go_word = go, .n_choices = n};
    char hint[512];
    ui_keys_hint(&st, hint, sizeof hint, 200);
    return strstr(hint, needle) != NULL;
}

/* The prompt's editing: Backspace erases one character (a whole CJK one),
 * Ctrl-W the last word and the spaces after it, as readline does. */
START_TEST(test_text_erase_char_and_word)
{
    const char *s = "crash S2";
    ck_assert_uint_eq(ui_text_erase_char(s, strlen(s)), 7);
    ck_assert_uint_eq(ui_text_erase_word(s, strlen(s)), 6);
    ck_assert_uint_eq(ui_text_erase_word("crash S2  ", 10), 6);
    ck_assert_uint_eq(ui_text_erase_word("crash", 5), 0);
    ck_assert_uint_eq(ui_text_erase_char("", 0), 0);
    const char *zh = "\xe4\xb8\xad\xe6\x96\x87"; /* two characters */
    ck_assert_uint_eq(ui_text_erase_char(zh, 6), 3);
}
END_TEST

START_TEST(test_keys_table_drives_hint_and_help)
{
    ck_assert_int_eq(ui_key_lookup(' ', false, UI_KC_GOAL), UI_CMD_STEP);
    ck_assert_int_eq(ui_key_lookup('q', false, UI_KC_SCRIPT), UI_CMD_QUIT);
    ck_assert_int_eq(ui_key_lookup('?', false, UI_KC_PICK), UI_CMD_HELP);
    ck_assert_int_eq(ui_key_lookup('Z', false, UI_KC_GOAL), UI_CMD_NONE);
    struct ui_keys_state goal = {.ctx = UI_KC_GOAL};
    char hint[256];
    ui_keys_hint(&goal, hint, sizeof hint, 78);
    ck_assert(strstr(hint, "Space step") != NULL);
    ck_assert(strstr(hint, "? help") != NULL);
    ck_assert_int_le(ui_text_width(hint), 78);
    ui_keys_hint(&goal, hint, sizeof hint, 20);
    ck_assert_int_le(ui_text_width(hint), 20);
    /* A goal that forbids stepping and crashing offers neither key. */
    goal.hidden = (uint64_t)1 << UI_CMD_STEP | (uint64_t)1 << UI_CMD_CRASH;
    ui_keys_hint(&goal, hint, sizeof hint, 200);
    ck_assert_msg(!strstr(hint, "Space step") && !strstr(hint, "c crash"), "hint: %s", hint);
    ck_assert(strstr(hint, "? help") != NULL);
    static char lines[64][UI_HELP_LINE];
    size_t n = ui_keys_help(UI_KC_GOAL, lines, 64);
    ck_assert_uint_ge(n, 20);
    bool quit = false;
    for (size_t i = 0; i < n; i++)
        quit |= strstr(lines[i], "quit") != NULL;
    ck_assert(quit);
}
END_TEST

/* Issue 11: "Continue means continue: at a narration, Space, Enter and g
 * go on; at a quiz, the number keys answer and Enter submits". */
START_TEST(test_keys_continue_means_continue)
{
    const int keys[] = {' ', '\n', '\r', 'g'};
    for (size_t i = 0; i < 4; i++) {
        ck_assert_int_eq(ui_key_lookup(keys[i], false, UI_KC_SCRIPT), UI_CMD_NEXT_STEP);
        ck_assert_int_eq(ui_key_lookup(keys[i], false, UI_KC_GOTO), UI_CMD_NEXT_STEP);
    }
    ck_assert_int_eq(ui_key_lookup(KEY_ENTER, true, UI_KC_SCRIPT), UI_CMD_NEXT_STEP);
    /* Neither Space nor Enter changes the cluster at a quiz. */
    const unsigned quiz[] = {UI_KC_PICK, UI_KC_MULTI, UI_KC_VALUE, UI_KC_PICK | UI_KC_RETRY};
    for (size_t q = 0; q < 4; q++)
        for (size_t i = 0; i < 3; i++) {
            enum ui_cmd c = ui_key_lookup(keys[i], false, quiz[q]);
            ck_assert(c != UI_CMD_STEP && c != UI_CMD_DELIVER);
        }
    for (int d = '1'; d <= '9'; d++) {
        ck_assert_int_eq(ui_key_lookup(d, false, UI_KC_PICK), UI_CMD_ANSWER);
        ck_assert_int_eq(ui_key_lookup(d, false, UI_KC_MULTI), UI_CMD_ANSWER);
    }
    ck_assert_int_eq(ui_key_lookup('\n', false, UI_KC_MULTI), UI_CMD_SUBMIT);
    ck_assert_int_eq(ui_key_lookup('g', false, UI_KC_PICK | UI_KC_RETRY), UI_CMD_REVEAL);
    ck_assert_int_eq(ui_key_lookup('g', false, UI_KC_PICK), UI_CMD_NEED_ANSWER);
    /* With the controls, Space steps and Enter delivers. */
    ck_assert_int_eq(ui_key_lookup('\n', false, UI_KC_GOAL), UI_CMD_DELIVER);
    ck_assert_int_eq(ui_key_lookup('d', false, UI_KC_SCRIPT), UI_CMD_DELIVER);
}
END_TEST

/* Issue 11: "h, j, k, l are navigation only, never a network action";
 * "the hint line and the help are generated from the key table of the
 * current state, so they are always true (no "Enter deliver" while Enter
 * submits an answer, no "Space step" beside "Space/g: continue")". */
START_TEST(test_keys_vi_keys_navigate_and_hints_are_true)
{
    const unsigned all[] = {UI_KC_SCRIPT, UI_KC_GOTO, UI_KC_PICK, UI_KC_MULTI,
                            UI_KC_VALUE,  UI_KC_GOAL, UI_KC_END};
    const enum ui_cmd nav[] = {UI_CMD_FOCUS_PREV, UI_CMD_DOWN, UI_CMD_UP, UI_CMD_FOCUS_NEXT};
    for (size_t c = 0; c < 7; c++)
        for (size_t i = 0; i < 4; i++)
            ck_assert_int_eq(ui_key_lookup("hjkl"[i], false, all[c]), nav[i]);
    ck_assert(hint_has(UI_KC_SCRIPT, "continue", 0, "Space/Enter/g continue"));
    ck_assert(!hint_has(UI_KC_SCRIPT, "continue", 0, "Space step"));
    ck_assert(!hint_has(UI_KC_SCRIPT, "continue", 0, "deliver"));
    ck_assert(hint_has(UI_KC_SCRIPT, "do the next step", 0, "Space/Enter/g do the next step"));
    ck_assert(hint_has(UI_KC_PICK, NULL, 4, "1-4 answer"));
    ck_assert(!hint_has(UI_KC_PICK, NULL, 4, "Space"));
    ck_assert(hint_has(UI_KC_MULTI, NULL, 3, "Enter submit"));
    ck_assert(!hint_has(UI_KC_MULTI, NULL, 3, "deliver"));
    ck_assert(hint_has(UI_KC_PICK | UI_KC_RETRY, NULL, 4, "g show the answer"));
    ck_assert(!hint_has(UI_KC_PICK, NULL, 4, "show the answer"));
    ck_assert(hint_has(UI_KC_GOAL, NULL, 0, "Space step"));
    ck_assert(hint_has(UI_KC_GOAL, NULL, 0, "Enter deliver"));
    ck_assert(hint_has(UI_KC_CONFIRM, NULL, 0, "y yes  n no"));
    ck_assert(hint_has(UI_KC_RESUME, NULL, 0, "Enter/y resume  n/Esc start over"));
    /* Every help line of a state names a key that does that there. */
    static char lines[64][UI_HELP_LINE];
    size_t n = ui_keys_help(UI_KC_SCRIPT, lines, 64);
    for (size_t i = 0; i < n; i++) {
        ck_assert_ptr_null(strstr(lines[i], "Space, n"));
        ck_assert_ptr_null(strstr(lines[i], "Enter      deliver"));
    }
}
END_TEST

static Suite *suite_text(void)
{
    Suite *s = suite_create("text");
    TCase *tc = tcase_create("core");
    tcase_add_unchecked_fixture(tc, setup, NULL);
    tcase_add_test(tc, test_text_width_counts_columns);
    tcase_add_test(tc, test_text_truncate_never_splits_wide);
    tcase_add_test(tc, test_text_wrap_english);
    tcase_add_test(tc, test_plain_lines_wrap_at_spaces_under_their_text);
    tcase_add_test(tc, test_text_wrap_chinese);
    tcase_add_test(tc, test_text_wrap_mixed);
    tcase_add_test(tc, test_text_wrap_hanging_indent_loses_no_character);
    tcase_add_test(tc, test_no_line_starts_with_closing_or_ends_with_opening_punctuation);
    tcase_add_test(tc, test_text_erase_char_and_word);
    tcase_add_test(tc, test_keys_table_drives_hint_and_help);
    tcase_add_test(tc, test_keys_continue_means_continue);
    tcase_add_test(tc, test_keys_vi_keys_navigate_and_hints_are_true);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    setup();
    SRunner *sr = srunner_create(suite_text());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
