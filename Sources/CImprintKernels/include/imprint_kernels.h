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

// The dwtDct watermark's block choice for one row of 8 x 8-pixel blocks (SD-WATERMARK.md
// section 1.4), for the four decode keys in this order: BGR/uint8, BGR/float,
// RGB-as-BGR/uint8, RGB-as-BGR/float. `row` points at the first pixel of the block row
// (pixel rows y0 ... y0 + 7) of an interleaved image with `channels` (3 or 4) bytes per
// pixel, R first, and `row_bytes` bytes per row; `across` blocks are read from it.
//
// For every block and key it writes round(256 |f|) mod 9216 to out[key * across + block],
// where f is the block's largest-magnitude LL value, DC excluded: the index of |f| mod 36
// at 1/256 of an LL unit. uint8 keys use OpenCV's 14-bit fixed-point U per pixel
// (Y rounded first, U saturated to 0...255); float keys use the double expression
// (0.492111 (c0 - (0.299 c2 + 0.587 c1 + 0.114 c0)) + 2) / 2 on the cell's channel sums,
// evaluated in that order, so both are exactly the per-pixel definition's values.
//
// `scratch` holds imprint_dwtdct_scratch_count(across) int32 values and `fscratch`
// imprint_dwtdct_fscratch_count(across) doubles; neither needs initialising.
long imprint_dwtdct_scratch_count(int across);
long imprint_dwtdct_fscratch_count(int across);
void imprint_dwtdct_block_row(const uint8_t *row, long row_bytes, int channels, int across,
                              int32_t *scratch, double *fscratch, int32_t *out);

#endif
