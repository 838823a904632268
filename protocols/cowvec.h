/* cowvec: a vector of fixed-size elements stored in reference-counted
 * chunks, copied on write. Cloning costs one pointer per chunk, so the
 * history can keep many snapshots of long logs without copying them. */
#ifndef PROTOCOLS_COWVEC_H
#define PROTOCOLS_COWVEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#define COWVEC_CHUNK 256 /* elements per chunk */

struct cowvec_watch;

/* A chunk of elements shared by the vectors that hold it (cowvec.c);
 * here so that clone and free can be inlined. */
struct cowvec_chunk {
    int refs;
    /* Elements ever written (its high-water mark): every vector sharing
     * the chunk holds at most this many of its elements, so one that holds
     * exactly this many may append in place without copying the chunk (the
     * others never read past their own length). */
    int used;
    /* Elements it has room for (up to COWVEC_CHUNK): a chunk starts
     * small and grows, so a vector of two elements costs a small malloc
     * to copy, not room for COWVEC_CHUNK. */
    int cap;
    /* Aligned for any element type: after a lone int, data would sit at
     * offset 4, misaligned for elements holding 8-byte fields. */
    _Alignas(max_align_t) unsigned char data[];
};

struct cowvec {
    size_t elem; /* element size in bytes */
    size_t len;  /* elements */
    size_t n_chunks, cap_chunks;
    /* A vector of one chunk holds it here (cap_chunks <= 1), so cloning
     * or freeing a short vector costs no malloc; a longer one, an array.
     * By value: a bitwise copy of the struct is a valid read-only view. */
    union {
        struct cowvec_chunk **chunks; /* cap_chunks > 1 */
        struct cowvec_chunk *one;     /* cap_chunks <= 1 */
    };
    struct cowvec_watch *watch; /* see cowvec_watch; never carried by a clone */
};

/* A watch on a vector: until the first change to an element the vector
 * holds (cowvec_mut, a truncation, cowvec_free), it only grows, so its
 * first `len` elements are those it had when watched; that first change
 * makes `before` a clone of the vector as it was (saved), at the cost of
 * one clone, and ends the watch. Lets a caller compare a vector with its
 * past without cloning it ahead of every change that may never come. */
struct cowvec_watch {
    size_t len;           /* the vector's length when watched */
    bool saved;           /* before holds the vector as it was */
    struct cowvec before; /* valid when saved; the watcher frees it */
};

void cowvec_init(struct cowvec *v, size_t elem);
/* The general cases of cowvec_free and cowvec_clone (below). */
void cowvec_free_slow(struct cowvec *v);
void cowvec_clone_slow(struct cowvec *dst, const struct cowvec *src);

/* Clone and free are the explorer's hot path: a Raft cluster holds some
 * 27 vectors, cloned and freed per successor, most of them empty or of
 * one chunk; those cases are inline. */
static inline void cowvec_free(struct cowvec *v)
{
    if (v->watch || v->cap_chunks > 1) {
        cowvec_free_slow(v);
        return;
    }
    if (v->n_chunks && --v->one->refs == 0)
        free(v->one);
    v->len = v->n_chunks = v->cap_chunks = 0;
    v->one = NULL;
}

/* dst becomes a copy of src sharing its chunks; dst must not be initialised. */
static inline void cowvec_clone(struct cowvec *dst, const struct cowvec *src)
{
    if (src->n_chunks > 1) {
        cowvec_clone_slow(dst, src);
        return;
    }
    dst->elem = src->elem;
    dst->len = src->len;
    dst->n_chunks = dst->cap_chunks = src->n_chunks;
    dst->watch = NULL;
    dst->one = NULL;
    if (src->n_chunks) {
        dst->one = src->cap_chunks > 1 ? src->chunks[0] : src->one;
        dst->one->refs++;
    }
}
/* Element i (0-based, i < len), read-only (inline: the explorer's hashes
 * read every log entry). */
static inline const void *cowvec_at(const struct cowvec *v, size_t i)
{
    const struct cowvec_chunk *c = v->cap_chunks > 1 ? v->chunks[i / COWVEC_CHUNK] : v->one;
    return c->data + (i % COWVEC_CHUNK) * v->elem;
}
/* Element i for writing: its chunk is unshared first. */
void *cowvec_mut(struct cowvec *v, size_t i);
void cowvec_push(struct cowvec *v, const void *elem);
/* Keeps the first len elements (len <= v->len). */
void cowvec_truncate(struct cowvec *v, size_t len);
/* The first index at which a and b differ (byte-wise), or the shorter
 * length if one is a prefix of the other. Shared chunks are skipped
 * without reading them, so comparing a vector with its recent clone is
 * cheap. */
size_t cowvec_first_diff(const struct cowvec *a, const struct cowvec *b);
/* Starts watching v with w (one watch at a time; w outlives the watch). */
void cowvec_watch(struct cowvec *v, struct cowvec_watch *w);
/* Ends w's watch on v if it still runs (v may be another vector by now,
 * one that replaced the watched one after freeing it). */
void cowvec_unwatch(struct cowvec *v, struct cowvec_watch *w);
/* Grows to len elements, new ones zero-filled (len >= v->len). */
void cowvec_resize_zero(struct cowvec *v, size_t len);

#endif
