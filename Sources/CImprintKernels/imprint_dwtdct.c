// See imprint_kernels.h: imprint_dwtdct_block_row.
//
// Written as plain loops over contiguous arrays so that the compiler vectorises them
// (8 pixels per AVX2 operation); the integer steps are exact in any order and the double
// expression is evaluated exactly as written (-ffp-contract=off), so the vector code's
// results are the per-pixel definition's.
#include "imprint_kernels.h"

#include <math.h>

// int32 scratch: five per-pixel rows (U of both orders, R, G, B) summed over the LL row's
// two pixel rows, then the uint8 keys' cell sums position-major: cell[key][position][block]
// with position = 4 * LL row + LL column within the block.
long imprint_dwtdct_scratch_count(int across) { return across > 0 ? 5L * 8 * across + 2L * 16 * across : 0; }
// double scratch: the float keys' |LL| values in the same position-major layout.
long imprint_dwtdct_fscratch_count(int across) { return across > 0 ? 2L * 16 * across : 0; }

// OpenCV's 8-bit COLOR_BGR2YUV U of both channel orders for `n` pixels, stored or added.
static inline __attribute__((always_inline)) void pixel_row(const uint8_t *restrict p, const int channels, const int n,
                                                            const int add, int32_t *restrict ub, int32_t *restrict ur,
                                                            int32_t *restrict r, int32_t *restrict g, int32_t *restrict b) {
    for (int x = 0; x < n; x++) {
        const int32_t red = p[x * channels], green = p[x * channels + 1], blue = p[x * channels + 2];
        const int32_t gy = green * 9617 + 8192;
        // (c0, c1, c2) = (B, G, R): Y weights R by 4899 and B by 1868; U from c0 - Y.
        const int32_t y_bgr = (red * 4899 + gy + blue * 1868) >> 14;
        int32_t u_bgr = ((blue - y_bgr) * 8061 + (128 << 14) + 8192) >> 14;
        u_bgr = u_bgr < 0 ? 0 : (u_bgr > 255 ? 255 : u_bgr);
        // RGB given to the BGR routine: c0 = R.
        const int32_t y_rgb = (blue * 4899 + gy + red * 1868) >> 14;
        int32_t u_rgb = ((red - y_rgb) * 8061 + (128 << 14) + 8192) >> 14;
        u_rgb = u_rgb < 0 ? 0 : (u_rgb > 255 ? 255 : u_rgb);
        if (add) {
            ub[x] += u_bgr; ur[x] += u_rgb; r[x] += red; g[x] += green; b[x] += blue;
        } else {
            ub[x] = u_bgr; ur[x] = u_rgb; r[x] = red; g[x] = green; b[x] = blue;
        }
    }
}

void imprint_dwtdct_block_row(const uint8_t *row, long row_bytes, int channels, int across,
                              int32_t *scratch, double *fscratch, int32_t *out) {
    if (across <= 0 || (channels != 3 && channels != 4)) return;
    const int pixels = 8 * across;
    int32_t *ub = scratch, *ur = ub + pixels, *r = ur + pixels, *g = r + pixels, *b = g + pixels;
    int32_t *cell = b + pixels;       // [2][16][across]
    double *fcell = fscratch;         // [2][16][across]
    for (int ll_row = 0; ll_row < 4; ll_row++) {
        const uint8_t *top = row + (long)(2 * ll_row) * row_bytes, *bottom = top + row_bytes;
        // Constant channel counts, so each call vectorises with fixed strides.
        if (channels == 3) {
            pixel_row(top, 3, pixels, 0, ub, ur, r, g, b);
            pixel_row(bottom, 3, pixels, 1, ub, ur, r, g, b);
        } else {
            pixel_row(top, 4, pixels, 0, ub, ur, r, g, b);
            pixel_row(bottom, 4, pixels, 1, ub, ur, r, g, b);
        }
        for (int column = 0; column < 4; column++) {
            const int position = 4 * ll_row + column;
            int32_t *cell_bgr = cell + (long)position * across, *cell_rgb = cell + (long)(16 + position) * across;
            double *f_bgr = fcell + (long)position * across, *f_rgb = fcell + (long)(16 + position) * across;
            for (int block = 0; block < across; block++) {
                const int x = 8 * block + 2 * column;
                cell_bgr[block] = ub[x] + ub[x + 1];
                cell_rgb[block] = ur[x] + ur[x + 1];
                const double sr = (double)(r[x] + r[x + 1]), sg = (double)(g[x] + g[x + 1]), sb = (double)(b[x] + b[x + 1]);
                f_bgr[block] = fabs((0.492111 * (sb - (0.299 * sr + 0.587 * sg + 0.114 * sb)) + 2) / 2);
                f_rgb[block] = fabs((0.492111 * (sr - (0.299 * sb + 0.587 * sg + 0.114 * sr)) + 2) / 2);
            }
        }
    }
    // The embedder's choice: the largest magnitude over positions 1...15 (DC excluded).
    // uint8 U is never negative, so |LL| = sum / 2 and 256 |LL| = 128 sum exactly.
    for (int order = 0; order < 2; order++) {
        int32_t *best = cell + (long)(16 * order + 1) * across;
        double *fbest = fcell + (long)(16 * order + 1) * across;
        for (int position = 2; position < 16; position++) {
            const int32_t *values = cell + (long)(16 * order + position) * across;
            const double *fvalues = fcell + (long)(16 * order + position) * across;
            for (int block = 0; block < across; block++) {
                best[block] = values[block] > best[block] ? values[block] : best[block];
                fbest[block] = fvalues[block] > fbest[block] ? fvalues[block] : fbest[block];
            }
        }
        int32_t *uint8_out = out + (long)(2 * order) * across, *float_out = out + (long)(2 * order + 1) * across;
        for (int block = 0; block < across; block++) {
            uint8_out[block] = (int32_t)(((int64_t)best[block] * 128) % 9216);
            float_out[block] = (int32_t)((int64_t)round(fbest[block] * 256) % 9216);
        }
    }
}
