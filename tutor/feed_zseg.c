/* feed_zseg: deflated segments of a feed's stream and a cache of inflated
 * ones (see the header). */
#include "feed_zseg.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Raw deflate (no zlib header, no Adler-32 checksum: the bytes never
 * leave the process, and the checksum cost a fifth of the compression). */
static size_t deflate_raw(uint8_t *out, size_t cap, const uint8_t *in, size_t n)
{
    z_stream s = {0};
    if (deflateInit2(&s, Z_BEST_SPEED, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        abort();
    s.next_in = (Bytef *)in;
    s.avail_in = (uInt)n;
    s.next_out = out;
    s.avail_out = (uInt)cap;
    if (deflate(&s, Z_FINISH) != Z_STREAM_END)
        abort();
    size_t nz = s.total_out;
    deflateEnd(&s);
    return nz;
}

static void inflate_raw(uint8_t *out, size_t n, const uint8_t *in, size_t nz)
{
    z_stream s = {0};
    if (inflateInit2(&s, -MAX_WBITS) != Z_OK)
        abort();
    s.next_in = (Bytef *)in;
    s.avail_in = (uInt)nz;
    s.next_out = out;
    s.avail_out = (uInt)n;
    if (inflate(&s, Z_FINISH) != Z_STREAM_END || s.total_out != n)
        abort(); /* our own bytes: cannot happen */
    inflateEnd(&s);
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
    size_t room = deflateBound(NULL, (uLong)n);
    uint8_t *out = malloc(room ? room : 1);
    if (!out)
        abort();
    size_t nz = deflate_raw(out, room, *raw, n);
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
    inflate_raw(c->raw, g->n, g->z, g->nz);
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
