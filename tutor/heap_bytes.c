/* heap_bytes: see the header. */
#include "heap_bytes.h"

#include <malloc.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HEAP_BYTES_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define HEAP_BYTES_ASAN 1
#endif

#ifdef HEAP_BYTES_ASAN
/* Declared here rather than through <sanitizer/allocator_interface.h>: the
 * runtime always exports it, but not every toolchain ships that header. */
size_t __sanitizer_get_current_allocated_bytes(void);
#endif

size_t heap_bytes_in_use(void)
{
#ifdef HEAP_BYTES_ASAN
    return __sanitizer_get_current_allocated_bytes();
#elif defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 33))
    struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
#else
    return 0;
#endif
}
