/* heap_bytes: the bytes the process has allocated and not freed, the
 * figure the history's memory budget is held against (tutor/history.h). */
#ifndef TUTOR_HEAP_BYTES_H
#define TUTOR_HEAP_BYTES_H

#include <stddef.h>

/* glibc's count (mallinfo2: bytes in use in the arenas and in mmap'd
 * blocks) or, under AddressSanitizer, whose allocator replaces glibc's,
 * the sanitizer's. 0 where neither is known: no budget then applies. */
size_t heap_bytes_in_use(void);

#endif
