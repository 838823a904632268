/* monitor_index: a copy-on-write hash index for the monitors (see the
 * header). Linear probing over a power-of-two table kept at most half
 * full. */
#include "monitor_index.h"

void monitor_index_init(struct monitor_index *ix)
{
    cowvec_init(&ix->table, sizeof(uint32_t));
    ix->used = 0;
}

void monitor_index_clone(struct monitor_index *dst, const struct monitor_index *src)
{
    cowvec_clone(&dst->table, &src->table);
    dst->used = src->used;
}

void monitor_index_free(struct monitor_index *ix)
{
    cowvec_free(&ix->table);
    ix->used = 0;
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

long monitor_index_find(const struct monitor_index *ix, uint64_t hash, monitor_index_match match,
                        const void *ctx)
{
    size_t cap = ix->table.len;
    if (!cap)
        return -1;
    for (size_t i = hash & (cap - 1);; i = (i + 1) & (cap - 1)) {
        uint32_t v = *(const uint32_t *)cowvec_at(&ix->table, i);
        if (!v)
            return -1;
        if (match(ctx, v - 1))
            return (long)(v - 1);
    }
}

static void put(struct cowvec *table, uint64_t hash, size_t rec)
{
    size_t cap = table->len;
    size_t i = hash & (cap - 1);
    while (*(const uint32_t *)cowvec_at(table, i))
        i = (i + 1) & (cap - 1);
    *(uint32_t *)cowvec_mut(table, i) = (uint32_t)(rec + 1);
}

void monitor_index_add(struct monitor_index *ix, uint64_t hash, size_t rec,
                       monitor_index_hash rehash, const void *ctx)
{
    if ((ix->used + 1) * 2 > ix->table.len) {
        /* Grow: every record number in the table goes into one twice the
         * size (amortized O(1) per insertion). */
        struct cowvec bigger;
        cowvec_init(&bigger, sizeof(uint32_t));
        cowvec_resize_zero(&bigger, ix->table.len ? ix->table.len * 2 : 64);
        for (size_t i = 0; i < ix->table.len; i++) {
            uint32_t v = *(const uint32_t *)cowvec_at(&ix->table, i);
            if (v)
                put(&bigger, rehash(ctx, v - 1), v - 1);
        }
        cowvec_free(&ix->table);
        ix->table = bigger;
    }
    put(&ix->table, hash, rec);
    ix->used++;
}
