/* monitor_index: an open-addressing hash index from keys to record numbers,
 * stored in a cowvec so that cloning a monitor (every history snapshot)
 * shares it and an insertion unshares one chunk. Lookups and insertions
 * cost O(1) expected, however many records there are: the monitors'
 * work per event does not grow with the run's length. The records live
 * elsewhere (the caller's cowvec); the index holds their numbers and asks
 * the caller whether a record matches a key and what a record's hash is. */
#ifndef TUTOR_MONITOR_INDEX_H
#define TUTOR_MONITOR_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocols/cowvec.h"

struct monitor_index {
    struct cowvec table; /* uint32_t: record number + 1, 0 for empty */
    size_t used;
};

/* Whether record rec matches the key being looked up. */
typedef bool (*monitor_index_match)(const void *ctx, size_t rec);
/* The hash of record rec (to rebuild the table as it grows). */
typedef uint64_t (*monitor_index_hash)(const void *ctx, size_t rec);

void monitor_index_init(struct monitor_index *ix);
void monitor_index_clone(struct monitor_index *dst, const struct monitor_index *src);
void monitor_index_free(struct monitor_index *ix);
/* The record with this hash that match accepts, or -1. */
long monitor_index_find(const struct monitor_index *ix, uint64_t hash, monitor_index_match match,
                        const void *ctx);
/* Adds record rec with this hash (not already present). */
void monitor_index_add(struct monitor_index *ix, uint64_t hash, size_t rec,
                       monitor_index_hash rehash, const void *ctx);
/* A 64-bit mix of x, and the hash of a string. */
uint64_t monitor_hash_mix(uint64_t x);
uint64_t monitor_hash_text(const char *text);

#endif
