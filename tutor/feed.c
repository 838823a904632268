/* feed: append-only event log, truncated on a fork. */
#include "feed.h"

#include "note_text.h"
#include "protocols/sbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void feed_init(struct feed *f)
{
    memset(f, 0, sizeof *f);
}

void feed_free(struct feed *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->e[i].text);
    free(f->e);
    feed_init(f);
}

void feed_add(struct feed *f, int64_t time, int node, enum feed_kind kind, uint64_t msg_id,
              const char *fmt, ...)
{
    if (!f)
        return;
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 64;
        struct feed_entry *e = realloc(f->e, f->cap * sizeof *e);
        if (!e)
            abort();
        f->e = e;
    }
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *text = malloc((size_t)(len > 0 ? len : 0) + 1);
    if (!text)
        abort();
    va_start(ap, fmt);
    vsnprintf(text, (size_t)(len > 0 ? len : 0) + 1, fmt, ap);
    va_end(ap);
    f->e[f->n++] = (struct feed_entry){f->pos, time, node, kind, msg_id, text};
}

void feed_add_note(struct feed *f, int64_t time, int node, enum feed_kind kind, uint64_t msg_id,
                   const struct proto_note *n, const char *const *names, int n_names)
{
    if (!f)
        return;
    struct sbuf b;
    sbuf_init(&b);
    note_render(n, names, n_names, &b);
    feed_add(f, time, node, kind, msg_id, "%s", b.s);
    sbuf_free(&b);
}

void feed_truncate(struct feed *f, uint64_t pos)
{
    while (f->n && f->e[f->n - 1].pos >= pos)
        free(f->e[--f->n].text);
}

size_t feed_upto(const struct feed *f, uint64_t pos)
{
    size_t lo = 0, hi = f->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->e[mid].pos <= pos)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void reserve(struct feed *f, size_t n)
{
    if (f->n + n <= f->cap)
        return;
    size_t cap = f->cap ? f->cap : 64;
    while (cap < f->n + n)
        cap *= 2;
    struct feed_entry *e = realloc(f->e, cap * sizeof *e);
    if (!e)
        abort();
    f->e = e;
    f->cap = cap;
}

void feed_take(struct feed *f, uint64_t pos, struct feed *into)
{
    size_t k = f->n;
    while (k && f->e[k - 1].pos >= pos)
        k--;
    size_t moved = f->n - k;
    reserve(into, moved);
    memmove(into->e + moved, into->e, into->n * sizeof *into->e);
    memcpy(into->e, f->e + k, moved * sizeof *f->e);
    into->n += moved;
    f->n = k;
}

void feed_put(struct feed *f, struct feed *from)
{
    reserve(f, from->n);
    memcpy(f->e + f->n, from->e, from->n * sizeof *from->e);
    f->n += from->n;
    free(from->e);
    from->e = NULL;
    from->n = from->cap = 0;
}

const char *feed_kind_name(enum feed_kind k)
{
    static const char *const names[] = {
        [FEED_ACTION] = "action",   [FEED_NOTE] = "note",           [FEED_SEND] = "send",
        [FEED_DELIVER] = "deliver", [FEED_LOST] = "lost",           [FEED_TIMER] = "timer",
        [FEED_APPLY] = "apply",     [FEED_VIOLATION] = "violation", [FEED_INFO] = "info",
    };
    return names[k];
}

int feed_node_index(const char *const *names, int n_names, const char *s, size_t n)
{
    for (int i = 0; i < n_names; i++)
        if (strlen(names[i]) == n && !strncmp(names[i], s, n))
            return i;
    return -1;
}

bool feed_parse_msg(const char *text, const char *const *names, int n_names, char *type, size_t tn,
                    int *from, int *to)
{
    if (*text != '#')
        return false;
    const char *p = text + 1;
    while (*p >= '0' && *p <= '9')
        p++;
    if (*p != ' ')
        return false;
    p++;
    const char *sp = strchr(p, ' ');
    if (!sp || (size_t)(sp - p) >= tn)
        return false;
    memcpy(type, p, (size_t)(sp - p));
    type[sp - p] = 0;
    p = sp + 1;
    const char *arrow = strstr(p, "\xe2\x86\x92");
    if (!arrow)
        return false;
    *from = feed_node_index(names, n_names, p, (size_t)(arrow - p));
    const char *q = arrow + 3;
    size_t n = 0;
    while (q[n] && q[n] != ' ')
        n++;
    *to = feed_node_index(names, n_names, q, n);
    return *from >= 0 && *to >= 0;
}
