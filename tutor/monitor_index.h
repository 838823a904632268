/* monitor_index: an open-addressing hash index from keys to record numbers
 * for the monitors. Lookups and insertions cost O(1) expected, however
 * many records there are: the monitors' work per event does not grow with
 * the run's length. The records live elsewhere (the caller's cowvec); the
 * index holds their numbers and hashes and asks the caller whether a
 * record matches a key.
 *
 * One table serves a monitor and every clone of it (every history
 * snapshot, every state a seek or the explorer makes): cloning shares it,
 * an insertion writes it in place. A copy-on-write table cost the history
 * a 1 KB chunk per insertion and snapshot, since insertions land anywhere
 * (99 of the 600-second workload's 224 MB). Sharing is sound because the
 * table only ever holds candidates: the records a clone holds are the only
 * truth. A lookup skips record numbers past the caller's records and asks
 * match about the rest, so an entry that another line of the history added
 * (the same record number, another key) is passed over, and an entry that
 * a replay adds again is found where it already is. Entries keep their own
 * hash, so growing the table moves each where its lookups will look. */
#ifndef TUTOR_MONITOR_INDEX_H
#define TUTOR_MONITOR_INDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct monitor_index_table;

struct monitor_index {
    struct monitor_index_table *t; /* shared by every clone; NULL until the first add */
};

/* Whether record rec matches the key being looked up. */
typedef bool (*monitor_index_match)(const void *ctx, size_t rec);

void monitor_index_init(struct monitor_index *ix);
void monitor_index_clone(struct monitor_index *dst, const struct monitor_index *src);
void monitor_index_free(struct monitor_index *ix);
/* The record among the caller's first n_recs with this hash that match
 * accepts, or -1. */
long monitor_index_find(const struct monitor_index *ix, uint64_t hash, size_t n_recs,
                        monitor_index_match match, const void *ctx);
/* Adds record rec with this hash (its key not among the caller's other
 * records). */
void monitor_index_add(struct monitor_index *ix, uint64_t hash, size_t rec);
/* The bytes of the shared table (counted once however many share it). */
size_t monitor_index_bytes(const struct monitor_index *ix);
/* A 64-bit mix of x, and the hash of a string. */
uint64_t monitor_hash_mix(uint64_t x);
uint64_t monitor_hash_text(const char *text);

#endif
