/* cmd_run: `tutor run LESSON.json [--until-end] [--transcript OUT]
 * [--student NAME] [--date DATE]` — runs the script headless, prints every
 * event with its note as it happens, and writes the transcript (.json,
 * .md or .svg, by the name's ending). */
#include <libintl.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tutor/facts.h"
#include "tutor/grade_row.h"
#include "tutor/i18n.h"
#include "tutor/runner.h"
#include "tutor/transcript.h"

/* A feed line's kind, in the interface language (feed_kind_name is the
 * record's word), padded to 9 columns. */
static void print_kind(enum feed_kind k)
{
    static const char *const label[] = {
        NC_("feed kind", "action"),  NC_("feed kind", "note"),      NC_("feed kind", "send"),
        NC_("feed kind", "deliver"), NC_("feed kind", "lost"),      NC_("feed kind", "timer"),
        NC_("feed kind", "apply"),   NC_("feed kind", "violation"), NC_("feed kind", "info"),
    };
    const char *w = (size_t)k < sizeof label / sizeof *label ? ui_pgettext("feed kind", label[k])
                                                             : feed_kind_name(k);
    size_t cols = grade_width(w);
    printf("%s%*s", w, cols < 9 ? (int)(9 - cols) : 0, "");
}

/* The feed lines a step produced; of a long one (a run or a load), the
 * first and the last, as its transcript keeps them (TRANSCRIPT_KEEP_HEAD). */
static void print_feed(const struct runner *r, size_t *shown)
{
    const struct feed *f = &r->h->feed;
    const struct sim *s = runner_sim(r);
    struct sbuf text;
    sbuf_init(&text);
    size_t n = f->n - *shown;
    size_t gap = n > TRANSCRIPT_KEEP_HEAD + TRANSCRIPT_KEEP_TAIL ? *shown + TRANSCRIPT_KEEP_HEAD
                                                                 : (size_t)-1;
    for (; *shown < f->n; (*shown)++) {
        if (*shown == gap) {
            size_t left = n - TRANSCRIPT_KEEP_HEAD - TRANSCRIPT_KEEP_TAIL;
            printf(ngettext("[...] %zu line not shown\n", "[...] %zu lines not shown\n", left),
                   left);
            *shown += left;
        }
        struct feed_line e;
        feed_get(f, *shown, &e);
        sbuf_reset(&text);
        feed_line_text(f, &e, &text);
        printf("[%7lld ms] ", (long long)e.time);
        print_kind(e.kind);
        if (e.node >= 0) /* "S3: ", "S3：" */
            printf(" %s%s", s->cfg.names[e.node], ui_pgettext("feed", ": "));
        else
            printf(" ");
        printf("%s\n", text.s);
    }
    sbuf_free(&text);
}

static void print_check(void *ctx, const struct runner *r, const char *path, bool ok,
                        const char *detail)
{
    (void)ctx;
    (void)r;
    if (ok)
        printf(gettext("  check %s: ok\n"), path);
    else
        printf(gettext("  check %s: FAILED: %s\n"), path, detail);
}

/* The right answer, as the engine has it now (predict: found by running a
 * copy of the cluster forward; value: read live when the quiz names a field). */
static void print_answer(const struct runner *r, const struct quiz *q)
{
    struct sbuf b;
    sbuf_init(&b);
    if (q->kind == QUIZ_VALUE) {
        runner_value_answer(r, q, &b);
        printf(gettext("  answer: %s\n"), b.s);
    } else if (q->kind == QUIZ_PREDICT) {
        int truth = runner_predict(r, q);
        if (truth >= 0)
            printf(gettext("  answer: %d) %s (what the cluster does)\n"), truth + 1,
                   q->choices[truth]);
    } else {
        printf("%s", gettext("  answer:"));
        for (size_t i = 0; i < q->n_answers; i++)
            printf(" %d)", q->answers[i] + 1);
        printf("\n");
    }
    sbuf_free(&b);
}

static void print_step(const struct runner *r, const struct step *st)
{
    struct sbuf b;
    sbuf_init(&b);
    if (st->title)
        printf("\n== %s ==\n", st->title);
    switch (st->kind) {
    case STEP_SAY:
        facts_render_text(runner_sim(r), st->say, &b);
        printf(gettext("say: %s\n"), b.s);
        break;
    case STEP_QUIZ:
        facts_render_text(runner_sim(r), st->quiz.question, &b);
        printf(gettext("quiz: %s\n"), b.s);
        for (size_t i = 0; i < st->quiz.n_choices; i++) {
            sbuf_reset(&b);
            facts_render_text(runner_sim(r), st->quiz.choices[i], &b);
            printf("  %zu) %s\n", i + 1, b.s);
        }
        print_answer(r, &st->quiz);
        break;
    case STEP_GOAL:
        facts_render_text(runner_sim(r), st->goal.text, &b);
        printf(gettext("goal: %s (playing the solution)\n"), b.s);
        break;
    default:
        break;
    }
    sbuf_free(&b);
}

static int usage(const char *fmt, const char *arg)
{
    fprintf(stderr, "tutor: run: ");
    fprintf(stderr, gettext(fmt), arg);
    fprintf(stderr, gettext(" (usage: %s)\n"),
            "tutor run LESSON.json [--until-end] [--transcript OUT.json|.md|.svg] "
            "[--student NAME] [--date DATE] [--lang LANG]");
    return 2;
}

int cmd_run(int argc, char **argv)
{
    const char *path = NULL, *out = NULL;
    struct transcript_meta meta = {0};
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--until-end"))
            continue;
        if (!strcmp(argv[i], "--transcript") || !strcmp(argv[i], "--student") ||
            !strcmp(argv[i], "--date")) {
            if (i + 1 >= argc)
                return usage(N_("%s needs a value"), argv[i]);
            const char **dst = argv[i][2] == 't'   ? &out
                               : argv[i][2] == 's' ? &meta.student
                                                   : &meta.date;
            *dst = argv[++i];
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1])
            return usage(N_("unknown option \"%s\""), argv[i]);
        if (path)
            return usage(N_("one lesson at a time (\"%s\" is one too many)"), argv[i]);
        path = argv[i];
    }
    if (!path)
        return usage("%s", gettext("no lesson given"));
    enum transcript_format fmt = out ? transcript_format_of(out) : TF_UNKNOWN;
    if (out && fmt == TF_UNKNOWN)
        return usage(N_("--transcript %s: name it .json, .md or .svg"), out);
    struct lesson *l = cli_load_lesson(path);
    if (!l)
        return 2;
    struct runner *r = runner_new(l);
    r->on_check = print_check;
    struct transcript *tr = out ? transcript_new(l, TRANSCRIPT_RUN, &meta) : NULL;
    if (tr)
        transcript_begin(tr, r);
    size_t shown = 0;
    printf(gettext("%s (%s, %d nodes, seed %llu)\n"), l->title,
           l->protocol == PROTO_RAFT ? "raft" : "paxos", l->cfg.n_nodes,
           (unsigned long long)l->seed);
    print_feed(r, &shown);
    bool more = l->n_steps > 0;
    while (more) {
        print_step(r, &l->steps[r->step]);
        more = tr ? transcript_run_step(tr, r) : runner_step_headless(r);
        print_feed(r, &shown);
    }
    const struct sim *s = runner_sim(r);
    if (s->mon.violated)
        printf(gettext("SAFETY VIOLATED: %s\n"), s->mon.violation);
    printf(gettext("end: t=%lld ms, "), (long long)s->now);
    printf(ngettext("%llu event, ", "%llu events, ", (unsigned long)s->events),
           (unsigned long long)s->events);
    printf(ngettext("%d check passed, ", "%d checks passed, ", (unsigned long)r->passed),
           r->passed);
    printf(gettext("%d failed\n"), r->failed);
    int rc = r->failed || s->mon.violated ? 1 : 0;
    if (tr) {
        transcript_finish(tr, r);
        struct sbuf err;
        sbuf_init(&err);
        fflush(stdout);
        if (transcript_export(tr, fmt, out, true, &err) != 0) {
            fprintf(stderr, "tutor: %s\n", err.s);
            rc = 2;
        } else {
            printf(gettext("transcript: %s\n"), out);
        }
        sbuf_free(&err);
        transcript_free(tr);
    }
    runner_free(r);
    lesson_free(l);
    return rc;
}
