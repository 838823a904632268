/* transcript_flow: recording a learner's inputs from the lesson flow's
 * input log, and feeding recorded inputs back through the flow. */
#include "transcript_flow.h"

#include <assert.h>
#include <cJSON.h>
#include <libintl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tutor/i18n.h"
#include "tutor/runner.h"
#include "tutor/session/flow.h"

/* The flow's state as the record writes it (English, the file's word);
 * marked so a mismatch reason can name it in the reader's language. */
static const char *state_name(enum flow_state s)
{
    switch (s) {
    case FLOW_SAY:
        return NC_("flow state", "say");
    case FLOW_DO:
        return NC_("flow state", "do");
    case FLOW_QUIZ:
        return NC_("flow state", "quiz");
    case FLOW_ANSWERED:
        return NC_("flow state", "answered");
    case FLOW_GOAL:
        return NC_("flow state", "goal");
    case FLOW_GOAL_DONE:
        return NC_("flow state", "goal_done");
    case FLOW_GOTO:
        return NC_("flow state", "goto");
    case FLOW_END:
        return NC_("flow state", "end");
    case FLOW_PREDICTED:
        return NC_("flow state", "predicted");
    case FLOW_SOLUTION:
        return NC_("flow state", "solution");
    case FLOW_EXPLORE:
        return NC_("flow state", "explore");
    case FLOW_EXPLORED:
        return NC_("flow state", "explored");
    }
    return NC_("flow state", "other");
}

/* ---- The flow's log: one input object per line ---- */

/* A line of the flow's own log: the flow wrote it with
 * transcript_input_json, so it reads back; anything else is a bug here.
 * The caller frees it with transcript_in_free. */
static void parse_line(const char *line, struct transcript_in *in)
{
    struct sbuf err;
    sbuf_init(&err);
    int rc = transcript_input_parse(line, "input", in, &err);
    assert(rc == 0 && "the flow's log reads back");
    (void)rc;
    sbuf_free(&err);
}

/* ---- Recording ---- */

static void remember(struct transcript *t, const struct flow *f)
{
    t->flow_seen = f->inputs.len;
    t->flow_state = (int)f->state;
    t->flow_score = f->score.earned;
    t->flow_tries = f->tries;
    memcpy(t->flow_picked, f->picked, sizeof t->flow_picked);
}

void transcript_flow_begin(struct transcript *t, const struct flow *f)
{
    if (!t)
        return;
    transcript_begin(t, f->r);
    remember(t, f);
}

static void choice_words(const struct quiz *q, const bool *picked, struct sbuf *out)
{
    for (size_t i = 0; i < q->n_choices && i < 16; i++)
        if (picked[i]) {
            sbuf_add(out, out->len ? ", " : "");
            sbuf_add(out, q->choices[i]);
        }
    if (!out->len)
        sbuf_add(out, "(none)");
}

/* The right answer in words, as the flow tells it. */
static void truth_words(const struct flow *f, const struct quiz *q, struct sbuf *out)
{
    if (q->kind == QUIZ_VALUE) {
        runner_value_answer(f->r, q, out);
    } else if (q->kind == QUIZ_PREDICT) {
        sbuf_add(out, f->truth >= 0 && (size_t)f->truth < q->n_choices ? q->choices[f->truth]
                                                                       : "none of these");
    } else {
        for (size_t k = 0; k < q->n_answers; k++) {
            sbuf_add(out, k ? ", " : "");
            int i = q->answers[k];
            sbuf_add(out, i >= 0 && (size_t)i < q->n_choices ? q->choices[i] : "?");
        }
    }
}

/* Records the inputs (already consumed by the flow) as one entry, with the
 * quiz verdict the last of them brought, if any. */
static void record_inputs(struct transcript *t, const struct flow *f, struct transcript_in *in,
                          size_t n)
{
    struct transcript_outcome oc = {.state = state_name(f->state),
                                    .score = f->score.earned,
                                    .total = f->score.of,
                                    .quiz_at = -1,
                                    .goal_actions = f->goal_actions};
    struct sbuf given, answer;
    sbuf_init(&given);
    sbuf_init(&answer);
    const struct transcript_in *last = &in[n - 1];
    enum flow_state before = (enum flow_state)t->flow_state;
    bool answering = last->kind == TI_CHOICE || last->kind == TI_SUBMIT || last->kind == TI_VALUE ||
                     last->kind == TI_CONTINUE;
    bool verdict = f->state == FLOW_ANSWERED && (before == FLOW_QUIZ || before == FLOW_PREDICTED);
    bool retry = f->state == FLOW_QUIZ && f->tries > t->flow_tries;
    if (answering && (verdict || retry) && f->quiz_at < f->l->n_steps &&
        f->l->steps[f->quiz_at].kind == STEP_QUIZ) {
        const struct quiz *q = &f->l->steps[f->quiz_at].quiz;
        switch (last->kind) {
        case TI_CHOICE:
            sbuf_add(&given, last->choice >= 0 && (size_t)last->choice < q->n_choices
                                 ? q->choices[last->choice]
                                 : "?");
            break;
        case TI_SUBMIT:
            choice_words(q, t->flow_picked, &given);
            break;
        case TI_VALUE:
            sbuf_add(&given, last->text ? last->text : "");
            break;
        default:
            if (before == FLOW_PREDICTED && f->predicted >= 0 &&
                (size_t)f->predicted < q->n_choices)
                sbuf_add(&given, q->choices[f->predicted]);
            else
                sbuf_add(&given, "(no second answer: the answer was shown)");
            break;
        }
        truth_words(f, q, &answer);
        oc.has_quiz = true;
        oc.quiz_at = (long)f->quiz_at;
        oc.given = given.s;
        oc.answer = answer.s;
        oc.right = verdict && f->right;
        oc.retry = retry;
        oc.points = f->score.earned - t->flow_score;
    }
    transcript_record(t, f->r, in, n, &oc);
    remember(t, f);
    sbuf_free(&given);
    sbuf_free(&answer);
}

/* The lines of the log from byte off to the end; returns how many. */
static size_t split_lines(const char *log, size_t off, size_t len, char ***out)
{
    size_t n = 0, cap = 0;
    char **lines = NULL;
    while (off < len) {
        const char *nl = memchr(log + off, '\n', len - off);
        size_t end = nl ? (size_t)(nl - log) : len;
        if (end > off) {
            if (n == cap) {
                cap = cap ? cap * 2 : 8;
                lines = realloc(lines, cap * sizeof *lines);
                if (!lines)
                    abort();
            }
            lines[n] = malloc(end - off + 1);
            if (!lines[n])
                abort();
            memcpy(lines[n], log + off, end - off);
            lines[n][end - off] = 0;
            n++;
        }
        off = end + 1;
    }
    *out = lines;
    return n;
}

static void free_lines(char **lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(lines[i]);
    free(lines);
}

/* Records the new lines of the flow's log as one entry (no rebuild). */
static void record_group(struct transcript *t, const struct flow *f)
{
    char **lines;
    size_t n = split_lines(f->inputs.s, t->flow_seen, f->inputs.len, &lines);
    if (!n) {
        free_lines(lines, n);
        return;
    }
    struct transcript_in *in = calloc(n, sizeof *in);
    if (!in)
        abort();
    for (size_t i = 0; i < n; i++)
        parse_line(lines[i], &in[i]);
    record_inputs(t, f, in, n);
    for (size_t i = 0; i < n; i++)
        transcript_in_free(&in[i]);
    free(in);
    free_lines(lines, n);
}

/* Every input of the log again, one entry each, on a scratch cluster. */
static void rebuild(struct transcript *t, const struct flow *f)
{
    struct runner *r = runner_new(f->l);
    struct flow g;
    flow_init(&g, r);
    struct transcript_meta meta = {t->student, t->date};
    struct transcript *s = transcript_new(f->l, TRANSCRIPT_LEARNER, &meta);
    transcript_flow_begin(s, &g);
    char **lines;
    size_t n = split_lines(f->inputs.s, 0, f->inputs.len, &lines);
    for (size_t i = 0; i < n; i++) {
        flow_replay(&g, lines[i]);
        record_group(s, &g);
    }
    free_lines(lines, n);
    /* The entries move over; the header and the live snapshot stay. */
    transcript_clear(t);
    struct transcript_entry *e = t->e;
    size_t cap = t->cap;
    t->e = s->e;
    t->n = s->n;
    t->cap = s->cap;
    s->e = e;
    s->n = 0;
    s->cap = cap;
    transcript_free(s);
    flow_free(&g);
    runner_free(r);
    transcript_resnap(t, f->r);
    remember(t, f);
}

void transcript_flow_record(struct transcript *t, const struct flow *f)
{
    if (!t || t->mode != TRANSCRIPT_LEARNER)
        return;
    if (t->flow_seen > f->inputs.len)
        t->flow_seen = 0; /* a log that shrank: start over */
    size_t n = 0;
    for (size_t i = t->flow_seen; i < f->inputs.len; i++)
        if (f->inputs.s[i] == '\n')
            n++;
    if (n == 1)
        record_group(t, f);
    else if (n > 1)
        rebuild(t, f);
}

/* ---- Re-running ---- */

int transcript_play_entry(const struct transcript *rec, size_t i, struct runner *r, struct flow *f,
                          struct transcript *t, struct sbuf *why)
{
    const struct transcript_entry *e = &rec->e[i];
    const struct lesson *l = r->lesson;
    size_t before = t->n;
    if (before != i) {
        sbuf_printf(why, gettext("the re-run is at step %zu, not %zu"), before + 1, i + 1);
        return -1;
    }
    if (rec->mode == TRANSCRIPT_RUN) {
        if (e->learner || r->step >= l->n_steps) {
            sbuf_add(why, e->learner ? gettext("a learner's input in a run of the script")
                                     : gettext("the lesson is over in the re-run, but the "
                                               "transcript goes on"));
            return -1;
        }
        transcript_run_step(t, r);
    } else if (!e->learner) {
        sbuf_add(why, gettext("a script input in a learner's run"));
        return -1;
    } else {
        size_t logged = f->n_inputs;
        struct sbuf ignored;
        sbuf_init(&ignored);
        for (size_t k = 0; k < e->n_in; k++)
            flow_give(f, &e->in[k], &ignored);
        sbuf_free(&ignored);
        if (f->n_inputs - logged != e->n_in) {
            struct sbuf at;
            sbuf_init(&at);
            transcript_step_name(r->step < l->n_steps ? (long)r->step : -1, &at);
            /* The input kind and the step stay as the JSON writes them
             * ("kind": "choice", steps[3]): what to look for in the file. */
            sbuf_printf(why, gettext("the input (%s) does nothing here: the re-run is at %s (%s)"),
                        transcript_input_names[e->in[0].kind], at.s,
                        ui_pgettext("flow state", state_name(f->state)));
            sbuf_free(&at);
            return -1;
        }
        record_group(t, f);
    }
    if (t->n != before + 1) {
        sbuf_add(why, gettext("the re-run recorded nothing"));
        return -1;
    }
    return transcript_compare_entry(rec, t, i, why);
}
