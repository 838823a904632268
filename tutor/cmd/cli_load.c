/* cli_load: loading what the commands are given — a lesson, or a
 * transcript and the lesson it was recorded from — with every problem
 * reported on standard error as "tutor: ...". */
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "tutor/sha256.h"
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

/* The lesson of rec (lesson_path if given), its inputs checked; NULL
 * frees rec, with why in err. */
static struct transcript *with_lesson(struct transcript *rec, const char *path,
                                      const char *lesson_path, struct lesson **lesson,
                                      struct sbuf *err)
{
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

struct transcript *cli_open_transcript_quiet(const char *path, const char *lesson_path,
                                             struct lesson **lesson, struct sbuf *err)
{
    return with_lesson(transcript_load(path, err), path, lesson_path, lesson, err);
}

struct transcript *cli_open_transcript_among(const char *path, const struct cli_lessons *given,
                                             struct lesson **lesson, struct sbuf *err)
{
    struct transcript *rec = transcript_load(path, err);
    const char *lesson_path = NULL;
    for (size_t i = 0; rec && given && i < given->n; i++)
        if (!strcmp(given->id[i], rec->lesson_id) && !strcmp(given->lang[i], rec->lesson_lang) &&
            (!lesson_path || !strcmp(given->sha[i], rec->sha256)))
            lesson_path = given->path[i];
    return with_lesson(rec, path, lesson_path, lesson, err);
}

int cli_lessons_add(struct cli_lessons *ls, const char *path)
{
    struct lesson *l = cli_load_lesson(path);
    if (!l)
        return -1;
    char **p = realloc(ls->path, (ls->n + 1) * sizeof *p);
    if (p)
        ls->path = p;
    char **id = realloc(ls->id, (ls->n + 1) * sizeof *id);
    if (id)
        ls->id = id;
    char **lang = realloc(ls->lang, (ls->n + 1) * sizeof *lang);
    if (lang)
        ls->lang = lang;
    char(*sha)[65] = realloc(ls->sha, (ls->n + 1) * sizeof *sha);
    if (sha)
        ls->sha = sha;
    if (!p || !id || !lang || !sha)
        abort();
    ls->path[ls->n] = strdup(path);
    ls->id[ls->n] = strdup(l->id);
    ls->lang[ls->n] = strdup(l->lang);
    sha256_hex(l->sha256, ls->sha[ls->n]);
    ls->n++;
    lesson_free(l);
    return 0;
}

void cli_lessons_free(struct cli_lessons *ls)
{
    for (size_t i = 0; i < ls->n; i++) {
        free(ls->path[i]);
        free(ls->id[i]);
        free(ls->lang[i]);
    }
    free(ls->path);
    free(ls->id);
    free(ls->lang);
    free(ls->sha);
    *ls = (struct cli_lessons){0};
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
