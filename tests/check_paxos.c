/* Tests of the Paxos engine, named after the rules of "Paxos Made Simple"
 * (P1, P1a, P2, P2a, P2b, P2c, the two phases, learning) and Multi-Paxos.
 * The engines are driven directly through a tiny in-test FIFO router that
 * also checks, after every step, what the safety monitor checks: at most
 * one value chosen per slot, and a node learns only a chosen value. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "protocols/msg.h"
#include "protocols/paxos.h"
#include "protocols/proto.h"
#include "protocols/sbuf.h"
#include "tutor/note_text.h"

enum { S1, S2, S3, S4, S5 };

#define NSLOT 64 /* slots the router tracks */

struct accept_ev {
    int node;
    int64_t slot;
    struct ballot ballot;
    const char *value;
};

/* Acceptances per (slot, ballot, value), to know what is chosen. */
struct tally {
    int64_t slot;
    struct ballot ballot;
    const char *value;
    unsigned who;
};

struct net {
    struct proto_config cfg;
    struct paxos *x[PROTO_MAX_NODES];
    struct prng rng;
    int64_t now;
    struct msg *q; /* in flight, in send order */
    size_t nq, capq;
    struct proto_out out;
    struct sbuf notes; /* "S1: text\n" per note, for the whole run */
    struct sbuf field;
    int64_t timer[PROTO_MAX_NODES];
    int learns[PROTO_MAX_NODES][NSLOT]; /* learn events per node and slot */
    int64_t applied[PROTO_MAX_NODES][4 * NSLOT];
    int n_applied[PROTO_MAX_NODES];
    int64_t next_apply[PROTO_MAX_NODES]; /* the slot the node must apply next */
    struct accept_ev *acc;
    size_t nacc, capacc;
    struct tally *tal;
    size_t ntal, captal;
    const char *chosen[NSLOT];
    char values[64][16]; /* proposed values, kept alive for the run */
    int nvalues;
    const char *proposed[64];
    int nproposed;
    enum client_result client;
    int hint;
    bool persisted;
};

static const char *const names[] = {"S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9"};

static struct net *net_new(int n, unsigned options)
{
    struct net *t = calloc(1, sizeof *t);
    ck_assert_ptr_nonnull(t);
    t->cfg.n_nodes = n;
    t->cfg.election_min = 150;
    t->cfg.election_max = 300;
    t->cfg.heartbeat = 50;
    for (int i = 0; i < n; i++) {
        t->cfg.names[i] = names[i];
        t->cfg.fixed_timeout[i] = 100 + 50 * i;
        t->cfg.options[i] = options;
        t->cfg.proposer[i] = t->cfg.acceptor[i] = t->cfg.learner[i] = true;
        t->x[i] = paxos_new(i);
        t->timer[i] = -1;
        t->next_apply[i] = 1;
    }
    prng_seed(&t->rng, 1);
    proto_out_init(&t->out);
    sbuf_init(&t->notes);
    sbuf_init(&t->field);
    return t;
}

static void net_free(struct net *t)
{
    for (int i = 0; i < t->cfg.n_nodes; i++)
        paxos_free(t->x[i]);
    for (size_t i = 0; i < t->nq; i++)
        msg_free(&t->q[i]);
    free(t->q);
    free(t->acc);
    free(t->tal);
    proto_out_free(&t->out);
    sbuf_free(&t->notes);
    sbuf_free(&t->field);
    free(t);
}

static int majority(const struct net *t)
{
    int n = 0;
    for (int i = 0; i < t->cfg.n_nodes; i++)
        n += t->cfg.acceptor[i];
    return n / 2 + 1;
}

/* The truth: the value a majority of acceptors accepted with one ballot
 * at some point in the run, or NULL. */
static const char *chosen(const struct net *t, int64_t slot)
{
    return slot >= 1 && slot < NSLOT ? t->chosen[slot] : NULL;
}

static bool was_proposed(const struct net *t, const char *value)
{
    if (!strcmp(value, "noop"))
        return true;
    for (int i = 0; i < t->nproposed; i++)
        if (!strcmp(t->proposed[i], value))
            return true;
    return false;
}

/* What the safety monitor checks: one value chosen per slot, and only a
 * proposed one. */
static void record_accept(struct net *t, int node, const struct proto_slot_event *e)
{
    ck_assert_int_ge(e->slot, 1);
    ck_assert_int_lt(e->slot, NSLOT);
    if (t->nacc == t->capacc) {
        t->capacc = t->capacc ? 2 * t->capacc : 64;
        t->acc = realloc(t->acc, t->capacc * sizeof *t->acc);
    }
    t->acc[t->nacc++] = (struct accept_ev){node, e->slot, e->ballot, e->value};
    struct tally *k = NULL;
    for (size_t i = 0; i < t->ntal && !k; i++)
        if (t->tal[i].slot == e->slot && ballot_cmp(t->tal[i].ballot, e->ballot) == 0 &&
            !strcmp(t->tal[i].value, e->value))
            k = &t->tal[i];
    if (!k) {
        if (t->ntal == t->captal) {
            t->captal = t->captal ? 2 * t->captal : 64;
            t->tal = realloc(t->tal, t->captal * sizeof *t->tal);
        }
        k = &t->tal[t->ntal++];
        *k = (struct tally){e->slot, e->ballot, e->value, 0};
    }
    k->who |= 1u << node;
    if (__builtin_popcount(k->who) < majority(t))
        return;
    ck_assert_msg(was_proposed(t, e->value), "'%s' chosen but never proposed", e->value);
    if (t->chosen[e->slot])
        ck_assert_str_eq(t->chosen[e->slot], e->value);
    t->chosen[e->slot] = e->value;
}

static void push(struct net *t, const struct msg *m)
{
    if (t->nq == t->capq) {
        t->capq = t->capq ? t->capq * 2 : 64;
        t->q = realloc(t->q, t->capq * sizeof *t->q);
        ck_assert_ptr_nonnull(t->q);
    }
    msg_clone(&t->q[t->nq++], m);
}

static void step(struct net *t, int node, struct proto_in *in)
{
    in->now = t->now;
    in->cfg = &t->cfg;
    in->rng = &t->rng;
    proto_out_reset(&t->out);
    struct ballot promised = t->x[node]->p.promised;
    paxos_step(t->x[node], in, &t->out);
    ck_assert_msg(ballot_cmp(t->x[node]->p.promised, promised) >= 0, "a promise went down");
    ck_assert_int_le(t->x[node]->p.promised.round, 1000000);
    for (size_t i = 0; i < t->out.n_notes; i++) {
        sbuf_printf(&t->notes, "%s: ", names[node]);
        note_render(&t->out.notes[i], names, t->cfg.n_nodes, &t->notes);
        sbuf_add(&t->notes, "\n");
    }
    for (size_t i = 0; i < t->out.n_msgs; i++) {
        const struct msg *m = &t->out.msgs[i];
        ck_assert_int_eq(m->from, node);
        ck_assert_msg(m->to != node, "a node sent a message to itself");
        ck_assert_int_lt(m->to, t->cfg.n_nodes);
        push(t, m);
    }
    for (size_t i = 0; i < t->out.n_accepts; i++)
        record_accept(t, node, &t->out.accepts[i]);
    for (size_t i = 0; i < t->out.n_learns; i++) {
        const struct proto_slot_event *e = &t->out.learns[i];
        const char *truth = chosen(t, e->slot);
        ck_assert_msg(truth && !strcmp(truth, e->value), "%s learned '%s', which is not chosen",
                      names[node], e->value);
        t->learns[node][e->slot]++;
    }
    if (in->kind == IN_CRASH)
        t->next_apply[node] = 1;
    for (size_t i = 0; i < t->out.n_applied; i++) {
        const struct proto_applied *a = &t->out.applied[i];
        ck_assert_int_eq(a->index, t->next_apply[node]);
        ck_assert_str_eq(a->cmd, chosen(t, a->index));
        t->next_apply[node]++;
        if (t->n_applied[node] < 4 * NSLOT)
            t->applied[node][t->n_applied[node]++] = a->index;
    }
    t->timer[node] = t->out.timer;
    t->client = t->out.client;
    t->hint = t->out.client_hint;
    t->persisted = t->out.persisted;
}

static void start_all(struct net *t)
{
    for (int i = 0; i < t->cfg.n_nodes; i++)
        step(t, i, &(struct proto_in){.kind = IN_START});
}

static void propose(struct net *t, int node, const char *value)
{
    if (t->nproposed < 64)
        t->proposed[t->nproposed++] = value;
    step(t, node, &(struct proto_in){.kind = IN_CLIENT, .command = value});
}

static void fire(struct net *t, int node)
{
    step(t, node, &(struct proto_in){.kind = IN_TIMER});
}

static void crash(struct net *t, int node)
{
    step(t, node, &(struct proto_in){.kind = IN_CRASH});
}

static void restart(struct net *t, int node)
{
    step(t, node, &(struct proto_in){.kind = IN_RESTART});
}

/* A filter: -1 matches anything. */
struct match {
    int type, from, to;
    int64_t slot;
};

#define M(type, from, to) ((struct match){(type), (from), (to), -1})
#define MS(type, from, to, slot) ((struct match){(type), (from), (to), (slot)})

static int64_t msg_slot(const struct msg *m)
{
    switch (m->type) {
    case MSG_PREPARE:
        return m->u.prepare.slot;
    case MSG_PROMISE:
        return m->u.promise.slot;
    case MSG_ACCEPT:
    case MSG_ACCEPTED:
        return m->u.accept.slot;
    case MSG_CHOSEN:
        return m->u.chosen.slot;
    default:
        return -1;
    }
}

static bool matches(const struct msg *m, struct match f)
{
    return (f.type < 0 || (int)m->type == f.type) && (f.from < 0 || m->from == f.from) &&
           (f.to < 0 || m->to == f.to) && (f.slot < 0 || msg_slot(m) == f.slot);
}

static void deliver_at(struct net *t, size_t i)
{
    struct msg m = t->q[i];
    memmove(&t->q[i], &t->q[i + 1], (t->nq - i - 1) * sizeof *t->q);
    t->nq--;
    if (paxos_up(t->x[m.to]))
        step(t, m.to, &(struct proto_in){.kind = IN_MESSAGE, .msg = &m});
    msg_free(&m);
}

/* Delivers the first pending message that matches; fails if none does. */
static void deliver(struct net *t, struct match f)
{
    for (size_t i = 0; i < t->nq; i++)
        if (matches(&t->q[i], f)) {
            deliver_at(t, i);
            return;
        }
    ck_abort_msg("no pending %s %d->%d", msg_type_name((enum msg_type)f.type), f.from, f.to);
}

static int pending(const struct net *t, struct match f)
{
    int n = 0;
    for (size_t i = 0; i < t->nq; i++)
        n += matches(&t->q[i], f);
    return n;
}

static const struct msg *find(const struct net *t, struct match f)
{
    for (size_t i = 0; i < t->nq; i++)
        if (matches(&t->q[i], f))
            return &t->q[i];
    return NULL;
}

static void drop(struct net *t, struct match f)
{
    size_t k = 0;
    for (size_t i = 0; i < t->nq; i++) {
        if (matches(&t->q[i], f))
            msg_free(&t->q[i]);
        else
            t->q[k++] = t->q[i];
    }
    t->nq = k;
}

/* Delivers everything in send order, and what that causes, firing no timer. */
static void settle(struct net *t)
{
    for (int n = 0; t->nq; n++) {
        ck_assert_int_lt(n, 10000);
        deliver_at(t, 0);
    }
}

static void inject(struct net *t, struct msg m)
{
    push(t, &m);
}

static struct msg prepare_msg(int from, int to, struct ballot b)
{
    struct msg m = {.type = MSG_PREPARE, .from = from, .to = to};
    m.u.prepare.ballot = b;
    m.u.prepare.slot = 1;
    return m;
}

static struct msg accept_msg(int from, int to, struct ballot b, const char *value)
{
    struct msg m = {.type = MSG_ACCEPT, .from = from, .to = to};
    m.u.accept.ballot = b;
    m.u.accept.slot = 1;
    m.u.accept.value = value;
    return m;
}

static struct ballot B(int64_t round, int node) {
    return (struct ballot){round, node};
}

static const char *
F(struct net *t, int node, const char *name)
{
    sbuf_reset(&t->field);
    ck_assert_int_eq(paxos_field(t->x[node], &t->cfg, name, &t->field), 0);
    return t->field.s;
}

static bool noted(const struct net *t, const char *text)
{
    return strstr(t->notes.s, text) != NULL;
}

#define ck_field(t, node, name, want) ck_assert_str_eq(F((t), (node), (name)), (want))

/* The note of id in the last step's output, or NULL. */
static const struct proto_note *note_of(const struct net *t, int id)
{
    for (size_t i = 0; i < t->out.n_notes; i++)
        if (t->out.notes[i].id == id)
            return &t->out.notes[i];
    return NULL;
}

static void ck_ballot_arg(const struct proto_note *n, int k, int64_t round, int node)
{
    ck_assert_int_gt(n->n_args, k);
    ck_assert_int_eq(n->args[k].kind, NA_BALLOT);
    ck_assert_int_eq(n->args[k].v.i, round);
    if (round)
        ck_assert_int_eq(n->args[k].aux, node);
}

/* ---- P1: an acceptor must accept the first proposal that it receives. */

START_TEST(test_P1_acceptor_accepts_first_proposal)
{
    struct net *t = net_new(3, 0);
    start_all(t);
    inject(t, accept_msg(S1, S2, B(1, S1), "blue"));
    deliver(t, M(MSG_ACCEPT, S1, S2));
    ck_field(t, S2, "accepted", "{\"1\":[\"1.S1\",\"blue\"]}");
    ck_field(t, S2, "accepted_ballot", "\"1.S1\"");
    ck_field(t, S2, "accepted_value", "\"blue\"");
    ck_field(t, S2, "promised", "\"1.S1\"");
    ck_assert(t->persisted);
    ck_assert_uint_eq(t->nacc, 1);
    /* Accepted goes to the proposer and every learner but itself, once each. */
    ck_assert_int_eq(pending(t, M(MSG_ACCEPTED, S2, S1)), 1);
    ck_assert_int_eq(pending(t, M(MSG_ACCEPTED, S2, S3)), 1);
    ck_assert_int_eq(pending(t, M(MSG_ACCEPTED, -1, -1)), 2);
    ck_assert(noted(t, "P1a: ballot 1.S1 >= promise null: accept 'blue'"));
    net_free(t);
}
END_TEST

/* ---- P1a: accept n iff no prepare greater than n was answered. */

/* "It responds to the request with a promise not to accept any more
 * proposals numbered less than n": the notes say so as data, an id with
 * both ballots as ballots, never as text. */
START_TEST(test_P1a_promise_not_to_accept_less_than_n_noted_as_data)
{
    struct net *t = net_new(3, 0);
    start_all(t);
    propose(t, S1, "blue");
    /* S1's own acceptor promises locally, in the same step. */
    const struct proto_note *n = note_of(t, NOTE_PAXOS_PROMISE_LOCAL);
    ck_assert_ptr_nonnull(n);
    ck_assert_int_eq(n->n_args, 3);
    ck_ballot_arg(n, 0, 1, S1);
    ck_ballot_arg(n, 1, 0, 0);
    ck_assert_int_eq(n->args[2].kind, NA_NODE);
    ck_assert_int_eq(n->args[2].v.i, S1);
    n = note_of(t, NOTE_PAXOS_PHASE1_VALUE);
    ck_assert_ptr_nonnull(n);
    ck_assert_int_eq(n->args[0].kind, NA_NOTE);
    ck_assert_int_eq(n->args[0].v.i, NOTE_PAXOS_WHY_PROPOSE);
    ck_ballot_arg(n, 1, 1, S1);
    ck_assert_int_eq(n->args[2].kind, NA_STR);
    ck_assert_str_eq(n->args[2].v.s, "blue");

    deliver(t, M(MSG_PREPARE, S1, S2));
    n = note_of(t, NOTE_PAXOS_PROMISE);
    ck_assert_ptr_nonnull(n);
    ck_assert_int_eq(n->n_args, 2);
    ck_ballot_arg(n, 0, 1, S1);
    ck_ballot_arg(n, 1, 0, 0);

    /* A higher ballot: the old promise is the second ballot. */
    inject(t, prepare_msg(S3, S2, B(2, S3)));
    deliver(t, M(MSG_PREPARE, S3, S2));
    n = note_of(t, NOTE_PAXOS_PROMISE);
    ck_assert_ptr_nonnull(n);
    ck_ballot_arg(n, 0, 2, S3);
    ck_ballot_arg(n, 1, 1, S1);

    /* A lower ballot afterwards: ignored (no nack), the promise in the note. */
    inject(t, prepare_msg(S1, S2, B(1, S1)));
    deliver(t, M(MSG_PREPARE, S1, S2));
    ck_assert_ptr_null(note_of(t, NOTE_PAXOS_PROMISE));
    n = note_of(t, NOTE_PAXOS_PREPARE_IGNORE);
    ck_assert_ptr_nonnull(n);
    ck_ballot_arg(n, 0, 1, S1);
    ck_ballot_arg(n, 1, 2, S3);
    ck_assert_int_eq(n->args[2].kind, NA_NOTE);
    ck_assert_int_eq(n->args[2].v.i, NOTE_NONE);

    /* And the words are the English template with the arguments in place. */
    ck_assert(noted(t, "S2: phase 1b: ballot 1.S1 > promise null, promise\n"));
    ck_assert(noted(t, "S1: phase 1b: ballot 1.S1 > promise null, S1's acceptor promises 1.S1 "
                       "(local)\n"));
    ck_assert(noted(t, "S2: phase 1b: ballot 2.S3 > promise 1.S1, promise\n"));
    ck_assert(noted(t, "S2: phase 1b: ballot 1.S1 <= promise 2.S3: ignore (no nack)\n"));
    net_free(t);
}
END_TEST

START_TEST(test_P1a_promise_only_higher_ballot)
{
    struct net *t = net_new(3, 0);
    start_all(t);
    inject(t, prepare_msg(S1, S2, B(2, S1)));
    deliver(t, M(MSG_PREPARE, S1, S2));
    ck_field(t, S2, "promised", "\"2.S1\"");
    ck_assert(t->persisted);
    ck_assert(noted(t, "phase 1b: ballot 2.S1 > promise null, promise"));
    ck_assert_int_eq(pending(t, M(MSG_PROMISE, S2, S1)), 1);

    inject(t, prepare_msg(S3, S2, B(1, S3)));
    deliver(t, M(MSG_PREPARE, S3, S2));
    ck_field(t, S2, "promised", "\"2.S1\"");
    ck_assert_int_eq(pending(t, M(MSG_PROMISE, S2, S3)), 0);
    ck_assert(noted(t, "phase 1b: ballot 1.S3 <= promise 2.S1: ignore (no nack)"));

    /* Equal is not greater. */
    inject(t, prepare_msg(S1, S2, B(2, S1)));
    deliver(t, M(MSG_PREPARE, S1, S2));
    ck_assert_int_eq(pending(t, M(MSG_PROMISE, S2, S1)), 1);

    /* Same round, later node: greater. */
    inject(t, prepare_msg(S3, S2, B(2, S3)));
    deliver(t, M(MSG_PREPARE, S3, S2));
    ck_field(t, S2, "promised", "\"2.S3\"");
    ck_assert_int_eq(pending(t, M(MSG_PROMISE, S2, S3)), 1);
    net_free(t);
}
END_TEST

static void lower_ballot_refused(bool nack)
{
    struct net *t = net_new(3, nack ? OPT_NACK : 0);
    start_all(t);
    inject(t, prepare_msg(S3, S2, B(2, S3)));
    deliver(t, M(MSG_PREPARE, S3, S2));
    drop(t, M(-1, -1, -1));

    /* S1 has seen no round yet: its first ballot is 1.S1 < 2.S3. */
    propose(t, S1, "blue");
    ck_field(t, S1, "proposing", "\"1.S1\"");
    ck_field(t, S1, "phase", "\"prepare\"");
    deliver(t, M(MSG_PREPARE, S1, S2));
    ck_field(t, S2, "promised", "\"2.S3\"");
    ck_assert_int_eq(pending(t, M(MSG_PROMISE, S2, S1)), 0);
    inject(t, accept_msg(S1, S2, B(1, S1), "blue"));
    deliver(t, MS(MSG_ACCEPT, S1, S2, 1));
    ck_field(t, S2, "accepted", "{}");
    ck_assert_int_eq(pending(t, M(MSG_ACCEPTED, S2, -1)), 0);
    if (!nack) {
        ck_assert_int_eq(pending(t, M(MSG_NACK, -1, -1)), 0);
        ck_assert(noted(t, "phase 1b: ballot 1.S1 <= promise 2.S3: ignore (no nack)"));
        ck_assert(noted(t, "P1a: ballot 1.S1 < promise 2.S3: ignore 'blue' (no nack)"));
        net_free(t);
        return;
    }
    ck_assert_int_eq(pending(t, M(MSG_NACK, S2, S1)), 2);
    const struct msg *n = find(t, M(MSG_NACK, S2, S1));
    ck_assert_int_eq(ballot_cmp(n->u.nack.ballot, B(1, S1)), 0);
    ck_assert_int_eq(ballot_cmp(n->u.nack.promised, B(2, S3)), 0);
    /* The proposer gives the round up and waits for its retry timer... */
    int64_t deadline = t->timer[S1];
    deliver(t, M(MSG_NACK, S2, S1));
    ck_field(t, S1, "phase", "\"idle\"");
    ck_field(t, S1, "proposing", "null");
    ck_assert_int_eq(t->timer[S1], deadline);
    ck_assert(noted(t, "abandon ballot 1.S1"));
    /* ...which then picks a round above the promise it was told of. */
    fire(t, S1);
    ck_field(t, S1, "proposing", "\"3.S1\"");
    net_free(t);
}

START_TEST(test_lower_ballot_refused_without_nack)
{
    lower_ballot_refused(false);
}
END_TEST

START_TEST(test_lower_ballot_refused_with_nack)
{
    lower_ballot_refused(true);
}
END_TEST

/* ---- P2: if v is chosen, every higher-numbered chosen proposal has v. */

START_TEST(test_chosen_value_stays_chosen_under_later_ballots)
{
    struct net *t = net_new(3, 0);
    start_all(t);
    propose(t, S1, "blue");
    deliver(t, M(MSG_PREPARE, S1, S2));
    deliver(t, M(MSG_PROMISE, S2, S1));
    ck_field(t, S1, "accepted_value", "\"blue\""); /* its own acceptor, locally */
    deliver(t, M(MSG_ACCEPT, S1, S2));
    ck_assert_str_eq(chosen(t, 1), "blue");
    drop(t, M(-1, -1, -1)); /* nobody hears that it is chosen */

    /* S3 knows nothing, and proposes red with a higher ballot. */
    propose(t, S3, "red");
    deliver(t, M(MSG_PREPARE, S3, S2));
    deliver(t, M(MSG_PROMISE, S2, S3));
    ck_assert(noted(t, "P2c: adopting value 'blue' accepted at 1.S1"));
    settle(t);
    propose(t, S2, "green");
    settle(t);
    ck_assert_str_eq(chosen(t, 1), "blue");
    /* P2a: every proposal accepted above the chosen one carries blue. */
    for (size_t i = 0; i < t->nacc; i++)
        ck_assert_str_eq(t->acc[i].value, "blue");
    for (int i = S1; i <= S3; i++)
        ck_field(t, i, "learned_value", "\"blue\"");
    net_free(t);
}
END_TEST

/* ---- P2a: once chosen, every higher accepted proposal has the value,
 * even at an acceptor that never accepted anything before. */

START_TEST(test_P2a_higher_accepted_proposals_have_chosen_value)
{
    struct net *t = net_new(5, 0);
    start_all(t);
    propose(t, S1, "blue");
    deliver(t, M(MSG_PREPARE, S1, S2));
    deliver(t, M(MSG_PREPARE, S1, S3));
    deliver(t, M(MSG_PROMISE, S2, S1));
    deliver(t, M(MSG_PROMISE, S3, S1));
    deliver(t, M(MSG_ACCEPT, S1, S2));
    deliver(t, M(MSG_ACCEPT, S1, S3));
    ck_assert_str_eq(chosen(t, 1), "blue");
    drop(t, M(-1, -1, -1));
    /* S5 reaches S3, S4 and itself: S3 reports blue. */
    propose(t, S5, "red");
    deliver(t, M(MSG_PREPARE, S5, S3));
    deliver(t, M(MSG_PREPARE, S5, S4));
    deliver(t, M(MSG_PROMISE, S3, S5));
    deliver(t, M(MSG_PROMISE, S4, S5));
    deliver(t, M(MSG_ACCEPT, S5, S4));
    ck_field(t, S4, "accepted", "{\"1\":[\"1.S5\",\"blue\"]}");
    net_free(t);
}
END_TEST

/* ---- P2b: every higher-numbered proposal issued has the chosen value. */

START_TEST(test_P2b_accept_at_promise_or_higher)
{
    struct net *t = net_new(3, 0);
    start_all(t);
    inject(t, prepare_msg(S1, S2, B(2, S1)));
    deliver(t, M(MSG_PREPARE, S1, S2));
    inject(t, accept_msg(S3, S2, B(1, S3), "red"));
    deliver(t, M(MSG_ACCEPT, S3, S2));
    ck_field(t, S2, "accepted", "{}");
    inject(t, accept_msg(S1, S2, B(2, S1), "blue"));
    deliver(t, M(MSG_ACCEPT, S1, S2));
    ck_field(t, S2, "accepted", "{\"1\":[\"2.S1\",\"blue\"]}");
    ck_assert(noted(t, "P1a: ballot 2.S1 >= promise 2.S1: accept 'blue'"));
    /* A higher Accept raises the promise with it. */
    inject(t, accept_msg(S3, S2, B(3, S3), "blue"));
    deliver(t, M(MSG_ACCEPT, S3, S2));
    ck_field(t, S2, "promised", "\"3.S3\"");
    ck_field(t, S2, "accepted_ballot", "\"3.S3\"");
    net_free(t);
}
END_TEST

START_TEST(test_second_proposer_adopts_accepted_value)
{
    struct net *t = net_new(3, 0);
    start_all(t);
    propose(t, S1, "blue");
    settle(t);
    ck_assert_str_eq(chosen(t, 1), "blue");
    ck_field(t, S1, "phase", "\"idle\"");
    ck_assert_int_eq(t->timer[S1], -1);
    propose(t, S3, "red");
    /* S3's acceptor promised 1.S1: its round is above it. */
    ck_field(t, S3, "proposing", "\"2.S3\"");
    settle(t);
    ck_assert(noted(t, "S3: P2c: adopting value 'blue' accepted at 1.S1"));
    for (int i = S1; i <= S3; i++) {
        ck_field(t, i, "accepted", "{\"1\":[\"2.S3\",\"blue\"]}");
        ck_field(t, i, "learned", "{\"1\":\"blue\"}");
        ck_assert_int_eq(t->learns[i][1], 1);
    }
    net_free(t);
}
END_TEST

/* ---- P2c: propose the value of the highest-numbered accepted proposal. */

START_TEST(test_P2c_adopt_highest_accepted_value)
{
    struct net *t = net_new(3, 0);
    t->cfg.acceptor[S1] = false; /* acceptors S2 and S3: both must promise */
    int64_t slot = 1;
    struct paxos_accepted red = {B(1, S1), "red"}, blue = {B(2, S2), "blue"};
    ck_assert_int_eq(paxos_set_initial(t->x[S2], B(1, S1), &slot, &red, 1), 0);
    ck_assert_int_eq(paxos_set_initial(t->x[S3], B(2, S2), &slot, &blue, 1), 0);
    t->x[S1]->p.max_round = 2; /* as if S1 had run round 2 before */
    start_all(t);
    propose(t, S1, "green");
    ck_field(t, S1, "proposing", "\"3.S1\"");
    deliver(t, M(MSG_PREPARE, S1, S2));
    deliver(t, M(MSG_PREPARE, S1, S3));
    deliver(t, M(MSG_PROMISE, S2, S1));
    ck_field(t, S1, "phase", "\"prepare\"");
    deliver(t, M(MSG_PROMISE, S3, S1));
    ck_field(t, S1, "phase", "\"accept\"");
    ck_assert(noted(t, "P2c: adopting value 'blue' accepted at 2.S2"));
    const struct msg *a = find(t, M(MSG_ACCEPT, S1, S2));
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(a->u.accept.value, "blue");
    ck_assert_int_eq(ballot_cmp(a->u.accept.ballot, B(3, S1)), 0);
    net_free(t);
}
END_TEST

START_TEST(test_P2c_own_value_when_none_accepted)
{
    struct net *t = net_new(3, 0);
    start_all(t);
    propose(t, S2, "blue");
    deliver(t, M(MSG_PREPARE, S2, S1));
    deliver(t, M(MSG_PROMISE, S1, S2));
    ck_assert(noted(t, "propose own value 'blue'"));
    ck_assert_str_eq(find(t, M(MSG_ACCEPT, S2, S1))->u.accept.value, "blue");
    net_free(t);
}
END_TEST

/* ---- Phase 1: ballots, persistence, roles. */

START_TEST(test_proposer_picks_round_above_seen)
{
    struct net *t = net_new(3, 0);
    start_all(t);
    inject(t, prepare_msg(S3, S1, B(7, S3)));
    deliver(t, M(MSG_PREPARE, S3, S1));
    drop(t, M(-1, -1, -1));
    propose(t, S1, "blue");
    ck_field(t, S1, "proposing", "\"8.S1\"");
    ck_assert(t->persisted);
    ck_assert_int_eq(t->x[S1]->p.max_round, 8);
    /* Its own acceptor promises locally; only the others get messages. */
    ck_assert_int_eq(pending(t, M(MSG_PREPARE, S1, -1)), 2);
    ck_field(t, S1, "promised", "\"8.S1\"");
    ck_assert(noted(t, "S1's acceptor promises 8.S1 (local)"));
    net_free(t);
}
END_TEST

START_TEST(test_proposer_restart_never_reuses_ballot)
{
    struct net *t = net_new(3, 0);
    t->cfg.acceptor[S1] = false; /* no promise of its own to remember rounds by */
    start_all(t);
    propose(t, S1, "blue");
    ck_field(t, S1, "proposing", "\"1.S1\"");
    ck_assert(t->persisted); /* saved before the Prepares leave */
    ck_assert_int_eq(t->x[S1]->p.max_round, 1);
    drop(t, M(-1, -1, -1));
    crash(t, S1);
    ck_field(t, S1, "up", "false");
    ck_field(t, S1, "proposing", "null");
    ck_assert_int_eq(t->timer[S1], -1);
    restart(t, S1);
    ck_field(t, S1, "up", "true");
    ck_assert_int_eq(t->timer[S1], -1); /* Basic Paxos: nothing to retry */
    propose(t, S1, "red");
    ck_field(t, S1, "proposing", "\"2.S1\"");
    net_free(t);
}
END_TEST

START_TEST(test_acceptor_restart_keeps_promise)
{
    struct net *t = net_new(3, 0);
    start_all(t);
    propose(t, S1, "blue");
    settle(t);
    ck_field(t, S2, "learned_value", "\"blue\"");
    inject(t, prepare_msg(S3, S2, B(2, S3)));
    deliver(t, M(MSG_PREPARE, S3, S2));
    drop(t, M(-1, -1, -1));
    crash(t, S2);
    restart(t, S2);
    ck_field(t, S2, "promised", "\"2.S3\"");
    ck_field(t, S2, "accepted", "{\"1\":[\"1.S1\",\"blue\"]}");
    ck_field(t, S2, "learned", "{}"); /* volatile */
    ck_field(t, S2, "learned_value", "null");
    ck_field(t, S2, "applied", "[]");
    inject(t, accept_msg(S1, S2, B(2, S1), "blue"));
    deliver(t, M(MSG_ACCEPT, S1, S2));
    ck_field(t, S2, "accepted_ballot", "\"1.S1\"");
    net_free(t);
}
END_TEST

START_TEST(test_roles_separate)
{
    /* S1 proposes only; S2..S4 accept; S4 also learns. */
    struct net *t = net_new(4, 0);
    for (int i = 0; i < 4; i++) {
        t->cfg.proposer[i] = i == S1;
        t->cfg.acceptor[i] = i != S1;
        t->cfg.learner[i] = i == S4;
    }
    start_all(t);
    propose(t, S3, "red");
    ck_assert_int_eq(t->client, CLIENT_REFUSED);
    propose(t, S1, "blue");
    ck_assert_int_eq(t->client, CLIENT_ACCEPTED);
    ck_assert_int_eq(pending(t, M(MSG_PREPARE, S1, -1)), 3);
    ck_assert_int_eq(pending(t, M(MSG_PREPARE, S1, S1)), 0);
    deliver(t, M(MSG_PREPARE, S1, S2));
    deliver(t, M(MSG_PREPARE, S1, S3));
    deliver(t, M(MSG_PROMISE, S2, S1));
    deliver(t, M(MSG_PROMISE, S3, S1));
    ck_field(t, S1, "phase", "\"accept\"");
    deliver(t, M(MSG_ACCEPT, S1, S2));
    /* Accepted to the proposer and the one learner. */
    ck_assert_int_eq(pending(t, M(MSG_ACCEPTED, S2, S1)), 1);
    ck_assert_int_eq(pending(t, M(MSG_ACCEPTED, S2, S4)), 1);
    ck_assert_int_eq(pending(t, M(MSG_ACCEPTED, S2, -1)), 2);
    settle(t);
    ck_assert_str_eq(chosen(t, 1), "blue");
    ck_field(t, S4, "learned_value", "\"blue\"");
    ck_assert_int_eq(t->learns[S4][1], 1);
    for (int i = S1; i <= S3; i++)
        ck_field(t, i, "learned", "{}");
    ck_field(t, S1, "accepted", "{}");
    ck_field(t, S1, "promised", "null");
    ck_field(t, S1, "phase", "\"idle\"");
    ck_assert(noted(t, "S1: 'blue' is chosen for slot 1"));
    net_free(t);
}
END_TEST

/* ---- Phase 2: choosing needs a majority; proposers can duel. */

START_TEST(test_minority_cannot_choose)
{
    struct net *t = net_new(5, 0);
    start_all(t);
    propose(t, S1, "blue");
    deliver(t, M(MSG_PREPARE, S1, S2));
    ck_field(t, S1, "phase", "\"prepare\""); /* 2 promises of 3 needed */
    deliver(t, M(MSG_PREPARE, S1, S3));
    deliver(t, M(MSG_PROMISE, S2, S1));
    deliver(t, M(MSG_PROMISE, S3, S1));
    ck_field(t, S1, "phase", "\"accept\"");
    deliver(t, M(MSG_ACCEPT, S1, S2));
    drop(t, M(MSG_ACCEPT, -1, -1));
    settle(t);
    ck_assert_ptr_null(chosen(t, 1));
    for (int i = S1; i <= S5; i++)
        ck_field(t, i, "learned", "{}");
    ck_field(t, S1, "phase", "\"accept\"");
    ck_assert_int_ge(t->timer[S1], 0); /* it will retry */
    net_free(t);
}
END_TEST

START_TEST(test_dueling_proposers_livelock)
{
    /* S1 and S3 only reach each other through S2, and each one's Prepare
     * overtakes the other's Accept: no value is ever chosen. */
    struct net *t = net_new(3, 0);
    start_all(t);
    propose(t, S1, "blue");
    deliver(t, M(MSG_PREPARE, S1, S2));
    deliver(t, M(MSG_PROMISE, S2, S1));
    propose(t, S3, "red");
    for (int round = 0; round < 4; round++) {
        deliver(t, M(MSG_PREPARE, S3, S2));
        deliver(t, M(MSG_PROMISE, S2, S3));
        ck_field(t, S3, "phase", "\"accept\"");
        deliver(t, M(MSG_ACCEPT, S1, S2)); /* too late: S2 promised S3 */
        fire(t, S1);
        deliver(t, M(MSG_PREPARE, S1, S2));
        deliver(t, M(MSG_PROMISE, S2, S1));
        ck_field(t, S1, "phase", "\"accept\"");
        deliver(t, M(MSG_ACCEPT, S3, S2)); /* too late: S2 promised S1 */
        fire(t, S3);
        drop(t, M(-1, S1, S3));
        drop(t, M(-1, S3, S1));
        drop(t, M(MSG_ACCEPTED, -1, -1));
        ck_field(t, S2, "accepted", "{}");
    }
    ck_assert_ptr_null(chosen(t, 1));
    ck_field(t, S1, "proposing", "\"5.S1\"");
    ck_field(t, S3, "proposing", "\"5.S3\"");
    for (int i = S1; i <= S3; i++)
        ck_field(t, i, "learned_value", "null");
    net_free(t);
}
END_TEST

START_TEST(test_retry_timer_and_manual_timeout)
{
    struct net *t = net_new(3, 0);
    start_all(t);
    ck_assert_int_eq(t->timer[S1], -1); /* Basic Paxos: no timer when idle */
    fire(t, S1);
    ck_assert(noted(t, "retry timer: nothing to propose"));
    t->now = 1000;
    propose(t, S1, "blue");
    ck_assert_int_eq(t->timer[S1], 1100);
    drop(t, M(-1, -1, -1));
    t->now = 1100;
    fire(t, S1);
    ck_field(t, S1, "proposing", "\"2.S1\"");
    ck_assert_int_eq(t->timer[S1], 1200);
    settle(t);
    ck_assert_int_eq(t->timer[S1], -1);
    ck_field(t, S1, "proposing", "null");
    fire(t, S1);
    ck_field(t, S1, "proposing", "null");
    net_free(t);
}
END_TEST

/* ---- Learning. */

START_TEST(test_learner_learns_from_majority_and_from_chosen)
{
    /* From a majority of Accepted with one ballot. */
    struct net *t = net_new(3, 0);
    start_all(t);
    propose(t, S1, "blue");
    deliver(t, M(MSG_PREPARE, S1, S2));
    deliver(t, M(MSG_PROMISE, S2, S1));
    deliver(t, M(MSG_ACCEPT, S1, S2));
    drop(t, M(MSG_CHOSEN, -1, -1));
    deliver(t, M(MSG_ACCEPTED, S1, S3));
    ck_field(t, S3, "learned", "{}");
    deliver(t, M(MSG_ACCEPTED, S2, S3));
    ck_field(t, S3, "learned", "{\"1\":\"blue\"}");
    ck_assert(noted(t, "S3: learned 'blue' for slot 1: 2 of 3 acceptors accepted 1.S1"));
    settle(t);
    ck_assert_int_eq(t->learns[S3][1], 1); /* reported once */
    ck_field(t, S3, "applied", "[\"blue\"]");
    net_free(t);

    /* From the proposer's Chosen. */
    t = net_new(3, 0);
    start_all(t);
    propose(t, S1, "blue");
    deliver(t, M(MSG_PREPARE, S1, S2));
    deliver(t, M(MSG_PROMISE, S2, S1));
    deliver(t, M(MSG_ACCEPT, S1, S2));
    drop(t, M(MSG_ACCEPTED, -1, S3));
    deliver(t, M(MSG_ACCEPTED, S2, S1));
    ck_field(t, S1, "learned_value", "\"blue\"");
    ck_assert_int_eq(pending(t, M(MSG_CHOSEN, S1, -1)), 2);
    deliver(t, M(MSG_CHOSEN, S1, S3));
    ck_field(t, S3, "learned_value", "\"blue\"");
    ck_assert(noted(t, "S3: learned 'blue' for slot 1: Chosen from S1"));
    settle(t);
    for (int i = S1; i <= S3; i++)
        ck_assert_int_eq(t->learns[i][1], 1);
    net_free(t);
}
END_TEST

START_TEST(test_learner_counts_per_ballot)
{
    /* Two acceptors accepting blue with different ballots choose nothing. */
    struct net *t = net_new(3, 0);
    start_all(t);
    struct msg a = {.type = MSG_ACCEPTED, .from = S1, .to = S3};
    a.u.accept.ballot = B(1, S1);
    a.u.accept.slot = 1;
    a.u.accept.value = "blue";
    inject(t, a);
    a.from = S2;
    a.u.accept.ballot = B(2, S2);
    inject(t, a);
    settle(t);
    ck_field(t, S3, "learned", "{}");
    net_free(t);
}
END_TEST

START_TEST(test_learned_is_volatile_and_relearned)
{
    struct net *t = net_new(3, 0);
    start_all(t);
    propose(t, S1, "blue");
    settle(t);
    ck_field(t, S3, "learned_value", "\"blue\"");
    crash(t, S3);
    ck_field(t, S3, "learned", "{}");
    restart(t, S3);
    ck_field(t, S3, "accepted_value", "\"blue\"");
    ck_field(t, S3, "learned", "{}");
    propose(t, S2, "red");
    settle(t);
    ck_field(t, S3, "learned_value", "\"blue\"");
    ck_assert_int_eq(t->learns[S3][1], 2); /* once per incarnation */
    net_free(t);
}
END_TEST

START_TEST(test_fields_and_clone)
{
    struct net *t = net_new(3, 0);
    start_all(t);
    const char *const *f = paxos_fields();
    const char *want[] = {
        "up",      "promised",      "accepted",  "accepted_ballot", "accepted_value",
        "learned", "learned_value", "proposing", "phase",           "applied"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        ck_assert_str_eq(f[i], want[i]);
    ck_assert_ptr_null(f[sizeof want / sizeof want[0]]);
    struct sbuf b;
    sbuf_init(&b);
    ck_assert_int_eq(paxos_field(t->x[S1], &t->cfg, "term", &b), -1);
    sbuf_free(&b);
    ck_field(t, S1, "promised", "null");
    ck_field(t, S1, "accepted", "{}");
    ck_field(t, S1, "accepted_ballot", "null");
    ck_field(t, S1, "accepted_value", "null");
    ck_field(t, S1, "learned", "{}");
    ck_field(t, S1, "learned_value", "null");
    ck_field(t, S1, "proposing", "null");
    ck_field(t, S1, "phase", "\"idle\"");
    ck_field(t, S1, "applied", "[]");
    ck_field(t, S1, "up", "true");
    ck_assert_str_eq(paxos_phase_name(PAXOS_LEADER), "leader");

    struct paxos *before = paxos_clone(t->x[S1]);
    propose(t, S1, "blue");
    settle(t);
    ck_field(t, S1, "learned", "{\"1\":\"blue\"}");
    ck_assert_ptr_nonnull(paxos_accepted_at(t->x[S1], 1));
    ck_assert_ptr_null(paxos_accepted_at(before, 1));
    ck_assert_ptr_null(paxos_learned_at(before, 1));
    ck_assert_int_eq(paxos_max_slot(t->x[S1]), 1);
    struct paxos *after = paxos_clone(t->x[S1]);
    paxos_free(t->x[S1]);
    t->x[S1] = after;
    ck_field(t, S1, "accepted", "{\"1\":[\"1.S1\",\"blue\"]}");
    ck_field(t, S1, "applied", "[\"blue\"]");
    paxos_free(before);

    /* An initial accepted proposal above the promise is refused. */
    int64_t slot = 1;
    struct paxos_accepted hi = {B(3, S2), "x"};
    ck_assert_int_eq(paxos_set_initial(t->x[S2], B(2, S1), &slot, &hi, 1), -1);
    net_free(t);
}
END_TEST

/* ---- Multi-Paxos. */

static struct net *multi_with_leader(int n)
{
    struct net *t = net_new(n, OPT_MULTI);
    start_all(t);
    for (int i = 0; i < n; i++)
        ck_assert_int_ge(t->timer[i], 0);
    fire(t, S1);
    settle(t);
    ck_field(t, S1, "phase", "\"leader\"");
    ck_field(t, S1, "proposing", "\"1.S1\"");
    return t;
}

/* With no leader known, a proposer takes the proposal and runs phase 1 to
 * lead; the value goes to the first free slot once it leads. */
START_TEST(test_multi_proposal_with_no_leader_runs_phase_1)
{
    struct net *t = net_new(3, OPT_MULTI);
    start_all(t);
    propose(t, S2, "x");
    ck_assert_int_eq(t->client, CLIENT_ACCEPTED);
    ck_assert(noted(t, "no leader known: 'x' waits while S2 runs phase 1 to lead"));
    ck_field(t, S2, "phase", "\"prepare\"");
    propose(t, S2, "y");
    ck_assert_int_eq(t->client, CLIENT_ACCEPTED);
    settle(t);
    ck_field(t, S2, "phase", "\"leader\"");
    for (int i = S1; i <= S3; i++)
        ck_field(t, i, "applied", "[\"x\",\"y\"]");
    net_free(t);
}
END_TEST

START_TEST(test_multi_refuses_proposal_at_non_leader_with_hint)
{
    struct net *t = net_new(3, OPT_MULTI);
    start_all(t);
    fire(t, S1);
    settle(t);
    propose(t, S2, "x");
    ck_assert_int_eq(t->client, CLIENT_REFUSED);
    ck_assert_int_eq(t->hint, S1);
    ck_assert(noted(t, "not the leader: refuse 'x' (leader hint: S1)"));
    propose(t, S1, "x");
    ck_assert_int_eq(t->client, CLIENT_ACCEPTED);
    settle(t);
    for (int i = S1; i <= S3; i++)
        ck_field(t, i, "applied", "[\"x\"]");
    crash(t, S3);
    propose(t, S3, "y");
    ck_assert_int_eq(t->client, CLIENT_DOWN);
    net_free(t);
}
END_TEST

START_TEST(test_multi_leader_change_reproposes_and_fills_noop)
{
    struct net *t = multi_with_leader(3);
    propose(t, S1, "a");
    propose(t, S1, "b");
    propose(t, S1, "c");
    /* Slot 1 reaches everyone, slot 2 no one, slot 3 only S3. */
    deliver(t, MS(MSG_ACCEPT, S1, S2, 1));
    deliver(t, MS(MSG_ACCEPT, S1, S3, 1));
    deliver(t, MS(MSG_ACCEPT, S1, S3, 3));
    drop(t, M(MSG_ACCEPT, -1, -1));
    crash(t, S1);
    drop(t, M(MSG_ACCEPTED, S1, -1));
    settle(t);
    ck_assert_str_eq(chosen(t, 3), "c"); /* S1 and S3, though nobody knows it */
    ck_field(t, S2, "learned", "{\"1\":\"a\"}");

    fire(t, S2);
    ck_field(t, S2, "proposing", "\"2.S2\"");
    const struct msg *p = find(t, M(MSG_PREPARE, S2, S3));
    ck_assert_int_eq(p->u.prepare.slot, 2); /* the first slot it does not know chosen */
    settle(t);
    ck_field(t, S2, "phase", "\"leader\"");
    ck_assert(noted(t, "P2c: slot 3: re-proposing 'c' accepted at 1.S1"));
    ck_assert(noted(t, "slot 2: no value accepted in the majority: fill with noop"));
    propose(t, S2, "d");
    ck_assert_int_eq(t->client, CLIENT_ACCEPTED);
    settle(t);
    ck_field(t, S2, "applied", "[\"a\",\"noop\",\"c\",\"d\"]");
    ck_field(t, S3, "applied", "[\"a\",\"noop\",\"c\",\"d\"]");
    ck_field(t, S3, "accepted",
             "{\"1\":[\"1.S1\",\"a\"],\"2\":[\"2.S2\",\"noop\"],\"3\":[\"2.S2\",\"c\"],"
             "\"4\":[\"2.S2\",\"d\"]}");

    /* The old leader comes back with its promise; the new leader's next
     * Accept makes it a follower. */
    restart(t, S1);
    ck_assert_int_ge(t->timer[S1], t->now);
    ck_field(t, S1, "accepted",
             "{\"1\":[\"1.S1\",\"a\"],\"2\":[\"1.S1\",\"b\"],\"3\":[\"1.S1\",\"c\"]}");
    propose(t, S2, "e");
    deliver(t, MS(MSG_ACCEPT, S2, S1, 5));
    deliver(t, MS(MSG_ACCEPTED, S2, S1, 5));
    ck_field(t, S1, "accepted_value", "\"a\"");
    ck_field(t, S1, "promised", "\"2.S2\"");
    ck_field(t, S1, "learned", "{\"5\":\"e\"}");
    ck_field(t, S1, "applied", "[]"); /* gap: it missed slots 1..4 */
    /* The leader's Chosen for slot 5 shows the gap: S1 catches up. */
    settle(t);
    ck_assert(noted(t, "S1: catch-up: slot 5 is chosen but slot 1 is not learned here: ask S2"));
    ck_field(t, S1, "applied", "[\"a\",\"noop\",\"c\",\"d\",\"e\"]");
    for (int64_t s = 1; s <= 5; s++)
        ck_assert_ptr_nonnull(chosen(t, s));
    net_free(t);
}
END_TEST

START_TEST(test_multi_applies_in_slot_order)
{
    struct net *t = multi_with_leader(3);
    propose(t, S1, "a");
    propose(t, S1, "b");
    propose(t, S1, "c");
    deliver(t, MS(MSG_ACCEPT, S1, S2, 2));
    deliver(t, MS(MSG_ACCEPT, S1, S2, 3));
    deliver(t, MS(MSG_ACCEPTED, S1, S2, 2));
    deliver(t, MS(MSG_ACCEPTED, S1, S2, 3));
    ck_field(t, S2, "learned", "{\"2\":\"b\",\"3\":\"c\"}");
    ck_field(t, S2, "applied", "[]");
    ck_assert_int_eq(t->n_applied[S2], 0);
    ck_assert(noted(t, "slot 3 waits: slot 1 is not learned yet"));
    settle(t);
    ck_field(t, S2, "applied", "[\"a\",\"b\",\"c\"]");
    ck_assert_int_eq(t->n_applied[S2], 3);
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(t->applied[S2][i], i + 1);
    net_free(t);
}
END_TEST

START_TEST(test_multi_heartbeat_keeps_followers_and_resends)
{
    struct net *t = multi_with_leader(3);
    ck_assert_int_eq(t->timer[S1], t->now + 50);
    t->now = 40;
    fire(t, S1);
    ck_assert_int_eq(pending(t, M(MSG_CHOSEN, S1, -1)), 2);
    ck_assert_int_eq(t->timer[S1], 90);
    deliver(t, M(MSG_CHOSEN, S1, S2));
    ck_assert_int_eq(t->timer[S2], 40 + 150); /* S2's retry timer restarts */
    ck_assert(noted(t, "heartbeat: reset retry timer"));
    settle(t);

    propose(t, S1, "x");
    drop(t, M(MSG_ACCEPT, -1, -1));
    fire(t, S1);
    ck_assert_int_eq(pending(t, M(MSG_ACCEPT, S1, -1)), 2);
    ck_assert(noted(t, "re-send Accept for 1 unchosen slot"));
    settle(t);
    for (int i = S1; i <= S3; i++)
        ck_field(t, i, "applied", "[\"x\"]");
    fire(t, S1);
    ck_assert_int_eq(pending(t, M(MSG_ACCEPT, -1, -1)), 0);
    const struct msg *c = find(t, M(MSG_CHOSEN, S1, S2));
    ck_assert_int_eq(c->u.chosen.slot, 1);
    ck_assert_str_eq(c->u.chosen.value, "x");
    net_free(t);
}
END_TEST

/* Catch-up: learned values are volatile, so a learner that restarts asks
 * the sender of a Chosen above its first gap for what is chosen from the
 * gap on (Chosen without a value), a window of PAXOS_CATCH_UP slots at a
 * time, at most once per heartbeat interval. */
START_TEST(test_multi_restarted_learner_catches_up)
{
    struct net *t = multi_with_leader(3);
    propose(t, S1, "a");
    propose(t, S1, "b");
    settle(t);
    ck_field(t, S3, "applied", "[\"a\",\"b\"]");
    crash(t, S3);
    static const char *const cmd[] = {"c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n",
                                      "o", "p", "q", "r", "s", "t", "u", "v", "w", "x", "y", "z"};
    for (int i = 0; i < 18; i++) /* slots 3..20, chosen by S1 and S2 */
        propose(t, S1, cmd[i]);
    settle(t);
    ck_assert_str_eq(chosen(t, 20), "t");
    restart(t, S3);
    ck_field(t, S3, "learned", "{}");
    ck_field(t, S3, "applied", "[]");

    /* The heartbeat names slot 20: S3 has a gap at 1 and asks S1. */
    t->now = 50;
    fire(t, S1);
    deliver(t, M(MSG_CHOSEN, S1, S3));
    ck_field(t, S3, "learned", "{\"20\":\"t\"}");
    ck_assert(noted(t, "S3: catch-up: slot 20 is chosen but slot 1 is not learned here: ask S1 "
                       "for the chosen values from slot 1 on (Chosen without a value)"));
    const struct msg *q = find(t, M(MSG_CHOSEN, S3, S1));
    ck_assert_ptr_nonnull(q);
    ck_assert_int_eq(q->u.chosen.slot, 1);
    ck_assert_ptr_null(q->u.chosen.value);
    ck_assert_int_eq(pending(t, M(MSG_CHOSEN, S3, -1)), 1);

    /* A lost request is asked again, but only a heartbeat later. */
    drop(t, M(MSG_CHOSEN, S3, S1));
    propose(t, S1, "u"); /* slot 21 */
    settle(t);
    ck_assert_str_eq(chosen(t, 21), "u");
    ck_field(t, S3, "applied", "[]");
    ck_assert_int_eq(pending(t, M(-1, -1, -1)), 0);
    t->now = 100;
    fire(t, S1);
    deliver(t, M(MSG_CHOSEN, S1, S3));
    deliver(t, M(MSG_CHOSEN, S3, S1));
    ck_assert(noted(t, "S1: catch-up: S3 asks for the chosen values from slot 1: send Chosen for "
                       "16 slots known chosen in 1..16"));
    ck_assert_int_eq(pending(t, M(MSG_CHOSEN, S1, S3)), 16);
    settle(t);
    /* One window: slots 1..16; 17..19 are still missing. */
    ck_assert_int_eq(t->next_apply[S3], 17);

    /* The next heartbeat asks from slot 17 on; then everything applies. */
    t->now = 150;
    fire(t, S1);
    settle(t);
    ck_assert(noted(t, "S3: catch-up: slot 21 is chosen but slot 17 is not learned here"));
    ck_assert(noted(t, "S1: catch-up: S3 asks for the chosen values from slot 17: send Chosen for "
                       "5 slots known chosen in 17..21"));
    ck_assert_int_eq(t->next_apply[S3], 22);
    ck_field(t, S3, "learned_value", "\"a\"");
    /* 2 applied before the crash, then 1..21 again in slot order. */
    ck_assert_int_eq(t->n_applied[S3], 2 + 21);
    for (int i = 2; i < t->n_applied[S3]; i++)
        ck_assert_int_eq(t->applied[S3][i], i - 1);
    /* Nothing to ask once caught up: heartbeats are single messages again. */
    t->now = 200;
    fire(t, S1);
    settle(t);
    ck_assert_int_eq(pending(t, M(-1, -1, -1)), 0);
    ck_assert_int_eq(t->next_apply[S3], 22);
    net_free(t);
}
END_TEST

/* A restarted ex-leader whose promise is its own old ballot follows the
 * leader it hears: the heartbeats reset its retry timer, and it does not
 * run phase 1 against a healthy leader. */
START_TEST(test_multi_restarted_leader_follows_new_leader)
{
    struct net *t = multi_with_leader(3);
    crash(t, S1);
    t->now = 200;
    fire(t, S2);
    settle(t);
    ck_field(t, S2, "phase", "\"leader\"");
    restart(t, S1);
    ck_field(t, S1, "promised", "\"1.S1\"");
    int64_t deadline = t->timer[S1];
    t->now = deadline - 10;
    fire(t, S2); /* heartbeat */
    deliver(t, M(MSG_CHOSEN, S2, S1));
    ck_assert(noted(t, "S1: Chosen from S2: nothing chosen yet; heartbeat: reset retry timer"));
    ck_assert_int_gt(t->timer[S1], deadline);
    propose(t, S1, "x");
    ck_assert_int_eq(t->client, CLIENT_REFUSED);
    ck_assert_int_eq(t->hint, S2);
    ck_field(t, S1, "phase", "\"idle\"");
    net_free(t);
}
END_TEST

START_TEST(test_multi_catch_up_answers_only_what_is_known)
{
    /* S1 leads but is no learner: it answers from what its own ballot got
     * chosen. A node that knows nothing chosen there sends nothing. */
    struct net *t = net_new(3, OPT_MULTI);
    t->cfg.learner[S1] = false;
    start_all(t);
    fire(t, S1);
    settle(t);
    ck_field(t, S1, "phase", "\"leader\"");
    crash(t, S3);
    propose(t, S1, "a");
    propose(t, S1, "b");
    settle(t);
    ck_field(t, S1, "learned", "{}");
    restart(t, S3);
    t->now = 50;
    fire(t, S1);
    settle(t);
    ck_assert(noted(t, "S1: catch-up: S3 asks for the chosen values from slot 1: send Chosen for "
                       "2 slots known chosen in 1..2"));
    ck_field(t, S3, "applied", "[\"a\",\"b\"]");

    /* A request for slots nobody knows: nothing is sent. */
    struct msg m = {.type = MSG_CHOSEN, .from = S3, .to = S2};
    m.u.chosen.slot = 7;
    inject(t, m);
    deliver(t, M(MSG_CHOSEN, S3, S2));
    ck_assert(noted(t, "S2: catch-up: S3 asks for the chosen values from slot 7: slot 7 is not "
                       "known chosen here either: nothing to send"));
    ck_assert_int_eq(pending(t, M(-1, -1, -1)), 0);
    ck_field(t, S2, "phase", "\"idle\"");

    /* A gap that is only out of order: slot 3 is still being chosen. S2
     * asks, S1 does not know slot 3 either and sends nothing; the
     * heartbeat's re-sent Accept closes the gap. */
    propose(t, S1, "c");
    propose(t, S1, "d");
    drop(t, MS(MSG_ACCEPT, S1, -1, 3));
    settle(t);
    ck_assert(noted(t, "S2: catch-up: slot 4 is chosen but slot 3 is not learned here: ask S1"));
    ck_assert(noted(t, "S1: catch-up: S2 asks for the chosen values from slot 3: slot 3 is not "
                       "known chosen here either: nothing to send"));
    ck_field(t, S2, "applied", "[\"a\",\"b\"]");
    t->now = 100;
    fire(t, S1);
    settle(t);
    ck_field(t, S2, "applied", "[\"a\",\"b\",\"c\",\"d\"]");
    ck_field(t, S3, "applied", "[\"a\",\"b\",\"c\",\"d\"]");

    /* Basic Paxos: a Chosen without a value is no request. */
    struct net *b = net_new(3, 0);
    start_all(b);
    m.to = S1;
    inject(b, m);
    deliver(b, M(MSG_CHOSEN, S3, S1));
    ck_assert(noted(b, "Chosen from S3: nothing chosen yet: ignore"));
    ck_assert_int_eq(pending(b, M(-1, -1, -1)), 0);
    net_free(b);
    net_free(t);
}
END_TEST

START_TEST(test_multi_leader_steps_down_on_higher_ballot)
{
    struct net *t = multi_with_leader(3);
    fire(t, S2);
    ck_field(t, S2, "proposing", "\"2.S2\"");
    deliver(t, M(MSG_PREPARE, S2, S1));
    ck_field(t, S1, "phase", "\"idle\"");
    ck_assert(noted(t, "S1: sees ballot 2.S2 > its own 1.S1: step down from leadership"));
    ck_assert_int_ge(t->timer[S1], 0);
    propose(t, S1, "x");
    ck_assert_int_eq(t->client, CLIENT_REFUSED);
    ck_assert_int_eq(t->hint, S2);
    settle(t);
    ck_field(t, S2, "phase", "\"leader\"");
    crash(t, S2);
    ck_assert_int_eq(t->timer[S2], -1);
    ck_field(t, S2, "phase", "\"idle\"");
    net_free(t);
}
END_TEST

START_TEST(test_multi_nack_makes_leader_step_down)
{
    struct net *t = net_new(3, OPT_MULTI | OPT_NACK);
    start_all(t);
    fire(t, S1);
    settle(t);
    inject(t, prepare_msg(S3, S2, B(5, S3)));
    deliver(t, M(MSG_PREPARE, S3, S2));
    drop(t, M(-1, -1, -1));
    propose(t, S1, "x");
    deliver(t, M(MSG_ACCEPT, S1, S2));
    deliver(t, M(MSG_NACK, S2, S1));
    ck_field(t, S1, "phase", "\"idle\"");
    propose(t, S1, "y");
    ck_assert_int_eq(t->hint, S3);
    fire(t, S1);
    ck_field(t, S1, "proposing", "\"6.S1\"");
    net_free(t);
}
END_TEST

/* ---- Safety under any schedule: random delivery order, loss,
 * duplication, timeouts, proposals, crashes and restarts. The router
 * checks every step (see step()). */

static void catch_up_after(struct net *t);

static void random_run(unsigned options, uint64_t seed, int n_nodes, bool odd_roles, bool catch_up)
{
    struct net *t = net_new(n_nodes, options);
    struct prng r;
    prng_seed(&r, seed);
    if (odd_roles)
        for (int i = 0; i < n_nodes; i++) {
            t->cfg.proposer[i] = i < 2 || prng_chance(&r, 1, 2);
            t->cfg.acceptor[i] = i >= 1 || prng_chance(&r, 1, 2);
            t->cfg.learner[i] = i == n_nodes - 1 || prng_chance(&r, 1, 2);
        }
    start_all(t);
    for (int i = 0; i < 400; i++) {
        t->now += prng_range(&r, 0, 20);
        int k = (int)prng_range(&r, 0, 99);
        int node = (int)prng_range(&r, 0, n_nodes - 1);
        if (k < 70 && t->nq) {
            deliver_at(t, (size_t)prng_range(&r, 0, (int64_t)t->nq - 1));
        } else if (k < 74 && t->nq) {
            size_t j = (size_t)prng_range(&r, 0, (int64_t)t->nq - 1);
            msg_free(&t->q[j]);
            t->q[j] = t->q[--t->nq];
        } else if (k < 77 && t->nq) {
            struct msg copy = t->q[prng_range(&r, 0, (int64_t)t->nq - 1)];
            push(t, &copy);
        } else if (k < 82) {
            if (paxos_up(t->x[node]))
                fire(t, node);
        } else if (k < 93) {
            if (paxos_up(t->x[node]) && t->nvalues < 40) {
                char *v = t->values[t->nvalues++];
                v[0] = 'v';
                v[1] = (char)('0' + t->nvalues / 10);
                v[2] = (char)('0' + t->nvalues % 10);
                v[3] = '\0';
                propose(t, node, v);
            }
        } else if (k < 96) {
            if (paxos_up(t->x[node]))
                crash(t, node);
        } else if (!paxos_up(t->x[node])) {
            restart(t, node);
        }
        /* Clones are deep: stepping the original leaves them untouched. */
        if (i % 50 == 0) {
            struct paxos *c = paxos_clone(t->x[node]);
            paxos_free(t->x[node]);
            t->x[node] = c;
        }
    }
    for (int i = 0; i < n_nodes; i++)
        if (!paxos_up(t->x[i]))
            restart(t, i);
    settle(t);
    if (catch_up)
        catch_up_after(t);
    net_free(t);
}

/* After any run: S1 becomes leader, and its heartbeats bring every
 * learner's `applied` up to the highest slot chosen so far. */
static void catch_up_after(struct net *t)
{
    for (int i = 0; i < 1000 && paxos_phase_of(t->x[S1]) != PAXOS_LEADER; i++) {
        t->now += 300;
        fire(t, S1);
        settle(t);
    }
    ck_assert_int_eq(paxos_phase_of(t->x[S1]), PAXOS_LEADER);
    int64_t top = 0;
    for (int64_t s = 1; s < NSLOT; s++)
        if (chosen(t, s))
            top = s;
    for (int hb = 0; hb < 8; hb++) {
        t->now += 50;
        fire(t, S1);
        settle(t);
    }
    for (int i = 0; i < t->cfg.n_nodes; i++)
        if (t->cfg.learner[i])
            ck_assert_msg(t->next_apply[i] > top, "%s applied %lld slots of %lld chosen", names[i],
                          (long long)t->next_apply[i] - 1, (long long)top);
}

START_TEST(test_random_schedules_are_safe_basic)
{
    for (uint64_t seed = 1; seed <= 150; seed++) {
        random_run(0, seed, 3, false, false);
        random_run(OPT_NACK, seed, 5, seed % 2, false);
    }
}
END_TEST

START_TEST(test_random_schedules_are_safe_multi)
{
    for (uint64_t seed = 1; seed <= 150; seed++) {
        random_run(OPT_MULTI, seed, 3, false, false);
        random_run(OPT_MULTI | OPT_NACK, seed, 5, seed % 2, false);
    }
}
END_TEST

START_TEST(test_random_runs_catch_up)
{
    for (uint64_t seed = 1; seed <= 100; seed++) {
        random_run(OPT_MULTI, seed, 3, false, true);
        random_run(OPT_MULTI | OPT_NACK, seed, 5, seed % 2, true);
    }
}
END_TEST

static Suite *suite_paxos(void)
{
    Suite *s = suite_create("paxos");
    struct {
        const char *name;
        const TTest *tests[8];
    } cases[] = {
        {"P1", {test_P1_acceptor_accepts_first_proposal}},
        {"P1a",
         {test_P1a_promise_only_higher_ballot,
          test_P1a_promise_not_to_accept_less_than_n_noted_as_data,
          test_lower_ballot_refused_without_nack, test_lower_ballot_refused_with_nack}},
        {"P2", {test_chosen_value_stays_chosen_under_later_ballots}},
        {"P2a", {test_P2a_higher_accepted_proposals_have_chosen_value}},
        {"P2b", {test_P2b_accept_at_promise_or_higher, test_second_proposer_adopts_accepted_value}},
        {"P2c", {test_P2c_adopt_highest_accepted_value, test_P2c_own_value_when_none_accepted}},
        {"phase 1",
         {test_proposer_picks_round_above_seen, test_proposer_restart_never_reuses_ballot,
          test_acceptor_restart_keeps_promise, test_roles_separate}},
        {"phase 2",
         {test_minority_cannot_choose, test_dueling_proposers_livelock,
          test_retry_timer_and_manual_timeout}},
        {"learning",
         {test_learner_learns_from_majority_and_from_chosen, test_learner_counts_per_ballot,
          test_learned_is_volatile_and_relearned, test_fields_and_clone}},
        {"multi",
         {test_multi_refuses_proposal_at_non_leader_with_hint,
          test_multi_proposal_with_no_leader_runs_phase_1,
          test_multi_leader_change_reproposes_and_fills_noop, test_multi_applies_in_slot_order,
          test_multi_heartbeat_keeps_followers_and_resends,
          test_multi_leader_steps_down_on_higher_ballot, test_multi_nack_makes_leader_step_down,
          test_multi_restarted_leader_follows_new_leader}},
        {"catch-up",
         {test_multi_restarted_learner_catches_up, test_multi_catch_up_answers_only_what_is_known,
          test_random_runs_catch_up}},
        {"safety", {test_random_schedules_are_safe_basic, test_random_schedules_are_safe_multi}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        TCase *tc = tcase_create(cases[i].name);
        for (size_t j = 0; j < 8 && cases[i].tests[j]; j++)
            tcase_add_test(tc, cases[i].tests[j]);
        suite_add_tcase(s, tc);
    }
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(suite_paxos());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
