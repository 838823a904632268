/* history: operation log, periodic snapshots, seek, and branches kept when
 * a learner acts in the past. */
#include "history.h"

#include "heap_bytes.h"

#include <stdlib.h>
#include <string.h>

/* The next capacity of an array that grows: twice as much, or (for the
 * arrays with an element per position, which dominate a long run's size)
 * half again as much. */
static size_t next_cap(size_t cap, bool per_position)
{
    return !cap ? 64 : per_position ? cap + cap / 2 : cap * 2;
}

static void *grow_by(void *p, size_t *cap, size_t elem, bool per_position)
{
    *cap = next_cap(*cap, per_position);
    void *q = realloc(p, *cap * elem);
    if (!q)
        abort();
    return q;
}

static void *grow(void *p, size_t *cap, size_t elem)
{
    return grow_by(p, cap, elem, false);
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

/* Appends one element to an array that only grows; returns its index. */
static size_t push(void **arr, size_t *n, size_t *cap, size_t elem, const void *v)
{
    if (*n == *cap)
        *arr = grow_by(*arr, cap, elem, true);
    memcpy((char *)*arr + *n * elem, v, elem);
    return (*n)++;
}

static bool msg_kind(int kind)
{
    return kind == OP_DELIVER || kind == OP_DROP || kind == OP_DUPLICATE;
}

/* The operation a plain or wide record stands for, w its wide field. */
static struct sim_op unpack(struct history_op r, union history_wide w)
{
    struct sim_op op = sim_op_make((enum sim_op_kind)r.kind, r.node);
    if (r.form == HOP_PLAIN && msg_kind(r.kind))
        op.msg_id = r.arg;
    else if (r.form == HOP_WIDE && (r.kind == OP_CLIENT || r.kind == OP_READ))
        op.text = w.text;
    else if (r.form == HOP_WIDE && r.kind == OP_ADVANCE)
        op.time = w.time;
    else if (r.form == HOP_WIDE)
        op.msg_id = w.msg_id;
    return op;
}

static struct sim_op decode(const struct history *h, struct history_op r)
{
    if (r.form == HOP_FULL)
        return h->full[r.arg];
    if (r.form == HOP_SESSION) {
        struct sim_op op = unpack((struct history_op){r.kind, HOP_WIDE, r.node, 0}, h->wide[r.arg]);
        op.client = h->wide[r.arg + 1].text;
        op.seq = h->wide[r.arg + 2].time;
        return op;
    }
    return unpack(r, r.form == HOP_WIDE ? h->wide[r.arg] : (union history_wide){.msg_id = 0});
}

/* The record of op, with its side-table entry added if it needs one: an
 * operation the plain or wide form would not give back field for field is
 * kept whole. */
static struct history_op encode(struct history *h, const struct sim_op *op)
{
    struct history_op r = {.kind = (uint8_t)op->kind, .form = HOP_PLAIN, .node = (int8_t)op->node};
    union history_wide w = {.msg_id = 0};
    if (msg_kind(op->kind) && op->msg_id <= UINT32_MAX)
        r.arg = (uint32_t)op->msg_id;
    else if (msg_kind(op->kind))
        w.msg_id = op->msg_id, r.form = HOP_WIDE;
    else if (op->kind == OP_CLIENT || op->kind == OP_READ)
        w.text = op->text, r.form = HOP_WIDE;
    else if (op->kind == OP_ADVANCE)
        w.time = op->time, r.form = HOP_WIDE;
    struct sim_op back = unpack(r, w);
    if (op->kind == OP_CLIENT && op->client && h->n_wide + 3 < UINT32_MAX) {
        /* A request in a client session (load sends many): three wide
         * fields, the text, the client and the serial number. */
        back.client = op->client, back.seq = op->seq;
        if (sim_op_same(&back, op)) {
            union history_wide ws[3] = {w, {.text = op->client}, {.time = op->seq}};
            r.form = HOP_SESSION;
            r.arg = (uint32_t)h->n_wide;
            for (int k = 0; k < 3; k++)
                push((void **)&h->wide, &h->n_wide, &h->cap_wide, sizeof *h->wide, &ws[k]);
            return r;
        }
    }
    if ((unsigned)op->kind > UINT8_MAX || op->node < INT8_MIN || op->node > INT8_MAX ||
        !sim_op_same(&back, op) || h->n_wide >= UINT32_MAX || h->n_full >= UINT32_MAX) {
        r.form = HOP_FULL;
        r.arg = (uint32_t)push((void **)&h->full, &h->n_full, &h->cap_full, sizeof *h->full, op);
    } else if (r.form == HOP_WIDE) {
        r.arg = (uint32_t)push((void **)&h->wide, &h->n_wide, &h->cap_wide, sizeof *h->wide, &w);
    }
    return r;
}

struct sim_op history_op_at(const struct history *h, size_t i)
{
    return decode(h, h->ops[i]);
}

/* Whether the snapshot at pos stays once it is older than the latest
 * HISTORY_RECENT_SNAPSHOTS: position 0, and multiples of the interval
 * older snapshots keep. */
static bool keeps_old(const struct history *h, size_t pos)
{
    return pos % h->old_interval == 0;
}

/* Whether the heap is over the budget, measured every
 * HISTORY_BUDGET_CHECK snapshots (mallinfo2 walks the free lists) and
 * only while there are older snapshots to give up. */
static bool over_budget(const struct history *h)
{
    if (!h->budget || h->snaps_made % HISTORY_BUDGET_CHECK ||
        h->n_snaps <= HISTORY_RECENT_SNAPSHOTS + 1 || h->old_interval > h->pos)
        return false;
    size_t used = heap_bytes_in_use();
    return used && used > h->budget;
}

/* The snapshot that just became older than the latest ones goes unless
 * the older interval keeps it; past the budget, the older interval doubles
 * and every older snapshot it no longer keeps goes. */
static void thin_snapshots(struct history *h)
{
    if (h->n_snaps <= HISTORY_RECENT_SNAPSHOTS + 1)
        return;
    size_t aged = h->n_snaps - 1 - HISTORY_RECENT_SNAPSHOTS;
    if (aged && !keeps_old(h, h->snaps[aged].pos)) {
        sim_free(h->snaps[aged].sim);
        memmove(h->snaps + aged, h->snaps + aged + 1, (h->n_snaps - aged - 1) * sizeof *h->snaps);
        h->n_snaps--;
        h->thinned++;
    }
    if (h->n_snaps <= HISTORY_SNAPSHOT_BUDGET + 1 && !over_budget(h))
        return;
    h->old_interval *= 2;
    size_t keep = 1, old_end = h->n_snaps - HISTORY_RECENT_SNAPSHOTS;
    for (size_t i = 1; i < h->n_snaps; i++) {
        if (i >= old_end || keeps_old(h, h->snaps[i].pos)) {
            h->snaps[keep++] = h->snaps[i];
        } else {
            sim_free(h->snaps[i].sim);
            h->thinned++;
        }
    }
    h->n_snaps = keep;
}

static void add_snapshot(struct history *h)
{
    if (h->n_snaps == h->cap_snaps)
        h->snaps = grow(h->snaps, &h->cap_snaps, sizeof *h->snaps);
    h->snaps[h->n_snaps].pos = h->pos;
    h->snaps[h->n_snaps].sim = sim_clone(h->cur);
    h->n_snaps++;
    h->snaps_made++;
    thin_snapshots(h);
}

/* Room for the marks of positions up to n. */
static void reserve_marks(struct history *h, size_t n)
{
    if (!h->mark_size || n + 1 <= h->cap_marks)
        return;
    size_t cap = h->cap_marks;
    while (cap < n + 1)
        cap = next_cap(cap, true);
    uint32_t *m = realloc(h->marks, cap * sizeof *m);
    if (!m)
        abort();
    memset(m + h->cap_marks, 0, (cap - h->cap_marks) * sizeof *m);
    h->marks = m;
    h->cap_marks = cap;
}

static const unsigned char *mark_val(const struct history *h, uint32_t i)
{
    return h->mark_vals + (size_t)i * h->mark_size;
}

/* Stores the slot history_mark() handed out back as its position's mark:
 * the same index if unchanged, the latest distinct mark's if it is that,
 * else a new distinct mark. */
static void commit_slot(struct history *h)
{
    if (!h->slot_open)
        return;
    h->slot_open = false;
    uint32_t *at = &h->marks[h->slot_pos];
    if (!memcmp(mark_val(h, *at), h->mark_slot, h->mark_size))
        return;
    uint32_t last = (uint32_t)(h->n_mark_vals - 1);
    if (!memcmp(mark_val(h, last), h->mark_slot, h->mark_size)) {
        *at = last;
        return;
    }
    if (h->n_mark_vals >= UINT32_MAX)
        abort();
    if (h->n_mark_vals == h->cap_mark_vals)
        h->mark_vals = grow(h->mark_vals, &h->cap_mark_vals, h->mark_size);
    memcpy(h->mark_vals + h->n_mark_vals * h->mark_size, h->mark_slot, h->mark_size);
    *at = (uint32_t)h->n_mark_vals++;
}

static size_t default_budget = (size_t)HISTORY_DEFAULT_BUDGET_MB << 20;

void history_set_budget(size_t bytes)
{
    default_budget = bytes;
}

struct history *history_new(struct sim *s)
{
    struct history *h = calloc(1, sizeof *h);
    if (!h)
        abort();
    feed_init(&h->feed);
    feed_set_strings(&h->feed, s->strings);
    h->cur = s;
    h->old_interval = HISTORY_INTERVAL;
    h->budget = default_budget;
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
    free(h->full);
    free(h->wide);
    free(h->marks);
    free(h->mark_vals);
    free(h->mark_slot);
    sim_free(h->cur);
    feed_free(&h->feed);
    free(h);
}

void history_set_mark_size(struct history *h, size_t size)
{
    if (size == h->mark_size && h->mark_vals) {
        reserve_marks(h, h->n_ops); /* set again (a flow over the same history): marks kept */
        return;
    }
    commit_slot(h);
    free(h->mark_vals);
    free(h->mark_slot);
    h->mark_vals = h->mark_slot = NULL;
    h->n_mark_vals = h->cap_mark_vals = 0;
    if (h->marks)
        memset(h->marks, 0, h->cap_marks * sizeof *h->marks);
    h->mark_size = size;
    if (!size)
        return;
    /* Distinct mark 0 is all zero: every position's until written. */
    h->mark_vals = grow(h->mark_vals, &h->cap_mark_vals, size);
    memset(h->mark_vals, 0, size);
    h->n_mark_vals = 1;
    h->mark_slot = xmemdup(h->mark_vals, size);
    reserve_marks(h, h->n_ops);
}

void *history_mark(struct history *h, size_t pos)
{
    if (!h->mark_size)
        return NULL; /* no marks kept */
    commit_slot(h);
    reserve_marks(h, pos);
    memcpy(h->mark_slot, mark_val(h, h->marks[pos]), h->mark_size);
    h->slot_pos = pos;
    h->slot_open = true;
    return h->mark_slot;
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
    feed_set_strings(&part, from->own_strings ? NULL : from->strings);
    struct feed_line l;
    for (size_t i = 0, n = feed_upto(from, last); i < n; i++) {
        feed_get(from, i, &l);
        feed_add_line(&part, &l);
    }
    part.pos = into->pos;
    feed_put(&part, into); /* part = copied entries, then into's */
    *into = part;
}

/* Branch b forked after q, on the part of the line that the new branch nb
 * (forked at q) now holds: it forks at q, with that part before it. */
static void rebase(struct history *h, struct history_branch *b, const struct history_branch *nb,
                   size_t q)
{
    size_t k = b->fork_pos - q; /* operations of nb before b's fork */
    struct history_op *ops = malloc((k + b->n_ops) * sizeof *ops + 1);
    size_t mark = h->mark_size ? sizeof(uint32_t) : 0; /* bytes of a position's mark index */
    uint32_t *marks = malloc((k + b->n_ops) * mark + 1);
    if (!ops || !marks)
        abort();
    memcpy(ops, nb->ops, k * sizeof *ops);
    memcpy(ops + k, b->ops, b->n_ops * sizeof *ops);
    memcpy(marks, nb->marks, k * mark);
    memcpy((char *)marks + k * mark, b->marks, b->n_ops * mark);
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
    commit_slot(h);
    size_t q = h->pos, n = h->n_ops - q;
    struct history_branch nb = {.fork_pos = q};
    nb.ops = xmemdup(h->ops + q, n * sizeof *h->ops);
    nb.n_ops = n;
    reserve_marks(h, h->n_ops);
    nb.marks =
        xmemdup(h->mark_size ? h->marks + q + 1 : NULL, h->mark_size ? n * sizeof *h->marks : 0);
    feed_init(&nb.feed);
    feed_set_strings(&nb.feed, h->feed.strings);
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
        memset(h->marks + q + 1, 0, n * sizeof *h->marks);
    h->n_ops = q;
    while (h->n_snaps > 1 && h->snaps[h->n_snaps - 1].pos > h->pos)
        sim_free(h->snaps[--h->n_snaps].sim);
    h->forked = true;
}

/* One operation onto the end of the current line. */
/* Records rec and applies it. op, when not NULL, is the operation rec was
 * just encoded from: encode kept it whole unless its record gives it back
 * field for field, so it is applied as it is instead of decoded again. */
static void advance(struct history *h, struct history_op rec, const struct sim_op *op,
                    struct sim_result *res, bool with_feed)
{
    commit_slot(h);
    if (h->n_ops == h->cap_ops)
        h->ops = grow_by(h->ops, &h->cap_ops, sizeof *h->ops, true);
    h->ops[h->n_ops++] = rec;
    reserve_marks(h, h->n_ops);
    h->feed.pos = h->pos + 1;
    h->cur->feed = with_feed ? &h->feed : NULL;
    struct sim_op decoded;
    if (!op) {
        decoded = decode(h, rec);
        op = &decoded;
    }
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
    advance(h, encode(h, &o), &o, res, true);
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
        advance(h, b.ops[k], NULL, &res, false);
        if (h->mark_size)
            h->marks[h->pos] = b.marks[k];
    }
    feed_put(&h->feed, &b.feed);
    branch_free(&b);
    h->forked = h->n_branches > 0;
    return 0;
}

/* The nearest snapshot at or before pos (binary search: snaps are in
 * ascending position order, snaps[0] at 0). */
static size_t nearest_snapshot(const struct history *h, size_t pos)
{
    size_t lo = 0, hi = h->n_snaps;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (h->snaps[mid].pos <= pos)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

struct sim *history_state_at(const struct history *h, size_t pos)
{
    if (pos > h->n_ops)
        pos = h->n_ops;
    size_t from_snap = nearest_snapshot(h, pos);
    /* From the live state when it is on the way (or there), otherwise from
     * the snapshot; either way h itself does not move. */
    bool from_cur = h->pos <= pos && h->snaps[from_snap].pos <= h->pos;
    struct sim *s = sim_clone(from_cur ? h->cur : h->snaps[from_snap].sim);
    size_t at = from_cur ? h->pos : h->snaps[from_snap].pos;
    struct sim_result res;
    while (at < pos) {
        struct sim_op op = decode(h, h->ops[at++]);
        sim_apply(s, &op, &res);
    }
    return s;
}

void history_seek(struct history *h, size_t pos)
{
    if (pos > h->n_ops)
        pos = h->n_ops;
    if (pos == h->pos)
        return;
    /* Forward within reach of the current state: replay from here. */
    size_t from_snap = nearest_snapshot(h, pos);
    if (pos < h->pos || h->snaps[from_snap].pos > h->pos) {
        sim_free(h->cur);
        h->cur = sim_clone(h->snaps[from_snap].sim);
        h->pos = h->snaps[from_snap].pos;
    }
    struct sim_result res;
    h->cur->feed = NULL; /* the feed already holds these operations' entries */
    while (h->pos < pos) {
        struct sim_op op = decode(h, h->ops[h->pos++]);
        sim_apply(h->cur, &op, &res);
    }
    h->cur->feed = &h->feed;
}

struct history_size history_size(const struct history *h)
{
    struct history_size z = {0};
    z.ops = h->cap_ops * sizeof *h->ops + h->cap_full * sizeof *h->full +
            h->cap_wide * sizeof *h->wide + h->cap_injected * sizeof *h->injected +
            h->n_injected * sizeof(struct msg);
    if (h->mark_size)
        z.marks = h->cap_marks * sizeof *h->marks + h->cap_mark_vals * h->mark_size + h->mark_size;
    for (size_t i = 0; i < h->n_branches; i++) {
        z.ops += h->branches[i].n_ops * sizeof *h->branches[i].ops;
        if (h->mark_size)
            z.marks += h->branches[i].n_ops * sizeof *h->branches[i].marks;
    }
    z.snapshots = h->cap_snaps * sizeof *h->snaps;
    for (size_t i = 0; i < h->n_snaps; i++)
        z.snapshots += sizeof *h->snaps[i].sim +
                       h->snaps[i].sim->cap_pending * sizeof *h->snaps[i].sim->pending;
    z.other = sizeof *h + h->cap_branches * sizeof *h->branches;
    z.total = z.ops + z.marks + z.snapshots + z.other;
    return z;
}

size_t history_bytes(const struct history *h)
{
    return history_size(h).total;
}
