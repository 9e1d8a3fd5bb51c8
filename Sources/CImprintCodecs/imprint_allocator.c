// See imprint_codecs.h: imprint_allocator_keep_large_buffers.
#include "imprint_codecs.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

int imprint_allocator_keep_large_buffers(void) {
#if defined(__GLIBC__)
    int ok = 1;
    // 32 MiB is the largest mmap threshold glibc accepts on 64-bit (half an arena heap).
    ok &= mallopt(M_MMAP_THRESHOLD, 32 << 20);
    ok &= mallopt(M_TRIM_THRESHOLD, 512 << 20);
    ok &= mallopt(M_TOP_PAD, 64 << 20);
    return ok;
#else
    return 0;
#endif
}
