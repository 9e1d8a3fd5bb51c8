// See imprint_kernels.h: imprint_pillow_grey (as bytes or 16-bit values), imprint_pdq_luma_f32,
// and the 16-bit grey and the luma at once.
//
// Both read 16 interleaved pixels per AVX2 step, split into R, G and B 16-bit lanes
// (imprint_load16_rgb), and leave the remaining pixels, and builds without AVX2, to the
// plain loop. The grey sum is exact integer arithmetic; the float luma performs the same
// float32 multiplies and adds in the same order as the plain expression (this target
// builds with -ffp-contract=off, so nothing is fused), so both give the plain loop's bits.
#include <stddef.h>

#include "imprint_kernels.h"
#include "imprint_simd.h"

#if defined(__AVX2__)
// Pillow's grey of 16 pixels (R, G, B in 16-bit lanes) as 16 16-bit lanes in pixel order.
// 38470 does not fit a signed 16-bit weight, so G is taken twice at 19235: once paired
// with R (19595) and once with B (7471), each pair summed by vpmaddwd.
static inline __m256i grey16(__m256i r, __m256i g, __m256i b) {
    const __m256i weights_rg = _mm256_set1_epi32(19595 | (19235 << 16));
    const __m256i weights_gb = _mm256_set1_epi32(19235 | (7471 << 16));
    const __m256i half = _mm256_set1_epi32(0x8000);
    const __m256i lo = _mm256_srli_epi32(_mm256_add_epi32(_mm256_add_epi32(
        _mm256_madd_epi16(_mm256_unpacklo_epi16(r, g), weights_rg),
        _mm256_madd_epi16(_mm256_unpacklo_epi16(g, b), weights_gb)), half), 16);
    const __m256i hi = _mm256_srli_epi32(_mm256_add_epi32(_mm256_add_epi32(
        _mm256_madd_epi16(_mm256_unpackhi_epi16(r, g), weights_rg),
        _mm256_madd_epi16(_mm256_unpackhi_epi16(g, b), weights_gb)), half), 16);
    // unpacklo/hi and packs work within 128-bit lanes, so this is pixel order again.
    return _mm256_packs_epi32(lo, hi);
}

// The 16 grey values as bytes: packus duplicates each lane's 8 bytes, and the permute
// gathers 0...15.
static inline void store_grey_bytes(__m256i words, uint8_t *out) {
    const __m256i bytes = _mm256_permute4x64_epi64(_mm256_packus_epi16(words, words), 0xD8);
    _mm_storeu_si128((__m128i *)(void *)out, _mm256_castsi256_si128(bytes));
}

// PDQ's float32 luma of 16 pixels (R, G, B in 16-bit lanes) into 16 floats.
static inline void luma16(__m256i r, __m256i g, __m256i b, float *out) {
    const __m256 weight_r = _mm256_set1_ps(0.299f), weight_g = _mm256_set1_ps(0.587f), weight_b = _mm256_set1_ps(0.114f);
    for (int part = 0; part < 2; part++) {
        const __m128i r8 = part ? _mm256_extracti128_si256(r, 1) : _mm256_castsi256_si128(r);
        const __m128i g8 = part ? _mm256_extracti128_si256(g, 1) : _mm256_castsi256_si128(g);
        const __m128i b8 = part ? _mm256_extracti128_si256(b, 1) : _mm256_castsi256_si128(b);
        const __m256 rf = _mm256_cvtepi32_ps(_mm256_cvtepu16_epi32(r8));
        const __m256 gf = _mm256_cvtepi32_ps(_mm256_cvtepu16_epi32(g8));
        const __m256 bf = _mm256_cvtepi32_ps(_mm256_cvtepu16_epi32(b8));
        const __m256 luma = _mm256_add_ps(_mm256_add_ps(_mm256_mul_ps(weight_r, rf), _mm256_mul_ps(weight_g, gf)),
                                          _mm256_mul_ps(weight_b, bf));
        _mm256_storeu_ps(out + 8 * part, luma);
    }
}
#endif

static inline uint8_t grey1(const uint8_t *p) {
    return (uint8_t)(((uint32_t)p[0] * 19595u + (uint32_t)p[1] * 38470u + (uint32_t)p[2] * 7471u + 0x8000u) >> 16);
}

static inline float luma1(const uint8_t *p) {
    return (0.299f * (float)p[0] + 0.587f * (float)p[1]) + 0.114f * (float)p[2];
}

// Any of the conversions (a NULL output is skipped): grey as bytes or as 16-bit values,
// and the float luma. Inlined into each entry point below with constant NULLs, so each
// gets a loop of its own with no tests inside.
static inline void convert(const uint8_t *source, int channels, long count, uint8_t *grey, int16_t *grey_words,
                           float *luma) {
    long i = 0;
#if defined(__AVX2__)
    for (; i + 16 <= count; i += 16) {
        __m256i r, g, b;
        imprint_load16_rgb(source + i * channels, channels, &r, &g, &b);
        if (grey || grey_words) {
            const __m256i words = grey16(r, g, b);
            if (grey) store_grey_bytes(words, grey + i);
            if (grey_words) _mm256_storeu_si256((__m256i *)(void *)(grey_words + i), words);
        }
        if (luma) luma16(r, g, b, luma + i);
    }
#endif
    for (; i < count; i++) {
        if (grey) grey[i] = grey1(source + i * channels);
        if (grey_words) grey_words[i] = (int16_t)grey1(source + i * channels);
        if (luma) luma[i] = luma1(source + i * channels);
    }
}

void imprint_pillow_grey(const uint8_t *source, int channels, long count, uint8_t *out) {
    convert(source, channels, count, out, NULL, NULL);
}

void imprint_pillow_grey16(const uint8_t *source, int channels, long count, int16_t *out) {
    convert(source, channels, count, NULL, out, NULL);
}

void imprint_pdq_luma_f32(const uint8_t *source, int channels, long count, float *out) {
    convert(source, channels, count, NULL, NULL, out);
}

void imprint_pillow_grey16_and_pdq_luma(const uint8_t *source, int channels, long count, int16_t *grey, float *luma) {
    convert(source, channels, count, NULL, grey, luma);
}
