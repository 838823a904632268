/* flow: a lesson stepped by the learner (shared by the curses UI and the
 * plain line mode). */
#include "flow.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tutor/facts.h"
#include "tutor/view.h"

void flow_warn(struct flow *f, const char *text)
{
    struct history *h = f->r->h;
    struct feed *fd = &h->feed;
    uint64_t saved = fd->pos;
    fd->pos = h->pos;
    feed_add(fd, h->cur->now, -1, FEED_INFO, 0, "warning: %s", text);
    fd->pos = saved;
    /* Keep the feed ordered by position (the history truncates it from the
     * end): in the past, the warning goes before the later entries. */
    size_t at = fd->n - 1;
    while (at > 0 && fd->e[at - 1].pos > h->pos)
        at--;
    if (at != fd->n - 1) {
        struct feed_entry e = fd->e[fd->n - 1];
        memmove(&fd->e[at + 1], &fd->e[at], (fd->n - 1 - at) * sizeof e);
        fd->e[at] = e;
    }
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
        struct sbuf why;
        sbuf_init(&why);
        if (!fact_holds(runner_sim(f->r), &st->fact, &why)) {
            struct sbuf w;
            sbuf_init(&w);
            sbuf_printf(&w, "the lesson expected something else at %s: %s", st->path, why.s);
            flow_warn(f, w.s);
            sbuf_free(&w);
        }
        sbuf_free(&why);
        f->r->step++;
    }
    memset(f->picked, 0, sizeof f->picked);
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
        break;
    case STEP_GOAL:
        f->goal_actions = 0;
        f->state = goal_holds(f) ? FLOW_GOAL_DONE : FLOW_GOAL;
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
    sbuf_init(&f->result);
    settle_state(f);
}

void flow_free(struct flow *f)
{
    sbuf_free(&f->result);
}

static void next_step(struct flow *f)
{
    sbuf_reset(&f->result);
    f->r->step++;
    settle_state(f);
}

bool flow_continue(struct flow *f, struct sbuf *why)
{
    const struct step *st = flow_step(f);
    struct sbuf err;
    switch (f->state) {
    case FLOW_SAY:
    case FLOW_ANSWERED:
    case FLOW_GOAL_DONE:
        next_step(f);
        return true;
    case FLOW_DO:
        sbuf_init(&err);
        if (runner_action(f->r, &st->act, &err) != 0) {
            struct sbuf w;
            sbuf_init(&w);
            sbuf_printf(&w, "%s: %s", st->path, err.s);
            flow_warn(f, w.s);
            sbuf_free(&w);
        }
        sbuf_free(&err);
        next_step(f);
        return true;
    case FLOW_GOTO:
        if (f->r->gotos >= RUNNER_MAX_GOTOS) {
            flow_warn(f, "goto followed 100 times: going on instead");
            next_step(f);
            return true;
        }
        f->r->gotos++;
        f->r->step = (size_t)st->act.goto_step;
        sbuf_reset(&f->result);
        settle_state(f);
        return true;
    case FLOW_QUIZ:
        if (why)
            sbuf_add(why, st->quiz.kind == QUIZ_VALUE ? "type your answer first"
                                                      : "pick an answer first");
        return false;
    case FLOW_GOAL:
        if (why)
            sbuf_add(why, "reach the goal first (or s: play the solution)");
        return false;
    case FLOW_END:
        if (why)
            sbuf_add(why, "the lesson is over");
        return false;
    }
    return false;
}

void flow_skip_goto(struct flow *f)
{
    if (f->state == FLOW_GOTO)
        next_step(f);
}

static void verdict(struct flow *f, bool right, const char *truth)
{
    const struct quiz *q = &flow_step(f)->quiz;
    f->right = right;
    f->total += q->points;
    if (right)
        f->score += q->points;
    sbuf_reset(&f->result);
    sbuf_add(&f->result, right ? "Right!" : "Not quite.");
    if (truth) {
        sbuf_add(&f->result, " The answer: ");
        sbuf_add(&f->result, truth);
        sbuf_add(&f->result, ".");
    }
    if (q->explain) {
        sbuf_add(&f->result, " ");
        sbuf_add(&f->result, q->explain);
    }
    f->state = FLOW_ANSWERED;
}

static bool is_answer(const struct quiz *q, int i)
{
    for (size_t k = 0; k < q->n_answers; k++)
        if (q->answers[k] == i)
            return true;
    return false;
}

void flow_answer_choice(struct flow *f, int i)
{
    if (f->state != FLOW_QUIZ)
        return;
    const struct quiz *q = &flow_step(f)->quiz;
    if (q->kind == QUIZ_VALUE || i < 0 || (size_t)i >= q->n_choices)
        return;
    if (q->kind == QUIZ_CHOICE && q->multi) {
        if (i < (int)(sizeof f->picked))
            f->picked[i] = !f->picked[i];
        return;
    }
    if (q->kind == QUIZ_PREDICT) {
        int truth = runner_predict(f->r, q);
        verdict(f, truth == i, truth >= 0 ? q->choices[truth] : "none of these");
        return;
    }
    verdict(f, is_answer(q, i), is_answer(q, i) ? NULL : q->choices[q->answers[0]]);
}

void flow_answer_submit(struct flow *f)
{
    if (f->state != FLOW_QUIZ)
        return;
    const struct quiz *q = &flow_step(f)->quiz;
    if (q->kind != QUIZ_CHOICE || !q->multi)
        return;
    bool right = true;
    struct sbuf truth;
    sbuf_init(&truth);
    for (size_t i = 0; i < q->n_choices; i++) {
        bool want = is_answer(q, (int)i);
        if (want != (i < sizeof f->picked && f->picked[i]))
            right = false;
        if (want) {
            if (truth.len)
                sbuf_add(&truth, ", ");
            sbuf_add(&truth, q->choices[i]);
        }
    }
    verdict(f, right, right ? NULL : truth.s);
    sbuf_free(&truth);
}

/* Compares typed text with the JSON text of the right answer: a string
 * answer matches its content (case aside), anything else its text. */
static bool same_value(const char *typed, const char *json)
{
    while (isspace((unsigned char)*typed))
        typed++;
    size_t n = strlen(typed);
    while (n && isspace((unsigned char)typed[n - 1]))
        n--;
    size_t jl = strlen(json);
    if (jl >= 2 && json[0] == '"')
        return n == jl - 2 && !strncasecmp(typed, json + 1, n);
    if (n >= 2 && typed[0] == '"' && typed[n - 1] == '"')
        return false;
    return n == jl && !strncmp(typed, json, n);
}

void flow_answer_value(struct flow *f, const char *text)
{
    if (f->state != FLOW_QUIZ)
        return;
    const struct quiz *q = &flow_step(f)->quiz;
    if (q->kind != QUIZ_VALUE)
        return;
    struct sbuf ans;
    sbuf_init(&ans);
    runner_value_answer(f->r, q, &ans);
    bool right = same_value(text, ans.s);
    verdict(f, right, right ? NULL : ans.s);
    sbuf_free(&ans);
}

void flow_refresh(struct flow *f)
{
    if (f->state == FLOW_GOAL && goal_holds(f)) {
        f->state = FLOW_GOAL_DONE;
        sbuf_reset(&f->result);
        sbuf_printf(&f->result, "Goal reached in %d action%s!", f->goal_actions,
                    f->goal_actions == 1 ? "" : "s");
    }
}

/* In a goal, the learner's actions are checked against the forbidden list
 * and counted against max_actions. */
static int goal_permits(const struct flow *f, enum action_kind kind, struct sbuf *why)
{
    if (f->state != FLOW_GOAL)
        return 0;
    const struct goal *g = &flow_step(f)->goal;
    if (g->forbid & (1u << kind)) {
        sbuf_printf(why, "\"%s\" is not allowed in this challenge", lesson_action_names[kind]);
        return -1;
    }
    if (g->max_actions > 0 && f->goal_actions >= g->max_actions) {
        sbuf_printf(why, "no actions left (%d used): b goes back, s plays the solution",
                    g->max_actions);
        return -1;
    }
    return 0;
}

static void goal_counts(struct flow *f)
{
    if (f->state == FLOW_GOAL) {
        f->goal_actions++;
        flow_refresh(f);
    }
}

int flow_action(struct flow *f, const struct action *a, struct sbuf *why)
{
    if (goal_permits(f, a->kind, why) != 0)
        return -1;
    struct sbuf err;
    sbuf_init(&err);
    int rc = runner_action(f->r, a, &err);
    if (rc != 0)
        sbuf_add(why, err.s);
    sbuf_free(&err);
    goal_counts(f);
    return rc;
}

void flow_give_up(struct flow *f)
{
    if (f->state != FLOW_GOAL)
        return;
    const struct goal *g = &flow_step(f)->goal;
    for (size_t i = 0; i < g->n_solution; i++) {
        struct sbuf err;
        sbuf_init(&err);
        if (runner_action(f->r, &g->solution[i], &err) != 0)
            flow_warn(f, err.s);
        sbuf_free(&err);
    }
    f->state = FLOW_GOAL_DONE;
    sbuf_reset(&f->result);
    sbuf_add(&f->result, goal_holds(f) ? "The solution played: the goal holds now."
                                       : "The solution played, but the goal does not hold.");
}

static const char *node_name(const struct lesson *l, int i)
{
    return i >= 0 && i < l->cfg.n_nodes ? l->cfg.names[i] : "?";
}

void flow_action_text(const struct lesson *l, const struct action *a, struct sbuf *out)
{
    sbuf_add(out, lesson_action_names[a->kind]);
    switch (a->kind) {
    case ACT_STEP:
        if (a->count != 1)
            sbuf_printf(out, " %lld events", (long long)a->count);
        break;
    case ACT_RUN:
        if (a->until)
            sbuf_add(out, " until a fact holds");
        if (a->for_ms >= 0)
            sbuf_printf(out, " for %lld ms", (long long)a->for_ms);
        break;
    case ACT_DELIVER:
    case ACT_DROP:
    case ACT_DUPLICATE:
        if (a->all)
            sbuf_add(out, " all");
        if (a->has_match) {
            if (a->match.type != MSG_NONE)
                sbuf_printf(out, " %s", msg_type_name(a->match.type));
            if (a->match.from >= 0 || a->match.to >= 0)
                sbuf_printf(out, " %s\xe2\x86\x92%s",
                            a->match.from >= 0 ? node_name(l, a->match.from) : "*",
                            a->match.to >= 0 ? node_name(l, a->match.to) : "*");
        } else {
            sbuf_add(out, " the first message");
        }
        break;
    case ACT_TIMEOUT:
    case ACT_CRASH:
    case ACT_RESTART:
        sbuf_printf(out, " %s", node_name(l, a->node));
        break;
    case ACT_REQUEST:
    case ACT_PROPOSE:
        sbuf_printf(out, " %s \"%s\"", node_name(l, a->node), a->text ? a->text : "");
        break;
    case ACT_PARTITION: {
        int max = 0;
        for (int i = 0; i < l->cfg.n_nodes; i++)
            if (a->groups[i] > max)
                max = a->groups[i];
        for (int g = 0; g <= max; g++) {
            sbuf_add(out, g ? " |" : "");
            for (int i = 0; i < l->cfg.n_nodes; i++)
                if (a->groups[i] == g)
                    sbuf_printf(out, " %s", l->cfg.names[i]);
        }
        break;
    }
    case ACT_CUT:
    case ACT_LINK:
        sbuf_printf(out, " %s%s%s", node_name(l, a->from),
                    a->both ? "\xe2\x86\x94" : "\xe2\x86\x92", node_name(l, a->to));
        break;
    case ACT_LOAD:
        sbuf_printf(out, " every %lld ms for %lld ms", (long long)a->every, (long long)a->for_ms);
        break;
    case ACT_GOTO:
        sbuf_printf(out, " %s", a->label ? a->label : "");
        break;
    default:
        break;
    }
}

void flow_describe(const struct flow *f, struct sbuf *out)
{
    const struct step *st = flow_step(f);
    const struct sim *s = runner_sim(f->r);
    switch (f->state) {
    case FLOW_SAY:
        facts_render_text(s, st->say, out);
        break;
    case FLOW_DO:
        sbuf_add(out, "Next: ");
        flow_action_text(f->l, &st->act, out);
        sbuf_add(out, " (g to do it)");
        break;
    case FLOW_GOTO:
        sbuf_printf(out, "The lesson goes back to \"%s\". g: go, Esc: skip",
                    st->act.label ? st->act.label : "?");
        break;
    case FLOW_QUIZ:
    case FLOW_ANSWERED: {
        const struct quiz *q = &st->quiz;
        facts_render_text(s, q->question, out);
        for (size_t i = 0; i < q->n_choices; i++)
            sbuf_printf(out, "\n %s%zu) %s", i < sizeof f->picked && f->picked[i] ? "*" : " ",
                        i + 1, q->choices[i]);
        if (f->state == FLOW_ANSWERED) {
            sbuf_printf(out, "\n%s", f->result.s);
        } else if (q->kind == QUIZ_VALUE) {
            sbuf_add(out, "\n(Enter: type your answer)");
        } else if (q->multi) {
            sbuf_add(out, "\n(numbers toggle choices, Enter answers)");
        } else {
            sbuf_add(out, "\n(press the number of your answer)");
        }
        if (f->state == FLOW_QUIZ && q->hint)
            sbuf_printf(out, "\nHint: %s", q->hint);
        break;
    }
    case FLOW_GOAL:
    case FLOW_GOAL_DONE: {
        const struct goal *g = &st->goal;
        sbuf_printf(out, "Goal: ");
        facts_render_text(s, g->text, out);
        if (g->max_actions > 0)
            sbuf_printf(out, "\nActions: %d of %d", f->goal_actions, g->max_actions);
        else
            sbuf_printf(out, "\nActions: %d", f->goal_actions);
        if (g->forbid) {
            sbuf_add(out, "; not allowed:");
            for (int k = 0; k < ACT_COUNT; k++)
                if (g->forbid & (1u << k))
                    sbuf_printf(out, " %s", lesson_action_names[k]);
        }
        if (f->state == FLOW_GOAL_DONE)
            sbuf_printf(out, "\n%s (g: go on)", f->result.s);
        else
            sbuf_add(out, "\n(s: give up and play the solution)");
        break;
    }
    case FLOW_END:
        if (f->l->n_steps == 0)
            sbuf_add(out, "A cluster to play with: step, deliver, crash, partition. ? for keys.");
        else if (f->total)
            sbuf_printf(out, "End of the lesson. Quiz score: %d/%d.", f->score, f->total);
        else
            sbuf_add(out, "End of the lesson.");
        break;
    }
}

void flow_progress(const struct flow *f, char *out, size_t n)
{
    size_t at = f->r->step < f->l->n_steps ? f->r->step + 1 : f->l->n_steps;
    snprintf(out, n, "step %zu/%zu", at, f->l->n_steps);
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
    int rc = runner_action_msg(f->r, kind, id, why);
    if (rc == 0)
        goal_counts(f);
    return rc;
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
            sbuf_printf(why, "no node named \"%s\"", name);
            return -1;
        }
        if (groups[node] >= 0) {
            sbuf_printf(why, "%s is in two groups", name);
            return -1;
        }
        groups[node] = g;
        in_group = 1;
    }
    if (g == 0) {
        sbuf_add(why, "name the groups, e.g. S1 S2 | S3 S4 S5");
        return -1;
    }
    for (int i = 0; i < PROTO_MAX_NODES; i++)
        if (groups[i] < 0)
            groups[i] = g;
    return 0;
}
