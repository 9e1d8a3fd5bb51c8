// Shared by the kernels of this target only (not part of the module's API).
#ifndef IMPRINT_SIMD_H
#define IMPRINT_SIMD_H

#include <stdint.h>

#if defined(__AVX2__)
#include <immintrin.h>

// Transposes eight 8-lane float vectors in registers (row k, lane j becomes row j,
// lane k): the standard unpack, shuffle, permute sequence. A copy, so exact.
static inline void imprint_transpose8_ps(__m256 r[8]) {
    const __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
    const __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
    const __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
    const __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
    const __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    const __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    const __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    const __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    r[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
    r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
    r[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
    r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
    r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
    r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
    r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
    r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

// 16 pixels' R, G, B as 16-bit lanes in pixel order, from 48 (RGB) or 64 (RGBA) bytes.
static inline void imprint_load16_rgb(const uint8_t *p, int channels, __m256i *r, __m256i *g, __m256i *b) {
    __m128i rr, gg, bb;
    if (channels == 3) {
        const __m128i a = _mm_loadu_si128((const __m128i *)(const void *)p);
        const __m128i m = _mm_loadu_si128((const __m128i *)(const void *)(p + 16));
        const __m128i z = _mm_loadu_si128((const __m128i *)(const void *)(p + 32));
        // Channel byte k is input byte 3k + c: bytes 0...15 are in a, 16...31 in m,
        // 32...47 in z; each shuffle takes its part and zeroes the rest (-1).
        rr = _mm_or_si128(_mm_or_si128(
                 _mm_shuffle_epi8(a, _mm_setr_epi8(0, 3, 6, 9, 12, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1)),
                 _mm_shuffle_epi8(m, _mm_setr_epi8(-1, -1, -1, -1, -1, -1, 2, 5, 8, 11, 14, -1, -1, -1, -1, -1))),
                 _mm_shuffle_epi8(z, _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 1, 4, 7, 10, 13)));
        gg = _mm_or_si128(_mm_or_si128(
                 _mm_shuffle_epi8(a, _mm_setr_epi8(1, 4, 7, 10, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1)),
                 _mm_shuffle_epi8(m, _mm_setr_epi8(-1, -1, -1, -1, -1, 0, 3, 6, 9, 12, 15, -1, -1, -1, -1, -1))),
                 _mm_shuffle_epi8(z, _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 2, 5, 8, 11, 14)));
        bb = _mm_or_si128(_mm_or_si128(
                 _mm_shuffle_epi8(a, _mm_setr_epi8(2, 5, 8, 11, 14, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1)),
                 _mm_shuffle_epi8(m, _mm_setr_epi8(-1, -1, -1, -1, -1, 1, 4, 7, 10, 13, -1, -1, -1, -1, -1, -1))),
                 _mm_shuffle_epi8(z, _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, 0, 3, 6, 9, 12, 15)));
    } else {
        // RGBA: byte c of each 4-byte pixel of each 16-byte load, then the four joined.
        const __m128i pick_r = _mm_setr_epi8(0, 4, 8, 12, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
        const __m128i pick_g = _mm_setr_epi8(1, 5, 9, 13, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
        const __m128i pick_b = _mm_setr_epi8(2, 6, 10, 14, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
        __m128i part_r[4], part_g[4], part_b[4];
        for (int i = 0; i < 4; i++) {
            const __m128i q = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
            part_r[i] = _mm_shuffle_epi8(q, pick_r);
            part_g[i] = _mm_shuffle_epi8(q, pick_g);
            part_b[i] = _mm_shuffle_epi8(q, pick_b);
        }
        rr = _mm_unpacklo_epi64(_mm_unpacklo_epi32(part_r[0], part_r[1]), _mm_unpacklo_epi32(part_r[2], part_r[3]));
        gg = _mm_unpacklo_epi64(_mm_unpacklo_epi32(part_g[0], part_g[1]), _mm_unpacklo_epi32(part_g[2], part_g[3]));
        bb = _mm_unpacklo_epi64(_mm_unpacklo_epi32(part_b[0], part_b[1]), _mm_unpacklo_epi32(part_b[2], part_b[3]));
    }
    *r = _mm256_cvtepu8_epi16(rr);
    *g = _mm256_cvtepu8_epi16(gg);
    *b = _mm256_cvtepu8_epi16(bb);
}
#endif

#endif
