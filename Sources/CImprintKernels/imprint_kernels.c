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
