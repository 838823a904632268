/* explore: the breadth-first search over schedules and its shrinking
 * (explore.h). */
#include "explore.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "explore_requests.h"
#include "facts.h"
#include "protocols/hash.h"
#include "protocols/prng.h"

void explore_bounds_default(struct explore_bounds *b)
{
    *b = (struct explore_bounds){.depth = 20,
                                 .max_drops = 2,
                                 .max_duplicates = 0,
                                 .max_crashes = 1,
                                 .timeouts = true,
                                 .max_states = 1000000,
                                 .walk_depth = 200,
                                 .walk_seed = 1};
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        abort();
    return q;
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

bool explore_target(const struct sim *s, const struct fact *until)
{
    return until ? fact_holds(s, until, NULL) : s->mon.violated;
}

/* What a schedule has used of its bounds (part of the state: the same
 * cluster with more drops left can go further). */
struct budget {
    uint8_t drops, dups, crashes;
    uint16_t used; /* requests sent, bit per request */
};

static uint64_t node_hash(const struct sim *s, int i)
{
    const void *n = s->nodes[i].engine;
    return hash_mix(s->ops->protocol == PROTO_RAFT ? raft_hash(n) : paxos_hash(n),
                    s->nodes[i].timer >= 0);
}

/* The fingerprint of a state from its node hashes, the multiset sum of
 * its messages and its budget. */
static uint64_t combine(const uint64_t *nodes, int n, uint64_t msgs, struct budget u)
{
    /* A polynomial in the parts (Horner, an odd multiplier), mixed once:
     * the parts are hashes already, and a mix per part was a tenth of
     * the search's instructions (the memo tells most fingerprints). */
    const uint64_t k = 0x9e3779b97f4a7c15ULL;
    uint64_t h = (uint64_t)u.drops | (uint64_t)u.dups << 8 | (uint64_t)u.crashes << 16 |
                 (uint64_t)u.used << 24;
    for (int i = 0; i < n; i++)
        h = h * k + nodes[i];
    h = hash_mix(h * k + msgs, (uint64_t)n);
    return h ? h : 1;
}

static uint64_t msg_term(const struct sim_msg *m)
{
    return hash_mix(7, hash_msg(&m->m));
}

/* Every node's state, which timers are set, and the multiset of messages
 * in flight (a commutative sum, so send order does not matter). */
static uint64_t fingerprint(const struct sim *s, struct budget u)
{
    uint64_t nodes[PROTO_MAX_NODES], msgs = 0;
    for (int i = 0; i < s->cfg.n_nodes; i++)
        nodes[i] = node_hash(s, i);
    for (size_t i = 0; i < s->n_pending; i++)
        msgs += msg_term(&s->pending[i]);
    return combine(nodes, s->cfg.n_nodes, msgs, u);
}

/* A parent's hashes, so that a child's fingerprint costs only what the
 * operation changed: one operation steps one node at most, removes
 * messages of the parent (kept in id order) and sends new ones (ids from
 * the parent's next id on). */
struct parent_hashes {
    uint64_t nodes[PROTO_MAX_NODES];
    uint64_t msgs;  /* the multiset sum */
    uint64_t *each; /* per pending message, in the parent's order */
    size_t cap;
};

static void each_room(struct parent_hashes *ph, size_t n)
{
    if (ph->cap < n) {
        ph->cap = n + 16;
        ph->each = xrealloc(ph->each, ph->cap * sizeof *ph->each);
    }
}

static void parent_hashes_of(struct parent_hashes *ph, const struct sim *p)
{
    for (int i = 0; i < p->cfg.n_nodes; i++)
        ph->nodes[i] = node_hash(p, i);
    each_room(ph, p->n_pending);
    ph->msgs = 0;
    for (size_t i = 0; i < p->n_pending; i++)
        ph->msgs += ph->each[i] = msg_term(&p->pending[i]);
}

/* What an operation made of the node it stepped and of the network: the
 * node's new hash and the multiset sum of the messages it sent. */
struct step_hashes {
    uint64_t node, sent;
};

/* sh (may be NULL) gets the step's hashes. */
/* d becomes the hashes of c, made from p by an operation that stepped
 * node touched (or none), given p's hashes ph: one node hash and the new
 * messages' hashes, not every node's and every message's again. */
static void parent_hashes_step(struct parent_hashes *d, const struct parent_hashes *ph,
                               const struct sim *p, const struct sim *c, int touched)
{
    memcpy(d->nodes, ph->nodes, sizeof d->nodes);
    if (touched >= 0)
        d->nodes[touched] = node_hash(c, touched);
    each_room(d, c->n_pending);
    d->msgs = 0;
    size_t k = 0;
    for (size_t i = 0; i < p->n_pending; i++)
        if (k < c->n_pending && c->pending[k].id == p->pending[i].id)
            d->msgs += d->each[k++] = ph->each[i];
    for (; k < c->n_pending; k++)
        d->msgs += d->each[k] = msg_term(&c->pending[k]);
}

/* dst becomes a copy of src. */
static void parent_hashes_copy(struct parent_hashes *dst, const struct parent_hashes *src,
                               size_t n_pending)
{
    memcpy(dst->nodes, src->nodes, sizeof dst->nodes);
    dst->msgs = src->msgs;
    each_room(dst, n_pending);
    if (n_pending) /* memcpy of nothing may still not be given a null pointer */
        memcpy(dst->each, src->each, n_pending * sizeof *dst->each);
}

static uint64_t child_fingerprint(const struct parent_hashes *ph, const struct sim *p,
                                  const struct sim *c, int touched, struct budget u,
                                  struct step_hashes *sh)
{
    uint64_t nodes[PROTO_MAX_NODES];
    memcpy(nodes, ph->nodes, sizeof nodes);
    if (touched >= 0)
        nodes[touched] = node_hash(c, touched);
    uint64_t msgs = ph->msgs, sent = 0;
    size_t k = 0;
    for (size_t i = 0; i < p->n_pending; i++) {
        if (k < c->n_pending && c->pending[k].id == p->pending[i].id)
            k++;
        else
            msgs -= ph->each[i];
    }
    for (; k < c->n_pending; k++)
        sent += msg_term(&c->pending[k]);
    if (sh) {
        sh->node = touched >= 0 ? nodes[touched] : 0;
        sh->sent = sent;
    }
    return combine(nodes, c->cfg.n_nodes, msgs + sent, u);
}

/* A memo of steps by hashes, so that a successor that turns out to be a
 * state already seen (most of them: Raft's bench makes 3.2 transitions
 * per state) costs no clone and no step (a drop, which steps nothing, is
 * told at once). A node's step (a delivery, a timeout, a crash, a
 * restart, a request) is a function of its state (its hash, which names
 * the node) and of the message or command, nothing else of the cluster:
 * the same step from the same node state gives the same node hash and
 * sends the same messages (where it is not, the memo is off: memo_sound).
 * Direct-mapped, overwritten in search order: deterministic. A hit only
 * answers "already seen"; a fresh successor is always built and checked. */
#define MEMO_SLOTS (1u << 18)
/* -DEXPLORE_MEMO_CHECK=1: every hit is also stepped and compared, and a
 * difference aborts (the test of the claim above; run it on the lab and
 * the bench after changing what a step reads or what a hash covers). */
#ifndef EXPLORE_MEMO_CHECK
#define EXPLORE_MEMO_CHECK 0
#endif

struct memo_slot {
    uint64_t key;
    struct step_hashes v;
};

static uint64_t memo_key(const struct parent_hashes *ph, int touched, enum sim_op_kind kind,
                         uint64_t msg)
{
    uint64_t k = hash_mix(hash_mix(ph->nodes[touched], (uint64_t)kind), msg);
    return k ? k : 1;
}

/* Whether a step is a function of the hashes (above) in this cluster.
 * Not with a lossy or duplicating network (its draws depend on the
 * cluster's random state); not with leader stickiness (§4.2.3: a vote
 * depends on when the node last heard from a leader, a time the hash
 * leaves out) nor a catch-up of new servers (§4.2.1: its rounds end at
 * times). EXPLORE_MEMO_CHECK found the stickiness case. */
static bool memo_sound(const struct sim *s)
{
    if (s->net.loss_ppb || s->net.duplicate_ppb || s->cfg.catch_up_rounds)
        return false;
    for (int i = 0; i < s->cfg.n_nodes; i++)
        if (s->cfg.options[i] & OPT_LEADER_STICKINESS)
            return false;
    return true;
}

/* The operations the memo knows: one node's step (sim_apply's node_step),
 * from its state and the operation's content alone. */
static bool memo_kind(enum sim_op_kind k)
{
    return k == OP_DELIVER || k == OP_TIMEOUT || k == OP_CRASH || k == OP_RESTART || k == OP_CLIENT;
}

/* The pending index of message id, or -1. */
static long pending_index(const struct sim *s, uint64_t id)
{
    for (size_t i = 0; i < s->n_pending; i++)
        if (s->pending[i].id == id)
            return (long)i;
    return -1;
}

/* The node an operation steps (its engine is the only one it changes), or
 * -1 for none (drop, duplicate). */
static int touched_node(const struct sim *s, const struct sim_op *op)
{
    if (op->kind == OP_DROP || op->kind == OP_DUPLICATE)
        return -1;
    if (op->kind == OP_DELIVER) {
        const struct sim_msg *m = sim_find_msg(s, op->msg_id);
        return m ? m->m.to : -1;
    }
    return op->node;
}

/* A successor built in place, for one operation: a copy of the parent
 * whose engines are shared with it except the one the operation steps
 * (cloned), with the monitors copied; its pending array and step output
 * are reused from child to child. The messages in flight are the
 * parent's, borrowed (a bitwise copy): of the operations the search
 * makes only a delivery or a drop frees one, the one it names, which is
 * cloned first (and owned by the child, like what the step sends, ids
 * above the parent's). This is the hot path: a full sim_clone per
 * successor spends most of its time in malloc. */
struct child_buf {
    struct sim s;
    struct sim_msg *pending;
    size_t cap;
    struct proto_out out;
    uint64_t borrowed_to; /* the parent's last message id */
    int touched;          /* the engine it owns, or -1 */
    bool live;            /* made and not yet released */
};

/* Whether the search's operation of this kind frees only the message it
 * names (or none): the others get a copy of every message. */
static bool borrows_messages(enum sim_op_kind k)
{
    return k == OP_DELIVER || k == OP_DROP || k == OP_DUPLICATE || k == OP_TIMEOUT ||
           k == OP_CRASH || k == OP_RESTART || k == OP_CLIENT;
}

static struct sim *child_make(struct child_buf *b, const struct sim *p, const struct sim_op *op,
                              int touched)
{
    /* All but the monitors, which monitor_clone copies below. */
    size_t mon_at = offsetof(struct sim, mon), mon_end = mon_at + sizeof p->mon;
    memcpy(&b->s, p, mon_at);
    memcpy((char *)&b->s + mon_end, (const char *)p + mon_end, sizeof *p - mon_end);
    b->s.feed = NULL;
    b->s.out = b->out;
    if (b->cap < p->n_pending + 1) {
        b->cap = p->n_pending + 16;
        b->pending = xrealloc(b->pending, b->cap * sizeof *b->pending);
    }
    if (p->n_pending)
        memcpy(b->pending, p->pending, p->n_pending * sizeof *b->pending);
    bool borrow = borrows_messages(op->kind);
    b->borrowed_to = borrow ? p->next_msg_id : 0;
    for (size_t i = 0; i < p->n_pending; i++)
        if (!borrow ||
            ((op->kind == OP_DELIVER || op->kind == OP_DROP) && p->pending[i].id == op->msg_id))
            msg_clone(&b->pending[i].m, &p->pending[i].m);
    b->s.pending = b->pending;
    b->s.cap_pending = b->cap;
    if (touched >= 0)
        b->s.nodes[touched].engine = p->ops->clone(p->nodes[touched].engine);
    b->touched = touched;
    b->live = true;
    monitor_clone(&b->s.mon, &p->mon);
    return &b->s;
}

/* Frees what the child owns; reads nothing it borrowed (its parent may
 * be gone by now: see rebuild). */
static void child_release(struct child_buf *b)
{
    struct sim *c = &b->s;
    b->live = false;
    if (b->touched >= 0)
        c->ops->destroy(c->nodes[b->touched].engine);
    for (size_t i = 0; i < c->n_pending; i++)
        if (c->pending[i].id > b->borrowed_to)
            msg_free(&c->pending[i].m);
    b->pending = c->pending;
    b->cap = c->cap_pending;
    b->out = c->out;
    monitor_free(&c->mon);
}

/* An open-addressing set of fingerprints (0 is the empty slot). */
struct fpset {
    uint64_t *slot;
    size_t cap, n;
};

static bool fpset_has(const struct fpset *f, uint64_t fp)
{
    if (!f->cap)
        return false;
    for (size_t k = fp & (f->cap - 1);; k = (k + 1) & (f->cap - 1)) {
        if (f->slot[k] == fp)
            return true;
        if (!f->slot[k])
            return false;
    }
}

static bool fpset_add(struct fpset *f, uint64_t fp)
{
    if ((f->n + 1) * 2 > f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 1u << 16;
        uint64_t *slot = calloc(cap, sizeof *slot);
        if (!slot)
            abort();
        for (size_t i = 0; i < f->cap; i++)
            if (f->slot[i])
                for (size_t k = f->slot[i] & (cap - 1);; k = (k + 1) & (cap - 1))
                    if (!slot[k]) {
                        slot[k] = f->slot[i];
                        break;
                    }
        free(f->slot);
        f->slot = slot;
        f->cap = cap;
    }
    for (size_t k = fp & (f->cap - 1);; k = (k + 1) & (f->cap - 1)) {
        if (f->slot[k] == fp)
            return false;
        if (!f->slot[k]) {
            f->slot[k] = fp;
            f->n++;
            return true;
        }
    }
}

/* A compact edge: how a state was first reached from its parent. */
struct edge {
    uint32_t parent;
    uint8_t kind;
    int8_t node;
    uint16_t request;
    uint64_t msg_id;
};

/* A state waiting to be expanded: only its edge; the cluster itself is
 * rebuilt when it is expanded (see rebuild), so the frontier costs a few
 * bytes per state, not a cluster each. */
struct item {
    uint32_t id;
    struct budget u;
    int depth;
};

struct search {
    const struct explore_bounds *b;
    struct fpset seen;
    struct edge *edges;
    size_t n_edges, cap_edges;
    struct item *queue;
    size_t head, n_queue, cap_queue;
    /* rebuild's cache: per depth, the last cluster rebuilt there and its
     * edge. Breadth-first order expands siblings one after another, so a
     * rebuild is one operation from the cached parent, on a child built
     * like a successor (child_make): it borrows the parent's other engines
     * and its messages. A cached cluster outlives its parent only when
     * that parent was replaced on the way to rebuilding it, which then
     * replaces it too: it is released, never read. */
    const struct sim *start;
    struct child_buf *cache;
    uint32_t *cache_id;
    struct parent_hashes *cache_hashes; /* per depth, the cached cluster's */
    struct sim_op op0;                  /* sim_op_make(OP_EVENT, -1), copied per successor */
};

static struct sim_op edge_op(const struct search *x, const struct edge *e)
{
    if (explore_is_request((enum sim_op_kind)e->kind))
        return explore_request_op(&x->b->requests[e->request]);
    struct sim_op op = sim_op_make((enum sim_op_kind)e->kind, e->node);
    op.msg_id = e->msg_id;
    return op;
}

/* The cluster at edge id (depth levels below the start), rebuilt from the
 * nearest cached ancestor. Owned by the cache. */
static const struct sim *rebuild(struct search *x, uint32_t id, int depth)
{
    if (depth == 0)
        return x->start;
    struct child_buf *b = &x->cache[depth];
    if (b->live && x->cache_id[depth] == id)
        return &b->s;
    const struct sim *parent = rebuild(x, x->edges[id].parent, depth - 1);
    struct sim_op op = edge_op(x, &x->edges[id]);
    if (b->live)
        child_release(b);
    int touched = touched_node(parent, &op);
    struct sim *s = child_make(b, parent, &op, touched);
    struct sim_result res;
    sim_apply(s, &op, &res);
    x->cache_id[depth] = id;
    parent_hashes_step(&x->cache_hashes[depth], &x->cache_hashes[depth - 1], parent, s, touched);
    return s;
}

static uint32_t add_edge(struct search *x, struct edge e)
{
    if (x->n_edges == x->cap_edges) {
        x->cap_edges = x->cap_edges ? x->cap_edges * 2 : 4096;
        x->edges = xrealloc(x->edges, x->cap_edges * sizeof *x->edges);
    }
    x->edges[x->n_edges] = e;
    return (uint32_t)x->n_edges++;
}

static void enqueue(struct search *x, struct item it)
{
    if (x->n_queue == x->cap_queue) {
        if (x->head > x->n_queue / 2) {
            memmove(x->queue, x->queue + x->head, (x->n_queue - x->head) * sizeof *x->queue);
            x->n_queue -= x->head;
            x->head = 0;
        } else {
            x->cap_queue = x->cap_queue ? x->cap_queue * 2 : 1024;
            x->queue = xrealloc(x->queue, x->cap_queue * sizeof *x->queue);
        }
    }
    x->queue[x->n_queue++] = it;
}

/* The successors' operations of one state, within the bounds. */
struct cand {
    struct sim_op op;
    struct budget u;
    uint16_t request;
};

static bool same_as_earlier(const uint64_t *each, size_t i)
{
    for (size_t j = 0; j < i; j++)
        if (each[j] == each[i])
            return true;
    return false;
}

/* each: the pending messages' hashes. Of messages with the same content
 * only the first is delivered, dropped or duplicated: the others lead to
 * the same states. */
static size_t successors(const struct search *x, const struct sim *s, const struct item *it,
                         const uint64_t *each, struct cand **out, size_t *cap)
{
    const struct explore_bounds *b = x->b;
    size_t n = 0;
#define PUSH(k, nd, id, uu, rq)                                                                    \
    do {                                                                                           \
        if (n == *cap) {                                                                           \
            *cap = *cap ? *cap * 2 : 64;                                                           \
            *out = xrealloc(*out, *cap * sizeof **out);                                            \
        }                                                                                          \
        (*out)[n].op = x->op0; /* sim_op_make((k), (nd)), without the call */                      \
        (*out)[n].op.kind = (k);                                                                   \
        (*out)[n].op.node = (nd);                                                                  \
        (*out)[n].op.msg_id = (id);                                                                \
        (*out)[n].u = (uu);                                                                        \
        (*out)[n].request = (rq);                                                                  \
        n++;                                                                                       \
    } while (0)
    for (size_t i = 0; i < s->n_pending; i++) {
        if (same_as_earlier(each, i))
            continue;
        uint64_t id = s->pending[i].id;
        PUSH(OP_DELIVER, -1, id, it->u, 0);
        if (it->u.drops < b->max_drops) {
            struct budget u = it->u;
            u.drops++;
            PUSH(OP_DROP, -1, id, u, 0);
        }
        if (it->u.dups < b->max_duplicates) {
            struct budget u = it->u;
            u.dups++;
            PUSH(OP_DUPLICATE, -1, id, u, 0);
        }
    }
    for (int i = 0; i < s->cfg.n_nodes; i++) {
        bool up = sim_node_up(s, i);
        if (up && b->timeouts && s->nodes[i].timer >= 0)
            PUSH(OP_TIMEOUT, i, 0, it->u, 0);
        if (up && it->u.crashes < b->max_crashes) {
            struct budget u = it->u;
            u.crashes++;
            PUSH(OP_CRASH, i, 0, u, 0);
        }
        if (!up)
            PUSH(OP_RESTART, i, 0, it->u, 0);
    }
    for (size_t j = 0; j < b->n_requests && j < 16; j++) {
        if (it->u.used & (1u << j))
            continue;
        struct budget u = it->u;
        u.used |= (uint16_t)(1u << j);
        PUSH(OP_CLIENT, b->requests[j].node, 0, u, (uint16_t)j);
        (*out)[n - 1].op = explore_request_op(&b->requests[j]);
    }
#undef PUSH
    return n;
}

static void event_free(struct explore_event *e)
{
    if (e->kind == OP_DELIVER || e->kind == OP_DROP || e->kind == OP_DUPLICATE)
        msg_free(&e->m);
}

static void events_free(struct explore_event *ev, size_t n)
{
    for (size_t i = 0; i < n; i++)
        event_free(&ev[i]);
    free(ev);
}

/* The schedule to edge `id` as events by content, replayed from start. */
static struct explore_event *path_events(const struct search *x, const struct sim *start,
                                         uint32_t id, size_t *n_out)
{
    size_t n = 0;
    for (uint32_t k = id; k != 0; k = x->edges[k].parent)
        n++;
    uint32_t *chain = xrealloc(NULL, n * sizeof *chain);
    size_t i = n;
    for (uint32_t k = id; k != 0; k = x->edges[k].parent)
        chain[--i] = k;
    struct explore_event *ev = calloc(n ? n : 1, sizeof *ev);
    if (!ev)
        abort();
    struct sim *s = sim_clone(start);
    for (i = 0; i < n; i++) {
        const struct edge *e = &x->edges[chain[i]];
        struct sim_op op = edge_op(x, e);
        ev[i].kind = op.kind;
        ev[i].node = e->node;
        ev[i].text = op.text;
        ev[i].server = op.to;
        if (op.kind == OP_DELIVER || op.kind == OP_DROP || op.kind == OP_DUPLICATE)
            msg_clone(&ev[i].m, &sim_find_msg(s, e->msg_id)->m);
        struct sim_result res;
        sim_apply(s, &op, &res);
    }
    sim_free(s);
    free(chain);
    *n_out = n;
    return ev;
}

size_t explore_replay(struct sim *s, const struct explore_event *ev, size_t n,
                      const struct fact *until, bool *reached)
{
    if (reached)
        *reached = false;
    for (size_t i = 0; i < n; i++) {
        const struct explore_event *e = &ev[i];
        struct sim_op op = sim_op_make(e->kind, e->node);
        switch (e->kind) {
        case OP_DELIVER:
        case OP_DROP:
        case OP_DUPLICATE: {
            uint64_t want = hash_msg(&e->m);
            size_t k = 0;
            while (k < s->n_pending && hash_msg(&s->pending[k].m) != want)
                k++;
            if (k == s->n_pending)
                return i;
            op.msg_id = s->pending[k].id;
            break;
        }
        case OP_TIMEOUT:
        case OP_CRASH:
            if (!sim_node_up(s, e->node))
                return i;
            break;
        case OP_RESTART:
            if (sim_node_up(s, e->node))
                return i;
            break;
        case OP_CLIENT:
        case OP_READ:
        case OP_ADD_SERVER:
        case OP_REMOVE_SERVER:
            op = explore_event_request_op(e);
            break;
        default:
            return i;
        }
        struct sim_result res;
        sim_apply(s, &op, &res);
        if (until != NULL || reached) {
            if (reached && explore_target(s, until)) {
                *reached = true;
                return i + 1;
            }
        }
    }
    return n;
}

/* Removes events one at a time, last first, while the target is still
 * reached; repeats until no single event can go (1-minimal). */
static void shrink(const struct sim *start, const struct fact *until, struct explore_event *ev,
                   size_t *n)
{
    struct explore_event *trial = xrealloc(NULL, (*n ? *n : 1) * sizeof *trial);
    bool changed = true;
    while (changed) {
        changed = false;
        for (size_t i = *n; i-- > 0;) {
            size_t m = 0;
            for (size_t k = 0; k < *n; k++)
                if (k != i)
                    trial[m++] = ev[k];
            struct sim *s = sim_clone(start);
            bool reached;
            size_t used = explore_replay(s, trial, m, until, &reached);
            sim_free(s);
            if (!reached)
                continue;
            event_free(&ev[i]);
            memmove(ev + i, ev + i + 1, (*n - i - 1) * sizeof *ev);
            (*n)--;
            /* Anything after the point the target is reached goes too. */
            while (*n > used)
                event_free(&ev[--*n]);
            changed = true;
            if (i > *n)
                i = *n;
        }
    }
    free(trial);
}

/* An event by content, for the operation about to be applied to s. */
static void event_of(const struct sim *s, const struct sim_op *op, struct explore_event *e)
{
    memset(e, 0, sizeof *e);
    e->kind = op->kind;
    e->node = op->node;
    e->text = op->text;
    e->server = op->to;
    if (op->kind == OP_DELIVER || op->kind == OP_DROP || op->kind == OP_DUPLICATE)
        msg_clone(&e->m, &sim_find_msg(s, op->msg_id)->m);
}

/* A walk's kinds of event, each drawn at a weight of its own. */
enum {
    WALK_DELIVER,
    WALK_TIMEOUT,
    WALK_CRASH,
    WALK_RESTART,
    WALK_DROP,
    WALK_DUPLICATE,
    WALK_CLIENT,
    WALK_KINDS
};

static int walk_kind(enum sim_op_kind k)
{
    switch (k) {
    case OP_DELIVER:
        return WALK_DELIVER;
    case OP_TIMEOUT:
        return WALK_TIMEOUT;
    case OP_CRASH:
        return WALK_CRASH;
    case OP_RESTART:
        return WALK_RESTART;
    case OP_DROP:
        return WALK_DROP;
    case OP_DUPLICATE:
        return WALK_DUPLICATE;
    default:
        return WALK_CLIENT;
    }
}

/* One successor for a walk: a kind of event drawn by the walk's weights
 * among the kinds that have a successor, then one of that kind,
 * uniformly. Drawing every successor uniformly spent the faults and the
 * timers at once: from a fresh Raft cluster half the successors are
 * crashes and the rest timeouts, so most walks crashed a node before
 * anything had happened to it, and timers firing as often as messages
 * arrived kept elections from finishing (volatile_vote needs a vote, a
 * crash and another election in the same term: 200 to 2,000 walks). */
static const struct cand *walk_pick(struct prng *g, const struct cand *c, size_t n,
                                    const uint32_t *weight)
{
    size_t count[WALK_KINDS] = {0};
    for (size_t i = 0; i < n; i++)
        count[walk_kind(c[i].op.kind)]++;
    uint64_t total = 0;
    for (int k = 0; k < WALK_KINDS; k++)
        if (count[k])
            total += weight[k];
    uint64_t r = (uint64_t)prng_range(g, 0, (int64_t)total - 1);
    int kind = 0;
    for (; kind < WALK_KINDS; kind++) {
        if (!count[kind])
            continue;
        if (r < weight[kind])
            break;
        r -= weight[kind];
    }
    size_t want = (size_t)prng_range(g, 0, (int64_t)count[kind] - 1);
    for (size_t i = 0; i < n; i++)
        if (walk_kind(c[i].op.kind) == kind && want-- == 0)
            return &c[i];
    return &c[n - 1]; /* not reached */
}

/* The random-walk probes (explore_bounds.walks): each walk from start,
 * one successor drawn uniformly at a time, until the target holds, no
 * successor is left or walk_depth events are played. The first walk that
 * reaches the target gives its events (out->events, unshrunk). */
static void random_walks(const struct search *x, const struct sim *start,
                         volatile sig_atomic_t *stop, explore_progress_fn progress, void *ctx,
                         double t0, struct explore_result *out)
{
    double last = now_s();
    const struct explore_bounds *b = x->b;
    struct prng g;
    prng_seed(&g, b->walk_seed);
    struct cand *cands = NULL;
    size_t cap_cands = 0;
    uint64_t *each = NULL;
    size_t cap_each = 0;
    struct explore_event *ev =
        xrealloc(NULL, (size_t)(b->walk_depth > 0 ? b->walk_depth : 1) * sizeof *ev);
    for (int w = 0; w < b->walks && !out->found; w++) {
        if ((w & 15) == 0 && progress && now_s() - last >= 0.25) {
            /* The walks' progress: the search's figures, no frontier. */
            last = now_s();
            out->seconds = last - t0;
            progress(ctx, out, 0);
        }
        if (stop && *stop) {
            out->stopped = true;
            out->why_stopped = EXPLORE_INTERRUPTED;
            break;
        }
        out->walks++;
        /* This walk's weights (swarm testing): deliveries and restarts
         * 2^top, every other kind 2^(top-k), k uniform from 0 to top,
         * about log2(walk_depth): one walk crashes early and another late,
         * one lets elections finish and another fires timers all the time;
         * a node that crashed comes back soon. */
        uint32_t weight[WALK_KINDS];
        int top = 1;
        while (top < 16 && (1 << top) < b->walk_depth)
            top++;
        for (int k = 0; k < WALK_KINDS; k++)
            weight[k] = k == WALK_DELIVER || k == WALK_RESTART
                            ? 1u << top
                            : 1u << (top - prng_range(&g, 0, top));
        struct sim *s = sim_clone(start);
        struct item it = {0};
        size_t n = 0;
        while ((int)n < b->walk_depth) {
            if (cap_each < s->n_pending + 1) {
                cap_each = s->n_pending + 16;
                each = xrealloc(each, cap_each * sizeof *each);
            }
            for (size_t i = 0; i < s->n_pending; i++)
                each[i] = msg_term(&s->pending[i]);
            size_t nc = successors(x, s, &it, each, &cands, &cap_cands);
            if (nc == 0)
                break;
            const struct cand *c = walk_pick(&g, cands, nc, weight);
            event_of(s, &c->op, &ev[n++]);
            it.u = c->u;
            struct sim_result res;
            sim_apply(s, &c->op, &res);
            out->walk_events++;
            if (explore_target(s, b->until)) {
                out->found = true;
                out->walk_found = w;
                break;
            }
        }
        sim_free(s);
        if (out->found) {
            out->events = ev;
            out->n_events = n;
            ev = NULL;
        } else {
            for (size_t i = 0; i < n; i++)
                event_free(&ev[i]);
        }
    }
    free(ev);
    free(cands);
    free(each);
}

int explore_run(const struct sim *start, const struct explore_bounds *b,
                volatile sig_atomic_t *stop, explore_progress_fn progress, void *ctx,
                struct explore_result *out)
{
    memset(out, 0, sizeof *out);
    out->walk_found = -1;
    struct search x = {.b = b, .start = start, .op0 = sim_op_make(OP_EVENT, -1)};
    x.cache = calloc((size_t)b->depth + 1, sizeof *x.cache);
    x.cache_id = calloc((size_t)b->depth + 1, sizeof *x.cache_id);
    if (!x.cache || !x.cache_id)
        abort();
    for (int d = 0; d <= b->depth; d++)
        proto_out_init(&x.cache[d].out);
    x.cache_hashes = calloc((size_t)b->depth + 1, sizeof *x.cache_hashes);
    if (!x.cache_hashes)
        abort();
    parent_hashes_of(&x.cache_hashes[0], start);
    double t0 = now_s(), last = t0;
    struct budget u0 = {0};
    fpset_add(&x.seen, fingerprint(start, u0));
    add_edge(&x, (struct edge){0});
    out->states = 1;
    uint32_t found = 0;
    if (explore_target(start, b->until)) {
        out->found = true;
    } else if (b->depth > 0) {
        enqueue(&x, (struct item){.id = 0, .u = u0, .depth = 0});
    }
    struct cand *cands = NULL;
    size_t cap_cands = 0;
    struct child_buf cb;
    memset(&cb, 0, sizeof cb);
    struct parent_hashes ph;
    memset(&ph, 0, sizeof ph);
    proto_out_init(&cb.out);
    struct memo_slot *memo = NULL;
    if (memo_sound(start)) {
        memo = calloc(MEMO_SLOTS, sizeof *memo);
        if (!memo)
            abort();
    }
    while (!out->found && x.head < x.n_queue) {
        if (stop && *stop) {
            out->stopped = true;
            out->why_stopped = EXPLORE_INTERRUPTED;
            break;
        }
        struct item it = x.queue[x.head++];
        const struct sim *here = rebuild(&x, it.id, it.depth);
        parent_hashes_copy(&ph, &x.cache_hashes[it.depth], here->n_pending);
        size_t nc = successors(&x, here, &it, ph.each, &cands, &cap_cands);
        for (size_t c = 0; c < nc && !out->found; c++) {
            int touched = touched_node(here, &cands[c].op);
            out->transitions++;
            /* The successor's fingerprint before it is built, when it
             * can be told: a drop steps nothing; a step the memo knows. */
            struct memo_slot *ms = NULL;
            uint64_t key = 0, told = 0;
            bool known = false;
            enum sim_op_kind kind = cands[c].op.kind;
            long mi = kind == OP_DELIVER || kind == OP_DROP
                          ? pending_index(here, cands[c].op.msg_id)
                          : -1;
            uint64_t gone = mi >= 0 ? ph.each[mi] : 0;
            if (kind == OP_DROP && mi >= 0) {
                told = combine(ph.nodes, here->cfg.n_nodes, ph.msgs - gone, cands[c].u);
                known = true;
            } else if (memo && touched >= 0 && memo_kind(kind)) {
                key = memo_key(&ph, touched, kind,
                               kind == OP_CLIENT ? hash_str(0, cands[c].op.text) : gone);
                ms = &memo[key & (MEMO_SLOTS - 1)];
                if (ms->key == key) {
                    uint64_t nodes[PROTO_MAX_NODES];
                    memcpy(nodes, ph.nodes, sizeof nodes);
                    nodes[touched] = ms->v.node;
                    told =
                        combine(nodes, here->cfg.n_nodes, ph.msgs - gone + ms->v.sent, cands[c].u);
                    known = true;
                }
            }
            if (known && !EXPLORE_MEMO_CHECK && fpset_has(&x.seen, told))
                continue;
            struct sim *child = child_make(&cb, here, &cands[c].op, touched);
            struct sim_result res;
            sim_apply(child, &cands[c].op, &res);
            /* A fingerprint told already need not be taken again. */
            uint64_t fp = told;
            if (!known || EXPLORE_MEMO_CHECK) {
                struct step_hashes sh;
                fp = child_fingerprint(&ph, here, child, touched, cands[c].u, &sh);
                if (EXPLORE_MEMO_CHECK && known && told != fp)
                    abort();
                if (ms) {
                    ms->key = key;
                    ms->v = sh;
                }
            }
            bool fresh = fpset_add(&x.seen, fp);
            bool hit = fresh && explore_target(child, b->until);
            child_release(&cb);
            if (!fresh)
                continue;
            if (b->max_states > 0 && out->states >= b->max_states) {
                /* A state beyond the bound: the search stops at exactly
                 * max_states, and says it stopped (there was more). */
                out->stopped = true;
                out->why_stopped = EXPLORE_AT_STATES;
                break;
            }
            uint32_t id = add_edge(&x, (struct edge){.parent = it.id,
                                                     .kind = (uint8_t)cands[c].op.kind,
                                                     .node = (int8_t)cands[c].op.node,
                                                     .request = cands[c].request,
                                                     .msg_id = cands[c].op.msg_id});
            out->states++;
            if (it.depth + 1 > out->depth)
                out->depth = it.depth + 1;
            if (hit) {
                out->found = true;
                found = id;
                break;
            }
            if (it.depth + 1 < b->depth)
                enqueue(&x, (struct item){.id = id, .u = cands[c].u, .depth = it.depth + 1});
        }
        out->expanded++;
        size_t frontier = x.n_queue - x.head;
        if (frontier > out->frontier_peak)
            out->frontier_peak = frontier;
        if (out->stopped)
            break;
        if ((out->expanded & 255) == 0) {
            double t = now_s();
            if (b->seconds > 0 && t - t0 >= b->seconds) {
                out->stopped = true;
                out->why_stopped = EXPLORE_AT_SECONDS;
                break;
            }
            if (progress && t - last >= 0.25) {
                last = t;
                out->seconds = t - t0;
                progress(ctx, out, frontier);
            }
        }
    }
    out->seconds = now_s() - t0;
    out->bytes_per_state = (x.seen.cap * sizeof(uint64_t) + x.cap_edges * sizeof(struct edge)) /
                           (size_t)(out->states ? out->states : 1);
    for (int d = 0; d <= b->depth; d++) {
        if (x.cache[d].live)
            child_release(&x.cache[d]);
        free(x.cache[d].pending);
        proto_out_free(&x.cache[d].out);
        free(x.cache_hashes[d].each);
    }
    free(x.cache);
    free(x.cache_id);
    free(x.cache_hashes);
    free(x.queue);
    free(cands);
    free(memo);
    free(cb.pending);
    free(ph.each);
    proto_out_free(&cb.out);
    if (out->found) {
        out->events = path_events(&x, start, found, &out->n_events);
    } else if (b->walks > 0 && !(stop && *stop)) {
        /* The bounded search is done (or out of states): the probes go
         * deeper. */
        random_walks(&x, start, stop, progress, ctx, t0, out);
        out->seconds = now_s() - t0;
    }
    if (out->found) {
        out->n_found = out->n_events;
        shrink(start, b->until, out->events, &out->n_events);
        struct sim *s = sim_clone(start);
        explore_replay(s, out->events, out->n_events, b->until, NULL);
        if (b->until)
            strcpy(out->what, "until");
        else
            snprintf(out->what, sizeof out->what, "%s", s->mon.violation);
        sim_free(s);
    }
    free(x.seen.slot);
    free(x.edges);
    return 0;
}

void explore_result_free(struct explore_result *r)
{
    events_free(r->events, r->n_events);
    r->events = NULL;
    r->n_events = 0;
}
