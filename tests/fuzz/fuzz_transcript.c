/* libFuzzer harness: a transcript file is read, its inputs checked
 * against the lesson, and its steps re-run as `tutor verify` does. Built by
 * `make fuzz` (clang), never by the normal build. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tutor/runner.h"
#include "tutor/transcript.h"
#include "tutor/session/flow.h"
#include "tutor/session/transcript_flow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lesson *lesson;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!lesson) {
        struct lesson_errors errs;
        lesson_errors_init(&errs);
        if (lesson_load(FUZZ_LESSON, &lesson, &errs) != 0)
            abort();
        lesson_errors_free(&errs);
    }
    struct sbuf err;
    sbuf_init(&err);
    /* transcript_read_json reads len bytes and a NUL, as transcript_load
     * gives it. */
    char *text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = 0;
    struct transcript *rec = transcript_read_json("fuzz", text, size, &err);
    /* Re-run only short, valid learner transcripts of this lesson. */
    if (rec && rec->mode == TRANSCRIPT_LEARNER && rec->n <= 64 &&
        transcript_check_inputs(rec, lesson, &err) == 0) {
        bool small = true;
        for (size_t i = 0; i < rec->n && small; i++)
            for (size_t k = 0; k < rec->e[i].n_in; k++)
                if (rec->e[i].in[k].text && strpbrk(rec->e[i].in[k].text, "0123456789"))
                    small = strlen(rec->e[i].in[k].text) < 200 &&
                            !strstr(rec->e[i].in[k].text, "00000");
        struct runner *r = small ? runner_new(lesson) : NULL;
        if (r) {
            struct transcript_meta meta = {rec->student, rec->date};
            struct transcript *t = transcript_new(lesson, rec->mode, &meta);
            struct flow f;
            flow_init(&f, r);
            transcript_flow_begin(t, &f);
            struct sbuf why;
            sbuf_init(&why);
            for (size_t i = 0; i < rec->n; i++)
                if (transcript_play_entry(rec, i, r, &f, t, &why) != 0)
                    break;
            sbuf_free(&why);
            flow_free(&f);
            transcript_free(t);
            runner_free(r);
        }
    }
    transcript_free(rec);
    sbuf_free(&err);
    free(text);
    return 0;
}
