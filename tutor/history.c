/* history: operation log, periodic snapshots, seek, and branches kept when
 * a learner acts in the past. */
#include "history.h"

#include <stdlib.h>
#include <string.h>

static void *grow(void *p, size_t *cap, size_t elem)
{
    *cap = *cap ? *cap * 2 : 64;
    void *q = realloc(p, *cap * elem);
    if (!q)
        abort();
    return q;
}

static void *xmemdup(const void *p, size_t n)
{
    void *q = malloc(n ? n : 1);
    if (!q)
        abort();
    if (n)
        memcpy(q, p, n);
    return q;
}

static void add_snapshot(struct history *h)
{
    if (h->n_snaps == h->cap_snaps)
        h->snaps = grow(h->snaps, &h->cap_snaps, sizeof *h->snaps);
    h->snaps[h->n_snaps].pos = h->pos;
    h->snaps[h->n_snaps].sim = sim_clone(h->cur);
    h->n_snaps++;
}

/* Room for the marks of positions up to n. */
static void reserve_marks(struct history *h, size_t n)
{
    if (!h->mark_size || n + 1 <= h->cap_marks)
        return;
    size_t cap = h->cap_marks ? h->cap_marks : 64;
    while (cap < n + 1)
        cap *= 2;
    unsigned char *m = realloc(h->marks, cap * h->mark_size);
    if (!m)
        abort();
    memset(m + h->cap_marks * h->mark_size, 0, (cap - h->cap_marks) * h->mark_size);
    h->marks = m;
    h->cap_marks = cap;
}

struct history *history_new(struct sim *s)
{
    struct history *h = calloc(1, sizeof *h);
    if (!h)
        abort();
    feed_init(&h->feed);
    h->cur = s;
    s->feed = &h->feed;
    h->feed.pos = 0;
    sim_start(s);
    add_snapshot(h);
    h->id_high = s->next_msg_id;
    return h;
}

static void branch_free(struct history_branch *b)
{
    free(b->ops);
    free(b->marks);
    feed_free(&b->feed);
}

void history_free(struct history *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n_snaps; i++)
        sim_free(h->snaps[i].sim);
    for (size_t i = 0; i < h->n_branches; i++)
        branch_free(&h->branches[i]);
    free(h->branches);
    for (size_t i = 0; i < h->n_injected; i++) {
        msg_free(h->injected[i]);
        free(h->injected[i]);
    }
    free(h->injected);
    free(h->snaps);
    free(h->ops);
    free(h->marks);
    sim_free(h->cur);
    feed_free(&h->feed);
    free(h);
}

void history_set_mark_size(struct history *h, size_t size)
{
    h->mark_size = size;
    reserve_marks(h, h->n_ops);
}

void *history_mark(struct history *h, size_t pos)
{
    reserve_marks(h, pos);
    return h->marks + pos * h->mark_size;
}

bool history_in_past(const struct history *h)
{
    return h->pos < h->n_ops;
}

/* Copies the entries of from stamped up to last to the front of into. */
static void copy_feed_front(const struct feed *from, uint64_t last, struct feed *into)
{
    struct feed part;
    feed_init(&part);
    for (size_t i = 0; i < from->n && from->e[i].pos <= last; i++) {
        part.pos = from->e[i].pos;
        feed_add(&part, from->e[i].time, from->e[i].node, from->e[i].kind, from->e[i].msg_id, "%s",
                 from->e[i].text);
    }
    feed_put(&part, into); /* part = copied entries, then into's */
    *into = part;
}

/* Branch b forked after q, on the part of the line that the new branch nb
 * (forked at q) now holds: it forks at q, with that part before it. */
static void rebase(struct history *h, struct history_branch *b, const struct history_branch *nb,
                   size_t q)
{
    size_t k = b->fork_pos - q; /* operations of nb before b's fork */
    struct sim_op *ops = malloc((k + b->n_ops) * sizeof *ops);
    unsigned char *marks = malloc((k + b->n_ops) * h->mark_size + 1);
    if (!ops || !marks)
        abort();
    memcpy(ops, nb->ops, k * sizeof *ops);
    memcpy(ops + k, b->ops, b->n_ops * sizeof *ops);
    memcpy(marks, nb->marks, k * h->mark_size);
    memcpy(marks + k * h->mark_size, b->marks, b->n_ops * h->mark_size);
    free(b->ops);
    free(b->marks);
    b->ops = ops;
    b->marks = marks;
    b->n_ops += k;
    copy_feed_front(&nb->feed, b->fork_pos, &b->feed);
    b->fork_pos = q;
}

void history_fork_if_past(struct history *h)
{
    if (!history_in_past(h))
        return;
    size_t q = h->pos, n = h->n_ops - q;
    struct history_branch nb = {.fork_pos = q};
    nb.ops = xmemdup(h->ops + q, n * sizeof *h->ops);
    nb.n_ops = n;
    reserve_marks(h, h->n_ops);
    nb.marks = xmemdup(h->mark_size ? h->marks + (q + 1) * h->mark_size : NULL, n * h->mark_size);
    feed_init(&nb.feed);
    feed_take(&h->feed, q + 1, &nb.feed);
    for (size_t i = 0; i < h->n_branches; i++)
        if (h->branches[i].fork_pos > q)
            rebase(h, &h->branches[i], &nb, q);
    if (h->n_branches == h->cap_branches)
        h->branches = grow(h->branches, &h->cap_branches, sizeof *h->branches);
    h->branches[h->n_branches++] = nb;
    h->n_forks++;
    h->last_fork_pos = q;
    if (h->mark_size)
        memset(h->marks + (q + 1) * h->mark_size, 0, n * h->mark_size);
    h->n_ops = q;
    while (h->n_snaps > 1 && h->snaps[h->n_snaps - 1].pos > h->pos)
        sim_free(h->snaps[--h->n_snaps].sim);
    h->forked = true;
}

/* One operation onto the end of the current line. */
static void advance(struct history *h, const struct sim_op *op, struct sim_result *res,
                    bool with_feed)
{
    if (h->n_ops == h->cap_ops)
        h->ops = grow(h->ops, &h->cap_ops, sizeof *h->ops);
    h->ops[h->n_ops++] = *op;
    reserve_marks(h, h->n_ops);
    h->feed.pos = h->pos + 1;
    h->cur->feed = with_feed ? &h->feed : NULL;
    sim_apply(h->cur, op, res);
    h->cur->feed = &h->feed;
    h->pos++;
    if (h->cur->next_msg_id > h->id_high)
        h->id_high = h->cur->next_msg_id;
    if (h->pos % HISTORY_INTERVAL == 0 && h->snaps[h->n_snaps - 1].pos < h->pos)
        add_snapshot(h);
}

void history_apply(struct history *h, const struct sim_op *op, struct sim_result *res)
{
    history_fork_if_past(h);
    struct sim_op o = *op;
    if (o.kind == OP_INJECT && o.msg) {
        /* The history replays this operation long after the caller's
         * message is gone: it keeps its own copy. */
        struct msg *copy = malloc(sizeof *copy);
        if (!copy)
            abort();
        msg_clone(copy, o.msg);
        if (h->n_injected == h->cap_injected)
            h->injected = grow(h->injected, &h->cap_injected, sizeof *h->injected);
        h->injected[h->n_injected++] = copy;
        o.msg = copy;
    }
    /* After a fork the state's ids are those of the fork point: the new
     * branch goes on above every id another branch has used. */
    if (h->cur->next_msg_id < h->id_high)
        o.id_floor = h->id_high;
    advance(h, &o, res, true);
}

int history_switch(struct history *h, size_t i)
{
    if (i >= h->n_branches)
        return -1;
    struct history_branch b = h->branches[i];
    memmove(h->branches + i, h->branches + i + 1, (h->n_branches - i - 1) * sizeof *h->branches);
    h->n_branches--;
    history_seek(h, b.fork_pos);
    history_fork_if_past(h);
    /* The branch's operations carry their own id floors: replayed from the
     * same state, they make the same messages, with the same ids. */
    struct sim_result res;
    for (size_t k = 0; k < b.n_ops; k++) {
        advance(h, &b.ops[k], &res, false);
        if (h->mark_size)
            memcpy(h->marks + h->pos * h->mark_size, b.marks + k * h->mark_size, h->mark_size);
    }
    feed_put(&h->feed, &b.feed);
    branch_free(&b);
    h->forked = h->n_branches > 0;
    return 0;
}

void history_seek(struct history *h, size_t pos)
{
    if (pos > h->n_ops)
        pos = h->n_ops;
    if (pos == h->pos)
        return;
    /* Forward within reach of the current state: replay from here. */
    /* The nearest snapshot at or before pos (binary search: snaps are in
     * ascending position order, snaps[0] at 0). */
    size_t lo = 0, hi = h->n_snaps;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->snaps[mid].pos <= pos)
            lo = mid;
        else
            hi = mid;
    }
    size_t from_snap = lo;
    if (pos < h->pos || h->snaps[from_snap].pos > h->pos) {
        sim_free(h->cur);
        h->cur = sim_clone(h->snaps[from_snap].sim);
        h->pos = h->snaps[from_snap].pos;
    }
    struct sim_result res;
    h->cur->feed = NULL; /* the feed already holds these operations' entries */
    while (h->pos < pos)
        sim_apply(h->cur, &h->ops[h->pos++], &res);
    h->cur->feed = &h->feed;
}
