/* paxos: the engine's one entry point (paxos_step), its lifecycle (new,
 * clone, free, initial state, start, crash, restart), the accessors, and
 * the helpers the other paxos_*.c files share. */
#include <stdlib.h>
#include <string.h>

#include "paxos_internal.h"

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p)
        abort();
    return p;
}

static void *xmalloc(size_t size)
{
    void *p = malloc(size);
    if (!p)
        abort();
    return p;
}

static void volatile_init(struct paxos_volatile *v)
{
    memset(v, 0, sizeof *v);
    v->deadline = -1;
    v->leader = -1;
    cowvec_init(&v->prom, sizeof(struct paxos_accepted));
    cowvec_init(&v->props, sizeof(struct paxos_prop));
    cowvec_init(&v->learned, sizeof(const char *));
    cowvec_init(&v->queued, sizeof(const char *));
}

static void volatile_free(struct paxos_volatile *v)
{
    cowvec_free(&v->prom);
    cowvec_free(&v->props);
    cowvec_free(&v->learned);
    cowvec_free(&v->queued);
    free(v->tally);
    volatile_init(v);
}

struct paxos *paxos_new(int self)
{
    struct paxos *x = xcalloc(1, sizeof *x);
    x->self = self;
    cowvec_init(&x->p.accepted, sizeof(struct paxos_accepted));
    x->v = xcalloc(1, sizeof *x->v);
    volatile_init(x->v);
    return x;
}

void paxos_free(struct paxos *x)
{
    if (!x)
        return;
    cowvec_free(&x->p.accepted);
    volatile_free(x->v);
    free(x->v);
    free(x);
}

struct paxos *paxos_clone(const struct paxos *x)
{
    struct paxos *y = xcalloc(1, sizeof *y);
    y->self = x->self;
    y->p = x->p;
    cowvec_clone(&y->p.accepted, &x->p.accepted);
    /* Every byte is copied next: no need for calloc's zeroing (this is
     * the explorer's hot path). */
    y->v = xmalloc(sizeof *y->v);
    *y->v = *x->v;
    cowvec_clone(&y->v->prom, &x->v->prom);
    cowvec_clone(&y->v->props, &x->v->props);
    cowvec_clone(&y->v->learned, &x->v->learned);
    cowvec_clone(&y->v->queued, &x->v->queued);
    y->v->tally = NULL;
    y->v->cap_tally = x->v->n_tally;
    if (x->v->n_tally) {
        y->v->tally = xcalloc(x->v->n_tally, sizeof *y->v->tally);
        memcpy(y->v->tally, x->v->tally, x->v->n_tally * sizeof *y->v->tally);
    }
    return y;
}

int paxos_set_initial(struct paxos *x, struct ballot promised, const int64_t *slots,
                      const struct paxos_accepted *acc, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (slots[i] < 1 || slots[i] > PAXOS_MAX_SLOT || acc[i].ballot.round < 1 || !acc[i].value ||
            ballot_cmp(acc[i].ballot, promised) > 0)
            return -1;
    x->p.promised = promised;
    cowvec_free(&x->p.accepted);
    int64_t top = promised.round;
    for (size_t i = 0; i < n; i++) {
        struct paxos_accepted *a = paxos_slot_mut(&x->p.accepted, slots[i]);
        *a = acc[i];
        if (acc[i].ballot.node == x->self && acc[i].ballot.round > top)
            top = acc[i].ballot.round;
    }
    /* Its own ballots found in its own state were used before: never again. */
    if (top > x->p.max_round)
        x->p.max_round = top;
    return 0;
}

/* Helpers shared by the paxos_*.c files. */

bool paxos_multi(const struct paxos_ctx *c)
{
    return (c->cfg->options[c->x->self] & OPT_MULTI) != 0;
}

int paxos_acceptors(const struct proto_config *cfg)
{
    int n = 0;
    for (int i = 0; i < cfg->n_nodes; i++)
        n += cfg->acceptor[i];
    return n;
}

int paxos_majority(const struct proto_config *cfg)
{
    return paxos_acceptors(cfg) / 2 + 1;
}

int paxos_count(unsigned bits)
{
    int n = 0;
    for (; bits; bits &= bits - 1)
        n++;
    return n;
}

const char *paxos_name(const struct paxos_ctx *c, int node)
{
    return node >= 0 && node < c->cfg->n_nodes ? c->cfg->names[node] : "?";
}

struct note_arg paxos_local(const struct paxos_ctx *c, const struct msg *m)
{
    return note_phrase(m->from == c->x->self ? NOTE_PAXOS_LOCAL : NOTE_NONE);
}

struct note_arg paxos_where(const struct paxos_ctx *c)
{
    return note_phrase(paxos_multi(c) ? NOTE_PAXOS_FOR_SLOT : NOTE_NONE);
}

struct msg *paxos_send(struct paxos_ctx *c, enum msg_type type, int to)
{
    if (to != c->x->self)
        return proto_send(c->out, type, c->x->self, to);
    if (c->n_local == c->cap_local) {
        c->cap_local = c->cap_local ? c->cap_local * 2 : 8;
        struct msg *q = realloc(c->local, c->cap_local * sizeof *q);
        if (!q)
            abort();
        c->local = q;
    }
    struct msg *m = &c->local[c->n_local++];
    memset(m, 0, sizeof *m);
    m->type = type;
    m->from = m->to = c->x->self;
    return m;
}

void paxos_retry_timer(struct paxos_ctx *c)
{
    c->v->deadline = c->in->now + proto_draw_timeout(c->cfg, c->x->self, c->in->rng);
}

void paxos_proposer_reset(struct paxos_ctx *c)
{
    struct paxos_volatile *v = c->v;
    v->phase = PAXOS_IDLE;
    v->ballot = (struct ballot){0, 0};
    v->promises = 0;
    cowvec_free(&v->prom);
    cowvec_free(&v->props);
    v->next_slot = v->resend_from = 0;
}

void paxos_saw_ballot(struct paxos_ctx *c, struct ballot b)
{
    struct paxos_volatile *v = c->v;
    if (b.round > v->seen_round)
        v->seen_round = b.round;
    if (!paxos_multi(c) || b.round < 1 || b.node < 0 || b.node >= c->cfg->n_nodes)
        return;
    /* Its own ballot names it leader only while it runs that ballot (an
     * old one of its own, still in flight after a restart, does not). */
    bool own = b.node == c->x->self;
    if (ballot_cmp(b, v->leader_ballot) > 0 &&
        (!own || (v->phase != PAXOS_IDLE && ballot_cmp(b, v->ballot) == 0))) {
        v->leader_ballot = b;
        v->leader = b.node;
    }
    if (v->phase != PAXOS_IDLE && !own && ballot_cmp(b, v->ballot) > 0)
        paxos_multi_step_down(c, b);
}

const void *paxos_slot_at(const struct cowvec *vec, int64_t slot)
{
    if (slot < 1 || (size_t)slot > vec->len)
        return NULL;
    return cowvec_at(vec, (size_t)slot - 1);
}

void *paxos_slot_mut(struct cowvec *vec, int64_t slot)
{
    if ((size_t)slot > vec->len)
        cowvec_resize_zero(vec, (size_t)slot);
    return cowvec_mut(vec, (size_t)slot - 1);
}

const char *paxos_learned_get(const struct paxos_volatile *v, int64_t slot)
{
    const char *const *l = paxos_slot_at(&v->learned, slot);
    return l ? *l : NULL;
}

/* Slot 0 (a field left out of an injected message) means slot 1 in Basic
 * Paxos, where there is only one slot. */
static int64_t norm_slot(const struct paxos_ctx *c, int64_t slot)
{
    return slot < 1 && !paxos_multi(c) ? 1 : slot;
}

static bool slot_ok(struct paxos_ctx *c, const struct msg *m, int64_t slot)
{
    if (slot >= 1 && slot <= PAXOS_MAX_SLOT)
        return true;
    proto_note(c->out, NOTE_PAXOS_SLOT_OUT_OF_RANGE, note_msgtype(m->type), note_node(m->from),
               note_int(slot), note_int(PAXOS_MAX_SLOT));
    return false;
}

static void paxos_dispatch(struct paxos_ctx *c, const struct msg *m)
{
    if (m->from < 0 || m->from >= c->cfg->n_nodes) {
        proto_note(c->out, NOTE_PAXOS_UNKNOWN_SENDER, note_msgtype(m->type));
        return;
    }
    /* A normalised copy, so handlers can read slots directly. */
    struct msg n = *m;
    switch (m->type) {
    case MSG_PREPARE:
        if (n.u.prepare.slot < 1)
            n.u.prepare.slot = 1; /* one Prepare covers every slot from it on */
        if (!slot_ok(c, m, n.u.prepare.slot))
            return;
        paxos_acceptor_prepare(c, &n);
        break;
    case MSG_PROMISE:
        n.u.promise.slot = n.u.promise.slot < 1 ? 1 : n.u.promise.slot;
        paxos_proposer_promise(c, &n);
        break;
    case MSG_ACCEPT:
        n.u.accept.slot = norm_slot(c, n.u.accept.slot);
        if (!slot_ok(c, m, n.u.accept.slot))
            return;
        paxos_acceptor_accept(c, &n);
        break;
    case MSG_ACCEPTED:
        n.u.accept.slot = norm_slot(c, n.u.accept.slot);
        if (!slot_ok(c, m, n.u.accept.slot))
            return;
        paxos_saw_ballot(c, n.u.accept.ballot);
        paxos_learner_accepted(c, &n);
        paxos_proposer_accepted(c, &n);
        break;
    case MSG_NACK:
        paxos_proposer_nack(c, &n);
        break;
    case MSG_CHOSEN:
        n.u.chosen.slot = norm_slot(c, n.u.chosen.slot);
        if (n.u.chosen.slot != 0 && !slot_ok(c, m, n.u.chosen.slot))
            return;
        paxos_learner_chosen(c, &n);
        break;
    default:
        proto_note(c->out, NOTE_PAXOS_NOT_PAXOS, note_msgtype(m->type));
        break;
    }
}

/* Bug switches volatile_promise (the acceptor kept its promise and what it
 * accepted in memory only) and reuse_ballot (the proposer its round):
 * a restart forgets them, though "Paxos Made Simple" has them on stable
 * storage. */
static void forget_on_restart(struct paxos_ctx *c)
{
    struct paxos *x = c->x;
    if (paxos_bug(c, BUG_VOLATILE_PROMISE) && (x->p.promised.round > 0 || x->p.accepted.len > 0)) {
        proto_note(c->out, NOTE_PAXOS_BUG_PROMISE_FORGOTTEN, note_node(x->self),
                   note_ballot(x->p.promised));
        x->p.promised = (struct ballot){0, 0};
        cowvec_free(&x->p.accepted);
        c->out->persisted = true;
    }
    if (paxos_bug(c, BUG_REUSE_BALLOT) && x->p.max_round > 0) {
        proto_note(c->out, NOTE_PAXOS_BUG_ROUND_FORGOTTEN, note_node(x->self),
                   note_int(x->p.max_round));
        x->p.max_round = 0;
        c->out->persisted = true;
    }
}

/* Volatile state from persistent state alone: up, idle, and in Multi-Paxos
 * the leader it last promised to. */
static void boot(struct paxos_ctx *c, int why)
{
    struct paxos *x = c->x;
    struct paxos_volatile *v = c->v;
    volatile_free(v);
    v->up = true;
    if (why == NOTE_PAXOS_WHY_RESTART)
        forget_on_restart(c);
    v->seen_round = paxos_bug(c, BUG_REUSE_BALLOT) ? 0 : x->p.promised.round;
    /* The leader it believes in: the one it promised, unless that was
     * itself (a restarted node leads nothing). */
    if (paxos_multi(c) && x->p.promised.round > 0) {
        v->leader_ballot = x->p.promised;
        if (x->p.promised.node != x->self)
            v->leader = x->p.promised.node;
    }
    if (paxos_multi(c) && c->cfg->proposer[x->self]) {
        paxos_retry_timer(c);
        proto_note(c->out, NOTE_PAXOS_IDLE_RETRY_TIMER, note_phrase(why));
    } else {
        proto_note(c->out,
                   c->cfg->proposer[x->self] && !paxos_multi(c) ? NOTE_PAXOS_IDLE_NO_TIMER
                                                                : NOTE_PAXOS_IDLE,
                   note_phrase(why));
    }
}

static void crash(struct paxos_ctx *c)
{
    if (!c->v->up) {
        proto_note0(c->out, NOTE_PAXOS_ALREADY_DOWN);
        return;
    }
    volatile_free(c->v);
    proto_note0(c->out, NOTE_PAXOS_CRASH);
}

void paxos_step(struct paxos *x, const struct proto_in *in, struct proto_out *out)
{
    struct paxos_ctx c = {.x = x, .v = x->v, .in = in, .cfg = in->cfg, .out = out};
    struct paxos_volatile *v = x->v;
    switch (in->kind) {
    case IN_START:
        boot(&c, NOTE_PAXOS_WHY_START);
        break;
    case IN_RESTART:
        if (v->up)
            proto_note0(out, NOTE_PAXOS_ALREADY_UP);
        else
            boot(&c, NOTE_PAXOS_WHY_RESTART);
        break;
    case IN_CRASH:
        crash(&c);
        break;
    case IN_SNAPSHOT: /* Raft only */
        break;
    case IN_TIMER:
        if (v->up)
            paxos_proposer_timer(&c);
        else
            proto_note0(out, NOTE_PAXOS_DOWN_TIMER);
        break;
    case IN_CLIENT:
        if (v->up) {
            paxos_proposer_client(&c);
        } else {
            out->client = CLIENT_DOWN;
            proto_note0(out, NOTE_PAXOS_DOWN_CLIENT);
        }
        break;
    case IN_MESSAGE:
        if (v->up && in->msg)
            paxos_dispatch(&c, in->msg);
        break;
    case IN_READ:
    case IN_TRANSFER:
        break; /* Raft's inputs: a Paxos lesson cannot name them */
    }
    /* Messages to itself, in the order sent, and the ones they cause. */
    while (c.head_local < c.n_local) {
        struct msg m = c.local[c.head_local++];
        if (v->up)
            paxos_dispatch(&c, &m);
        msg_free(&m);
    }
    free(c.local);
    out->timer = v->up ? v->deadline : -1;
}

bool paxos_up(const struct paxos *x)
{
    return x->v->up;
}

enum paxos_phase paxos_phase_of(const struct paxos *x)
{
    return x->v->phase;
}

const struct paxos_accepted *paxos_accepted_at(const struct paxos *x, int64_t slot)
{
    const struct paxos_accepted *a = paxos_slot_at(&x->p.accepted, slot);
    return a && a->ballot.round > 0 ? a : NULL;
}

const char *paxos_learned_at(const struct paxos *x, int64_t slot)
{
    return paxos_learned_get(x->v, slot);
}

int64_t paxos_max_slot(const struct paxos *x)
{
    size_t n = x->p.accepted.len;
    if (x->v->learned.len > n)
        n = x->v->learned.len;
    if (x->v->props.len > n)
        n = x->v->props.len;
    return (int64_t)n;
}

const char *paxos_phase_name(enum paxos_phase p)
{
    switch (p) {
    case PAXOS_IDLE:
        return "idle";
    case PAXOS_PREPARE:
        return "prepare";
    case PAXOS_ACCEPT:
        return "accept";
    case PAXOS_LEADER:
        return "leader";
    }
    return "?";
}
