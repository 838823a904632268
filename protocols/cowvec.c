/* cowvec: chunked copy-on-write vector. Reference counts are plain ints:
 * everything runs on one thread. */
#include "cowvec.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        abort();
    return p;
}

/* A chunk with room for cap elements holding the first n of from's (from
 * may be NULL when n is 0). The elements past a chunk's high-water mark
 * are never read (see used), so they are left as malloc gave them. */
static struct cowvec_chunk *chunk_new(size_t elem, size_t cap, const struct cowvec_chunk *from,
                                      size_t n)
{
    struct cowvec_chunk *c = xmalloc(sizeof *c + elem * cap);
    c->refs = 1;
    c->used = (int)n;
    c->cap = (int)cap;
    if (n)
        memcpy(c->data, from->data, elem * n);
    return c;
}

/* Room for at least n elements: a power of two from 4 to COWVEC_CHUNK. */
static size_t room_for(size_t n)
{
    size_t cap = 4;
    while (cap < n && cap < COWVEC_CHUNK)
        cap *= 2;
    return cap;
}

/* v's chunk pointers, wherever they are kept. */
static struct cowvec_chunk **slots(struct cowvec *v)
{
    return v->cap_chunks > 1 ? v->chunks : &v->one;
}

static struct cowvec_chunk *const *slots_const(const struct cowvec *v)
{
    return v->cap_chunks > 1 ? v->chunks : &v->one;
}

/* How many elements of chunk c v holds. */
static size_t held(const struct cowvec *v, size_t c)
{
    size_t from = c * COWVEC_CHUNK;
    return v->len - from < COWVEC_CHUNK ? v->len - from : COWVEC_CHUNK;
}

static void chunk_release(struct cowvec_chunk *c)
{
    if (--c->refs == 0)
        free(c);
}

void cowvec_init(struct cowvec *v, size_t elem)
{
    memset(v, 0, sizeof *v);
    v->elem = elem;
}

void cowvec_watch(struct cowvec *v, struct cowvec_watch *w)
{
    w->len = v->len;
    w->saved = false;
    v->watch = w;
}

void cowvec_unwatch(struct cowvec *v, struct cowvec_watch *w)
{
    if (v->watch == w)
        v->watch = NULL;
}

/* Before a change to an element v holds: a watcher gets v as it was. */
static void before_change(struct cowvec *v)
{
    struct cowvec_watch *w = v->watch;
    if (!w)
        return;
    v->watch = NULL;
    /* As it was when watched: what it grew since then cut off. */
    cowvec_clone(&w->before, v);
    cowvec_truncate(&w->before, w->len);
    w->saved = true;
}

void cowvec_free_slow(struct cowvec *v)
{
    before_change(v);
    struct cowvec_chunk **c = slots(v);
    for (size_t i = 0; i < v->n_chunks; i++)
        chunk_release(c[i]);
    if (v->cap_chunks > 1)
        free(v->chunks);
    v->len = v->n_chunks = v->cap_chunks = 0;
    v->chunks = NULL;
}

void cowvec_clone_slow(struct cowvec *dst, const struct cowvec *src)
{
    *dst = *src;
    dst->watch = NULL;
    dst->cap_chunks = src->n_chunks;
    dst->chunks = xmalloc(src->n_chunks * sizeof *dst->chunks);
    struct cowvec_chunk *const *c = slots_const(src);
    for (size_t i = 0; i < src->n_chunks; i++) {
        dst->chunks[i] = c[i];
        dst->chunks[i]->refs++;
    }
}

static void unshare(struct cowvec *v, size_t chunk)
{
    struct cowvec_chunk *c = slots(v)[chunk];
    if (c->refs == 1)
        return;
    /* Only what v holds: the rest may be another vector's appends. */
    size_t n = held(v, chunk);
    struct cowvec_chunk *copy = chunk_new(v->elem, room_for(n + 1), c, n);
    chunk_release(c);
    slots(v)[chunk] = copy;
}

void *cowvec_mut(struct cowvec *v, size_t i)
{
    before_change(v);
    unshare(v, i / COWVEC_CHUNK);
    return slots(v)[i / COWVEC_CHUNK]->data + (i % COWVEC_CHUNK) * v->elem;
}

void cowvec_push(struct cowvec *v, const void *elem)
{
    size_t chunk = v->len / COWVEC_CHUNK;
    if (chunk == v->n_chunks) {
        if (v->n_chunks == v->cap_chunks) {
            if (v->cap_chunks == 0) {
                v->cap_chunks = 1; /* the first chunk: kept inline */
            } else if (v->cap_chunks == 1) {
                struct cowvec_chunk **c = xmalloc(4 * sizeof *c);
                c[0] = v->one;
                v->chunks = c;
                v->cap_chunks = 4;
            } else {
                v->cap_chunks *= 2;
                struct cowvec_chunk **c = realloc(v->chunks, v->cap_chunks * sizeof *c);
                if (!c)
                    abort();
                v->chunks = c;
            }
        }
        /* The first chunk starts small (most vectors stay short: the
         * explorer clones thousands a second); a later one is a long
         * vector's, and takes its full room at once, so appending to it
         * while a snapshot shares it never copies it to grow. */
        slots(v)[v->n_chunks++] = chunk_new(v->elem, chunk ? COWVEC_CHUNK : room_for(1), NULL, 0);
    }
    size_t at = v->len % COWVEC_CHUNK;
    /* Shared, the chunk is copied unless v is the one at its high-water
     * mark: then the new element is past what every other sharer reads. */
    if (slots(v)[chunk]->refs > 1 && at != (size_t)slots(v)[chunk]->used)
        unshare(v, chunk);
    struct cowvec_chunk *c = slots(v)[chunk];
    if (at == (size_t)c->cap) {
        /* Full: grown (copied when shared: the others keep the old one). */
        struct cowvec_chunk *big = chunk_new(v->elem, room_for(at + 1), c, at);
        chunk_release(c);
        slots(v)[chunk] = c = big;
    }
    memcpy(c->data + at * v->elem, elem, v->elem);
    if ((int)at + 1 > c->used)
        c->used = (int)at + 1;
    v->len++;
}

void cowvec_truncate(struct cowvec *v, size_t len)
{
    if (len >= v->len)
        return;
    before_change(v);
    size_t keep = (len + COWVEC_CHUNK - 1) / COWVEC_CHUNK;
    struct cowvec_chunk **c = slots(v);
    for (size_t i = keep; i < v->n_chunks; i++)
        chunk_release(c[i]);
    v->n_chunks = keep;
    v->len = len;
    /* An unshared last chunk: its high-water mark falls back. A shared one
     * stays as it is: the next push past its mark copies it. */
    if (len % COWVEC_CHUNK && c[keep - 1]->refs == 1)
        c[keep - 1]->used = (int)(len % COWVEC_CHUNK);
}

void cowvec_resize_zero(struct cowvec *v, size_t len)
{
    static const unsigned char zero[64];
    unsigned char *buf = v->elem <= sizeof zero ? NULL : calloc(1, v->elem);
    while (v->len < len)
        cowvec_push(v, buf ? buf : zero);
    free(buf);
}

size_t cowvec_first_diff(const struct cowvec *a, const struct cowvec *b)
{
    size_t n = a->len < b->len ? a->len : b->len;
    struct cowvec_chunk *const *ca = slots_const(a), *const *cb = slots_const(b);
    for (size_t c = 0; c * COWVEC_CHUNK < n; c++) {
        if (ca[c] == cb[c])
            continue;
        size_t end = (c + 1) * COWVEC_CHUNK < n ? (c + 1) * COWVEC_CHUNK : n;
        for (size_t i = c * COWVEC_CHUNK; i < end; i++)
            if (memcmp(cowvec_at(a, i), cowvec_at(b, i), a->elem) != 0)
                return i;
    }
    return n;
}
