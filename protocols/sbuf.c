/* sbuf: growable string buffer. Allocation failure aborts: the program
 * cannot teach anything once memory is gone, and every caller would
 * otherwise need an error path for a few bytes of text. */
#include "sbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void sbuf_reserve(struct sbuf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < b->len + extra + 1)
        cap *= 2;
    char *s = realloc(b->cap ? b->s : NULL, cap);
    if (!s)
        abort();
    if (!b->cap)
        s[0] = '\0';
    b->s = s;
    b->cap = cap;
}

void sbuf_init(struct sbuf *b)
{
    b->s = "";
    b->len = 0;
    b->cap = 0;
}

void sbuf_free(struct sbuf *b)
{
    if (b->cap)
        free(b->s);
    sbuf_init(b);
}

void sbuf_reset(struct sbuf *b)
{
    b->len = 0;
    if (b->cap)
        b->s[0] = '\0';
}

void sbuf_addn(struct sbuf *b, const char *s, size_t n)
{
    sbuf_reserve(b, n);
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void sbuf_add(struct sbuf *b, const char *s)
{
    sbuf_addn(b, s, strlen(s));
}

void sbuf_addc(struct sbuf *b, char c)
{
    sbuf_addn(b, &c, 1);
}

void sbuf_printf(struct sbuf *b, const char *fmt, ...)
{
    /* One pass when the text fits the room there is (most do: a number, a
     * name), a second only to grow. */
    sbuf_reserve(b, 63);
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
    va_end(ap);
    if (n <= 0) {
        b->s[b->len] = '\0';
        return;
    }
    if ((size_t)n >= b->cap - b->len) {
        sbuf_reserve(b, (size_t)n);
        va_start(ap, fmt);
        vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

void sbuf_add_int(struct sbuf *b, long long v)
{
    char buf[24], *p = buf + sizeof buf;
    /* In unsigned arithmetic, so the most negative value has a magnitude. */
    unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--p = '-';
    sbuf_addn(b, p, (size_t)(buf + sizeof buf - p));
}

void sbuf_json_str(struct sbuf *b, const char *s)
{
    if (!s) {
        sbuf_add(b, "null");
        return;
    }
    sbuf_addc(b, '"');
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        /* A run of bytes that need no escape, copied at once. */
        const unsigned char *q = p;
        while (*q && *q != '"' && *q != '\\' && *q >= 0x20 && *q != 0x7f)
            q++;
        if (q > p) {
            sbuf_addn(b, (const char *)p, (size_t)(q - p));
            p = q;
            continue;
        }
        switch (*p) {
        case '"':
            sbuf_add(b, "\\\"");
            break;
        case '\\':
            sbuf_add(b, "\\\\");
            break;
        case '\n':
            sbuf_add(b, "\\n");
            break;
        case '\t':
            sbuf_add(b, "\\t");
            break;
        default:
            sbuf_printf(b, "\\u%04x", *p);
        }
        p++;
    }
    sbuf_addc(b, '"');
}
