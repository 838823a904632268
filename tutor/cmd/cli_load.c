/* cli_load: loading what the commands are given — a lesson, or a
 * transcript and the lesson it was recorded from — with every problem
 * reported on standard error as "tutor: ...". */
#include <libintl.h>
#include <stdio.h>

#include "cli.h"
#include "tutor/transcript.h"

struct lesson *cli_load_lesson(const char *path)
{
    struct lesson *l = NULL;
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    if (lesson_load(path, &l, &errs) != 0) {
        for (size_t i = 0; i < errs.n; i++)
            fprintf(stderr, "tutor: %s\n", errs.lines[i]);
        if (!errs.n)
            fprintf(stderr, "tutor: %s: refused\n", path);
        l = NULL;
    }
    lesson_errors_free(&errs);
    return l;
}

struct transcript *cli_open_transcript_quiet(const char *path, const char *lesson_path,
                                             struct lesson **lesson, struct sbuf *err)
{
    struct transcript *rec = transcript_load(path, err);
    if (rec) {
        struct sbuf why;
        sbuf_init(&why);
        *lesson = transcript_find_lesson(rec, path, lesson_path, &why);
        /* Every saved input is read through the lesson's own validator
         * before anything runs: a crafted file is refused, never replayed. */
        if (*lesson && transcript_check_inputs(rec, *lesson, &why) != 0) {
            lesson_free(*lesson);
            *lesson = NULL;
        }
        if (!*lesson)
            sbuf_printf(err, "%s: %s", path, why.s);
        sbuf_free(&why);
    } else {
        *lesson = NULL;
        enum transcript_format f = transcript_format_of(path);
        if (f == TF_MD || f == TF_SVG) { /* e offers all three: say which one to use */
            sbuf_reset(err);
            sbuf_printf(err,
                        gettext("%s: a Markdown or SVG transcript is for reading; verify, replay "
                                "and grade read the JSON one (in the lesson: e, then json)"),
                        path);
        }
    }
    if (!*lesson) {
        transcript_free(rec);
        rec = NULL;
    }
    return rec;
}

struct transcript *cli_open_transcript(const char *path, const char *lesson_path,
                                       struct lesson **lesson)
{
    struct sbuf err;
    sbuf_init(&err);
    struct transcript *rec = cli_open_transcript_quiet(path, lesson_path, lesson, &err);
    if (!rec)
        fprintf(stderr, "tutor: %s\n", err.s);
    sbuf_free(&err);
    return rec;
}
