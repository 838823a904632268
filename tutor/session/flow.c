/* flow: a lesson stepped by the learner (the session core every view and
 * command drives). */
#include "flow.h"

#include <ctype.h>
#include <libintl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tutor/explore_step.h"
#include "tutor/i18n.h"
#include "tutor/note_text.h"
#include "tutor/transcript.h"
#include "tutor/facts.h"
#include "tutor/safe_text.h"
#include "tutor/view.h"

/* f->scored[step]: 0 not tried, 1 points counted, FLOW_GAVE_UP the goal's
 * solution was watched. */
#define FLOW_GAVE_UP 2

/* Appends one learner input to the log, as the input object transcripts
 * and progress files hold (flow_replay reads it back). */
static void input_log(struct flow *f, const struct transcript_in *in);
static void input_log_kind(struct flow *f, enum transcript_input_kind kind)
{
    struct transcript_in in = {.kind = kind};
    input_log(f, &in);
}

/* Records the lesson's step for every history position from `from` to the
 * current one, so that b/f bring the lesson back with the cluster. */
static void mark_positions(struct flow *f, size_t from)
{
    struct history *h = f->r->h;
    if (from > h->pos)
        from = h->pos;
    /* A detour's positions are the learner's, not the stopped step's. */
    uint32_t rest = f->detour ? 0 : f->rest;
    for (size_t p = from; p <= h->pos; p++)
        *(struct flow_mark *)history_mark(h, p) = (struct flow_mark){
            f->r->step, f->goal_actions, rest, true, f->detour, f->detour ? f->detour_pos : 0,
            f->goal_pos};
}

/* Adds a warning to the feed at the current history position: note n (a
 * FLOW_ note of tutor/notes_tutor.def), kept as data so the feed and a
 * transcript render it in the language shown. */
static void flow_warn(struct flow *f, const struct proto_note *n)
{
    struct history *h = f->r->h;
    struct feed *fd = &h->feed;
    uint64_t saved = fd->pos;
    fd->pos = h->pos;
    const struct sim *s = runner_sim(f->r);
    feed_add_note(fd, h->cur->now, -1, FEED_INFO, 0, n, s->cfg.names, s->cfg.n_nodes);
    fd->pos = saved; /* in the past, the feed puts it before the later entries */
}

/* A warning note id followed by the step's path and, from its {2} on, the
 * phrase why with its arguments. */
static void flow_warn_why(struct flow *f, int id, const char *path, const struct proto_note *why)
{
    struct proto_note n = {.id = (uint16_t)id, .n_args = 1, .args = {note_str(path)}};
    if (why->n_args + 2 <= NOTE_MAX_ARGS) {
        n.args[1] = note_phrase(why->id);
        n.args[1].aux = 2; /* the phrase's {1} is the note's {3} */
        memcpy(n.args + 2, why->args, why->n_args * sizeof *why->args);
        n.n_args = (uint8_t)(2 + why->n_args);
    }
    flow_warn(f, &n);
}

const struct step *flow_step(const struct flow *f)
{
    return f->r->step < f->l->n_steps ? &f->l->steps[f->r->step] : NULL;
}

static bool goal_holds(const struct flow *f)
{
    const struct step *st = flow_step(f);
    return st && st->kind == STEP_GOAL && fact_holds(runner_sim(f->r), &st->goal.until, NULL);
}

/* An expect on the way: a failure is a warning, never the learner's. */
static void check_expect(struct flow *f, const struct step *st)
{
    struct fact_why why;
    fact_why_init(&why);
    if (!fact_holds_why(runner_sim(f->r), &st->fact, &why))
        flow_warn_why(f, NOTE_FLOW_EXPECT_FAILED, st->path, &why.note);
    fact_why_free(&why);
}

/* Performs a lesson action; a failure is a warning in the feed. */
static void perform(struct flow *f, const struct action *a, const char *path)
{
    struct sbuf err;
    sbuf_init(&err);
    if (runner_action(f->r, a, &err) != 0)
        flow_warn_why(f, NOTE_FLOW_ACTION_FAILED, path, &f->r->err_note);
    sbuf_free(&err);
}

/* Between two sentences of a verdict: a space, but none after full-width
 * punctuation (U+3000..U+303F, U+FF00..U+FF65), which carries its own
 * spacing (a Chinese "Right!" ends in a full-width exclamation mark and
 * its "+1 point." follows it without a space). */
static void sentence_gap(struct sbuf *b)
{
    if (b->len >= 3) {
        const unsigned char *e = (const unsigned char *)b->s + b->len - 3;
        unsigned cp = ((e[0] & 0x0fu) << 12) | ((e[1] & 0x3fu) << 6) | (e[2] & 0x3fu);
        if ((e[0] & 0xf0u) == 0xe0u && (e[1] & 0xc0u) == 0x80u && (e[2] & 0xc0u) == 0x80u &&
            ((cp >= 0x3000 && cp <= 0x303f) || (cp >= 0xff00 && cp <= 0xff65)))
            return;
    }
    sbuf_add(b, " ");
}

/* A goal that holds: done, with its point the first time. */
static void goal_reached(struct flow *f)
{
    f->state = FLOW_GOAL_DONE;
    sbuf_reset(&f->result);
    size_t at = f->r->step;
    if (f->scored[at] == FLOW_GAVE_UP) {
        /* Back in the history after watching the solution. */
        sbuf_add(&f->result, ui_tr(UI_MSG_SOLUTION_OK));
        return;
    }
    ui_trn_sbuf(&f->result, UI_MSG_GOAL_REACHED, (unsigned long)f->goal_actions, f->goal_actions);
    if (!f->scored[at]) {
        f->scored[at] = 1;
        score_goal(&f->score, true);
        sentence_gap(&f->result);
        ui_trn_sbuf(&f->result, UI_MSG_POINTS, SCORE_GOAL_POINTS, SCORE_GOAL_POINTS);
    }
}

/* Runs the steps that need nobody (expects) and stops at the next step the
 * learner sees. */
static void settle_state(struct flow *f)
{
    const struct step *st;
    while ((st = flow_step(f))) {
        if (st->title)
            f->title = st->title;
        if (st->kind != STEP_EXPECT)
            break;
        if (st->kind == STEP_EXPECT)
            check_expect(f, st);
        f->r->step++;
    }
    f->rest = 0; /* a new step starts whole */
    /* Quiz state belongs to its quiz: every quiz starts with no pick. */
    memset(f->picked, 0, sizeof f->picked);
    f->predicted = -1;
    f->tries = 0;
    f->hint_shown = false;
    f->ran_on = false;
    f->sol_i = 0;
    if (!st) {
        f->state = FLOW_END;
        return;
    }
    switch (st->kind) {
    case STEP_SAY:
        f->state = FLOW_SAY;
        break;
    case STEP_DO:
        f->state = st->act.kind == ACT_GOTO ? FLOW_GOTO : FLOW_DO;
        break;
    case STEP_QUIZ:
        f->state = FLOW_QUIZ;
        f->quiz_at = f->r->step;
        break;
    case STEP_GOAL:
        f->goal_actions = 0;
        f->goal_pos = f->r->h->pos;
        f->state = FLOW_GOAL;
        if (goal_holds(f))
            goal_reached(f);
        break;
    case STEP_EXPLORE:
        /* The learner runs the search (flow_explore); what it finds is
         * stepped through from where it began, which continuing returns to. */
        f->state = f->searched[f->r->step] ? FLOW_EXPLORED : FLOW_EXPLORE;
        f->goal_pos = f->r->h->pos;
        break;
    case STEP_EXPECT:
        break;
    }
}

void flow_init(struct flow *f, struct runner *r)
{
    memset(f, 0, sizeof *f);
    f->r = r;
    f->l = r->lesson;
    f->truth = -1;
    sbuf_init(&f->result);
    sbuf_init(&f->inputs);
    f->scored = calloc(f->l->n_steps + 1, 1);
    f->searched = calloc(f->l->n_steps + 1, 1);
    if (!f->scored || !f->searched)
        abort();
    sbuf_init(&f->explored);
    history_set_mark_size(r->h, sizeof(struct flow_mark));
    settle_state(f);
    mark_positions(f, 0);
}

void flow_free(struct flow *f)
{
    sbuf_free(&f->result);
    sbuf_free(&f->inputs);
    free(f->scored);
    f->scored = NULL;
    free(f->rests);
    f->rests = NULL;
    f->n_rests = f->cap_rests = 0;
    free(f->searched);
    f->searched = NULL;
    sbuf_free(&f->explored);
    sim_free(f->script_state);
    f->script_state = NULL;
}

static void input_log(struct flow *f, const struct transcript_in *in)
{
    /* JSON escapes every control character: one object is one line. */
    transcript_input_json(&f->inputs, in);
    sbuf_addc(&f->inputs, '\n');
    f->n_inputs++;
}

/* After a learner's input: the lesson step of every new position. */
static void after_input(struct flow *f, size_t pos0)
{
    size_t pos = f->r->h->pos;
    mark_positions(f, pos0 < pos ? pos0 + 1 : pos);
}

static void next_step(struct flow *f)
{
    sbuf_reset(&f->result);
    f->r->step++;
    settle_state(f);
}

static const struct quiz *open_quiz(const struct flow *f)
{
    return &f->l->steps[f->quiz_at].quiz;
}

/* The final verdict on the open quiz: right or wrong, the right answer,
 * the points (counted once per quiz, and only for a first-try answer) and
 * the explanation; the learner reads it and goes on. */
static void verdict(struct flow *f, bool right, const char *truth)
{
    const struct quiz *q = open_quiz(f);
    bool first = !f->scored[f->quiz_at];
    int pts = right && f->tries == 0 ? q->points : 0;
    f->right = right;
    if (first) {
        f->scored[f->quiz_at] = 1;
        score_quiz(&f->score, q->points, pts);
    }
    sbuf_reset(&f->result);
    sbuf_add(&f->result, ui_tr(!right     ? UI_MSG_WRONG
                               : f->tries ? UI_MSG_RIGHT_RETRY
                                          : UI_MSG_RIGHT));
    if (truth) {
        sentence_gap(&f->result);
        ui_tr_sbuf(&f->result, UI_MSG_THE_ANSWER, truth);
    }
    sentence_gap(&f->result);
    if (!first)
        sbuf_add(&f->result, ui_tr(UI_MSG_SCORED_BEFORE));
    else if (pts)
        ui_trn_sbuf(&f->result, UI_MSG_POINTS, (unsigned long)pts, pts);
    else
        sbuf_add(&f->result, ui_tr(UI_MSG_NO_POINTS));
    if (q->explain) {
        sbuf_add(&f->result, "\n");
        sbuf_add(&f->result, q->explain);
    }
    f->state = FLOW_ANSWERED;
}

/* A wrong answer: the first one leaves the quiz open with the hint shown
 * (one more try, or g for the answer); a second one is the verdict. A
 * predict quiz has one try: the lesson shows what happens. */
static void wrong(struct flow *f, const char *truth)
{
    const struct quiz *q = open_quiz(f);
    if (f->tries == 0 && q->kind != QUIZ_PREDICT) {
        f->tries = 1;
        f->hint_shown = true;
        f->right = false;
        /* The picks stay on screen: the learner sees what missed. */
        sbuf_reset(&f->result);
        sbuf_add(&f->result, ui_tr(UI_MSG_WRONG));
        sentence_gap(&f->result);
        sbuf_add(&f->result, ui_tr(UI_MSG_TRY_AGAIN));
        return;
    }
    verdict(f, false, truth);
}

static bool is_answer(const struct quiz *q, int i);

/* The right answer of the open quiz in words. */
static void truth_text(const struct flow *f, struct sbuf *out)
{
    const struct quiz *q = open_quiz(f);
    if (q->kind == QUIZ_VALUE) {
        runner_value_answer(f->r, q, out);
        return;
    }
    if (q->kind == QUIZ_PREDICT) {
        sbuf_add(out, f->truth >= 0 ? q->choices[f->truth] : ui_tr(UI_MSG_NONE_OF_THESE));
        return;
    }
    for (size_t i = 0; i < q->n_choices; i++)
        if (is_answer(q, (int)i)) {
            if (out->len)
                sbuf_add(out, ", ");
            sbuf_add(out, q->choices[i]);
        }
}

/* The steps a prediction's reveal runs first: expects and actions other
 * than a goto. */
static bool runs_before_reveal(const struct step *st)
{
    return st && (st->kind == STEP_EXPECT || (st->kind == STEP_DO && st->act.kind != ACT_GOTO));
}

/* After a prediction: the lesson's next do steps (and the expects among
 * them) run, so the learner sees what happens; then the verdict, whose
 * truth runner_predict found before anything ran. */
static void run_on(struct flow *f)
{
    f->r->step = f->quiz_at + 1;
    const struct step *st;
    while (runs_before_reveal(st = flow_step(f))) {
        if (st->title)
            f->title = st->title;
        if (st->kind == STEP_EXPECT)
            check_expect(f, st);
        else
            perform(f, &st->act, st->path);
        f->r->step++;
    }
    struct sbuf t;
    sbuf_init(&t);
    truth_text(f, &t);
    if (f->truth == f->predicted)
        verdict(f, true, NULL);
    else
        verdict(f, false, t.s);
    f->ran_on = true;
    sbuf_free(&t);
}

/* One solution action; after the last, the goal is done (no points). */
static void solution_step(struct flow *f)
{
    const struct goal *g = &flow_step(f)->goal;
    if (f->sol_i < g->n_solution) {
        perform(f, &g->solution[f->sol_i], flow_step(f)->path);
        f->sol_i++;
    }
    if (f->sol_i < g->n_solution)
        return;
    f->state = FLOW_GOAL_DONE;
    sbuf_reset(&f->result);
    sbuf_add(&f->result, ui_tr(goal_holds(f) ? UI_MSG_SOLUTION_OK : UI_MSG_SOLUTION_BAD));
    if (!f->scored[f->r->step])
        score_goal(&f->score, false);
    f->scored[f->r->step] = FLOW_GAVE_UP;
    sentence_gap(&f->result);
    sbuf_add(&f->result, ui_tr(UI_MSG_NO_POINTS));
}

/* The history position where the stopped step's partial run ended, if
 * the current line still holds it (the learner stepped back into the run
 * without acting there); 0 otherwise. */
static size_t stop_point_ahead(struct flow *f)
{
    struct history *h = f->r->h;
    size_t at = f->rests[f->rest - 1].stop_pos;
    if (at <= h->pos || at > h->n_ops)
        return 0;
    const struct flow_mark *m = history_mark(h, at);
    return m->set && m->rest == f->rest ? at : 0;
}

/* A do step, stoppable as a learner's long action is ("whatever runs long
 * can be interrupted", lesson format, Errors). Stopped, it stays the
 * current step with what is left of it (f->rest), which going on runs:
 * the step's whole action in parts does what it does at once. Sets
 * f->ran_part to the part that ran when stopped. */
static void perform_step(struct flow *f, const struct step *st, struct action *ran_part)
{
    struct action a = st->act;
    if (f->rest) {
        /* Stepped back into the partial run: on from where it stopped. */
        size_t ahead = stop_point_ahead(f);
        if (ahead)
            history_seek(f->r->h, ahead);
        a = f->rests[f->rest - 1].act;
    }
    struct action rest;
    if (f->replay_stop && runner_action_rest(&a, f->replay_stop, &rest)) {
        f->r->stop_at = f->replay_stop;
    } else if (!f->replay_stop) {
        f->r->stop = f->stop;
        f->r->stop_ctx = f->stop_ctx;
    }
    perform(f, &a, st->path);
    f->r->stop = NULL;
    f->r->stop_at = NULL;
    if (f->r->interrupted && runner_action_rest(&a, &f->r->ran, &rest)) {
        if (f->n_rests == f->cap_rests) {
            f->cap_rests = f->cap_rests ? 2 * f->cap_rests : 4;
            f->rests = realloc(f->rests, f->cap_rests * sizeof *f->rests);
            if (!f->rests)
                abort();
        }
        f->rests[f->n_rests++] = (struct flow_rest){rest, f->r->h->pos};
        f->rest = (uint32_t)f->n_rests;
        f->stopped = true;
        *ran_part = f->r->ran;
        return;
    }
    next_step(f);
}

static bool explore_here(struct flow *f, struct sbuf *why);

static bool go_on(struct flow *f, struct sbuf *why)
{
    const struct step *st = flow_step(f);
    switch (f->state) {
    case FLOW_ANSWERED:
        if (f->ran_on) {
            /* The lesson already ran past the quiz. */
            sbuf_reset(&f->result);
            settle_state(f);
            return true;
        }
        next_step(f);
        return true;
    case FLOW_SAY:
    case FLOW_GOAL_DONE:
        next_step(f);
        return true;
    case FLOW_DO: {
        struct action ran;
        perform_step(f, st, &ran);
        if (f->stopped) {
            /* Logged here: the record of the continue names what ran. */
            struct sbuf json, canon, said;
            sbuf_init(&json);
            sbuf_init(&canon);
            sbuf_init(&said);
            if (transcript_action_json(f->l, &ran, &json) != 0)
                abort(); /* step, run without until, settle and load always write */
            transcript_json_canonical(json.s, &canon);
            struct transcript_in in = {.kind = TI_CONTINUE, .stopped = canon.s};
            input_log(f, &in);
            runner_describe_action(f->r, &f->rests[f->rest - 1].act, &said);
            if (why)
                ui_tr_sbuf(why, UI_MSG_STEP_STOPPED, said.s);
            sbuf_free(&json);
            sbuf_free(&canon);
            sbuf_free(&said);
        }
        return true;
    }
    case FLOW_GOTO:
        if (f->r->gotos >= RUNNER_MAX_GOTOS) {
            struct proto_note n = {
                .id = NOTE_FLOW_GOTO_LIMIT, .n_args = 1, .args = {note_int(RUNNER_MAX_GOTOS)}};
            flow_warn(f, &n);
            next_step(f);
            return true;
        }
        f->r->gotos++;
        f->r->step = (size_t)st->act.goto_step;
        sbuf_reset(&f->result);
        settle_state(f);
        return true;
    case FLOW_QUIZ:
        if (f->tries > 0) {
            /* After a miss, g shows the answer instead of a second try. */
            struct sbuf t;
            sbuf_init(&t);
            truth_text(f, &t);
            verdict(f, false, t.s);
            sbuf_free(&t);
            return true;
        }
        if (why)
            sbuf_add(why, ui_tr(st->quiz.kind == QUIZ_VALUE ? UI_MSG_TYPE_FIRST
                                : f->plain                  ? UI_MSG_PL_PICK_FIRST
                                                            : UI_MSG_PICK_FIRST));
        return false;
    case FLOW_PREDICTED:
        run_on(f);
        return true;
    case FLOW_SOLUTION:
        solution_step(f);
        return true;
    case FLOW_EXPLORE:
        return explore_here(f, why);
    case FLOW_EXPLORED:
        /* The lesson goes on from the state it explored, not from wherever
         * the learner stepped to in what was found: that stays in the
         * history, a branch once the lesson acts again. */
        if (f->goal_pos <= f->r->h->n_ops && f->r->h->pos != f->goal_pos)
            history_seek(f->r->h, f->goal_pos);
        next_step(f);
        return true;
    case FLOW_GOAL:
        if (why)
            sbuf_add(why, ui_tr(UI_MSG_GOAL_FIRST));
        return false;
    case FLOW_END:
        if (why)
            sbuf_add(why, ui_tr(UI_MSG_OVER));
        return false;
    }
    return false;
}

/* f->script_state follows f->detour: the state at the script point while
 * in a detour (made once per script point), none otherwise. */
static void sync_script_state(struct flow *f)
{
    if (f->script_state && (!f->detour || f->script_state_pos != f->detour_pos)) {
        sim_free(f->script_state);
        f->script_state = NULL;
    }
    if (f->detour && !f->script_state) {
        f->script_state = history_state_at(f->r->h, f->detour_pos);
        f->script_state_pos = f->detour_pos;
    }
}

/* A learner's own action during a scripted stretch (not in a goal, not
 * while a solution plays, not after the end) starts a detour from pos0. */
static void detour_begin(struct flow *f, size_t pos0)
{
    if (f->detour || f->state == FLOW_GOAL || f->state == FLOW_SOLUTION || f->state == FLOW_END)
        return;
    f->detour = true;
    f->detour_pos = pos0;
    sync_script_state(f);
}

/* Back to the script point; the detour stays in the history as a branch
 * once the lesson acts again. True if there was a detour. */
static bool detour_end(struct flow *f)
{
    if (!f->detour)
        return false;
    f->detour = false;
    sync_script_state(f);
    history_seek(f->r->h, f->detour_pos);
    return true;
}

bool flow_continue(struct flow *f, struct sbuf *why)
{
    f->stopped = false;
    bool returned = detour_end(f);
    size_t pos0 = f->r->h->pos;
    if (!go_on(f, why) && !returned)
        return false;
    if (!f->stopped)
        input_log_kind(f, TI_CONTINUE); /* else go_on logged it, with what ran */
    after_input(f, pos0);
    return true;
}

void flow_skip_goto(struct flow *f)
{
    if (f->state != FLOW_GOTO)
        return;
    next_step(f);
    input_log_kind(f, TI_SKIP_GOTO);
    after_input(f, f->r->h->pos);
}

static bool is_answer(const struct quiz *q, int i)
{
    for (size_t k = 0; k < q->n_answers; k++)
        if (q->answers[k] == i)
            return true;
    return false;
}

/* A choice answer judged: right, or wrong with the truth shown. */
static void judge(struct flow *f, bool right)
{
    if (right) {
        verdict(f, true, NULL);
        return;
    }
    struct sbuf t;
    sbuf_init(&t);
    truth_text(f, &t);
    wrong(f, t.s);
    sbuf_free(&t);
}

bool flow_answer_choice(struct flow *f, int i)
{
    if (f->state == FLOW_PREDICTED) {
        /* Until the lesson runs on, a later digit replaces the pick: the
         * truth was found from this same state, so it stands. */
        const struct quiz *q = open_quiz(f);
        if (i < 0 || (size_t)i >= q->n_choices)
            return false;
        struct transcript_in in = {.kind = TI_CHOICE, .choice = i};
        input_log(f, &in);
        f->predicted = i;
        return true;
    }
    if (f->state != FLOW_QUIZ)
        return false;
    const struct quiz *q = &flow_step(f)->quiz;
    if (q->kind == QUIZ_VALUE || i < 0 || (size_t)i >= q->n_choices)
        return false;
    bool returned = detour_end(f); /* the question is about the script's state */
    size_t pos0 = f->r->h->pos;
    int truth = -1;
    if (q->kind == QUIZ_PREDICT) {
        /* The truth comes from a copy of the cluster run forward, never
         * from the answer key. A learner may stop a long look-ahead: the
         * prediction is then not taken (only the return from a detour,
         * which a continue replays, is recorded). */
        f->r->stop = f->stop;
        f->r->stop_ctx = f->stop_ctx;
        truth = runner_predict(f->r, q);
        f->r->stop = NULL;
        f->stopped = truth == RUNNER_PREDICT_STOPPED;
        if (f->stopped) {
            if (returned)
                input_log_kind(f, TI_CONTINUE);
            sbuf_reset(&f->result);
            sbuf_add(&f->result, ui_tr(UI_MSG_PREDICT_STOPPED));
            return true;
        }
    }
    struct transcript_in in = {.kind = TI_CHOICE, .choice = i};
    input_log(f, &in);
    if (q->kind == QUIZ_CHOICE && q->multi) {
        if (i < (int)(sizeof f->picked))
            f->picked[i] = !f->picked[i];
        return true;
    }
    f->predicted = i;
    if (q->kind == QUIZ_PREDICT) {
        /* The reveal waits until the learner has seen the lesson run on. */
        f->predicted = i;
        f->truth = truth;
        f->state = FLOW_PREDICTED;
        sbuf_reset(&f->result);
        return true;
    }
    judge(f, is_answer(q, i));
    after_input(f, pos0);
    return true;
}

void flow_choices_why(const struct flow *f, struct sbuf *why)
{
    if (f->state != FLOW_QUIZ && f->state != FLOW_PREDICTED)
        return;
    const struct quiz *q = open_quiz(f);
    if (q->kind != QUIZ_VALUE)
        ui_tr_sbuf(why, UI_MSG_ONLY_CHOICES, (int)q->n_choices);
}

bool flow_answer_submit(struct flow *f)
{
    if (f->state != FLOW_QUIZ)
        return false;
    const struct quiz *q = &flow_step(f)->quiz;
    if (q->kind != QUIZ_CHOICE || !q->multi)
        return false;
    /* Enter with nothing picked is no answer (it costs no try), unless
     * "none of these" is the answer. */
    bool any = false;
    for (size_t i = 0; i < q->n_choices && i < sizeof f->picked; i++)
        any |= f->picked[i];
    if (!any && q->n_answers > 0)
        return false;
    detour_end(f);
    input_log_kind(f, TI_SUBMIT);
    bool right = true;
    for (size_t i = 0; i < q->n_choices; i++)
        if (is_answer(q, (int)i) != (i < sizeof f->picked && f->picked[i]))
            right = false;
    judge(f, right);
    return true;
}

/* Writes a canonical form of one JSON value into out, so that two values
 * compare as strings: strings quoted and lowercased (a learner's "s1"
 * names S1), numbers as %.17g (3, 3.0 and 3e0 agree), no spaces. When
 * lenient (what a learner typed), a bare word is a string and none is
 * null. Returns false when the text is no value. */
static bool canon(const char **pp, struct sbuf *out, bool lenient, int depth)
{
    const char *p = *pp;
    while (isspace((unsigned char)*p))
        p++;
    if (depth > 32)
        return false;
    if (*p == '"') {
        sbuf_addc(out, '"');
        for (p++; *p && *p != '"'; p++) {
            if (*p == '\\' && p[1])
                p++;
            sbuf_addc(out, (char)tolower((unsigned char)*p));
        }
        if (*p != '"')
            return false;
        sbuf_addc(out, '"');
        *pp = p + 1;
        return true;
    }
    if (*p == '[' || *p == '{') {
        char close = *p == '[' ? ']' : '}';
        sbuf_addc(out, *p++);
        while (isspace((unsigned char)*p))
            p++;
        if (*p == close) {
            sbuf_addc(out, close);
            *pp = p + 1;
            return true;
        }
        for (;;) {
            if (close == '}') {
                if (!canon(&p, out, lenient, depth + 1))
                    return false;
                while (isspace((unsigned char)*p))
                    p++;
                if (*p++ != ':')
                    return false;
                sbuf_addc(out, ':');
            }
            if (!canon(&p, out, lenient, depth + 1))
                return false;
            while (isspace((unsigned char)*p))
                p++;
            if (*p == ',') {
                sbuf_addc(out, *p++);
                continue;
            }
            if (*p != close)
                return false;
            sbuf_addc(out, close);
            *pp = p + 1;
            return true;
        }
    }
    /* A word: up to a delimiter (at the top level of a learner's text,
     * the whole rest: "x=1 y" is one string). */
    const char *end = p;
    if (lenient && depth == 0)
        end = p + strlen(p);
    else
        while (*end && !strchr(",]}:", *end) && !isspace((unsigned char)*end))
            end++;
    while (end > p && isspace((unsigned char)end[-1]))
        end--;
    size_t n = (size_t)(end - p);
    if (!n)
        return false;
    char word[256];
    if (n >= sizeof word)
        return false;
    memcpy(word, p, n);
    word[n] = 0;
    char *num_end;
    double d = strtod(word, &num_end);
    if (num_end != word && !*num_end) {
        sbuf_printf(out, "%.17g", d);
    } else if (!strcmp(word, "null") || !strcmp(word, "true") || !strcmp(word, "false")) {
        sbuf_add(out, word);
    } else if (lenient && (!strcasecmp(word, "null") || !strcasecmp(word, "none"))) {
        sbuf_add(out, "null");
    } else if (lenient && (!strcasecmp(word, "true") || !strcasecmp(word, "false"))) {
        sbuf_addc(out, (char)tolower((unsigned char)word[0]));
        sbuf_add(out, word[0] == 't' || word[0] == 'T' ? "rue" : "alse");
    } else if (lenient) {
        sbuf_addc(out, '"');
        for (size_t i = 0; i < n; i++)
            sbuf_addc(out, (char)tolower((unsigned char)word[i]));
        sbuf_addc(out, '"');
    } else {
        return false;
    }
    *pp = end;
    return true;
}

/* A small count as a learner may type it in words: "three" (English),
 * "三" or "两" (Chinese), a full-width "３", or digits with the Chinese
 * measure word a sentence would put after them ("1条", "3票"). -1: none. */
static long count_in_words(const char *typed)
{
    static const char *const en[] = {"zero", "one",   "two",   "three", "four", "five",
                                     "six",  "seven", "eight", "nine",  "ten"};
    static const char *const zh[] = {
        "\xe9\x9b\xb6", "\xe4\xb8\x80", "\xe4\xba\x8c", "\xe4\xb8\x89",
        "\xe5\x9b\x9b", "\xe4\xba\x94", "\xe5\x85\xad", "\xe4\xb8\x83",
        "\xe5\x85\xab", "\xe4\xb9\x9d", "\xe5\x8d\x81"}; /* 零 一 ... 十 */
    /* 条 个 票 次 台 号: entries, things, votes, times, servers, numbers */
    static const char *const measure[] = {"\xe6\x9d\xa1", "\xe4\xb8\xaa", "\xe7\xa5\xa8",
                                          "\xe6\xac\xa1", "\xe5\x8f\xb0", "\xe5\x8f\xb7"};
    char w[64];
    while (isspace((unsigned char)*typed))
        typed++;
    size_t n = strlen(typed);
    while (n && isspace((unsigned char)typed[n - 1]))
        n--;
    if (!n || n >= sizeof w)
        return -1;
    for (size_t i = 0; i < n; i++)
        w[i] = (char)tolower((unsigned char)typed[i]);
    w[n] = 0;
    for (size_t k = 0; k < sizeof measure / sizeof measure[0]; k++) {
        size_t m = strlen(measure[k]);
        if (n > m && !strcmp(w + n - m, measure[k])) {
            w[n -= m] = 0;
            break;
        }
    }
    if (!strcmp(w, "\xe4\xb8\xa4")) /* 两 */
        return 2;
    for (long v = 0; v <= 10; v++)
        if (!strcmp(w, en[v]) || !strcmp(w, zh[v]))
            return v;
    /* Full-width digits (U+FF10..FF19, EF BC 90..99) or ASCII ones. */
    long v = 0;
    size_t i = 0;
    while (i < n) {
        int d;
        if (isdigit((unsigned char)w[i])) {
            d = w[i] - '0';
            i++;
        } else if (i + 2 < n && (unsigned char)w[i] == 0xef && (unsigned char)w[i + 1] == 0xbc &&
                   (unsigned char)w[i + 2] >= 0x90 && (unsigned char)w[i + 2] <= 0x99) {
            d = (unsigned char)w[i + 2] - 0x90;
            i += 3;
        } else {
            return -1;
        }
        if (v > 100000000)
            return -1;
        v = v * 10 + d;
    }
    return w[0] ? v : -1;
}

/* Typed text against the JSON text of the right answer, as JSON values:
 * `S1` equals "S1", `3` equals 3, `null` or `none` equals null; a count
 * typed in words equals the number (count_in_words). */
static bool same_value(const char *typed, const char *json)
{
    struct sbuf a, b;
    sbuf_init(&a);
    sbuf_init(&b);
    const char *pa = typed, *pb = json;
    bool ok = canon(&pa, &a, true, 0) && canon(&pb, &b, false, 0);
    while (ok && isspace((unsigned char)*pa))
        pa++;
    bool same = ok && !*pa && !strcmp(a.s, b.s);
    if (!same && b.len >= 2 && b.s[0] == '"') {
        /* A string answer that looks like a number or a word: "3" typed
         * as 3 still names it. */
        sbuf_reset(&a);
        sbuf_addc(&a, '"');
        const char *t = typed;
        while (isspace((unsigned char)*t))
            t++;
        size_t n = strlen(t);
        while (n && isspace((unsigned char)t[n - 1]))
            n--;
        if (n >= 2 && t[0] == '"' && t[n - 1] == '"') {
            t++;
            n -= 2;
        }
        for (size_t i = 0; i < n; i++)
            sbuf_addc(&a, (char)tolower((unsigned char)t[i]));
        sbuf_addc(&a, '"');
        same = !strcmp(a.s, b.s);
    }
    if (!same && b.len && isdigit((unsigned char)b.s[0]) && strspn(b.s, "0123456789") == b.len) {
        long want = strtol(b.s, NULL, 10), got = count_in_words(typed);
        same = got >= 0 && got == want;
    }
    sbuf_free(&a);
    sbuf_free(&b);
    return same;
}

void flow_answer_value(struct flow *f, const char *text)
{
    if (f->state != FLOW_QUIZ)
        return;
    const struct quiz *q = &flow_step(f)->quiz;
    if (q->kind != QUIZ_VALUE)
        return;
    detour_end(f);
    struct transcript_in in = {.kind = TI_VALUE, .text = (char *)text};
    input_log(f, &in);
    struct sbuf ans;
    sbuf_init(&ans);
    runner_value_answer(f->r, q, &ans);
    if (same_value(text, ans.s))
        verdict(f, true, NULL);
    else
        wrong(f, ans.s);
    sbuf_free(&ans);
}

bool flow_show_hint(struct flow *f)
{
    if (f->state != FLOW_QUIZ || !flow_step(f)->quiz.hint)
        return false;
    if (!f->hint_shown)
        input_log_kind(f, TI_HINT);
    f->hint_shown = true;
    return true;
}

void flow_refresh(struct flow *f)
{
    if (f->state == FLOW_GOAL && goal_holds(f))
        goal_reached(f);
}

/* In a goal, the learner's actions are checked against the forbidden list
 * and counted against max_actions. */
static int goal_permits(const struct flow *f, enum action_kind kind, struct sbuf *why)
{
    if (f->state != FLOW_GOAL)
        return 0;
    const struct goal *g = &flow_step(f)->goal;
    if (g->forbid & (1u << kind)) {
        ui_tr_sbuf(why, UI_MSG_FORBIDDEN, ui_tr_action(lesson_action_names[kind]));
        return -1;
    }
    if (lesson_action_counts(kind) && g->max_actions > 0 && f->goal_actions >= g->max_actions) {
        ui_tr_sbuf(why, UI_MSG_NO_ACTIONS, g->max_actions);
        return -1;
    }
    return 0;
}

/* After an action in a goal: it counts against the budget when it is one
 * that counts and changed something (changed: a refused or empty action,
 * such as a delivery to a crashed node, costs nothing). */
static void goal_counts(struct flow *f, enum action_kind kind, bool changed)
{
    if (f->state == FLOW_GOAL) {
        if (lesson_action_counts(kind) && changed)
            f->goal_actions++;
        flow_refresh(f);
    }
}

/* A long action the learner stopped: its record keeps the action asked and
 * adds the shorter action that ran (runner.ran) as "stopped", so a replay
 * stops exactly there (and says what was asked, as the run did); why says
 * so. */
static void record_what_ran(struct flow *f, size_t logged_at, const char *asked, struct sbuf *why)
{
    struct sbuf json;
    sbuf_init(&json);
    if (transcript_action_json(f->l, &f->r->ran, &json) != 0)
        abort(); /* step, run without until, settle and load always write */
    struct sbuf canon;
    sbuf_init(&canon);
    transcript_json_canonical(json.s, &canon);
    f->inputs.len = logged_at;
    f->inputs.s[logged_at] = '\0';
    f->n_inputs--;
    struct transcript_in in = {.kind = TI_ACTION, .text = (char *)asked, .stopped = canon.s};
    input_log(f, &in);
    sbuf_free(&canon);
    struct sbuf said;
    sbuf_init(&said);
    runner_describe_action(f->r, &f->r->ran, &said);
    ui_tr_sbuf(why, UI_MSG_STOPPED, said.s);
    sbuf_free(&said);
    sbuf_free(&json);
}

/* A learner's action, recorded as its lesson-format JSON; stop_at (a
 * replay of a stopped one): stop where that shorter action ends. */
static int act(struct flow *f, const struct action *a, const char *json,
               const struct action *stop_at, struct sbuf *why)
{
    if (goal_permits(f, a->kind, why) != 0)
        return -1;
    size_t pos0 = f->r->h->pos;
    detour_begin(f, pos0);
    struct sbuf canon;
    sbuf_init(&canon);
    transcript_json_canonical(json, &canon);
    struct transcript_in in = {.kind = TI_ACTION, .text = canon.s};
    size_t logged_at = f->inputs.len;
    input_log(f, &in);
    sbuf_free(&canon);
    struct sbuf err;
    sbuf_init(&err);
    if (stop_at) {
        f->r->stop_at = stop_at;
    } else {
        f->r->stop = f->stop;
        f->r->stop_ctx = f->stop_ctx;
    }
    unsigned long effective = f->r->effective;
    int rc = runner_action(f->r, a, &err);
    bool changed = rc == 0 && f->r->effective != effective;
    f->r->stop = NULL;
    f->r->stop_at = NULL;
    f->stopped = f->r->interrupted;
    if (f->stopped) {
        struct sbuf asked;
        sbuf_init(&asked);
        transcript_json_canonical(json, &asked);
        record_what_ran(f, logged_at, asked.s, why);
        sbuf_free(&asked);
    }
    if (rc != 0)
        sbuf_add(why, err.s);
    sbuf_free(&err);
    goal_counts(f, a->kind, changed);
    after_input(f, pos0);
    return rc;
}

int flow_action(struct flow *f, const struct action *a, struct sbuf *why)
{
    struct sbuf json;
    sbuf_init(&json);
    int rc = -1;
    if (transcript_action_json(f->l, a, &json) != 0)
        sbuf_add(why, gettext("this action cannot be recorded: write it as a lesson action"));
    else
        rc = act(f, a, json.s, NULL, why);
    sbuf_free(&json);
    return rc;
}

/* Parses an action of the lesson format; -1 with the loader's lines in why. */
static int parse_action(struct flow *f, const char *json, struct action *a, struct sbuf *why)
{
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    int rc = lesson_parse_action_json(f->l, json, a, &errs);
    for (size_t i = 0; rc != 0 && i < errs.n; i++)
        sbuf_printf(why, "%s%s", i ? "; " : "", errs.lines[i]);
    lesson_errors_free(&errs);
    return rc;
}

/* A recorded action again; stopped (NULL: it ran whole): the shorter
 * action that ran when the learner stopped it, where the replay stops. */
static int replay_action(struct flow *f, const char *json, const char *stopped, struct sbuf *why)
{
    struct action a, ran, rest;
    if (parse_action(f, json, &a, why) != 0)
        return -1;
    if (!stopped)
        return act(f, &a, json, NULL, why);
    if (parse_action(f, stopped, &ran, why) != 0)
        return -1;
    if (!runner_action_rest(&a, &ran, &rest)) {
        sbuf_add(why, gettext("stopped: not a shorter part of the action"));
        return -1;
    }
    return act(f, &a, json, &ran, why);
}

int flow_action_json(struct flow *f, const char *json, struct sbuf *why)
{
    return replay_action(f, json, NULL, why);
}

/* A recorded continue that stopped a do step part-way: the step runs to
 * exactly where it stopped. */
static void replay_continue(struct flow *f, const char *stopped, struct sbuf *why)
{
    struct action ran;
    if (!stopped) {
        flow_continue(f, why);
        return;
    }
    if (parse_action(f, stopped, &ran, why) != 0)
        return;
    f->replay_stop = &ran;
    flow_continue(f, why);
    f->replay_stop = NULL;
}

/* ---- The explorer (the safety lab) ---- */

struct explore_poll {
    struct flow *f;
    volatile sig_atomic_t stop;
};

/* Called by the search about every quarter second: the view's stop hook
 * sees how far it got (f->exploring) and may stop it. */
static void explore_progress(void *ctx, const struct explore_result *sofar, size_t frontier)
{
    struct explore_poll *p = ctx;
    struct flow *f = p->f;
    f->exploring.states = sofar->states;
    f->exploring.frontier = frontier;
    f->exploring.depth = sofar->depth;
    f->exploring.per_s = sofar->seconds > 0 ? (double)sofar->states / sofar->seconds : 0;
    if (f->stop && f->stop(f->stop_ctx))
        p->stop = 1;
}

/* The outcome as a feed line at the position the search began in (so it
 * shows there, before the first event found), and in words for the
 * lesson panel. */
static void explore_say(struct flow *f, const struct explore_result *res, bool until, long max)
{
    struct proto_note n = {0};
    if (res->found && res->n_events == 0) {
        n.id = NOTE_EXPLORE_HERE;
    } else if (res->found) {
        n.id = until ? NOTE_EXPLORE_FOUND_UNTIL : NOTE_EXPLORE_FOUND;
        n.args[0] = note_int((int64_t)res->n_events);
        n.args[1] = note_int((int64_t)res->n_found);
        n.args[2] = note_int(res->states);
        n.n_args = 3;
    } else if (res->stopped && max > 0 && res->states >= max) {
        n.id = NOTE_EXPLORE_BUDGET;
        n.args[0] = note_int(res->states);
        n.n_args = 1;
    } else {
        n.id = until ? NOTE_EXPLORE_NONE_UNTIL : NOTE_EXPLORE_NONE;
        n.args[0] = note_int(res->states);
        n.args[1] = note_int(res->depth);
        n.n_args = 2;
    }
    struct history *h = f->r->h;
    const struct lesson *l = f->l;
    uint64_t saved = h->feed.pos;
    h->feed.pos = h->pos;
    feed_add_note(&h->feed, h->cur->now, -1, FEED_INFO, 0, &n, l->cfg.names, l->cfg.n_nodes);
    h->feed.pos = saved;
    sbuf_reset(&f->explored);
    note_render(&n, l->cfg.names, l->cfg.n_nodes, &f->explored);
    f->explored_at = f->r->step;
}

/* Runs the search from the current state and plays what it finds (see
 * flow_explore). False when the learner stopped it: nothing changed. */
static bool explore_here(struct flow *f, struct sbuf *why)
{
    const struct step *st = flow_step(f);
    bool at_step =
        (f->state == FLOW_EXPLORE || f->state == FLOW_EXPLORED) && st && st->kind == STEP_EXPLORE;
    struct explore_request reqs[16];
    struct explore_bounds b;
    if (at_step)
        explore_bounds_from_step(st->explore, f->r->strings, reqs, &b);
    else
        explore_bounds_default(&b);
    struct explore_poll poll = {.f = f};
    memset(&f->exploring, 0, sizeof f->exploring);
    f->exploring.on = true;
    struct explore_result res;
    explore_run(runner_sim(f->r), &b, &poll.stop, explore_progress, &poll, &res);
    f->exploring.on = false;
    if (res.stopped && poll.stop) {
        /* Where a stopped search got to depends on the clock: nothing of
         * it is played or recorded. */
        sbuf_reset(&f->explored);
        ui_tr_sbuf(&f->explored, UI_MSG_EXPLORE_STOPPED, res.states);
        f->explored_at = f->r->step;
        if (why)
            sbuf_add(why, f->explored.s);
        f->stopped = true;
        explore_result_free(&res);
        return false;
    }
    f->stopped = false;
    struct history *h = f->r->h;
    size_t pos0 = h->pos;
    f->explore_played = res.found && res.n_events > 0;
    if (f->explore_played) {
        size_t played = explore_play(f->r, res.events, res.n_events);
        bool reached = explore_target(runner_sim(f->r), b.until);
        mark_positions(f, pos0 + 1);
        history_seek(h, pos0);
        if (played < res.n_events || !reached) {
            struct proto_note n = {.id = NOTE_FLOW_EXPLORE_REPLAY};
            flow_warn(f, &n);
        }
    }
    explore_say(f, &res, b.until != NULL, b.max_states);
    if (at_step) {
        f->searched[f->r->step] = 1;
        f->state = FLOW_EXPLORED;
        int expect = st->explore->expect;
        if (expect >= 0 && (expect == 1) != res.found) {
            struct proto_note n = {.id = expect == 1 ? NOTE_FLOW_EXPLORE_EXPECTED_FOUND
                                                     : NOTE_FLOW_EXPLORE_EXPECTED_NONE,
                                   .n_args = 1,
                                   .args = {note_str(st->path)}};
            flow_warn(f, &n);
        }
    }
    explore_result_free(&res);
    return true;
}

bool flow_can_explore(const struct flow *f)
{
    return f->state == FLOW_EXPLORE || f->state == FLOW_EXPLORED || f->state == FLOW_END;
}

int flow_explore(struct flow *f, struct sbuf *why)
{
    if (!flow_can_explore(f)) {
        if (why)
            sbuf_add(why, ui_tr(UI_MSG_EXPLORE_WHERE));
        return -1;
    }
    size_t pos0 = f->r->h->pos;
    if (!explore_here(f, why))
        return -1;
    input_log_kind(f, TI_EXPLORE);
    after_input(f, pos0);
    return 0;
}

void flow_give_up(struct flow *f)
{
    if (f->state != FLOW_GOAL)
        return;
    input_log_kind(f, TI_GIVE_UP);
    /* The solution plays from the state the goal started in, not from
     * wherever the learner left the cluster; their attempt stays in the
     * history as a branch. */
    struct history *h = f->r->h;
    if (f->goal_pos <= h->n_ops) {
        history_seek(h, f->goal_pos);
        f->goal_actions = 0;
    }
    f->state = FLOW_SOLUTION;
    f->sol_i = 0;
    sbuf_reset(&f->result);
}

/* The lesson as the flow recorded it at the current position. */
static void restore_mark(struct flow *f)
{
    struct history *h = f->r->h;
    size_t pos = h->pos;
    struct flow_mark m = *(struct flow_mark *)history_mark(h, pos);
    if (!m.set)
        return; /* not recorded through the flow: the lesson stays */
    f->r->step = m.step;
    f->title = NULL;
    for (size_t i = 0; i <= m.step && i < f->l->n_steps; i++)
        if (f->l->steps[i].title)
            f->title = f->l->steps[i].title;
    sbuf_reset(&f->result);
    settle_state(f);
    if (f->state == FLOW_DO && m.rest && m.rest <= f->n_rests)
        f->rest = m.rest; /* in the part of a stopped step that ran */
    if (f->state == FLOW_GOAL || f->state == FLOW_GOAL_DONE) {
        f->goal_actions = m.goal_actions;
        f->goal_pos = m.goal_pos;
        if (f->state == FLOW_GOAL_DONE)
            goal_reached(f);
    }
    if (f->state == FLOW_EXPLORE || f->state == FLOW_EXPLORED)
        f->goal_pos = m.goal_pos;
}

/* Whether the current position is the learner's detour, as its mark says:
 * b/f or B onto a detour's positions must keep g's way back to the script
 * point (where the detour's positions began), or the lesson would go on
 * from the learner's cluster. */
static void restore_detour(struct flow *f)
{
    struct history *h = f->r->h;
    size_t pos = h->pos;
    struct flow_mark m = *(struct flow_mark *)history_mark(h, pos);
    if (!m.set) {
        if (pos <= f->detour_pos)
            f->detour = false; /* back on the script's own past */
        sync_script_state(f);
        return;
    }
    f->detour = m.detour;
    if (m.detour) /* kept in the mark: a seek costs what it did, however long the detour */
        f->detour_pos = m.detour_pos;
    sync_script_state(f);
}

void flow_seek(struct flow *f, size_t pos)
{
    struct history *h = f->r->h;
    if (pos > h->n_ops)
        pos = h->n_ops;
    struct transcript_in in = {.kind = TI_SEEK, .pos = pos};
    input_log(f, &in);
    history_seek(h, pos);
    restore_detour(f);
    restore_mark(f);
}

int flow_switch_branch(struct flow *f, size_t i, struct sbuf *why)
{
    struct history *h = f->r->h;
    if (i >= h->n_branches) {
        sbuf_printf(why, gettext("no branch %zu (there are %zu)"), i + 1, h->n_branches);
        return -1;
    }
    struct transcript_in in = {.kind = TI_BRANCH, .branch = i};
    input_log(f, &in);
    history_switch(h, i);
    /* Another line: the state at the script point may differ on it. */
    sim_free(f->script_state);
    f->script_state = NULL;
    restore_detour(f);
    restore_mark(f);
    return 0;
}

bool flow_score_text(const struct flow *f, char *out, size_t n)
{
    if (n)
        out[0] = '\0';
    if (f->score.of == 0)
        return false;
    ui_trf(out, n, UI_MSG_SCORE, f->score.earned, f->score.of);
    return true;
}

/* The cluster the lesson's text reads its placeholders from: the one the
 * script made (in a detour, the state at the script point). */
static const struct sim *narrated(const struct flow *f)
{
    return f->detour && f->script_state ? f->script_state : runner_sim(f->r);
}

static void describe_quiz(const struct flow *f, struct sbuf *out)
{
    const struct sim *s = narrated(f);
    const struct quiz *q = open_quiz(f);
    bool answered = f->state == FLOW_ANSWERED;
    facts_render_text(s, q->question, out);
    for (size_t i = 0; i < q->n_choices; i++) {
        const char *mark = " ";
        if (answered && (q->kind == QUIZ_PREDICT ? (int)i == f->truth : is_answer(q, (int)i)))
            mark = text_mark(TEXT_MARK_RIGHT, false); /* the right one (the views spell it) */
        else if ((answered || f->state == FLOW_PREDICTED || f->tries > 0) && (int)i == f->predicted)
            mark = text_mark(TEXT_MARK_PICK, false); /* the learner's pick */
        else if (i < sizeof f->picked && f->picked[i])
            mark = "*";
        sbuf_printf(out, "\n %s %zu) %s", mark, i + 1, q->choices[i]);
    }
    if (answered) {
        /* The separators are the catalog's: Chinese has no space after
         * full-width punctuation. */
        sbuf_printf(out, "\n%s", f->result.s);
        sbuf_add(out, ui_tr(UI_MSG_GO_ON));
        return;
    }
    if (f->state == FLOW_PREDICTED) {
        sbuf_add(out, "\n");
        ui_tr_sbuf(out, UI_MSG_YOU_PREDICT, q->choices[f->predicted]);
        /* "run on and watch" only when an action runs before the reveal
         * (a goal or a say next: nothing moves). */
        size_t next = f->quiz_at + 1;
        bool acts = false;
        for (; next < f->l->n_steps && runs_before_reveal(&f->l->steps[next]); next++)
            acts = acts || f->l->steps[next].kind == STEP_DO;
        sbuf_add(out, ui_tr(acts ? UI_MSG_WATCH : UI_MSG_SEE_ANSWER));
        return;
    }
    if (f->tries > 0)
        sbuf_printf(out, "\n%s", f->result.s);
    sbuf_add(out, "\n");
    if (f->plain)
        sbuf_add(out, ui_tr(q->kind == QUIZ_VALUE ? UI_MSG_PL_TYPE_VALUE
                            : q->multi            ? UI_MSG_PL_PICK_MULTI
                                                  : UI_MSG_PL_PICK_NUMBER));
    else
        sbuf_add(out, ui_tr(q->kind == QUIZ_VALUE ? UI_MSG_TYPE_VALUE
                            : q->multi            ? UI_MSG_PICK_MULTI
                                                  : UI_MSG_PICK_NUMBER));
    if (q->hint && !f->hint_shown) {
        sbuf_add(out, " \xc2\xb7 ");
        sbuf_add(out, ui_tr(f->plain ? UI_MSG_PL_HINT_KEY : UI_MSG_HINT_KEY));
    }
    if (q->hint && f->hint_shown) {
        sbuf_add(out, "\n");
        sbuf_add(out, ui_tr(UI_MSG_HINT));
        sbuf_add(out, q->hint);
    }
}

void flow_describe(const struct flow *f, struct sbuf *out)
{
    const struct step *st = flow_step(f);
    const struct sim *s = narrated(f);
    if (f->detour) {
        sbuf_add(out, ui_tr(UI_MSG_DETOUR));
        sbuf_add(out, "\n\n");
    }
    switch (f->state) {
    case FLOW_SAY:
        facts_render_text(s, st->say, out);
        break;
    case FLOW_DO:
        sbuf_add(out, ui_tr(UI_MSG_NEXT));
        runner_describe_action(f->r, &st->act, out);
        sbuf_add(out, ui_tr(UI_MSG_DO_IT));
        break;
    case FLOW_GOTO:
        ui_tr_sbuf(out, UI_MSG_GOTO, st->act.label ? st->act.label : "?");
        break;
    case FLOW_QUIZ:
    case FLOW_ANSWERED:
    case FLOW_PREDICTED:
        describe_quiz(f, out);
        break;
    case FLOW_GOAL:
    case FLOW_GOAL_DONE:
    case FLOW_SOLUTION: {
        const struct goal *g = &st->goal;
        sbuf_add(out, ui_tr(UI_MSG_GOAL));
        facts_render_text(s, g->text, out);
        sbuf_add(out, "\n");
        if (g->max_actions > 0)
            ui_tr_sbuf(out, UI_MSG_ACTIONS, f->goal_actions, g->max_actions);
        else
            ui_tr_sbuf(out, UI_MSG_ACTIONS_FREE, f->goal_actions);
        if (g->forbid) {
            sbuf_add(out, ui_tr(UI_MSG_NOT_ALLOWED));
            const char *sep = "";
            for (int k = 0; k < ACT_COUNT; k++)
                if (g->forbid & (1u << k)) {
                    /* The words of the keys that do them; in the plain
                     * mode its commands' own ("timeout", not "timer"). */
                    const char *name = lesson_action_names[k];
                    sbuf_printf(out, "%s%s", sep,
                                f->plain ? ui_tr_action(name) : ui_tr_action_key(name));
                    sep = ui_tr(UI_MSG_WORD_SEP);
                }
        }
        if (f->state == FLOW_SOLUTION || (f->state == FLOW_GOAL_DONE && f->sol_i > 0)) {
            sbuf_add(out, "\n");
            ui_tr_sbuf(out, UI_MSG_SOLUTION, f->sol_i, g->n_solution);
            for (size_t i = 0; i < g->n_solution; i++) {
                sbuf_printf(out, "\n %s %zu. ", i < f->sol_i ? "\xe2\x9c\x93" : " ", i + 1);
                runner_describe_action(f->r, &g->solution[i], out);
            }
        }
        if (f->state == FLOW_GOAL_DONE)
            sbuf_printf(out, "\n%s%s", f->result.s, ui_tr(UI_MSG_GO_ON));
        else if (f->state == FLOW_SOLUTION)
            sbuf_printf(out, "\n%s", ui_tr(UI_MSG_SOLUTION_NEXT));
        else
            sbuf_printf(out, "\n%s", ui_tr(UI_MSG_GIVE_UP));
        break;
    }
    case FLOW_END:
        if (f->l->n_steps == 0)
            sbuf_add(out, ui_tr(f->plain ? UI_MSG_PL_SANDBOX : UI_MSG_SANDBOX));
        else if (f->score.of)
            ui_tr_sbuf(out, UI_MSG_END_SCORE, f->score.earned, f->score.of);
        else
            sbuf_add(out, ui_tr(UI_MSG_END));
        if (f->explored.len && f->explored_at >= f->l->n_steps)
            sbuf_printf(out, "\n%s", f->explored.s);
        break;
    case FLOW_EXPLORE:
    case FLOW_EXPLORED: {
        const struct lesson_explore *e = st->explore;
        ui_tr_sbuf(out, e->has_until ? UI_MSG_EXPLORE_ASK_UNTIL : UI_MSG_EXPLORE_ASK, e->depth);
        if (f->state == FLOW_EXPLORE) {
            sbuf_add(out, ui_tr(UI_MSG_EXPLORE_GO));
            if (f->explored.len && f->explored_at == f->r->step) /* stopped before */
                sbuf_printf(out, "\n%s", f->explored.s);
        } else {
            if (f->explored.len && f->explored_at == f->r->step)
                sbuf_printf(out, "\n%s", f->explored.s);
            /* f and b walk a schedule only when one was played. */
            sbuf_printf(out, "\n%s",
                        ui_tr(f->explore_played ? UI_MSG_EXPLORE_THROUGH : UI_MSG_EXPLORE_NOTHING));
        }
        break;
    }
    }
}

void flow_progress(const struct flow *f, char *out, size_t n)
{
    if (f->l->n_steps == 0) { /* a sandbox: no "step 0/0" */
        if (n)
            out[0] = 0;
        return;
    }
    size_t at = f->r->step < f->l->n_steps ? f->r->step + 1 : f->l->n_steps;
    if (f->state == FLOW_ANSWERED && f->ran_on)
        at = f->quiz_at + 1; /* the verdict still belongs to the quiz */
    ui_trf(out, n, UI_MSG_STEP, at, f->l->n_steps);
}

void flow_simple_action(struct action *a, enum action_kind kind, int node, const char *text)
{
    memset(a, 0, sizeof *a);
    a->kind = kind;
    a->path = "learner";
    a->count = 1;
    a->for_ms = -1;
    a->max = 10000;
    a->node = node;
    a->from = a->to = -1;
    a->match.from = a->match.to = -1;
    a->text = text;
}

int flow_msg_action(struct flow *f, enum action_kind kind, uint64_t id, struct sbuf *why)
{
    if (goal_permits(f, kind, why) != 0)
        return -1;
    size_t pos0 = f->r->h->pos;
    unsigned long effective = f->r->effective;
    int rc = runner_action_msg(f->r, kind, id, why);
    if (rc == 0) {
        detour_begin(f, pos0);
        struct transcript_in in = {.kind = TI_MESSAGE, .msg_kind = kind, .msg_id = id};
        input_log(f, &in);
        goal_counts(f, kind, f->r->effective != effective);
        after_input(f, pos0);
    }
    return rc;
}

int flow_give(struct flow *f, const struct transcript_in *in, struct sbuf *why)
{
    size_t before = f->n_inputs;
    switch (in->kind) {
    case TI_CONTINUE:
        replay_continue(f, in->stopped, why);
        break;
    case TI_SKIP_GOTO:
        flow_skip_goto(f);
        break;
    case TI_CHOICE:
        flow_answer_choice(f, in->choice);
        break;
    case TI_SUBMIT:
        flow_answer_submit(f);
        break;
    case TI_VALUE:
        flow_answer_value(f, in->text ? in->text : "");
        break;
    case TI_HINT:
        flow_show_hint(f);
        break;
    case TI_GIVE_UP:
        flow_give_up(f);
        break;
    case TI_SEEK:
        flow_seek(f, (size_t)in->pos);
        break;
    case TI_BRANCH:
        flow_switch_branch(f, (size_t)in->branch, why);
        break;
    case TI_MESSAGE:
        flow_msg_action(f, in->msg_kind, in->msg_id, why);
        break;
    case TI_ACTION:
        replay_action(f, in->text ? in->text : "", in->stopped, why);
        break;
    case TI_EXPLORE:
        flow_explore(f, why);
        break;
    default:
        sbuf_add(why, gettext("not a learner's input"));
        break;
    }
    return f->n_inputs > before ? 0 : -1;
}

/* Each line of inputs is one input object. */
static int each_input(const char *inputs, int (*fn)(void *, const struct transcript_in *, size_t),
                      void *arg, struct sbuf *err)
{
    size_t i = 0;
    const char *p = inputs;
    int rc = 0;
    while (p && *p && rc == 0) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len) {
            char *line = malloc(len + 1);
            if (!line)
                abort();
            memcpy(line, p, len);
            line[len] = 0;
            char path[40];
            snprintf(path, sizeof path, "inputs[%zu]", i);
            struct transcript_in in;
            rc = transcript_input_parse(line, path, &in, err);
            if (rc == 0)
                rc = fn(arg, &in, i);
            transcript_in_free(&in);
            free(line);
            i++;
        }
        p = nl ? nl + 1 : NULL;
    }
    return rc;
}

struct check_ctx {
    const struct lesson *l;
    struct sbuf *err;
};

static int check_one(void *arg, const struct transcript_in *in, size_t i)
{
    struct check_ctx *c = arg;
    char path[40];
    snprintf(path, sizeof path, "inputs[%zu]", i);
    if (in->kind == TI_SCRIPT) {
        sbuf_printf(c->err, "%s: a script input is not a learner's", path);
        return -1;
    }
    return transcript_input_check(c->l, in, path, c->err);
}

int flow_inputs_check(const struct lesson *l, const char *inputs, struct sbuf *err)
{
    struct check_ctx c = {l, err};
    return each_input(inputs, check_one, &c, err);
}

static int give_one(void *arg, const struct transcript_in *in, size_t i)
{
    (void)i;
    struct sbuf why;
    sbuf_init(&why);
    flow_give(arg, in, &why);
    sbuf_free(&why);
    return 0;
}

size_t flow_replay(struct flow *f, const char *inputs)
{
    size_t before = f->n_inputs;
    struct sbuf err;
    sbuf_init(&err);
    each_input(inputs, give_one, f, &err);
    sbuf_free(&err);
    return f->n_inputs - before;
}

int flow_parse_groups(const struct lesson *l, const char *text, int *groups, struct sbuf *why)
{
    for (int i = 0; i < PROTO_MAX_NODES; i++)
        groups[i] = -1;
    int g = 0, in_group = 0;
    const char *p = text;
    for (;;) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (!*p || *p == '|') {
            if (in_group) {
                g++;
                in_group = 0;
            }
            if (!*p)
                break;
            p++;
            continue;
        }
        char name[16];
        size_t n = 0;
        while (*p && *p != ' ' && *p != ',' && *p != '|' && *p != '\t') {
            if (n + 1 < sizeof name)
                name[n++] = *p;
            p++;
        }
        name[n] = 0;
        int node = proto_node_index(&l->cfg, name);
        if (node < 0) {
            sbuf_printf(why, gettext("no node named \"%s\""), name);
            return -1;
        }
        if (groups[node] >= 0) {
            sbuf_printf(why, gettext("%s is in two groups"), name);
            return -1;
        }
        groups[node] = g;
        in_group = 1;
    }
    if (g == 0) {
        sbuf_add(why, gettext("name the groups, e.g. S1 S2 | S3 S4 S5"));
        return -1;
    }
    for (int i = 0; i < PROTO_MAX_NODES; i++)
        if (groups[i] < 0)
            groups[i] = g;
    return 0;
}
