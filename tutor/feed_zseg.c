/* feed_zseg: compressed segments of a feed's stream and a cache of
 * decompressed ones (see the header). */
#include "feed_zseg.h"

#include <stdlib.h>
#include <string.h>
#include <zstd.h>

/* zstd at level 1: two and a half times the speed of deflate at level 1
 * on these bytes, and smaller output. One context each way, kept with
 * the store, so a segment allocates nothing to (de)compress. */
static size_t compress_seg(struct feed_zstore *z, uint8_t *out, size_t cap, const uint8_t *in,
                           size_t n)
{
    if (!z->cctx && !(z->cctx = ZSTD_createCCtx()))
        abort();
    size_t nz = ZSTD_compressCCtx(z->cctx, out, cap, in, n, FEED_ZSTD_LEVEL);
    if (ZSTD_isError(nz))
        abort();
    return nz;
}

static void decompress_seg(struct feed_zstore *z, uint8_t *out, size_t n, const uint8_t *in,
                           size_t nz)
{
    if (!z->dctx && !(z->dctx = ZSTD_createDCtx()))
        abort();
    size_t got = ZSTD_decompressDCtx(z->dctx, out, n, in, nz);
    if (ZSTD_isError(got) || got != n)
        abort(); /* our own bytes: cannot happen */
}

static struct feed_zcached *least_recent(struct feed_zstore *z)
{
    struct feed_zcached *c = &z->cache[0];
    for (int i = 1; i < FEED_ZCACHE; i++)
        if (z->cache[i].used < c->used)
            c = &z->cache[i];
    return c;
}

void feed_zseg_seal(struct feed_zstore *z, uint8_t **raw, size_t *cap, size_t n)
{
    if (z->nseg == z->capseg) {
        z->capseg = z->capseg ? z->capseg * 2 : 16;
        z->seg = realloc(z->seg, z->capseg * sizeof *z->seg);
        if (!z->seg)
            abort();
    }
    size_t room = ZSTD_compressBound(n);
    uint8_t *out = malloc(room ? room : 1);
    if (!out)
        abort();
    size_t nz = compress_seg(z, out, room, *raw, n);
    uint8_t *fit = realloc(out, nz ? nz : 1);
    z->seg[z->nseg] = (struct feed_zseg){fit ? fit : out, nz, n};
    /* The raw bytes just sealed are the likeliest read next: the cache
     * takes the buffer, the caller the one it lets go of. */
    struct feed_zcached *c = least_recent(z);
    uint8_t *old = c->raw;
    size_t old_cap = c->cap;
    c->raw = *raw;
    c->cap = *cap;
    c->seg1 = ++z->nseg;
    c->used = ++z->clock;
    *raw = old;
    *cap = old_cap;
}

const uint8_t *feed_zseg_raw(struct feed_zstore *z, size_t s)
{
    for (int i = 0; i < FEED_ZCACHE; i++)
        if (z->cache[i].seg1 == s + 1) {
            z->cache[i].used = ++z->clock;
            return z->cache[i].raw;
        }
    struct feed_zcached *c = least_recent(z);
    const struct feed_zseg *g = &z->seg[s];
    if (c->cap < g->n) {
        free(c->raw);
        c->raw = malloc(g->n);
        c->cap = g->n;
        if (!c->raw)
            abort();
    }
    decompress_seg(z, c->raw, g->n, g->z, g->nz);
    c->seg1 = s + 1;
    c->used = ++z->clock;
    return c->raw;
}

void feed_zseg_truncate(struct feed_zstore *z, size_t nseg)
{
    while (z->nseg > nseg)
        free(z->seg[--z->nseg].z);
    for (int i = 0; i < FEED_ZCACHE; i++)
        if (z->cache[i].seg1 > nseg)
            z->cache[i].seg1 = 0;
}

void feed_zseg_free(struct feed_zstore *z)
{
    feed_zseg_truncate(z, 0);
    free(z->seg);
    for (int i = 0; i < FEED_ZCACHE; i++)
        free(z->cache[i].raw);
    ZSTD_freeCCtx(z->cctx);
    ZSTD_freeDCtx(z->dctx);
    memset(z, 0, sizeof *z);
}

size_t feed_zseg_bytes(const struct feed_zstore *z)
{
    size_t n = z->capseg * sizeof *z->seg;
    for (size_t i = 0; i < z->nseg; i++)
        n += z->seg[i].nz;
    for (int i = 0; i < FEED_ZCACHE; i++)
        n += z->cache[i].cap;
    return n;
}
