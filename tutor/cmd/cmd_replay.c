/* cmd_replay: `tutor replay TRANSCRIPT.json [--lesson LESSON.json]` and the
 * interactive options — reopens a recorded run in the terminal UI (or the
 * plain mode) at its end, free to step back and forth: the lesson is found
 * as for verify, the recorded inputs are fed through the lesson flow again,
 * and a run that does not reproduce is opened as far as it does, saying
 * where it parted. Exit status 0, or 2 when the transcript is refused. */
#include <libintl.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tutor/i18n.h"
#include "tutor/note_text.h"
#include "tutor/runner.h"
#include "tutor/session/flow.h"
#include "tutor/session/transcript_flow.h"
#include "tutor/transcript.h"
#include "ui/ui.h"

struct replay {
    const struct transcript *rec;
    char note[600];
};

static void differs(struct replay *p, size_t i, const char *why)
{
    snprintf(p->note, sizeof p->note,
             gettext("replayed %zu of %zu steps: step %zu differs (%s); the run stops there"), i,
             p->rec->n, i + 1, why);
}

/* Called by the UI with its flow (initialised on a fresh runner) and its
 * transcript (begun on that flow). */
static const char *prepare(struct flow *f, struct transcript **tp, void *ctx)
{
    struct replay *p = ctx;
    const struct transcript *rec = p->rec;
    struct runner *r = f->r;
    struct sbuf why;
    sbuf_init(&why);
    /* Lines compare as notes, whatever the language shown; a version 1
     * record's lines are words in its feed_lang, so the re-run speaks that
     * while it is compared, and the interface language again after. */
    struct note_lang_saved saved;
    bool legacy = rec->version < 2;
    if (legacy)
        note_lang_use(rec->feed_lang ? rec->feed_lang : "en", &saved);
    if (rec->mode == TRANSCRIPT_RUN) {
        /* The script from the lesson's first step, headless, recorded
         * afresh; the flow then takes over at the end. */
        struct transcript_meta meta = {rec->student, rec->date};
        struct transcript *t = transcript_new(r->lesson, TRANSCRIPT_RUN, &meta);
        r->step = 0;
        transcript_begin(t, r);
        for (size_t i = 0; i < rec->n; i++)
            if (transcript_play_entry(rec, i, r, NULL, t, &why) != 0) {
                differs(p, i, why.s);
                break;
            }
        transcript_finish(t, r);
        transcript_free(*tp);
        *tp = t;
        flow_free(f);
        flow_init(f, r);
    } else {
        for (size_t i = 0; i < rec->n; i++)
            if (transcript_play_entry(rec, i, r, f, *tp, &why) != 0) {
                differs(p, i, why.s);
                break;
            }
    }
    sbuf_free(&why);
    if (legacy) {
        note_lang_restore(&saved);
        transcript_render_lines(*tp);
    }
    if (!p->note[0])
        snprintf(p->note, sizeof p->note,
                 rec->student ? gettext("replayed %zu steps of %s: b and f step back and forth, "
                                        "e exports")
                              : gettext("replayed %zu steps of the run: b and f step back and "
                                        "forth, e exports"),
                 rec->n, rec->student ? rec->student : "");
    return p->note;
}

int cmd_replay(int argc, char **argv)
{
    const char *path = NULL, *lesson = NULL;
    struct ui_options o = {0};
    o.no_progress = true; /* a replay is not the learner's own lesson */
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--lesson") && i + 1 < argc) {
            lesson = argv[++i];
        } else if (!strcmp(argv[i], "--plain")) {
            o.plain = true;
        } else if (!strcmp(argv[i], "--no-color")) {
            o.no_color = true;
        } else if (!strcmp(argv[i], "--ascii")) {
            o.ascii = true;
        } else if (!strcmp(argv[i], "--lang") && i + 1 < argc) {
            o.lang = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr,
                    gettext("tutor: replay: unknown option \"%s\" (usage: tutor replay "
                            "TRANSCRIPT.json [--lesson LESSON.json] [--plain])\n"),
                    argv[i]);
            return 2;
        } else if (path) {
            fprintf(stderr,
                    gettext("tutor: replay: one transcript at a time (\"%s\" is one too many)\n"),
                    argv[i]);
            return 2;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        fprintf(stderr, gettext("tutor: replay: no transcript given (usage: tutor replay "
                                "TRANSCRIPT.json [--lesson LESSON.json] [--plain])\n"));
        return 2;
    }
    struct lesson *l;
    struct transcript *rec = cli_open_transcript(path, lesson, &l);
    if (!rec)
        return 2;
    ui_setup_locale();
    /* A recorded run reopens in the language it was recorded in (a
     * version 1 record's feed_lang; else its lesson's language); --lang
     * overrides, and the lines compare as notes in any language. */
    ui_i18n_init(o.lang             ? o.lang
                 : rec->feed_lang   ? rec->feed_lang
                 : rec->lesson_lang ? rec->lesson_lang
                                    : "en");
    struct replay p = {.rec = rec};
    o.student = rec->student;
    o.prepare = prepare;
    o.prepare_ctx = &p;
    int rc = ui_run_lesson(l, &o);
    lesson_free(l);
    transcript_free(rec);
    return rc;
}
