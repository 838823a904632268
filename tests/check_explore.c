/* Tests of the safety lab's explorer: its state count against an
 * independent brute-force enumeration, `none` without a bug, a found and
 * 1-minimal schedule with one; reads and membership changes as the
 * search's requests (the lab scenarios of stale_reads and
 * change_without_noop). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocols/paxos_internal.h"
#include "tutor/explore.h"
#include "tutor/explore_lesson.h"
#include "tutor/explore_step.h"
#include "tutor/runner.h"
#include "tutor/sim.h"

static const char *const names[] = {"S1", "S2", "S3"};
static struct strpool *pool;

static void setup(void)
{
    pool = strpool_new();
}

static void teardown(void)
{
    strpool_free(pool);
}

static struct sim *paxos_cluster(int n, unsigned bugs)
{
    struct proto_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.n_nodes = n;
    cfg.election_min = 150;
    cfg.election_max = 300;
    cfg.heartbeat = 50;
    cfg.bugs = bugs;
    for (int i = 0; i < n; i++) {
        cfg.names[i] = names[i];
        cfg.fixed_timeout[i] = -1;
        cfg.proposer[i] = cfg.acceptor[i] = cfg.learner[i] = true;
    }
    struct sim_net net = {10, 10, 0, 0};
    struct sim *s = sim_new(PROTO_PAXOS, &cfg, &net, 1, pool);
    sim_start(s);
    return s;
}

/* ---- the brute force: its own canonical text of a state, its own
 * depth-first search, its own set. Nothing from explore.c or hash.c. ---- */

static void put_ballot(struct sbuf *b, struct ballot x)
{
    sbuf_printf(b, "%lld.%d,", (long long)x.round, x.round ? x.node : 0);
}

static void put_msg(struct sbuf *b, const struct msg *m)
{
    sbuf_printf(b, "%d:%d>%d:", m->type, m->from, m->to);
    switch (m->type) {
    case MSG_PREPARE:
        put_ballot(b, m->u.prepare.ballot);
        sbuf_printf(b, "%lld", (long long)m->u.prepare.slot);
        break;
    case MSG_PROMISE:
        put_ballot(b, m->u.promise.ballot);
        sbuf_printf(b, "%lld[", (long long)m->u.promise.slot);
        for (size_t i = 0; i < m->u.promise.n_accepted; i++) {
            sbuf_printf(b, "%lld,", (long long)m->u.promise.accepted[i].slot);
            put_ballot(b, m->u.promise.accepted[i].ballot);
            sbuf_printf(b, "%s;", m->u.promise.accepted[i].value);
        }
        sbuf_add(b, "]");
        break;
    case MSG_ACCEPT:
    case MSG_ACCEPTED:
        put_ballot(b, m->u.accept.ballot);
        sbuf_printf(b, "%lld,%s", (long long)m->u.accept.slot, m->u.accept.value);
        break;
    case MSG_NACK:
        put_ballot(b, m->u.nack.ballot);
        put_ballot(b, m->u.nack.promised);
        break;
    case MSG_CHOSEN:
        sbuf_printf(b, "%lld,%s", (long long)m->u.chosen.slot,
                    m->u.chosen.value ? m->u.chosen.value : "-");
        break;
    default:
        break;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void put_node(struct sbuf *b, const struct paxos *x)
{
    const struct paxos_volatile *v = x->v;
    put_ballot(b, x->p.promised);
    for (size_t i = 0; i < x->p.accepted.len; i++) {
        const struct paxos_accepted *a = cowvec_at(&x->p.accepted, i);
        put_ballot(b, a->ballot);
        sbuf_printf(b, "%s;", a->ballot.round ? a->value : "-");
    }
    sbuf_printf(b, "r%lld u%d ph%d s%lld ", (long long)x->p.max_round, v->up, v->phase,
                (long long)v->seen_round);
    put_ballot(b, v->ballot);
    sbuf_printf(b, "v%s p%lld pr%u ", v->value ? v->value : "-", (long long)v->prepare_slot,
                v->promises);
    for (size_t i = 0; i < v->prom.len; i++) {
        const struct paxos_accepted *a = cowvec_at(&v->prom, i);
        put_ballot(b, a->ballot);
        sbuf_printf(b, "%s;", a->ballot.round ? a->value : "-");
    }
    for (size_t i = 0; i < v->props.len; i++) {
        const struct paxos_prop *p = cowvec_at(&v->props, i);
        sbuf_printf(b, "P%s,%u,%d;", p->value ? p->value : "-", p->acks, p->state);
    }
    sbuf_printf(b, "t%lld,%s ", (long long)v->top_chosen, v->top_value ? v->top_value : "-");
    for (size_t i = 0; i < v->learned.len; i++) {
        const char *l = *(const char *const *)cowvec_at(&v->learned, i);
        sbuf_printf(b, "L%s;", l ? l : "-");
    }
    sbuf_printf(b, "a%lld ", (long long)v->applied);
    /* the tally is a set */
    char *t[64];
    size_t nt = 0;
    for (size_t i = 0; i < v->n_tally && nt < 64; i++) {
        struct sbuf e;
        sbuf_init(&e);
        sbuf_printf(&e, "%lld,", (long long)v->tally[i].slot);
        put_ballot(&e, v->tally[i].ballot);
        sbuf_printf(&e, "%s,%u", v->tally[i].value, v->tally[i].from);
        t[nt++] = e.s;
    }
    qsort(t, nt, sizeof *t, cmp_str);
    for (size_t i = 0; i < nt; i++) {
        sbuf_printf(b, "T%s;", t[i]);
        free(t[i]);
    }
    sbuf_printf(b, "|tm%d", v->deadline >= 0);
}

static char *state_text(const struct sim *s, unsigned used)
{
    struct sbuf b;
    sbuf_init(&b);
    sbuf_printf(&b, "used%u\n", used);
    for (int i = 0; i < s->cfg.n_nodes; i++) {
        put_node(&b, sim_node_const(s, i));
        sbuf_add(&b, "\n");
    }
    char **m = calloc(s->n_pending + 1, sizeof *m);
    for (size_t i = 0; i < s->n_pending; i++) {
        struct sbuf e;
        sbuf_init(&e);
        put_msg(&e, &s->pending[i].m);
        m[i] = e.s;
    }
    qsort(m, s->n_pending, sizeof *m, cmp_str);
    for (size_t i = 0; i < s->n_pending; i++) {
        sbuf_printf(&b, "%s\n", m[i]);
        free(m[i]);
    }
    free(m);
    return b.s;
}

/* A plain chained set of strings. */
#define BF_BUCKETS 65536
struct bf_node {
    char *text;
    struct bf_node *next;
};

static bool bf_add(struct bf_node **set, char *text)
{
    unsigned long h = 5381;
    for (const char *p = text; *p; p++)
        h = h * 33 + (unsigned char)*p;
    struct bf_node **head = &set[h % BF_BUCKETS];
    for (struct bf_node *n = *head; n; n = n->next)
        if (!strcmp(n->text, text)) {
            free(text);
            return false;
        }
    struct bf_node *n = malloc(sizeof *n);
    n->text = text;
    n->next = *head;
    *head = n;
    return true;
}

/* Every state reachable by delivering any pending message, or sending a
 * not yet sent request: no timeouts, drops, duplicates or crashes. */
static long bf_visit(struct bf_node **set, const struct sim *s, unsigned used,
                     const struct explore_request *req, size_t n_req)
{
    long count = 1;
    for (size_t i = 0; i < s->n_pending + n_req; i++) {
        struct sim_op op;
        unsigned u = used;
        if (i < s->n_pending) {
            op = sim_op_make(OP_DELIVER, -1);
            op.msg_id = s->pending[i].id;
        } else {
            size_t r = i - s->n_pending;
            if (used & (1u << r))
                continue;
            u |= 1u << r;
            op = sim_op_make(OP_CLIENT, req[r].node);
            op.text = req[r].command;
        }
        struct sim *c = sim_clone(s);
        struct sim_result res;
        sim_apply(c, &op, &res);
        if (bf_add(set, state_text(c, u)))
            count += bf_visit(set, c, u, req, n_req);
        sim_free(c);
    }
    return count;
}

static long brute_force(const struct sim *s, const struct explore_request *req, size_t n_req)
{
    struct bf_node **set = calloc(BF_BUCKETS, sizeof *set);
    bf_add(set, state_text(s, 0));
    long n = bf_visit(set, s, 0, req, n_req);
    for (size_t i = 0; i < BF_BUCKETS; i++)
        for (struct bf_node *e = set[i], *next; e; e = next) {
            next = e->next;
            free(e->text);
            free(e);
        }
    free(set);
    return n;
}

static void exhaustive_bounds(struct explore_bounds *b, const struct explore_request *req, size_t n)
{
    explore_bounds_default(b);
    b->depth = 100;
    b->max_drops = b->max_crashes = 0;
    b->timeouts = false;
    b->requests = req;
    b->n_requests = n;
}

static void count_matches_brute_force(int nodes, const char *const *values, size_t n)
{
    struct sim *s = paxos_cluster(nodes, 0);
    struct explore_request req[4];
    for (size_t i = 0; i < n; i++)
        req[i] =
            (struct explore_request){.node = (int)i, .command = strpool_intern(pool, values[i])};
    struct explore_bounds b;
    exhaustive_bounds(&b, req, n);
    struct explore_result r;
    explore_run(s, &b, NULL, NULL, NULL, &r);
    ck_assert(!r.found);
    ck_assert(!r.stopped);
    long bf = brute_force(s, req, n);
    ck_assert_int_gt(bf, 10);
    fprintf(stderr, "explorer %ld brute force %ld\n", r.states, bf);
    ck_assert_int_eq(r.states, bf);
    explore_result_free(&r);
    sim_free(s);
}

START_TEST(test_single_decree_one_proposer_state_count_equals_brute_force)
{
    static const char *const values[] = {"a"};
    count_matches_brute_force(3, values, 1);
}
END_TEST

START_TEST(test_single_decree_two_proposers_state_count_equals_brute_force)
{
    static const char *const values[] = {"a", "b"};
    count_matches_brute_force(2, values, 2);
}
END_TEST

/* The schedule replays to the target from s, and no single event of it
 * can go. */
static void assert_replays_and_one_minimal(const struct sim *s, const struct explore_result *r)
{
    struct sim *c = sim_clone(s);
    bool reached;
    ck_assert_uint_eq(explore_replay(c, r->events, r->n_events, NULL, &reached), r->n_events);
    ck_assert(reached);
    sim_free(c);
    for (size_t i = 0; i < r->n_events; i++) {
        struct explore_event *trial = malloc(r->n_events * sizeof *trial);
        size_t m = 0;
        for (size_t k = 0; k < r->n_events; k++)
            if (k != i)
                trial[m++] = r->events[k];
        c = sim_clone(s);
        explore_replay(c, trial, m, NULL, &reached);
        ck_assert_msg(!reached, "event %zu could be removed", i);
        sim_free(c);
        free(trial);
    }
}

/* Default bounds with S1 proposing blue and S3 red at any point. */
static void two_proposals(struct explore_bounds *b, struct explore_request req[2])
{
    req[0] = (struct explore_request){.node = 0, .command = strpool_intern(pool, "blue")};
    req[1] = (struct explore_request){.node = 2, .command = strpool_intern(pool, "red")};
    explore_bounds_default(b);
    b->requests = req;
    b->n_requests = 2;
}

/* "no false counterexample without a bug": a bounded search that ends
 * (not stopped) finds nothing. */
START_TEST(test_basic_paxos_without_a_bug_has_no_counterexample)
{
    struct sim *s = paxos_cluster(3, 0);
    struct explore_request req[2];
    struct explore_bounds b;
    two_proposals(&b, req);
    b.depth = 6;
    struct explore_result r;
    explore_run(s, &b, NULL, NULL, NULL, &r);
    ck_assert(!r.found);
    ck_assert(!r.stopped);
    ck_assert_int_gt(r.states, 1000);
    explore_result_free(&r);
    sim_free(s);
}
END_TEST

/* With ignore_promised_values the second proposer's phase 2 drops the
 * value its Promise carried: two values chosen. The shrunk schedule
 * replays to the violation and no single event of it can go. */
START_TEST(test_ignore_promised_values_is_found_and_the_schedule_is_one_minimal)
{
    struct sim *s = paxos_cluster(3, BUG_IGNORE_PROMISED_VALUES);
    struct explore_request req[2];
    struct explore_bounds b;
    two_proposals(&b, req);
    struct explore_result r;
    explore_run(s, &b, NULL, NULL, NULL, &r);
    ck_assert(r.found);
    ck_assert(strstr(r.what, "two values chosen") != NULL);
    ck_assert_int_le(r.n_events, 8);
    assert_replays_and_one_minimal(s, &r);
    explore_result_free(&r);
    sim_free(s);
}
END_TEST

/* max_states is a bound, not a hint: the search stops at exactly that
 * many states (not a whole expansion past it) and says it stopped. */
START_TEST(test_max_states_stops_exactly_at_the_bound)
{
    struct sim *s = paxos_cluster(3, 0);
    struct explore_request req[2];
    struct explore_bounds b;
    two_proposals(&b, req);
    b.max_states = 1000;
    struct explore_result r;
    explore_run(s, &b, NULL, NULL, NULL, &r);
    ck_assert(!r.found);
    ck_assert(r.stopped);
    ck_assert_int_eq(r.states, 1000);
    explore_result_free(&r);
    sim_free(s);
}
END_TEST

/* ---- the lab scenarios: a lesson run to its explore step ---- */

static const char *srcdir(void)
{
    const char *s = getenv("top_srcdir");
    return s && *s ? s : ".";
}

struct lab {
    struct lesson *l;
    struct runner *r;
    struct explore_request reqs[16];
    struct explore_bounds b;
};

static void lab_open(struct lab *x, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/scenarios/%s", srcdir(), name);
    struct lesson_errors errs;
    lesson_errors_init(&errs);
    int rc = lesson_load(path, &x->l, &errs);
    for (size_t i = 0; i < errs.n; i++)
        fprintf(stderr, "    %s\n", errs.lines[i]);
    lesson_errors_free(&errs);
    ck_assert_int_eq(rc, 0);
    x->r = runner_new(x->l);
    while (x->r->step < x->l->n_steps && x->l->steps[x->r->step].kind != STEP_EXPLORE)
        ck_assert(runner_step_headless(x->r));
    ck_assert_uint_lt(x->r->step, x->l->n_steps);
    explore_bounds_from_step(x->l->steps[x->r->step].explore, x->r->strings, x->reqs, &x->b);
}

static void lab_close(struct lab *x)
{
    runner_free(x->r);
    lesson_free(x->l);
}

/* The done-line asks for the default bounds, not bounds made to
 * fit the bug. */
static void assert_default_bounds(const struct explore_bounds *b)
{
    ck_assert_int_eq(b->depth, 20);
    ck_assert_int_eq(b->max_drops, 2);
    ck_assert_int_eq(b->max_duplicates, 0);
    ck_assert_int_eq(b->max_crashes, 1);
    ck_assert(b->timeouts);
    ck_assert_int_eq(b->max_states, 1000000);
    ck_assert_int_eq(b->walks, 0);
}

static const struct explore_event *event_of_kind(const struct explore_result *r, enum sim_op_kind k)
{
    for (size_t i = 0; i < r->n_events; i++)
        if (r->events[i].kind == k)
            return &r->events[i];
    return NULL;
}

/* A found schedule, played as a learner's actions (the UI's branch), ends
 * with the invariant broken. */
static void assert_plays_to_the_violation(struct lab *x, const struct explore_result *r)
{
    ck_assert_uint_eq(explore_play(x->r, r->events, r->n_events), r->n_events);
    ck_assert(runner_sim(x->r)->mon.violated);
}

START_TEST(test_stale_reads_is_found_within_the_default_bounds_with_a_read_event)
{
    struct lab x;
    lab_open(&x, "lab-raft-stale-reads.json");
    assert_default_bounds(&x.b);
    struct explore_result r;
    explore_run(runner_sim(x.r), &x.b, NULL, NULL, NULL, &r);
    ck_assert(r.found);
    ck_assert(strstr(r.what, "not linearizable") != NULL);
    const struct explore_event *read = event_of_kind(&r, OP_READ);
    ck_assert_ptr_nonnull(read);
    ck_assert_str_eq(read->text, "x");
    ck_assert_int_le(r.n_events, 8);
    assert_replays_and_one_minimal(runner_sim(x.r), &r);
    assert_plays_to_the_violation(&x, &r);
    explore_result_free(&r);
    lab_close(&x);
}
END_TEST

/* "no false counterexample without a bug": the same reads and write with
 * ReadIndex (§6.4), a search that ends (not stopped) deeper than the bug's
 * schedule. */
static void assert_search_ends_with_none(const char *name, size_t i, enum request_kind kind)
{
    struct lab x;
    lab_open(&x, name);
    ck_assert_uint_gt(x.b.n_requests, i);
    ck_assert_int_eq(x.b.requests[i].kind, kind);
    struct explore_result r;
    explore_run(runner_sim(x.r), &x.b, NULL, NULL, NULL, &r);
    ck_assert(!r.found);
    ck_assert(!r.stopped);
    ck_assert_int_gt(r.states, 100000);
    explore_result_free(&r);
    lab_close(&x);
}

START_TEST(test_reads_without_stale_reads_have_no_counterexample)
{
    assert_search_ends_with_none("lab-nobug-raft-stale-reads.json", 1, REQUEST_READ);
}
END_TEST

START_TEST(test_change_without_noop_is_found_within_the_default_bounds_with_a_remove_event)
{
    struct lab x;
    lab_open(&x, "lab-raft-change-without-noop-partitioned.json");
    assert_default_bounds(&x.b);
    struct explore_result r;
    explore_run(runner_sim(x.r), &x.b, NULL, NULL, NULL, &r);
    ck_assert(r.found);
    ck_assert(!r.stopped);
    ck_assert(strstr(r.what, "lacks entry") != NULL);
    const struct explore_event *rm = event_of_kind(&r, OP_REMOVE_SERVER);
    ck_assert_ptr_nonnull(rm);
    ck_assert_int_eq(rm->node, 1);   /* asked of S2 */
    ck_assert_int_eq(rm->server, 3); /* to remove S4 */
    assert_replays_and_one_minimal(runner_sim(x.r), &r);
    assert_plays_to_the_violation(&x, &r);
    explore_result_free(&r);
    lab_close(&x);
}
END_TEST

/* With the 2015 fix S2 refuses the change before an entry of its term
 * commits: nothing breaks, and the search ends. */
START_TEST(test_changes_with_the_fix_have_no_counterexample)
{
    assert_search_ends_with_none("lab-nobug-raft-change-without-noop-partitioned.json", 0,
                                 REQUEST_REMOVE_SERVER);
}
END_TEST

/* A request is one branch per state that has not sent it yet: one level
 * deep, each request adds exactly one state, and an empty list none (so
 * the state counts of lessons without requests stay what they were). */
START_TEST(test_each_request_adds_one_branch_and_an_empty_list_none)
{
    struct lab x;
    lab_open(&x, "lab-raft-stale-reads.json");
    x.b.depth = 1;
    struct explore_result with, without;
    explore_run(runner_sim(x.r), &x.b, NULL, NULL, NULL, &with);
    x.b.n_requests = 0;
    explore_run(runner_sim(x.r), &x.b, NULL, NULL, NULL, &without);
    ck_assert_int_eq(with.states, without.states + 2);
    ck_assert_int_eq(with.transitions, without.transitions + 2);
    explore_result_free(&with);
    explore_result_free(&without);
    lab_close(&x);
}
END_TEST

/* A found read or change is written as the lesson action a learner would
 * write: read names node and key; add_server and remove_server name the
 * server changed in node and the server asked in to. */
START_TEST(test_reads_and_changes_are_written_as_the_lesson_actions)
{
    struct lab x;
    lab_open(&x, "lab-raft-change-without-noop-partitioned.json");
    const struct sim *s = runner_sim(x.r);
    struct explore_event read = {.kind = OP_READ, .node = 0, .text = "x"};
    struct explore_event add = {.kind = OP_ADD_SERVER, .node = 0, .server = 4};
    struct explore_event rm = {.kind = OP_REMOVE_SERVER, .node = 1, .server = 3};
    struct sbuf b;
    sbuf_init(&b);
    explore_event_json(s, &read, &b);
    ck_assert_str_eq(b.s, "{\"do\":\"read\",\"node\":\"S1\",\"key\":\"x\"}");
    sbuf_reset(&b);
    explore_event_json(s, &add, &b);
    ck_assert_str_eq(b.s, "{\"do\":\"add_server\",\"node\":\"S5\",\"to\":\"S1\"}");
    sbuf_reset(&b);
    explore_event_json(s, &rm, &b);
    ck_assert_str_eq(b.s, "{\"do\":\"remove_server\",\"node\":\"S4\",\"to\":\"S2\"}");
    sbuf_free(&b);
    lab_close(&x);
}
END_TEST

static Suite *suite_explore(void)
{
    Suite *s = suite_create("explore");
    TCase *tc = tcase_create("explore");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_single_decree_one_proposer_state_count_equals_brute_force);
    tcase_add_test(tc, test_single_decree_two_proposers_state_count_equals_brute_force);
    tcase_add_test(tc, test_basic_paxos_without_a_bug_has_no_counterexample);
    tcase_add_test(tc, test_ignore_promised_values_is_found_and_the_schedule_is_one_minimal);
    tcase_add_test(tc, test_max_states_stops_exactly_at_the_bound);
    tcase_add_test(tc, test_stale_reads_is_found_within_the_default_bounds_with_a_read_event);
    tcase_add_test(tc, test_reads_without_stale_reads_have_no_counterexample);
    tcase_add_test(tc,
                   test_change_without_noop_is_found_within_the_default_bounds_with_a_remove_event);
    tcase_add_test(tc, test_changes_with_the_fix_have_no_counterexample);
    tcase_add_test(tc, test_each_request_adds_one_branch_and_an_empty_list_none);
    tcase_add_test(tc, test_reads_and_changes_are_written_as_the_lesson_actions);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_explore());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
