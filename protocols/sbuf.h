/* sbuf: a growable string buffer, always NUL-terminated. Used to build
 * notes, descriptions and the JSON text by which engines describe fields. */
#ifndef PROTOCOLS_SBUF_H
#define PROTOCOLS_SBUF_H

#include <stddef.h>

struct sbuf {
    char *s;    /* NUL-terminated; "" when empty; owned by the buffer */
    size_t len; /* bytes before the NUL */
    size_t cap;
};

void sbuf_init(struct sbuf *b);
void sbuf_free(struct sbuf *b);
void sbuf_reset(struct sbuf *b);
void sbuf_add(struct sbuf *b, const char *s);
void sbuf_addn(struct sbuf *b, const char *s, size_t n);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_printf(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends v in decimal, as sbuf_printf(b, "%lld", v) would, without printf. */
void sbuf_add_int(struct sbuf *b, long long v);
/* Appends s as a JSON string literal: quoted, with ", \ and every control
 * character escaped. NULL is written as null. */
void sbuf_json_str(struct sbuf *b, const char *s);

#endif
