/* history: operation log, periodic snapshots, seek and fork. */
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

static void add_snapshot(struct history *h)
{
    if (h->n_snaps == h->cap_snaps)
        h->snaps = grow(h->snaps, &h->cap_snaps, sizeof *h->snaps);
    h->snaps[h->n_snaps].pos = h->pos;
    h->snaps[h->n_snaps].sim = sim_clone(h->cur);
    h->n_snaps++;
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
    return h;
}

void history_free(struct history *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n_snaps; i++)
        sim_free(h->snaps[i].sim);
    free(h->snaps);
    free(h->ops);
    sim_free(h->cur);
    feed_free(&h->feed);
    free(h);
}

bool history_in_past(const struct history *h)
{
    return h->pos < h->n_ops;
}

void history_fork_if_past(struct history *h)
{
    if (!history_in_past(h))
        return;
    h->n_ops = h->pos;
    while (h->n_snaps > 1 && h->snaps[h->n_snaps - 1].pos > h->pos)
        sim_free(h->snaps[--h->n_snaps].sim);
    feed_truncate(&h->feed, h->pos + 1);
    h->forked = true;
}

void history_apply(struct history *h, const struct sim_op *op, struct sim_result *res)
{
    history_fork_if_past(h);
    if (h->n_ops == h->cap_ops)
        h->ops = grow(h->ops, &h->cap_ops, sizeof *h->ops);
    h->ops[h->n_ops++] = *op;
    h->feed.pos = h->pos + 1;
    h->cur->feed = &h->feed;
    sim_apply(h->cur, op, res);
    h->pos++;
    if (h->pos % HISTORY_INTERVAL == 0 && h->snaps[h->n_snaps - 1].pos < h->pos)
        add_snapshot(h);
}

void history_seek(struct history *h, size_t pos)
{
    if (pos > h->n_ops)
        pos = h->n_ops;
    if (pos == h->pos)
        return;
    /* Forward within reach of the current state: replay from here. */
    size_t from_snap = 0;
    for (size_t i = 0; i < h->n_snaps && h->snaps[i].pos <= pos; i++)
        from_snap = i;
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
