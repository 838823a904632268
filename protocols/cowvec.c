/* cowvec: chunked copy-on-write vector. Reference counts are plain ints:
 * everything runs on one thread. */
#include "cowvec.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct cowvec_chunk {
    int refs;
    /* Elements ever written (its high-water mark): every vector sharing
     * the chunk holds at most this many of its elements, so one that holds
     * exactly this many may append in place without copying the chunk (the
     * others never read past their own length). */
    int used;
    /* Aligned for any element type: after a lone int, data would sit at
     * offset 4, misaligned for elements holding 8-byte fields. */
    _Alignas(max_align_t) unsigned char data[];
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        abort();
    return p;
}

static struct cowvec_chunk *chunk_new(size_t elem)
{
    struct cowvec_chunk *c = xmalloc(sizeof *c + elem * COWVEC_CHUNK);
    c->refs = 1;
    c->used = 0;
    memset(c->data, 0, elem * COWVEC_CHUNK);
    return c;
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

void cowvec_free(struct cowvec *v)
{
    before_change(v);
    for (size_t i = 0; i < v->n_chunks; i++)
        chunk_release(v->chunks[i]);
    free(v->chunks);
    cowvec_init(v, v->elem);
}

void cowvec_clone(struct cowvec *dst, const struct cowvec *src)
{
    cowvec_init(dst, src->elem);
    dst->len = src->len;
    dst->n_chunks = dst->cap_chunks = src->n_chunks;
    if (src->n_chunks) {
        dst->chunks = xmalloc(src->n_chunks * sizeof *dst->chunks);
        for (size_t i = 0; i < src->n_chunks; i++) {
            dst->chunks[i] = src->chunks[i];
            dst->chunks[i]->refs++;
        }
    }
}

const void *cowvec_at(const struct cowvec *v, size_t i)
{
    return v->chunks[i / COWVEC_CHUNK]->data + (i % COWVEC_CHUNK) * v->elem;
}

static void unshare(struct cowvec *v, size_t chunk)
{
    struct cowvec_chunk *c = v->chunks[chunk];
    if (c->refs == 1)
        return;
    /* Only what v holds: the rest may be another vector's appends. */
    size_t n = held(v, chunk);
    struct cowvec_chunk *copy = xmalloc(sizeof *copy + v->elem * COWVEC_CHUNK);
    copy->refs = 1;
    copy->used = (int)n;
    memcpy(copy->data, c->data, v->elem * n);
    memset(copy->data + v->elem * n, 0, v->elem * (COWVEC_CHUNK - n));
    chunk_release(c);
    v->chunks[chunk] = copy;
}

void *cowvec_mut(struct cowvec *v, size_t i)
{
    before_change(v);
    unshare(v, i / COWVEC_CHUNK);
    return v->chunks[i / COWVEC_CHUNK]->data + (i % COWVEC_CHUNK) * v->elem;
}

void cowvec_push(struct cowvec *v, const void *elem)
{
    size_t chunk = v->len / COWVEC_CHUNK;
    if (chunk == v->n_chunks) {
        if (v->n_chunks == v->cap_chunks) {
            v->cap_chunks = v->cap_chunks ? v->cap_chunks * 2 : 4;
            struct cowvec_chunk **c = realloc(v->chunks, v->cap_chunks * sizeof *c);
            if (!c)
                abort();
            v->chunks = c;
        }
        v->chunks[v->n_chunks++] = chunk_new(v->elem);
    }
    size_t at = v->len % COWVEC_CHUNK;
    /* Shared, the chunk is copied unless v is the one at its high-water
     * mark: then the new element is past what every other sharer reads. */
    if (v->chunks[chunk]->refs > 1 && at != (size_t)v->chunks[chunk]->used)
        unshare(v, chunk);
    struct cowvec_chunk *c = v->chunks[chunk];
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
    for (size_t i = keep; i < v->n_chunks; i++)
        chunk_release(v->chunks[i]);
    v->n_chunks = keep;
    v->len = len;
    /* An unshared last chunk: zero its tail (its high-water mark falls
     * back). A shared one stays as it is: the next push past its mark
     * copies it. */
    if (len % COWVEC_CHUNK && v->chunks[keep - 1]->refs == 1) {
        struct cowvec_chunk *c = v->chunks[keep - 1];
        size_t from = (len % COWVEC_CHUNK) * v->elem;
        memset(c->data + from, 0, v->elem * COWVEC_CHUNK - from);
        c->used = (int)(len % COWVEC_CHUNK);
    }
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
    for (size_t c = 0; c * COWVEC_CHUNK < n; c++) {
        if (a->chunks[c] == b->chunks[c])
            continue;
        size_t end = (c + 1) * COWVEC_CHUNK < n ? (c + 1) * COWVEC_CHUNK : n;
        for (size_t i = c * COWVEC_CHUNK; i < end; i++)
            if (memcmp(cowvec_at(a, i), cowvec_at(b, i), a->elem) != 0)
                return i;
    }
    return n;
}
