/* bench/render: the time to draw one frame of the terminal UI in a heavy
 * state — 9 nodes with 1,000-entry logs and 200 pending messages — into an
 * ncurses newterm on /dev/null, first after a short history, then after a
 * long one (HISTORY operations, default 1,000,000), in the same run: a
 * frame must cost what is visible, never the history's length. Target:
 * under 2 ms per frame in both. Usage: bench/render [FRAMES [HISTORY]] */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "protocols/sbuf.h"
#include "tutor/runner.h"
#include "tutor/session/flow.h"
#include "ui/ui_internal.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Mean time of one full redraw, a different frame each time (as when the
 * learner moves the cursor). */
static double frame_ms(struct ui *u, int frames)
{
    double start = now_ms();
    for (int f = 0; f < frames; f++) {
        u->node_cur = f % 9;
        u->view_valid = false;
        u->dirty = UI_DIRTY_ALL;
        ui_draw(u);
    }
    return (now_ms() - start) / frames;
}

int main(int argc, char **argv)
{
    int frames = argc > 1 ? atoi(argv[1]) : 500;
    if (frames < 1)
        frames = 1;
    long history = argc > 2 ? atol(argv[2]) : 1000000;
    if (history < 0)
        history = 0;
    if (!setlocale(LC_CTYPE, "C.UTF-8"))
        setlocale(LC_CTYPE, "en_US.UTF-8");
    /* Nine nodes, each with a 1,000-entry log (terms 1..5). */
    struct sbuf j;
    sbuf_init(&j);
    sbuf_add(&j, "{\"format\": 1, \"id\": \"bench\", \"title\": \"render benchmark\","
                 " \"protocol\": \"raft\", \"cluster\": {\"nodes\": 9, \"timeouts\": {");
    for (int i = 1; i <= 9; i++)
        sbuf_printf(&j, "%s\"S%d\": 100000", i > 1 ? ", " : "", i);
    sbuf_add(&j, "}}, \"initial\": {");
    for (int i = 1; i <= 9; i++) {
        sbuf_printf(&j, "%s\"S%d\": {\"term\": 5, \"log_terms\": [", i > 1 ? ", " : "", i);
        for (int k = 0; k < 1000; k++)
            sbuf_printf(&j, "%s%d", k ? "," : "", 1 + k / 200);
        sbuf_add(&j, "]}");
    }
    sbuf_add(&j, "}, \"steps\": []}");
    struct lesson *l = NULL;
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    if (lesson_parse("bench", j.s, j.len, &l, &errs) != 0) {
        fprintf(stderr, "render: the lesson was refused: %s\n", errs.n ? errs.lines[0] : "?");
        return 1;
    }
    lesson_errors_free(&errs);
    sbuf_free(&j);
    struct runner *r = runner_new(l);
    /* Each election timeout sends 8 RequestVotes: 25 of them make 200. */
    for (int t = 0; t < 25; t++) {
        struct action a;
        flow_simple_action(&a, ACT_TIMEOUT, t % 9, NULL);
        struct sbuf err;
        sbuf_init(&err);
        runner_action(r, &a, &err);
        sbuf_free(&err);
    }
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    SCREEN *scr = newterm("xterm-256color", out, in);
    if (!scr) {
        fprintf(stderr, "render: no terminal description for xterm-256color\n");
        return 1;
    }
    set_term(scr);
    resizeterm(60, 200);
    struct ui_options o = {0};
    struct ui *u = ui_new(r, &o);
    ui_relayout(u);
    ui_draw(u);
    double per = frame_ms(u, frames);
    size_t short_ops = r->h->n_ops;
    /* A long history of operations that leave the drawn state as it is
     * (heal: nothing to heal, one feed line each). */
    struct action heal;
    flow_simple_action(&heal, ACT_HEAL, -1, NULL);
    for (long i = 0; i < history; i++) {
        struct sbuf err;
        sbuf_init(&err);
        runner_action(r, &heal, &err);
        sbuf_free(&err);
    }
    double per_long = frame_ms(u, frames);
    ui_free(u);
    endwin();
    delscreen(scr);
    fclose(out);
    fclose(in);
    printf("render: %zu pending messages, 9 nodes x %zu log entries: %.3f ms per frame after %zu "
           "history operations, %.3f ms after %zu; ratio %.2f (%d frames each)%s\n",
           runner_sim(r)->n_pending, (size_t)1000, per, short_ops, per_long, r->h->n_ops,
           per > 0 ? per_long / per : 0, frames, per < 2.0 && per_long < 2.0 ? "" : "  SLOW");
    runner_free(r);
    lesson_free(l);
    return 0;
}
