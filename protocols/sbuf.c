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
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    sbuf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void sbuf_json_str(struct sbuf *b, const char *s)
{
    if (!s) {
        sbuf_add(b, "null");
        return;
    }
    sbuf_addc(b, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
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
            if (*p < 0x20 || *p == 0x7f)
                sbuf_printf(b, "\\u%04x", *p);
            else
                sbuf_addc(b, (char)*p);
        }
    }
    sbuf_addc(b, '"');
}
