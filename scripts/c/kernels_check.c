// scripts/check-kernels.sh: the C kernels of CImprintKernels under the sanitizers, on
// buffers of exactly the size each function is documented to need, for many shapes
// (tiny, odd, off the 8- and 16-row groups). Equality with the definitions is the Swift
// tests' job (KernelTests, JaroszStreamTests, DwtDctBlockRowTests); this checks that no
// shape reads or writes outside its buffers, that the AVX2 and portable tent paths agree
// and that every residue is in range.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "imprint_kernels.h"

static unsigned state = 1;
static unsigned next(void) {
    state = state * 1103515245u + 12345u;
    return state >> 8;
}

static int check_tent(int rows, int cols) {
    const int window_rows = (cols + 127) / 128, window_cols = (rows + 127) / 128;
    int32_t sample_rows[64], sample_cols[64];
    for (int i = 0; i < 64; i++) {
        sample_rows[i] = (int32_t)(((double)i + 0.5) * rows / 64);
        sample_cols[i] = (int32_t)(((double)i + 0.5) * cols / 64);
    }
    float *plane = malloc(sizeof(float) * (size_t)rows * (size_t)cols);
    for (long i = 0; i < (long)rows * cols; i++) plane[i] = (float)(next() % 25600) / 100.0f;
    float out[2][4096];
    for (int portable = 0; portable < 2; portable++) {
        long count = imprint_tent_workspace_floats(rows, cols, window_cols);
        float *workspace = malloc(sizeof(float) * (size_t)count);
        int32_t *slots = malloc(sizeof(int32_t) * (size_t)cols);
        imprint_tent_stream s;
        if (imprint_tent_begin(&s, rows, cols, window_rows, window_cols, sample_rows, sample_cols, workspace, count, slots) != 0) {
            free(workspace);
            free(slots);
            free(plane);
            return 1;
        }
        s.portable = portable;
        for (int first = 0; first < rows; first += IMPRINT_TENT_GROUP) {
            int n = rows - first < IMPRINT_TENT_GROUP ? rows - first : IMPRINT_TENT_GROUP;
            memcpy(imprint_tent_group(&s), plane + (long)first * cols, sizeof(float) * (size_t)n * (size_t)cols);
            imprint_tent_push_group(&s, n);
        }
        imprint_tent_finish(&s, out[portable]);
        free(workspace);
        free(slots);
    }
    free(plane);
    return memcmp(out[0], out[1], sizeof out[0]) != 0;
}

static int check_dwtdct(int width, int height, int channels) {
    int across = ((width - width % 4) / 2) / 4, down = ((height - height % 4) / 2) / 4;
    if (across <= 0 || down <= 0) return 0;
    size_t size = (size_t)width * (size_t)height * (size_t)channels;
    uint8_t *pixels = malloc(size);
    for (size_t i = 0; i < size; i++) pixels[i] = (uint8_t)(i % 17 == 0 ? 255 : next());
    int32_t *scratch = malloc(sizeof(int32_t) * (size_t)imprint_dwtdct_scratch_count(across));
    double *fscratch = malloc(sizeof(double) * (size_t)imprint_dwtdct_fscratch_count(across));
    int32_t *out = malloc(sizeof(int32_t) * 4 * (size_t)across);
    int bad = 0;
    for (int row = 0; row < down; row++) {
        imprint_dwtdct_block_row(pixels + (size_t)row * 8 * (size_t)width * (size_t)channels, (long)width * channels, channels,
                                 across, scratch, fscratch, out);
        for (int i = 0; i < 4 * across; i++) bad |= out[i] < 0 || out[i] >= 9216;
    }
    free(pixels);
    free(scratch);
    free(fscratch);
    free(out);
    return bad;
}

// Pillow's horizontal pass on `row_count` rows `in_width` wide into `out_width` pixels, each
// with random taps, weights in both layouts, and rows allocated exactly as far as the
// kernel may read (15 past the last pixel), against the plain sum.
static int check_resample(int in_width, int out_width, int row_count, int split) {
    const long stride = in_width + 16;
    const size_t row_values = (size_t)((row_count - 1) * stride + in_width + 15);
    int16_t *rows = malloc(sizeof(int16_t) * row_values);
    for (size_t i = 0; i < row_values; i++) rows[i] = (int16_t)(next() % 256);
    int32_t *first = malloc(sizeof(int32_t) * (size_t)out_width), *chunks = malloc(sizeof(int32_t) * (size_t)out_width);
    int *taps = malloc(sizeof(int) * (size_t)out_width);
    const long weight_stride = (in_width + 15) / 16 * 16;
    int16_t *high = calloc((size_t)(weight_stride * out_width), sizeof(int16_t));
    int16_t *low = calloc((size_t)(weight_stride * out_width), sizeof(int16_t));
    for (int x = 0; x < out_width; x++) {
        first[x] = (int32_t)(next() % (unsigned)in_width);
        taps[x] = 1 + (int)(next() % (unsigned)(in_width - first[x]));
        chunks[x] = (taps[x] + 15) / 16;
        for (int i = 0; i < taps[x]; i++) {
            // |w| < 2^13 keeps 255 * taps * |w| within 32 bits for up to 1,001 taps, as
            // Pillow's normalised weights keep their sums.
            high[x * weight_stride + i] = (int16_t)(split ? (int)(next() % 64) - 32 : (int)(next() % 16384) - 8192);
            low[x * weight_stride + i] = (int16_t)(next() % 256);
        }
    }
    uint8_t *out = malloc((size_t)(row_count * out_width));
    imprint_resample_rows(rows, stride, row_count, high, split ? low : NULL, weight_stride, first, chunks, out_width,
                          out, out_width);
    int bad = 0;
    for (int r = 0; r < row_count; r++) {
        for (int x = 0; x < out_width; x++) {
            int64_t sum = 1 << 21;
            for (int i = 0; i < taps[x]; i++) {
                const int64_t w = split ? high[x * weight_stride + i] * 256 + low[x * weight_stride + i] : high[x * weight_stride + i];
                sum += rows[r * stride + first[x] + i] * w;
            }
            const int64_t shifted = sum >> 22;
            bad |= out[r * out_width + x] != (uint8_t)(shifted < 0 ? 0 : shifted > 255 ? 255 : shifted);
        }
    }
    free(rows);
    free(first);
    free(chunks);
    free(taps);
    free(high);
    free(low);
    free(out);
    return bad;
}

// The synthetic features' crop loops on a (side + 1)^2 region of a wider image allocated
// exactly, against the plain formulas; the lane sums against the documented lane order,
// bit for bit (so AVX2 and portable builds agree).
static int check_spectral(int side) {
    const long stride = side + 3;
    uint8_t *luma = malloc((size_t)(stride * side + side + 1));
    for (long i = 0; i < stride * side + side + 1; i++) luma[i] = (uint8_t)next();
    const long count = (long)side * side;
    double *crop = malloc(sizeof(double) * (size_t)count), *residual = malloc(sizeof(double) * (size_t)count);
    int64_t sums[3];
    imprint_crop_residual(luma, stride, side, crop, residual, sums);
    int bad = 0;
    int64_t plain[3] = { 0, 0, 0 };
    for (int r = 0; r < side; r++) {
        for (int x = 0; x < side; x++) {
            const int a = luma[r * stride + x], b = luma[r * stride + x + 1], c = luma[(r + 1) * stride + x],
                      d = luma[(r + 1) * stride + x + 1];
            const int cross = abs(a + d - b - c);
            bad |= crop[r * side + x] != (double)a || residual[r * side + x] != (double)cross;
            plain[0] += a;
            plain[1] += abs(b - a) + abs(c - a);
            plain[2] += cross;
        }
    }
    bad |= sums[0] != plain[0] || sums[1] != plain[1] || sums[2] != plain[2];
    const double mean = (double)sums[0] / (double)count, residual_mean = (double)sums[2] / (double)count;
    double lanes[3][4] = { { 0 } };
    double *expected_crop = malloc(sizeof(double) * (size_t)count), *expected_residual = malloc(sizeof(double) * (size_t)count);
    for (long i = 0; i < count; i++) {
        expected_crop[i] = crop[i] - mean;
        expected_residual[i] = residual[i] - residual_mean;
        const double square = expected_residual[i] * expected_residual[i];
        lanes[0][i % 4] += expected_crop[i] * expected_crop[i];
        lanes[1][i % 4] += square;
        lanes[2][i % 4] += square * square;
    }
    double moments[3];
    imprint_center_moments(crop, residual, count, mean, residual_mean, moments);
    for (int k = 0; k < 3; k++) {
        const double value = (lanes[k][0] + lanes[k][1]) + (lanes[k][2] + lanes[k][3]);
        bad |= memcmp(&value, &moments[k], sizeof value) != 0;
    }
    bad |= memcmp(crop, expected_crop, sizeof(double) * (size_t)count) != 0
        || memcmp(residual, expected_residual, sizeof(double) * (size_t)count) != 0;
    for (long skip = -1; skip <= count; skip += count / 3 + 1) {
        double roots[4] = { 0, 0, 0, 0 };
        for (long i = 0; i < count; i++) roots[i % 4] += i == skip ? 0.0 : sqrt(expected_residual[i] * expected_residual[i]);
        for (long i = 0; i < count; i++) expected_crop[i] = expected_residual[i] * expected_residual[i];
        const double value = (roots[0] + roots[1]) + (roots[2] + roots[3]);
        const double actual = imprint_sum_sqrt_except(expected_crop, count, skip);
        bad |= memcmp(&value, &actual, sizeof value) != 0;
    }
    free(luma);
    free(crop);
    free(residual);
    free(expected_crop);
    free(expected_residual);
    return bad;
}

// Pillow grey and PDQ float luma on exactly count pixels, against the plain formulas.
static int check_luma(int count, int channels) {
    uint8_t *pixels = malloc((size_t)count * (size_t)channels + 1);
    uint8_t *grey = malloc((size_t)count + 1);
    float *luma = malloc(sizeof(float) * ((size_t)count + 1));
    for (int i = 0; i < count * channels; i++) pixels[i] = (uint8_t)next();
    imprint_pillow_grey(pixels, channels, count, grey);
    imprint_pdq_luma_f32(pixels, channels, count, luma);
    // The 16-bit grey, alone and with the luma, on buffers of exactly `count` elements,
    // must give the same.
    int16_t *words = malloc(sizeof(int16_t) * (size_t)count + 1), *words2 = malloc(sizeof(int16_t) * (size_t)count + 1);
    float *luma2 = malloc(sizeof(float) * (size_t)count + 1);
    imprint_pillow_grey16(pixels, channels, count, words);
    imprint_pillow_grey16_and_pdq_luma(pixels, channels, count, words2, luma2);
    int bad = memcmp(luma, luma2, sizeof(float) * (size_t)count) != 0;
    for (int i = 0; i < count; i++) bad |= words[i] != grey[i] || words2[i] != grey[i];
    free(words);
    free(words2);
    free(luma2);
    for (int i = 0; i < count; i++) {
        const uint8_t *p = pixels + (size_t)i * (size_t)channels;
        uint8_t g = (uint8_t)(((uint32_t)p[0] * 19595u + (uint32_t)p[1] * 38470u + (uint32_t)p[2] * 7471u + 0x8000u) >> 16);
        float l = (0.299f * (float)p[0] + 0.587f * (float)p[1]) + 0.114f * (float)p[2];
        bad |= grey[i] != g || memcmp(&luma[i], &l, sizeof l) != 0;
    }
    free(pixels);
    free(grey);
    free(luma);
    return bad;
}

int main(void) {
    int failures = 0, runs = 0;
    const int sizes[] = { 1, 2, 5, 7, 8, 9, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 300, 1001 };
    const int n = (int)(sizeof sizes / sizeof sizes[0]);
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
            failures += check_tent(sizes[i], sizes[j]);
            failures += check_dwtdct(sizes[i] + 7, sizes[j] + 7, 3);
            failures += check_dwtdct(sizes[j] + 9, sizes[i] + 8, 4);
            runs += 3;
        }
        for (int rows = 1; rows <= 9; rows += 4) {
            failures += check_resample(sizes[i], 1 + sizes[(i + rows) % n] % 40, rows, 0);
            failures += check_resample(sizes[i], 1 + sizes[(i + rows) % n] % 40, rows, 1);
            runs += 2;
        }
        failures += check_luma(sizes[i], 3) + check_luma(sizes[i], 4);
        failures += check_spectral(sizes[i]);
        runs += 3;
    }
    printf("%d kernel runs, %d failures\n", runs, failures);
    return failures != 0;
}
