/* baseline: the speed of light for bench/bench — a bare event loop that
 * runs the same Raft message schedule as the tutor's `load` (the same
 * rules of Figure 2 and of the contract, the same generator drawn in the
 * same order, the same (time, sequence) tie-break), with a binary heap of
 * messages, no history, no notes, no text and no safety monitor.
 *
 * Usage: baseline NODES LAT_MIN LAT_MAX ELECTION_MIN ELECTION_MAX HEARTBEAT
 *                 EVERY FOR SEED
 * Prints one line: "baseline virtual_ms=... events=... committed=...
 * wall_s=...". */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "protocols/prng.h"

#define BL_MAX_NODES 9
#define BL_MAX_ENTRIES 64 /* PROTO_MAX_ENTRIES_PER_AE */

enum bl_type { BL_RV, BL_RVR, BL_AE, BL_AER };
enum bl_role { BL_FOLLOWER, BL_CANDIDATE, BL_LEADER };

struct bl_msg {
    int64_t due;
    uint64_t seq;
    enum bl_type type;
    int from, to;
    int64_t term, a, b, commit; /* RV: last index, last term; AE: prev index, prev term */
    bool ok;                    /* RVR granted, AER success */
    int n;                      /* AE: entries (terms only) */
    int64_t *entries;
};

struct bl_node {
    int64_t term;
    int voted_for;
    enum bl_role role;
    int64_t *log; /* terms, index i at log[i - 1] */
    int64_t len, cap;
    int64_t commit;
    int hint;
    unsigned votes;
    int64_t next[BL_MAX_NODES], match[BL_MAX_NODES], sent[BL_MAX_NODES];
    int64_t deadline, timer;
    uint64_t timer_seq;
};

static struct {
    int n;
    int64_t lat_min, lat_max, el_min, el_max, heartbeat;
    struct prng rng;
    int64_t now;
    uint64_t seq, events;
    struct bl_node node[BL_MAX_NODES];
    struct bl_msg *heap;
    size_t n_heap, cap_heap;
    struct bl_msg out[4 * BL_MAX_NODES]; /* one step's messages */
    int n_out;
    int64_t committed;
} w;

static bool before(const struct bl_msg *x, const struct bl_msg *y)
{
    return x->due < y->due || (x->due == y->due && x->seq < y->seq);
}

static void heap_push(const struct bl_msg *m)
{
    if (w.n_heap == w.cap_heap) {
        w.cap_heap = w.cap_heap ? 2 * w.cap_heap : 64;
        w.heap = realloc(w.heap, w.cap_heap * sizeof *w.heap);
        if (!w.heap)
            abort();
    }
    size_t i = w.n_heap++;
    while (i > 0 && before(m, &w.heap[(i - 1) / 2])) {
        w.heap[i] = w.heap[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    w.heap[i] = *m;
}

static struct bl_msg heap_pop(void)
{
    struct bl_msg top = w.heap[0], last = w.heap[--w.n_heap];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= w.n_heap)
            break;
        if (c + 1 < w.n_heap && before(&w.heap[c + 1], &w.heap[c]))
            c++;
        if (!before(&w.heap[c], &last))
            break;
        w.heap[i] = w.heap[c];
        i = c;
    }
    if (w.n_heap)
        w.heap[i] = last;
    return top;
}

static int64_t term_at(const struct bl_node *x, int64_t i)
{
    return i >= 1 && i <= x->len ? x->log[i - 1] : 0;
}

static void push_entry(struct bl_node *x, int64_t term)
{
    if (x->len == x->cap) {
        x->cap = x->cap ? 2 * x->cap : 256;
        x->log = realloc(x->log, (size_t)x->cap * sizeof *x->log);
        if (!x->log)
            abort();
    }
    x->log[x->len++] = term;
}

static struct bl_msg *send(int from, int to, enum bl_type type, int64_t term)
{
    struct bl_msg *m = &w.out[w.n_out++];
    memset(m, 0, sizeof *m);
    m->type = type, m->from = from, m->to = to, m->term = term;
    return m;
}

static void reset_timer(struct bl_node *x)
{
    x->deadline = w.now + prng_range(&w.rng, w.el_min, w.el_max);
}

static int majority(void)
{
    return w.n / 2 + 1;
}

static void become_follower(struct bl_node *x)
{
    bool was_leader = x->role == BL_LEADER;
    x->role = BL_FOLLOWER;
    x->votes = 0;
    if (was_leader)
        reset_timer(x);
}

static bool observe(struct bl_node *x, int64_t term)
{
    if (term <= x->term)
        return false;
    x->term = term;
    x->voted_for = -1;
    x->hint = -1;
    become_follower(x);
    return true;
}

static void send_append(int self, int peer)
{
    struct bl_node *x = &w.node[self];
    int64_t next = x->next[peer];
    if (next < 1)
        next = 1;
    if (next > x->len + 1)
        next = x->len + 1;
    int64_t n = x->len - next + 1;
    if (n > BL_MAX_ENTRIES)
        n = BL_MAX_ENTRIES;
    struct bl_msg *m = send(self, peer, BL_AE, x->term);
    m->a = next - 1;
    m->b = term_at(x, next - 1);
    m->commit = x->commit;
    if (n > 0) {
        m->entries = malloc((size_t)n * sizeof *m->entries);
        if (!m->entries)
            abort();
        memcpy(m->entries, &x->log[next - 1], (size_t)n * sizeof *m->entries);
        m->n = (int)n;
        if (next - 1 + n > x->sent[peer])
            x->sent[peer] = next - 1 + n;
    }
}

static void broadcast_append(int self)
{
    for (int i = 0; i < w.n; i++)
        if (i != self)
            send_append(self, i);
}

static void leader_commit(struct bl_node *x, int self)
{
    int64_t n;
    for (n = x->len; n > x->commit; n--) {
        int count = 1;
        for (int i = 0; i < w.n; i++)
            if (i != self && x->match[i] >= n)
                count++;
        if (count >= majority())
            break;
    }
    if (n > x->commit && term_at(x, n) == x->term) {
        x->commit = n;
        if (n > w.committed)
            w.committed = n;
    }
}

static void become_leader(int self)
{
    struct bl_node *x = &w.node[self];
    x->role = BL_LEADER;
    x->hint = self;
    for (int i = 0; i < w.n; i++) {
        x->next[i] = x->len + 1;
        x->match[i] = 0;
        x->sent[i] = 0;
    }
    x->deadline = w.now + w.heartbeat;
    broadcast_append(self);
}

static void on_timer(int self)
{
    struct bl_node *x = &w.node[self];
    if (x->role == BL_LEADER) {
        broadcast_append(self);
        x->deadline = w.now + w.heartbeat;
        return;
    }
    x->term++;
    x->voted_for = self;
    x->role = BL_CANDIDATE;
    x->hint = -1;
    x->votes = 1u << self;
    reset_timer(x);
    for (int i = 0; i < w.n; i++)
        if (i != self) {
            struct bl_msg *m = send(self, i, BL_RV, x->term);
            m->a = x->len;
            m->b = term_at(x, x->len);
        }
}

static void on_request_vote(struct bl_node *x, int self, const struct bl_msg *m)
{
    observe(x, m->term);
    int64_t my_term = term_at(x, x->len);
    bool up_to_date = m->b != my_term ? m->b > my_term : m->a >= x->len;
    bool granted =
        m->term >= x->term && (x->voted_for < 0 || x->voted_for == m->from) && up_to_date;
    if (granted) {
        x->voted_for = m->from;
        reset_timer(x);
    }
    send(self, m->from, BL_RVR, x->term)->ok = granted;
}

static void on_vote_reply(struct bl_node *x, int self, const struct bl_msg *m)
{
    if (observe(x, m->term) || m->term < x->term || x->role == BL_FOLLOWER || !m->ok)
        return;
    if (x->votes & (1u << m->from))
        return;
    x->votes |= 1u << m->from;
    if (x->role == BL_LEADER)
        return;
    if (__builtin_popcount(x->votes) >= majority())
        become_leader(self);
}

static void on_append(struct bl_node *x, int self, const struct bl_msg *m)
{
    observe(x, m->term);
    struct bl_msg *r;
    if (m->term < x->term || x->role == BL_LEADER) {
        send(self, m->from, BL_AER, x->term);
        return;
    }
    if (x->role == BL_CANDIDATE)
        become_follower(x);
    x->hint = m->from;
    reset_timer(x);
    if (m->a > x->len || term_at(x, m->a) != m->b) {
        send(self, m->from, BL_AER, x->term);
        return;
    }
    int64_t k = 0;
    while (k < m->n && m->a + 1 + k <= x->len && term_at(x, m->a + 1 + k) == m->entries[k])
        k++;
    if (k < m->n) {
        if (m->a + 1 + k <= x->len)
            x->len = m->a + k; /* a conflict: delete it and all that follow */
        for (int64_t j = k; j < m->n; j++)
            push_entry(x, m->entries[j]);
    }
    int64_t last_new = m->a + m->n;
    int64_t commit = m->commit < last_new ? m->commit : last_new;
    if (commit > x->commit)
        x->commit = commit;
    r = send(self, m->from, BL_AER, x->term);
    r->ok = true;
    r->a = last_new;
}

static void on_append_reply(struct bl_node *x, int self, const struct bl_msg *m)
{
    int peer = m->from;
    if (observe(x, m->term) || m->term < x->term || x->role != BL_LEADER)
        return;
    if (m->ok) {
        int64_t match = m->a < x->len ? m->a : x->len, old = x->match[peer];
        if (match > x->match[peer])
            x->match[peer] = match;
        if (x->next[peer] < x->match[peer] + 1)
            x->next[peer] = x->match[peer] + 1;
        if (x->match[peer] != old)
            leader_commit(x, self);
        if (x->next[peer] <= x->len && x->len > x->sent[peer])
            send_append(self, peer);
        return;
    }
    int64_t next = x->next[peer] - 1;
    if (next < x->match[peer] + 1)
        next = x->match[peer] + 1;
    if (next < 1)
        next = 1;
    x->next[peer] = next;
    if (x->sent[peer] > next - 1)
        x->sent[peer] = next - 1;
    send_append(self, peer);
}

/* After a node's step: its timer (a new sequence number when it changed),
 * then its messages, each with a latency drawn in order. */
static void flush(int self)
{
    struct bl_node *x = &w.node[self];
    if (x->deadline != x->timer) {
        x->timer = x->deadline;
        x->timer_seq = w.seq++;
    }
    for (int k = 0; k < w.n_out; k++) {
        struct bl_msg *m = &w.out[k];
        int64_t lat = w.lat_min >= w.lat_max ? w.lat_min : prng_range(&w.rng, w.lat_min, w.lat_max);
        m->due = w.now + lat;
        m->seq = w.seq++;
        heap_push(m);
    }
    w.n_out = 0;
}

static void deliver(const struct bl_msg *m)
{
    struct bl_node *x = &w.node[m->to];
    switch (m->type) {
    case BL_RV:
        on_request_vote(x, m->to, m);
        break;
    case BL_RVR:
        on_vote_reply(x, m->to, m);
        break;
    case BL_AE:
        on_append(x, m->to, m);
        break;
    case BL_AER:
        on_append_reply(x, m->to, m);
        break;
    }
    flush(m->to);
}

/* The next event's time and kind: a node index for a timer, -1 for the
 * heap's top message, -2 for none. */
static int next_event(int64_t *t)
{
    int who = -2;
    int64_t bt = 0;
    uint64_t bs = 0;
    if (w.n_heap)
        who = -1, bt = w.heap[0].due, bs = w.heap[0].seq;
    for (int i = 0; i < w.n; i++) {
        const struct bl_node *x = &w.node[i];
        if (x->timer >= 0 && (who == -2 || x->timer < bt || (x->timer == bt && x->timer_seq < bs)))
            who = i, bt = x->timer, bs = x->timer_seq;
    }
    *t = bt;
    return who;
}

static void event(int who, int64_t t)
{
    if (t > w.now)
        w.now = t;
    w.events++;
    if (who == -1) {
        struct bl_msg m = heap_pop();
        deliver(&m);
        free(m.entries);
        return;
    }
    w.node[who].timer = -1;
    on_timer(who);
    flush(who);
}

/* The load client of the runner: follows refusals' hints, tries every
 * node twice at most. */
static int client_send(int target)
{
    for (int tries = 0; tries < 2 * w.n; tries++) {
        struct bl_node *x = &w.node[target];
        if (x->role == BL_LEADER) {
            push_entry(x, x->term);
            broadcast_append(target);
            flush(target);
            return target;
        }
        flush(target);
        if (x->hint >= 0 && x->hint != target)
            target = x->hint;
        else
            target = (target + 1) % w.n;
    }
    return target;
}

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 10) {
        fprintf(stderr, "usage: baseline NODES LAT_MIN LAT_MAX ELECTION_MIN ELECTION_MAX "
                        "HEARTBEAT EVERY FOR SEED\n");
        return 2;
    }
    w.n = atoi(argv[1]);
    if (w.n < 1 || w.n > BL_MAX_NODES)
        return 2;
    w.lat_min = atoll(argv[2]), w.lat_max = atoll(argv[3]);
    w.el_min = atoll(argv[4]), w.el_max = atoll(argv[5]);
    w.heartbeat = atoll(argv[6]);
    int64_t every = atoll(argv[7]), end = atoll(argv[8]);
    prng_seed(&w.rng, strtoull(argv[9], NULL, 10));
    double t0 = wall();
    for (int i = 0; i < w.n; i++) {
        w.node[i].voted_for = w.node[i].hint = -1;
        w.node[i].timer = -1;
        reset_timer(&w.node[i]);
        flush(i);
    }
    int64_t next_send = 0;
    int target = 0;
    if (every < 1)
        every = 1;
    for (;;) {
        int64_t t;
        int who = next_event(&t);
        if (who != -2 && t <= end && (next_send >= end || t < next_send)) {
            event(who, t);
            continue;
        }
        if (next_send >= end)
            break;
        if (w.now < next_send)
            w.now = next_send;
        target = client_send(target);
        next_send += every;
    }
    if (w.now < end)
        w.now = end;
    printf("baseline virtual_ms=%lld events=%llu committed=%lld wall_s=%.6f\n", (long long)w.now,
           (unsigned long long)w.events, (long long)w.committed, wall() - t0);
    return 0;
}
