/* strpool: string interning with an open-addressing hash table over
 * strings stored in large blocks (pointers stay valid until the pool is
 * freed). */
#include "strpool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE 65536

struct block {
    struct block *next;
    size_t used, size;
    char data[];
};

struct strpool {
    struct block *blocks;
    const char **slots; /* hash table of interned strings */
    size_t n, cap;
    /* The strings interned last, by their address's low byte: the pool
     * stores strings back to back, a few bytes apart (commands "c48",
     * "c49"), so dropping low bits would put neighbours in one slot. */
    const char *recent[256];
};

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p)
        abort();
    return p;
}

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

struct strpool *strpool_new(void)
{
    struct strpool *p = xcalloc(1, sizeof *p);
    p->cap = 256;
    p->slots = xcalloc(p->cap, sizeof *p->slots);
    return p;
}

void strpool_free(struct strpool *p)
{
    if (!p)
        return;
    for (struct block *b = p->blocks, *next; b; b = next) {
        next = b->next;
        free(b);
    }
    free(p->slots);
    free(p);
}

static const char *store(struct strpool *p, const char *s)
{
    size_t len = strlen(s) + 1;
    struct block *b = p->blocks;
    if (!b || b->size - b->used < len) {
        size_t size = len > BLOCK_SIZE ? len : BLOCK_SIZE;
        b = xcalloc(1, sizeof *b + size);
        b->size = size;
        b->next = p->blocks;
        p->blocks = b;
    }
    char *copy = b->data + b->used;
    memcpy(copy, s, len);
    b->used += len;
    return copy;
}

static void grow(struct strpool *p)
{
    size_t cap = p->cap * 2;
    const char **slots = xcalloc(cap, sizeof *slots);
    for (size_t i = 0; i < p->cap; i++) {
        if (!p->slots[i])
            continue;
        size_t j = hash(p->slots[i]) & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = p->slots[i];
    }
    free(p->slots);
    p->slots = slots;
    p->cap = cap;
}

const char *strpool_intern(struct strpool *p, const char *s)
{
    if (!s)
        return NULL;
    size_t r = (uintptr_t)s & 255;
    if (p->recent[r] == s)
        return s;
    if ((p->n + 1) * 2 > p->cap)
        grow(p);
    size_t i = hash(s) & (p->cap - 1);
    while (p->slots[i]) {
        if (strcmp(p->slots[i], s) == 0)
            return p->recent[(uintptr_t)p->slots[i] & 255] = p->slots[i];
        i = (i + 1) & (p->cap - 1);
    }
    p->slots[i] = store(p, s);
    p->n++;
    return p->recent[(uintptr_t)p->slots[i] & 255] = p->slots[i];
}
