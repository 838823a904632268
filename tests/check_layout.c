/* Tests of the panel layout (ui/layout.c): every panel inside the screen,
 * no two overlapping, the screen covered, and the minimum-size rule, for
 * small, usual and huge terminals and every cluster size, with the
 * space-time view off and on. */
#include <check.h>
#include <stdlib.h>

#include "ui/layout.h"

static bool overlap(struct ui_rect a, struct ui_rect b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

static void check_sane_full(int rows, int cols, int nodes, int need, bool st)
{
    struct ui_layout l;
    ui_layout_full(rows, cols, nodes, need, st, &l);
    ck_assert(!l.too_small);
    /* The view is there exactly when toggled on; the logs may give it
     * their place, nothing else does. */
    ck_assert_int_eq(ui_layout_shown(&l, UI_SPACETIME), st);
    for (int p = 0; p < UI_PANEL_COUNT; p++)
        if (p != UI_SPACETIME && p != UI_LOGS)
            ck_assert_msg(ui_layout_shown(&l, p), "%dx%d: %s hidden", cols, rows, ui_panel_name(p));
    if (!st)
        ck_assert(ui_layout_shown(&l, UI_LOGS));
    else if (ui_layout_shown(&l, UI_LOGS))
        ck_assert_int_ge(l.r[UI_LOGS].h, nodes + 3); /* a header and a row per node */
    long area = 0;
    for (int p = 0; p < UI_PANEL_COUNT; p++) {
        struct ui_rect r = l.r[p];
        if (!ui_layout_shown(&l, p)) {
            ck_assert_int_eq(r.h * r.w, 0);
            continue;
        }
        ck_assert_msg(r.h >= 1 && r.w >= 1, "%dx%d n=%d: panel %s is empty", cols, rows, nodes,
                      ui_panel_name(p));
        ck_assert_msg(r.y >= 0 && r.x >= 0 && r.y + r.h <= rows && r.x + r.w <= cols,
                      "%dx%d: panel %s leaves the screen", cols, rows, ui_panel_name(p));
        area += (long)r.h * r.w;
        for (int q = p + 1; q < UI_PANEL_COUNT; q++)
            ck_assert_msg(!overlap(r, l.r[q]), "%dx%d n=%d: %s overlaps %s", cols, rows, nodes,
                          ui_panel_name(p), ui_panel_name(q));
    }
    /* Nothing is wasted: the panels tile the screen. */
    ck_assert_int_eq(area, (long)rows * cols);
    ck_assert_int_ge(l.card_rows, 1);
    ck_assert_int_le(l.card_rows, 3);
    /* Framed panels have room for at least one line of content. */
    for (int p = UI_CLUSTER; p <= UI_SPACETIME; p++)
        if (ui_layout_shown(&l, p))
            ck_assert_int_ge(l.r[p].h, 3);
    ck_assert_int_eq(l.r[UI_STATUS].y, 0);
    ck_assert_int_eq(l.r[UI_HINT].y, rows - 1);
}

static void check_sane_fit(int rows, int cols, int nodes, int need)
{
    check_sane_full(rows, cols, nodes, need, false);
    check_sane_full(rows, cols, nodes, need, true);
}

static void check_sane(int rows, int cols, int nodes)
{
    check_sane_fit(rows, cols, nodes, 0);
}

START_TEST(test_layout_usual_terminal)
{
    for (int n = 1; n <= 9; n++)
        check_sane(24, 80, n);
    struct ui_layout l;
    ui_layout(24, 80, 5, &l);
    /* At 80x24 five nodes get one card row each, all visible. */
    ck_assert_int_ge(l.r[UI_CLUSTER].h, 5 + 2);
    ck_assert_int_ge(l.r[UI_LOGS].h, 5 + 2);
    ck_assert_int_ge(l.r[UI_LESSON].h, 5);
    ck_assert_int_ge(l.r[UI_MESSAGES].w, 28);
}
END_TEST

START_TEST(test_layout_every_size)
{
    for (int rows = UI_MIN_ROWS; rows <= 80; rows += 3)
        for (int cols = UI_MIN_COLS; cols <= 260; cols += 7)
            for (int n = 1; n <= 9; n += 4)
                check_sane(rows, cols, n);
}
END_TEST

START_TEST(test_layout_huge_terminal)
{
    check_sane(300, 1000, 9);
    struct ui_layout l;
    ui_layout(60, 200, 5, &l);
    ck_assert_int_eq(l.card_rows, 3);
    ck_assert_int_le(l.r[UI_LESSON].h, 14);
}
END_TEST

START_TEST(test_layout_minimum_size)
{
    struct ui_layout l;
    ui_layout(UI_MIN_ROWS, UI_MIN_COLS, 9, &l);
    ck_assert(!l.too_small);
    ui_layout(UI_MIN_ROWS - 1, 200, 5, &l);
    ck_assert(l.too_small);
    ui_layout(100, UI_MIN_COLS - 1, 5, &l);
    ck_assert(l.too_small);
    ui_layout(0, 0, 5, &l);
    ck_assert(l.too_small);
    ui_layout(1, 1, 0, &l);
    ck_assert(l.too_small);
}
END_TEST

/* A long lesson item (a quiz with four choices and its explanation) gets
 * the rows it needs at 80x24, and the other panels keep room to frame a
 * line; a huge item takes what can be spared and scrolls the rest. */
START_TEST(test_layout_lesson_grows_with_its_item)
{
    struct ui_layout base, l;
    ui_layout(24, 80, 5, &base);
    ui_layout_fit(24, 80, 5, 3, &l);
    ck_assert_int_eq(l.r[UI_LESSON].h, base.r[UI_LESSON].h); /* fits already */
    ui_layout_fit(24, 80, 5, 11, &l);
    ck_assert_int_ge(l.r[UI_LESSON].h, 11 + 2);
    ck_assert_int_gt(l.r[UI_LESSON].h, base.r[UI_LESSON].h);
    ui_layout_fit(24, 80, 5, 500, &l);
    ck_assert_int_eq(l.r[UI_LESSON].h, 24 - 2 - UI_LAYOUT_MIN_UPPER);
    for (int need = 0; need <= 60; need += 3)
        for (int rows = UI_MIN_ROWS; rows <= 60; rows += 5)
            for (int n = 1; n <= 9; n += 4)
                check_sane_fit(rows, 80, n, need);
}
END_TEST

/* v: the space-time view takes the logs' place at 80x24 (cards of one
 * row), shares it with the logs where both fit (160x45), and leaves the
 * right column and the lesson strip as they were. */
START_TEST(test_layout_spacetime_toggled)
{
    struct ui_layout off, on;
    ui_layout_full(24, 80, 5, 0, false, &off);
    ui_layout_full(24, 80, 5, 0, true, &on);
    ck_assert(!ui_layout_shown(&off, UI_SPACETIME));
    ck_assert(ui_layout_shown(&on, UI_SPACETIME));
    ck_assert(!ui_layout_shown(&on, UI_LOGS));
    ck_assert_int_eq(on.card_rows, 1);
    ck_assert_int_eq(on.r[UI_SPACETIME].x, 0);
    ck_assert_int_eq(on.r[UI_SPACETIME].w, off.r[UI_LOGS].w);
    ck_assert_int_ge(on.r[UI_SPACETIME].h, off.r[UI_LOGS].h);
    for (int p = UI_MESSAGES; p <= UI_LESSON; p++)
        if (p != UI_LOGS)
            ck_assert_mem_eq(&on.r[p], &off.r[p], sizeof on.r[p]);
    ui_layout_full(45, 160, 5, 0, true, &on);
    ck_assert(ui_layout_shown(&on, UI_LOGS));
    ck_assert_int_eq(on.r[UI_LOGS].h, 5 + 3);
    ck_assert_int_ge(on.r[UI_SPACETIME].h, UI_LAYOUT_MIN_SPACETIME);
    ck_assert_int_eq(on.r[UI_SPACETIME].y, on.r[UI_LOGS].y + on.r[UI_LOGS].h);
    /* Off again: the same layout as never toggled. */
    ui_layout_full(45, 160, 5, 0, false, &on);
    ui_layout(45, 160, 5, &off);
    ck_assert_mem_eq(&on, &off, sizeof on);
    ui_layout_full(12, 50, 5, 0, true, &on);
    ck_assert(on.too_small);
    ck_assert(!ui_layout_shown(&on, UI_SPACETIME));
    ck_assert_str_eq(ui_panel_name(UI_SPACETIME), "space-time");
}
END_TEST

/* A panel too short for its rows shows the selected one always, and the
 * leader's as well whenever both fit: a window of fit rows, within the n. */
START_TEST(test_layout_rows_keep_the_selection_and_the_leader)
{
    ck_assert_int_eq(ui_layout_rows_top(3, 5, 2, 0), 0); /* all fit */
    ck_assert_int_eq(ui_layout_rows_top(5, 3, 4, -1), 2);
    ck_assert_int_eq(ui_layout_rows_top(5, 3, 3, 1), 1); /* S2..S4: S4 and the leader S2 */
    ck_assert_int_eq(ui_layout_rows_top(5, 3, 1, 3), 1); /* the leader below */
    ck_assert_int_eq(ui_layout_rows_top(5, 3, 4, 0), 2); /* too far apart: the selection wins */
    for (int n = 1; n <= 9; n++)
        for (int fit = 1; fit <= 9; fit++)
            for (int sel = 0; sel < n; sel++)
                for (int keep = -1; keep < n; keep++) {
                    int top = ui_layout_rows_top(n, fit, sel, keep);
                    ck_assert_int_ge(top, 0);
                    ck_assert(sel >= top && sel < top + fit);
                    if (n > fit)
                        ck_assert_int_le(top, n - fit);
                    if (keep >= 0 && (sel - keep < fit && keep - sel < fit))
                        ck_assert(keep >= top && keep < top + fit);
                }
}
END_TEST

static Suite *suite_layout(void)
{
    Suite *s = suite_create("layout");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_layout_usual_terminal);
    tcase_add_test(tc, test_layout_every_size);
    tcase_add_test(tc, test_layout_huge_terminal);
    tcase_add_test(tc, test_layout_minimum_size);
    tcase_add_test(tc, test_layout_lesson_grows_with_its_item);
    tcase_add_test(tc, test_layout_spacetime_toggled);
    tcase_add_test(tc, test_layout_rows_keep_the_selection_and_the_leader);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_layout());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
