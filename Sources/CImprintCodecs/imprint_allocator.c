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
    // The threshold cannot go above 32 MiB, so a 12 MP RGB raster (36 MB) would still be
    // mapped and zeroed afresh for every image (about 4 % of ingest CPU, measured). With
    // no mmap allowed it comes from the heap and is reused. A worker thread's arena heap
    // is at most 64 MiB; glibc still maps a request larger than that, so nothing fails.
    ok &= mallopt(M_MMAP_MAX, 0);
    return ok;
#else
    return 0;
#endif
}

#if defined(IMPRINT_REQUIRES_X86_64_V3) && defined(__x86_64__)
#include <stdio.h>
#include <unistd.h>

// Package.swift compiled the Swift code of this release build for x86-64-v3. On an
// older processor its first vector instruction would kill the process with SIGILL and
// no explanation; this runs before Swift's main and says what to do instead.
__attribute__((constructor)) static void imprint_require_x86_64_v3(void) {
    __builtin_cpu_init();
    if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma") || !__builtin_cpu_supports("bmi2")) {
        static const char message[] =
            "imprint: this build was compiled for x86-64-v3 processors (AVX2, FMA, BMI2) and this one "
            "lacks them; build it on this machine with scripts/setup.sh, or with IMPRINT_PORTABLE=1 "
            "swift build -c release for any x86-64\n";
        fputs(message, stderr);
        _exit(3);
    }
}
#endif
