/* Screen tests of the terminal UI: frames drawn into an ncurses newterm
 * on /dev/null at fixed sizes and read back cell by cell — panels, status
 * line, Chinese lesson text within its border, the minimum-size screen,
 * ASCII borders, and keys driving the lesson. */
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tutor/runner.h"
#include "ui/text.h"
#include "ui/ui_internal.h"

static FILE *out_f, *in_f;
static SCREEN *scr;

static void term_open(int rows, int cols)
{
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "en_US.UTF-8");
    out_f = fopen("/dev/null", "w");
    in_f = fopen("/dev/null", "r");
    ck_assert_ptr_nonnull(out_f);
    scr = newterm("xterm-256color", out_f, in_f);
    ck_assert_ptr_nonnull(scr);
    set_term(scr);
    resizeterm(rows, cols);
}

static void term_close(void)
{
    endwin();
    delscreen(scr);
    fclose(out_f);
    fclose(in_f);
}

static struct lesson *parse(const char *json)
{
    struct lesson *l = NULL;
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    int rc = lesson_parse("test", json, strlen(json), &l, &errs);
    ck_assert_msg(rc == 0, "lesson refused: %s", errs.n ? errs.lines[0] : "?");
    lesson_errors_free(&errs);
    return l;
}

static struct lesson *load_scenario(const char *name)
{
    const char *top = getenv("top_srcdir");
    char path[1024];
    snprintf(path, sizeof path, "%s/tests/scenarios/%s", top ? top : ".", name);
    struct lesson *l = NULL;
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    int rc = lesson_load(path, &l, &errs);
    ck_assert_msg(rc == 0, "%s refused: %s", path, errs.n ? errs.lines[0] : "?");
    lesson_errors_free(&errs);
    return l;
}

/* The whole screen as text, one row per line. */
static char *screen_text(void)
{
    int rows = getmaxy(curscr);
    if (rows < 1 || rows > 500)
        rows = 1;
    size_t cap = (size_t)rows * 1024;
    char *all = calloc(1, cap);
    for (int y = 0; y < rows; y++) {
        char row[1024];
        ui_read_row(y, row, sizeof row);
        strcat(all, row);
        strcat(all, "\n");
    }
    return all;
}

static bool screen_has(const char *needle)
{
    char *all = screen_text();
    bool ok = strstr(all, needle) != NULL;
    if (!ok)
        fprintf(stderr, "screen lacks \"%s\":\n%s\n", needle, all);
    free(all);
    return ok;
}

/* Every row fits the screen's width, and the box's right edges line up. */
static void check_rows_fit(int cols)
{
    for (int y = 0; y < getmaxy(curscr); y++) {
        char row[1024];
        ui_read_row(y, row, sizeof row);
        ck_assert_msg(ui_text_width(row) <= cols, "row %d is %d columns wide", y,
                      ui_text_width(row));
    }
}

static const char *zh_lesson =
    "{\"format\": 1, \"id\": \"zh-test\", \"lang\": \"zh-CN\","
    " \"title\": \"Raft \xe9\xa2\x86\xe5\xaf\xbc\xe8\x80\x85\xe9\x80\x89\xe4\xb8\xbe\","
    " \"protocol\": \"raft\", \"cluster\": {\"nodes\": 3},"
    " \"steps\": [{\"title\": \"\xe5\xbc\x80\xe5\xa7\x8b\", \"say\": \""
    /* 每个节点一开始都是跟随者。如果跟随者在选举超时内没有收到领导者的消息，它就会成为候选者。 */
    "\xe6\xaf\x8f\xe4\xb8\xaa\xe8\x8a\x82\xe7\x82\xb9\xe4\xb8\x80\xe5\xbc\x80\xe5\xa7\x8b\xe9\x83"
    "\xbd\xe6\x98\xaf\xe8\xb7\x9f\xe9\x9a\x8f\xe8\x80\x85\xe3\x80\x82\xe5\xa6\x82\xe6\x9e\x9c\xe8"
    "\xb7\x9f\xe9\x9a\x8f\xe8\x80\x85\xe5\x9c\xa8\xe9\x80\x89\xe4\xb8\xbe\xe8\xb6\x85\xe6\x97\xb6"
    "\xe5\x86\x85\xe6\xb2\xa1\xe6\x9c\x89\xe6\x94\xb6\xe5\x88\xb0\xe9\xa2\x86\xe5\xaf\xbc\xe8\x80"
    "\x85\xe7\x9a\x84\xe6\xb6\x88\xe6\x81\xaf\xef\xbc\x8c\xe5\xae\x83\xe5\xb0\xb1\xe4\xbc\x9a\xe6"
    "\x88\x90\xe4\xb8\xba\xe5\x80\x99\xe9\x80\x89\xe8\x80\x85\xe3\x80\x82S1 \xe7\x9a\x84\xe4\xbb"
    "\xbb\xe6\x9c\x9f\xe6\x98\xaf {S1.term}\xe3\x80\x82\"},"
    " {\"do\": \"timeout\", \"node\": \"S1\"},"
    " {\"quiz\": {\"kind\": \"choice\", \"question\": \"Who is the candidate?\","
    "  \"choices\": [\"S1\", \"S2\"], \"answer\": 0, \"explain\": \"S1 timed out.\"}}]}";

START_TEST(test_screen_chinese_lesson_80x24)
{
    term_open(24, 80);
    struct lesson *l = parse(zh_lesson);
    struct runner *r = runner_new(l);
    struct ui_options o = {0};
    struct ui *u = ui_new(r, &o);
    ui_relayout(u);
    ui_draw(u);
    /* 每个节点一开始都是跟随者 */
    ck_assert(screen_has("\xe6\xaf\x8f\xe4\xb8\xaa\xe8\x8a\x82\xe7\x82\xb9\xe4\xb8\x80\xe5\xbc"
                         "\x80\xe5\xa7\x8b\xe9\x83\xbd\xe6\x98\xaf\xe8\xb7\x9f\xe9\x9a\x8f"));
    /* The live value: S1's term is 0. */
    ck_assert(screen_has("S1 \xe7\x9a\x84\xe4\xbb\xbb\xe6\x9c\x9f\xe6\x98\xaf 0"));
    ck_assert(screen_has("Raft \xe9\xa2\x86\xe5\xaf\xbc\xe8\x80\x85\xe9\x80\x89\xe4\xb8\xbe"));
    ck_assert(screen_has("step 1/3"));
    ck_assert(screen_has("1 cluster"));
    ck_assert(screen_has("2 messages"));
    ck_assert(screen_has("no message in flight"));
    check_rows_fit(80);
    /* The lesson panel's right border is intact on every row. */
    const struct ui_rect *lr = &u->lay.r[UI_LESSON];
    for (int y = lr->y; y < lr->y + lr->h; y++) {
        cchar_t cc;
        mvwin_wch(curscr, y, lr->x + lr->w - 1, &cc);
        wchar_t wc[CCHARW_MAX + 1];
        attr_t a;
        short pair;
        getcchar(&cc, wc, &a, &pair, NULL);
        ck_assert_msg(wc[0] != L' ' && ui_text_char_width(wc[0]) == 1,
                      "row %d: border broken (U+%04X)", y, (unsigned)wc[0]);
    }
    /* g continues past the say; the do step waits; g does it. */
    ui_key(u, 'g', false);
    ui_draw(u);
    ck_assert(screen_has("Next: timeout S1"));
    ui_key(u, 'g', false);
    ui_draw(u);
    ck_assert(screen_has("Who is the candidate?"));
    ck_assert(screen_has("S1 C"));
    ck_assert(screen_has("RequestVote"));
    ui_key(u, '1', false);
    ui_draw(u);
    ck_assert(screen_has("Right!"));
    ui_free(u);
    runner_free(r);
    lesson_free(l);
    term_close();
}
END_TEST

START_TEST(test_screen_figure8_200x60)
{
    term_open(60, 200);
    struct lesson *l = load_scenario("raft-figure8.json");
    struct runner *r = runner_new(l);
    struct ui_options o = {0};
    struct ui *u = ui_new(r, &o);
    ui_relayout(u);
    ui_draw(u);
    ck_assert(screen_has("Figure 8: the leader of term 4 must not commit index 2"));
    ck_assert(screen_has("step 1/21"));
    ck_assert(screen_has("Next: crash S5"));
    ck_assert(screen_has("safe"));
    ck_assert(screen_has("1:a"));
    check_rows_fit(200);
    ui_key(u, 'g', false); /* crash S5 */
    ui_draw(u);
    ck_assert(screen_has("S5 - down"));
    ck_assert(screen_has("step 1/1"));
    /* Back in the history: S5 is up again; forward: down. */
    ui_key(u, 'b', false);
    ui_draw(u);
    ck_assert(screen_has("step 0/1"));
    ui_key(u, 'f', false);
    ui_draw(u);
    ck_assert(screen_has("S5 - down"));
    /* The help overlay is generated from the key table. */
    ui_key(u, '?', false);
    ui_draw(u);
    ck_assert(screen_has("keys (any key closes)"));
    ck_assert(screen_has("quit (asks first)"));
    ui_key(u, ' ', false);
    ui_draw(u);
    ck_assert(!u->help);
    /* q asks first; n keeps going; q y quits. */
    ck_assert(ui_key(u, 'q', false));
    ui_draw(u);
    ck_assert(screen_has("Quit?"));
    ck_assert(ui_key(u, 'n', false));
    ck_assert(ui_key(u, 'q', false));
    ck_assert(!ui_key(u, 'y', false));
    ui_free(u);
    runner_free(r);
    lesson_free(l);
    term_close();
}
END_TEST

START_TEST(test_screen_too_small_and_resize)
{
    term_open(12, 50);
    struct lesson *l = load_scenario("raft-figure8.json");
    struct runner *r = runner_new(l);
    struct ui_options o = {.ascii = true, .no_color = true};
    struct ui *u = ui_new(r, &o);
    ui_relayout(u);
    ui_draw(u);
    ck_assert(screen_has("terminal too small: need 60"));
    resizeterm(24, 80);
    ui_key(u, KEY_RESIZE, true);
    ui_draw(u);
    ck_assert(screen_has("+- 1 cluster "));
    ck_assert(screen_has("Next: crash S5"));
    check_rows_fit(80);
    ui_free(u);
    runner_free(r);
    lesson_free(l);
    term_close();
}
END_TEST

static Suite *suite_screen(void)
{
    Suite *s = suite_create("screen");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_screen_chinese_lesson_80x24);
    tcase_add_test(tc, test_screen_figure8_200x60);
    tcase_add_test(tc, test_screen_too_small_and_resize);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_screen());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
