// scripts/check-kernels.sh: the C kernels of CImprintKernels under the sanitizers, on
// buffers of exactly the size each function is documented to need, for many shapes
// (tiny, odd, off the 8- and 16-row groups). Equality with the definitions is the Swift
// tests' job (KernelTests, JaroszStreamTests, DwtDctBlockRowTests); this checks that no
// shape reads or writes outside its buffers, that the AVX2 and portable tent paths agree
// and that every residue is in range.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static int check_dots(int count) {
    uint8_t *pixels = malloc((size_t)count + 1);
    int16_t *a = malloc(sizeof(int16_t) * ((size_t)count + 1)), *b = malloc(sizeof(int16_t) * ((size_t)count + 1));
    int32_t plain = 0, split = 0;
    for (int i = 0; i < count; i++) {
        pixels[i] = (uint8_t)next();
        a[i] = (int16_t)(next() % 64 - 32);
        b[i] = (int16_t)(next() % 256);
        plain += pixels[i] * a[i];
        split += pixels[i] * (a[i] * 256 + b[i]);
    }
    int bad = imprint_dot_u8_i16(pixels, a, count) != plain || imprint_dot_u8_split16(pixels, a, b, count) != split;
    free(pixels);
    free(a);
    free(b);
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
    // The fused kernel, on buffers of exactly `count` elements, must give the same.
    uint8_t *grey2 = malloc((size_t)count);
    float *luma2 = malloc(sizeof(float) * (size_t)count);
    imprint_pillow_grey_and_pdq_luma(pixels, channels, count, grey2, luma2);
    int bad = memcmp(grey, grey2, (size_t)count) != 0 || memcmp(luma, luma2, sizeof(float) * (size_t)count) != 0;
    free(grey2);
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
        failures += check_dots(sizes[i]);
        failures += check_luma(sizes[i], 3) + check_luma(sizes[i], 4);
        runs += 3;
    }
    printf("%d kernel runs, %d failures\n", runs, failures);
    return failures != 0;
}
