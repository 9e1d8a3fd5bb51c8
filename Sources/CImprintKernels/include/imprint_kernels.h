// Integer inner loops that need instructions Swift cannot ask for (x86's 16-bit
// multiply-add), for imprint's bit-exact image filters. Each returns exactly what the
// plain loop in its comment returns.
#ifndef IMPRINT_KERNELS_H
#define IMPRINT_KERNELS_H

#include <stdint.h>

// sum over i < count of pixels[i] * (256 * high[i] + low[i]), in 32-bit integers: a
// weight split into two 16-bit halves (high = w >> 8, low = w & 255). Exact while
// 255 * sum |w| < 2^31, which Pillow's normalised resampling weights (2^22 scale) keep.
int32_t imprint_dot_u8_split16(const uint8_t *pixels, const int16_t *high, const int16_t *low, int count);

// target[c * rows + r] = source[r * cols + c] for a rows x cols row-major float matrix
// (a copy, so exact), in 8 x 8 tiles transposed in registers.
void imprint_transpose_f32(const float *source, int rows, int cols, float *target);

#endif
