#include "imprint_kernels.h"
#include "imprint_simd.h"

#if defined(__AVX2__)
#include <immintrin.h>
#endif

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
