/* Tests of the virtual cluster: event order and its tie-break, the
 * network's faults, determinism, and the history (seek, fork, snapshots). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "protocols/raft.h"
#include "tutor/facts.h"
#include "tutor/history.h"
#include "tutor/sim.h"

static const char *const names[] = {"S1", "S2", "S3", "S4", "S5"};

static struct proto_config config(int n)
{
    struct proto_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.n_nodes = n;
    cfg.election_min = 150;
    cfg.election_max = 300;
    cfg.heartbeat = 50;
    for (int i = 0; i < n; i++) {
        cfg.names[i] = names[i];
        cfg.fixed_timeout[i] = -1;
        cfg.proposer[i] = cfg.acceptor[i] = cfg.learner[i] = true;
    }
    return cfg;
}

static struct strpool *pool;

static void setup(void)
{
    pool = strpool_new();
}

static void teardown(void)
{
    strpool_free(pool);
}

static struct sim *cluster(int n, uint64_t seed, const struct sim_net *net)
{
    struct proto_config cfg = config(n);
    struct sim_net fixed = {10, 10, 0, 0};
    struct sim *s = sim_new(PROTO_RAFT, &cfg, net ? net : &fixed, seed, pool);
    return s;
}

static void do_op(struct history *h, struct sim_op op)
{
    struct sim_result res;
    history_apply(h, &op, &res);
}

static void field(const struct sim *s, int node, const char *name, struct sbuf *out)
{
    sbuf_reset(out);
    ck_assert_int_eq(sim_node_field(s, node, name, out), 0);
}

/* A digest of the whole cluster as text, to compare two states. */
static void state_text(const struct sim *s, struct sbuf *out)
{
    static const char *const fields[] = {"up",    "role",         "term",         "voted_for",
                                         "log",   "commit_index", "last_applied", "leader_hint",
                                         "votes", "next_index",   "match_index"};
    struct sbuf b;
    sbuf_init(&b);
    sbuf_printf(out, "t=%lld pending=%zu next=%llu|", (long long)s->now, s->n_pending,
                (unsigned long long)s->next_msg_id);
    for (int i = 0; i < s->cfg.n_nodes; i++) {
        for (size_t k = 0; k < sizeof fields / sizeof *fields; k++) {
            sbuf_reset(&b);
            sim_node_field(s, i, fields[k], &b);
            sbuf_printf(out, "%s=%s;", fields[k], b.s);
        }
        sbuf_printf(out, "timer=%lld|", (long long)s->nodes[i].timer);
    }
    for (size_t i = 0; i < s->n_pending; i++)
        sbuf_printf(out, "#%llu@%lld;", (unsigned long long)s->pending[i].id,
                    (long long)s->pending[i].due);
    sbuf_free(&b);
}

START_TEST(test_events_in_time_order_with_fifo_tie_break)
{
    struct sim *s = cluster(3, 1, NULL);
    s->cfg.fixed_timeout[0] = 100;
    s->cfg.fixed_timeout[1] = 100; /* same deadline as S1: S1's timer was set first */
    s->cfg.fixed_timeout[2] = 500;
    struct history *h = history_new(s);
    do_op(h, sim_op_make(OP_EVENT, -1));
    ck_assert_int_eq(h->cur->now, 100);
    struct sbuf b;
    sbuf_init(&b);
    field(h->cur, 0, "role", &b);
    ck_assert_str_eq(b.s, "\"candidate\"");
    field(h->cur, 1, "role", &b);
    ck_assert_str_eq(b.s, "\"follower\"");
    do_op(h, sim_op_make(OP_EVENT, -1));
    ck_assert_int_eq(h->cur->now, 100);
    field(h->cur, 1, "role", &b);
    ck_assert_str_eq(b.s, "\"candidate\"");
    /* Then the RequestVotes, due at 110, in the order they were sent. */
    uint64_t first = h->cur->pending[0].id;
    do_op(h, sim_op_make(OP_EVENT, -1));
    ck_assert_int_eq(h->cur->now, 110);
    ck_assert_ptr_null(sim_find_msg(h->cur, first));
    sbuf_free(&b);
    history_free(h);
}
END_TEST

START_TEST(test_same_seed_same_run)
{
    struct sim_net net = {5, 40, 100000000, 50000000};
    struct sbuf a, b;
    sbuf_init(&a);
    sbuf_init(&b);
    for (int k = 0; k < 2; k++) {
        struct history *h = history_new(cluster(5, 42, &net));
        for (int i = 0; i < 3000; i++)
            do_op(h, sim_op_make(OP_EVENT, -1));
        state_text(h->cur, k ? &b : &a);
        history_free(h);
    }
    ck_assert_str_eq(a.s, b.s);
    struct history *h = history_new(cluster(5, 43, &net));
    for (int i = 0; i < 3000; i++)
        do_op(h, sim_op_make(OP_EVENT, -1));
    sbuf_reset(&b);
    state_text(h->cur, &b);
    ck_assert_str_ne(a.s, b.s);
    history_free(h);
    sbuf_free(&a);
    sbuf_free(&b);
}
END_TEST

/* Seeking back to any position gives exactly the state the run had there. */
START_TEST(test_seek_back_equals_original_state)
{
    struct sim_net net = {5, 30, 50000000, 20000000};
    struct history *h = history_new(cluster(5, 9, &net));
    const int n = 3 * HISTORY_INTERVAL + 17;
    struct sbuf *texts = calloc(n + 1, sizeof *texts);
    for (int i = 0; i <= n; i++) {
        sbuf_init(&texts[i]);
        state_text(h->cur, &texts[i]);
        if (i < n) {
            struct sim_op op = sim_op_make(OP_EVENT, -1);
            if (i % 97 == 5)
                op = sim_op_make(OP_CRASH, i % 5);
            if (i % 97 == 50)
                op = sim_op_make(OP_RESTART, (i - 45) % 5);
            do_op(h, op);
        }
    }
    const int probes[] = {
        0, 1, HISTORY_INTERVAL - 1, HISTORY_INTERVAL, HISTORY_INTERVAL + 1, 2000, n - 1, n, 37};
    struct sbuf now;
    sbuf_init(&now);
    for (size_t k = 0; k < sizeof probes / sizeof *probes; k++) {
        history_seek(h, (size_t)probes[k]);
        ck_assert_uint_eq(h->pos, (size_t)probes[k]);
        sbuf_reset(&now);
        state_text(h->cur, &now);
        ck_assert_str_eq(now.s, texts[probes[k]].s);
    }
    for (int i = 0; i <= n; i++)
        sbuf_free(&texts[i]);
    free(texts);
    sbuf_free(&now);
    history_free(h);
}
END_TEST

START_TEST(test_acting_in_the_past_forks)
{
    struct history *h = history_new(cluster(3, 5, NULL));
    for (int i = 0; i < 50; i++)
        do_op(h, sim_op_make(OP_EVENT, -1));
    size_t feed_at_20 = 0;
    history_seek(h, 20);
    feed_at_20 = feed_upto(&h->feed, 20);
    ck_assert(history_in_past(h));
    do_op(h, sim_op_make(OP_CRASH, 0));
    ck_assert(h->forked);
    ck_assert_uint_eq(h->n_ops, 21);
    ck_assert_uint_eq(h->pos, 21);
    ck_assert(!sim_node_up(h->cur, 0));
    /* The feed kept what led here and the crash, nothing of the lost future. */
    struct feed_line l;
    for (size_t i = 0; i < h->feed.n; i++) {
        feed_get(&h->feed, i, &l);
        ck_assert_uint_le(l.pos, 21);
    }
    ck_assert_uint_gt(h->feed.n, feed_at_20);
    history_free(h);
}
END_TEST

START_TEST(test_partition_loses_messages_across_groups)
{
    struct history *h = history_new(cluster(3, 1, NULL));
    do_op(h, sim_op_make(OP_TIMEOUT, 0)); /* S1 asks S2 and S3 for votes */
    ck_assert_uint_eq(h->cur->n_pending, 2);
    struct sim_op p = sim_op_make(OP_PARTITION, -1);
    p.groups[0] = 1; /* S1 alone */
    do_op(h, p);
    ck_assert_uint_eq(h->cur->n_pending, 0);
    do_op(h, sim_op_make(OP_TIMEOUT, 0));
    ck_assert_uint_eq(h->cur->n_pending, 0); /* lost at once: nobody reachable */
    do_op(h, sim_op_make(OP_HEAL, -1));
    do_op(h, sim_op_make(OP_TIMEOUT, 0));
    ck_assert_uint_eq(h->cur->n_pending, 2);
    history_free(h);
}
END_TEST

START_TEST(test_one_way_cut)
{
    struct history *h = history_new(cluster(3, 1, NULL));
    struct sim_op c = sim_op_make(OP_CUT, -1);
    c.from = 0;
    c.to = 1;
    do_op(h, c);
    ck_assert(!sim_link_open(h->cur, 0, 1));
    ck_assert(sim_link_open(h->cur, 1, 0));
    do_op(h, sim_op_make(OP_TIMEOUT, 0));
    ck_assert_uint_eq(h->cur->n_pending, 1);
    ck_assert_int_eq(h->cur->pending[0].m.to, 2);
    struct sim_op l = sim_op_make(OP_LINK, -1);
    l.from = 0;
    l.to = 1;
    do_op(h, l);
    ck_assert(sim_link_open(h->cur, 0, 1));
    history_free(h);
}
END_TEST

START_TEST(test_messages_to_a_down_node_are_lost)
{
    struct history *h = history_new(cluster(3, 1, NULL));
    do_op(h, sim_op_make(OP_TIMEOUT, 0));
    do_op(h, sim_op_make(OP_CRASH, 1));
    struct sim_op d = sim_op_make(OP_DELIVER, -1);
    d.msg_id = h->cur->pending[0].id; /* to S2 */
    ck_assert_int_eq(h->cur->pending[0].m.to, 1);
    do_op(h, d);
    ck_assert_uint_eq(h->cur->n_pending, 1);
    int lost = 0;
    struct sbuf text;
    sbuf_init(&text);
    for (size_t i = 0; i < h->feed.n; i++) {
        struct feed_line l;
        feed_get(&h->feed, i, &l);
        sbuf_reset(&text);
        feed_line_text(&h->feed, &l, &text);
        lost += l.kind == FEED_LOST && strstr(text.s, "S2 is down");
    }
    sbuf_free(&text);
    ck_assert_int_eq(lost, 1);
    history_free(h);
}
END_TEST

START_TEST(test_down_node_timeout_does_nothing_but_says_so)
{
    struct history *h = history_new(cluster(3, 1, NULL));
    do_op(h, sim_op_make(OP_CRASH, 2));
    struct sim_result res;
    struct sim_op t = sim_op_make(OP_TIMEOUT, 2);
    history_apply(h, &t, &res);
    ck_assert(!res.did);
    ck_assert_ptr_nonnull(strstr(res.why, "S3 is down"));
    ck_assert_uint_eq(h->cur->n_pending, 0);
    history_free(h);
}
END_TEST

START_TEST(test_duplicate_puts_a_copy_in_flight)
{
    struct history *h = history_new(cluster(3, 1, NULL));
    do_op(h, sim_op_make(OP_TIMEOUT, 0));
    struct sim_op d = sim_op_make(OP_DUPLICATE, -1);
    d.msg_id = h->cur->pending[0].id;
    do_op(h, d);
    ck_assert_uint_eq(h->cur->n_pending, 3);
    ck_assert(h->cur->pending[2].duplicate);
    ck_assert_int_eq(h->cur->pending[2].m.to, h->cur->pending[0].m.to);
    history_free(h);
}
END_TEST

/* "duplicate: put a copy of the first matching message back in flight,
 * with a fresh latency; the copy itself is never lost or duplicated by the
 * network's loss and duplicate." */
START_TEST(test_duplicate_copy_never_lost_or_duplicated_by_the_network)
{
    struct history *h = history_new(cluster(3, 1, NULL));
    do_op(h, sim_op_make(OP_TIMEOUT, 0));
    ck_assert_uint_eq(h->cur->n_pending, 2);
    /* From now on the network loses and duplicates everything it sends. */
    h->cur->net.loss_ppb = 1000000000ULL;
    h->cur->net.duplicate_ppb = 1000000000ULL;
    for (int k = 0; k < 5; k++) {
        struct sim_op d = sim_op_make(OP_DUPLICATE, -1);
        d.msg_id = h->cur->pending[0].id;
        do_op(h, d);
    }
    ck_assert_uint_eq(h->cur->n_pending, 7);
    for (size_t i = 2; i < 7; i++) {
        ck_assert(h->cur->pending[i].duplicate);
        ck_assert_int_eq(h->cur->pending[i].m.to, h->cur->pending[0].m.to);
    }
    history_free(h);
}
END_TEST

START_TEST(test_network_loss_is_seeded)
{
    struct sim_net lossy = {10, 10, 500000000, 0}; /* half the messages */
    int lost[2] = {0, 0};
    for (int k = 0; k < 2; k++) {
        struct history *h = history_new(cluster(5, 77, &lossy));
        for (int i = 0; i < 40; i++)
            do_op(h, sim_op_make(OP_TIMEOUT, i % 5));
        for (size_t i = 0; i < h->feed.n; i++) {
            struct feed_line l;
            feed_get(&h->feed, i, &l);
            lost[k] += l.kind == FEED_LOST;
        }
        history_free(h);
    }
    ck_assert_int_eq(lost[0], lost[1]);
    ck_assert_int_gt(lost[0], 40);
    ck_assert_int_lt(lost[0], 120);
}
END_TEST

START_TEST(test_an_election_happens_and_is_safe)
{
    struct history *h = history_new(cluster(5, 3, NULL));
    for (int i = 0; i < 500 && facts_leader(h->cur) < 0; i++)
        do_op(h, sim_op_make(OP_EVENT, -1));
    ck_assert_int_ge(facts_leader(h->cur), 0);
    ck_assert(!h->cur->mon.violated);
    ck_assert_int_eq(monitor_leaders_in_term(&h->cur->mon, 1) +
                         monitor_leaders_in_term(&h->cur->mon, 2) +
                         monitor_leaders_in_term(&h->cur->mon, 3),
                     1);
    history_free(h);
}
END_TEST

/* The monitors must catch a broken invariant: forged votes (injected
 * messages, as a buggy or malicious node would send) elect two leaders in
 * one term. */
START_TEST(test_monitor_catches_two_leaders_in_a_term)
{
    struct history *h = history_new(cluster(3, 1, NULL));
    do_op(h, sim_op_make(OP_TIMEOUT, 0));
    do_op(h, sim_op_make(OP_TIMEOUT, 1)); /* S1 and S2 both candidates in term 1 */
    struct msg forged = {.type = MSG_REQUEST_VOTE_REPLY, .from = 2};
    forged.u.rvr.term = 1;
    forged.u.rvr.granted = true;
    for (int to = 0; to < 2; to++) {
        forged.to = to;
        struct sim_op op = sim_op_make(OP_INJECT, -1);
        op.msg = &forged;
        do_op(h, op);
    }
    /* Both forged votes arrive before anything else: two leaders. */
    uint64_t first_forged = h->cur->next_msg_id - 1;
    for (uint64_t id = first_forged; id <= first_forged + 1; id++) {
        struct sim_op op = sim_op_make(OP_DELIVER, -1);
        op.msg_id = id;
        do_op(h, op);
    }
    ck_assert(h->cur->mon.violated);
    ck_assert_ptr_nonnull(strstr(h->cur->mon.violation, "two leaders in term 1"));
    history_free(h);
}
END_TEST

/* A value nobody proposed, forced into the acceptors by forged Accepts,
 * is chosen: the Paxos monitor names it. */
START_TEST(test_monitor_catches_unproposed_chosen_value)
{
    struct proto_config cfg = config(3);
    struct sim_net net = {10, 10, 0, 0};
    struct history *h = history_new(sim_new(PROTO_PAXOS, &cfg, &net, 1, pool));
    struct msg forged = {.type = MSG_ACCEPT, .from = 0};
    forged.u.accept.ballot = (struct ballot){5, 0};
    forged.u.accept.slot = 1;
    forged.u.accept.value = "evil";
    for (int to = 1; to < 3; to++) {
        forged.to = to;
        struct sim_op op = sim_op_make(OP_INJECT, -1);
        op.msg = &forged;
        do_op(h, op);
    }
    for (int i = 0; i < 10 && h->cur->n_pending; i++)
        do_op(h, sim_op_make(OP_EVENT, -1));
    ck_assert(h->cur->mon.violated);
    ck_assert_ptr_nonnull(
        strstr(h->cur->mon.violation, "\"evil\" chosen for slot 1 was never proposed"));
    ck_assert_str_eq(monitor_chosen(&h->cur->mon, 1), "evil");
    history_free(h);
}
END_TEST

/* A cluster of n nodes whose timers never fire on their own: the tests
 * below drive every timeout and delivery by hand. */
static struct history *manual_cluster(enum protocol p, int n)
{
    struct proto_config cfg = config(n);
    for (int i = 0; i < n; i++)
        cfg.fixed_timeout[i] = 100000;
    struct sim_net net = {10, 10, 0, 0};
    return history_new(sim_new(p, &cfg, &net, 1, pool));
}

static void act(struct history *h, enum sim_op_kind kind, int node)
{
    do_op(h, sim_op_make(kind, node));
}

/* The first pending message of this type from one node to another. */
static uint64_t pending_id(const struct sim *s, enum msg_type type, int from, int to)
{
    for (size_t i = 0; i < s->n_pending; i++) {
        const struct msg *m = &s->pending[i].m;
        if (m->type == type && m->from == from && m->to == to)
            return s->pending[i].id;
    }
    ck_abort_msg("no pending %s from %d to %d", msg_type_name(type), from, to);
    return 0;
}

static void deliver_id(struct history *h, enum sim_op_kind kind, uint64_t id)
{
    struct sim_op op = sim_op_make(kind, -1);
    op.msg_id = id;
    do_op(h, op);
}

static void deliver(struct history *h, enum msg_type type, int from, int to)
{
    deliver_id(h, OP_DELIVER, pending_id(h->cur, type, from, to));
}

/* Delivers every pending message but `held`, in send order, and what they
 * cause, firing no timer. */
static void settle_except(struct history *h, uint64_t held)
{
    for (int n = 0; n < 200; n++) {
        size_t i = 0;
        while (i < h->cur->n_pending && h->cur->pending[i].id == held)
            i++;
        if (i == h->cur->n_pending)
            return;
        deliver_id(h, OP_DELIVER, h->cur->pending[i].id);
    }
    ck_abort_msg("messages kept coming");
}

static const struct raft *raft_node(const struct history *h, int i)
{
    return sim_node_const(h->cur, i);
}

/* Figure 3, Leader Completeness: "if a log entry is committed in a given
 * term, then that entry will be present in the logs of the leaders for all
 * higher-numbered terms" -- higher than the term it was committed in. S3
 * commits x=1 in term 2; a delayed vote then makes S1, cut off, leader of
 * term 1 with an empty log, which is correct. */
START_TEST(test_entry_committed_in_a_term_need_not_be_in_a_leader_of_a_lower_term)
{
    struct history *h = manual_cluster(PROTO_RAFT, 3);
    act(h, OP_TIMEOUT, 0); /* S1 campaigns in term 1 */
    deliver(h, MSG_REQUEST_VOTE, 0, 1);
    deliver(h, MSG_REQUEST_VOTE, 0, 2);
    deliver_id(h, OP_DROP, pending_id(h->cur, MSG_REQUEST_VOTE_REPLY, 2, 0));
    uint64_t held = pending_id(h->cur, MSG_REQUEST_VOTE_REPLY, 1, 0); /* S2's grant */
    struct sim_op cut = sim_op_make(OP_CUT, -1);
    cut.from = 2;
    cut.to = 0;
    cut.both = true;
    do_op(h, cut);
    act(h, OP_TIMEOUT, 2); /* S3 campaigns in term 2 and wins with S2 */
    settle_except(h, held);
    ck_assert_int_eq(raft_node(h, 2)->v.role, RAFT_LEADER);
    ck_assert_int_eq(raft_node(h, 2)->p.term, 2);
    struct sim_op req = sim_op_make(OP_CLIENT, 2);
    req.text = "x=1";
    do_op(h, req);
    settle_except(h, held);
    ck_assert_int_eq(raft_node(h, 2)->v.commit_index, 1);
    ck_assert_uint_eq(h->cur->mon.committed.len, 1);
    ck_assert_int_eq(raft_node(h, 0)->p.term, 1);
    ck_assert_int_eq(raft_log_length(raft_node(h, 0)), 0);
    deliver_id(h, OP_DELIVER, held); /* the delayed grant of term 1 */
    ck_assert_int_eq(raft_node(h, 0)->v.role, RAFT_LEADER);
    ck_assert_int_eq(raft_node(h, 0)->p.term, 1);
    ck_assert_int_eq(monitor_leaders_in_term(&h->cur->mon, 1), 1);
    ck_assert_msg(!h->cur->mon.violated, "%s", h->cur->mon.violation);
    history_free(h);
}
END_TEST

/* The same sentence, broken: a forged AppendEntries replaces S3's copy of
 * x=1 (committed in term 1), and S3 then wins term 3 without it. */
START_TEST(test_leader_of_a_higher_term_without_a_committed_entry_is_caught)
{
    struct history *h = manual_cluster(PROTO_RAFT, 3);
    act(h, OP_TIMEOUT, 0);
    settle_except(h, 0);
    ck_assert_int_eq(raft_node(h, 0)->v.role, RAFT_LEADER);
    struct sim_op req = sim_op_make(OP_CLIENT, 0);
    req.text = "x=1";
    do_op(h, req);
    settle_except(h, 0);
    ck_assert_uint_eq(h->cur->mon.committed.len, 1);
    struct entry evil = {.term = 2, .cmd = "x=666"};
    struct msg forged = {.type = MSG_APPEND_ENTRIES, .from = 0, .to = 2};
    forged.u.ae.term = 2;
    forged.u.ae.entries = &evil;
    forged.u.ae.n_entries = 1;
    struct sim_op op = sim_op_make(OP_INJECT, -1);
    op.msg = &forged;
    do_op(h, op);
    settle_except(h, 0);
    ck_assert_msg(!h->cur->mon.violated, "%s", h->cur->mon.violation);
    act(h, OP_TIMEOUT, 2);
    settle_except(h, 0);
    ck_assert_int_eq(raft_node(h, 2)->v.role, RAFT_LEADER);
    ck_assert_int_eq(raft_node(h, 2)->p.term, 3);
    ck_assert(h->cur->mon.violated);
    ck_assert_ptr_nonnull(strstr(h->cur->mon.violation, "leader S3 of term 3 lacks entry 1"));
    ck_assert_ptr_nonnull(strstr(h->cur->mon.violation, "committed in term 1"));
    history_free(h);
}
END_TEST

static void accepted(struct history *h, int node, int64_t round, int by, const char *value)
{
    struct proto_slot_event a = {.slot = 1, .ballot = {round, by}, .value = value};
    monitor_paxos_accepted(h->cur, node, &a);
}

/* "A value is chosen when a single proposal with that value has been
 * accepted by a majority of the acceptors" (Paxos Made Simple, 2.2), for
 * any number of ballots: S1 accepts (1.S1, v), S3 accepts a thousand later
 * ballots alone, then S2 accepts (1.S1, v) and v is chosen. */
START_TEST(test_value_is_chosen_when_a_single_proposal_is_accepted_by_a_majority)
{
    struct history *h = manual_cluster(PROTO_PAXOS, 3);
    monitor_proposed(&h->cur->mon, "v");
    accepted(h, 0, 1, 0, "v");
    for (int64_t round = 1; round <= 1000; round++)
        accepted(h, 2, round, 2, "v");
    ck_assert_ptr_null(monitor_chosen(&h->cur->mon, 1));
    accepted(h, 1, 1, 0, "v");
    ck_assert_str_eq(monitor_chosen(&h->cur->mon, 1), "v");
    ck_assert_msg(!h->cur->mon.violated, "%s", h->cur->mon.violation);
    /* "Only a single value is chosen": another value with a majority of a
     * later ballot, after all those ballots, is still caught. */
    monitor_proposed(&h->cur->mon, "w");
    accepted(h, 1, 2000, 1, "w");
    accepted(h, 2, 2000, 1, "w");
    ck_assert(h->cur->mon.violated);
    ck_assert_ptr_nonnull(strstr(h->cur->mon.violation, "two values chosen for slot 1"));
    history_free(h);
}
END_TEST

static Suite *suite_sim(void)
{
    Suite *s = suite_create("sim");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_events_in_time_order_with_fifo_tie_break);
    tcase_add_test(tc, test_same_seed_same_run);
    tcase_add_test(tc, test_seek_back_equals_original_state);
    tcase_add_test(tc, test_acting_in_the_past_forks);
    tcase_add_test(tc, test_partition_loses_messages_across_groups);
    tcase_add_test(tc, test_one_way_cut);
    tcase_add_test(tc, test_messages_to_a_down_node_are_lost);
    tcase_add_test(tc, test_down_node_timeout_does_nothing_but_says_so);
    tcase_add_test(tc, test_duplicate_puts_a_copy_in_flight);
    tcase_add_test(tc, test_duplicate_copy_never_lost_or_duplicated_by_the_network);
    tcase_add_test(tc, test_network_loss_is_seeded);
    tcase_add_test(tc, test_an_election_happens_and_is_safe);
    tcase_add_test(tc, test_monitor_catches_two_leaders_in_a_term);
    tcase_add_test(tc, test_monitor_catches_unproposed_chosen_value);
    tcase_add_test(tc, test_entry_committed_in_a_term_need_not_be_in_a_leader_of_a_lower_term);
    tcase_add_test(tc, test_leader_of_a_higher_term_without_a_committed_entry_is_caught);
    tcase_add_test(tc, test_value_is_chosen_when_a_single_proposal_is_accepted_by_a_majority);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_sim());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
