/* strpool: interned strings that live as long as the pool. Commands and
 * values travel through engines as borrowed pointers into a pool, so the
 * same text is one pointer and snapshots never copy strings. */
#ifndef TUTOR_STRPOOL_H
#define TUTOR_STRPOOL_H

#include <stddef.h>

struct strpool;

struct strpool *strpool_new(void);
void strpool_free(struct strpool *p);
/* The pool's copy of s (the same pointer for the same text). */
const char *strpool_intern(struct strpool *p, const char *s);

#endif
