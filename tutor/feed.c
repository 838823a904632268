/* feed: append-only event log, truncated on a fork. */
#include "feed.h"

#include "note_text.h"
#include "feed_codec.h"
#include "protocols/sbuf.h"
#include "strpool.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void feed_init(struct feed *f)
{
    memset(f, 0, sizeof *f);
}

void feed_free(struct feed *f)
{
    free(f->b);
    free(f->blk);
    free(f->blk_off);
    free(f->scratch.e);
    free(f->scratch.a);
    free(f->scratch.s);
    free(f->intern_scratch.e);
    free(f->intern_scratch.a);
    free(f->intern_scratch.s);
    free(f->told.e);
    free(f->ring);
    feed_zseg_free(&f->z);
    if (f->own_strings)
        strpool_free(f->strings);
    feed_init(f);
}

void feed_set_strings(struct feed *f, struct strpool *pool)
{
    if (f->own_strings && f->n == 0) {
        strpool_free(f->strings);
        f->own_strings = false;
    }
    if (!f->strings)
        f->strings = pool;
}

size_t feed_bytes(const struct feed *f)
{
    return f->capb + feed_zseg_bytes(&f->z) + f->capblk * (sizeof *f->blk + sizeof *f->blk_off) +
           f->told.cap_e * sizeof *f->told.e + sizeof *f;
}

size_t feed_stream_len(const struct feed *f)
{
    return f->tail_off + f->nb;
}

/* Where offset off of the stream is, in block blk: a block's lines lie in
 * one segment, compressed (then decompressed into the cache) or in b. */
static const uint8_t *stream_at(struct feed *f, size_t blk, size_t off)
{
    size_t s = blk / FEED_SEG_BLOCKS;
    if (s >= f->z.nseg)
        return f->b + (off - f->tail_off);
    return feed_zseg_raw(&f->z, s) + (off - f->blk_off[s * FEED_SEG_BLOCKS]);
}

static void copy_names(struct feed *f, const char *const *names, int n_names)
{
    if (n_names > PROTO_MAX_NODES)
        n_names = PROTO_MAX_NODES;
    for (int i = 0; i < n_names; i++)
        f->names[i] = names[i];
    if (n_names > f->n_names)
        f->n_names = n_names;
}

/* copy_names for a line's names: the same array as the line before (every
 * line of a run names its nodes from its lesson's configuration, whose
 * names never change) has nothing new to copy. */
static void set_names(struct feed *f, const char *const *names, int n_names)
{
    if (names == f->names_from && n_names == f->n_names_from)
        return;
    f->names_from = names;
    f->n_names_from = n_names;
    copy_names(f, names, n_names);
}

static const char *intern(struct feed *f, const char *s)
{
    if (!s)
        return NULL;
    if (!f->strings) {
        f->strings = strpool_new();
        f->own_strings = true;
    }
    return strpool_intern(f->strings, s);
}

/* The message's strings, the pool's (an engine's are already; the copy
 * only points at the pool's). */
static void intern_msg(struct feed *f, struct msg *m, struct feed_scratch *sc)
{
    if (m->type == MSG_APPEND_ENTRIES && m->u.ae.n_entries) {
        sc->e = feed_room(sc->e, &sc->cap_e, m->u.ae.n_entries, sizeof *sc->e);
        for (size_t i = 0; i < m->u.ae.n_entries; i++) {
            sc->e[i] = m->u.ae.entries[i];
            sc->e[i].cmd = intern(f, sc->e[i].cmd);
            sc->e[i].client = intern(f, sc->e[i].client);
        }
        m->u.ae.entries = sc->e;
    } else if (m->type == MSG_INSTALL_SNAPSHOT) {
        /* The state's commands, the pool's; the store and sessions stay
         * with the message (the feed tells what the lesson format shows). */
        sc->s = feed_room(sc->s, &sc->cap_s, m->u.is.n_state, sizeof *sc->s);
        for (size_t i = 0; i < m->u.is.n_state; i++)
            sc->s[i] = intern(f, m->u.is.state[i]);
        m->u.is.state = m->u.is.n_state ? sc->s : NULL;
        m->u.is.sm = NULL;
    } else if (m->type == MSG_PROMISE && m->u.promise.n_accepted) {
        sc->a = feed_room(sc->a, &sc->cap_a, m->u.promise.n_accepted, sizeof *sc->a);
        for (size_t i = 0; i < m->u.promise.n_accepted; i++) {
            sc->a[i] = m->u.promise.accepted[i];
            sc->a[i].value = intern(f, sc->a[i].value);
        }
        m->u.promise.accepted = sc->a;
    } else if (m->type == MSG_ACCEPT || m->type == MSG_ACCEPTED) {
        m->u.accept.value = intern(f, m->u.accept.value);
    } else if (m->type == MSG_CHOSEN) {
        m->u.chosen.value = intern(f, m->u.chosen.value);
    }
}

static const struct msg *msg_arg(const struct feed_line *l)
{
    for (int k = 0; k < l->note.n_args; k++)
        if (l->note.args[k].kind == NA_MSG)
            return l->note.args[k].v.m;
    return NULL;
}

/* How many lines back the line that told l's message m (msg_arg) is (its send), or 0
 * (l tells it itself: then l is where the next line about it looks). */
static size_t msg_back(struct feed *f, const struct feed_line *l, const struct msg *m)
{
    if (!m || !l->msg_id)
        return 0;
    if (!f->ring && !(f->ring = calloc(FEED_RING, sizeof *f->ring)))
        abort();
    struct feed_ring *r = &f->ring[l->msg_id % FEED_RING];
    /* feed_truncate clears the entries of lines it removes, so line r->k
     * is still the one that told message r->msg_id. */
    if (r->msg_id == l->msg_id && r->k < f->n) {
        /* A delivery or a loss is of the very message sent with its id (the
         * sim delivers what it sent, and ids are never reused: history.h),
         * so its send's line tells it without comparing. */
        if (l->kind == FEED_DELIVER || l->kind == FEED_LOST)
            return f->n - r->k;
        /* Another line about the id (an action naming a message in
         * flight), rare: the message as that line tells it, compared. */
        struct feed_line told;
        feed_get(f, r->k, &told);
        if (feed_msg_same(&told.msg, m))
            return f->n - r->k;
    }
    /* A send: the next line about its id looks here. Nothing is encoded
     * for the comparison above until a line needs it. */
    r->msg_id = l->msg_id;
    r->k = f->n;
    return 0;
}

/* A send of an AppendEntries the same as the last told in full but for
 * its receiver (a leader's heartbeat or new entries to each follower in
 * turn) points back to that line with its own receiver (msg_back,
 * msg_to), so it costs a few bytes to encode and compress instead of the
 * whole message; any other AppendEntries sent becomes the one to point
 * back to. */
static void point_back_to_told(struct feed *f, struct feed_line *l, const struct msg *m)
{
    struct feed_told *t = &f->told;
    if (l->kind != FEED_SEND || l->msg_back || !m || m->type != MSG_APPEND_ENTRIES)
        return;
    if (t->k1 && t->k1 - 1 < f->n && feed_append_same_but_to(&t->m, m)) {
        l->msg_back = f->n - (t->k1 - 1);
        l->msg_to = m->to;
        return;
    }
    t->m = *m;
    if (m->u.ae.n_entries) {
        t->e = feed_room(t->e, &t->cap_e, m->u.ae.n_entries, sizeof *t->e);
        memcpy(t->e, m->u.ae.entries, m->u.ae.n_entries * sizeof *t->e);
    }
    t->m.u.ae.entries = t->e;
    t->k1 = f->n + 1;
}

/* Appends l, its strings already interned (setting its msg_back); m is
 * its message (msg_arg). */
static void append(struct feed *f, struct feed_line *l, const struct msg *m)
{
    l->msg_back = msg_back(f, l, m);
    l->msg_to = -1;
    point_back_to_told(f, l, m);
    if (f->n % FEED_BLOCK == 0) {
        if (f->nblk && f->nblk % FEED_SEG_BLOCKS == 0) {
            /* The segment of the last FEED_SEG_BLOCKS blocks is complete. */
            f->tail_off += f->nb;
            feed_zseg_seal(&f->z, &f->b, &f->capb, f->nb);
            f->nb = 0;
        }
        if (f->nblk == f->capblk) {
            f->capblk = f->capblk ? f->capblk * 2 : 16;
            f->blk = realloc(f->blk, f->capblk * sizeof *f->blk);
            f->blk_off = realloc(f->blk_off, f->capblk * sizeof *f->blk_off);
            if (!f->blk || !f->blk_off)
                abort();
        }
        f->blk[f->nblk] = f->last;
        f->blk_off[f->nblk++] = f->tail_off + f->nb;
    }
    feed_encode(l, &f->last, &f->b, &f->nb, &f->capb);
    f->n++;
}

/* A message intern_msg would leave as it is: one with no strings (a vote,
 * a reply), or an AppendEntries whose strings are all the pool's already
 * (an engine's). The feed keeps it as it is, with no copy. */
static bool strings_pooled(struct feed *f, const struct msg *m)
{
    /* The same as the AppendEntries told last (strings by pointer), whose
     * strings are the pool's: a leader's copy to the next follower. */
    if (f->told.k1 && feed_append_same_but_to(&f->told.m, m))
        return true;
    if (m->type == MSG_INSTALL_SNAPSHOT || m->type == MSG_PROMISE || m->type == MSG_ACCEPT ||
        m->type == MSG_ACCEPTED || m->type == MSG_CHOSEN)
        return false;
    if (m->type != MSG_APPEND_ENTRIES)
        return true;
    for (size_t i = 0; i < m->u.ae.n_entries; i++) {
        const struct entry *e = &m->u.ae.entries[i];
        if (intern(f, e->cmd) != e->cmd || intern(f, e->client) != e->client)
            return false;
    }
    return true;
}

/* Whether l is a delivery or a loss whose message's send is still a line
 * of f: append points it back there (msg_back), so its message is not
 * encoded and its strings need no interning. */
static bool told_by_send(const struct feed *f, const struct feed_line *l)
{
    if ((l->kind != FEED_DELIVER && l->kind != FEED_LOST) || !l->msg_id || !f->ring)
        return false;
    const struct feed_ring *r = &f->ring[l->msg_id % FEED_RING];
    return r->msg_id == l->msg_id && r->k < f->n;
}

/* feed_add_line on a line of the caller's, its arguments interned in
 * place (the message of an NA_MSG argument copied if need be). */
static void add_line(struct feed *f, struct feed_line *l)
{
    if (f->n && l->pos < f->last.pos) {
        /* In the past (a warning at an earlier position): before the later
         * lines, so the feed stays in position order. */
        struct feed tail;
        feed_init(&tail);
        feed_set_strings(&tail, f->own_strings ? NULL : f->strings);
        feed_take(f, l->pos + 1, &tail);
        add_line(f, l);
        feed_put(f, &tail);
        return;
    }
    struct msg m;
    const struct msg *told = NULL; /* msg_arg(l) */
    bool sent = told_by_send(f, l);
    for (int k = 0; k < l->note.n_args; k++) {
        struct note_arg *a = &l->note.args[k];
        if (a->kind == NA_STR)
            a->v.s = intern(f, a->v.s ? a->v.s : "");
        else if (a->kind == NA_MSG && a->v.m && !sent && !strings_pooled(f, a->v.m)) {
            m = *a->v.m;
            intern_msg(f, &m, &f->intern_scratch);
            a->v.m = &m;
        } else if (a->kind == NA_MSG && !a->v.m) {
            a->kind = NA_STR, a->v.s = intern(f, ""), a->aux = 0;
        }
        if (a->kind == NA_MSG && !told)
            told = a->v.m;
    }
    append(f, l, told);
}

/* The line's fields before its message, and its first n_args arguments:
 * all feed_encode reads (an NA_MSG argument points at its message). */
static void copy_head(struct feed_line *to, const struct feed_line *from)
{
    to->pos = from->pos;
    to->time = from->time;
    to->node = from->node;
    to->kind = from->kind;
    to->msg_id = from->msg_id;
    to->note.id = from->note.id;
    to->note.n_args = from->note.n_args;
    memcpy(to->note.args, from->note.args, from->note.n_args * sizeof from->note.args[0]);
    to->msg_back = 0;
}

void feed_add_line(struct feed *f, const struct feed_line *src)
{
    struct feed_line l;
    copy_head(&l, src);
    add_line(f, &l);
}

void feed_add(struct feed *f, int64_t time, int node, enum feed_kind kind, uint64_t msg_id,
              const char *fmt, ...)
{
    if (!f)
        return;
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = malloc((size_t)(len > 0 ? len : 0) + 1);
    if (!text)
        abort();
    va_start(ap, fmt);
    vsnprintf(text, (size_t)(len > 0 ? len : 0) + 1, fmt, ap);
    va_end(ap);
    struct proto_note n = {.id = NOTE_FEED_TEXT, .n_args = 1, .args = {note_str(text)}};
    feed_add_note(f, time, node, kind, msg_id, &n, NULL, 0);
    free(text);
}

void feed_add_note(struct feed *f, int64_t time, int node, enum feed_kind kind, uint64_t msg_id,
                   const struct proto_note *n, const char *const *names, int n_names)
{
    feed_add_args(f, time, node, kind, msg_id, n->id, n->args, n->n_args, names, n_names);
}

void feed_add_args(struct feed *f, int64_t time, int node, enum feed_kind kind, uint64_t msg_id,
                   int id, const struct note_arg *args, int n_args, const char *const *names,
                   int n_names)
{
    if (!f)
        return;
    set_names(f, names, n_names);
    struct feed_line l;
    l.pos = f->pos;
    l.time = time;
    l.node = node;
    l.kind = kind;
    l.msg_id = msg_id;
    l.note.id = (uint16_t)id;
    l.note.n_args = (uint8_t)n_args;
    memcpy(l.note.args, args, (size_t)n_args * sizeof *args);
    add_line(f, &l);
}

/* The cached line starts of block blk, or NULL. */
static struct feed_rd_block *rd_find(struct feed *f, size_t blk)
{
    for (int i = 0; i < FEED_RD_BLOCKS; i++)
        if (f->rd[i].blk1 == blk + 1)
            return &f->rd[i];
    return NULL;
}

static void rd_forget(struct feed *f)
{
    for (int i = 0; i < FEED_RD_BLOCKS; i++)
        f->rd[i].blk1 = 0;
}

/* The offset of line k and the state before it, from the block cache
 * (block k's line starts decoded into the least recent entry when absent). */
static size_t seek_line(struct feed *f, size_t k, struct feed_state *st)
{
    size_t blk = k / FEED_BLOCK, i = k % FEED_BLOCK;
    struct feed_rd_block *r = rd_find(f, blk);
    if (!r || i >= r->n) {
        if (!r) {
            r = &f->rd[0];
            for (int j = 1; j < FEED_RD_BLOCKS; j++)
                if (f->rd[j].used < r->used)
                    r = &f->rd[j];
        }
        size_t off = f->blk_off[blk], n = f->n - blk * FEED_BLOCK;
        struct feed_state s = f->blk[blk];
        if (n > FEED_BLOCK)
            n = FEED_BLOCK;
        const uint8_t *p = stream_at(f, blk, off);
        for (size_t j = 0; j < n; j++) {
            r->off[j] = off;
            r->st[j] = s;
            size_t len = feed_decode(p, &s, NULL, NULL);
            off += len;
            p += len;
        }
        r->blk1 = blk + 1;
        r->n = n;
    }
    r->used = ++f->rd_clock;
    *st = r->st[i];
    return r->off[i];
}

void feed_get(const struct feed *cf, size_t k, struct feed_line *l)
{
    struct feed *f = (struct feed *)cf; /* the read cache only */
    struct feed_state st;
    size_t off = seek_line(f, k, &st);
    feed_decode(stream_at(f, k / FEED_BLOCK, off), &st, l, &f->scratch);
    if (l->msg_back) {
        /* The message the line it points back to told (its send). */
        struct feed_line sent;
        memset(&sent.msg, 0, sizeof sent.msg);
        if (l->msg_back <= k)
            feed_get(f, k - l->msg_back, &sent);
        l->msg = sent.msg;
        if (l->msg_to >= 0)
            l->msg.to = l->msg_to;
    }
    l->msg_back = 0;
    l->msg_to = -1;
}

void feed_line_text(const struct feed *f, const struct feed_line *l, struct sbuf *out)
{
    note_render(&l->note, f->names, f->n_names, out);
}

void feed_text(const struct feed *f, size_t k, struct sbuf *out)
{
    struct feed_line l;
    feed_get(f, k, &l);
    feed_line_text(f, &l, out);
}

/* The position of line k (the first of a block straight from the index). */
static uint64_t line_pos(const struct feed *cf, size_t k)
{
    struct feed *f = (struct feed *)cf;
    struct feed_state st;
    size_t off;
    if (k % FEED_BLOCK == 0 && !rd_find(f, k / FEED_BLOCK)) {
        st = f->blk[k / FEED_BLOCK];
        off = f->blk_off[k / FEED_BLOCK];
    } else {
        off = seek_line(f, k, &st);
    }
    feed_decode(stream_at(f, k / FEED_BLOCK, off), &st, NULL, NULL);
    return st.pos;
}

/* The position of block b's last line: the state before the next block
 * carries it, so the search below reads no line (and decompresses no segment)
 * but in the one block it ends in. */
static uint64_t block_last_pos(const struct feed *f, size_t b)
{
    if (b + 1 < f->nblk)
        return f->blk[b + 1].pos;
    return line_pos(f, f->n - 1);
}

/* The first line stamped after pos (f->n if none). */
static size_t first_after(const struct feed *f, uint64_t pos)
{
    /* The first block whose last line is after pos... */
    size_t lo = 0, hi = f->nblk;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (block_last_pos(f, mid) <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == f->nblk)
        return f->n;
    /* ...then the lines of that block in order. */
    size_t k = lo * FEED_BLOCK, end = (lo + 1) * FEED_BLOCK < f->n ? (lo + 1) * FEED_BLOCK : f->n;
    while (k < end && line_pos(f, k) <= pos)
        k++;
    return k;
}

size_t feed_upto(const struct feed *f, uint64_t pos)
{
    return first_after(f, pos);
}

void feed_truncate(struct feed *f, uint64_t pos)
{
    size_t k = pos ? first_after(f, pos - 1) : 0;
    if (k >= f->n)
        return;
    size_t end = seek_line(f, k, &f->last);
    f->n = k;
    f->nblk = (k + FEED_BLOCK - 1) / FEED_BLOCK;
    /* A segment is compressed once the block after it begins. */
    size_t nseg = f->nblk ? (f->nblk - 1) / FEED_SEG_BLOCKS : 0;
    if (nseg < f->z.nseg) {
        /* The segment the end now falls in becomes b again. */
        size_t start = f->blk_off[nseg * FEED_SEG_BLOCKS], n = f->z.seg[nseg].n;
        const uint8_t *raw = feed_zseg_raw(&f->z, nseg);
        f->b = feed_room(f->b, &f->capb, n, 1);
        memcpy(f->b, raw, n);
        f->tail_off = start;
        feed_zseg_truncate(&f->z, nseg);
    }
    f->nb = end - f->tail_off;
    if (f->ring)
        for (size_t i = 0; i < FEED_RING; i++)
            if (f->ring[i].k >= k)
                f->ring[i].msg_id = 0;
    if (f->told.k1 > k)
        f->told.k1 = 0;
    rd_forget(f); /* the cache may hold lines now gone */
}

/* Appends lines [from, to) of src to f, re-encoded. */
static void copy_lines(struct feed *f, const struct feed *src, size_t from, size_t to)
{
    copy_names(f, src->names, src->n_names);
    if (!f->strings && src->strings && !src->own_strings)
        f->strings = src->strings; /* the same pool: the strings stay as they are */
    struct feed_line l;
    for (size_t k = from; k < to; k++) {
        feed_get(src, k, &l);
        if (f->strings == src->strings)
            append(f, &l, msg_arg(&l));
        else
            feed_add_line(f, &l);
    }
}

void feed_take(struct feed *f, uint64_t pos, struct feed *into)
{
    size_t k = pos ? first_after(f, pos - 1) : 0;
    struct feed moved;
    feed_init(&moved);
    moved.strings = f->own_strings ? NULL : f->strings;
    copy_lines(&moved, f, k, f->n);
    copy_lines(&moved, into, 0, into->n);
    moved.pos = into->pos;
    feed_free(into);
    *into = moved;
    feed_truncate(f, pos);
}

void feed_put(struct feed *f, struct feed *from)
{
    copy_lines(f, from, 0, from->n);
    uint64_t pos = from->pos;
    feed_free(from);
    from->pos = pos;
}

const char *feed_kind_name(enum feed_kind k)
{
    static const char *const names[] = {
        [FEED_ACTION] = "action",   [FEED_NOTE] = "note",           [FEED_SEND] = "send",
        [FEED_DELIVER] = "deliver", [FEED_LOST] = "lost",           [FEED_TIMER] = "timer",
        [FEED_APPLY] = "apply",     [FEED_VIOLATION] = "violation", [FEED_INFO] = "info",
    };
    return names[k];
}

int feed_node_index(const char *const *names, int n_names, const char *s, size_t n)
{
    for (int i = 0; i < n_names; i++)
        if (strlen(names[i]) == n && !strncmp(names[i], s, n))
            return i;
    return -1;
}

bool feed_parse_msg(const char *text, const char *const *names, int n_names, char *type, size_t tn,
                    int *from, int *to)
{
    if (*text != '#')
        return false;
    const char *p = text + 1;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p != ' ')
        return false;
    return feed_parse_msg_text(p + 1, names, n_names, type, tn, from, to);
}

bool feed_parse_msg_text(const char *text, const char *const *names, int n_names, char *type,
                         size_t tn, int *from, int *to)
{
    const char *p = text;
    const char *sp = strchr(p, ' ');
    if (!sp || (size_t)(sp - p) >= tn)
        return false;
    memcpy(type, p, (size_t)(sp - p));
    type[sp - p] = 0;
    p = sp + 1;
    const char *arrow = strstr(p, "\xe2\x86\x92");
    if (!arrow)
        return false;
    *from = feed_node_index(names, n_names, p, (size_t)(arrow - p));
    const char *q = arrow + 3;
    size_t n = 0;
    while (q[n] && q[n] != ' ')
        n++;
    *to = feed_node_index(names, n_names, q, n);
    return *from >= 0 && *to >= 0;
}
