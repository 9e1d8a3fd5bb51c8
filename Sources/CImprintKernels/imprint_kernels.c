#include "imprint_kernels.h"
#include "imprint_simd.h"

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
    __m256 r[8];
    for (int k = 0; k < 8; k++) r[k] = _mm256_loadu_ps(source + k * source_stride);
    imprint_transpose8_ps(r);
    for (int k = 0; k < 8; k++) _mm256_storeu_ps(target + k * target_stride, r[k]);
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
