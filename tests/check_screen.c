/* Screen tests of the terminal UI: frames drawn into an ncurses newterm
 * on /dev/null at fixed sizes and read back cell by cell — panels, status
 * line, Chinese lesson text within its border, the minimum-size screen,
 * ASCII borders, keys driving the lesson, a four-choice quiz whole at
 * 80x24 with its feedback, retry, predict and b/f, the Chinese UI; the
 * space-time view (its model without a terminal, then on screen at 80x24
 * and 160x45), the last step's lost messages, mouse clicks, changed
 * fields and roles in color and without; a long run stopped by a key that
 * is used up, the focused panel's mark, counts of rows that do not fit,
 * and c's word on a node that is down. */
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tutor/feed.h"
#include "tutor/i18n.h"
#include "tutor/lesson_sandbox.h"
#include "tutor/note_text.h"
#include "tutor/runner.h"
#include "tutor/session/flow.h"
#include "tutor/view.h"
#include "ui/spacetime.h"
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

static bool screen_has_quiet(const char *needle)
{
    char *all = screen_text();
    bool ok = strstr(all, needle) != NULL;
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
    " \"title\": \"Raft "
    "\xe9\xa2\x86\xe5\xaf\xbc\xe8\x80\x85\xe9\x80\x89\xe4\xb8\xbe\","
    " \"protocol\": \"raft\", \"cluster\": {\"nodes\": 3},"
    " \"steps\": [{\"title\": \"\xe5\xbc\x80\xe5\xa7\x8b\", \"say\": \""
    /* 每个节点一开始都是跟随者。如果跟随者在选举超时内没有收到领导者的消息，它就会成为候选者。
     */
    "\xe6\xaf\x8f\xe4\xb8\xaa\xe8\x8a\x82\xe7\x82\xb9\xe4\xb8\x80\xe5\xbc\x80"
    "\xe5\xa7\x8b\xe9\x83"
    "\xbd\xe6\x98\xaf\xe8\xb7\x9f\xe9\x9a\x8f\xe8\x80\x85\xe3\x80\x82\xe5\xa6"
    "\x82\xe6\x9e\x9c\xe8"
    "\xb7\x9f\xe9\x9a\x8f\xe8\x80\x85\xe5\x9c\xa8\xe9\x80\x89\xe4\xb8\xbe\xe8"
    "\xb6\x85\xe6\x97\xb6"
    "\xe5\x86\x85\xe6\xb2\xa1\xe6\x9c\x89\xe6\x94\xb6\xe5\x88\xb0\xe9\xa2\x86"
    "\xe5\xaf\xbc\xe8\x80"
    "\x85\xe7\x9a\x84\xe6\xb6\x88\xe6\x81\xaf\xef\xbc\x8c\xe5\xae\x83\xe5\xb0"
    "\xb1\xe4\xbc\x9a\xe6"
    "\x88\x90\xe4\xb8\xba\xe5\x80\x99\xe9\x80\x89\xe8\x80\x85\xe3\x80\x82S1 "
    "\xe7\x9a\x84\xe4\xbb"
    "\xbb\xe6\x9c\x9f\xe6\x98\xaf {S1.term}\xe3\x80\x82\"},"
    " {\"do\": \"timeout\", \"node\": \"S1\"},"
    " {\"quiz\": {\"kind\": \"choice\", \"question\": \"Who is the "
    "candidate?\","
    "  \"choices\": [\"S1\", \"S2\"], \"answer\": 0, \"explain\": \"S1 timed "
    "out.\"}}]}";

/* The UI on a lesson, with default options, drawn once. */
static struct ui *open_lesson(struct lesson *l, struct runner **r)
{
    *r = runner_new(l);
    struct ui_options o = {0};
    struct ui *u = ui_new(*r, &o);
    ui_relayout(u);
    ui_draw(u);
    return u;
}

static struct ui *open_ui(const char *json, struct lesson **l, struct runner **r)
{
    *l = parse(json);
    return open_lesson(*l, r);
}

static void close_ui(struct ui *u, struct runner *r, struct lesson *l)
{
    ui_free(u);
    runner_free(r);
    lesson_free(l);
    term_close();
}

START_TEST(test_screen_chinese_lesson_80x24)
{
    term_open(24, 80);
    struct lesson *l = parse(zh_lesson);
    struct runner *r;
    struct ui *u = open_lesson(l, &r);
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
    close_ui(u, r, l);
}
END_TEST

START_TEST(test_screen_figure8_200x60)
{
    term_open(60, 200);
    struct lesson *l = load_scenario("raft-figure8.json");
    struct runner *r;
    struct ui *u = open_lesson(l, &r);
    ck_assert(screen_has("Figure 8: the leader of term 4 must not commit index 2"));
    ck_assert(screen_has("step 1/21"));
    ck_assert(screen_has("Next: crash S5"));
    ck_assert(screen_has("safe"));
    ck_assert(screen_has("1:a"));
    check_rows_fit(200);
    ui_key(u, 'g', false); /* crash S5 */
    ui_draw(u);
    ck_assert(screen_has("S5 - down"));
    ck_assert(screen_has("history 1/1"));
    /* Back in the history: S5 is up again; forward: down. */
    ui_key(u, 'b', false);
    ui_draw(u);
    ck_assert(screen_has("history 0/1"));
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
    close_ui(u, r, l);
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
    /* Narrower than the message: it wraps, the size it names stays whole. */
    resizeterm(12, 40);
    ui_key(u, KEY_RESIZE, true);
    ui_draw(u);
    ck_assert(screen_has("40x12)") || screen_has("40\xc3\x97"
                                                 "12)"));
    ck_assert(screen_has("q quits"));
    close_ui(u, r, l);
}
END_TEST

/* The lesson panel's text rows joined by spaces, borders cut: wrapped
 * text reads as one line (wrapping drops the space at a break). */
static bool lesson_has(const struct ui *u, const char *needle)
{
    const struct ui_rect *lr = &u->lay.r[UI_LESSON];
    char all[8192] = "";
    for (int y = lr->y + 1; y < lr->y + lr->h - 1; y++) {
        char row[1024];
        ui_read_row(y, row, sizeof row);
        /* Cut the left border (one character) and the right one (the
         * last character: ui_read_row trims only spaces after it). */
        char *p = row;
        wchar_t wc;
        p += ui_text_decode(p, &wc);
        size_t len = strlen(p);
        while (len && ((unsigned char)p[len - 1] & 0xc0) == 0x80)
            len--;
        if (len)
            len--;
        while (len && p[len - 1] == ' ')
            len--;
        p[len] = 0;
        while (*p == ' ')
            p++;
        if (all[0])
            strncat(all, " ", sizeof all - strlen(all) - 1);
        strncat(all, p, sizeof all - strlen(all) - 1);
    }
    bool ok = strstr(all, needle) != NULL;
    if (!ok)
        fprintf(stderr, "lesson panel lacks \"%s\":\n%s\n", needle, all);
    return ok;
}

/* A 5-node lesson whose quiz has four choices, a long question, a hint and
 * an explanation: at 80x24 everything must be readable. */
static const char *quiz_lesson =
    "{\"format\": 1, \"id\": \"quiz-test\", \"title\": \"Quiz test\", "
    "\"protocol\": \"raft\","
    " \"cluster\": {\"nodes\": 5, \"timeouts\": {\"S1\": 300, \"S2\": 160, "
    "\"S3\": 220,"
    " \"S4\": 250, \"S5\": 280}},"
    " \"steps\": ["
    "  {\"say\": \"Five servers start as followers. A follower waits for a "
    "leader's heartbeat;"
    " when its election timer runs out first, it starts an election in a "
    "higher term.\"},"
    "  {\"quiz\": {\"kind\": \"choice\", \"question\": \"A cluster has five "
    "servers. How many"
    " votes, its own included, does a candidate need before it may act as the "
    "leader of its"
    " term, and why exactly that many?\","
    "   \"choices\": [\"two votes, one more than itself\", \"three votes, a "
    "majority of five\","
    " \"four votes, all but one server\", \"five votes, every server in the "
    "cluster\"],"
    "   \"answer\": 1, \"hint\": \"More than half of the cluster.\","
    "   \"explain\": \"A majority of five is three. Any two majorities share a "
    "server, and a"
    " server votes once per term, so two leaders of one term are "
    "impossible.\"}},"
    "  {\"quiz\": {\"kind\": \"predict\", \"question\": \"Which server becomes "
    "a candidate"
    " first?\", \"choices\": [\"S1\", \"S2\", \"S3\", \"S5\"],"
    "   \"facts\": [{\"node\": \"S1\", \"role\": \"candidate\"}, {\"node\": "
    "\"S2\", \"role\":"
    " \"candidate\"}, {\"node\": \"S3\", \"role\": \"candidate\"}, {\"node\": "
    "\"S5\", \"role\":"
    " \"candidate\"}], \"within\": 400, \"explain\": \"S2's timer is the "
    "shortest.\"}},"
    "  {\"do\": \"run\", \"until\": {\"node\": \"S2\", \"role\": "
    "\"candidate\"}},"
    "  {\"quiz\": {\"kind\": \"value\", \"question\": \"Who did S2 vote for?\","
    "   \"field\": \"S2.voted_for\", \"explain\": \"A candidate votes for "
    "itself.\"}},"
    "  {\"say\": \"The end.\"}]}";

static void press(struct ui *u, wint_t key)
{
    ui_key(u, key, false);
    ui_draw(u);
}

START_TEST(test_screen_quiz_four_choices_80x24)
{
    term_open(24, 80);
    struct lesson *l;
    struct runner *r;
    struct ui *u = open_ui(quiz_lesson, &l, &r);
    ck_assert(lesson_has(u, "it starts an election in a higher term."));
    press(u, 'g');
    /* Every word of the question and every choice is on the screen. */
    ck_assert(lesson_has(u, "and why exactly that many?"));
    ck_assert(screen_has("1) two votes, one more than itself"));
    ck_assert(screen_has("2) three votes, a majority of five"));
    ck_assert(screen_has("3) four votes, all but one server"));
    ck_assert(screen_has("4) five votes, every server in the cluster"));
    /* The score is of what was tried (tutor.1): nothing yet, so none. */
    ck_assert(!screen_has_quiet("score "));
    /* The hint waits to be asked for; the hint line says numbers answer. */
    char *all = screen_text();
    ck_assert_ptr_null(strstr(all, "More than half"));
    free(all);
    ck_assert(screen_has("1-4 answer"));
    check_rows_fit(80);
    press(u, 'H');
    ck_assert(screen_has("Hint: More than half of the cluster."));
    /* The right answer at once: verdict, explanation and point, and the
     * lesson waits for a key. */
    press(u, '2');
    ck_assert(screen_has("Right! +1 point."));
    ck_assert(lesson_has(u, "two leaders of one term are impossible."));
    ck_assert(screen_has("score 1/1"));
    ck_assert_int_eq(u->flow.state, FLOW_ANSWERED);
    check_rows_fit(80);
    close_ui(u, r, l);
}
END_TEST

START_TEST(test_screen_quiz_retry_predict_value)
{
    term_open(24, 80);
    struct lesson *l;
    struct runner *r;
    struct ui *u = open_ui(quiz_lesson, &l, &r);
    press(u, 'g');
    /* A wrong answer is no dead end: the hint, and one more try. */
    press(u, '1');
    ck_assert(lesson_has(u, "Not quite. Try once more, or g: show the answer."));
    ck_assert(screen_has("Hint: More than half of the cluster."));
    ck_assert_int_eq(u->flow.state, FLOW_QUIZ);
    press(u, '4');
    ck_assert(lesson_has(u, "Not quite. The answer: three votes, a majority of five."));
    ck_assert(lesson_has(u, "A majority of five is three."));
    ck_assert(screen_has("score 0/1"));
    /* The predict quiz: the pick, then the lesson runs on, then the
     * verdict, whose truth comes from running the cluster. */
    press(u, 'g');
    ck_assert(screen_has("Which server becomes a candidate first?"));
    press(u, '3');
    ck_assert(screen_has("You predict: S3."));
    ck_assert(lesson_has(u, "g: run the lesson on and watch what happens."));
    ck_assert_int_eq(u->flow.state, FLOW_PREDICTED);
    press(u, 'g');
    ck_assert(screen_has("S2 C candidate"));
    ck_assert(screen_has("Not quite. The answer: S2."));
    ck_assert(screen_has("S2's timer is the shortest."));
    ck_assert(screen_has("step 3/6"));
    ck_assert(screen_has("score 0/2")); /* two quizzes tried of the three */
    /* b goes back with the lesson: before the run, at the predict quiz. */
    press(u, 'b');
    ck_assert(screen_has("history 0/1"));
    ck_assert(screen_has("Which server becomes a candidate first?"));
    press(u, 'f');
    ck_assert(screen_has("history 1/1"));
    ck_assert(screen_has("Who did S2 vote for?"));
    close_ui(u, r, l);
}
END_TEST

START_TEST(test_screen_chinese_ui_strings)
{
    term_open(24, 80);
    ui_i18n_init("zh-CN");
    struct lesson *l;
    struct runner *r;
    struct ui *u = open_ui(quiz_lesson, &l, &r);
    /* 第 1/6 步 in the lesson header (no 得分 before a quiz is tried);
     * 空格/回车/g 继续 in the hint line: the keys named as the menu names
     * Enter (回车), never "Space". */
    ck_assert(screen_has("\xe7\xac\xac 1/6 \xe6\xad\xa5"));
    ck_assert(!screen_has_quiet("\xe5\xbe\x97\xe5\x88\x86"));
    ck_assert(screen_has("\xe7\xa9\xba\xe6\xa0\xbc/\xe5\x9b\x9e\xe8\xbd\xa6/g "
                         "\xe7\xbb\xa7\xe7\xbb\xad"));
    ck_assert(!screen_has_quiet("Space"));
    ck_assert(!screen_has_quiet("Enter"));
    /* 历史 0/0 and 时间 0ms in the status line, not t=0ms. */
    ck_assert(screen_has("\xe5\x8e\x86\xe5\x8f\xb2 0/0"));
    ck_assert(screen_has("\xe6\x97\xb6\xe9\x97\xb4 0ms"));
    ck_assert(!screen_has_quiet("t=0ms"));
    /* The card's role mark and term in Chinese: "S1 跟", 任期 0. */
    ck_assert(screen_has("S1 \xe8\xb7\x9f"));
    ck_assert(!screen_has_quiet("S1 F"));
    ck_assert(screen_has("\xe4\xbb\xbb\xe6\x9c\x9f"
                         "0"));
    /* The feed's node with the full-width colon: "S3：", never "S3: ". */
    ck_assert(screen_has("S3\xef\xbc\x9a"));
    ck_assert(!screen_has_quiet("S3: "));
    press(u, 'g');
    press(u, '2');
    /* 答对了！+1 分。: no ASCII space after the full-width exclamation mark. */
    ck_assert(screen_has("\xe7\xad\x94\xe5\xaf\xb9\xe4\xba\x86\xef\xbc\x81+1 "
                         "\xe5\x88\x86\xe3\x80\x82"));
    ck_assert(screen_has("\xe5\xbe\x97\xe5\x88\x86 1/1")); /* 得分 1/1: of what was tried */
    check_rows_fit(80);
    /* The help overlay from the key table, in Chinese: 按键（按任意键关闭）,
     * 退出（会先确认）. */
    press(u, '?');
    ck_assert(screen_has("\xe6\x8c\x89\xe9\x94\xae\xef\xbc\x88"));
    /* At 80x24 the help pages with Space: the last page lists quit. */
    ck_assert(!screen_has_quiet("Space") && !screen_has_quiet("Enter"));
    while (u->help_page + 1 < u->help_pages) {
        press(u, ' ');
        ck_assert(!screen_has_quiet("Space") && !screen_has_quiet("Enter"));
        /* Nothing cut short mid-character (a help line's buffer). */
        ck_assert(!screen_has_quiet("<0x"));
    }
    /* The feed's English names, explained once at the end: 任期 for term=. */
    ck_assert(screen_has("RequestVote"));
    ck_assert(screen_has("\xe9\x80\x80\xe5\x87\xba\xef\xbc\x88\xe4\xbc\x9a\xe5\x85\x88"));
    check_rows_fit(80);
    ui_i18n_init("en");
    close_ui(u, r, l);
}
END_TEST

START_TEST(test_screen_language_from_environment)
{
    char tag[32];
    ui_i18n_normalize("zh_CN.UTF-8", tag, sizeof tag);
    ck_assert_str_eq(tag, "zh-CN");
    ui_i18n_normalize("zh", tag, sizeof tag);
    ck_assert_str_eq(tag, "zh-CN");
    ui_i18n_normalize("C.UTF-8", tag, sizeof tag);
    ck_assert_str_eq(tag, "en");
    ui_i18n_normalize("fr_FR@euro", tag, sizeof tag);
    ck_assert_str_eq(tag, "fr-FR");
    setenv("LANG", "zh_CN.UTF-8", 1);
    unsetenv("LC_ALL");
    unsetenv("LC_MESSAGES");
    unsetenv("LANGUAGE");
    ui_i18n_init(NULL);
    ck_assert_str_eq(ui_i18n_lang(), "zh-CN");
    setenv("LANGUAGE", "fr:en", 1);
    ui_i18n_init(NULL);
    ck_assert_str_eq(ui_i18n_lang(), "en"); /* no French strings: English */
    ck_assert_str_eq(ui_i18n_lesson_lang(), "fr");
    ui_i18n_init("en");
    ck_assert_str_eq(ui_i18n_lang(), "en");
    unsetenv("LANGUAGE");
    unsetenv("LANG");
}
END_TEST

/* A three-node view named S1..S3 for the model tests. */
static void small_view(struct view *v)
{
    view_init(v);
    v->protocol = PROTO_RAFT;
    v->n_nodes = 3;
    for (int i = 0; i < 3; i++) {
        snprintf(v->nodes[i].name, sizeof v->nodes[i].name, "S%d", i + 1);
        v->nodes[i].up = true;
    }
}

static bool grid_has(const struct ui_st_grid *g, const char *needle)
{
    char all[8192] = "";
    for (int y = 0; y < g->rows; y++) {
        char row[1024];
        ui_st_row_text(g, y, row, sizeof row);
        strncat(all, row, sizeof all - strlen(all) - 2);
        strcat(all, "\n");
    }
    bool ok = strstr(all, needle) != NULL;
    if (!ok)
        fprintf(stderr, "space-time grid lacks \"%s\":\n%s\n", needle, all);
    return ok;
}

/* The model from a hand-made feed: a delivery, a drop, a loss at the
 * sender, a message in flight, a timer and a crash, each on its row and in
 * its columns; nothing after the position shown; ASCII exactly. */
START_TEST(test_spacetime_model)
{
    struct feed f;
    feed_init(&f);
    static const char *const names[] = {"S1", "S2", "S3"};
    struct msg rv12 = {.type = MSG_REQUEST_VOTE, .from = 0, .to = 1, .u.rv.term = 2};
    struct msg rv13 = {.type = MSG_REQUEST_VOTE, .from = 0, .to = 2, .u.rv.term = 2};
    struct msg rvr21 = {.type = MSG_REQUEST_VOTE_REPLY, .from = 1, .to = 0, .u.rvr.term = 2};
    struct msg ae31 = {.type = MSG_APPEND_ENTRIES, .from = 2, .to = 0, .u.ae.term = 2};
#define LINE(time, node, kind, msg_id, nid, ...)                                                   \
    do {                                                                                           \
        struct note_arg a_[] = {__VA_ARGS__};                                                      \
        struct proto_note n_ = {.id = (nid), .n_args = sizeof a_ / sizeof a_[0]};                  \
        memcpy(n_.args, a_, sizeof a_);                                                            \
        feed_add_note(&f, time, node, kind, msg_id, &n_, names, 3);                                \
    } while (0)
    struct note_arg crash = note_phrase(NOTE_ACTION_CRASH);
    crash.aux = 1;
    f.pos = 1;
    LINE(0, 0, FEED_SEND, 1, NOTE_SIM_SENT, note_int(1), note_msg(&rv12), note_int(10));
    LINE(0, 0, FEED_SEND, 2, NOTE_SIM_SENT, note_int(2), note_msg(&rv13), note_int(10));
    f.pos = 2;
    LINE(10, 1, FEED_DELIVER, 1, NOTE_SIM_DELIVERED, note_int(1), note_msg(&rv12));
    feed_add(&f, 10, 1, FEED_NOTE, 0, "S2 grants its vote");
    LINE(10, 1, FEED_SEND, 3, NOTE_SIM_SENT, note_int(3), note_msg(&rvr21), note_int(20));
    f.pos = 3;
    LINE(10, -1, FEED_LOST, 2, NOTE_SIM_DROPPED, note_int(2), note_msg(&rv13));
    f.pos = 4;
    LINE(10, -1, FEED_ACTION, 0, NOTE_RUNNER_DO, crash, note_node(2));
    feed_add(&f, 10, 2, FEED_NOTE, 0, "S3 crashes");
    f.pos = 5;
    LINE(10, -1, FEED_ACTION, 0, NOTE_RUNNER_DO, crash, note_node(2));
    LINE(10, -1, FEED_INFO, 0, NOTE_SIM_ALREADY_DOWN, note_node(2));
    f.pos = 6;
    LINE(150, 2, FEED_LOST, 4, NOTE_SIM_LOST_UNREACHABLE, note_int(4), note_msg(&ae31),
         note_node(2), note_node(0));
    LINE(300, 0, FEED_TIMER, 0, NOTE_SIM_TIMER_FIRES, note_node(0));
    f.pos = 7;
    LINE(400, 1, FEED_DELIVER, 3, NOTE_SIM_DELIVERED, note_int(3), note_msg(&rvr21));
#undef LINE
    /* The lines are data: rendered when asked, as they read. */
    struct sbuf text;
    sbuf_init(&text);
    feed_text(&f, 0, &text);
    ck_assert_str_eq(text.s, "#1 RequestVote S1\xe2\x86\x92S2 term=2 last_log_index=0 "
                             "last_log_term=0 (due 10)");
    sbuf_reset(&text);
    feed_text(&f, 6, &text);
    ck_assert_str_eq(text.s, "do: crash S3");
    sbuf_free(&text);

    struct view v;
    small_view(&v);
    v.nodes[2].up = false;
    /* #3 is still in flight at position 6. */
    v.msgs = calloc(1, sizeof *v.msgs);
    v.msgs[0].id = 3;
    v.n_msgs = 1;
    struct ui_st_event ev[16];
    size_t older = 99;
    size_t n = ui_st_collect(&f, 6, &v, 0, ev, 16, &older);
    ck_assert_uint_eq(n, 6);
    ck_assert_uint_eq(older, 0);
    ck_assert_int_eq(ev[0].fate, UI_ST_DELIVERED);
    ck_assert_int_eq(ev[1].fate, UI_ST_IN_FLIGHT);
    ck_assert_int_eq(ev[2].fate, UI_ST_DROPPED);
    ck_assert_int_eq(ev[3].kind, UI_ST_CRASH); /* the second crash did nothing */
    ck_assert_int_eq(ev[4].fate, UI_ST_LOST_AT_SEND);
    ck_assert_int_eq(ev[5].kind, UI_ST_TIMER);
    ck_assert_int_eq(ev[5].node, 0);
    /* The last 2 events, one skipped: the crash and the loss. */
    n = ui_st_collect(&f, 6, &v, 1, ev, 2, &older);
    ck_assert_uint_eq(n, 2);
    ck_assert_uint_eq(older, 3);
    ck_assert_int_eq(ev[0].kind, UI_ST_CRASH);

    struct ui_st_grid g = {0};
    ui_st_build(&f, 6, &v, 0, 7, 40, false, &g);
    ck_assert_uint_eq(g.n_events, 6);
    ck_assert_uint_eq(g.n_lost, 2);
    char row[256];
    const char *want[] = {
        "          S1          S2          S3",     " 10       +---RV#1---->           |",
        "          <...RVR#3...+           |",      "          +---------RV#2---------x|",
        "          |           |           #crash", "150       |.........AE#4.........x+",
        "300       *timer      |           :",
    };
    bool same = true;
    for (int y = 0; y < 7; y++) {
        ui_st_row_text(&g, y, row, sizeof row);
        if (strcmp(row, want[y])) {
            fprintf(stderr, "row %d: \"%s\", not \"%s\"\n", y, row, want[y]);
            same = false;
        }
    }
    ck_assert(same);
    ck_assert_int_eq(g.node_x[0], 10);
    /* In Unicode: line characters, heads and the loss mark. */
    ui_st_build(&f, 6, &v, 0, 7, 40, true, &g);
    /* ├───RV#1────► */
    ck_assert(grid_has(&g, "\xe2\x94\x9c\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80RV#1\xe2\x94\x80"
                           "\xe2\x94\x80\xe2\x94\x80\xe2\x94\x80\xe2\x96\xba"));
    ck_assert(grid_has(&g, "\xe2\x9c\x97\xe2\x94\x82")); /* ✗│: dropped */
    ck_assert(grid_has(&g, "\xe2\x97\x84\xe2\x95\x8c")); /* ◄╌: in flight */
    ck_assert(grid_has(&g, "\xe2\x96\xbc"
                           "crash")); /* ▼crash */
    ck_assert(grid_has(&g, "\xe2\x97\x86"
                           "timer")); /* ◆timer */
    /* Position 2: only what had happened then (the send of #2 was still
     * in flight, but v says otherwise: only #3 is). */
    ui_st_build(&f, 2, &v, 0, 7, 40, false, &g);
    ck_assert_uint_eq(g.n_events, 2);
    /* Too narrow for a time gutter: the nodes keep their columns. */
    ui_st_build(&f, 6, &v, 0, 4, 7, false, &g);
    ck_assert_uint_eq(g.n_events, 3);
    ck_assert_int_eq(g.node_x[0], 1);
    ui_st_free(&g);
    view_free(&v);
    feed_free(&f);
}
END_TEST

/* The model on a real run (figure 8 after its first lesson steps): arrows
 * delivered and a message lost because S1 cannot reach S4. */
START_TEST(test_spacetime_model_figure8)
{
    struct lesson *l = load_scenario("raft-figure8.json");
    struct runner *r = runner_new(l);
    struct flow f;
    flow_init(&f, r);
    struct sbuf why;
    sbuf_init(&why);
    for (int i = 0; i < 6; i++)
        flow_continue(&f, &why);
    sbuf_free(&why);
    struct view v;
    view_init(&v);
    view_build(&v, r->h->cur);
    struct ui_st_grid g = {0};
    ui_st_build(&r->h->feed, r->h->pos, &v, 0, 30, 60, true, &g);
    ck_assert_uint_gt(g.n_events, 5);
    ck_assert_uint_gt(g.n_lost, 0);
    ck_assert(grid_has(&g, "S1"));
    ck_assert(grid_has(&g, "S5"));
    ck_assert(grid_has(&g, "\xe2\x9c\x97"));
    ck_assert(grid_has(&g, "\xe2\x96\xba") || grid_has(&g, "\xe2\x97\x84"));
    for (int k = 1; k < 5; k++)
        ck_assert_int_gt(g.node_x[k], g.node_x[k - 1]);
    ui_st_free(&g);
    view_free(&v);
    flow_free(&f);
    runner_free(r);
    lesson_free(l);
}
END_TEST

/* The screen column where needle starts on row y, or -1. */
static int column_of(int y, const char *needle)
{
    char row[1024];
    ui_read_row(y, row, sizeof row);
    char *p = strstr(row, needle);
    if (!p)
        return -1;
    *p = 0;
    return ui_text_width(row);
}

/* The row (from y0 on) whose text has needle, or -1. */
static int row_of(int y0, const char *needle)
{
    for (int y = y0; y < getmaxy(curscr); y++)
        if (column_of(y, needle) >= 0)
            return y;
    return -1;
}

static void cell_at(int y, int x, wchar_t *wc, attr_t *attr, short *pair)
{
    cchar_t cc;
    ck_assert_int_ne(mvwin_wch(curscr, y, x, &cc), ERR);
    wchar_t wcs[CCHARW_MAX + 1];
    getcchar(&cc, wcs, attr, pair, NULL);
    *wc = wcs[0];
}

static void spacetime_at(int rows, int cols)
{
    term_open(rows, cols);
    struct lesson *l = load_scenario("raft-figure8.json");
    struct runner *r;
    struct ui *u = open_lesson(l, &r);
    ck_assert(!screen_has_quiet("space-time"));
    for (int i = 0; i < 6; i++)
        press(u, 'g');
    press(u, 'v');
    ck_assert(u->spacetime);
    ck_assert_int_eq(u->focus, UI_SPACETIME);
    ck_assert(screen_has("6 space-time"));
    ck_assert(screen_has("lost"));
    /* The header names every node; arrows and a loss mark are drawn. */
    const struct ui_rect *sr = &u->lay.r[UI_SPACETIME];
    ck_assert_int_ge(column_of(sr->y + 1, "S5"), 0);
    ck_assert(screen_has("\xe2\x9c\x97"));
    ck_assert(screen_has("\xe2\x94\x9c\xe2\x94\x80"));
    bool head = false;
    for (int y = sr->y + 2; y < sr->y + sr->h - 1; y++)
        head = head || column_of(y, "\xe2\x96\xba") >= 0 || column_of(y, "\xe2\x97\x84") >= 0;
    ck_assert(head);
    check_rows_fit(cols);
    /* The help lists the key, in the table's words. */
    press(u, '?');
    while (!screen_has_quiet("space-time view on/off") && u->help_page + 1 < u->help_pages)
        press(u, ' ');
    ck_assert(screen_has("space-time view on/off"));
    press(u, 'x');
    /* Scrolling back in time and down again. */
    press(u, 'k');
    ck_assert_uint_eq(u->st_skip, 1);
    ck_assert(screen_has("\xe2\x86\x93"
                         "1")); /* ↓1 (newer) */
    press(u, 'j');
    ck_assert_uint_eq(u->st_skip, 0);
    /* Every panel has its number: 3 shows the logs (turning the view off
     * where it took their place), 6 the view again. */
    press(u, '3');
    ck_assert_int_eq(u->focus, UI_LOGS);
    ck_assert(screen_has("3 logs"));
    press(u, '6');
    ck_assert_int_eq(u->focus, UI_SPACETIME);
    ck_assert(screen_has("6 space-time"));
    /* Tab goes round the shown panels only. */
    for (int i = 0; i < 12; i++) {
        ui_key(u, '\t', false);
        ck_assert(ui_layout_shown(&u->lay, u->focus));
    }
    press(u, 'v');
    ck_assert(!u->spacetime);
    ck_assert(!screen_has_quiet("space-time"));
    ck_assert(screen_has("3 logs"));
    check_rows_fit(cols);
    close_ui(u, r, l);
}

START_TEST(test_screen_spacetime_80x24)
{
    spacetime_at(24, 80);
}
END_TEST

START_TEST(test_screen_spacetime_160x45)
{
    spacetime_at(45, 160);
    /* At 160x45 the logs and the view share the place under the cluster. */
    struct ui_layout l;
    ui_layout_full(45, 160, 5, 0, true, &l);
    ck_assert(ui_layout_shown(&l, UI_LOGS));
}
END_TEST

/* Figure 8 on a rows x cols screen after its first three steps: S5
 * crashed, S1-S4 cut, S1's timeout, whose RequestVote to S4 (#3) is lost
 * at once. */
static struct ui *figure8_after_loss(int rows, int cols, struct lesson **l, struct runner **r)
{
    term_open(rows, cols);
    *l = load_scenario("raft-figure8.json");
    struct ui *u = open_lesson(*l, r);
    press(u, 'g'); /* crash S5 */
    press(u, 'g'); /* cut S1-S4 */
    press(u, 'g'); /* timeout S1: its RequestVote to S4 is lost at once */
    return u;
}

/* A message lost in the last step stays listed, marked, for that step. */
START_TEST(test_screen_lost_messages_shown_one_step)
{
    struct lesson *l;
    struct runner *r;
    struct ui *u = figure8_after_loss(24, 80, &l, &r);
    ck_assert(screen_has("\xe2\x9c\x97#3   S1\xe2\x86\x92S4 RV  lost"));
    ck_assert(screen_has("#1   S1\xe2\x86\x92S2 RV"));
    press(u, ' '); /* one more event: the loss is history */
    ck_assert(!screen_has_quiet("#3   S1"));
    /* Back one step: it is listed again. */
    press(u, 'b');
    ck_assert(screen_has("#3   S1\xe2\x86\x92S4 RV  lost"));
    close_ui(u, r, l);
}
END_TEST

/* The lost row's reason comes from the note, in the interface language:
 * "lost: S1 cannot reach S4" in English, "丢失：S1 无法到达 S4" in Chinese
 * (it was cut out of the English words, so a Chinese row had none). */
START_TEST(test_screen_lost_reason_translated)
{
    for (int zh = 0; zh < 2; zh++) {
        ui_i18n_init(zh ? "zh-CN" : "en");
        struct lesson *l;
        struct runner *r;
        struct ui *u = figure8_after_loss(45, 160, &l, &r);
        if (zh) {
            ck_assert(screen_has("RequestVote  \xe4\xb8\xa2\xe5\xa4\xb1\xef\xbc\x9a"
                                 "S1 \xe6\x97\xa0\xe6\xb3\x95\xe5\x88\xb0\xe8\xbe\xbe S4"));
            ck_assert(!screen_has_quiet("cannot reach"));
        } else {
            ck_assert(screen_has("RequestVote  lost: S1 cannot reach S4"));
        }
        close_ui(u, r, l);
    }
    ui_i18n_init("en");
}
END_TEST

/* --mouse: a click selects a node card or a message; a second click on
 * the selected message (or a double click) delivers it. */
START_TEST(test_screen_mouse_clicks)
{
    term_open(24, 80);
    struct lesson *l = load_scenario("raft-figure8.json");
    struct runner *r = runner_new(l);
    struct ui_options o = {.mouse = true};
    struct ui *u = ui_new(r, &o);
    ui_relayout(u);
    ui_draw(u);
    for (int i = 0; i < 3; i++)
        press(u, 'g');
    const struct ui_rect *cr = &u->lay.r[UI_CLUSTER], *mr = &u->lay.r[UI_MESSAGES];
    ui_click(u, cr->y + 1 + 2 * u->lay.card_rows, cr->x + 5, false);
    ui_draw(u);
    ck_assert_int_eq(u->node_cur, 2);
    ck_assert_int_eq(u->focus, UI_CLUSTER);
    size_t pos = r->h->pos;
    ui_click(u, mr->y + 2, mr->x + 5, false); /* the second pending message */
    ui_draw(u);
    ck_assert_int_eq(u->focus, UI_MESSAGES);
    ck_assert_uint_eq(u->msg_cur, u->view.msgs[1].id);
    uint64_t id = u->msg_cur;
    ck_assert_uint_eq(r->h->pos, pos);
    ui_click(u, mr->y + 2, mr->x + 5, false); /* again: delivered */
    ui_draw(u);
    ck_assert_uint_eq(r->h->pos, pos + 1);
    ck_assert_int_lt(view_find_msg(&u->view, id), 0);
    ui_click(u, mr->y + 1, mr->x + 5, true); /* a double click delivers at once */
    ui_draw(u);
    ck_assert_uint_eq(r->h->pos, pos + 2);
    /* Outside any panel's inside: nothing. */
    ui_click(u, 0, 0, true);
    ck_assert_uint_eq(r->h->pos, pos + 2);
    close_ui(u, r, l);
}
END_TEST

/* A field changed by the last step is drawn with the changed role's
 * attribute, in color and in the monochrome scheme; without color the
 * roles still read by their letters (and the letter is reversed). */
static void changed_field(bool color)
{
    term_open(24, 80);
    if (!color)
        setenv("NO_COLOR", "1", 1);
    struct lesson *l;
    struct runner *r;
    struct ui *u = open_ui(quiz_lesson, &l, &r);
    unsetenv("NO_COLOR");
    ck_assert_int_eq(u->colors, color);
    press(u, 'g'); /* the first quiz */
    press(u, '2'); /* answered */
    press(u, 'g'); /* the predict quiz */
    press(u, '2'); /* S2 */
    press(u, 'g'); /* the run: S2 becomes a candidate of term 1 */
    ck_assert(screen_has("S2 C"));
    ck_assert(screen_has("S1 F"));
    int y2 = row_of(1, "S2 C"), y1 = row_of(1, "S1 F");
    ck_assert_int_ge(y2, 0);
    ck_assert_int_ge(y1, 0);
    int x2 = column_of(y2, " t1 ") + 2, x1 = column_of(y1, " t0 ") + 2;
    ck_assert_int_gt(x2, 2);
    ck_assert_int_gt(x1, 2);
    wchar_t wc;
    attr_t a, want = ui_attr(u, UI_R_CHANGED);
    short pair;
    cell_at(y2, x2, &wc, &a, &pair);
    ck_assert_int_eq(wc, L'1');
    if (color) {
        ck_assert_int_eq(pair, UI_R_CHANGED);
        ck_assert(a & A_BOLD);
    } else {
        ck_assert_int_eq(pair, 0);
        ck_assert((a & want & ~A_COLOR) == (want & ~A_COLOR));
        ck_assert(a & A_UNDERLINE);
    }
    /* S1's term did not change: plain. */
    cell_at(y1, x1, &wc, &a, &pair);
    ck_assert_int_eq(wc, L'0');
    ck_assert_int_ne(pair, UI_R_CHANGED);
    ck_assert(!(a & A_UNDERLINE));
    /* The role letter: C for S2, F for S1, reversed without color. */
    int lx = column_of(y2, "S2 C") + 3;
    cell_at(y2, lx, &wc, &a, &pair);
    ck_assert_int_eq(wc, L'C');
    if (!color)
        ck_assert(a & A_REVERSE);
    close_ui(u, r, l);
}

START_TEST(test_screen_changed_field_color)
{
    changed_field(true);
}
END_TEST

START_TEST(test_screen_changed_field_no_color)
{
    changed_field(false);
}
END_TEST

/* The hint line: the screen's last row. */
static bool hint_row_has(const char *needle)
{
    char row[1024];
    ui_read_row(getmaxy(curscr) - 1, row, sizeof row);
    return strstr(row, needle) != NULL;
}

/* Issue 11: "Continue means continue: at a narration, Space, Enter and g
 * go on; at a quiz, the number keys answer and Enter submits" and the hint
 * line is always true: no "Space step" beside continue, no "Enter
 * deliver" while Enter does something else. */
START_TEST(test_screen_continue_means_continue)
{
    term_open(24, 80);
    struct lesson *l;
    struct runner *r;
    struct ui *u = open_ui(quiz_lesson, &l, &r);
    ck_assert(hint_row_has("Space/Enter/g continue"));
    ck_assert(!hint_row_has("Space step"));
    ck_assert(!hint_row_has("deliver"));
    /* Enter at a narration continues, even with the messages focused. */
    press(u, '2');
    press(u, '\n');
    ck_assert(screen_has("step 2/6"));
    ck_assert(screen_has("history 0/0"));
    /* At the quiz Space, Enter and g step nothing and answer nothing. */
    ck_assert(hint_row_has("1-4 answer"));
    ck_assert(!hint_row_has("Space"));
    press(u, ' ');
    press(u, '\n');
    press(u, 'g');
    ck_assert_int_eq(u->flow.state, FLOW_QUIZ);
    ck_assert(screen_has("history 0/0"));
    press(u, '2');
    press(u, ' ');
    /* Four Spaces at the predict quiz run nothing ahead: no warning. */
    ck_assert(screen_has("Which server becomes a candidate first?"));
    for (int i = 0; i < 4; i++)
        press(u, ' ');
    ck_assert(screen_has("history 0/0"));
    press(u, '2');
    ck_assert(hint_row_has("Space/Enter/g watch it happen"));
    press(u, ' ');
    ck_assert(screen_has("Right!"));
    ck_assert(!screen_has_quiet("expected something else"));
    close_ui(u, r, l);
}
END_TEST

static const char *picks_lesson = "{\"format\": 1, \"id\": \"picks-test\", \"title\": \"Picks\", "
                                  "\"protocol\": \"raft\", "
                                  "\"cluster\": {\"nodes\": 3},"
                                  " \"steps\": ["
                                  "  {\"quiz\": {\"kind\": \"choice\", \"question\": \"First?\", "
                                  "\"choices\": [\"one\","
                                  " \"two\", \"three\"], \"answer\": 2}},"
                                  "  {\"quiz\": {\"kind\": \"choice\", \"question\": \"Second?\", "
                                  "\"choices\": [\"alpha\","
                                  " \"beta\", \"gamma\"], \"answer\": [0, 1]}},"
                                  "  {\"say\": \"The end.\"}]}";

/* Issue 11: "Quiz state belongs to its quiz: picks start empty at every
 * quiz and stay visible after a wrong try." */
START_TEST(test_screen_quiz_picks_belong_to_their_quiz)
{
    term_open(24, 80);
    struct lesson *l;
    struct runner *r;
    struct ui *u = open_ui(picks_lesson, &l, &r);
    press(u, '3'); /* the first quiz, right */
    ck_assert(screen_has("Right!"));
    press(u, 'g');
    ck_assert(screen_has("Second?"));
    /* No pick of the first quiz shows at the second. */
    ck_assert(!screen_has_quiet("\xe2\x96\xb8 3)"));
    ck_assert(!screen_has_quiet("\xe2\x96\xb8 1)"));
    ck_assert(screen_has("   3) gamma"));
    press(u, '1');
    press(u, '3');
    ck_assert(hint_row_has("Enter submit"));
    press(u, '\n'); /* wrong: 1 and 3 */
    ck_assert_int_eq(u->flow.state, FLOW_QUIZ);
    ck_assert(screen_has("* 1) alpha"));
    ck_assert(screen_has("* 3) gamma"));
    ck_assert(hint_row_has("g show the answer"));
    close_ui(u, r, l);
}
END_TEST

static const char *partition_lesson =
    "{\"format\": 1, \"id\": \"heal-test\", \"title\": \"Heal\", \"protocol\": "
    "\"raft\", "
    "\"cluster\": {\"nodes\": 3},"
    " \"steps\": [{\"do\": \"partition\", \"groups\": [[\"S1\"], [\"S2\", "
    "\"S3\"]]},"
    "  {\"say\": \"S1 is cut off.\"}]}";

/* Issue 11: "h, j, k, l are navigation only, never a network action; a
 * destructive action that undoes a lesson's setup (heal, ...) asks first". */
START_TEST(test_screen_heal_asks_and_h_only_moves)
{
    term_open(30, 100);
    struct lesson *l;
    struct runner *r;
    struct ui *u = open_ui(partition_lesson, &l, &r);
    press(u, 'g');
    ck_assert(screen_has("S1 is cut off."));
    ui_update_view(u);
    ck_assert(u->view.partitioned);
    press(u, 'h');
    press(u, 'l');
    ui_update_view(u);
    ck_assert(u->view.partitioned);
    press(u, 'u');
    ck_assert(hint_row_has("Heal the network?"));
    ck_assert(hint_row_has("y yes  n no"));
    press(u, 'n');
    ui_update_view(u);
    ck_assert(u->view.partitioned);
    press(u, 'u');
    press(u, 'y');
    ui_update_view(u);
    ck_assert(!u->view.partitioned);
    close_ui(u, r, l);
}
END_TEST

/* Issue 11: "n means step again after Esc ends a search". */
START_TEST(test_screen_esc_ends_search_then_n_steps)
{
    term_open(30, 100);
    struct lesson *l = load_scenario("raft-figure8.json");
    struct runner *r;
    struct ui *u = open_lesson(l, &r);
    press(u, 'g');
    snprintf(u->search, sizeof u->search, "crash");
    u->search_hit = -1;
    size_t pos = r->h->pos;
    press(u, 'n'); /* a search is on: n finds */
    ck_assert_uint_eq(r->h->pos, pos);
    press(u, 27);
    ck_assert_str_eq(u->search, "");
    press(u, 'n'); /* no search: n steps */
    ck_assert_uint_eq(r->h->pos, pos + 1);
    close_ui(u, r, l);
}
END_TEST

/* Issue 11: "the Multi-Paxos slot cell shows accepted and learned as
 * different things (a node's learned value where it knows one, marked
 * so)": a learned cell is "✓value", never an accepted "value@ballot"
 * under the learned mark. */
START_TEST(test_screen_slot_learned_is_not_accepted)
{
    term_open(40, 120);
    struct lesson *l = load_scenario("multi-paxos-leader-change.json");
    struct runner *r;
    struct ui *u = open_lesson(l, &r);
    for (int i = 0; i < 200 && u->flow.state != FLOW_END; i++)
        press(u, 'g');
    ck_assert_int_eq(u->flow.state, FLOW_END);
    size_t learned = 0;
    for (int i = 0; i < u->view.n_nodes; i++)
        for (size_t k = 0; k < u->view.nodes[i].n_cells; k++) {
            const struct view_cell *c = &u->view.nodes[i].cells[k];
            if (!c->learned)
                continue;
            learned++;
            char want[80];
            snprintf(want, sizeof want, "\xe2\x9c\x93%s", c->learned);
            ck_assert(screen_has(want));
        }
    ck_assert_uint_gt(learned, 0);
    char *all = screen_text();
    for (const char *p = strstr(all, "\xe2\x9c\x93"); p; p = strstr(p + 3, "\xe2\x9c\x93")) {
        const char *end = strpbrk(p + 3, " \xe2\n");
        const char *at = strchr(p + 3, '@');
        ck_assert_msg(!at || (end && at > end), "a learned mark on an accepted value: %.20s", p);
    }
    free(all);
    close_ui(u, r, l);
}
END_TEST

/* In Paxos r proposes (the lesson format's propose): the hint line says
 * "r propose" there and "r request" in Raft. */
START_TEST(test_screen_r_says_propose_in_paxos)
{
    term_open(40, 160);
    struct lesson *l = load_scenario("multi-paxos-leader-change.json");
    struct runner *r;
    struct ui *u = open_lesson(l, &r);
    for (int i = 0; i < 200 && u->flow.state != FLOW_END; i++)
        press(u, 'g');
    ui_draw(u);
    ck_assert(screen_has("r propose"));
    ck_assert(!screen_has("r request"));
    close_ui(u, r, l);
}
END_TEST

/* A narrow status line with a violation and kept branches: the branch
 * count gives way whole, never cut under the invariant's text (it read
 * "1 other branch kept ( leader S3 of term 4 lacks..."). */
START_TEST(test_screen_status_line_narrow_never_overlaps)
{
    term_open(16, 100);
    struct lesson *l = load_scenario("lab-paxos-ignore-promised-values.json");
    struct runner *r;
    struct ui *u = open_lesson(l, &r);
    u->flow.stop = NULL;
    press(u, 'g'); /* the explore step: what it finds is a branch to step through */
    while (r->h->pos < r->h->n_ops)
        press(u, 'f');
    ck_assert(u->view.violated);
    press(u, 'b');
    press(u, 'c'); /* acting in the past keeps the found schedule as a branch */
    press(u, 'B');
    ck_assert(u->view.violated);
    ck_assert_uint_ge(r->h->n_branches, 1);
    for (int cols = 100; cols >= 60; cols -= 10) {
        resizeterm(16, cols);
        ui_key(u, KEY_RESIZE, true);
        ui_draw(u);
        char row[1024];
        ui_read_row(0, row, sizeof row);
        const char *kept = strstr(row, "kept");
        ck_assert_msg(!kept || strstr(row, "kept (B)"), "%d columns: %s", cols, row);
        ck_assert_msg(strstr(row, "history "), "%d columns: %s", cols, row);
    }
    close_ui(u, r, l);
}
END_TEST

/* g at the end says what is left to do: export, leave. */
START_TEST(test_screen_g_at_the_end_says_what_is_left)
{
    term_open(40, 160);
    struct lesson *l = load_scenario("raft-figure8.json");
    struct runner *r;
    struct ui *u = open_lesson(l, &r);
    for (int i = 0; i < 400 && u->flow.state != FLOW_END; i++)
        press(u, u->flow.state == FLOW_QUIZ ? '1' : 'g');
    ck_assert_int_eq(u->flow.state, FLOW_END);
    press(u, 'g');
    ui_draw(u);
    ck_assert(screen_has("the lesson is over: e exports your transcript, q leaves it"));
    close_ui(u, r, l);
}
END_TEST

/* E before the lesson's explore step is no silent key: it says where the
 * explorer runs. */
START_TEST(test_screen_explore_key_elsewhere_says_where)
{
    term_open(40, 160);
    struct lesson *l = load_scenario("raft-figure8.json");
    struct runner *r;
    struct ui *u = open_lesson(l, &r);
    size_t pos = r->h->pos;
    press(u, 'E');
    ui_draw(u);
    ck_assert(screen_has("the explorer runs at a lesson's explore step"));
    ck_assert_uint_eq(r->h->pos, pos);
    close_ui(u, r, l);
}
END_TEST

/* The panel's text without any space: Chinese wraps between characters,
 * where lesson_has would put one. */
static bool lesson_has_unspaced(const struct ui *u, const char *needle)
{
    const struct ui_rect *lr = &u->lay.r[UI_LESSON];
    char all[8192] = "", want[512];
    size_t n = 0, k = 0;
    for (int y = lr->y + 1; y < lr->y + lr->h - 1; y++) {
        char row[1024];
        ui_read_row(y, row, sizeof row);
        for (const char *p = row; *p && n + 1 < sizeof all; p++)
            if (*p != ' ')
                all[n++] = *p;
    }
    all[n] = 0;
    for (const char *p = needle; *p && k + 1 < sizeof want; p++)
        if (*p != ' ')
            want[k++] = *p;
    want[k] = 0;
    return strstr(all, want) != NULL;
}

/* Where the explorer found nothing, the lesson says so and names only g:
 * no "f steps through what it found" (there is nothing to step through),
 * in English and in Chinese; where it found a schedule, f and b are named. */
START_TEST(test_screen_explore_none_names_only_g)
{
    static const char *const langs[] = {"en", "zh-CN"};
    static const char *const none[] = {
        "nothing was found, so there is nothing to step through: g goes on",
        /* 什么也没有找到，所以没有可以一步步走过的调度：按 g 继续课程 */
        "\xe4\xbb\x80\xe4\xb9\x88\xe4\xb9\x9f\xe6\xb2\xa1\xe6\x9c\x89\xe6\x89\xbe"
        "\xe5\x88\xb0\xef"
        "\xbc\x8c\xe6\x89\x80\xe4\xbb\xa5\xe6\xb2\xa1\xe6\x9c\x89\xe5\x8f\xaf\xe4"
        "\xbb\xa5\xe4\xb8"
        "\x80\xe6\xad\xa5\xe6\xad\xa5\xe8\xb5\xb0\xe8\xbf\x87\xe7\x9a\x84\xe8\xb0"
        "\x83\xe5\xba\xa6"
        "\xef\xbc\x9a\xe6\x8c\x89 g "
        "\xe7\xbb\xa7\xe7\xbb\xad\xe8\xaf\xbe\xe7\xa8\x8b"};
    static const char *const through[] = {
        "f steps through what it found",
        /* 按 f 一步步走过找到的调度 */
        "\xe6\x8c\x89 f "
        "\xe4\xb8\x80\xe6\xad\xa5\xe6\xad\xa5\xe8\xb5\xb0\xe8\xbf\x87\xe6\x89\xbe"
        "\xe5\x88\xb0\xe7\x9a\x84\xe8\xb0\x83\xe5\xba\xa6"};
    for (int i = 0; i < 2; i++) {
        ui_i18n_init(langs[i]);
        term_open(40, 160);
        struct lesson *l = load_scenario("lab-nobug-raft-volatile-vote.json");
        struct runner *r;
        struct ui *u = open_lesson(l, &r);
        u->flow.stop = NULL; /* no keyboard here: /dev/null reads as a key */
        press(u, 'g');       /* the explore step: g runs the search */
        ck_assert_int_eq(u->flow.state, FLOW_EXPLORED);
        ck_assert_msg(lesson_has_unspaced(u, none[i]), "%s: no 'nothing to step through'",
                      langs[i]);
        ck_assert_msg(!lesson_has_unspaced(u, through[i]), "%s: f named after none", langs[i]);
        close_ui(u, r, l);
        term_open(40, 160);
        l = load_scenario("lab-paxos-ignore-promised-values.json");
        u = open_lesson(l, &r);
        u->flow.stop = NULL;
        press(u, 'g');
        ck_assert_int_eq(u->flow.state, FLOW_EXPLORED);
        ck_assert_msg(lesson_has_unspaced(u, through[i]), "%s: f not named after found", langs[i]);
        ck_assert_msg(!lesson_has_unspaced(u, none[i]), "%s: 'nothing' after found", langs[i]);
        close_ui(u, r, l);
    }
    ui_i18n_init("en");
}
END_TEST

/* §7 on screen: the log panel marks where each snapshot ends ("snapshot ≤4
 * (t1)", or the short "≤3 t1" where the cells are narrow) before the first
 * kept entry, which is still drawn; the cards show the snapshot index. */
START_TEST(test_screen_snapshot_boundary)
{
    term_open(45, 160);
    struct lesson *l = load_scenario("raft-snapshot-keep-suffix.json");
    struct runner *r;
    struct ui *u = open_lesson(l, &r);
    for (int i = 0; i < 200 && u->flow.state != FLOW_END; i++)
        press(u, 'g');
    ck_assert_int_eq(u->flow.state, FLOW_END);
    ck_assert_int_eq(u->view.nodes[0].snapshot_index, 4);
    ck_assert_int_eq(u->view.nodes[2].snapshot_index, 3);
    ck_assert(u->view.nodes[2].cells[2].compacted);
    ck_assert(!u->view.nodes[2].cells[3].compacted);
    ck_assert_str_eq(u->view.nodes[2].cells[0].text, "a"); /* from the snapshot's state */
    ck_assert(screen_has("snapshot \xe2\x89\xa4"
                         "4 (t1)"));
    ck_assert(screen_has("\xe2\x89\xa4"
                         "3 t1"));
    ck_assert(screen_has("\xe2\x9c\x93"
                         "1:d"));
    ck_assert(screen_has("log 4, applied 4, snapshot \xe2\x89\xa4"
                         "3"));
    /* S2 took no snapshot: its whole log is drawn. */
    ck_assert(screen_has("S2 \xe2\x9c\x93"
                         "1:a \xe2\x9c\x93"
                         "1:b \xe2\x9c\x93"
                         "1:c"));
    close_ui(u, r, l);
}
END_TEST

/* A prediction that a goal follows: the learner makes it happen, so "g"
 * reveals the answer and does not promise a run. */
START_TEST(test_screen_predict_before_a_goal_promises_no_run)
{
    static const char *lesson =
        "{\"format\": 1, \"id\": \"predict-goal\", \"title\": \"t\", \"protocol\": \"raft\","
        " \"cluster\": {\"nodes\": 3},"
        " \"steps\": ["
        "  {\"quiz\": {\"kind\": \"predict\", \"question\": \"Who leads first?\","
        "   \"choices\": [\"S1\", \"S2\"], \"facts\": [{\"node\": \"S1\", \"role\": \"leader\"},"
        "   {\"node\": \"S2\", \"role\": \"leader\"}], \"within\": 1000}},"
        "  {\"goal\": {\"text\": \"Make S3 a candidate.\","
        "   \"until\": {\"node\": \"S3\", \"role\": \"candidate\"},"
        "   \"solution\": [{\"do\": \"timeout\", \"node\": \"S3\"}]}}]}";
    term_open(24, 80);
    struct lesson *l;
    struct runner *r;
    struct ui *u = open_ui(lesson, &l, &r);
    press(u, '1');
    ck_assert(screen_has("You predict: S1."));
    ck_assert(lesson_has(u, "g: see the answer."));
    ck_assert(!screen_has_quiet("watch what happens"));
    press(u, 'g');
    ck_assert_int_ne(u->flow.state, FLOW_PREDICTED);
    close_ui(u, r, l);
}
END_TEST

/* A later digit at a predict quiz replaces the pick (the lesson has not
 * run on yet), and a digit past the choices says which digits are. */
START_TEST(test_screen_predict_later_digit_replaces_the_pick)
{
    term_open(24, 80);
    struct lesson *l;
    struct runner *r;
    struct ui *u = open_ui(quiz_lesson, &l, &r);
    press(u, 'g');
    press(u, '5'); /* four choices */
    ck_assert(hint_row_has("only 1-4 are choices"));
    ck_assert_int_eq(u->flow.state, FLOW_QUIZ);
    press(u, '2');
    press(u, 'g');
    ck_assert(screen_has("Which server becomes a candidate first?"));
    press(u, '3');
    ck_assert(screen_has("You predict: S3."));
    press(u, '2');
    ck_assert(screen_has("You predict: S2."));
    ck_assert_int_eq(u->flow.state, FLOW_PREDICTED);
    ck_assert(screen_has("1-4 change the pick"));
    press(u, 'g');
    ck_assert(screen_has("Right!"));
    ck_assert(screen_has("score 2/2"));
    /* The inputs replayed give the same verdict: the later pick counts. */
    struct runner *r2 = runner_new(l);
    struct flow g;
    flow_init(&g, r2);
    ck_assert_uint_eq(flow_replay(&g, u->flow.inputs.s), u->flow.n_inputs);
    ck_assert_int_eq(g.state, FLOW_ANSWERED);
    ck_assert(g.right);
    ck_assert_int_eq(g.score.earned, u->flow.score.earned);
    ck_assert_int_eq(g.score.of, u->flow.score.of);
    flow_free(&g);
    runner_free(r2);
    close_ui(u, r, l);
}
END_TEST

/* At 100 columns the hint line after a wrong answer keeps its way out:
 * what does not fit goes first, never q quit. */
START_TEST(test_screen_retry_hint_keeps_quit_at_100)
{
    term_open(30, 100);
    struct lesson *l;
    struct runner *r;
    struct ui *u = open_ui(quiz_lesson, &l, &r);
    press(u, 'g');
    press(u, '1'); /* wrong: one more try */
    ck_assert_int_eq(u->flow.state, FLOW_QUIZ);
    ck_assert(hint_row_has("? help"));
    ck_assert(hint_row_has("g show the answer"));
    ck_assert(hint_row_has("q quit"));
    for (int cols = 60; cols <= 120; cols += 10) {
        resizeterm(30, cols);
        ui_key(u, KEY_RESIZE, true);
        ui_draw(u);
        ck_assert_msg(hint_row_has("q quit"), "no q quit at %d columns", cols);
    }
    close_ui(u, r, l);
}
END_TEST

static const char *long_choice_lesson =
    "{\"format\": 1, \"id\": \"long-choice\", \"title\": \"Long\", "
    "\"protocol\": \"raft\", "
    "\"cluster\": {\"nodes\": 3},"
    " \"steps\": ["
    "  {\"quiz\": {\"kind\": \"choice\", \"question\": \"Which?\", "
    "\"choices\": [\"a very long"
    " choice that goes on and on about terms and votes and logs until it wraps "
    "onto the next"
    " line of the panel\", \"short\"], \"answer\": 1}},"
    "  {\"say\": \"The end.\"}]}";

/* A long choice wraps with a hanging indent: its later lines start under
 * its text, not under the number. */
START_TEST(test_screen_long_choice_wraps_under_its_text)
{
    term_open(24, 80);
    struct lesson *l;
    struct runner *r;
    struct ui *u = open_ui(long_choice_lesson, &l, &r);
    const struct ui_rect *lr = &u->lay.r[UI_LESSON];
    int first = -1;
    for (int y = lr->y + 1; y < lr->y + lr->h - 1 && first < 0; y++) {
        char row[1024];
        ui_read_row(y, row, sizeof row);
        if (strstr(row, "1) a very long"))
            first = y;
    }
    ck_assert_int_ge(first, 0);
    char row[1024], next[1024];
    ui_read_row(first, row, sizeof row);
    ui_read_row(first + 1, next, sizeof next);
    int text_col = (int)(strstr(row, "a very long") - row);
    ck_assert_msg(strlen(next) > (size_t)text_col + 1, "no continuation row: \"%s\"", next);
    for (int x = 1; x < text_col; x++)
        ck_assert_msg(next[x] == ' ', "continuation \"%s\" not indented to column %d", next,
                      text_col);
    ck_assert_msg(next[text_col] != ' ', "continuation \"%s\" starts past column %d", next,
                  text_col);
    ck_assert(screen_has("2) short"));
    check_rows_fit(80);
    close_ui(u, r, l);
}
END_TEST

/* Keys typed as if at the terminal, for the next wget_wch calls (a prompt,
 * the resume box): ncurses returns pushed keys last in, first out. */
static void queue_keys(const char *keys)
{
    for (size_t i = strlen(keys); i-- > 0;)
        unget_wch((wchar_t)(unsigned char)keys[i]);
}

/* A newcomer searched for text that matched nothing and saw the previous
 * search's title and marked line as if they were the answer: a search that
 * matches nothing says so (in the interface language) and leaves the view
 * where it was: the feed's scroll, the focus, the history position. */
START_TEST(test_screen_search_matching_nothing_says_so_and_stays)
{
    term_open(30, 100);
    struct lesson *l = load_scenario("raft-figure8.json");
    struct runner *r;
    struct ui *u = open_lesson(l, &r);
    press(u, 'g');
    press(u, 'g');
    press(u, 'g');
    press(u, 'n');
    queue_keys("crashes\n");
    press(u, '/');
    ck_assert_int_ge(u->search_hit, 0);
    ck_assert(screen_has("/crashes"));
    press(u, '1'); /* the cluster panel: the focus must stay there */
    size_t back = u->feed_back, pos = r->h->pos;
    ck_assert_uint_gt(back, 0); /* the hit scrolled the feed up */
    queue_keys("zzzz\n");
    press(u, '/');
    ck_assert_msg(hint_row_has("nothing in the feed matches \"zzzz\""),
                  "the hint line does not say nothing matched");
    ck_assert_int_eq(u->search_hit, -1); /* no line marked as a match */
    ck_assert(!screen_has_quiet("/crashes"));
    ck_assert_uint_eq(u->feed_back, back);
    ck_assert_int_eq(u->focus, UI_CLUSTER);
    ck_assert_uint_eq(r->h->pos, pos);
    /* n looks again and says the same; it steps nothing. */
    press(u, 'n');
    ck_assert(hint_row_has("nothing in the feed matches \"zzzz\""));
    ck_assert_uint_eq(r->h->pos, pos);
    /* With an empty feed too (nothing shown yet), in Chinese: 事件中没有与“zzzz”匹配的内容. */
    ui_i18n_init("zh-CN");
    press(u, 'b');
    press(u, 'b');
    press(u, 'b');
    press(u, 'b');
    ck_assert_uint_eq(r->h->pos, 0);
    ui_search_start(u, "zzzz");
    ui_draw(u);
    ck_assert_msg(hint_row_has("\xe4\xba\x8b\xe4\xbb\xb6\xe4\xb8\xad\xe6\xb2\xa1"
                               "\xe6\x9c\x89\xe4\xb8\x8e\xe2\x80\x9czzzz\xe2\x80"
                               "\x9d\xe5\x8c\xb9\xe9\x85\x8d\xe7\x9a\x84\xe5\x86"
                               "\x85\xe5\xae\xb9"),
                  "no Chinese nothing-matched line");
    ui_i18n_init("en");
    close_ui(u, r, l);
}
END_TEST

/* The resume box (a lesson reopened with saved progress) ignored other
 * keys and a newcomer thought the program frozen: such a key says that it
 * does nothing and names the box's keys, and changes nothing; y then
 * resumes where the lesson was left. */
START_TEST(test_screen_resume_box_names_its_keys_on_another)
{
    char dir[] = "/tmp/check-screen-resume.XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    setenv("XDG_STATE_HOME", dir, 1);
    term_open(24, 80);
    struct lesson *l = load_scenario("raft-figure8.json");
    struct runner *r;
    struct ui *u = open_lesson(l, &r);
    ui_progress_open(u);
    press(u, 'g');
    press(u, 'g');
    ui_progress_save(u);
    size_t step = r->step;
    ck_assert_uint_gt(step, 0);
    ui_free(u);
    runner_free(r);
    r = NULL;
    u = open_lesson(l, &r);
    queue_keys("xqy"); /* two keys the box does not take, then y */
    ui_progress_open(u);
    /* The box's last frame, before the screen is drawn again. */
    ck_assert(screen_has("that key does nothing here: Enter/y resume  n/Esc start over"));
    ck_assert(screen_has("Resume where you left off"));
    ck_assert_uint_eq(r->step, step); /* y resumed; x and q did nothing */
    ui_draw(u);
    ck_assert(!screen_has_quiet("that key does nothing here"));
    ui_free(u);
    runner_free(r);
    lesson_free(l);
    term_close();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* The row of the screen holding needle (-1: none). */
static int row_with(const char *needle)
{
    for (int y = 0; y < getmaxy(curscr); y++) {
        char row[1024];
        ui_read_row(y, row, sizeof row);
        if (strstr(row, needle))
            return y;
    }
    return -1;
}

#define FOCUS_MARK "\xe2\x96\xb6"
#define PICK "\xe2\x96\xb8"
#define PICK_IDLE "\xe2\x96\xb9"

/* The panel titled `on` has the focus mark and its selection `on_row` the
 * hot mark; the panel `off` has neither, its selection the idle mark. */
static void focus_shown(const char *focus, const char *hot, const char *idle, const char *on,
                        const char *off, const char *on_row, const char *off_row)
{
    char want[64];
    snprintf(want, sizeof want, "%s%s", focus, on);
    ck_assert(screen_has(want));
    snprintf(want, sizeof want, "%s%s", focus, off);
    ck_assert(!screen_has_quiet(want));
    snprintf(want, sizeof want, "%s%s", hot, on_row);
    ck_assert(screen_has(want));
    snprintf(want, sizeof want, "%s%s", idle, off_row);
    ck_assert(screen_has(want));
}

/* A newcomer pressed the arrows in the cluster panel and Enter delivered
 * another message than they had picked, with two ▸ marks on screen and no
 * sign of which panel had the focus: the focused panel's title says so
 * with a mark (in ASCII too), and only its selection has the ▸; the other
 * panel's selection, which its keys still act on, is marked ▹. */
START_TEST(test_screen_focus_is_marked_and_one_selection_is_hot)
{
    for (int ascii = 0; ascii < 2; ascii++) {
        term_open(30, 100);
        struct lesson *l;
        struct runner *r;
        struct lesson_errors errs;
        lesson_errors_init(&errs);
        ck_assert_int_eq(lesson_sandbox("raft", 3, 1, false, &l, &errs), 0);
        lesson_errors_free(&errs);
        r = runner_new(l);
        struct ui_options o = {.ascii = ascii, .no_color = true};
        struct ui *u = ui_new(r, &o);
        ui_relayout(u);
        queue_keys("run 200\n");
        press(u, ':');
        ui_update_view(u);
        ck_assert_uint_gt(u->view.n_msgs, 0);
        const char *focus = ascii ? ">> " : FOCUS_MARK " ";
        const char *hot = ascii ? ">" : PICK, *idle = ascii ? "-" : PICK_IDLE;
        /* At first the messages have the focus; 1: the cluster has it, and
         * the marks change places. */
        focus_shown(focus, hot, idle, "2 messages", "1 cluster", "#", "S1 ");
        press(u, '1');
        focus_shown(focus, hot, idle, "1 cluster", "2 messages", "S1 ", "#");
        /* The arrows move the selection of the focused panel only. */
        uint64_t msg = u->msg_cur;
        press(u, 'j');
        ck_assert_int_eq(u->node_cur, 1);
        ck_assert_uint_eq(u->msg_cur, msg);
        char want[64];
        snprintf(want, sizeof want, "%sS2 ", hot);
        ck_assert(screen_has(want));
        ui_free(u);
        runner_free(r);
        lesson_free(l);
        term_close();
    }
}
END_TEST

/* At 60x16 the leader's row vanished from the cluster and logs panels
 * with no sign that rows were hidden: a panel whose rows do not all fit
 * says how many are above and below on its bottom border, and keeps the
 * selected row in sight, the leader's too when both fit. */
START_TEST(test_screen_hidden_rows_are_counted_and_the_leader_kept)
{
    term_open(16, 60);
    struct lesson *l;
    struct runner *r;
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    ck_assert_int_eq(lesson_sandbox("raft", 5, 1, false, &l, &errs), 0);
    lesson_errors_free(&errs);
    struct ui *u = open_lesson(l, &r);
    queue_keys("run 2000\n");
    press(u, ':');
    ui_update_view(u);
    int leader = u->view.leader;
    ck_assert_int_ge(leader, 0);
    int fit = (u->lay.r[UI_CLUSTER].h - 2) / u->lay.card_rows;
    ck_assert_int_lt(fit, 5); /* the case: not every card fits */
    press(u, '1');
    /* The selection next to the leader: both show. */
    u->node_cur = leader + 1 < 5 ? leader + 1 : leader - 1;
    u->dirty = UI_DIRTY_ALL;
    ui_draw(u);
    char name[32];
    snprintf(name, sizeof name, "%sS%d ", PICK, u->node_cur + 1);
    ck_assert(screen_has(name));
    snprintf(name, sizeof name, " S%d ", leader + 1);
    ck_assert(screen_has(name));
    ck_assert(screen_has(" more "));
    /* The last node: above are counted, and it shows, in both panels. */
    for (int i = 0; i < 5; i++)
        press(u, 'j');
    ck_assert_int_eq(u->node_cur, 4);
    snprintf(name, sizeof name, "\xe2\x86\x91 %d more", 5 - fit);
    ck_assert(screen_has(name));
    ck_assert(screen_has(PICK "S5 "));
    ck_assert_int_ge(row_with("S5 (empty log)"), 0);
    /* No row is hidden without a sign: at 100x30 all five fit, no count. */
    resizeterm(30, 100);
    ui_key(u, KEY_RESIZE, true);
    ui_draw(u);
    ck_assert(!screen_has_quiet(" more "));
    ck_assert_int_ge(row_with("S1 (empty log)"), 0);
    close_ui(u, r, l);
}
END_TEST

static const char *restart_goal_lesson =
    "{\"format\": 1, \"id\": \"restart-goal\", \"title\": \"Restart\", "
    "\"protocol\": \"raft\", \"cluster\": {\"nodes\": 3},"
    " \"steps\": [{\"do\": \"crash\", \"node\": \"S1\"},"
    "  {\"goal\": {\"text\": \"Bring S1 back.\","
    "   \"until\": {\"all\": [{\"node\": \"S1\", \"up\": true}]},"
    "   \"forbid\": [\"crash\", \"timeout\"],"
    "   \"solution\": [{\"do\": \"restart\", \"node\": \"S1\"}]}},"
    "  {\"say\": \"Back.\"}]}";

/* In a goal that forbids crash a newcomer's key bar had no c, though c on
 * the down node restarts it and restart was what the goal wanted; and the
 * goal's "not allowed" line said "timeout" where the key bar says "t
 * timer". c names what it does to the selected node and stays while that
 * is allowed; the goal line uses the key bar's words. */
START_TEST(test_screen_c_says_restart_on_a_down_node_in_a_goal)
{
    term_open(24, 100);
    struct lesson *l;
    struct runner *r;
    struct ui *u = open_ui(restart_goal_lesson, &l, &r);
    press(u, 'g');
    press(u, 'g');
    ck_assert_int_eq(u->flow.state, FLOW_GOAL);
    ck_assert(screen_has("not allowed: timer crash"));
    press(u, '1'); /* S1, down, is selected */
    ck_assert_msg(hint_row_has("c restart"), "no c restart in the key bar");
    ck_assert(!hint_row_has("c crash"));
    ck_assert(!hint_row_has("t timer"));
    press(u, 'j'); /* S2 is up: c would crash it, which is not allowed */
    ck_assert(!hint_row_has("c restart"));
    ck_assert(!hint_row_has("c crash"));
    press(u, 'k');
    press(u, 'c');
    ck_assert(screen_has("Goal reached in 1 action!"));
    close_ui(u, r, l);
}
END_TEST

/* Whether a key waits to be read, reading it. */
static bool key_waiting(wint_t *ch)
{
    timeout(0);
    int rc = get_wch(ch);
    timeout(-1);
    return rc != ERR;
}

/* A sandbox of three Raft servers (tutor sandbox raft --nodes 3). */
static struct ui *open_sandbox(struct lesson **l, struct runner **r)
{
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    ck_assert_int_eq(lesson_sandbox("raft", 3, 1, false, l, &errs), 0);
    lesson_errors_free(&errs);
    return open_lesson(*l, r);
}

/* A newcomer's c, pressed to stop ":run 3600000", let the run go on to
 * the end and then crashed S1; a Space became one more step. A key typed
 * while a long action runs stops it within a bounded amount of work (the
 * keyboard is read every few hundred events, not every so many ms), and
 * it and every key after it are used up, never acted on. */
START_TEST(test_screen_any_key_stops_a_long_run_and_is_used_up)
{
    term_open(30, 100);
    struct lesson *l;
    struct runner *r;
    struct ui *u = open_sandbox(&l, &r);
    const char *stops[] = {"c", " ", "cc"};
    for (size_t k = 0; k < sizeof stops / sizeof *stops; k++) {
        int64_t t0 = runner_sim(r)->now;
        char typed[64];
        snprintf(typed, sizeof typed, "run 3600000\n%s", stops[k]);
        queue_keys(typed);
        press(u, ':');
        ck_assert_msg(hint_row_has("stopped where it was; recorded as: run for"),
                      "the run with \"%s\" typed was not stopped", stops[k]);
        int64_t ran = runner_sim(r)->now - t0;
        /* Stopped at the first look at the keyboard: an election and a few
         * heartbeats, not a quarter of the hour. */
        ck_assert_int_gt(ran, 0);
        ck_assert_int_lt(ran, 60000);
        wint_t ch;
        ck_assert_msg(!key_waiting(&ch), "key %d was left to act on", (int)ch);
        ui_update_view(u);
        for (int n = 0; n < u->view.n_nodes; n++)
            ck_assert_msg(u->view.nodes[n].up, "S%d went down", n + 1);
    }
    /* An action too short to look at the keyboard leaves a key typed ahead
     * for the next command, as a terminal does. */
    size_t pos = r->h->pos;
    queue_keys("step 100\nx");
    press(u, ':');
    ck_assert_uint_eq(r->h->pos, pos + 100);
    wint_t ch;
    ck_assert(key_waiting(&ch));
    ck_assert_int_eq((int)ch, 'x');
    close_ui(u, r, l);
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
    tcase_add_test(tc, test_screen_quiz_four_choices_80x24);
    tcase_add_test(tc, test_screen_quiz_retry_predict_value);
    tcase_add_test(tc, test_screen_chinese_ui_strings);
    tcase_add_test(tc, test_screen_language_from_environment);
    tcase_add_test(tc, test_spacetime_model);
    tcase_add_test(tc, test_spacetime_model_figure8);
    tcase_add_test(tc, test_screen_spacetime_80x24);
    tcase_add_test(tc, test_screen_spacetime_160x45);
    tcase_add_test(tc, test_screen_lost_messages_shown_one_step);
    tcase_add_test(tc, test_screen_lost_reason_translated);
    tcase_add_test(tc, test_screen_mouse_clicks);
    tcase_add_test(tc, test_screen_changed_field_color);
    tcase_add_test(tc, test_screen_changed_field_no_color);
    tcase_add_test(tc, test_screen_continue_means_continue);
    tcase_add_test(tc, test_screen_quiz_picks_belong_to_their_quiz);
    tcase_add_test(tc, test_screen_heal_asks_and_h_only_moves);
    tcase_add_test(tc, test_screen_esc_ends_search_then_n_steps);
    tcase_add_test(tc, test_screen_slot_learned_is_not_accepted);
    tcase_add_test(tc, test_screen_r_says_propose_in_paxos);
    tcase_add_test(tc, test_screen_snapshot_boundary);
    tcase_add_test(tc, test_screen_explore_none_names_only_g);
    tcase_add_test(tc, test_screen_explore_key_elsewhere_says_where);
    tcase_add_test(tc, test_screen_g_at_the_end_says_what_is_left);
    tcase_add_test(tc, test_screen_status_line_narrow_never_overlaps);
    tcase_add_test(tc, test_screen_predict_later_digit_replaces_the_pick);
    tcase_add_test(tc, test_screen_predict_before_a_goal_promises_no_run);
    tcase_add_test(tc, test_screen_retry_hint_keeps_quit_at_100);
    tcase_add_test(tc, test_screen_long_choice_wraps_under_its_text);
    tcase_add_test(tc, test_screen_search_matching_nothing_says_so_and_stays);
    tcase_add_test(tc, test_screen_resume_box_names_its_keys_on_another);
    tcase_add_test(tc, test_screen_any_key_stops_a_long_run_and_is_used_up);
    tcase_add_test(tc, test_screen_focus_is_marked_and_one_selection_is_hot);
    tcase_add_test(tc, test_screen_hidden_rows_are_counted_and_the_leader_kept);
    tcase_add_test(tc, test_screen_c_says_restart_on_a_down_node_in_a_goal);
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
