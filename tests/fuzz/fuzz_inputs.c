/* libFuzzer harness: saved learner inputs (a progress file's inputs, the
 * flow's log) are checked against a lesson and, when accepted, replayed
 * on a fresh cluster — the path a resume takes. Built by `make fuzz`
 * (clang), never by the normal build. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tutor/runner.h"
#include "tutor/session/flow.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct lesson *lesson;

/* Keeps one execution short: a number of five digits or more (a count or a
 * duration near the format's limits) is checked but not replayed. */
static bool short_to_replay(const char *text)
{
    int digits = 0;
    for (const char *p = text; *p; p++) {
        digits = *p >= '0' && *p <= '9' ? digits + 1 : 0;
        if (digits > 4)
            return false;
    }
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!lesson) {
        struct lesson_errors errs;
        lesson_errors_init(&errs);
        if (lesson_load(FUZZ_LESSON, &lesson, &errs) != 0)
            abort();
        lesson_errors_free(&errs);
    }
    char *text = malloc(size + 1);
    if (!text)
        abort();
    memcpy(text, data, size);
    text[size] = 0;
    struct sbuf err;
    sbuf_init(&err);
    if (strlen(text) == size && flow_inputs_check(lesson, text, &err) == 0 &&
        short_to_replay(text)) {
        struct runner *r = runner_new(lesson);
        struct flow f;
        flow_init(&f, r);
        flow_replay(&f, text);
        flow_free(&f);
        runner_free(r);
    }
    sbuf_free(&err);
    free(text);
    return 0;
}
