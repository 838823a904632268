/* Tests of a lesson in progress (tutor/session/flow.c, the session core, and the
 * history tree of tutor/history.c under it): stepping back and acting
 * opens a new branch and keeps the old one, which can be switched back to
 * exactly; message ids are never reused across branches; goals count
 * actions as the lesson format does and giving up rewinds; every input
 * kind round-trips through its saved form. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>

#include "tutor/facts.h"
#include "tutor/runner.h"
#include "tutor/session/flow.h"
#include "tutor/session/progress_session.h"
#include "tutor/session/transcript_flow.h"
#include "ui/keys.h"

static struct lesson *load_lesson(const char *rel)
{
    const char *top = getenv("top_srcdir");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", top ? top : ".", rel);
    struct lesson *l = NULL;
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    ck_assert_msg(lesson_load(path, &l, &errs) == 0, "%s refused", path);
    lesson_errors_free(&errs);
    return l;
}

/* Every node's fields as text: two equal texts are two equal states. */
static void sim_state_text(const struct sim *s, struct sbuf *out)
{
    static const char *const fields[] = {"up", "role", "term", "voted_for", "log", "commit_index"};
    sbuf_printf(out, "t=%lld ids=%llu |", (long long)s->now, (unsigned long long)s->next_msg_id);
    for (int n = 0; n < s->cfg.n_nodes; n++)
        for (size_t k = 0; k < sizeof fields / sizeof *fields; k++) {
            sim_node_field(s, n, fields[k], out);
            sbuf_addc(out, ' ');
        }
}

static void state_text(const struct runner *r, struct sbuf *out)
{
    sim_state_text(runner_sim(r), out);
}

struct fixture {
    struct lesson *l;
    struct runner *r;
    struct flow f;
    struct sbuf why;
};

static void open_file(struct fixture *x, const char *rel)
{
    x->l = load_lesson(rel);
    x->r = runner_new(x->l);
    flow_init(&x->f, x->r);
    sbuf_init(&x->why);
}

static void open_lesson(struct fixture *x)
{
    open_file(x, "tests/scenarios/raft-figure8.json");
}

/* Answers the open quiz somehow (the first choice, or a wrong value), so
 * that continuing moves on. */
static void answer_any(struct fixture *x)
{
    const struct quiz *q = &flow_step(&x->f)->quiz;
    if (q->kind == QUIZ_VALUE) {
        flow_answer_value(&x->f, "?");
    } else {
        flow_answer_choice(&x->f, 0);
        if (q->multi)
            flow_answer_submit(&x->f);
    }
}

static void close_lesson(struct fixture *x)
{
    flow_free(&x->f);
    runner_free(x->r);
    sbuf_free(&x->why);
    lesson_free(x->l);
}

/* The session's inputs replayed on a fresh one give the same state, the
 * same history position and the same branches kept. */
static void assert_replay_matches(struct fixture *x)
{
    struct runner *r2 = runner_new(x->l);
    struct flow g;
    flow_init(&g, r2);
    ck_assert_uint_eq(flow_replay(&g, x->f.inputs.s), x->f.n_inputs);
    struct sbuf s1, s2;
    sbuf_init(&s1);
    sbuf_init(&s2);
    state_text(x->r, &s1);
    state_text(r2, &s2);
    ck_assert_str_eq(s1.s, s2.s);
    ck_assert_uint_eq(r2->h->pos, x->r->h->pos);
    ck_assert_uint_eq(r2->h->n_branches, x->r->h->n_branches);
    sbuf_free(&s1);
    sbuf_free(&s2);
    flow_free(&g);
    runner_free(r2);
}

static void steps(struct fixture *x, int n)
{
    struct action a;
    flow_simple_action(&a, ACT_STEP, -1, NULL);
    a.count = n;
    ck_assert_int_eq(flow_action(&x->f, &a, &x->why), 0);
}

/* "History is a tree: stepping back and acting opens a new branch, keeps
 * the old one": the future left behind is a branch, and switching to it
 * brings back exactly the state, the length and the lesson step it had. */
START_TEST(test_stepping_back_and_acting_keeps_the_old_branch)
{
    struct fixture x;
    open_lesson(&x);
    flow_continue(&x.f, &x.why);
    steps(&x, 30);
    struct history *h = x.r->h;
    size_t end = h->pos, ops = h->n_ops, step = x.r->step;
    struct sbuf before, after;
    sbuf_init(&before);
    sbuf_init(&after);
    state_text(x.r, &before);
    size_t feed_n = h->feed.n;
    flow_seek(&x.f, end - 20);
    struct action a;
    flow_simple_action(&a, ACT_CRASH, 1, NULL);
    ck_assert_int_eq(flow_action(&x.f, &a, &x.why), 0);
    steps(&x, 5);
    ck_assert_uint_eq(h->n_branches, 1);
    ck_assert_uint_eq(h->branches[0].fork_pos, end - 20);
    ck_assert_uint_eq(h->branches[0].n_ops, 20);
    ck_assert(h->forked);
    size_t new_end = h->pos;
    struct sbuf mine;
    sbuf_init(&mine);
    state_text(x.r, &mine);

    ck_assert_int_eq(flow_switch_branch(&x.f, 0, &x.why), 0);
    ck_assert_uint_eq(h->pos, end);
    ck_assert_uint_eq(h->n_ops, ops);
    ck_assert_uint_eq(x.r->step, step);
    ck_assert_uint_eq(h->feed.n, feed_n);
    state_text(x.r, &after);
    /* The same cluster, save the id counter, which only goes up. */
    ck_assert_str_eq(strchr(after.s, '|'), strchr(before.s, '|'));
    /* And the branch just left is kept in turn. */
    ck_assert_uint_eq(h->n_branches, 1);
    ck_assert_uint_eq(h->branches[0].n_ops, new_end - (end - 20));
    ck_assert_int_eq(flow_switch_branch(&x.f, 0, &x.why), 0);
    sbuf_reset(&after);
    state_text(x.r, &after);
    ck_assert_str_eq(strchr(after.s, '|'), strchr(mine.s, '|'));
    ck_assert_int_eq(flow_switch_branch(&x.f, 7, &x.why), -1);
    sbuf_free(&before);
    sbuf_free(&after);
    sbuf_free(&mine);
    close_lesson(&x);
}
END_TEST

/* "Message ids are never reused across branches": a message sent on the
 * new branch has an id above every id the old branch used. */
START_TEST(test_message_ids_never_reused_across_branches)
{
    struct fixture x;
    open_lesson(&x);
    flow_continue(&x.f, &x.why);
    steps(&x, 40);
    struct history *h = x.r->h;
    uint64_t old_high = 0;
    struct feed_line l;
    for (size_t i = 0; i < h->feed.n; i++) {
        feed_get(&h->feed, i, &l);
        if (l.msg_id > old_high)
            old_high = l.msg_id;
    }
    ck_assert_uint_gt(old_high, 0);
    size_t fork = h->pos - 30;
    flow_seek(&x.f, fork);
    steps(&x, 30);
    size_t fresh = 0;
    for (size_t i = 0; i < h->feed.n; i++) {
        feed_get(&h->feed, i, &l);
        if (l.pos > fork && l.kind == FEED_SEND) {
            ck_assert_uint_gt(l.msg_id, old_high);
            fresh++;
        }
    }
    ck_assert_uint_gt(fresh, 0);
    /* Seeking within the new branch replays its ids exactly. */
    uint64_t ids = runner_sim(x.r)->next_msg_id;
    history_seek(h, fork + 1);
    history_seek(h, fork + 30);
    ck_assert_uint_eq(runner_sim(x.r)->next_msg_id, ids);
    close_lesson(&x);
}
END_TEST

/* A fork before an older fork point carries the older branch along: both
 * earlier futures stay reachable. */
START_TEST(test_nested_forks_keep_every_future)
{
    struct fixture x;
    open_lesson(&x);
    flow_continue(&x.f, &x.why);
    steps(&x, 30);
    struct history *h = x.r->h;
    struct sbuf a_end, b_end, now;
    sbuf_init(&a_end);
    sbuf_init(&b_end);
    sbuf_init(&now);
    state_text(x.r, &a_end);
    size_t top = h->pos;
    flow_seek(&x.f, top - 10);
    steps(&x, 3); /* branch A left at top-10 */
    state_text(x.r, &b_end);
    flow_seek(&x.f, top - 25);
    steps(&x, 2); /* branch B left at top-25; A rebased onto it */
    ck_assert_uint_eq(h->n_branches, 2);
    int found_a = 0, found_b = 0;
    for (int round = 0; round < 4; round++) {
        /* Switch to the oldest branch each time: every future comes round. */
        ck_assert_int_eq(flow_switch_branch(&x.f, 0, &x.why), 0);
        sbuf_reset(&now);
        state_text(x.r, &now);
        found_a |= !strcmp(strchr(now.s, '|'), strchr(a_end.s, '|'));
        found_b |= !strcmp(strchr(now.s, '|'), strchr(b_end.s, '|'));
        ck_assert_uint_eq(h->n_branches, 2);
    }
    ck_assert(found_a && found_b);
    sbuf_free(&a_end);
    sbuf_free(&b_end);
    sbuf_free(&now);
    close_lesson(&x);
}
END_TEST

/* A branch switch is an input: the log replays to the same run. */
START_TEST(test_branch_switch_replays)
{
    struct fixture x;
    open_lesson(&x);
    flow_continue(&x.f, &x.why);
    steps(&x, 20);
    flow_seek(&x.f, 10);
    steps(&x, 4);
    ck_assert_int_eq(flow_switch_branch(&x.f, 0, &x.why), 0);
    ck_assert(strstr(x.f.inputs.s, "{\"kind\": \"branch\", \"branch\": 0}") != NULL);
    ck_assert_int_eq(flow_inputs_check(x.l, x.f.inputs.s, &x.why), 0);
    assert_replay_matches(&x);
    close_lesson(&x);
}
END_TEST

/* A stop hook that says stop at its n-th question. */
struct stop_after {
    int asked, at;
};

static bool stop_at(void *ctx)
{
    struct stop_after *s = ctx;
    return ++s->asked == s->at;
}

/* "Whatever runs long can be interrupted: in the UI any key stops it
 * where it is" (lesson format, Errors): a learner's step N, run, settle
 * and load stopped half-way leave the cluster where it was stopped, the
 * record holds the action asked and the shorter action that ran
 * ("stopped"), and replaying the record on a fresh session stops there:
 * exactly that state. */
static void stopped_action_replays(const char *json, const char *recorded_prefix)
{
    struct fixture x;
    open_file(&x, "bench/load-2s.json");
    struct stop_after stop = {0, 60};
    x.f.stop = stop_at;
    x.f.stop_ctx = &stop;
    ck_assert_int_eq(
        flow_action_json(&x.f, "{\"do\": \"load\", \"every\": 10, \"for\": 2000}", &x.why), 0);
    ck_assert_msg(x.f.stopped, "%s: the first load was not stopped", json);
    stop = (struct stop_after){0, 10};
    sbuf_reset(&x.why);
    ck_assert_int_eq(flow_action_json(&x.f, json, &x.why), 0);
    ck_assert_msg(x.f.stopped, "%s was not stopped", json);
    ck_assert_msg(strstr(x.why.s, "stopped") != NULL, "why: %s", x.why.s);
    struct sbuf want;
    sbuf_init(&want);
    sbuf_printf(&want, "{\"kind\": \"do\", \"action\": %s, \"stopped\": %s", json, recorded_prefix);
    ck_assert_msg(strstr(x.f.inputs.s, want.s) != NULL, "%s recorded as: %s", json, x.f.inputs.s);
    sbuf_free(&want);
    assert_replay_matches(&x);
    close_lesson(&x);
}

START_TEST(test_any_key_stops_a_long_run_where_it_is)
{
    stopped_action_replays("{\"do\": \"step\", \"count\": 1000000}",
                           "{\"do\": \"step\", \"count\": ");
    stopped_action_replays("{\"do\": \"run\", \"for\": 3600000, \"max\": 3600000}",
                           "{\"do\": \"run\", \"for\": ");
    stopped_action_replays("{\"do\": \"run\", \"until\": {\"time\": 3599999}, \"max\": 3600000}",
                           "{\"do\": \"run\", \"for\": ");
    stopped_action_replays("{\"do\": \"load\", \"every\": 7, \"for\": 3600000, \"prefix\": \"k\"}",
                           "{\"do\": \"load\", \"every\": 7, \"for\": ");
}
END_TEST

/* The same for settle, which delivers in send order and fires no timer:
 * stopped after k deliveries, it is recorded as settle with count k. */
START_TEST(test_a_stopped_settle_is_recorded_by_its_deliveries)
{
    stopped_action_replays("{\"do\": \"settle\", \"max\": 1000000}",
                           "{\"do\": \"settle\", \"max\": 1000000, \"count\": ");
}
END_TEST

/* The state a lesson reaches going on n times without stopping. */
static void state_after_continues(const char *rel, int n, struct sbuf *out)
{
    struct fixture x;
    open_file(&x, rel);
    for (int i = 0; i < n; i++)
        flow_continue(&x.f, &x.why);
    state_text(x.r, out);
    close_lesson(&x);
}

/* "Whatever runs long can be interrupted" holds for a lesson's own do
 * step too: stopped part-way, the lesson stays at that step, its record
 * says where it stopped, and going on runs what is left — the step in
 * parts does exactly what it does at once, and the record replays. */
static void a_stopped_step_goes_on_as_if_whole(const char *rel, int stop_after)
{
    struct sbuf whole, parts;
    sbuf_init(&whole);
    sbuf_init(&parts);
    state_after_continues(rel, 1, &whole);
    struct fixture x;
    open_file(&x, rel);
    struct stop_after stop = {0, stop_after};
    x.f.stop = stop_at;
    x.f.stop_ctx = &stop;
    ck_assert(flow_continue(&x.f, &x.why));
    ck_assert_msg(x.f.stopped, "%s: the step was not stopped", rel);
    ck_assert_int_eq(x.f.state, FLOW_DO);
    ck_assert_uint_eq(x.r->step, 0);
    ck_assert_msg(strstr(x.why.s, "rest of this step") != NULL, "why: %s", x.why.s);
    ck_assert_msg(strstr(x.f.inputs.s, "{\"kind\": \"continue\", \"stopped\": {\"do\": ") != NULL,
                  "recorded as: %s", x.f.inputs.s);
    assert_replay_matches(&x);
    /* Stopped a second time, then run to its end. */
    stop = (struct stop_after){0, stop_after};
    sbuf_reset(&x.why);
    ck_assert(flow_continue(&x.f, &x.why));
    ck_assert(x.f.stopped);
    x.f.stop = NULL;
    ck_assert(flow_continue(&x.f, &x.why));
    ck_assert(!x.f.stopped);
    ck_assert_uint_gt(x.r->step, 0);
    state_text(x.r, &parts);
    ck_assert_str_eq(parts.s, whole.s);
    assert_replay_matches(&x);
    close_lesson(&x);
    sbuf_free(&whole);
    sbuf_free(&parts);
}

START_TEST(test_a_stopped_lesson_step_runs_its_rest_on_going_on)
{
    /* A scripted load (its first step), and a scripted run. */
    a_stopped_step_goes_on_as_if_whole("bench/load-2s.json", 40);
    a_stopped_step_goes_on_as_if_whole("tests/scenarios/long-run-step.json", 40);
}
END_TEST

/* Stepping back into the part of a stopped step that ran, going on first
 * goes forward to where it stopped (nothing is thrown away), then runs
 * the rest. */
START_TEST(test_going_on_inside_a_stopped_step_resumes_where_it_stopped)
{
    struct sbuf whole, now;
    sbuf_init(&whole);
    sbuf_init(&now);
    state_after_continues("bench/load-2s.json", 1, &whole);
    struct fixture x;
    open_file(&x, "bench/load-2s.json");
    struct stop_after stop = {0, 40};
    x.f.stop = stop_at;
    x.f.stop_ctx = &stop;
    ck_assert(flow_continue(&x.f, &x.why));
    ck_assert(x.f.stopped);
    x.f.stop = NULL;
    size_t stopped_at = x.r->h->pos;
    ck_assert_uint_gt(stopped_at, 10);
    flow_seek(&x.f, stopped_at / 2);
    ck_assert_int_eq(x.f.state, FLOW_DO);
    ck_assert(flow_continue(&x.f, &x.why));
    ck_assert_uint_eq(x.r->h->n_branches, 0);
    state_text(x.r, &now);
    ck_assert_str_eq(now.s, whole.s);
    assert_replay_matches(&x);
    close_lesson(&x);
    sbuf_free(&whole);
    sbuf_free(&now);
}
END_TEST

/* An empty Enter at a choose-several quiz is no answer: it costs no try
 * and records nothing; a pick then submitted is judged as usual. */
START_TEST(test_an_empty_submit_costs_no_try)
{
    struct fixture x;
    open_file(&x, "tests/fixtures/en/01-consensus-basics.json");
    for (int guard = 0; guard < 200; guard++) {
        if (x.f.state == FLOW_QUIZ && flow_step(&x.f)->quiz.multi)
            break;
        if (x.f.state == FLOW_QUIZ)
            answer_any(&x);
        flow_continue(&x.f, &x.why);
    }
    ck_assert_int_eq(x.f.state, FLOW_QUIZ);
    ck_assert(flow_step(&x.f)->quiz.multi);
    size_t inputs = x.f.n_inputs;
    ck_assert(!flow_answer_submit(&x.f));
    ck_assert_uint_eq(x.f.n_inputs, inputs);
    ck_assert_int_eq(x.f.tries, 0);
    ck_assert_int_eq(x.f.state, FLOW_QUIZ);
    flow_answer_choice(&x.f, 0);
    ck_assert(flow_answer_submit(&x.f));
    ck_assert_uint_eq(x.f.n_inputs, inputs + 2);
    close_lesson(&x);
}
END_TEST

/* "Any key stops a long ... predict look-ahead": the prediction is then not
 * taken — nothing is recorded and the quiz still waits — and answering
 * again has it checked as usual. */
START_TEST(test_a_stopped_look_ahead_takes_no_prediction)
{
    struct fixture x;
    open_file(&x, "tests/scenarios/contract-raft-quiz.json");
    while (flow_step(&x.f) &&
           (x.f.state != FLOW_QUIZ || flow_step(&x.f)->quiz.kind != QUIZ_PREDICT)) {
        if (x.f.state == FLOW_QUIZ)
            answer_any(&x);
        ck_assert(flow_continue(&x.f, &x.why) || x.f.state == FLOW_QUIZ);
    }
    ck_assert_ptr_nonnull(flow_step(&x.f));
    size_t inputs = x.f.n_inputs, pos = x.r->h->pos;
    struct stop_after stop = {0, 1};
    x.f.stop = stop_at;
    x.f.stop_ctx = &stop;
    flow_answer_choice(&x.f, 0);
    ck_assert(x.f.stopped);
    ck_assert_int_eq(x.f.state, FLOW_QUIZ);
    ck_assert_uint_eq(x.f.n_inputs, inputs);
    ck_assert_uint_eq(x.r->h->pos, pos);
    x.f.stop = NULL;
    flow_answer_choice(&x.f, 0);
    ck_assert(!x.f.stopped);
    ck_assert_int_eq(x.f.state, FLOW_PREDICTED);
    ck_assert_uint_eq(x.f.n_inputs, inputs + 1);
    close_lesson(&x);
}
END_TEST

/* Opens lesson rel and continues until its first goal. */
static void to_first_goal(struct fixture *x, const char *rel)
{
    open_file(x, rel);
    for (int guard = 0; x->f.state != FLOW_GOAL && guard < 10000; guard++) {
        if (x->f.state == FLOW_QUIZ)
            answer_any(x);
        flow_continue(&x->f, &x->why);
    }
    ck_assert_int_eq(x->f.state, FLOW_GOAL);
}

/* "Letting time pass is free — step (any count), run and settle never
 * count; every other action the learner takes counts one." */
START_TEST(test_time_passing_is_free_every_other_action_counts_one)
{
    struct fixture x;
    to_first_goal(&x, "lessons/en/02-raft-election.json");
    struct action a;
    for (int i = 0; i < 30; i++) {
        flow_simple_action(&a, ACT_STEP, -1, NULL);
        ck_assert_int_eq(flow_action(&x.f, &a, &x.why), 0);
    }
    ck_assert_int_eq(x.f.state, FLOW_GOAL);
    ck_assert_int_eq(x.f.goal_actions, 0);
    flow_simple_action(&a, ACT_TIMEOUT, 0, NULL);
    flow_action(&x.f, &a, &x.why);
    ck_assert_int_eq(x.f.goal_actions, 1);
    flow_simple_action(&a, ACT_SETTLE, -1, NULL);
    flow_action(&x.f, &a, &x.why);
    ck_assert_int_eq(x.f.goal_actions, 1);
    close_lesson(&x);
}
END_TEST

/* An action that changes nothing costs no action of a goal's budget: a
 * crash of a node that is down, the timer of a node that is down, a
 * request the engine refuses (a node that does not lead), a delivery to a
 * node that is down (the message is only lost). */
START_TEST(test_refused_or_empty_actions_cost_nothing)
{
    struct fixture x;
    to_first_goal(&x, "lessons/en/04-raft-leader-crash.json");
    const struct sim *s = runner_sim(x.r);
    /* Two nodes up that do not lead (lesson 04's leader is down). */
    int down = -1, other = -1;
    for (int i = 0; i < s->cfg.n_nodes; i++)
        if (sim_node_up(s, i) && i != facts_leader(s)) {
            if (down < 0)
                down = i;
            else if (other < 0)
                other = i;
        }
    ck_assert_int_ge(other, 0);
    struct action a;
    flow_simple_action(&a, ACT_CRASH, down, NULL);
    ck_assert_int_eq(flow_action(&x.f, &a, &x.why), 0);
    ck_assert_int_eq(x.f.goal_actions, 1);
    flow_action(&x.f, &a, &x.why); /* already down */
    ck_assert_int_eq(x.f.goal_actions, 1);
    flow_simple_action(&a, ACT_TIMEOUT, down, NULL);
    flow_action(&x.f, &a, &x.why); /* down: no timer */
    ck_assert_int_eq(x.f.goal_actions, 1);
    flow_simple_action(&a, ACT_REQUEST, other, "x");
    flow_action(&x.f, &a, &x.why); /* a follower refuses, naming the leader */
    ck_assert_int_eq(x.f.goal_actions, 1);
    flow_simple_action(&a, ACT_TIMEOUT, other, NULL);
    flow_action(&x.f, &a, &x.why); /* a real election: RequestVotes to all */
    ck_assert_int_eq(x.f.goal_actions, 2);
    uint64_t to_down = 0;
    for (size_t i = 0; i < s->n_pending && !to_down; i++)
        if (s->pending[i].m.to == down)
            to_down = s->pending[i].id;
    ck_assert_uint_ne(to_down, 0);
    ck_assert_int_eq(flow_msg_action(&x.f, ACT_DELIVER, to_down, &x.why), 0);
    ck_assert_int_eq(x.f.goal_actions, 2);
    close_lesson(&x);
}
END_TEST

/* "Giving up plays the solution from the state the goal started in, not
 * from wherever the learner left the cluster" — and the learner's attempt
 * is kept as a branch. */
START_TEST(test_giving_up_plays_the_solution_from_where_the_goal_started)
{
    struct fixture x;
    to_first_goal(&x, "lessons/en/03-raft-replication.json");
    struct history *h = x.r->h;
    size_t start = h->pos;
    struct sbuf at_start, after;
    sbuf_init(&at_start);
    sbuf_init(&after);
    state_text(x.r, &at_start);
    struct action a;
    flow_simple_action(&a, ACT_STEP, -1, NULL);
    a.count = 25;
    flow_action(&x.f, &a, &x.why);
    ck_assert_uint_gt(h->pos, start);
    flow_give_up(&x.f);
    ck_assert_int_eq(x.f.state, FLOW_SOLUTION);
    ck_assert_uint_eq(h->pos, start);
    state_text(x.r, &after);
    ck_assert_str_eq(after.s, at_start.s);
    while (x.f.state == FLOW_SOLUTION)
        flow_continue(&x.f, &x.why);
    ck_assert_int_eq(x.f.state, FLOW_GOAL_DONE);
    ck_assert_ptr_nonnull(strstr(x.f.result.s, "the goal holds"));
    ck_assert_uint_ge(h->n_branches, 1);
    sbuf_free(&at_start);
    sbuf_free(&after);
    close_lesson(&x);
}
END_TEST

/* The score, as the lesson panel and the plain mode show it. */
static void assert_score_text(const struct flow *f, const char *want)
{
    char text[64];
    bool shown = flow_score_text(f, text, sizeof text);
    ck_assert_msg(shown == (want != NULL), "score shown: %s", text);
    if (want)
        ck_assert_str_eq(text, want);
}

/* "The score is one rule everywhere ... of the points of what was tried"
 * (tutor.1): the lesson panel shows no score before a quiz is answered,
 * then the points earned of the quizzes tried, never of the whole lesson;
 * the transcript that verify, grade and the export read says the same. */
START_TEST(test_the_score_is_of_what_was_tried_in_every_view)
{
    struct fixture x;
    open_file(&x, "tests/scenarios/contract-raft-quiz.json");
    struct transcript *t = transcript_new(x.l, TRANSCRIPT_LEARNER, &(struct transcript_meta){0});
    transcript_flow_begin(t, &x.f);
    assert_score_text(&x.f, NULL);
    flow_continue(&x.f, &x.why); /* past the say, to the 2-point quiz */
    ck_assert_int_eq(x.f.state, FLOW_QUIZ);
    assert_score_text(&x.f, NULL);
    flow_answer_choice(&x.f, 0);
    flow_answer_choice(&x.f, 1);
    ck_assert(flow_answer_submit(&x.f));
    transcript_flow_record(t, &x.f);
    assert_score_text(&x.f, "score 2/2");
    flow_continue(&x.f, &x.why); /* the 1-point quiz: wrong twice */
    flow_answer_choice(&x.f, 1);
    flow_answer_choice(&x.f, 1);
    transcript_flow_record(t, &x.f);
    ck_assert_int_eq(x.f.state, FLOW_ANSWERED);
    assert_score_text(&x.f, "score 2/3");
    ck_assert_int_eq(x.f.score.earned, 2);
    ck_assert_int_eq(x.f.score.of, 3);
    ck_assert_int_eq(t->e[t->n - 1].score, 2);
    ck_assert_int_eq(t->e[t->n - 1].total, 3);
    /* The question that offers to resume says the same score, and none
     * before anything was tried. */
    char q[200];
    struct progress saved = {.step = 2, .n_steps = 12, .score = 2, .total = 3};
    progress_session_question(&saved, q, sizeof q);
    ck_assert_str_eq(q, "Resume where you left off (step 3/12, score 2/3)?");
    saved.score = saved.total = 0;
    progress_session_question(&saved, q, sizeof q);
    ck_assert_str_eq(q, "Resume where you left off (step 3/12)?");
    transcript_free(t);
    close_lesson(&x);
}
END_TEST

/* The learner is in a detour that began at position at, and is told so. */
static void assert_in_detour(struct fixture *x, size_t at)
{
    ck_assert(x->f.detour);
    ck_assert_uint_eq(x->f.detour_pos, at);
    struct sbuf text;
    sbuf_init(&text);
    flow_describe(&x->f, &text);
    ck_assert_ptr_nonnull(strstr(text.s, "exploring off the script"));
    sbuf_free(&text);
}

/* "A cluster-changing key pressed during a scripted stretch starts a
 * detour ... g takes them back to the exact script point and goes on": the
 * lesson's next do runs on the state the script made, so its expects
 * never warn because of the learner, and the detour stays as a branch. */
START_TEST(test_detour_returns_to_the_script_point_without_warnings)
{
    struct fixture plain, wander;
    open_lesson(&plain);
    open_lesson(&wander);
    /* The script alone, to the end. */
    for (int i = 0; i < 200 && plain.f.state != FLOW_END; i++)
        flow_continue(&plain.f, &plain.why);
    /* The same, with a detour at every do step: steps, a crash, a timer. */
    struct action a;
    for (int i = 0; i < 200 && wander.f.state != FLOW_END; i++) {
        if (wander.f.state == FLOW_DO || wander.f.state == FLOW_SAY) {
            size_t at = wander.r->h->pos;
            flow_simple_action(&a, ACT_STEP, -1, NULL);
            a.count = 4;
            flow_action(&wander.f, &a, &wander.why);
            flow_simple_action(&a, ACT_CRASH, 2, NULL);
            flow_action(&wander.f, &a, &wander.why);
            assert_in_detour(&wander, at);
        }
        flow_continue(&wander.f, &wander.why);
        ck_assert(!wander.f.detour);
    }
    ck_assert_int_eq(wander.f.state, FLOW_END);
    struct sbuf s1, s2;
    sbuf_init(&s1);
    sbuf_init(&s2);
    state_text(plain.r, &s1);
    state_text(wander.r, &s2);
    /* The same cluster at the end (ids aside: they only go up). */
    ck_assert_str_eq(strchr(s2.s, '|'), strchr(s1.s, '|'));
    /* No author's warning came from the learner's detours. */
    for (size_t i = 0; i < wander.r->h->feed.n; i++) {
        sbuf_reset(&s1);
        feed_text(&wander.r->h->feed, i, &s1);
        ck_assert_msg(!strstr(s1.s, "expected something else"), "%s", s1.s);
    }
    ck_assert_uint_gt(wander.r->h->n_branches, 0);
    sbuf_free(&s1);
    sbuf_free(&s2);
    close_lesson(&plain);
    close_lesson(&wander);
}
END_TEST

/* A detour's positions stay the learner's when b/f or B come back onto
 * them: g still returns to the script point, so the lesson never goes on
 * from a cluster the learner changed. */
START_TEST(test_back_forward_or_branch_onto_a_detour_keeps_the_way_back)
{
    struct fixture x;
    open_lesson(&x);
    size_t at = x.r->h->pos;
    struct action a;
    flow_simple_action(&a, ACT_CRASH, 2, NULL);
    ck_assert_int_eq(flow_action(&x.f, &a, &x.why), 0);
    ck_assert(x.f.detour);
    size_t top = x.r->h->pos;
    /* b onto the script's past, f back onto the detour. */
    flow_seek(&x.f, at);
    ck_assert(!x.f.detour);
    flow_seek(&x.f, top);
    assert_in_detour(&x, at);
    /* b, a new detour (the old one becomes a branch), B back onto the old. */
    flow_seek(&x.f, at);
    flow_simple_action(&a, ACT_TIMEOUT, 1, NULL);
    ck_assert_int_eq(flow_action(&x.f, &a, &x.why), 0);
    ck_assert_uint_ge(x.r->h->n_branches, 1);
    ck_assert_int_eq(flow_switch_branch(&x.f, 0, &x.why), 0);
    assert_in_detour(&x, at);
    /* g goes on from the script point: the cluster the script alone makes. */
    flow_continue(&x.f, &x.why);
    ck_assert(!x.f.detour);
    struct fixture plain;
    open_lesson(&plain);
    flow_continue(&plain.f, &plain.why);
    struct sbuf s1, s2;
    sbuf_init(&s1);
    sbuf_init(&s2);
    state_text(plain.r, &s1);
    state_text(x.r, &s2);
    ck_assert_str_eq(strchr(s2.s, '|'), strchr(s1.s, '|'));
    sbuf_free(&s1);
    sbuf_free(&s2);
    close_lesson(&plain);
    close_lesson(&x);
}
END_TEST

/* "A detour ... going on returns to the exact point of the script": the
 * lesson's text still tells the script's run while the learner is off it,
 * so its placeholders read the cluster at the script point, not the one
 * the learner changed — on the detour, after b/f back onto it, and after
 * B back onto it from another branch. */
START_TEST(test_a_detour_leaves_the_narration_with_the_scripts_values)
{
    static const char *const told = "All in term 0; S2 is a follower.";
    struct fixture x;
    open_file(&x, "tests/scenarios/contract-raft-quiz.json");
    struct sbuf text;
    sbuf_init(&text);
    flow_describe(&x.f, &text);
    ck_assert_ptr_nonnull(strstr(text.s, told));
    size_t at = x.r->h->pos;
    /* S2's timer fires: it is a candidate of term 1 now. */
    struct action a;
    flow_simple_action(&a, ACT_TIMEOUT, 1, NULL);
    ck_assert_int_eq(flow_action(&x.f, &a, &x.why), 0);
    sbuf_reset(&text);
    sim_node_field(runner_sim(x.r), 1, "term", &text);
    ck_assert_str_eq(text.s, "1");
    assert_in_detour(&x, at);
    sbuf_reset(&text);
    flow_describe(&x.f, &text);
    ck_assert_msg(strstr(text.s, told) != NULL, "%s", text.s);
    /* b onto the script point and f back onto the detour. */
    size_t top = x.r->h->pos;
    flow_seek(&x.f, at);
    ck_assert(!x.f.detour);
    flow_seek(&x.f, top);
    assert_in_detour(&x, at);
    sbuf_reset(&text);
    flow_describe(&x.f, &text);
    ck_assert_msg(strstr(text.s, told) != NULL, "%s", text.s);
    /* Another detour from the same point (the first becomes a branch),
     * S1 crashed this time; B back onto the first one. */
    flow_seek(&x.f, at);
    flow_simple_action(&a, ACT_CRASH, 0, NULL);
    ck_assert_int_eq(flow_action(&x.f, &a, &x.why), 0);
    ck_assert_int_eq(flow_switch_branch(&x.f, 0, &x.why), 0);
    assert_in_detour(&x, at);
    sbuf_reset(&text);
    flow_describe(&x.f, &text);
    ck_assert_msg(strstr(text.s, told) != NULL, "%s", text.s);
    /* Going on returns to the script: the next step, on the script's cluster. */
    ck_assert(flow_continue(&x.f, &x.why));
    ck_assert(!x.f.detour);
    ck_assert_ptr_null(x.f.script_state);
    ck_assert_int_eq(x.f.state, FLOW_QUIZ);
    sbuf_reset(&text);
    sim_node_field(runner_sim(x.r), 1, "term", &text);
    ck_assert_str_eq(text.s, "0");
    sbuf_free(&text);
    close_lesson(&x);
}
END_TEST

/* history_state_at(pos) is the state a seek to pos shows, made without
 * moving the history: from the live state forward, or from a snapshot
 * back. */
START_TEST(test_the_state_at_a_position_is_the_one_a_seek_shows)
{
    struct fixture x;
    open_lesson(&x);
    for (int i = 0; i < 40 && x.f.state != FLOW_END; i++) {
        if (x.f.state == FLOW_QUIZ)
            answer_any(&x);
        flow_continue(&x.f, &x.why);
    }
    struct history *h = x.r->h;
    size_t n = h->n_ops;
    ck_assert_uint_gt(n, 3);
    flow_seek(&x.f, n / 2);
    struct sbuf want, got;
    sbuf_init(&want);
    sbuf_init(&got);
    size_t probes[] = {0, 1, n / 2 - 1, n / 2, n / 2 + 1, n - 1, n};
    for (size_t k = 0; k < sizeof probes / sizeof *probes; k++) {
        struct sim *s = history_state_at(h, probes[k]);
        ck_assert_uint_eq(h->pos, n / 2);
        sbuf_reset(&got);
        sim_state_text(s, &got);
        sim_free(s);
        history_seek(h, probes[k]);
        sbuf_reset(&want);
        sim_state_text(h->cur, &want);
        history_seek(h, n / 2);
        ck_assert_str_eq(got.s, want.s);
    }
    sbuf_free(&want);
    sbuf_free(&got);
    close_lesson(&x);
}
END_TEST

/* Every input kind the flow logs reads back through the one reader and
 * writes out the same bytes. */
START_TEST(test_every_saved_input_kind_round_trips)
{
    static const char *const lines[] = {
        "{\"kind\": \"continue\"}",
        "{\"kind\": \"skip_goto\"}",
        "{\"kind\": \"choice\", \"choice\": 2}",
        "{\"kind\": \"submit\"}",
        "{\"kind\": \"value\", \"text\": \"S1 \\\"x\\\" 李\"}",
        "{\"kind\": \"hint\"}",
        "{\"kind\": \"do\", \"action\": {\"do\": \"partition\", \"groups\": [[\"S1\"], [\"S2\", "
        "\"S3\"]]}}",
        "{\"kind\": \"message\", \"do\": \"duplicate\", \"id\": 12}",
        "{\"kind\": \"give_up\"}",
        "{\"kind\": \"seek\", \"pos\": 7}",
        "{\"kind\": \"branch\", \"branch\": 1}",
        "{\"kind\": \"explore\"}",
    };
    ck_assert_uint_eq(sizeof lines / sizeof *lines, TI_COUNT - 1); /* all but the script's */
    struct lesson *l = load_lesson("tests/scenarios/raft-figure8.json");
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        struct transcript_in in;
        struct sbuf err, out;
        sbuf_init(&err);
        sbuf_init(&out);
        ck_assert_msg(transcript_input_parse(lines[i], "inputs[0]", &in, &err) == 0, "%s: %s",
                      lines[i], err.s);
        ck_assert_int_eq(transcript_input_check(l, &in, "inputs[0]", &err), 0);
        transcript_input_json(&out, &in);
        ck_assert_str_eq(out.s, lines[i]);
        transcript_in_free(&in);
        sbuf_free(&err);
        sbuf_free(&out);
    }
    lesson_free(l);
}
END_TEST

/* One solution action given the way the keys give it: a message picked in
 * the list (the first that matches) and delivered, dropped or duplicated
 * by its id; time let pass one event at a time (Space) when the solution
 * runs until a fact; anything else built as a key builds it. False when no
 * key offers the action. */
static bool give_by_key(struct fixture *x, const struct action *a, const char *where)
{
    struct sbuf why;
    sbuf_init(&why);
    bool ok = true;
    /* The key table is the authority on what the learner can do. */
    if (!ui_keys_offer(a->kind == ACT_RUN && a->until ? ACT_STEP : a->kind)) {
        sbuf_free(&why);
        return false;
    }
    if (a->kind == ACT_RUN && a->until) {
        /* Space, one event at a time, until the fact holds. */
        struct action step;
        flow_simple_action(&step, ACT_STEP, -1, NULL);
        int64_t end = runner_sim(x->r)->now + a->max;
        while (x->f.state == FLOW_GOAL && !fact_holds(runner_sim(x->r), a->until, NULL) &&
               runner_sim(x->r)->now <= end)
            ck_assert_int_eq(flow_action(&x->f, &step, &why), 0);
        sbuf_free(&why);
        return true;
    }
    switch (a->kind) {
    case ACT_DELIVER:
    case ACT_DROP:
    case ACT_DUPLICATE: {
        bool any = false;
        for (;;) {
            const struct sim *s = runner_sim(x->r);
            uint64_t id = 0;
            for (size_t i = 0; i < s->n_pending && !id; i++)
                if (!a->has_match || filter_matches(s, &a->match, &s->pending[i].m))
                    id = s->pending[i].id;
            if (!id)
                break;
            ck_assert_msg(flow_msg_action(&x->f, a->kind, id, &why) == 0, "%s: %s", where, why.s);
            any = true;
            if (!a->all || a->kind == ACT_DUPLICATE)
                break;
        }
        ck_assert_msg(any || a->kind == ACT_DROP, "%s: no message to pick", where);
        break;
    }
    case ACT_RUN:
    case ACT_STEP:
    case ACT_SETTLE:
    case ACT_TIMEOUT:
    case ACT_CRASH:
    case ACT_RESTART:
    case ACT_REQUEST:
    case ACT_PROPOSE:
    case ACT_PARTITION:
    case ACT_HEAL:
    case ACT_CUT:
    case ACT_LINK:
    case ACT_READ: /* ':' read NODE KEY, transfer NODE, add_server NODE, ... */
    case ACT_TRANSFER:
    case ACT_ADD_SERVER:
    case ACT_REMOVE_SERVER:
    case ACT_SNAPSHOT:
        ck_assert_msg(flow_action(&x->f, a, &why) == 0 || a->kind == ACT_REQUEST ||
                          a->kind == ACT_PROPOSE,
                      "%s: %s", where, why.s);
        break;
    default:
        ok = false;
        break;
    }
    sbuf_free(&why);
    return ok;
}

/* "Every goal of every shipped lesson, in both languages, through the
 * same input path the keys use ... reachable within max_actions", and no
 * solution uses an action no key offers. */
static void play_every_goal(const char *lang)
{
    const char *top = getenv("top_srcdir");
    char folder[1024];
    snprintf(folder, sizeof folder, "%s/lessons/%s", top ? top : ".", lang);
    DIR *d = opendir(folder);
    ck_assert_ptr_nonnull(d);
    struct dirent *e;
    int goals = 0;
    while ((e = readdir(d))) {
        if (!strstr(e->d_name, ".json"))
            continue;
        char rel[600];
        snprintf(rel, sizeof rel, "lessons/%s/%s", lang, e->d_name);
        struct fixture x;
        open_file(&x, rel);
        for (int guard = 0; x.f.state != FLOW_END && guard < 100000; guard++) {
            if (x.f.state == FLOW_QUIZ) {
                answer_any(&x);
            } else if (x.f.state == FLOW_GOAL) {
                const struct step *st = flow_step(&x.f);
                const struct goal *g = &st->goal;
                char where[700];
                snprintf(where, sizeof where, "%s %s", rel, st->path);
                for (size_t k = 0; k < g->n_solution && x.f.state == FLOW_GOAL; k++)
                    ck_assert_msg(give_by_key(&x, &g->solution[k], where),
                                  "%s: the solution uses \"%s\", which no key offers", where,
                                  lesson_action_names[g->solution[k].kind]);
                ck_assert_msg(x.f.state == FLOW_GOAL_DONE, "%s: not reached from the keys", where);
                ck_assert_msg(g->max_actions <= 0 || x.f.goal_actions <= g->max_actions,
                              "%s: %d actions, over the budget of %d", where, x.f.goal_actions,
                              g->max_actions);
                ck_assert_ptr_null(strstr(x.f.result.s, "solution"));
                goals++;
            }
            flow_continue(&x.f, &x.why);
        }
        ck_assert_msg(x.f.state == FLOW_END, "%s: did not reach the end", rel);
        close_lesson(&x);
    }
    closedir(d);
    ck_assert_int_ge(goals, 16);
}

START_TEST(test_every_goal_reachable_from_the_keys_en)
{
    play_every_goal("en");
}
END_TEST

START_TEST(test_every_goal_reachable_from_the_keys_zh)
{
    play_every_goal("zh-CN");
}
END_TEST

/* Whether some feed line up to the current position says text. */
static bool feed_says(const struct runner *r, const char *text)
{
    const struct feed *fd = &r->h->feed;
    struct sbuf t;
    sbuf_init(&t);
    bool found = false;
    for (size_t i = 0, n = feed_upto(fd, r->h->pos); i < n && !found; i++) {
        sbuf_reset(&t);
        feed_text(fd, i, &t);
        found = strstr(t.s, text) != NULL;
    }
    sbuf_free(&t);
    return found;
}

/* A count typed in words is that count: "three", "三", "两", a full-width
 * "３" and "3票" answer 3 as the digit does (a newcomer typed "one" and
 * "一" and was told 1 was right); a wrong count in words stays wrong. */
START_TEST(test_a_count_typed_in_words_answers_a_value_quiz)
{
    static const char lesson[] =
        "{\"format\": 1, \"id\": \"count-words\", \"title\": \"Count\", \"protocol\": "
        "\"raft\", \"cluster\": {\"nodes\": 3}, \"initial\": {\"S1\": {\"term\": 3}},"
        "\"steps\": [{\"quiz\": {\"kind\": \"value\", \"question\": \"S1's term?\", "
        "\"field\": \"S1.term\"}}, {\"say\": \"The end.\"}]}";
    static const struct {
        const char *typed;
        bool right;
    } cases[] = {
        {"3", true},
        {" Three ", true},
        {"\xe4\xb8\x89", true},             /* 三 */
        {"\xef\xbc\x93", true},             /* ３ */
        {"3\xe7\xa5\xa8", true},            /* 3票 */
        {"\xe4\xb8\x89\xe6\x9d\xa1", true}, /* 三条 */
        {"two", false},
        {"\xe4\xb8\xa4", false}, /* 两: 2 */
        {"33", false},
        {"3x", false},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct lesson *l = NULL;
        struct lesson_errors errs;
        memset(&errs, 0, sizeof errs);
        ck_assert_int_eq(lesson_parse("count-words", lesson, strlen(lesson), &l, &errs), 0);
        lesson_errors_free(&errs);
        struct runner *r = runner_new(l);
        struct flow f;
        flow_init(&f, r);
        ck_assert_int_eq(f.state, FLOW_QUIZ);
        flow_answer_value(&f, cases[k].typed);
        if (!cases[k].right) /* the first miss asks again */
            flow_answer_value(&f, cases[k].typed);
        ck_assert_msg(f.score.earned == (cases[k].right ? 1 : 0) && f.score.of == 1,
                      "\"%s\": %d of %d", cases[k].typed, f.score.earned, f.score.of);
        flow_free(&f);
        runner_free(r);
        lesson_free(l);
    }
}
END_TEST

/* Lesson format, "The safety lab": "the found schedule is shrunk ... and,
 * in the UI, becomes a branch of the history that the learner steps
 * through". At lesson 23's explore step, continuing runs the search: the
 * five events found follow the position the search began in, which the
 * session stays at (f steps through them to the broken invariant), a feed
 * line there says what was found; continuing again goes on from that
 * state, and the lesson's next action keeps the counterexample as a
 * branch. The record replays to the same state, branches and feed. */
START_TEST(test_the_explore_step_plays_what_it_finds_as_a_branch_from_where_it_began)
{
    struct fixture x;
    open_file(&x, "lessons/en/23-raft-safety-lab.json");
    for (int i = 0; i < 40 && x.f.state != FLOW_EXPLORE; i++)
        ck_assert(flow_continue(&x.f, &x.why));
    ck_assert_int_eq(x.f.state, FLOW_EXPLORE);
    struct history *h = x.r->h;
    size_t pos0 = h->pos, ops0 = h->n_ops;
    ck_assert(!runner_sim(x.r)->mon.violated);
    ck_assert(flow_continue(&x.f, &x.why));
    ck_assert_int_eq(x.f.state, FLOW_EXPLORED);
    ck_assert_uint_eq(h->pos, pos0);
    ck_assert_uint_eq(h->n_ops, ops0 + 5);
    ck_assert_msg(strstr(x.f.explored.s, "5 events from here break a safety invariant"), "%s",
                  x.f.explored.s);
    ck_assert(feed_says(x.r, "5 events from here break a safety invariant"));
    for (int i = 0; i < 5; i++)
        flow_seek(&x.f, h->pos + 1);
    ck_assert(runner_sim(x.r)->mon.violated);
    ck_assert_int_eq(x.f.state, FLOW_EXPLORED); /* the lesson stays at its explore step */
    assert_replay_matches(&x);
    ck_assert(flow_continue(&x.f, &x.why));
    ck_assert_uint_eq(h->pos, pos0);
    ck_assert_int_eq(x.f.state, FLOW_SAY);
    ck_assert(!runner_sim(x.r)->mon.violated);
    for (int i = 0; i < 10 && h->n_branches == 0; i++) {
        if (x.f.state == FLOW_QUIZ)
            answer_any(&x);
        else
            ck_assert(flow_continue(&x.f, &x.why));
    }
    ck_assert_uint_eq(h->n_branches, 1);
    ck_assert_uint_eq(h->branches[0].fork_pos, pos0);
    ck_assert_uint_eq(h->branches[0].n_ops, 5);
    assert_replay_matches(&x);
    /* The replay's feed is the live one, line for line. */
    struct runner *r2 = runner_new(x.l);
    struct flow g;
    flow_init(&g, r2);
    flow_replay(&g, x.f.inputs.s);
    ck_assert_uint_eq(r2->h->feed.n, h->feed.n);
    flow_free(&g);
    runner_free(r2);
    close_lesson(&x);
}
END_TEST

/* In a sandbox or after a lesson's end the explorer runs from wherever
 * the learner is (E), with the default bounds: from a state in the past
 * what it finds forks the history, keeping the old future as a branch.
 * Elsewhere in a lesson it does not run and says where it does. */
START_TEST(test_explore_after_the_end_forks_the_past_and_nowhere_else)
{
    struct fixture x;
    open_lesson(&x); /* a say first */
    ck_assert_int_eq(flow_explore(&x.f, &x.why), -1);
    ck_assert_msg(strstr(x.why.s, "explore step"), "%s", x.why.s);
    ck_assert_uint_eq(x.f.n_inputs, 0);
    close_lesson(&x);

    open_file(&x, "tests/scenarios/lab-raft-volatile-vote.json");
    ck_assert(flow_continue(&x.f, &x.why)); /* its explore step */
    ck_assert(flow_continue(&x.f, &x.why));
    ck_assert_int_eq(x.f.state, FLOW_END);
    struct history *h = x.r->h;
    size_t found = h->n_ops; /* what the step found is the line's future, from 0 */
    ck_assert_uint_gt(found, 0);
    ck_assert_uint_eq(h->pos, 0);
    steps(&x, 1); /* acting at 0 keeps what was found as a branch */
    ck_assert_uint_eq(h->n_branches, 1);
    flow_seek(&x.f, 0);
    ck_assert_int_eq(flow_explore(&x.f, &x.why), 0);
    ck_assert_uint_eq(h->n_branches, 2); /* the step taken became a branch in turn */
    ck_assert_uint_eq(h->pos, 0);
    ck_assert_uint_eq(h->n_ops, found); /* the same search finds the same schedule */
    ck_assert(strstr(x.f.inputs.s, "{\"kind\": \"explore\"}"));
    flow_seek(&x.f, h->n_ops);
    ck_assert(runner_sim(x.r)->mon.violated);
    assert_replay_matches(&x);
    close_lesson(&x);
}
END_TEST

/* "Any key stops it": a search stopped plays nothing and records nothing
 * (where it got to depends on the clock); the session says how far it got
 * and the progress hook saw states, frontier and depth on the way. */
static bool stop_and_look(void *ctx)
{
    struct flow *f = ctx;
    ck_assert(f->exploring.on);
    ck_assert_int_gt(f->exploring.states, 0);
    ck_assert_uint_gt(f->exploring.frontier, 0);
    ck_assert_int_gt(f->exploring.depth, 0);
    return true;
}

START_TEST(test_a_stopped_search_plays_and_records_nothing)
{
    struct fixture x;
    open_file(&x, "tests/scenarios/lab-nobug-raft-volatile-vote.json");
    ck_assert(flow_continue(&x.f, &x.why)); /* depth 6: none */
    ck_assert(feed_says(x.r, "no schedule within the bounds breaks a safety invariant"));
    ck_assert(flow_continue(&x.f, &x.why));
    ck_assert_int_eq(x.f.state, FLOW_END);
    size_t inputs = x.f.n_inputs, ops = x.r->h->n_ops, lines = x.r->h->feed.n;
    x.f.stop = stop_and_look;
    x.f.stop_ctx = &x.f;
    sbuf_reset(&x.why);
    ck_assert_int_eq(flow_explore(&x.f, &x.why), -1);
    ck_assert(x.f.stopped);
    ck_assert(!x.f.exploring.on);
    ck_assert_msg(strstr(x.why.s, "the search was stopped after"), "%s", x.why.s);
    ck_assert_uint_eq(x.f.n_inputs, inputs);
    ck_assert_uint_eq(x.r->h->n_ops, ops);
    ck_assert_uint_eq(x.r->h->feed.n, lines);
    close_lesson(&x);
}
END_TEST

static Suite *suite_session(void)
{
    Suite *s = suite_create("session");
    TCase *tc = tcase_create("tree");
    tcase_add_test(tc, test_stepping_back_and_acting_keeps_the_old_branch);
    tcase_add_test(tc, test_message_ids_never_reused_across_branches);
    tcase_add_test(tc, test_nested_forks_keep_every_future);
    tcase_add_test(tc, test_branch_switch_replays);
    tcase_add_test(tc, test_any_key_stops_a_long_run_where_it_is);
    tcase_add_test(tc, test_a_stopped_settle_is_recorded_by_its_deliveries);
    tcase_add_test(tc, test_a_stopped_look_ahead_takes_no_prediction);
    tcase_add_test(tc, test_a_stopped_lesson_step_runs_its_rest_on_going_on);
    tcase_add_test(tc, test_an_empty_submit_costs_no_try);
    tcase_add_test(tc, test_going_on_inside_a_stopped_step_resumes_where_it_stopped);
    tcase_add_test(tc, test_time_passing_is_free_every_other_action_counts_one);
    tcase_add_test(tc, test_refused_or_empty_actions_cost_nothing);
    tcase_add_test(tc, test_giving_up_plays_the_solution_from_where_the_goal_started);
    tcase_add_test(tc, test_every_saved_input_kind_round_trips);
    tcase_add_test(tc, test_the_score_is_of_what_was_tried_in_every_view);
    tcase_add_test(tc, test_detour_returns_to_the_script_point_without_warnings);
    tcase_add_test(tc, test_back_forward_or_branch_onto_a_detour_keeps_the_way_back);
    tcase_add_test(tc, test_a_detour_leaves_the_narration_with_the_scripts_values);
    tcase_add_test(tc, test_the_state_at_a_position_is_the_one_a_seek_shows);
    tcase_add_test(tc, test_the_explore_step_plays_what_it_finds_as_a_branch_from_where_it_began);
    tcase_add_test(tc, test_explore_after_the_end_forks_the_past_and_nowhere_else);
    tcase_add_test(tc, test_a_stopped_search_plays_and_records_nothing);
    tcase_add_test(tc, test_a_count_typed_in_words_answers_a_value_quiz);
    tcase_add_test(tc, test_every_goal_reachable_from_the_keys_en);
    tcase_add_test(tc, test_every_goal_reachable_from_the_keys_zh);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_session());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
