/* monitor_index: a hash index shared by a monitor and its clones (see the
 * header). Linear probing over a power-of-two table kept at most half
 * full; entries are never removed, so a probe run that once passed an
 * entry always does. */
#include "monitor_index.h"

#include <stdlib.h>

struct mi_entry {
    uint32_t rec1; /* record number + 1; 0: empty */
    uint32_t hash; /* the low 32 bits of its hash: where it belongs at any size */
};

struct monitor_index_table {
    size_t refs;
    size_t cap, used;
    struct mi_entry *e;
};

void monitor_index_init(struct monitor_index *ix)
{
    ix->t = NULL;
}

void monitor_index_clone(struct monitor_index *dst, const struct monitor_index *src)
{
    dst->t = src->t;
    if (dst->t)
        dst->t->refs++;
}

void monitor_index_free(struct monitor_index *ix)
{
    if (ix->t && --ix->t->refs == 0) {
        free(ix->t->e);
        free(ix->t);
    }
    ix->t = NULL;
}

size_t monitor_index_bytes(const struct monitor_index *ix)
{
    return ix->t ? sizeof *ix->t + ix->t->cap * sizeof *ix->t->e : 0;
}

uint64_t monitor_hash_mix(uint64_t x)
{
    /* splitmix64's finalizer */
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

uint64_t monitor_hash_text(const char *text)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    return monitor_hash_mix(h);
}

long monitor_index_find(const struct monitor_index *ix, uint64_t hash, size_t n_recs,
                        monitor_index_match match, const void *ctx)
{
    const struct monitor_index_table *t = ix->t;
    if (!t)
        return -1;
    for (size_t i = hash & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        struct mi_entry v = t->e[i];
        if (!v.rec1)
            return -1;
        /* Another line's record (past ours, or ours under another key)
         * is passed over. */
        if (v.hash == (uint32_t)hash && v.rec1 - 1 < n_recs && match(ctx, v.rec1 - 1))
            return (long)(v.rec1 - 1);
    }
}

/* Puts the entry in its probe run, unless it is there already (a replay
 * adding what an earlier pass added). */
static void put(struct monitor_index_table *t, struct mi_entry v)
{
    size_t i = v.hash & (t->cap - 1);
    for (; t->e[i].rec1; i = (i + 1) & (t->cap - 1))
        if (t->e[i].rec1 == v.rec1 && t->e[i].hash == v.hash)
            return;
    t->e[i] = v;
    t->used++;
}

void monitor_index_add(struct monitor_index *ix, uint64_t hash, size_t rec)
{
    if (rec >= UINT32_MAX)
        abort(); /* record numbers are kept in 32 bits */
    struct monitor_index_table *t = ix->t;
    if (!t) {
        t = ix->t = calloc(1, sizeof *t);
        if (!t)
            abort();
        t->refs = 1;
    }
    if ((t->used + 1) * 2 > t->cap) {
        /* Grow: every entry into a table twice the size, where its own
         * hash puts it (amortized O(1) per insertion). */
        struct monitor_index_table old = *t;
        t->cap = old.cap ? old.cap * 2 : 64;
        t->used = 0;
        t->e = calloc(t->cap, sizeof *t->e);
        if (!t->e)
            abort();
        for (size_t i = 0; i < old.cap; i++)
            if (old.e[i].rec1)
                put(t, old.e[i]);
        free(old.e);
    }
    put(t, (struct mi_entry){(uint32_t)(rec + 1), (uint32_t)hash});
}
