/* Tests of the Raft engine, named after the rules of the extended paper
 * (Figure 2 and the sections they cite), in the manner of etcd's
 * raft_paper_test.go. Nodes are driven directly: a tiny in-test network
 * carries their messages in FIFO order, and tests reorder, drop or forge
 * messages by hand. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "protocols/msg.h"
#include "protocols/proto.h"
#include "protocols/raft.h"
#include "tutor/note_text.h"

static const char *const node_names[PROTO_MAX_NODES] = {"S1", "S2", "S3", "S4", "S5",
                                                        "S6", "S7", "S8", "S9"};
enum { S1, S2, S3, S4, S5 };

/* ---- fixture: a tiny network ---- */

/* A message in flight and when it is due (random tests only). */
struct flight {
    struct msg m;
    int64_t due;
};

struct net {
    int n;
    struct proto_config cfg;
    struct prng rng;
    struct raft *node[PROTO_MAX_NODES];
    int64_t now;
    int64_t timer[PROTO_MAX_NODES];
    struct flight *q; /* in flight, send order */
    size_t n_q, cap_q;
    bool cut[PROTO_MAX_NODES][PROTO_MAX_NODES];
    struct proto_out out; /* the last step's output */
    struct sbuf notes;    /* every note since the last net_clear_notes */
    struct sbuf field;
    int refusals[PROTO_MAX_NODES]; /* AppendEntriesReply success=false sent, per node */
    int ae_sent;                   /* AppendEntries sent */
    const char *applied_at[1024];  /* the command applied at each index, by anyone */
    size_t max_entries;            /* most entries seen in one AppendEntries */
    struct prng latency_rng;       /* random tests: per-message latency */
    int64_t latency_max;           /* 0: every message is due at once */
};

static struct net *net_new(int n, unsigned options)
{
    struct net *t = calloc(1, sizeof *t);
    ck_assert_ptr_nonnull(t);
    t->n = n;
    t->cfg.n_nodes = n;
    t->cfg.election_min = 150;
    t->cfg.election_max = 300;
    t->cfg.heartbeat = 50;
    for (int i = 0; i < PROTO_MAX_NODES; i++) {
        t->cfg.names[i] = node_names[i];
        t->cfg.fixed_timeout[i] = -1;
        t->cfg.options[i] = options;
        t->timer[i] = -1;
    }
    prng_seed(&t->rng, 7);
    for (int i = 0; i < n; i++)
        t->node[i] = raft_new(i);
    proto_out_init(&t->out);
    sbuf_init(&t->notes);
    sbuf_init(&t->field);
    return t;
}

static void net_free(struct net *t)
{
    for (size_t i = 0; i < t->n_q; i++)
        msg_free(&t->q[i].m);
    free(t->q);
    for (int i = 0; i < t->n; i++)
        raft_free(t->node[i]);
    proto_out_free(&t->out);
    sbuf_free(&t->notes);
    sbuf_free(&t->field);
    free(t);
}

static void net_clear_notes(struct net *t)
{
    sbuf_reset(&t->notes);
}

static bool noted(struct net *t, const char *text)
{
    return strstr(t->notes.s, text) != NULL;
}

/* Steps node i and puts what it sent in flight. */
static void net_step(struct net *t, int i, enum proto_in_kind kind, const struct msg *m,
                     const char *cmd)
{
    struct proto_in in = {
        .kind = kind, .now = t->now, .msg = m, .command = cmd, .cfg = &t->cfg, .rng = &t->rng};
    proto_out_reset(&t->out);
    raft_step(t->node[i], &in, &t->out);
    for (size_t k = 0; k < t->out.n_notes; k++) {
        struct sbuf one;
        sbuf_init(&one);
        note_render(&t->out.notes[k], t->cfg.names, t->cfg.n_nodes, &one);
        if (strlen(one.s) >= 200)
            ck_abort_msg("note too long: %s", one.s);
        sbuf_add(&t->notes, one.s);
        sbuf_addc(&t->notes, '\n');
        sbuf_free(&one);
    }
    for (size_t k = 0; k < t->out.n_msgs; k++) {
        const struct msg *o = &t->out.msgs[k];
        if (o->type == MSG_APPEND_ENTRIES_REPLY && !o->u.aer.success)
            t->refusals[o->from]++;
        if (o->type == MSG_APPEND_ENTRIES) {
            t->ae_sent++;
            if (o->u.ae.n_entries > t->max_entries)
                t->max_entries = o->u.ae.n_entries;
        }
        if (t->n_q == t->cap_q) {
            t->cap_q = t->cap_q ? 2 * t->cap_q : 16;
            t->q = realloc(t->q, t->cap_q * sizeof *t->q);
            ck_assert_ptr_nonnull(t->q);
        }
        t->q[t->n_q].due =
            t->now + (t->latency_max ? prng_range(&t->latency_rng, 1, t->latency_max) : 0);
        msg_clone(&t->q[t->n_q++].m, o);
    }
    /* State Machine Safety: one command per index, whoever applies it, in
     * order from the node's last applied entry. */
    for (size_t k = 0; k < t->out.n_applied; k++) {
        int64_t idx = t->out.applied[k].index;
        const char *what = t->out.applied[k].cmd;
        if (idx < 1 || idx >= 1024)
            ck_abort_msg("applied index %lld out of range", (long long)idx);
        if (idx != t->node[i]->v.last_applied - (int64_t)(t->out.n_applied - 1 - k))
            ck_abort_msg("%s applies %lld out of order", node_names[i], (long long)idx);
        if (!t->applied_at[idx])
            t->applied_at[idx] = what;
        if (strcmp(t->applied_at[idx], what) != 0)
            ck_abort_msg("two commands applied at %lld", (long long)idx);
    }
    t->timer[i] = t->out.timer;
    if (t->out.timer != (t->node[i]->v.up ? t->node[i]->v.deadline : -1))
        ck_abort_msg("out->timer is not the node's deadline");
}

static void net_start(struct net *t)
{
    for (int i = 0; i < t->n; i++)
        net_step(t, i, IN_START, NULL, NULL);
}

static void net_timeout(struct net *t, int i)
{
    net_step(t, i, IN_TIMER, NULL, NULL);
}

static void net_client(struct net *t, int i, const char *cmd)
{
    net_step(t, i, IN_CLIENT, NULL, cmd);
}

/* Delivers a hand-made (or taken) message to its destination. */
static void net_inject(struct net *t, const struct msg *m)
{
    net_step(t, m->to, IN_MESSAGE, m, NULL);
}

static bool matches(const struct msg *m, int type, int from, int to)
{
    return (type < 0 || (int)m->type == type) && (from < 0 || m->from == from) &&
           (to < 0 || m->to == to);
}

/* Takes message i out of flight; the caller frees it. */
static struct msg q_remove(struct net *t, size_t i)
{
    struct msg m = t->q[i].m;
    memmove(&t->q[i], &t->q[i + 1], (t->n_q - i - 1) * sizeof *t->q);
    t->n_q--;
    return m;
}

/* Removes the first (or last) in-flight message that matches (-1: any) and
 * returns it; the caller frees it. */
static struct msg net_take(struct net *t, int type, int from, int to, bool last)
{
    for (size_t k = 0; k < t->n_q; k++) {
        size_t i = last ? t->n_q - 1 - k : k;
        if (matches(&t->q[i].m, type, from, to))
            return q_remove(t, i);
    }
    ck_abort_msg("no message in flight matches");
    struct msg none = {0};
    return none;
}

static int net_count(struct net *t, int type, int from, int to)
{
    int n = 0;
    for (size_t i = 0; i < t->n_q; i++)
        n += matches(&t->q[i].m, type, from, to);
    return n;
}

static void net_drop_all(struct net *t)
{
    for (size_t i = 0; i < t->n_q; i++)
        msg_free(&t->q[i].m);
    t->n_q = 0;
}

/* Delivers the oldest message in flight (lost if its link is cut or its
 * destination is down). */
static void net_deliver_one(struct net *t)
{
    struct msg m = q_remove(t, 0);
    if (!t->cut[m.from][m.to] && t->node[m.to]->v.up)
        net_inject(t, &m);
    msg_free(&m);
}

/* Delivers in send order until nothing is in flight; returns how many. */
static int net_settle(struct net *t)
{
    int n = 0;
    while (t->n_q > 0) {
        net_deliver_one(t);
        ck_assert_int_lt(++n, 100000);
    }
    return n;
}

static void net_isolate(struct net *t, int i, bool cut)
{
    for (int j = 0; j < t->n; j++)
        if (j != i)
            t->cut[i][j] = t->cut[j][i] = cut;
}

static const char *fld(struct net *t, int i, const char *name)
{
    sbuf_reset(&t->field);
    ck_assert_int_eq(raft_field(t->node[i], &t->cfg, name, &t->field), 0);
    return t->field.s;
}

/* Starts every node, times node i out and delivers everything. */
static void net_elect(struct net *t, int i)
{
    net_timeout(t, i);
    net_settle(t);
    ck_assert_int_eq(t->node[i]->v.role, RAFT_LEADER);
}

static void set_log(struct net *t, int i, int64_t term, int voted_for, const int64_t *terms,
                    size_t n)
{
    static const char *const cmds[] = {"c1",  "c2",  "c3",  "c4",  "c5",  "c6",  "c7",
                                       "c8",  "c9",  "c10", "c11", "c12", "c13", "c14",
                                       "c15", "c16", "c17", "c18", "c19", "c20"};
    struct entry e[128] = {{0}};
    ck_assert_uint_le(n, 128);
    for (size_t k = 0; k < n; k++) {
        e[k].term = terms[k];
        e[k].cmd = k < 20 ? cmds[k] : "c";
    }
    ck_assert_int_eq(raft_set_initial(t->node[i], term, voted_for, e, n), 0);
}

static struct msg mk_rv(int from, int to, int64_t term, int64_t lli, int64_t llt, bool prevote)
{
    struct msg m = {.type = MSG_REQUEST_VOTE, .from = from, .to = to};
    m.u.rv.term = term;
    m.u.rv.last_log_index = lli;
    m.u.rv.last_log_term = llt;
    m.u.rv.prevote = prevote;
    return m;
}

static struct msg mk_rvr(int from, int to, int64_t term, bool granted, bool prevote)
{
    struct msg m = {.type = MSG_REQUEST_VOTE_REPLY, .from = from, .to = to};
    m.u.rvr.term = term;
    m.u.rvr.granted = granted;
    m.u.rvr.prevote = prevote;
    return m;
}

/* entries is borrowed: the message is never freed. */
static struct msg mk_ae(int from, int to, int64_t term, int64_t prev, int64_t prev_term,
                        int64_t commit, struct entry *entries, size_t n)
{
    struct msg m = {.type = MSG_APPEND_ENTRIES, .from = from, .to = to};
    m.u.ae.term = term;
    m.u.ae.prev_log_index = prev;
    m.u.ae.prev_log_term = prev_term;
    m.u.ae.leader_commit = commit;
    m.u.ae.entries = entries;
    m.u.ae.n_entries = n;
    return m;
}

static struct msg mk_aer(int from, int to, int64_t term, bool success, int64_t match)
{
    struct msg m = {.type = MSG_APPEND_ENTRIES_REPLY, .from = from, .to = to};
    m.u.aer.term = term;
    m.u.aer.success = success;
    m.u.aer.match_index = match;
    return m;
}

/* The one message the last step sent. */
static const struct msg *only_sent(struct net *t)
{
    ck_assert_uint_eq(t->out.n_msgs, 1);
    return &t->out.msgs[0];
}

/* ---- §5.1 terms ---- */

START_TEST(test_5_1_update_term_from_message)
{
    /* Every kind of message with a higher term makes any role adopt it. */
    for (int type = MSG_REQUEST_VOTE; type <= MSG_APPEND_ENTRIES_REPLY; type++) {
        for (int role = RAFT_FOLLOWER; role <= RAFT_LEADER; role++) {
            struct net *t = net_new(3, 0);
            net_start(t);
            if (role == RAFT_CANDIDATE)
                net_timeout(t, S1);
            else if (role == RAFT_LEADER)
                net_elect(t, S1);
            net_drop_all(t);
            ck_assert_int_eq(t->node[S1]->v.role, role);
            net_clear_notes(t);
            struct msg m = {.type = (enum msg_type)type, .from = S2, .to = S1};
            m.u.rv.term = 5; /* every Raft message's term comes first */
            if (type == MSG_APPEND_ENTRIES)
                m.u.ae.term = 5;
            else if (type == MSG_REQUEST_VOTE_REPLY)
                m.u.rvr.term = 5;
            else if (type == MSG_APPEND_ENTRIES_REPLY)
                m.u.aer.term = 5;
            net_inject(t, &m);
            ck_assert_int_eq(t->node[S1]->p.term, 5);
            ck_assert_int_eq(t->node[S1]->v.role, RAFT_FOLLOWER);
            ck_assert(t->out.persisted);
            ck_assert(noted(t, "§5.1"));
            ck_assert(noted(t, "term 5 > "));
            if (type != MSG_REQUEST_VOTE)
                ck_assert_str_eq(fld(t, S1, "voted_for"), "null");
            if (type != MSG_APPEND_ENTRIES)
                ck_assert_str_eq(fld(t, S1, "leader_hint"), "null");
            ck_assert_str_eq(fld(t, S1, "votes"), "[]");
            /* A deposed leader waits an election timeout, not a heartbeat. */
            ck_assert_int_ge(t->timer[S1], t->now + 150);
            net_free(t);
        }
    }
}
END_TEST

START_TEST(test_5_1_reject_stale_term_request_answered)
{
    struct net *t = net_new(3, 0);
    int64_t terms[] = {1, 3};
    set_log(t, S1, 3, -1, terms, 2);
    net_start(t);
    int64_t timer = t->timer[S1];
    t->now = 10;

    struct msg rv = mk_rv(S2, S1, 2, 9, 3, false);
    net_inject(t, &rv);
    const struct msg *r = only_sent(t);
    ck_assert_int_eq(r->type, MSG_REQUEST_VOTE_REPLY);
    ck_assert_int_eq(r->to, S2);
    ck_assert(!r->u.rvr.granted);
    ck_assert_int_eq(r->u.rvr.term, 3);
    ck_assert_str_eq(fld(t, S1, "voted_for"), "null");
    ck_assert_int_eq(t->timer[S1], timer); /* refusing does not reset the timer */
    ck_assert(!t->out.persisted);

    struct msg ae = mk_ae(S2, S1, 2, 0, 0, 0, NULL, 0);
    net_inject(t, &ae);
    r = only_sent(t);
    ck_assert_int_eq(r->type, MSG_APPEND_ENTRIES_REPLY);
    ck_assert(!r->u.aer.success);
    ck_assert_int_eq(r->u.aer.term, 3);
    ck_assert_str_eq(fld(t, S1, "leader_hint"), "null");
    ck_assert_int_eq(t->timer[S1], timer);
    ck_assert(noted(t, "stale term 2 < 3"));
    net_free(t);
}
END_TEST

START_TEST(test_5_1_stale_reply_ignored)
{
    struct net *t = net_new(3, 0);
    int64_t terms[] = {1};
    set_log(t, S1, 2, -1, terms, 1);
    net_start(t);
    net_timeout(t, S1); /* candidate in term 3 */
    ck_assert_int_eq(t->node[S1]->p.term, 3);
    net_clear_notes(t);
    struct msg v = mk_rvr(S2, S1, 2, true, false);
    net_inject(t, &v);
    ck_assert_uint_eq(t->out.n_msgs, 0);
    ck_assert_str_eq(fld(t, S1, "votes"), "[\"S1\"]");
    ck_assert_str_eq(fld(t, S1, "role"), "\"candidate\"");
    ck_assert(noted(t, "stale term 2 < 3: ignore"));
    net_free(t);
}
END_TEST

/* ---- §5.2 leader election ---- */

START_TEST(test_5_2_start_as_follower)
{
    struct net *t = net_new(3, 0);
    for (int i = 0; i < 3; i++)
        ck_assert_str_eq(fld(t, i, "up"), "false");
    net_start(t);
    for (int i = 0; i < 3; i++) {
        ck_assert_str_eq(fld(t, i, "up"), "true");
        ck_assert_str_eq(fld(t, i, "role"), "\"follower\"");
        ck_assert_str_eq(fld(t, i, "term"), "0");
        ck_assert_str_eq(fld(t, i, "voted_for"), "null");
        ck_assert_str_eq(fld(t, i, "log"), "[]");
        ck_assert_int_ge(t->timer[i], 150);
        ck_assert_int_le(t->timer[i], 300);
    }
    ck_assert(noted(t, "§5.2: S1 starts as a follower in term 0"));
    net_free(t);
}
END_TEST

START_TEST(test_5_2_leader_bcast_beat)
{
    struct net *t = net_new(3, 0);
    net_start(t);
    net_elect(t, S1);
    t->now = 400;
    net_timeout(t, S1);
    ck_assert_uint_eq(t->out.n_msgs, 2);
    for (int k = 0; k < 2; k++) {
        const struct msg *m = &t->out.msgs[k];
        ck_assert_int_eq(m->type, MSG_APPEND_ENTRIES);
        ck_assert_int_eq(m->to, k + 1);
        ck_assert_int_eq(m->u.ae.term, 1);
        ck_assert_uint_eq(m->u.ae.n_entries, 0); /* followers are up to date */
    }
    ck_assert_int_eq(t->timer[S1], 450);
    ck_assert(noted(t, "heartbeat"));
    net_free(t);
}
END_TEST

START_TEST(test_5_2_nonleader_start_election)
{
    struct net *t = net_new(3, 0);
    net_start(t);
    t->now = 5;
    net_timeout(t, S1);
    ck_assert_str_eq(fld(t, S1, "role"), "\"candidate\"");
    ck_assert_str_eq(fld(t, S1, "term"), "1");
    ck_assert_str_eq(fld(t, S1, "voted_for"), "\"S1\"");
    ck_assert_str_eq(fld(t, S1, "votes"), "[\"S1\"]");
    ck_assert(t->out.persisted);
    ck_assert_int_ge(t->timer[S1], 155);
    ck_assert_int_le(t->timer[S1], 305);
    ck_assert_uint_eq(t->out.n_msgs, 2);
    for (int k = 0; k < 2; k++) {
        const struct msg *m = &t->out.msgs[k];
        ck_assert_int_eq(m->type, MSG_REQUEST_VOTE);
        ck_assert_int_eq(m->to, k + 1);
        ck_assert_int_eq(m->u.rv.term, 1);
        ck_assert_int_eq(m->u.rv.last_log_index, 0);
        ck_assert(!m->u.rv.prevote);
    }
    /* A candidate that times out starts a new election in a new term. */
    net_timeout(t, S1);
    ck_assert_str_eq(fld(t, S1, "term"), "2");
    ck_assert_str_eq(fld(t, S1, "role"), "\"candidate\"");
    ck_assert_int_eq(t->out.msgs[0].u.rv.term, 2);
    ck_assert(noted(t, "§5.2: election timeout: S1 becomes candidate in term 2"));
    net_free(t);
}
END_TEST

START_TEST(test_5_2_leader_election_in_one_round)
{
    /* win: a majority of 5 grants */
    struct net *t = net_new(5, 0);
    net_start(t);
    net_timeout(t, S1);
    for (int i = 0; i < 2; i++) {
        struct msg m = net_take(t, MSG_REQUEST_VOTE, S1, -1, false);
        net_inject(t, &m);
        msg_free(&m);
        struct msg r = net_take(t, MSG_REQUEST_VOTE_REPLY, -1, S1, false);
        net_inject(t, &r);
        msg_free(&r);
    }
    ck_assert_str_eq(fld(t, S1, "role"), "\"leader\"");
    ck_assert_str_eq(fld(t, S1, "votes"), "[\"S1\",\"S2\",\"S3\"]");
    ck_assert_int_eq(net_count(t, MSG_APPEND_ENTRIES, S1, -1), 4); /* at once, to all */
    ck_assert(noted(t, "§5.2: S1 has votes from a majority (S1, S2, S3): leader of term 1"));
    net_free(t);

    /* lose: the others already voted in term 1; S1 stays candidate */
    t = net_new(5, 0);
    for (int i = S2; i <= S5; i++)
        set_log(t, i, 1, S2, NULL, 0);
    net_start(t);
    net_timeout(t, S1);
    net_settle(t);
    ck_assert_str_eq(fld(t, S1, "role"), "\"candidate\"");
    ck_assert_str_eq(fld(t, S1, "votes"), "[\"S1\"]");
    ck_assert(noted(t, "already voted for S2"));
    ck_assert(noted(t, "S1 stays candidate"));
    net_free(t);

    /* split: one vote of five is not enough */
    t = net_new(5, 0);
    net_start(t);
    net_timeout(t, S1);
    struct msg v = mk_rvr(S4, S1, 1, true, false);
    net_inject(t, &v);
    ck_assert_str_eq(fld(t, S1, "role"), "\"candidate\"");
    ck_assert_str_eq(fld(t, S1, "votes"), "[\"S1\",\"S4\"]");
    ck_assert(noted(t, "2 of 5 (needs 3)"));
    net_inject(t, &v); /* a duplicate vote counts once */
    ck_assert_str_eq(fld(t, S1, "votes"), "[\"S1\",\"S4\"]");
    ck_assert_str_eq(fld(t, S1, "role"), "\"candidate\"");
    net_free(t);
}
END_TEST

START_TEST(test_5_2_follower_vote_once_per_term)
{
    struct net *t = net_new(3, 0);
    net_start(t);
    struct msg a = mk_rv(S2, S1, 1, 0, 0, false), b = mk_rv(S3, S1, 1, 0, 0, false);
    net_inject(t, &a);
    ck_assert(only_sent(t)->u.rvr.granted);
    ck_assert(t->out.persisted);
    ck_assert(noted(t, "§5.2: S1 grants its vote to S2 in term 1"));
    net_inject(t, &b);
    ck_assert(!only_sent(t)->u.rvr.granted);
    ck_assert(noted(t, "S1 already voted for S2 in term 1: refuses S3"));
    net_inject(t, &a); /* the same candidate asking again gets the same answer */
    ck_assert(only_sent(t)->u.rvr.granted);
    ck_assert_str_eq(fld(t, S1, "voted_for"), "\"S2\"");
    net_free(t);
}
END_TEST

START_TEST(test_5_2_candidate_fallback_on_append)
{
    struct net *t = net_new(3, 0);
    net_start(t);
    net_timeout(t, S1);
    /* An AppendEntries from a stale term does not move the candidate. */
    struct msg old = mk_ae(S2, S1, 0, 0, 0, 0, NULL, 0);
    net_inject(t, &old);
    ck_assert_str_eq(fld(t, S1, "role"), "\"candidate\"");
    ck_assert(!only_sent(t)->u.aer.success);
    /* One from a leader of the candidate's own term does. */
    struct msg ae = mk_ae(S2, S1, 1, 0, 0, 0, NULL, 0);
    net_inject(t, &ae);
    ck_assert_str_eq(fld(t, S1, "role"), "\"follower\"");
    ck_assert_str_eq(fld(t, S1, "term"), "1");
    ck_assert_str_eq(fld(t, S1, "leader_hint"), "\"S2\"");
    ck_assert_str_eq(fld(t, S1, "votes"), "[]");
    ck_assert(only_sent(t)->u.aer.success);
    ck_assert(noted(t, "§5.2: S2 is leader of term 1: candidate S1 returns to follower"));
    net_free(t);
}
END_TEST

START_TEST(test_5_2_election_timeout_randomized)
{
    struct net *t = net_new(3, 0);
    net_start(t);
    bool seen[151] = {false};
    int distinct = 0;
    for (int k = 0; k < 500; k++) {
        t->now = 1000 * k;
        net_timeout(t, S2);
        int64_t d = t->timer[S2] - t->now;
        ck_assert_int_ge(d, 150);
        ck_assert_int_le(d, 300);
        if (!seen[d - 150]) {
            seen[d - 150] = true;
            distinct++;
        }
    }
    ck_assert_int_gt(distinct, 100);
    /* A fixed timeout (lesson `timeouts`) is used as it is. */
    t->cfg.fixed_timeout[S3] = 222;
    t->now = 10;
    net_timeout(t, S3);
    ck_assert_int_eq(t->timer[S3], 232);
    net_free(t);
}
END_TEST

START_TEST(test_5_2_timer_reset_rules)
{
    struct net *t = net_new(3, 0);
    t->cfg.fixed_timeout[S1] = 200;
    int64_t terms[] = {1, 1};
    set_log(t, S1, 1, -1, terms, 2);
    net_start(t);
    ck_assert_int_eq(t->timer[S1], 200);
    /* refusing a vote (stale log) does not reset it */
    t->now = 50;
    struct msg rv = mk_rv(S2, S1, 2, 1, 1, false);
    net_inject(t, &rv);
    ck_assert(!only_sent(t)->u.rvr.granted);
    ck_assert_int_eq(t->timer[S1], 200);
    /* granting a vote does */
    t->now = 60;
    struct msg rv2 = mk_rv(S3, S1, 2, 2, 1, false);
    net_inject(t, &rv2);
    ck_assert(only_sent(t)->u.rvr.granted);
    ck_assert_int_eq(t->timer[S1], 260);
    /* so does an AppendEntries from the current leader */
    t->now = 100;
    struct msg ae = mk_ae(S3, S1, 2, 2, 1, 0, NULL, 0);
    net_inject(t, &ae);
    ck_assert_int_eq(t->timer[S1], 300);
    /* and a refused one from the current leader too (it is still the leader) */
    t->now = 120;
    struct msg ae2 = mk_ae(S3, S1, 2, 5, 2, 0, NULL, 0);
    net_inject(t, &ae2);
    ck_assert(!only_sent(t)->u.aer.success);
    ck_assert_int_eq(t->timer[S1], 320);
    net_free(t);
}
END_TEST

START_TEST(test_5_2_leader_records_late_votes)
{
    struct net *t = net_new(5, 0);
    net_start(t);
    net_elect(t, S1);
    ck_assert_str_eq(fld(t, S1, "votes"), "[\"S1\",\"S2\",\"S3\",\"S4\",\"S5\"]");
    net_free(t);
}
END_TEST

START_TEST(test_5_2_single_node_cluster)
{
    struct net *t = net_new(1, 0);
    net_start(t);
    net_timeout(t, S1);
    ck_assert_str_eq(fld(t, S1, "role"), "\"leader\"");
    ck_assert_int_eq(t->timer[S1], 50);
    net_client(t, S1, "x");
    ck_assert_int_eq(t->out.client, CLIENT_ACCEPTED);
    ck_assert_str_eq(fld(t, S1, "commit_index"), "1");
    ck_assert_str_eq(fld(t, S1, "applied"), "[\"x\"]");
    ck_assert_uint_eq(t->out.n_applied, 1);
    net_free(t);
}
END_TEST

/* ---- §5.3 log replication ---- */

START_TEST(test_5_3_leader_start_replication)
{
    struct net *t = net_new(3, 0);
    net_start(t);
    net_elect(t, S1);
    net_clear_notes(t);
    net_client(t, S1, "x=1");
    ck_assert_int_eq(t->out.client, CLIENT_ACCEPTED);
    ck_assert(t->out.persisted);
    ck_assert_str_eq(fld(t, S1, "log"), "[[1,\"x=1\"]]");
    ck_assert_uint_eq(t->out.n_msgs, 2);
    for (int k = 0; k < 2; k++) {
        const struct msg *m = &t->out.msgs[k];
        ck_assert_int_eq(m->type, MSG_APPEND_ENTRIES);
        ck_assert_int_eq(m->u.ae.prev_log_index, 0);
        ck_assert_int_eq(m->u.ae.prev_log_term, 0);
        ck_assert_uint_eq(m->u.ae.n_entries, 1);
        ck_assert_str_eq(m->u.ae.entries[0].cmd, "x=1");
        ck_assert_int_eq(m->u.ae.leader_commit, 0);
    }
    ck_assert(noted(t, "leader S1 appends \"x=1\" at index 1 (term 1)"));
    net_settle(t);
    ck_assert_str_eq(fld(t, S1, "commit_index"), "1");
    ck_assert_str_eq(fld(t, S1, "applied"), "[\"x=1\"]");
    ck_assert_str_eq(fld(t, S1, "match_index"), "{\"S2\":1,\"S3\":1}");
    ck_assert_str_eq(fld(t, S1, "next_index"), "{\"S2\":2,\"S3\":2}");
    ck_assert(noted(t, "§5.4.2: entry 1 (term 1) is on a majority: commit_index 0"));
    for (int i = S2; i <= S3; i++) {
        ck_assert_str_eq(fld(t, i, "log"), "[[1,\"x=1\"]]");
        ck_assert_str_eq(fld(t, i, "commit_index"), "0");
    }
    /* The next heartbeat carries leader_commit. */
    t->now = 60;
    net_timeout(t, S1);
    net_settle(t);
    for (int i = S2; i <= S3; i++) {
        ck_assert_str_eq(fld(t, i, "commit_index"), "1");
        ck_assert_str_eq(fld(t, i, "applied"), "[\"x=1\"]");
    }
    net_free(t);
}
END_TEST

START_TEST(test_5_3_follower_check_prev)
{
    struct net *t = net_new(3, 0);
    int64_t terms[] = {1, 1, 2};
    set_log(t, S2, 2, -1, terms, 3);
    net_start(t);
    struct entry e[] = {{.term = 2, .cmd = "x"}};
    struct msg far = mk_ae(S1, S2, 2, 4, 2, 0, e, 1);
    net_inject(t, &far);
    ck_assert(!only_sent(t)->u.aer.success);
    ck_assert(!t->out.persisted);
    ck_assert(noted(t, "§5.3: S2 has no entry at prev_log_index 4 (log length 3): refuse"));
    struct msg wrong = mk_ae(S1, S2, 2, 3, 1, 0, e, 1);
    net_inject(t, &wrong);
    ck_assert(!only_sent(t)->u.aer.success);
    ck_assert(noted(t, "§5.3: S2's entry 3 has term 2, not prev_log_term 1: refuse"));
    ck_assert_str_eq(fld(t, S2, "log_terms"), "[1,1,2]");
    struct msg ok = mk_ae(S1, S2, 2, 3, 2, 0, e, 1);
    net_inject(t, &ok);
    ck_assert(only_sent(t)->u.aer.success);
    ck_assert_int_eq(only_sent(t)->u.aer.match_index, 4);
    ck_assert_str_eq(fld(t, S2, "log_terms"), "[1,1,2,2]");
    ck_assert(t->out.persisted);
    net_free(t);
}
END_TEST

START_TEST(test_5_3_follower_append_conflict_truncates)
{
    struct net *t = net_new(3, 0);
    int64_t terms[] = {1, 1, 2, 2};
    set_log(t, S2, 2, -1, terms, 4);
    net_start(t);
    struct entry e[] = {{.term = 3, .cmd = "y"}};
    struct msg ae = mk_ae(S1, S2, 3, 2, 1, 0, e, 1);
    net_inject(t, &ae);
    ck_assert(only_sent(t)->u.aer.success);
    ck_assert_int_eq(only_sent(t)->u.aer.match_index, 3);
    ck_assert_str_eq(fld(t, S2, "log"), "[[1,\"c1\"],[1,\"c2\"],[3,\"y\"]]");
    ck_assert(noted(t, "§5.3: entry 3 conflicts (term 2 \xe2\x89\xa0 3): delete 3 and after"));
    ck_assert(t->out.persisted);
    net_free(t);
}
END_TEST

START_TEST(test_5_3_late_append_never_truncates)
{
    struct net *t = net_new(3, 0);
    int64_t terms[] = {1, 1, 1, 1};
    set_log(t, S2, 1, -1, terms, 4);
    net_start(t);
    /* A late request carrying a prefix of what S2 already has. */
    struct entry e[] = {{.term = 1, .cmd = "c2"}, {.term = 1, .cmd = "c3"}};
    struct msg ae = mk_ae(S1, S2, 1, 1, 1, 4, e, 2);
    net_inject(t, &ae);
    ck_assert(only_sent(t)->u.aer.success);
    ck_assert_int_eq(only_sent(t)->u.aer.match_index, 3);
    ck_assert_str_eq(fld(t, S2, "log_length"), "4");
    ck_assert(!t->out.persisted);
    ck_assert(noted(t, "already has entries 2..3: nothing to change"));
    /* commit_index = min(leader_commit, index of last new entry) */
    ck_assert_str_eq(fld(t, S2, "commit_index"), "3");
    net_free(t);
}
END_TEST

START_TEST(test_5_3_follower_commit_bounded_by_new_entries)
{
    struct net *t = net_new(3, 0);
    int64_t terms[] = {1, 1, 2};
    set_log(t, S2, 2, -1, terms, 3); /* entry 3 may not be the leader's */
    net_start(t);
    struct msg hb = mk_ae(S1, S2, 3, 1, 1, 3, NULL, 0);
    net_inject(t, &hb);
    ck_assert(only_sent(t)->u.aer.success);
    ck_assert_int_eq(only_sent(t)->u.aer.match_index, 1);
    ck_assert_str_eq(fld(t, S2, "commit_index"), "1");
    ck_assert_str_eq(fld(t, S2, "log_length"), "3");
    net_free(t);
}
END_TEST

/* Figure 7: the leader of term 8 and followers (a)-(f). */
static const int64_t fig7_leader[] = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6};
static const int64_t fig7_a[] = {1, 1, 1, 4, 4, 5, 5, 6, 6};
static const int64_t fig7_b[] = {1, 1, 1, 4};
static const int64_t fig7_c[] = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6};
static const int64_t fig7_d[] = {1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7};
static const int64_t fig7_e[] = {1, 1, 1, 4, 4, 4, 4};
static const int64_t fig7_f[] = {1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3};

static const struct {
    const int64_t *terms;
    size_t n;
} fig7[] = {
    {fig7_a, sizeof fig7_a / sizeof *fig7_a}, {fig7_b, sizeof fig7_b / sizeof *fig7_b},
    {fig7_c, sizeof fig7_c / sizeof *fig7_c}, {fig7_d, sizeof fig7_d / sizeof *fig7_d},
    {fig7_e, sizeof fig7_e / sizeof *fig7_e}, {fig7_f, sizeof fig7_f / sizeof *fig7_f},
};

/* Makes S1 the leader of term 8 with the Figure 7 log and S2 follower
 * `which`; S3 (empty) gives the deciding vote and is then cut off, so only
 * S1 and S2 talk. Returns how many refusals S2 sent before its log matched. */
static int fig7_sync(int which, unsigned options)
{
    struct net *t = net_new(3, options);
    set_log(t, S1, 7, -1, fig7_leader, 10);
    const int64_t *f = fig7[which].terms;
    set_log(t, S2, f[fig7[which].n - 1], -1, f, fig7[which].n);
    net_start(t);
    net_timeout(t, S1);
    ck_assert_int_eq(t->node[S1]->p.term, 8);
    struct msg rv = net_take(t, MSG_REQUEST_VOTE, S1, S3, false);
    net_inject(t, &rv);
    msg_free(&rv);
    struct msg vote = net_take(t, MSG_REQUEST_VOTE_REPLY, S3, S1, false);
    net_inject(t, &vote);
    msg_free(&vote);
    ck_assert_int_eq(t->node[S1]->v.role, RAFT_LEADER);
    net_isolate(t, S3, true);
    net_settle(t);
    net_client(t, S1, "z"); /* an entry of term 8, so that everything commits */
    net_settle(t);
    t->now = 50;
    net_timeout(t, S1);
    net_settle(t);
    struct sbuf a;
    sbuf_init(&a);
    raft_field(t->node[S1], &t->cfg, "log", &a);
    ck_assert_str_eq(fld(t, S2, "log"), a.s);
    sbuf_free(&a);
    ck_assert_str_eq(fld(t, S1, "commit_index"), "11");
    ck_assert_str_eq(fld(t, S2, "commit_index"), "11");
    ck_assert_str_eq(fld(t, S2, "last_applied"), "11");
    ck_assert_str_eq(fld(t, S1, "match_index"), "{\"S2\":11,\"S3\":0}");
    int refusals = t->refusals[S2];
    net_free(t);
    return refusals;
}

START_TEST(test_5_3_leader_sync_follower_log)
{
    /* Expected refusals with one-step backup: how far S2's log diverges. */
    static const int plain[] = {1, 6, 0, 0, 5, 7};
    for (int w = 0; w < 6; w++) {
        int n = fig7_sync(w, 0);
        ck_assert_msg(n == plain[w], "follower %c: %d refusals", 'a' + w, n);
        int fast = fig7_sync(w, OPT_FAST_BACKUP);
        ck_assert_msg(fast <= n, "follower %c: fast backup took %d > %d", 'a' + w, fast, n);
    }
    /* Fast backup skips whole terms: (b) lacks 6 entries, (f) two terms. */
    ck_assert_int_eq(fig7_sync(1, OPT_FAST_BACKUP), 1);
    ck_assert_int_eq(fig7_sync(5, OPT_FAST_BACKUP), 2);
}
END_TEST

START_TEST(test_5_3_duplicate_and_reordered_replies)
{
    struct net *t = net_new(3, 0);
    net_start(t);
    net_elect(t, S1);
    net_client(t, S1, "a");
    net_client(t, S1, "b");
    net_client(t, S1, "c");
    /* Three requests to S2, carrying 1, 2 and 3 entries, all from index 1. */
    ck_assert_int_eq(net_count(t, MSG_APPEND_ENTRIES, S1, S2), 3);
    struct msg ae[3];
    for (int k = 0; k < 3; k++)
        ae[k] = net_take(t, MSG_APPEND_ENTRIES, S1, S2, false);
    ck_assert_uint_eq(ae[2].u.ae.n_entries, 3);
    /* Delivered newest first: the older ones never truncate. */
    for (int k = 2; k >= 0; k--) {
        net_inject(t, &ae[k]);
        ck_assert(only_sent(t)->u.aer.success);
        ck_assert_int_eq(only_sent(t)->u.aer.match_index, k + 1);
        ck_assert_str_eq(fld(t, S2, "log_length"), "3");
        msg_free(&ae[k]);
    }
    /* Replies arrive as match 3, 2, 1 and then 3 again. */
    struct msg r3 = net_take(t, MSG_APPEND_ENTRIES_REPLY, S2, S1, false);
    ck_assert_int_eq(r3.u.aer.match_index, 3);
    net_inject(t, &r3);
    ck_assert_str_eq(fld(t, S1, "match_index"), "{\"S2\":3,\"S3\":0}");
    ck_assert_str_eq(fld(t, S1, "commit_index"), "3");
    for (int k = 0; k < 2; k++) {
        struct msg r = net_take(t, MSG_APPEND_ENTRIES_REPLY, S2, S1, false);
        net_inject(t, &r);
        msg_free(&r);
        ck_assert_str_eq(fld(t, S1, "match_index"), "{\"S2\":3,\"S3\":0}");
        ck_assert_str_eq(fld(t, S1, "next_index"), "{\"S2\":4,\"S3\":1}");
        ck_assert_uint_eq(t->out.n_msgs, 0); /* S2 is up to date: nothing to resend */
    }
    net_inject(t, &r3); /* duplicate */
    msg_free(&r3);
    ck_assert_str_eq(fld(t, S1, "match_index"), "{\"S2\":3,\"S3\":0}");
    ck_assert_str_eq(fld(t, S1, "commit_index"), "3");
    ck_assert_str_eq(fld(t, S1, "applied"), "[\"a\",\"b\",\"c\"]");
    net_free(t);
}
END_TEST

START_TEST(test_5_3_leader_resends_until_follower_caught_up)
{
    /* 100 entries: at most 64 per AppendEntries, the rest at once after
     * the reply, with no timer involved. */
    struct net *t = net_new(3, OPT_FAST_BACKUP);
    int64_t terms[100];
    for (int k = 0; k < 100; k++)
        terms[k] = 1;
    set_log(t, S1, 1, -1, terms, 100);
    net_start(t);
    net_elect(t, S1);
    ck_assert_uint_eq(t->max_entries, 64);
    ck_assert_str_eq(fld(t, S2, "log_length"), "100");
    ck_assert_str_eq(fld(t, S3, "log_length"), "100");
    ck_assert_str_eq(fld(t, S1, "match_index"), "{\"S2\":100,\"S3\":100}");
    net_free(t);

    t = net_new(3, 0); /* the same, one step back at a time */
    set_log(t, S1, 1, -1, terms, 100);
    net_start(t);
    net_elect(t, S1);
    ck_assert_int_eq(t->refusals[S2], 100);
    ck_assert_str_eq(fld(t, S2, "log_length"), "100");
    net_free(t);
}
END_TEST

/* ---- §5.4 safety ---- */

START_TEST(test_5_4_1_vote_up_to_date_check)
{
    struct net *t = net_new(3, 0);
    int64_t terms[] = {1, 1, 2};
    set_log(t, S1, 2, -1, terms, 3);
    net_start(t);
    struct msg older = mk_rv(S2, S1, 3, 10, 1, false);
    net_inject(t, &older);
    ck_assert(!only_sent(t)->u.rvr.granted);
    ck_assert(noted(t, "§5.4.1: S2's log is not up to date (last term 1 < 2): refuse vote"));
    ck_assert_str_eq(fld(t, S1, "term"), "3"); /* the term is still adopted */
    struct msg shorter = mk_rv(S3, S1, 3, 2, 2, false);
    net_inject(t, &shorter);
    ck_assert(!only_sent(t)->u.rvr.granted);
    ck_assert(noted(t, "(last term 2, length 2 < 3)"));
    struct msg same = mk_rv(S3, S1, 3, 3, 2, false);
    net_inject(t, &same);
    ck_assert(only_sent(t)->u.rvr.granted);
    struct msg later = mk_rv(S2, S1, 4, 1, 3, false);
    net_inject(t, &later);
    ck_assert(only_sent(t)->u.rvr.granted);
    ck_assert_str_eq(fld(t, S1, "voted_for"), "\"S2\"");
    net_free(t);
}
END_TEST

/* Figure 8 (c): S1 leads term 4 and copies its term-2 entry to a majority;
 * counting replicas must not commit it. (e): once an entry of term 4 is on
 * a majority, it and everything before it are committed. */
START_TEST(test_5_4_2_no_commit_old_term_by_counting)
{
    struct net *t = net_new(5, 0);
    int64_t s1[] = {1, 2}, s3[] = {1}, s5[] = {1, 3};
    set_log(t, S1, 3, -1, s1, 2);
    set_log(t, S2, 2, -1, s1, 2);
    set_log(t, S3, 2, -1, s3, 1);
    set_log(t, S4, 2, -1, s3, 1);
    set_log(t, S5, 3, S5, s5, 2);
    net_start(t);
    net_isolate(t, S5, true);
    net_elect(t, S1);
    ck_assert_str_eq(fld(t, S1, "term"), "4");
    ck_assert_str_eq(fld(t, S3, "log_terms"), "[1,2]");
    ck_assert_str_eq(fld(t, S1, "match_index"), "{\"S2\":2,\"S3\":2,\"S4\":2,\"S5\":0}");
    ck_assert_str_eq(fld(t, S1, "commit_index"), "0");
    ck_assert(noted(t, "§5.4.2: entry 2 is from term 2, not current term 4: not committed by "
                       "counting replicas"));
    net_client(t, S1, "x");
    net_settle(t);
    ck_assert_str_eq(fld(t, S1, "commit_index"), "3");
    ck_assert_str_eq(fld(t, S1, "applied"), "[\"c1\",\"c2\",\"x\"]");
    net_free(t);
}
END_TEST

START_TEST(test_5_4_2_commit_current_term_commits_prior)
{
    struct net *t = net_new(3, 0);
    int64_t s1[] = {1, 1};
    set_log(t, S1, 1, -1, s1, 2);
    net_start(t);
    net_elect(t, S1);
    ck_assert_str_eq(fld(t, S2, "log_terms"), "[1,1]");
    ck_assert_str_eq(fld(t, S1, "commit_index"), "0");
    net_client(t, S1, "y");
    net_settle(t);
    ck_assert_str_eq(fld(t, S1, "commit_index"), "3");
    ck_assert_str_eq(fld(t, S1, "applied"), "[\"c1\",\"c2\",\"y\"]");
    t->now = 50;
    net_timeout(t, S1);
    net_settle(t);
    ck_assert_str_eq(fld(t, S3, "applied"), "[\"c1\",\"c2\",\"y\"]");
    net_free(t);
}
END_TEST

START_TEST(test_apply_in_order)
{
    struct net *t = net_new(3, 0);
    net_start(t);
    struct entry e[] = {{.term = 1, .cmd = "a"}, {.term = 1, .cmd = "b"}, {.term = 1, .cmd = "c"}};
    struct msg ae = mk_ae(S1, S2, 1, 0, 0, 2, e, 3);
    net_inject(t, &ae);
    ck_assert_uint_eq(t->out.n_applied, 2);
    ck_assert_int_eq(t->out.applied[0].index, 1);
    ck_assert_str_eq(t->out.applied[0].cmd, "a");
    ck_assert_int_eq(t->out.applied[1].index, 2);
    ck_assert_str_eq(t->out.applied[1].cmd, "b");
    ck_assert_str_eq(fld(t, S2, "last_applied"), "2");
    ck_assert_str_eq(fld(t, S2, "applied"), "[\"a\",\"b\"]");
    struct msg hb = mk_ae(S1, S2, 1, 3, 1, 3, NULL, 0);
    net_inject(t, &hb);
    ck_assert_uint_eq(t->out.n_applied, 1);
    ck_assert_int_eq(t->out.applied[0].index, 3);
    ck_assert_str_eq(fld(t, S2, "applied"), "[\"a\",\"b\",\"c\"]");
    net_free(t);
}
END_TEST

/* ---- crash, restart, clients ---- */

START_TEST(test_crash_restart_keeps_persistent_loses_volatile)
{
    struct net *t = net_new(3, 0);
    net_start(t);
    net_elect(t, S1);
    net_client(t, S1, "a");
    net_client(t, S1, "b");
    net_settle(t);
    t->now = 50;
    net_timeout(t, S1);
    net_settle(t);
    ck_assert_str_eq(fld(t, S2, "applied"), "[\"a\",\"b\"]");

    net_step(t, S2, IN_CRASH, NULL, NULL);
    ck_assert_str_eq(fld(t, S2, "up"), "false");
    ck_assert_int_eq(t->timer[S2], -1);
    ck_assert_str_eq(fld(t, S2, "commit_index"), "0");
    ck_assert_str_eq(fld(t, S2, "leader_hint"), "null");
    ck_assert_str_eq(fld(t, S2, "term"), "1");
    ck_assert_str_eq(fld(t, S2, "voted_for"), "\"S1\"");
    ck_assert_str_eq(fld(t, S2, "log"), "[[1,\"a\"],[1,\"b\"]]");

    t->now = 70;
    net_step(t, S2, IN_RESTART, NULL, NULL);
    ck_assert_str_eq(fld(t, S2, "up"), "true");
    ck_assert_str_eq(fld(t, S2, "role"), "\"follower\"");
    ck_assert_str_eq(fld(t, S2, "term"), "1");
    ck_assert_str_eq(fld(t, S2, "voted_for"), "\"S1\"");
    ck_assert_str_eq(fld(t, S2, "log_length"), "2");
    ck_assert_str_eq(fld(t, S2, "commit_index"), "0");
    ck_assert_str_eq(fld(t, S2, "last_applied"), "0");
    ck_assert_str_eq(fld(t, S2, "applied"), "[]");
    ck_assert_int_ge(t->timer[S2], 220);
    ck_assert_int_le(t->timer[S2], 370);
    /* It re-applies as it learns what is committed. */
    t->now = 100;
    net_timeout(t, S1);
    net_settle(t);
    ck_assert_str_eq(fld(t, S2, "applied"), "[\"a\",\"b\"]");

    /* A leader that crashes and restarts is a follower of the same term. */
    net_step(t, S1, IN_CRASH, NULL, NULL);
    net_step(t, S1, IN_RESTART, NULL, NULL);
    ck_assert_str_eq(fld(t, S1, "role"), "\"follower\"");
    ck_assert_str_eq(fld(t, S1, "next_index"), "{}");
    ck_assert_str_eq(fld(t, S1, "votes"), "[]");
    ck_assert_str_eq(fld(t, S1, "term"), "1");
    net_free(t);
}
END_TEST

START_TEST(test_client_request_refused_with_hint)
{
    struct net *t = net_new(3, 0);
    net_start(t);
    net_client(t, S2, "x");
    ck_assert_int_eq(t->out.client, CLIENT_REFUSED);
    ck_assert_int_eq(t->out.client_hint, -1);
    ck_assert(noted(t, "S2 is not the leader and knows no leader"));
    net_elect(t, S1);
    net_client(t, S2, "x");
    ck_assert_int_eq(t->out.client, CLIENT_REFUSED);
    ck_assert_int_eq(t->out.client_hint, S1);
    ck_assert_uint_eq(t->out.n_msgs, 0);
    ck_assert_str_eq(fld(t, S2, "log"), "[]");
    ck_assert(noted(t, "points to S1"));
    net_free(t);
}
END_TEST

START_TEST(test_down_node_ignores_timeout)
{
    struct net *t = net_new(3, 0);
    net_start(t);
    net_step(t, S2, IN_CRASH, NULL, NULL);
    net_clear_notes(t);
    net_timeout(t, S2);
    ck_assert_uint_eq(t->out.n_msgs, 0);
    ck_assert_int_eq(t->out.timer, -1);
    ck_assert_str_eq(fld(t, S2, "term"), "0");
    ck_assert(noted(t, "S2 is down: nothing happens"));
    net_client(t, S2, "x");
    ck_assert_int_eq(t->out.client, CLIENT_DOWN);
    ck_assert_str_eq(fld(t, S2, "log"), "[]");
    struct msg rv = mk_rv(S1, S2, 5, 0, 0, false);
    net_inject(t, &rv);
    ck_assert_uint_eq(t->out.n_msgs, 0);
    ck_assert_str_eq(fld(t, S2, "term"), "0");
    ck_assert(!t->out.persisted);
    net_free(t);
}
END_TEST

/* ---- PreVote (dissertation §9.6) ---- */

START_TEST(test_prevote_does_not_change_term)
{
    struct net *t = net_new(3, OPT_PREVOTE);
    net_start(t);
    t->now = 10;
    net_timeout(t, S1);
    ck_assert_str_eq(fld(t, S1, "term"), "0");
    ck_assert_str_eq(fld(t, S1, "role"), "\"follower\"");
    ck_assert_str_eq(fld(t, S1, "voted_for"), "null");
    ck_assert(!t->out.persisted);
    ck_assert(t->node[S1]->v.prevoting);
    ck_assert_int_ge(t->timer[S1], 160);
    ck_assert_uint_eq(t->out.n_msgs, 2);
    ck_assert(t->out.msgs[0].u.rv.prevote);
    ck_assert_int_eq(t->out.msgs[0].u.rv.term, 1);
    ck_assert(noted(t, "§9.6: election timeout: S1 asks for pre-votes for term 1"));
    /* Receivers grant without changing anything either. */
    int64_t timer2 = t->timer[S2];
    struct msg rv = net_take(t, MSG_REQUEST_VOTE, S1, S2, false);
    net_inject(t, &rv);
    msg_free(&rv);
    const struct msg *r = only_sent(t);
    ck_assert(r->u.rvr.granted);
    ck_assert(r->u.rvr.prevote);
    /* "A granted pre-vote reply carries T" (the term asked), not S2's 0. */
    ck_assert_int_eq(r->u.rvr.term, 1);
    ck_assert_str_eq(fld(t, S2, "term"), "0");
    ck_assert_str_eq(fld(t, S2, "voted_for"), "null");
    ck_assert_int_eq(t->timer[S2], timer2);
    ck_assert(!t->out.persisted);
    net_free(t);
}
END_TEST

START_TEST(test_prevote_majority_starts_election)
{
    struct net *t = net_new(3, OPT_PREVOTE);
    net_start(t);
    net_timeout(t, S1);
    net_settle(t);
    ck_assert_str_eq(fld(t, S1, "role"), "\"leader\"");
    ck_assert_str_eq(fld(t, S1, "term"), "1");
    ck_assert(noted(t, "§9.6: S1 has pre-votes from a majority (S1, S2): starts a real election"));
    net_free(t);
}
END_TEST

START_TEST(test_prevote_refused_when_leader_recent)
{
    struct net *t = net_new(3, OPT_PREVOTE);
    net_start(t);
    net_elect(t, S1);
    t->now = 100; /* S2 and S3 heard from S1 at 0 */
    net_clear_notes(t);
    net_timeout(t, S3);
    net_settle(t);
    ck_assert(noted(t, "§9.6: S2 heard from leader S1 100 ms ago (< 150): refuses pre-vote to S3"));
    ck_assert(noted(t, "§9.6: S1 is the leader of term 1: refuses pre-vote to S3"));
    ck_assert_str_eq(fld(t, S3, "term"), "1");
    ck_assert_str_eq(fld(t, S1, "role"), "\"leader\"");
    /* Once S2 has not heard from a leader for election_min, it grants. */
    t->now = 150;
    net_timeout(t, S3);
    net_settle(t);
    ck_assert_str_eq(fld(t, S3, "role"), "\"leader\"");
    ck_assert_str_eq(fld(t, S3, "term"), "2");
    net_free(t);
}
END_TEST

static int64_t partition_and_rejoin(unsigned options)
{
    struct net *t = net_new(3, options);
    net_start(t);
    net_elect(t, S1);
    net_isolate(t, S3, true);
    for (int k = 1; k <= 5; k++) {
        t->now = 1000 * k;
        net_timeout(t, S3);
        net_timeout(t, S1);
        net_settle(t);
    }
    net_isolate(t, S3, false);
    t->now = 6000;
    net_timeout(t, S1);
    net_settle(t);
    ck_assert_int_eq(t->node[S1]->p.term, t->node[S3]->p.term);
    int64_t term = t->node[S1]->v.role == RAFT_LEADER ? t->node[S1]->p.term : -1;
    net_free(t);
    return term;
}

START_TEST(test_prevote_partitioned_node_does_not_disrupt)
{
    /* With pre-vote S3 never raises its term while cut off, and the
     * leader keeps its term when S3 comes back. */
    ck_assert_int_eq(partition_and_rejoin(OPT_PREVOTE), 1);
    /* Without it, S3's term climbs to 6 and deposes S1 on its return. */
    ck_assert_int_eq(partition_and_rejoin(0), -1);
}
END_TEST

START_TEST(test_prevote_refusal_with_higher_term_adopted)
{
    struct net *t = net_new(3, OPT_PREVOTE);
    net_start(t);
    net_timeout(t, S1);
    struct msg no = mk_rvr(S2, S1, 4, false, true);
    net_inject(t, &no);
    ck_assert_str_eq(fld(t, S1, "term"), "4");
    ck_assert(!t->node[S1]->v.prevoting);
    ck_assert(t->out.persisted);
    /* A late pre-vote grant after that changes nothing. */
    struct msg yes = mk_rvr(S3, S1, 0, true, true);
    net_inject(t, &yes);
    ck_assert_str_eq(fld(t, S1, "role"), "\"follower\"");
    ck_assert_str_eq(fld(t, S1, "term"), "4");
    net_free(t);
}
END_TEST

/* "A refusal carries the voter's own term (adopted by the asker if
 * higher, as any reply's)." */
START_TEST(test_prevote_refusal_carries_the_voters_own_term)
{
    struct net *t = net_new(3, OPT_PREVOTE);
    net_start(t);
    net_elect(t, S1); /* S2 and S3 follow S1 in term 1 */
    t->now = 50;
    struct msg rv = mk_rv(S3, S2, 2, 0, 0, true);
    net_inject(t, &rv);
    const struct msg *r = only_sent(t);
    ck_assert(!r->u.rvr.granted);
    ck_assert_int_eq(r->u.rvr.term, 1);
    net_free(t);
}
END_TEST

/* "The asker counts a grant only for the round it is still running
 * (reply term T, its own term + 1), once per voter; a grant from an
 * earlier round never counts." A grant for term 1, delayed until the asker
 * has learned term 1 from a healthy leader and asks for term 2, does not
 * start an election. */
START_TEST(test_prevote_grant_from_an_earlier_round_never_counts)
{
    struct net *t = net_new(3, OPT_PREVOTE);
    net_start(t);
    t->now = 10;
    net_timeout(t, S1); /* round 1: asks for term 1 */
    struct msg rv = net_take(t, MSG_REQUEST_VOTE, S1, S2, false);
    net_drop_all(t);
    net_inject(t, &rv); /* S2 grants term 1: the reply is delayed */
    struct msg late = net_take(t, MSG_REQUEST_VOTE_REPLY, S2, S1, false);
    msg_free(&rv);
    ck_assert(late.u.rvr.granted);
    ck_assert_int_eq(late.u.rvr.term, 1);
    net_drop_all(t);
    /* S3 leads term 1 and S1 hears from it. */
    struct msg ae = mk_ae(S3, S1, 1, 0, 0, 0, NULL, 0);
    net_inject(t, &ae);
    net_drop_all(t);
    ck_assert_str_eq(fld(t, S1, "term"), "1");
    /* Much later, S1's timer fires: round 2 asks for term 2. */
    t->now = 1000;
    net_timeout(t, S1);
    net_drop_all(t);
    ck_assert(t->node[S1]->v.prevoting);
    net_clear_notes(t);
    net_inject(t, &late);
    msg_free(&late);
    ck_assert(noted(t, "§9.6: S2's pre-vote grant is for term 1, an earlier round (this round "
                       "asks for term 2): ignore"));
    ck_assert_str_eq(fld(t, S1, "term"), "1");
    ck_assert_str_eq(fld(t, S1, "role"), "\"follower\"");
    ck_assert_uint_eq(t->node[S1]->v.n_prevotes, 1);
    net_free(t);
}
END_TEST

/* "A node grants a pre-vote if T is above its own term (or equals it and
 * it has voted for nobody else in it)". */
START_TEST(test_prevote_at_the_voters_own_term_needs_no_other_vote)
{
    struct net *t = net_new(3, OPT_PREVOTE);
    set_log(t, S2, 3, S3, NULL, 0);
    set_log(t, S3, 3, -1, NULL, 0);
    net_start(t);
    struct msg rv = mk_rv(S1, S2, 3, 0, 0, true);
    net_inject(t, &rv);
    ck_assert(!only_sent(t)->u.rvr.granted);
    ck_assert(noted(t, "§9.6: S2 already voted for S3 in term 3: refuses pre-vote to S1"));
    struct msg rv3 = mk_rv(S1, S3, 3, 0, 0, true);
    net_inject(t, &rv3);
    ck_assert(only_sent(t)->u.rvr.granted);
    ck_assert_int_eq(only_sent(t)->u.rvr.term, 3);
    ck_assert_str_eq(fld(t, S3, "voted_for"), "null");
    net_free(t);
}
END_TEST

START_TEST(test_prevote_grant_needs_up_to_date_log)
{
    struct net *t = net_new(3, OPT_PREVOTE);
    int64_t terms[] = {1, 2};
    set_log(t, S2, 2, -1, terms, 2);
    net_start(t);
    struct msg rv = mk_rv(S1, S2, 3, 5, 1, true);
    net_inject(t, &rv);
    ck_assert(!only_sent(t)->u.rvr.granted);
    ck_assert_int_eq(only_sent(t)->u.rvr.term, 2);
    ck_assert(noted(t, "S1's log is not up to date (last term 1 < 2): refuse pre-vote"));
    struct msg low = mk_rv(S1, S2, 1, 5, 2, true);
    net_inject(t, &low);
    ck_assert(!only_sent(t)->u.rvr.granted);
    struct msg ok = mk_rv(S1, S2, 3, 2, 2, true);
    net_inject(t, &ok);
    ck_assert(only_sent(t)->u.rvr.granted);
    ck_assert_str_eq(fld(t, S2, "term"), "2");
    net_free(t);
}
END_TEST

/* ---- check_quorum (dissertation §6.2) ---- */

/* Isolates the leader S1 and fires its heartbeats until `until`; returns
 * the time it stepped down, or -1. */
static int64_t isolated_leader(unsigned options, int64_t until)
{
    struct net *t = net_new(3, options);
    net_start(t);
    net_elect(t, S1);
    net_isolate(t, S1, true);
    int64_t stepped = -1;
    while (t->node[S1]->v.role == RAFT_LEADER && t->timer[S1] <= until) {
        t->now = t->timer[S1];
        net_clear_notes(t);
        net_timeout(t, S1);
        net_settle(t);
        if (t->node[S1]->v.role != RAFT_LEADER) {
            stepped = t->now;
            ck_assert(noted(t, "§6.2: check_quorum: leader S1 heard from 1 of 3 servers"));
            ck_assert_uint_eq(t->out.n_msgs, 0);
            ck_assert_str_eq(fld(t, S1, "leader_hint"), "null");
            ck_assert_int_ge(t->timer[S1], t->now + 150);
        }
    }
    net_free(t);
    return stepped;
}

START_TEST(test_check_quorum_leader_steps_down)
{
    /* Elected at 0, last replies at 0: the heartbeat at 150 finds no
     * follower heard from within the last 150 ms... */
    ck_assert_int_eq(isolated_leader(OPT_CHECK_QUORUM, 10000), 150);
    /* ...and without the option an isolated leader leads forever. */
    ck_assert_int_eq(isolated_leader(0, 10000), -1);
}
END_TEST

START_TEST(test_check_quorum_stays_with_majority)
{
    struct net *t = net_new(5, OPT_CHECK_QUORUM);
    net_start(t);
    net_elect(t, S1);
    net_isolate(t, S4, true);
    net_isolate(t, S5, true);
    for (int k = 0; k < 40; k++) {
        t->now = t->timer[S1];
        net_timeout(t, S1);
        net_settle(t);
        ck_assert_int_eq(t->node[S1]->v.role, RAFT_LEADER);
    }
    net_isolate(t, S3, true); /* now only 2 of 5 */
    for (int k = 0; k < 10 && t->node[S1]->v.role == RAFT_LEADER; k++) {
        t->now = t->timer[S1];
        net_timeout(t, S1);
        net_settle(t);
    }
    ck_assert_int_eq(t->node[S1]->v.role, RAFT_FOLLOWER);
    net_free(t);
}
END_TEST

/* ---- options ---- */

START_TEST(test_noop_on_election)
{
    struct net *t = net_new(3, OPT_NOOP_ON_ELECTION);
    net_start(t);
    net_timeout(t, S1);
    net_settle(t);
    ck_assert_str_eq(fld(t, S1, "log"), "[[1,\"noop\"]]");
    ck_assert_str_eq(fld(t, S1, "commit_index"), "1");
    ck_assert(noted(t, "§8: leader S1 appends a no-op entry at index 1 (term 1)"));
    t->now = 50;
    net_timeout(t, S1);
    net_settle(t);
    ck_assert_str_eq(fld(t, S2, "applied"), "[\"noop\"]");
    net_free(t);

    t = net_new(3, 0);
    net_start(t);
    net_elect(t, S1);
    ck_assert_str_eq(fld(t, S1, "log"), "[]");
    net_free(t);
}
END_TEST

START_TEST(test_fast_backup_conflict_hint)
{
    struct net *t = net_new(3, OPT_FAST_BACKUP);
    int64_t terms[] = {1, 1, 2, 2, 2};
    set_log(t, S2, 2, -1, terms, 5);
    net_start(t);
    struct msg mismatch = mk_ae(S1, S2, 3, 5, 3, 0, NULL, 0);
    net_inject(t, &mismatch);
    const struct msg *r = only_sent(t);
    ck_assert(!r->u.aer.success);
    ck_assert_int_eq(r->u.aer.conflict_term, 2);
    ck_assert_int_eq(r->u.aer.conflict_index, 3);
    struct msg too_far = mk_ae(S1, S2, 3, 8, 3, 0, NULL, 0);
    net_inject(t, &too_far);
    r = only_sent(t);
    ck_assert_int_eq(r->u.aer.conflict_term, 0);
    ck_assert_int_eq(r->u.aer.conflict_index, 6);
    net_free(t);

    /* Without the option the reply carries no hint. */
    t = net_new(3, 0);
    set_log(t, S2, 2, -1, terms, 5);
    net_start(t);
    net_inject(t, &mismatch);
    ck_assert_int_eq(only_sent(t)->u.aer.conflict_term, 0);
    ck_assert_int_eq(only_sent(t)->u.aer.conflict_index, 0);
    net_free(t);
}
END_TEST

START_TEST(test_fast_backup_leader_jumps)
{
    struct net *t = net_new(3, OPT_FAST_BACKUP);
    set_log(t, S1, 7, -1, fig7_leader, 10);
    net_start(t);
    net_isolate(t, S2, true);
    net_elect(t, S1); /* S3 (empty log) catches up; S2 hears nothing */
    ck_assert_str_eq(fld(t, S1, "next_index"), "{\"S2\":11,\"S3\":11}");
    /* S2 has term 4 where the leader has more of term 4: after its last. */
    struct msg r = mk_aer(S2, S1, 8, false, 0);
    r.u.aer.conflict_term = 4;
    r.u.aer.conflict_index = 4;
    net_inject(t, &r);
    ck_assert_str_eq(fld(t, S1, "next_index"), "{\"S2\":6,\"S3\":11}");
    ck_assert(noted(t, "fast backup"));
    const struct msg *ae = only_sent(t);
    ck_assert_int_eq(ae->u.ae.prev_log_index, 5);
    ck_assert_uint_eq(ae->u.ae.n_entries, 5);
    /* A term the leader never had: back to the follower's first index of it. */
    r.u.aer.conflict_term = 3;
    r.u.aer.conflict_index = 2;
    net_inject(t, &r);
    ck_assert_str_eq(fld(t, S1, "next_index"), "{\"S2\":2,\"S3\":11}");
    /* Never below 1, never below match_index + 1. */
    r.u.aer.conflict_term = 0;
    r.u.aer.conflict_index = 0; /* no hint: one step back */
    net_inject(t, &r);
    net_inject(t, &r);
    ck_assert_str_eq(fld(t, S1, "next_index"), "{\"S2\":1,\"S3\":11}");
    net_free(t);
}
END_TEST

/* ---- fields, clone ---- */

START_TEST(test_fields_json)
{
    static const char *const expect[] = {"up",
                                         "role",
                                         "term",
                                         "voted_for",
                                         "log",
                                         "log_terms",
                                         "log_length",
                                         "commit_index",
                                         "last_applied",
                                         "applied",
                                         "leader_hint",
                                         "votes",
                                         "next_index",
                                         "match_index",
                                         "snapshot_index",
                                         "snapshot_term",
                                         "config",
                                         "config_old",
                                         "voting",
                                         "catching_up",
                                         NULL};
    const char *const *f = raft_fields();
    for (int i = 0; expect[i]; i++)
        ck_assert_str_eq(f[i], expect[i]);
    ck_assert_ptr_null(f[20]);

    struct net *t = net_new(3, 0);
    net_start(t);
    net_elect(t, S2);
    net_client(t, S2, "say \"hi\"\n");
    net_settle(t);
    ck_assert_str_eq(fld(t, S2, "up"), "true");
    ck_assert_str_eq(fld(t, S2, "role"), "\"leader\"");
    ck_assert_str_eq(fld(t, S2, "term"), "1");
    ck_assert_str_eq(fld(t, S2, "voted_for"), "\"S2\"");
    ck_assert_str_eq(fld(t, S2, "log"), "[[1,\"say \\\"hi\\\"\\n\"]]");
    ck_assert_str_eq(fld(t, S2, "log_terms"), "[1]");
    ck_assert_str_eq(fld(t, S2, "log_length"), "1");
    ck_assert_str_eq(fld(t, S2, "commit_index"), "1");
    ck_assert_str_eq(fld(t, S2, "last_applied"), "1");
    ck_assert_str_eq(fld(t, S2, "applied"), "[\"say \\\"hi\\\"\\n\"]");
    ck_assert_str_eq(fld(t, S2, "leader_hint"), "\"S2\"");
    ck_assert_str_eq(fld(t, S2, "votes"), "[\"S2\",\"S1\",\"S3\"]");
    ck_assert_str_eq(fld(t, S2, "next_index"), "{\"S1\":2,\"S3\":2}");
    ck_assert_str_eq(fld(t, S2, "match_index"), "{\"S1\":1,\"S3\":1}");
    ck_assert_str_eq(fld(t, S1, "leader_hint"), "\"S2\"");
    ck_assert_str_eq(fld(t, S1, "votes"), "[]");
    ck_assert_str_eq(fld(t, S1, "next_index"), "{}");
    ck_assert_str_eq(fld(t, S1, "match_index"), "{}");
    ck_assert_str_eq(fld(t, S2, "snapshot_index"), "0");
    ck_assert_str_eq(fld(t, S2, "snapshot_term"), "0");
    struct sbuf b;
    sbuf_init(&b);
    ck_assert_int_eq(raft_field(t->node[S1], &t->cfg, "nope", &b), -1);
    sbuf_free(&b);
    ck_assert_str_eq(raft_role_name(RAFT_CANDIDATE), "candidate");
    net_free(t);
}
END_TEST

START_TEST(test_clone_is_independent)
{
    struct net *t = net_new(3, 0);
    net_start(t);
    net_elect(t, S1);
    net_client(t, S1, "a");
    struct raft *copy = raft_clone(t->node[S1]);
    struct raft *orig = t->node[S1];
    t->node[S1] = copy;
    net_client(t, S1, "b");
    ck_assert_int_eq(raft_log_length(copy), 2);
    ck_assert_int_eq(raft_log_length(orig), 1);
    ck_assert_str_eq(raft_entry(orig, 1)->cmd, "a");
    ck_assert_int_eq(raft_term_at(orig, 0), 0);
    ck_assert_int_eq(raft_term_at(copy, 2), 1);
    ck_assert_int_eq(orig->v.role, RAFT_LEADER);
    raft_free(orig);
    net_free(t);
}
END_TEST

START_TEST(test_long_commands_keep_notes_short)
{
    char cmd[600];
    memset(cmd, 'x', sizeof cmd - 1);
    cmd[sizeof cmd - 1] = '\0';
    /* a CJK command: the cut must fall between characters */
    char cjk[601] = "";
    for (int i = 0; i < 200; i++)
        strcat(cjk, "\xe4\xb8\xad");
    struct net *t = net_new(1, 0);
    net_start(t);
    net_timeout(t, S1);
    net_client(t, S1, cmd); /* net_step asserts every note is < 200 bytes */
    net_client(t, S1, cjk);
    ck_assert_str_eq(raft_entry(t->node[S1], 2)->cmd, cjk);
    const char *note = strstr(t->notes.s, "appends \"\xe4\xb8\xad");
    ck_assert_ptr_nonnull(note);
    const char *end = strstr(note, "\xe2\x80\xa6\"");
    ck_assert_ptr_nonnull(end);
    ck_assert_int_eq((end - note - 9) % 3, 0);
    net_free(t);
}
END_TEST

/* Delivers the first in-flight message of type from -> to. */
static void net_pass(struct net *t, int type, int from, int to)
{
    struct msg m = net_take(t, type, from, to, false);
    net_inject(t, &m);
    msg_free(&m);
}

/* The last step made a note id with exactly these arguments (a string
 * compared by its text). */
static void ck_note_args(struct net *t, int id, const struct note_arg *want, size_t n_want)
{
    for (size_t k = 0; k < t->out.n_notes; k++) {
        const struct proto_note *n = &t->out.notes[k];
        if (n->id != id)
            continue;
        ck_assert_uint_eq(n->n_args, n_want);
        for (size_t j = 0; j < n_want; j++) {
            ck_assert_int_eq(n->args[j].kind, want[j].kind);
            if (want[j].kind == NA_STR)
                ck_assert_str_eq(n->args[j].v.s, want[j].v.s);
            else
                ck_assert_int_eq(n->args[j].v.i, want[j].v.i);
        }
        return;
    }
    ck_abort_msg("no %s note in the last step", note_id_name(id));
}
#define ck_note(t, id, ...)                                                                        \
    ck_note_args((t), (id), (const struct note_arg[]){__VA_ARGS__},                                \
                 sizeof((const struct note_arg[]){__VA_ARGS__}) / sizeof(struct note_arg))

/* §5.1: "If a server's current term is smaller than the other's, then it
 * updates its current term to the larger value" — and says so as data: the
 * note names the rule by id and carries the sender and both terms, and so
 * does every decision of the election and the replication that follow. */
START_TEST(test_5_1_update_term_noted_with_sender_and_both_terms)
{
    struct net *t = net_new(3, 0);
    net_start(t);
    ck_note(t, NOTE_RAFT_START, note_node(S3), note_int(0));
    net_timeout(t, S1);
    ck_note(t, NOTE_RAFT_CANDIDATE, note_node(S1), note_int(1),
            note_phrase(NOTE_RAFT_TIMEOUT_PREFIX));
    net_pass(t, MSG_REQUEST_VOTE, S1, S2);
    ck_note(t, NOTE_RAFT_HIGHER_TERM, note_msgtype(MSG_REQUEST_VOTE), note_node(S1), note_int(1),
            note_int(0), note_node(S2), note_phrase(NOTE_RAFT_ADOPTS_TERM));
    ck_note(t, NOTE_RAFT_VOTE_GRANT, note_node(S2), note_node(S1), note_int(1));

    /* "Once a candidate wins an election, it becomes leader": the voters
     * are the candidate and a node set of the others. */
    net_pass(t, MSG_REQUEST_VOTE_REPLY, S2, S1);
    ck_note(t, NOTE_RAFT_ELECTED, note_node(S1), note_phrase(NOTE_RAFT_VOTERS_SELF_AND_OTHERS),
            note_nodeset(1u << S2), note_int(1));

    /* §5.3: the leader appends the command, the follower takes it, the
     * leader commits and applies it. */
    net_drop_all(t);
    net_client(t, S1, "x=1");
    ck_note(t, NOTE_RAFT_CLIENT_APPEND, note_node(S1), note_str("x=1"), note_int(1), note_int(1));
    net_pass(t, MSG_APPEND_ENTRIES, S1, S2);
    ck_note(t, NOTE_RAFT_APPEND_ONE, note_node(S2), note_int(1), note_node(S1));
    net_pass(t, MSG_APPEND_ENTRIES_REPLY, S2, S1);
    ck_note(t, NOTE_RAFT_MATCH_ADVANCE, note_node(S2), note_int(1), note_int(0), note_int(1),
            note_int(2));
    ck_note(t, NOTE_RAFT_COMMIT, note_int(1), note_int(1), note_int(0), note_int(1));
    ck_note(t, NOTE_RAFT_APPLY_ONE, note_node(S1), note_int(1), note_str("x=1"));
    /* and the English rendering of the data is today's sentence */
    ck_assert(noted(t, "§5.4.2: entry 1 (term 1) is on a majority: commit_index 0 \xe2\x86\x92 1"));
    net_free(t);
}
END_TEST

/* ---- many random runs: the safety properties of Figure 3 ---- */

#define MAX_TERMS 4096
struct history {
    int leader_of_term[MAX_TERMS];
    int64_t committed_term[512]; /* term of the entry committed at each index */
    int64_t committed_in[512];   /* the term in which it was first seen committed */
};

/* Check's assertions report their location through a pipe on every call,
 * which is too slow for checks run after every step: test first. */
#define REQUIRE(cond, ...)                                                                         \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ck_abort_msg(__VA_ARGS__);                                                             \
    } while (0)

static void check_safety(struct net *t, struct history *h)
{
    for (int i = 0; i < t->n; i++) {
        const struct raft *r = t->node[i];
        /* Election Safety: at most one leader per term. */
        if (r->v.up && r->v.role == RAFT_LEADER) {
            REQUIRE(r->p.term < MAX_TERMS, "term %lld too high", (long long)r->p.term);
            int *l = &h->leader_of_term[r->p.term];
            REQUIRE(*l < 0 || *l == i, "two leaders in term %lld", (long long)r->p.term);
            *l = i;
            /* Leader Completeness: an entry committed in an earlier term
             * is in this leader's log. */
            for (int64_t k = 1; k < 512 && h->committed_term[k]; k++)
                if (h->committed_in[k] < r->p.term)
                    REQUIRE(raft_term_at(r, k) == h->committed_term[k],
                            "leader %s of term %lld lacks committed entry %lld", node_names[i],
                            (long long)r->p.term, (long long)k);
        }
        if (r->v.up)
            for (int64_t k = 1; k <= r->v.commit_index && k < 512; k++) {
                if (!h->committed_term[k]) {
                    h->committed_term[k] = raft_term_at(r, k);
                    h->committed_in[k] = r->p.term;
                }
                REQUIRE(h->committed_term[k] == raft_term_at(r, k),
                        "%s commits a different entry at %lld", node_names[i], (long long)k);
            }
        /* Log Matching: same index and term, same entries up to there. */
        for (int j = i + 1; j < t->n; j++) {
            const struct raft *s = t->node[j];
            int64_t n =
                raft_log_length(r) < raft_log_length(s) ? raft_log_length(r) : raft_log_length(s);
            int64_t k = n;
            while (k > 0 && raft_term_at(r, k) != raft_term_at(s, k))
                k--;
            for (; k > 0; k--)
                REQUIRE(raft_term_at(r, k) == raft_term_at(s, k) &&
                            strcmp(raft_entry(r, k)->cmd, raft_entry(s, k)->cmd) == 0,
                        "logs of %s and %s differ at %lld", node_names[i], node_names[j],
                        (long long)k);
        }
    }
}

START_TEST(test_random_runs_are_safe)
{
    static const char *const cmds[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
    for (uint64_t seed = 1; seed <= 40; seed++) {
        struct prng p;
        prng_seed(&p, seed);
        unsigned options = (unsigned)prng_range(&p, 0, 15);
        struct net *t = net_new(5, options);
        prng_seed(&t->rng, seed);
        static struct history h;
        memset(&h, 0, sizeof h);
        for (int k = 0; k < MAX_TERMS; k++)
            h.leader_of_term[k] = -1;
        /* Messages take 1..30 ms, so they overtake each other; the
         * network also drops, duplicates and cuts nodes off, and nodes
         * crash and restart. */
        t->latency_max = 30;
        prng_seed(&t->latency_rng, seed * 7919);
        net_start(t);
        for (int step = 0; step < 4000; step++) {
            int64_t a = prng_range(&p, 0, 999);
            int i = (int)prng_range(&p, 0, t->n - 1);
            if (a < 40) {
                int leader = -1;
                for (int j = 0; j < t->n; j++)
                    if (t->node[j]->v.up && t->node[j]->v.role == RAFT_LEADER)
                        leader = j;
                net_client(t, leader >= 0 && a % 4 ? leader : i, cmds[prng_range(&p, 0, 7)]);
            } else if (a < 46) {
                net_step(t, i, t->node[i]->v.up ? IN_CRASH : IN_RESTART, NULL, NULL);
            } else if (a < 50) {
                net_step(t, i, IN_RESTART, NULL, NULL);
            } else if (a < 54) {
                net_isolate(t, i, !t->cut[i][(i + 1) % t->n]);
            } else {
                /* the next event in time: a message falling due or a timer */
                size_t k = t->n_q;
                for (size_t j = 0; j < t->n_q; j++)
                    if (k == t->n_q || t->q[j].due < t->q[k].due)
                        k = j;
                int first = -1;
                for (int j = 0; j < t->n; j++)
                    if (t->timer[j] >= 0 && (first < 0 || t->timer[j] < t->timer[first]))
                        first = j;
                if (k < t->n_q && (first < 0 || t->q[k].due <= t->timer[first])) {
                    if (t->q[k].due > t->now)
                        t->now = t->q[k].due;
                    struct msg m = q_remove(t, k);
                    if (a < 90) { /* the network duplicates it */
                        ck_assert(t->n_q < t->cap_q);
                        t->q[t->n_q].due = t->now + prng_range(&p, 1, 30);
                        msg_clone(&t->q[t->n_q++].m, &m);
                    }
                    bool lost = a >= 970 || t->cut[m.from][m.to];
                    if (!lost && t->node[m.to]->v.up)
                        net_inject(t, &m);
                    msg_free(&m);
                } else if (first >= 0) {
                    if (t->timer[first] > t->now)
                        t->now = t->timer[first];
                    net_timeout(t, first);
                }
            }
            check_safety(t, &h);
            if (raft_log_length(t->node[i]) > 400)
                break;
        }
        /* Then quiet: everyone up and connected, messages delivered in
         * order between timers; a leader emerges and a new command commits
         * everywhere. */
        t->latency_max = 0;
        memset(t->cut, 0, sizeof t->cut);
        for (int i = 0; i < t->n; i++)
            if (!t->node[i]->v.up)
                net_step(t, i, IN_RESTART, NULL, NULL);
        bool done = false;
        for (int round = 0; round < 200 && !done; round++) {
            net_settle(t);
            check_safety(t, &h);
            int leader = -1;
            for (int i = 0; i < t->n; i++)
                if (t->node[i]->v.role == RAFT_LEADER)
                    leader = i;
            if (leader >= 0 && round % 10 == 9) {
                net_client(t, leader, "final");
                int64_t idx = raft_log_length(t->node[leader]);
                net_settle(t);
                t->now += 50;
                net_timeout(t, leader);
                net_settle(t);
                done = true;
                for (int i = 0; i < t->n; i++)
                    done = done && t->node[i]->v.commit_index >= idx;
                continue;
            }
            int first = 0;
            for (int j = 1; j < t->n; j++)
                if (t->timer[j] < t->timer[first])
                    first = j;
            if (t->timer[first] > t->now)
                t->now = t->timer[first];
            net_timeout(t, first);
        }
        ck_assert_msg(done, "seed %llu: no progress after healing", (unsigned long long)seed);
        net_free(t);
    }
}
END_TEST

static Suite *suite_raft(void)
{
    Suite *s = suite_create("raft");
    TCase *tc = tcase_create("paper");
    tcase_add_test(tc, test_5_1_update_term_from_message);
    tcase_add_test(tc, test_5_1_reject_stale_term_request_answered);
    tcase_add_test(tc, test_5_1_stale_reply_ignored);
    tcase_add_test(tc, test_5_1_update_term_noted_with_sender_and_both_terms);
    tcase_add_test(tc, test_5_2_start_as_follower);
    tcase_add_test(tc, test_5_2_leader_bcast_beat);
    tcase_add_test(tc, test_5_2_nonleader_start_election);
    tcase_add_test(tc, test_5_2_leader_election_in_one_round);
    tcase_add_test(tc, test_5_2_follower_vote_once_per_term);
    tcase_add_test(tc, test_5_2_candidate_fallback_on_append);
    tcase_add_test(tc, test_5_2_election_timeout_randomized);
    tcase_add_test(tc, test_5_2_timer_reset_rules);
    tcase_add_test(tc, test_5_2_leader_records_late_votes);
    tcase_add_test(tc, test_5_2_single_node_cluster);
    tcase_add_test(tc, test_5_3_leader_start_replication);
    tcase_add_test(tc, test_5_3_follower_check_prev);
    tcase_add_test(tc, test_5_3_follower_append_conflict_truncates);
    tcase_add_test(tc, test_5_3_late_append_never_truncates);
    tcase_add_test(tc, test_5_3_follower_commit_bounded_by_new_entries);
    tcase_add_test(tc, test_5_3_leader_sync_follower_log);
    tcase_add_test(tc, test_5_3_duplicate_and_reordered_replies);
    tcase_add_test(tc, test_5_3_leader_resends_until_follower_caught_up);
    tcase_add_test(tc, test_5_4_1_vote_up_to_date_check);
    tcase_add_test(tc, test_5_4_2_no_commit_old_term_by_counting);
    tcase_add_test(tc, test_5_4_2_commit_current_term_commits_prior);
    tcase_add_test(tc, test_apply_in_order);
    suite_add_tcase(s, tc);

    tc = tcase_create("lifecycle");
    tcase_add_test(tc, test_crash_restart_keeps_persistent_loses_volatile);
    tcase_add_test(tc, test_client_request_refused_with_hint);
    tcase_add_test(tc, test_down_node_ignores_timeout);
    tcase_add_test(tc, test_fields_json);
    tcase_add_test(tc, test_clone_is_independent);
    tcase_add_test(tc, test_long_commands_keep_notes_short);
    suite_add_tcase(s, tc);

    tc = tcase_create("options");
    tcase_add_test(tc, test_prevote_does_not_change_term);
    tcase_add_test(tc, test_prevote_majority_starts_election);
    tcase_add_test(tc, test_prevote_refused_when_leader_recent);
    tcase_add_test(tc, test_prevote_partitioned_node_does_not_disrupt);
    tcase_add_test(tc, test_prevote_refusal_with_higher_term_adopted);
    tcase_add_test(tc, test_prevote_grant_needs_up_to_date_log);
    tcase_add_test(tc, test_prevote_refusal_carries_the_voters_own_term);
    tcase_add_test(tc, test_prevote_grant_from_an_earlier_round_never_counts);
    tcase_add_test(tc, test_prevote_at_the_voters_own_term_needs_no_other_vote);
    tcase_add_test(tc, test_check_quorum_leader_steps_down);
    tcase_add_test(tc, test_check_quorum_stays_with_majority);
    tcase_add_test(tc, test_noop_on_election);
    tcase_add_test(tc, test_fast_backup_conflict_hint);
    tcase_add_test(tc, test_fast_backup_leader_jumps);
    suite_add_tcase(s, tc);

    tc = tcase_create("random");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_random_runs_are_safe);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_raft());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
