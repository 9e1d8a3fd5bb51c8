#include "imprint_kernels.h"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

int32_t imprint_dot_u8_split16(const uint8_t *pixels, const int16_t *high, const int16_t *low, int count) {
    int32_t high_sum = 0, low_sum = 0;
    int i = 0;
#if defined(__AVX2__)
    // 16 pixels widened to 16 bits, multiplied by 16 weights, adjacent products summed in
    // pairs into 8 32-bit lanes (vpmaddwd): every product and partial sum is an exact
    // integer, so the totals are the plain loop's.
    __m256i high_acc = _mm256_setzero_si256(), low_acc = _mm256_setzero_si256();
    for (; i + 16 <= count; i += 16) {
        __m256i p = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(const void *)(pixels + i)));
        high_acc = _mm256_add_epi32(high_acc, _mm256_madd_epi16(p, _mm256_loadu_si256((const __m256i *)(const void *)(high + i))));
        low_acc = _mm256_add_epi32(low_acc, _mm256_madd_epi16(p, _mm256_loadu_si256((const __m256i *)(const void *)(low + i))));
    }
    __m128i h = _mm_add_epi32(_mm256_castsi256_si128(high_acc), _mm256_extracti128_si256(high_acc, 1));
    h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0x4E));
    h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0xB1));
    __m128i l = _mm_add_epi32(_mm256_castsi256_si128(low_acc), _mm256_extracti128_si256(low_acc, 1));
    l = _mm_add_epi32(l, _mm_shuffle_epi32(l, 0x4E));
    l = _mm_add_epi32(l, _mm_shuffle_epi32(l, 0xB1));
    high_sum = _mm_cvtsi128_si32(h);
    low_sum = _mm_cvtsi128_si32(l);
#endif
    for (; i < count; i++) {
        high_sum += (int32_t)pixels[i] * (int32_t)high[i];
        low_sum += (int32_t)pixels[i] * (int32_t)low[i];
    }
    return high_sum * 256 + low_sum;
}

int32_t imprint_dot_u8_i16(const uint8_t *pixels, const int16_t *weights, int count) {
    int32_t sum = 0;
    int i = 0;
#if defined(__AVX2__)
    // 16 pixels widened to 16 bits times 16 weights, adjacent products summed in pairs
    // into 8 32-bit lanes (vpmaddwd); 32-bit wrap-around addition is associative, so the
    // total is the plain loop's.
    __m256i acc = _mm256_setzero_si256();
    for (; i + 16 <= count; i += 16) {
        __m256i p = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(const void *)(pixels + i)));
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(p, _mm256_loadu_si256((const __m256i *)(const void *)(weights + i))));
    }
    __m128i h = _mm_add_epi32(_mm256_castsi256_si128(acc), _mm256_extracti128_si256(acc, 1));
    h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0x4E));
    h = _mm_add_epi32(h, _mm_shuffle_epi32(h, 0xB1));
    sum = _mm_cvtsi128_si32(h);
#endif
    for (; i < count; i++) sum = (int32_t)((uint32_t)sum + (uint32_t)((int32_t)pixels[i] * (int32_t)weights[i]));
    return sum;
}

#if defined(__AVX2__)
// One 8 x 8 tile: eight row loads, the standard unpack/shuffle/permute transpose, eight
// column stores.
static inline void transpose_tile8(const float *source, int source_stride, float *target, int target_stride) {
    __m256 r0 = _mm256_loadu_ps(source + 0 * source_stride), r1 = _mm256_loadu_ps(source + 1 * source_stride);
    __m256 r2 = _mm256_loadu_ps(source + 2 * source_stride), r3 = _mm256_loadu_ps(source + 3 * source_stride);
    __m256 r4 = _mm256_loadu_ps(source + 4 * source_stride), r5 = _mm256_loadu_ps(source + 5 * source_stride);
    __m256 r6 = _mm256_loadu_ps(source + 6 * source_stride), r7 = _mm256_loadu_ps(source + 7 * source_stride);
    __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1);
    __m256 t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
    __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5);
    __m256 t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
    __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
    __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
    __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
    __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
    _mm256_storeu_ps(target + 0 * target_stride, _mm256_permute2f128_ps(s0, s4, 0x20));
    _mm256_storeu_ps(target + 1 * target_stride, _mm256_permute2f128_ps(s1, s5, 0x20));
    _mm256_storeu_ps(target + 2 * target_stride, _mm256_permute2f128_ps(s2, s6, 0x20));
    _mm256_storeu_ps(target + 3 * target_stride, _mm256_permute2f128_ps(s3, s7, 0x20));
    _mm256_storeu_ps(target + 4 * target_stride, _mm256_permute2f128_ps(s0, s4, 0x31));
    _mm256_storeu_ps(target + 5 * target_stride, _mm256_permute2f128_ps(s1, s5, 0x31));
    _mm256_storeu_ps(target + 6 * target_stride, _mm256_permute2f128_ps(s2, s6, 0x31));
    _mm256_storeu_ps(target + 7 * target_stride, _mm256_permute2f128_ps(s3, s7, 0x31));
}
#endif

void imprint_transpose_f32(const float *source, int rows, int cols, float *target) {
    int r0 = 0;
#if defined(__AVX2__)
    for (; r0 + 8 <= rows; r0 += 8) {
        int c0 = 0;
        for (; c0 + 8 <= cols; c0 += 8) {
            transpose_tile8(source + (long)r0 * cols + c0, cols, target + (long)c0 * rows + r0, rows);
        }
        for (int r = r0; r < r0 + 8; r++) {
            for (int c = c0; c < cols; c++) target[(long)c * rows + r] = source[(long)r * cols + c];
        }
    }
#endif
    // The rows left (all of them without AVX2), in 16-column tiles to stay in cache.
    for (int c0 = 0; c0 < cols; c0 += 16) {
        int c1 = c0 + 16 < cols ? c0 + 16 : cols;
        for (int r = r0; r < rows; r++) {
            for (int c = c0; c < c1; c++) target[(long)c * rows + r] = source[(long)r * cols + c];
        }
    }
}
