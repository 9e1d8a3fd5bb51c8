// See imprint_kernels.h: imprint_resample_rows, Pillow's 8-bit horizontal LANCZOS pass.
//
// Every product and partial sum is an exact integer and 32-bit wrap-around addition is
// associative, so summing 16 taps per vpmaddwd, in any grouping, gives the plain loop's
// total. The rows are taken four at a time so that each 16 weights loaded serve four
// rows: the pass is bound by multiply-adds and loads, and this halves the loads.
#include <stddef.h>

#include "imprint_kernels.h"
#include "imprint_simd.h"

static inline uint8_t clip8(uint32_t sum) {
    const int32_t shifted = (int32_t)sum >> 22;
    return (uint8_t)(shifted < 0 ? 0 : shifted > 255 ? 255 : shifted);
}

// One output pixel of one row, the plain way.
static inline uint8_t plain(const int16_t *pixels, const int16_t *high, const int16_t *low, int taps) {
    uint32_t high_sum = 0, low_sum = 0;
    for (int i = 0; i < taps; i++) {
        high_sum += (uint32_t)((int32_t)pixels[i] * (int32_t)high[i]);
        if (low) low_sum += (uint32_t)((int32_t)pixels[i] * (int32_t)low[i]);
    }
    return clip8((1u << 21) + (low ? high_sum * 256u + low_sum : high_sum));
}

#if defined(__AVX2__)
static inline uint32_t horizontal_sum(__m256i v) {
    __m128i s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0x4E));
    s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0xB1));
    return (uint32_t)_mm_cvtsi128_si32(s);
}

#define LOAD16(p) _mm256_loadu_si256((const __m256i *)(const void *)(p))

// Four rows (`rows`, `rows + stride`, ...) of one output pixel.
static inline void four_rows(const int16_t *rows, long stride, const int16_t *high, const int16_t *low,
                             int chunks, uint8_t *out, long out_stride) {
    __m256i h0 = _mm256_setzero_si256(), h1 = h0, h2 = h0, h3 = h0;
    if (low) {
        __m256i l0 = h0, l1 = h0, l2 = h0, l3 = h0;
        for (int c = 0; c < chunks; c++) {
            const __m256i wh = LOAD16(high + 16 * c), wl = LOAD16(low + 16 * c);
            const __m256i p0 = LOAD16(rows + 16 * c), p1 = LOAD16(rows + stride + 16 * c);
            const __m256i p2 = LOAD16(rows + 2 * stride + 16 * c), p3 = LOAD16(rows + 3 * stride + 16 * c);
            h0 = _mm256_add_epi32(h0, _mm256_madd_epi16(p0, wh));
            l0 = _mm256_add_epi32(l0, _mm256_madd_epi16(p0, wl));
            h1 = _mm256_add_epi32(h1, _mm256_madd_epi16(p1, wh));
            l1 = _mm256_add_epi32(l1, _mm256_madd_epi16(p1, wl));
            h2 = _mm256_add_epi32(h2, _mm256_madd_epi16(p2, wh));
            l2 = _mm256_add_epi32(l2, _mm256_madd_epi16(p2, wl));
            h3 = _mm256_add_epi32(h3, _mm256_madd_epi16(p3, wh));
            l3 = _mm256_add_epi32(l3, _mm256_madd_epi16(p3, wl));
        }
        // 256 * high + low, lane by lane (exact, as above).
        h0 = _mm256_add_epi32(_mm256_slli_epi32(h0, 8), l0);
        h1 = _mm256_add_epi32(_mm256_slli_epi32(h1, 8), l1);
        h2 = _mm256_add_epi32(_mm256_slli_epi32(h2, 8), l2);
        h3 = _mm256_add_epi32(_mm256_slli_epi32(h3, 8), l3);
    } else {
        for (int c = 0; c < chunks; c++) {
            const __m256i w = LOAD16(high + 16 * c);
            h0 = _mm256_add_epi32(h0, _mm256_madd_epi16(LOAD16(rows + 16 * c), w));
            h1 = _mm256_add_epi32(h1, _mm256_madd_epi16(LOAD16(rows + stride + 16 * c), w));
            h2 = _mm256_add_epi32(h2, _mm256_madd_epi16(LOAD16(rows + 2 * stride + 16 * c), w));
            h3 = _mm256_add_epi32(h3, _mm256_madd_epi16(LOAD16(rows + 3 * stride + 16 * c), w));
        }
    }
    out[0] = clip8((1u << 21) + horizontal_sum(h0));
    out[out_stride] = clip8((1u << 21) + horizontal_sum(h1));
    out[2 * out_stride] = clip8((1u << 21) + horizontal_sum(h2));
    out[3 * out_stride] = clip8((1u << 21) + horizontal_sum(h3));
}

// One row of one output pixel.
static inline uint8_t one_row(const int16_t *row, const int16_t *high, const int16_t *low, int chunks) {
    __m256i h = _mm256_setzero_si256(), l = h;
    for (int c = 0; c < chunks; c++) {
        const __m256i p = LOAD16(row + 16 * c);
        h = _mm256_add_epi32(h, _mm256_madd_epi16(p, LOAD16(high + 16 * c)));
        if (low) l = _mm256_add_epi32(l, _mm256_madd_epi16(p, LOAD16(low + 16 * c)));
    }
    if (low) h = _mm256_add_epi32(_mm256_slli_epi32(h, 8), l);
    return clip8((1u << 21) + horizontal_sum(h));
}
#endif

void imprint_resample_rows(const int16_t *rows, long row_stride, int row_count,
                           const int16_t *high, const int16_t *low, long weight_stride,
                           const int32_t *first, const int32_t *chunks, int out_width,
                           uint8_t *out, long out_stride) {
    int r = 0;
#if defined(__AVX2__)
    for (; r + 4 <= row_count; r += 4) {
        const int16_t *block = rows + (long)r * row_stride;
        for (int x = 0; x < out_width; x++) {
            four_rows(block + first[x], row_stride, high + (long)x * weight_stride,
                      low ? low + (long)x * weight_stride : NULL, chunks[x], out + (long)r * out_stride + x, out_stride);
        }
    }
    for (; r < row_count; r++) {
        const int16_t *row = rows + (long)r * row_stride;
        for (int x = 0; x < out_width; x++) {
            out[(long)r * out_stride + x] = one_row(row + first[x], high + (long)x * weight_stride,
                                                    low ? low + (long)x * weight_stride : NULL, chunks[x]);
        }
    }
#else
    for (; r < row_count; r++) {
        const int16_t *row = rows + (long)r * row_stride;
        for (int x = 0; x < out_width; x++) {
            out[(long)r * out_stride + x] = plain(row + first[x], high + (long)x * weight_stride,
                                                  low ? low + (long)x * weight_stride : NULL, 16 * chunks[x]);
        }
    }
#endif
}
