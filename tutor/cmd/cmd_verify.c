/* cmd_verify: `tutor verify TRANSCRIPT.json [--lesson LESSON.json]` — re-runs
 * a recorded run from its lesson (found by the path it names or its id;
 * its SHA-256 must match) with the recorded inputs, and compares every
 * step. Exit status: 0 it reproduces (the score is printed), 1 it differs
 * (the first difference is printed), 2 refused (shared/spec/cli.md). */
#include <libintl.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "tutor/runner.h"
#include "tutor/transcript.h"
#include "tutor/note_text.h"
#include "tutor/session/transcript_flow.h"
#include "tutor/session/flow.h"

/* "step 12 (steps[9], by the learner)" */
static void step_label(const struct transcript *t, size_t i, struct sbuf *out)
{
    const struct transcript_entry *e = &t->e[i];
    struct sbuf at;
    sbuf_init(&at);
    transcript_step_name(e->at, &at);
    sbuf_printf(out,
                e->learner ? gettext("step %zu (%s, by the learner)")
                           : gettext("step %zu (%s, by the script)"),
                i + 1, at.s);
    sbuf_free(&at);
}

int cli_verify(const struct transcript *rec, const struct lesson *l, struct sbuf *where,
               struct sbuf *why)
{
    /* Lines compare as notes, in any language; a version 1 record's lines
     * are words, so the re-run speaks the language they were recorded in. */
    struct note_lang_saved saved;
    bool legacy = rec->version < 2;
    if (legacy)
        note_lang_use(rec->feed_lang ? rec->feed_lang : "en", &saved);
    struct transcript_meta meta = {rec->student, rec->date};
    struct transcript *t = transcript_new(l, rec->mode, &meta);
    struct runner *r = runner_new(l);
    struct flow f;
    bool learner = rec->mode == TRANSCRIPT_LEARNER;
    if (learner) {
        flow_init(&f, r);
        transcript_flow_begin(t, &f);
    } else {
        transcript_begin(t, r);
    }
    int rc = 0;
    if (transcript_compare_header(rec, t, why) != 0) {
        sbuf_add(where, gettext("the start"));
        rc = 1;
    }
    for (size_t i = 0; !rc && i < rec->n; i++) {
        if (transcript_play_entry(rec, i, r, learner ? &f : NULL, t, why) != 0) {
            step_label(rec, i, where);
            rc = 1;
        }
    }
    if (!rc && !learner && r->step < l->n_steps) {
        sbuf_printf(where, gettext("after step %zu"), rec->n);
        sbuf_printf(why, gettext("the transcript ends there, but the lesson goes on at steps[%zu]"),
                    r->step);
        rc = 1;
    }
    if (!rc) {
        transcript_finish(t, r);
        if (transcript_compare_end(rec, t, why) != 0) {
            sbuf_printf(where, gettext("the end (after step %zu)"), rec->n);
            rc = 1;
        }
    }
    if (learner)
        flow_free(&f);
    runner_free(r);
    transcript_free(t);
    if (legacy)
        note_lang_restore(&saved);
    return rc;
}

static int verify_run(const char *path, const struct transcript *rec, const struct lesson *l,
                      FILE *out)
{
    struct sbuf why, where;
    sbuf_init(&why);
    sbuf_init(&where);
    int rc = cli_verify(rec, l, &where, &why);
    if (rc)
        fprintf(out, gettext("%s: differs at %s: %s\n"), path, where.s, why.s);
    else
        fprintf(out,
                ngettext("%s: reproduces: %zu step of \"%s\" (%s), %s; score %d/%d%s\n",
                         "%s: reproduces: %zu steps of \"%s\" (%s), %s; score %d/%d%s\n", rec->n),
                path, rec->n, rec->lesson_id, l->file,
                rec->end.safe ? gettext("safe") : gettext("safety violated"), rec->end.score,
                rec->end.total,
                rec->mode == TRANSCRIPT_RUN
                    ? gettext(" (mode run: `tutor run` answered every quiz from its key and "
                              "played every goal's solution)")
                    : "");
    sbuf_free(&why);
    sbuf_free(&where);
    return rc;
}

int cmd_verify(int argc, char **argv)
{
    const char *path = NULL, *lesson = NULL;
    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--lesson") && i + 1 < argc) {
            lesson = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            fprintf(stderr,
                    gettext("tutor: verify: unknown option \"%s\" (usage: tutor verify "
                            "TRANSCRIPT.json [--lesson LESSON.json])\n"),
                    argv[i]);
            return 2;
        } else if (path) {
            fprintf(stderr,
                    gettext("tutor: verify: one transcript at a time (\"%s\" is one too many)\n"),
                    argv[i]);
            return 2;
        } else {
            path = argv[i];
        }
    }
    if (!path) {
        fprintf(stderr, gettext("tutor: verify: no transcript given (usage: tutor verify "
                                "TRANSCRIPT.json [--lesson LESSON.json])\n"));
        return 2;
    }
    struct lesson *l;
    struct transcript *rec = cli_open_transcript(path, lesson, &l);
    if (!rec)
        return 2;
    int rc = verify_run(path, rec, l, stdout);
    lesson_free(l);
    transcript_free(rec);
    return rc;
}
