// Integer inner loops that need instructions Swift cannot ask for (x86's 16-bit
// multiply-add), for imprint's bit-exact image filters. Each returns exactly what the
// plain loop in its comment returns.
#ifndef IMPRINT_KERNELS_H
#define IMPRINT_KERNELS_H

#include <stdint.h>

// Pillow's 8-bit horizontal resampling pass (Resample.c, normalize_coeffs_8bpc weights)
// for `row_count` rows of 16-bit pixels 0...255, `row_stride` apart:
//   out[r * out_stride + x] = clip8((2^21 + sum over i < 16 * chunks[x] of
//       rows[r * row_stride + first[x] + i] * w[x * weight_stride + i]) >> 22)
// in 32-bit integers, clip8 clamping to 0...255, where w = 256 * high + low, or w = high
// when `low` is NULL (weights that fit in 16 bits: Pillow's downscales by more than about
// 128 times). A weight split so (high = w >> 8, low = w & 255) is exact for |w| < 2^23.
// The weights are zero past each output's taps, up to 16 * chunks[x], so the rows must be
// readable (any values) up to 15 elements past the last tap.
void imprint_resample_rows(const int16_t *rows, long row_stride, int row_count,
                           const int16_t *high, const int16_t *low, long weight_stride,
                           const int32_t *first, const int32_t *chunks, int out_width,
                           uint8_t *out, long out_stride);

// Pillow's convert('L') of `count` interleaved pixels of `channels` (3 or 4) bytes, R
// first: out[i] = (19595 R + 38470 G + 7471 B + 0x8000) >> 16.
void imprint_pillow_grey(const uint8_t *source, int channels, long count, uint8_t *out);

// PDQ's float32 luma of `count` interleaved pixels of `channels` (3 or 4) bytes, R first:
// out[i] = (0.299f R + 0.587f G) + 0.114f B, each product and sum rounded to float32.
void imprint_pdq_luma_f32(const uint8_t *source, int channels, long count, float *out);

// imprint_pillow_grey's values as 16-bit integers (what imprint_resample_rows reads).
void imprint_pillow_grey16(const uint8_t *source, int channels, long count, int16_t *out);

// The 16-bit grey and the luma from one read of the pixels (the perceptual hashes'
// stream needs both of every row): the same values as the two calls.
void imprint_pillow_grey16_and_pdq_luma(const uint8_t *source, int channels, long count, int16_t *grey, float *luma);

// The synthetic features' crop (SYNTHETIC-DETECTION section 4): for a side x side crop
// whose top-left pixel is `luma` (rows `stride` bytes apart; side + 1 rows and columns
// are read), crop[r * side + x] = a and residual[r * side + x] = |a + d - b - c| with
// a = luma(x, r), b = luma(x + 1, r), c = luma(x, r + 1), d = luma(x + 1, r + 1); sums[0]
// = sum of a, sums[1] = sum of |b - a| + |c - a|, sums[2] = sum of the residual (exact).
void imprint_crop_residual(const uint8_t *luma, long stride, int side, double *crop, double *residual,
                           int64_t sums[3]);

// Centres both planes in place (crop[i] -= mean, residual[i] -= residual_mean) and returns
// moments[0] = sum of crop[i]^2, moments[1] = sum of residual[i]^2, moments[2] = sum of
// residual[i]^4 (of the centred values), each summed in four lanes (element i in lane
// i % 4, then (0 + 1) + (2 + 3)): the same bits with or without AVX2.
void imprint_center_moments(double *crop, double *residual, long count, double mean, double residual_mean,
                            double moments[3]);

// The sum of sqrt(values[i]) over i < count except i = skip, in the same four lanes.
double imprint_sum_sqrt_except(const double *values, long count, long skip);

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
// The same for a block row given as three planes (red, green, blue at the block row's
// first pixel, rows `stride` bytes apart in each).
void imprint_dwtdct_block_row_planes(const uint8_t *red, const uint8_t *green, const uint8_t *blue, long stride,
                                     int across, int32_t *scratch, double *fscratch, int32_t *out);
// 1 when some pixel of `count` rows of `width` has R != G or R != B (planes as above).
int imprint_planes_have_chroma(const uint8_t *red, const uint8_t *green, const uint8_t *blue, long stride, int width,
                               int count);

// PDQ's tent filter (two passes of a box along rows, then along columns, each Meta's
// box1DFloat) and the 64 x 64 decimation, as a stream over the luma rows with buffers
// of a few rows: bit-identical to filtering the whole float32 plane and sampling it.
// The caller begins a stream, writes up to IMPRINT_TENT_GROUP luma rows at a time into
// imprint_tent_group() (row-major, `cols` floats apart) and pushes them, in order, then
// finishes. Windows and sample positions are the caller's (PDQ's formulas live in Swift).
#define IMPRINT_TENT_GROUP 16

typedef struct {
    int length, window, phase1, phase2;
    int right, left, count, out;
} imprint_tent_box;

typedef struct {
    int rows, cols, window_along_rows;
    int32_t sample_rows[64], sample_cols[64];
    int q1_filled;
    // 0 after imprint_tent_begin. Set to 1 to take the portable row boxes (separate
    // transposes) where the AVX2 ones (transposes in registers) exist: the tests hold
    // both to the reference.
    int portable;
    imprint_tent_box column_box1, column_box2;
    float *group, *group_t, *filtered_t, *p1, *q1, *sums1, *ring1;
    float *sampled_t, *p2, *sums2, *ring2, *line, *output;
    int32_t *first_slot;
} imprint_tent_stream;

// The floats of workspace a stream of rows x cols needs (0 for an empty image).
long imprint_tent_workspace_floats(int rows, int cols, int window_along_cols);
// Sets up `s` on the caller's workspace (`workspace_count` floats) and `first_slot`
// (`cols` ints). Returns 0, or -1 for sizes, samples or a workspace that do not fit.
int imprint_tent_begin(imprint_tent_stream *s, int rows, int cols, int window_along_rows, int window_along_cols,
                       const int32_t *sample_rows, const int32_t *sample_cols, float *workspace, long workspace_count,
                       int32_t *first_slot);
float *imprint_tent_group(imprint_tent_stream *s);
// Takes the first `count` (1...IMPRINT_TENT_GROUP) rows written to the group buffer.
void imprint_tent_push_group(imprint_tent_stream *s, int count);
// After all rows: the decimated 64 x 64 plane, row-major, into `out`.
void imprint_tent_finish(imprint_tent_stream *s, float *out);

#endif
