/* lesson_arena: the bump allocator that owns everything a lesson allocates,
 * so lesson_free releases a whole lesson (and every learner command parsed
 * against it) at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tutor/lesson_internal.h"

#define CHUNK_SIZE (64 * 1024)

struct chunk {
    struct chunk *next;
    size_t used, cap;
    max_align_t data[];
};

struct kept_json {
    struct kept_json *next;
    cJSON *doc;
};

struct lesson_arena {
    struct chunk *chunks;
    struct kept_json *docs;
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p)
        abort();
    return p;
}

struct lesson_arena *lesson_arena_new(void)
{
    struct lesson_arena *a = xmalloc(sizeof *a);
    a->chunks = NULL;
    a->docs = NULL;
    return a;
}

void lesson_arena_free(struct lesson_arena *a)
{
    if (!a)
        return;
    for (struct chunk *c = a->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    for (struct kept_json *k = a->docs, *next; k; k = next) {
        next = k->next;
        cJSON_Delete(k->doc);
        free(k);
    }
    free(a);
}

void *lesson_alloc(struct lesson_arena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    if (n == 0)
        n = 1;
    if (n > SIZE_MAX / 2)
        abort();
    n = (n + align - 1) / align * align;
    struct chunk *c = a->chunks;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > CHUNK_SIZE / 2 ? n : CHUNK_SIZE;
        struct chunk *nc = xmalloc(sizeof *nc + cap);
        nc->used = 0;
        nc->cap = cap;
        if (c && n > CHUNK_SIZE / 2) {
            /* A big block gets its own chunk behind the current one, so the
             * current chunk's free space is not wasted. */
            nc->next = c->next;
            c->next = nc;
        } else {
            nc->next = c;
            a->chunks = nc;
        }
        c = nc;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

void *lesson_alloc_array(struct lesson_arena *a, size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        abort();
    return lesson_alloc(a, n * size);
}

char *lesson_strndup(struct lesson_arena *a, const char *s, size_t n)
{
    char *p = lesson_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *lesson_strdup(struct lesson_arena *a, const char *s)
{
    return lesson_strndup(a, s, strlen(s));
}

char *lesson_sprintf(struct lesson_arena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return lesson_strdup(a, "");
    char *p = lesson_alloc(a, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return p;
}

void lesson_arena_keep_json(struct lesson_arena *a, cJSON *doc)
{
    struct kept_json *k = xmalloc(sizeof *k);
    k->doc = doc;
    k->next = a->docs;
    a->docs = k;
}
