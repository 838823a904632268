/* cowvec: chunked copy-on-write vector. Reference counts are plain ints:
 * everything runs on one thread. */
#include "cowvec.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct cowvec_chunk {
    int refs;
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
    memset(c->data, 0, elem * COWVEC_CHUNK);
    return c;
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

void cowvec_free(struct cowvec *v)
{
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
    struct cowvec_chunk *copy = chunk_new(v->elem);
    memcpy(copy->data, c->data, v->elem * COWVEC_CHUNK);
    chunk_release(c);
    v->chunks[chunk] = copy;
}

void *cowvec_mut(struct cowvec *v, size_t i)
{
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
    v->len++;
    memcpy(cowvec_mut(v, v->len - 1), elem, v->elem);
}

void cowvec_truncate(struct cowvec *v, size_t len)
{
    if (len >= v->len)
        return;
    size_t keep = (len + COWVEC_CHUNK - 1) / COWVEC_CHUNK;
    for (size_t i = keep; i < v->n_chunks; i++)
        chunk_release(v->chunks[i]);
    v->n_chunks = keep;
    v->len = len;
    /* Zero the tail of the last chunk so a later push or resize sees zeros. */
    if (len % COWVEC_CHUNK) {
        unshare(v, keep - 1);
        unsigned char *d = v->chunks[keep - 1]->data;
        size_t from = (len % COWVEC_CHUNK) * v->elem;
        memset(d + from, 0, v->elem * COWVEC_CHUNK - from);
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
