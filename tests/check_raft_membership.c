/* Tests of Raft membership changes (dissertation §4.1-§4.2, extended paper
 * §6; lesson-format.md "Membership changes"), named after the sentences
 * they hold. The cluster is the virtual one (tutor/sim.h) with the safety
 * monitor watching; timers never fire on their own, so every timeout,
 * delivery and cut is made by hand. */
#include <check.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "protocols/raft.h"
#include "tutor/history.h"
#include "tutor/i18n.h"
#include "tutor/sim.h"

static const char *const names[] = {"S1", "S2", "S3", "S4", "S5", "S6", "S7"};
enum { S1, S2, S3, S4, S5 };

static struct strpool *pool;

static void setup(void)
{
    pool = strpool_new();
}

static void teardown(void)
{
    strpool_free(pool);
}

/* n nodes, the first `members` of them in cluster.members, the others
 * spare; options for every node; no timer fires by itself. */
static struct proto_config config_of(int n, int members, unsigned options, bool without_noop)
{
    struct proto_config cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.n_nodes = n;
    cfg.election_min = 150;
    cfg.election_max = 300;
    cfg.heartbeat = 50;
    for (int i = 0; i < n; i++) {
        cfg.names[i] = names[i];
        cfg.fixed_timeout[i] = 100000;
        cfg.options[i] = options;
        cfg.proposer[i] = cfg.acceptor[i] = cfg.learner[i] = true;
    }
    cfg.members = members < n ? (1u << members) - 1 : 0;
    cfg.bugs = without_noop ? BUG_CHANGE_WITHOUT_NOOP : 0;
    return cfg;
}

static struct history *cluster_of(const struct proto_config *cfg)
{
    struct sim_net net = {10, 10, 0, 0};
    return history_new(sim_new(PROTO_RAFT, cfg, &net, 1, pool));
}

static struct history *cluster(int n, int members, unsigned options, bool without_noop)
{
    struct proto_config cfg = config_of(n, members, options, without_noop);
    return cluster_of(&cfg);
}

/* S1..S3 with S4 spare, option catch_up_rounds; S1's election timeout
 * (fixed, as the leader's "election timeout" of §4.2.1) is span ms. */
static struct history *catching_up_cluster(int64_t rounds, int64_t span)
{
    struct proto_config cfg = config_of(4, 3, 0, false);
    cfg.catch_up_rounds = rounds;
    cfg.fixed_timeout[S1] = span;
    return cluster_of(&cfg);
}

static struct sim_result do_op(struct history *h, struct sim_op op)
{
    struct sim_result res;
    history_apply(h, &op, &res);
    return res;
}

static void timeout(struct history *h, int node)
{
    do_op(h, sim_op_make(OP_TIMEOUT, node));
}

static struct sim_result request(struct history *h, int node, const char *cmd)
{
    struct sim_op op = sim_op_make(OP_CLIENT, node);
    op.text = cmd;
    return do_op(h, op);
}

static struct sim_result change(struct history *h, enum sim_op_kind kind, int to_node, int server)
{
    struct sim_op op = sim_op_make(kind, to_node);
    op.to = server;
    return do_op(h, op);
}

static void cut(struct history *h, int a, int b, bool on)
{
    struct sim_op op = sim_op_make(on ? OP_CUT : OP_LINK, -1);
    op.from = a;
    op.to = b;
    op.both = true;
    do_op(h, op);
}

/* Delivers every pending message in send order, and what they cause. */
static void settle(struct history *h)
{
    for (int n = 0; n < 1000 && h->cur->n_pending; n++) {
        struct sim_op op = sim_op_make(OP_DELIVER, -1);
        op.msg_id = h->cur->pending[0].id;
        do_op(h, op);
    }
    ck_assert_uint_eq(h->cur->n_pending, 0);
}

/* Processes the events due up to time t in order (deliveries at their
 * arrival, timers), then moves the clock to t. */
static void run_until(struct history *h, int64_t t)
{
    for (int64_t next; (next = sim_next_event_time(h->cur)) >= 0 && next <= t;)
        do_op(h, sim_op_make(OP_EVENT, -1));
    struct sim_op op = sim_op_make(OP_ADVANCE, -1);
    op.time = t;
    do_op(h, op);
}

static const struct raft *node(const struct history *h, int i)
{
    return sim_node_const(h->cur, i);
}

static const char *field(const struct history *h, int i, const char *name)
{
    static struct sbuf b;
    static bool init;
    if (!init)
        sbuf_init(&b), init = true;
    sbuf_reset(&b);
    ck_assert_int_eq(sim_node_field(h->cur, i, name, &b), 0);
    return b.s;
}

static size_t count_pending(const struct history *h, enum msg_type type, int from)
{
    size_t n = 0;
    for (size_t i = 0; i < h->cur->n_pending; i++)
        n += h->cur->pending[i].m.type == type && h->cur->pending[i].m.from == from;
    return n;
}

static bool pending_to(const struct history *h, enum msg_type type, int from, int to)
{
    for (size_t i = 0; i < h->cur->n_pending; i++) {
        const struct msg *m = &h->cur->pending[i].m;
        if (m->type == type && m->from == from && m->to == to)
            return true;
    }
    return false;
}

/* Delivers the first pending message of this type from -> to. */
static void deliver(struct history *h, enum msg_type type, int from, int to)
{
    for (size_t i = 0; i < h->cur->n_pending; i++) {
        const struct msg *m = &h->cur->pending[i].m;
        if (m->type == type && m->from == from && m->to == to) {
            struct sim_op op = sim_op_make(OP_DELIVER, -1);
            op.msg_id = h->cur->pending[i].id;
            do_op(h, op);
            return;
        }
    }
    ck_abort_msg("no pending %s from %d to %d", msg_type_name(type), from, to);
}

static void assert_safe(const struct history *h)
{
    ck_assert_msg(!h->cur->mon.violated, "%s", h->cur->mon.violation);
}

/* Elects `leader` with every link open and commits one command of its term. */
static void elect_and_commit(struct history *h, int leader, const char *cmd)
{
    timeout(h, leader);
    settle(h);
    ck_assert_int_eq(node(h, leader)->v.role, RAFT_LEADER);
    ck_assert_int_eq(request(h, leader, cmd).client, CLIENT_ACCEPTED);
    settle(h);
}

/* S1..S3 with S4 spare: S1 leads and commits x=1, then, cut off from
 * every member but `reach` (-1: none, and from S4 too), adds S4. */
static void add_s4_reaching(struct history *h, int reach)
{
    elect_and_commit(h, S1, "x=1");
    for (int i = S2; i <= S3; i++)
        if (i != reach)
            cut(h, S1, i, true);
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S4).client, CLIENT_ACCEPTED);
    if (reach < 0)
        cut(h, S1, S4, true);
}

/* lesson-format.md: "the other nodes start as spare servers (up, empty,
 * never starting an election until a configuration that includes them
 * reaches their log)". */
START_TEST(test_spare_server_never_starts_an_election_until_a_configuration_includes_it)
{
    struct history *h = cluster(4, 3, 0, false);
    timeout(h, S4);
    ck_assert_int_eq(node(h, S4)->v.role, RAFT_FOLLOWER);
    ck_assert_int_eq(node(h, S4)->p.term, 0);
    ck_assert_uint_eq(h->cur->n_pending, 0);
    ck_assert_str_eq(field(h, S4, "voting"), "false");
    ck_assert_str_eq(field(h, S4, "config"), "[\"S1\",\"S2\",\"S3\"]");
    /* A leader of S1..S3 does not replicate to it either. */
    elect_and_commit(h, S1, "x=1");
    ck_assert_int_eq(raft_log_length(node(h, S4)), 0);
    /* Once a configuration with S4 reaches its log, it may campaign. */
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S4).client, CLIENT_ACCEPTED);
    settle(h);
    ck_assert_str_eq(field(h, S4, "voting"), "true");
    timeout(h, S4);
    ck_assert_int_eq(node(h, S4)->v.role, RAFT_CANDIDATE);
    ck_assert_uint_eq(count_pending(h, MSG_REQUEST_VOTE, S4), 3);
    assert_safe(h);
    history_free(h);
}
END_TEST

/* §4.1: "a server always uses the latest configuration in its log,
 * regardless of whether the entry is committed". */
START_TEST(test_server_uses_the_latest_configuration_in_its_log_committed_or_not)
{
    struct history *h = cluster(4, 3, 0, false);
    add_s4_reaching(h, S2);
    cut(h, S1, S4, true);
    ck_assert_str_eq(field(h, S1, "config"), "[\"S1\",\"S2\",\"S3\",\"S4\"]");
    /* Only S2 gets it: not committed (3 of 4 needed), yet S2 uses it. */
    settle(h);
    ck_assert_int_eq(node(h, S1)->v.commit_index, 1);
    ck_assert_int_eq(node(h, S2)->v.commit_index, 1);
    ck_assert_str_eq(field(h, S2, "config"), "[\"S1\",\"S2\",\"S3\",\"S4\"]");
    ck_assert_str_eq(field(h, S2, "log"),
                     "[[1,\"x=1\"],[1,{\"config\":[\"S1\",\"S2\",\"S3\",\"S4\"]}]]");
    ck_assert_str_eq(field(h, S3, "config"), "[\"S1\",\"S2\",\"S3\"]");
    /* S2 campaigns in its configuration, S1..S4, and needs 3 votes. */
    cut(h, S1, S2, true);
    timeout(h, S2);
    ck_assert_uint_eq(count_pending(h, MSG_REQUEST_VOTE, S2), 2); /* to S1: cut, lost */
    ck_assert(pending_to(h, MSG_REQUEST_VOTE, S2, S4));
    history_free(h);
}
END_TEST

/* ... and so a follower goes back to the configuration before an
 * uncommitted configuration entry that a new leader overwrites. */
START_TEST(test_overwritten_configuration_entry_takes_the_follower_back_to_the_previous_one)
{
    struct history *h = cluster(4, 3, 0, false);
    add_s4_reaching(h, -1); /* the entry stays on S1 alone */
    timeout(h, S2);         /* S2 wins term 2 with S3 (S1..S3) and commits y=2 */
    settle(h);
    ck_assert_int_eq(node(h, S2)->v.role, RAFT_LEADER);
    request(h, S2, "y=2");
    settle(h);
    cut(h, S1, S2, false);
    timeout(h, S2); /* heartbeat: S1 adopts term 2 and takes S2's entries */
    settle(h);
    ck_assert_str_eq(field(h, S1, "log"), "[[1,\"x=1\"],[2,\"y=2\"]]");
    ck_assert_str_eq(field(h, S1, "config"), "[\"S1\",\"S2\",\"S3\"]");
    ck_assert_str_eq(field(h, S1, "config_old"), "null");
    assert_safe(h);
    history_free(h);
}
END_TEST

/* The published fix (Ongaro, raft-dev, July 2015): "a leader may not
 * append a new configuration entry until it has committed an entry from
 * its current term". */
START_TEST(test_leader_refuses_a_change_until_it_has_committed_an_entry_of_its_term)
{
    struct history *h = cluster(4, 3, 0, false);
    timeout(h, S1);
    settle(h);
    struct sim_result res = change(h, OP_ADD_SERVER, S1, S4);
    ck_assert_int_eq(res.client, CLIENT_REFUSED);
    ck_assert_int_eq(raft_log_length(node(h, S1)), 0);
    request(h, S1, "x=1");
    settle(h);
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S4).client, CLIENT_ACCEPTED);
    history_free(h);
}
END_TEST

/* The broken variant: without the fix, the same leader appends at once. */
START_TEST(test_without_the_fix_a_leader_changes_before_committing_an_entry_of_its_term)
{
    struct history *h = cluster(4, 3, 0, true);
    timeout(h, S1);
    settle(h);
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S4).client, CLIENT_ACCEPTED);
    ck_assert_int_eq(raft_log_length(node(h, S1)), 1);
    history_free(h);
}
END_TEST

/* §4.1: one change at a time -- "a leader already changing refuses". */
START_TEST(test_leader_refuses_a_second_change_until_the_first_is_committed)
{
    struct history *h = cluster(5, 3, 0, false);
    elect_and_commit(h, S1, "x=1");
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S4).client, CLIENT_ACCEPTED);
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S5).client, CLIENT_REFUSED);
    ck_assert_int_eq(raft_log_length(node(h, S1)), 2);
    settle(h);
    ck_assert_int_eq(node(h, S1)->v.commit_index, 2);
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S5).client, CLIENT_ACCEPTED);
    settle(h);
    ck_assert_str_eq(field(h, S5, "config"), "[\"S1\",\"S2\",\"S3\",\"S4\",\"S5\"]");
    assert_safe(h);
    history_free(h);
}
END_TEST

/* "A non-leader refuses and names its leader hint." */
START_TEST(test_a_follower_refuses_a_change_and_names_its_leader)
{
    struct history *h = cluster(4, 3, 0, false);
    struct sim_result res = change(h, OP_ADD_SERVER, S2, S4);
    ck_assert_int_eq(res.client, CLIENT_REFUSED);
    ck_assert_int_eq(res.client_hint, -1);
    elect_and_commit(h, S1, "x=1");
    res = change(h, OP_REMOVE_SERVER, S3, S2);
    ck_assert_int_eq(res.client, CLIENT_REFUSED);
    ck_assert_int_eq(res.client_hint, S1);
    ck_assert_int_eq(raft_log_length(node(h, S3)), 1);
    history_free(h);
}
END_TEST

/* §6 / dissertation §4.2.2: "the leader steps down (returns to follower
 * state) once it has committed the C_new log entry"; until then it manages
 * the cluster without counting itself. */
START_TEST(test_leader_not_in_c_new_steps_down_once_c_new_is_committed)
{
    struct history *h = cluster(3, 3, 0, false);
    elect_and_commit(h, S1, "x=1");
    ck_assert_int_eq(change(h, OP_REMOVE_SERVER, S1, S1).client, CLIENT_ACCEPTED);
    ck_assert_int_eq(node(h, S1)->v.role, RAFT_LEADER);
    ck_assert_str_eq(field(h, S1, "voting"), "false");
    /* C_new = {S2, S3}: its majority is both; S2's reply alone is not enough,
     * even though S1 holds the entry too (it does not count itself). */
    cut(h, S1, S3, true);
    settle(h);
    ck_assert_int_eq(node(h, S1)->v.commit_index, 1);
    ck_assert_int_eq(node(h, S1)->v.role, RAFT_LEADER);
    cut(h, S1, S3, false);
    timeout(h, S1); /* heartbeat: S3 gets the entry */
    settle(h);
    ck_assert_int_eq(node(h, S1)->v.commit_index, 2);
    ck_assert_int_eq(node(h, S1)->v.role, RAFT_FOLLOWER);
    /* S2 and S3 elect a leader of their own. */
    timeout(h, S2);
    settle(h);
    ck_assert_int_eq(node(h, S2)->v.role, RAFT_LEADER);
    assert_safe(h);
    history_free(h);
}
END_TEST

/* §4.1: votes count only from the configuration in use: a spare's vote is
 * no help to a candidate. */
START_TEST(test_votes_from_servers_outside_the_configuration_do_not_count)
{
    struct history *h = cluster(5, 3, 0, false);
    cut(h, S1, S2, true);
    cut(h, S1, S3, true);
    /* S1 asks only S2 and S3 (its configuration), which cannot hear it. */
    timeout(h, S1);
    ck_assert_uint_eq(count_pending(h, MSG_REQUEST_VOTE, S1), 0);
    /* Forged grants from the spares S4 and S5 do not make it leader. */
    for (int from = S4; from <= S5; from++) {
        struct msg grant = {.type = MSG_REQUEST_VOTE_REPLY, .from = from, .to = S1};
        grant.u.rvr.term = 1;
        grant.u.rvr.granted = true;
        struct sim_op op = sim_op_make(OP_INJECT, -1);
        op.msg = &grant;
        do_op(h, op);
    }
    settle(h);
    ck_assert_int_eq(node(h, S1)->v.role, RAFT_CANDIDATE);
    history_free(h);
}
END_TEST

/* Extended paper §6: "Agreement (for elections and entry commitment)
 * requires separate majorities from both the old and new configurations."
 * Then: "Once C_old,new has been committed ... the leader [creates] a log
 * entry describing C_new". */
START_TEST(test_joint_consensus_needs_majorities_of_both_configurations)
{
    struct history *h = cluster(5, 3, OPT_JOINT, false);
    timeout(h, S1);
    settle(h);
    /* Joint consensus needs no own-term commit first. */
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S4).client, CLIENT_ACCEPTED);
    ck_assert_str_eq(field(h, S1, "config"), "[\"S1\",\"S2\",\"S3\",\"S4\"]");
    ck_assert_str_eq(field(h, S1, "config_old"), "[\"S1\",\"S2\",\"S3\"]");
    ck_assert_str_eq(field(h, S1, "log"),
                     "[[1,{\"config\":[\"S1\",\"S2\",\"S3\",\"S4\"],\"old\":[\"S1\",\"S2\","
                     "\"S3\"]}]]");
    /* S1 and S2 are a majority of C_old but not of C_new (3 of 4). */
    cut(h, S1, S3, true);
    cut(h, S1, S4, true);
    settle(h);
    ck_assert_int_eq(node(h, S1)->v.commit_index, 0);
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S5).client, CLIENT_REFUSED);
    cut(h, S1, S4, false);
    timeout(h, S1);
    settle(h);
    /* C_old,new committed (S1,S2 of C_old; S1,S2,S4 of C_new): C_new follows. */
    ck_assert_int_ge(node(h, S1)->v.commit_index, 1);
    ck_assert_str_eq(field(h, S1, "config_old"), "null");
    ck_assert_int_eq(raft_log_length(node(h, S1)), 2);
    ck_assert_str_eq(field(h, S4, "log"),
                     "[[1,{\"config\":[\"S1\",\"S2\",\"S3\",\"S4\"],\"old\":[\"S1\",\"S2\","
                     "\"S3\"]}],[1,{\"config\":[\"S1\",\"S2\",\"S3\",\"S4\"]}]]");
    ck_assert_int_eq(node(h, S1)->v.commit_index, 2);
    assert_safe(h);
    history_free(h);
}
END_TEST

/* §6: while joint, an election needs a majority of C_old and of C_new. */
START_TEST(test_joint_election_needs_majorities_of_both_configurations)
{
    struct history *h = cluster(3, 3, OPT_JOINT, false);
    timeout(h, S1);
    settle(h);
    cut(h, S1, S3, true);
    ck_assert_int_eq(change(h, OP_REMOVE_SERVER, S1, S3).client, CLIENT_ACCEPTED);
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S3).client, CLIENT_REFUSED);
    /* S2 takes C_old,new (old {S1,S2,S3}, new {S1,S2}); S1 crashes before
     * its reply arrives, so nobody knows it committed. */
    deliver(h, MSG_APPEND_ENTRIES, S1, S2);
    do_op(h, sim_op_make(OP_CRASH, S1));
    cut(h, S1, S3, false);
    settle(h);
    ck_assert_str_eq(field(h, S2, "config_old"), "[\"S1\",\"S2\",\"S3\"]");
    ck_assert_str_eq(field(h, S2, "config"), "[\"S1\",\"S2\"]");
    /* S2 campaigns: S3's vote makes a majority of C_old (2 of 3) but not of
     * C_new (1 of 2, S1 being down). */
    timeout(h, S2);
    settle(h);
    ck_assert_int_eq(node(h, S2)->v.n_votes, 2);
    ck_assert_int_eq(node(h, S2)->v.role, RAFT_CANDIDATE);
    /* With S1 back, S1 and S2 vote S2: now both majorities. */
    do_op(h, sim_op_make(OP_RESTART, S1));
    timeout(h, S2);
    settle(h);
    ck_assert_int_eq(node(h, S2)->v.role, RAFT_LEADER);
    assert_safe(h);
    history_free(h);
}
END_TEST

/* Dissertation §4.2.3: "if a server receives a RequestVote request within
 * the minimum election timeout of hearing from a current leader, it does
 * not update its term or grant its vote". */
START_TEST(test_leader_stickiness_ignores_a_request_vote_soon_after_hearing_from_the_leader)
{
    for (int sticky = 0; sticky <= 1; sticky++) {
        struct history *h = cluster(3, 3, sticky ? OPT_LEADER_STICKINESS : 0, false);
        elect_and_commit(h, S1, "x=1");
        /* A forged RequestVote of a higher term, as from a removed server. */
        struct msg rv = {.type = MSG_REQUEST_VOTE, .from = S3, .to = S2};
        rv.u.rv.term = 5;
        rv.u.rv.last_log_index = 1;
        rv.u.rv.last_log_term = 1;
        struct sim_op op = sim_op_make(OP_INJECT, -1);
        op.msg = &rv;
        do_op(h, op);
        rv.to = S1;
        do_op(h, op);
        settle(h);
        if (sticky) {
            ck_assert_int_eq(node(h, S2)->p.term, 1);
            ck_assert_int_eq(node(h, S2)->p.voted_for, S1);
            ck_assert_int_eq(node(h, S1)->v.role, RAFT_LEADER);
            ck_assert_int_eq(node(h, S1)->p.term, 1);
        } else {
            ck_assert_int_eq(node(h, S2)->p.term, 5);
            ck_assert_int_eq(node(h, S1)->v.role, RAFT_FOLLOWER);
        }
        history_free(h);
    }
}
END_TEST

/* ... and once the minimum election timeout has passed without a leader,
 * the vote is granted as usual. */
START_TEST(test_leader_stickiness_grants_once_the_leader_is_silent)
{
    struct history *h = cluster(3, 3, OPT_LEADER_STICKINESS, false);
    elect_and_commit(h, S1, "x=1");
    do_op(h, sim_op_make(OP_CRASH, S1));
    struct sim_op adv = sim_op_make(OP_ADVANCE, -1);
    adv.time = h->cur->now + 150;
    do_op(h, adv);
    timeout(h, S3);
    settle(h);
    ck_assert_int_eq(node(h, S3)->v.role, RAFT_LEADER);
    ck_assert_int_eq(node(h, S2)->p.term, 2);
    history_free(h);
}
END_TEST

/* The bug report (Ongaro, raft-dev "bug in single-server membership
 * changes", July 2015): two single-server changes begun by leaders of
 * different terms, neither committed by the other, give configurations
 * whose majorities are disjoint. Cluster S1..S4, S5 spare:
 *   1. S1, leader of term 1, adds S5: C1 = {S1..S5} reaches only S5.
 *   2. S2 is elected in term 2 by S2, S3, S4 (C0 = {S1..S4}) and at once
 *      removes S1: C2 = {S2, S3, S4}, committed by S2 and S3.
 *   3. S1 wins term 3 with S1, S4, S5 (3 of C1); S3 wins term 3 with S2,
 *      S3 (2 of C2): two leaders in term 3.
 * The fix (commit an entry of one's own term first) makes S2 refuse step 2. */
static struct history *schedule_2015(bool without_fix, struct sim_result *removal)
{
    struct history *h = cluster(5, 4, 0, without_fix);
    elect_and_commit(h, S1, "x=1");
    for (int i = S2; i <= S4; i++)
        cut(h, S1, i, true);
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S5).client, CLIENT_ACCEPTED);
    settle(h);
    ck_assert_int_eq(raft_log_length(node(h, S5)), 2);
    ck_assert_int_eq(node(h, S1)->v.commit_index, 1);
    timeout(h, S2);
    settle(h);
    ck_assert_int_eq(node(h, S2)->v.role, RAFT_LEADER);
    ck_assert_int_eq(node(h, S2)->p.term, 2);
    cut(h, S2, S4, true);
    *removal = change(h, OP_REMOVE_SERVER, S2, S1);
    settle(h);
    cut(h, S2, S4, false);
    cut(h, S1, S4, false);
    timeout(h, S1); /* term 2: S4 already voted for S2 */
    settle(h);
    timeout(h, S1); /* term 3 */
    settle(h);
    timeout(h, S3); /* term 3 too */
    settle(h);
    return h;
}

START_TEST(test_2015_bug_without_the_fix_two_leaders_in_one_term_caught_by_the_monitor)
{
    struct sim_result removal;
    struct history *h = schedule_2015(true, &removal);
    ck_assert_int_eq(removal.client, CLIENT_ACCEPTED);
    ck_assert_str_eq(field(h, S3, "config"), "[\"S2\",\"S3\",\"S4\"]");
    ck_assert_int_eq(node(h, S2)->v.commit_index, 2);
    /* Two leaders in term 3, each elected by a majority of its own
     * configuration ... */
    ck_assert_int_eq(node(h, S1)->v.role, RAFT_LEADER);
    ck_assert_int_eq(node(h, S1)->p.term, 3);
    ck_assert_int_eq(node(h, S3)->v.role, RAFT_LEADER);
    ck_assert_int_eq(node(h, S3)->p.term, 3);
    ck_assert_int_eq(monitor_leaders_in_term(&h->cur->mon, 3), 2);
    /* ... and the monitor says so at the first broken invariant: S1 won
     * term 3 without C2, committed in term 2 (Leader Completeness). */
    ck_assert(h->cur->mon.violated);
    ck_assert_ptr_nonnull(strstr(h->cur->mon.violation, "leader S1 of term 3 lacks entry 2"));
    history_free(h);
}
END_TEST

/* The first line of the feed that says an invariant broke, in the
 * interface language now. */
static void violation_line(const struct history *h, struct sbuf *out)
{
    for (size_t k = 0; k < h->feed.n; k++) {
        struct feed_line l;
        feed_get(&h->feed, k, &l);
        if (l.kind == FEED_VIOLATION) {
            feed_line_text(&h->feed, &l, out);
            return;
        }
    }
    ck_abort_msg("no violation in the feed");
}

/* A violation names a configuration entry in words a learner reads — the
 * configuration it changes to, C_new — never a placeholder such as
 * "{config}", in English and in Chinese (the feed keeps the note as data,
 * so the same line reads in either language). */
START_TEST(test_a_violation_names_a_configuration_entry_by_its_servers_in_both_languages)
{
    ui_i18n_init("en");
    struct sim_result removal;
    struct history *h = schedule_2015(true, &removal);
    ck_assert_str_eq(h->cur->mon.violation,
                     "leader S1 of term 3 lacks entry 2 (term 2, the configuration change to "
                     "{S2, S3, S4}), committed in term 2");
    struct sbuf line;
    sbuf_init(&line);
    violation_line(h, &line);
    ck_assert_str_eq(line.s, "safety violated: leader S1 of term 3 lacks entry 2 (term 2, the "
                             "configuration change to {S2, S3, S4}), committed in term 2");
    ui_i18n_init("zh-CN");
    sbuf_reset(&line);
    violation_line(h, &line);
    /* ……缺少第 2 条条目（任期 2，改为 {S2、S3、S4} 的配置变更）…… */
    ck_assert_msg(strstr(line.s, "\xe7\xbc\xba\xe5\xb0\x91\xe7\xac\xac 2 \xe6\x9d\xa1\xe6\x9d\xa1"
                                 "\xe7\x9b\xae\xef\xbc\x88\xe4\xbb\xbb\xe6\x9c\x9f 2\xef\xbc\x8c"
                                 "\xe6\x94\xb9\xe4\xb8\xba {S2\xe3\x80\x81S3\xe3\x80\x81S4} "
                                 "\xe7\x9a\x84\xe9\x85\x8d\xe7\xbd\xae\xe5\x8f\x98\xe6\x9b\xb4"
                                 "\xef\xbc\x89"),
                  "%s", line.s);
    ck_assert_ptr_null(strstr(line.s, "config"));
    ui_i18n_init("en");
    sbuf_free(&line);
    history_free(h);
}
END_TEST

START_TEST(test_2015_schedule_with_the_fix_stays_safe)
{
    struct sim_result removal;
    struct history *h = schedule_2015(false, &removal);
    ck_assert_int_eq(removal.client, CLIENT_REFUSED);
    ck_assert_int_eq(node(h, S1)->v.role, RAFT_LEADER);
    ck_assert_int_eq(node(h, S1)->p.term, 3);
    ck_assert_int_ne(node(h, S3)->v.role, RAFT_LEADER);
    assert_safe(h);
    history_free(h);
}
END_TEST

/* Dissertation §4.2.1: "The leader replicates entries to the new server in
 * rounds ... If the last round lasts less than an election timeout, then
 * the leader adds the new server to the cluster". */
START_TEST(test_4_2_1_the_leader_catches_a_new_server_up_in_rounds_before_adding_it)
{
    struct history *h = catching_up_cluster(3, 100);
    elect_and_commit(h, S1, "x=1");
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S4).client, CLIENT_ACCEPTED);
    /* No configuration entry yet: S4 is a non-voting member being fed. */
    ck_assert_int_eq(raft_log_length(node(h, S1)), 1);
    ck_assert_str_eq(field(h, S1, "catching_up"), "\"S4\"");
    ck_assert_str_eq(field(h, S1, "config"), "[\"S1\",\"S2\",\"S3\"]");
    ck_assert(pending_to(h, MSG_APPEND_ENTRIES, S1, S4));
    ck_assert_str_eq(field(h, S4, "voting"), "false");
    /* §4.1's one change at a time holds for the one being prepared. */
    ck_assert_int_eq(change(h, OP_REMOVE_SERVER, S1, S2).client, CLIENT_REFUSED);
    settle(h);
    ck_assert_str_eq(field(h, S1, "catching_up"), "null");
    ck_assert_int_eq(raft_log_length(node(h, S1)), 2);
    ck_assert_str_eq(field(h, S1, "config"), "[\"S1\",\"S2\",\"S3\",\"S4\"]");
    ck_assert_int_eq(node(h, S1)->v.commit_index, 2);
    ck_assert_str_eq(field(h, S4, "voting"), "true");
    assert_safe(h);
    history_free(h);
}
END_TEST

/* §4.2.1: new servers join "as non-voting members ... not considered for
 * majorities": what S4 holds commits nothing while it catches up. */
START_TEST(test_4_2_1_a_server_being_caught_up_counts_in_no_majority)
{
    /* Members S1 and S2, S3 spare; S1 cut off from S2. */
    struct proto_config cfg = config_of(3, 2, 0, false);
    cfg.catch_up_rounds = 1000;
    struct history *h = cluster_of(&cfg);
    elect_and_commit(h, S1, "x=1");
    cut(h, S1, S2, true);
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S3).client, CLIENT_ACCEPTED);
    for (int i = 2; i <= 6; i++) {
        char cmd[8];
        snprintf(cmd, sizeof cmd, "x=%d", i);
        /* S3 gets what was sent; one more entry is appended before its
         * replies come back, so every round ends with one entry still to
         * replicate: S3 never catches up and is never added. */
        while (pending_to(h, MSG_APPEND_ENTRIES, S1, S3))
            deliver(h, MSG_APPEND_ENTRIES, S1, S3);
        ck_assert_int_eq(request(h, S1, cmd).client, CLIENT_ACCEPTED);
        while (pending_to(h, MSG_APPEND_ENTRIES_REPLY, S3, S1))
            deliver(h, MSG_APPEND_ENTRIES_REPLY, S3, S1);
    }
    ck_assert_int_eq(node(h, S1)->v.match_index[S3], 5);
    ck_assert_int_eq(raft_log_length(node(h, S1)), 6);
    ck_assert_str_eq(field(h, S1, "catching_up"), "\"S3\"");
    /* S1 and S3 hold entries 2..5: two of {S1, S2, S3} were S3 counted,
     * but of the configuration in use, {S1, S2}, only one. */
    ck_assert_int_eq(node(h, S1)->v.commit_index, 1);
    assert_safe(h);
    history_free(h);
}
END_TEST

/* §4.2.1: "If the last round lasts less than an election timeout, then the
 * leader adds the new server ... Otherwise, the leader aborts the
 * configuration change with an error. The caller may always try again (it
 * will be more likely to succeed the next time, since the new server's log
 * will already be partially caught up)." */
START_TEST(test_4_2_1_otherwise_the_leader_aborts_and_the_caller_may_try_again)
{
    /* S1's election timeout is 15 ms, a round trip 20 ms. */
    struct history *h = catching_up_cluster(2, 15);
    elect_and_commit(h, S1, "x=1");
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S4).client, CLIENT_ACCEPTED);
    run_until(h, 15);
    /* At 15 ms round 1 has lasted an election timeout unfinished; round
     * 2, up to the command appended now (index 2), ends with the reply at
     * 35 ms, 20 ms later. */
    ck_assert_int_eq(request(h, S1, "x=2").client, CLIENT_ACCEPTED);
    run_until(h, 40);
    ck_assert_str_eq(field(h, S1, "catching_up"), "null");
    ck_assert_int_eq(raft_log_length(node(h, S1)), 2);
    ck_assert_str_eq(field(h, S1, "config"), "[\"S1\",\"S2\",\"S3\"]");
    ck_assert_int_eq(raft_log_length(node(h, S4)), 2);
    /* Tried again: S4 holds everything, so both rounds end at once. */
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S4).client, CLIENT_ACCEPTED);
    ck_assert_str_eq(field(h, S1, "catching_up"), "null");
    ck_assert_str_eq(field(h, S1, "config"), "[\"S1\",\"S2\",\"S3\",\"S4\"]");
    ck_assert_int_eq(raft_log_length(node(h, S1)), 3);
    assert_safe(h);
    history_free(h);
}
END_TEST

/* The same timings without the command: round 2 has nothing to send and
 * ends at once, well within the 15 ms. */
START_TEST(
    test_4_2_1_if_the_last_round_lasts_less_than_an_election_timeout_the_leader_adds_the_new_server)
{
    struct history *h = catching_up_cluster(2, 15);
    elect_and_commit(h, S1, "x=1");
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S4).client, CLIENT_ACCEPTED);
    run_until(h, 40);
    ck_assert_str_eq(field(h, S1, "catching_up"), "null");
    ck_assert_str_eq(field(h, S1, "config"), "[\"S1\",\"S2\",\"S3\",\"S4\"]");
    assert_safe(h);
    history_free(h);
}
END_TEST

/* §4.2.1: the leader aborts for a new server that is unavailable too:
 * each round ends unfinished after an election timeout, and so does the
 * last one. */
START_TEST(test_4_2_1_the_leader_aborts_when_the_new_server_is_unavailable)
{
    struct history *h = catching_up_cluster(2, 100);
    elect_and_commit(h, S1, "x=1");
    do_op(h, sim_op_make(OP_CRASH, S4));
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S4).client, CLIENT_ACCEPTED);
    /* Heartbeats every 50 ms: round 1 is cut at 100 ms, round 2 at 200. */
    run_until(h, 160);
    ck_assert_str_eq(field(h, S1, "catching_up"), "\"S4\"");
    ck_assert_int_eq(node(h, S1)->v.catch_up_round, 2);
    run_until(h, 210);
    ck_assert_str_eq(field(h, S1, "catching_up"), "null");
    ck_assert_str_eq(field(h, S1, "config"), "[\"S1\",\"S2\",\"S3\"]");
    /* The leader is free for another change. */
    ck_assert_int_eq(change(h, OP_REMOVE_SERVER, S1, S3).client, CLIENT_ACCEPTED);
    ck_assert_str_eq(field(h, S1, "config"), "[\"S1\",\"S2\"]");
    assert_safe(h);
    history_free(h);
}
END_TEST

/* A leader deposed in the middle of a catch-up changes nothing. */
START_TEST(test_4_2_1_a_deposed_leader_abandons_the_catch_up)
{
    struct history *h = catching_up_cluster(2, 100000);
    elect_and_commit(h, S1, "x=1");
    cut(h, S1, S4, true);
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S4).client, CLIENT_ACCEPTED);
    ck_assert_str_eq(field(h, S1, "catching_up"), "\"S4\"");
    timeout(h, S2);
    settle(h);
    ck_assert_int_eq(node(h, S2)->v.role, RAFT_LEADER);
    ck_assert_int_eq(node(h, S1)->v.role, RAFT_FOLLOWER);
    ck_assert_str_eq(field(h, S1, "catching_up"), "null");
    ck_assert_str_eq(field(h, S2, "config"), "[\"S1\",\"S2\",\"S3\"]");
    assert_safe(h);
    history_free(h);
}
END_TEST

/* Drops every pending message from -> to. */
static void drop_all(struct history *h, int from, int to)
{
    for (size_t i = 0; i < h->cur->n_pending;) {
        const struct msg *m = &h->cur->pending[i].m;
        if (m->from == from && m->to == to) {
            struct sim_op op = sim_op_make(OP_DROP, -1);
            op.msg_id = h->cur->pending[i].id;
            do_op(h, op);
        } else {
            i++;
        }
    }
}

/* Extended paper §6: "Once C_old,new has been committed ... it is now safe
 * for the leader to create a log entry describing C_new" — also when the
 * committed C_old,new is known only from a snapshot (§7: "the latest
 * configuration as of the last included index"). S4 gets C_old,new by
 * InstallSnapshot alone, then leads. */
START_TEST(test_6_a_leader_whose_c_old_new_is_in_its_snapshot_goes_on_to_c_new)
{
    struct history *h = cluster(4, 3, OPT_JOINT, false);
    elect_and_commit(h, S1, "x=1");
    cut(h, S1, S4, true);
    ck_assert_int_eq(change(h, OP_ADD_SERVER, S1, S4).client, CLIENT_ACCEPTED);
    deliver(h, MSG_APPEND_ENTRIES, S1, S2);
    deliver(h, MSG_APPEND_ENTRIES, S1, S3);
    deliver(h, MSG_APPEND_ENTRIES_REPLY, S2, S1);
    deliver(h, MSG_APPEND_ENTRIES_REPLY, S3, S1);
    /* S1 committed C_old,new (index 2) and appended C_new (index 3); C_new
     * reaches nobody, and S1 snapshots up to index 2. */
    ck_assert_int_eq(raft_log_length(node(h, S1)), 3);
    drop_all(h, S1, S2);
    drop_all(h, S1, S3);
    do_op(h, sim_op_make(OP_SNAPSHOT, S1));
    ck_assert_int_eq(node(h, S1)->p.snap.index, 2);
    cut(h, S1, S2, true);
    cut(h, S1, S3, true);
    cut(h, S1, S4, false);
    timeout(h, S1); /* a heartbeat: S4 is behind the snapshot */
    deliver(h, MSG_INSTALL_SNAPSHOT, S1, S4);
    do_op(h, sim_op_make(OP_CRASH, S1));
    ck_assert_int_eq(node(h, S4)->p.snap.index, 2);
    ck_assert_str_eq(field(h, S4, "config_old"), "[\"S1\",\"S2\",\"S3\"]");
    /* S4 is as up to date as S2 and S3, and wins (old and new majorities). */
    timeout(h, S4);
    settle(h);
    ck_assert_int_eq(node(h, S4)->v.role, RAFT_LEADER);
    /* With a command of its term committed, it moves on to C_new. */
    ck_assert_int_eq(request(h, S4, "y=1").client, CLIENT_ACCEPTED);
    settle(h);
    ck_assert_str_eq(field(h, S4, "config_old"), "null");
    ck_assert_str_eq(field(h, S4, "config"), "[\"S1\",\"S2\",\"S3\",\"S4\"]");
    ck_assert_int_eq(raft_log_length(node(h, S4)), 4);
    assert_safe(h);
    history_free(h);
}
END_TEST

/* A restart rebuilds the configuration in use from the persistent log. */
START_TEST(test_restart_uses_the_configuration_in_its_persistent_log)
{
    struct history *h = cluster(4, 3, 0, false);
    elect_and_commit(h, S1, "x=1");
    change(h, OP_ADD_SERVER, S1, S4);
    settle(h);
    do_op(h, sim_op_make(OP_CRASH, S4));
    ck_assert_str_eq(field(h, S4, "config"), "[\"S1\",\"S2\",\"S3\",\"S4\"]");
    do_op(h, sim_op_make(OP_RESTART, S4));
    ck_assert_str_eq(field(h, S4, "voting"), "true");
    ck_assert_int_eq(node(h, S4)->v.config_at, 2);
    history_free(h);
}
END_TEST

static Suite *suite(void)
{
    Suite *s = suite_create("raft_membership");
    TCase *t = tcase_create("membership");
    tcase_add_checked_fixture(t, setup, teardown);
    tcase_add_test(t, test_spare_server_never_starts_an_election_until_a_configuration_includes_it);
    tcase_add_test(t, test_server_uses_the_latest_configuration_in_its_log_committed_or_not);
    tcase_add_test(
        t, test_overwritten_configuration_entry_takes_the_follower_back_to_the_previous_one);
    tcase_add_test(t, test_leader_refuses_a_change_until_it_has_committed_an_entry_of_its_term);
    tcase_add_test(t, test_without_the_fix_a_leader_changes_before_committing_an_entry_of_its_term);
    tcase_add_test(t, test_leader_refuses_a_second_change_until_the_first_is_committed);
    tcase_add_test(t, test_a_follower_refuses_a_change_and_names_its_leader);
    tcase_add_test(t, test_leader_not_in_c_new_steps_down_once_c_new_is_committed);
    tcase_add_test(t, test_votes_from_servers_outside_the_configuration_do_not_count);
    tcase_add_test(t, test_joint_consensus_needs_majorities_of_both_configurations);
    tcase_add_test(t, test_joint_election_needs_majorities_of_both_configurations);
    tcase_add_test(
        t, test_leader_stickiness_ignores_a_request_vote_soon_after_hearing_from_the_leader);
    tcase_add_test(t, test_leader_stickiness_grants_once_the_leader_is_silent);
    tcase_add_test(t, test_2015_bug_without_the_fix_two_leaders_in_one_term_caught_by_the_monitor);
    tcase_add_test(t, test_2015_schedule_with_the_fix_stays_safe);
    tcase_add_test(t,
                   test_a_violation_names_a_configuration_entry_by_its_servers_in_both_languages);
    tcase_add_test(t, test_restart_uses_the_configuration_in_its_persistent_log);
    tcase_add_test(t, test_6_a_leader_whose_c_old_new_is_in_its_snapshot_goes_on_to_c_new);
    tcase_add_test(t, test_4_2_1_the_leader_catches_a_new_server_up_in_rounds_before_adding_it);
    tcase_add_test(t, test_4_2_1_a_server_being_caught_up_counts_in_no_majority);
    tcase_add_test(t, test_4_2_1_otherwise_the_leader_aborts_and_the_caller_may_try_again);
    tcase_add_test(
        t,
        test_4_2_1_if_the_last_round_lasts_less_than_an_election_timeout_the_leader_adds_the_new_server);
    tcase_add_test(t, test_4_2_1_the_leader_aborts_when_the_new_server_is_unavailable);
    tcase_add_test(t, test_4_2_1_a_deposed_leader_abandons_the_catch_up);
    suite_add_tcase(s, t);
    return s;
}

int main(void)
{
    SRunner *r = srunner_create(suite());
    srunner_run_all(r, CK_NORMAL);
    int failed = srunner_ntests_failed(r);
    srunner_free(r);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
