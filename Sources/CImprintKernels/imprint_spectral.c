// See imprint_kernels.h: the synthetic-image features' per-pixel loops.
//
// Written as plain C whose sums run in four fixed lanes (element i goes to lane i % 4,
// lanes combined as (0 + 1) + (2 + 3)), so that the compiler can keep each lane in a
// vector register and the result is the same bits with or without AVX2 (this target
// builds with -ffp-contract=off, and square roots are correctly rounded either way).
// Integer sums are exact in any order.
#include <math.h>
#include <stddef.h>
#include <stdlib.h>

#include "imprint_kernels.h"
#include "imprint_simd.h"

void imprint_crop_residual(const uint8_t *luma, long stride, int side, double *crop, double *residual,
                           int64_t sums[3]) {
    int64_t crop_sum = 0, gradient_sum = 0, residual_sum = 0;
    for (int row = 0; row < side; row++) {
        const uint8_t *top = luma + (long)row * stride, *bottom = top + stride;
        double *crop_row = crop + (long)row * side, *residual_row = residual + (long)row * side;
        int32_t row_crop = 0, row_gradient = 0, row_residual = 0;
        for (int x = 0; x < side; x++) {
            const int32_t a = top[x], b = top[x + 1], c = bottom[x], d = bottom[x + 1];
            const int32_t cross = abs(a + d - b - c);
            crop_row[x] = (double)a;
            residual_row[x] = (double)cross;
            row_crop += a;
            row_gradient += abs(b - a) + abs(c - a);
            row_residual += cross;
        }
        // A row's sums stay below 2^31 for any side up to 2^21.
        crop_sum += row_crop;
        gradient_sum += row_gradient;
        residual_sum += row_residual;
    }
    sums[0] = crop_sum;
    sums[1] = gradient_sum;
    sums[2] = residual_sum;
}

static inline double combine(const double lanes[4]) {
    return (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
}

void imprint_center_moments(double *crop, double *residual, long count, double mean, double residual_mean,
                            double moments[3]) {
    double variance[4] = { 0, 0, 0, 0 }, second[4] = { 0, 0, 0, 0 }, fourth[4] = { 0, 0, 0, 0 };
    long i = 0;
    for (; i + 4 <= count; i += 4) {
        for (int lane = 0; lane < 4; lane++) {
            const double centred = crop[i + lane] - mean, value = residual[i + lane] - residual_mean;
            const double square = value * value;
            crop[i + lane] = centred;
            residual[i + lane] = value;
            variance[lane] += centred * centred;
            second[lane] += square;
            fourth[lane] += square * square;
        }
    }
    for (int lane = 0; i < count; i++, lane++) {
        const double centred = crop[i] - mean, value = residual[i] - residual_mean;
        const double square = value * value;
        crop[i] = centred;
        residual[i] = value;
        variance[lane] += centred * centred;
        second[lane] += square;
        fourth[lane] += square * square;
    }
    moments[0] = combine(variance);
    moments[1] = combine(second);
    moments[2] = combine(fourth);
}

double imprint_sum_sqrt_except(const double *values, long count, long skip) {
    double lanes[4] = { 0, 0, 0, 0 };
    long i = 0;
#if defined(__AVX2__)
    // The same lanes with explicit vector square roots (C's sqrt may set errno, which
    // keeps the compiler from vectorising it).
    __m256d sums = _mm256_setzero_pd();
    for (; i + 4 <= count; i += 4) {
        __m256d roots = _mm256_sqrt_pd(_mm256_loadu_pd(values + i));
        if (skip >= i && skip < i + 4) {
            double parts[4];
            _mm256_storeu_pd(parts, roots);
            parts[skip - i] = 0.0;
            roots = _mm256_loadu_pd(parts);
        }
        sums = _mm256_add_pd(sums, roots);
    }
    _mm256_storeu_pd(lanes, sums);
#endif
    for (; i + 4 <= count; i += 4) {
        for (int lane = 0; lane < 4; lane++) lanes[lane] += i + lane == skip ? 0.0 : sqrt(values[i + lane]);
    }
    for (int lane = 0; i < count; i++, lane++) lanes[lane] += i == skip ? 0.0 : sqrt(values[i]);
    return combine(lanes);
}
