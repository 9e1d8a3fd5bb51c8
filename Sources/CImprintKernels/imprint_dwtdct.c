// See imprint_kernels.h: imprint_dwtdct_block_row.
//
// The pixel part runs 16 pixels per step in AVX2 16-bit lanes (vpmaddwd for OpenCV's
// fixed-point Y, vpmulhrsw for U), with a per-pixel scalar path for the remaining
// columns and for builds without AVX2. Both are exact integer arithmetic, so they give
// the same sums; the double expression is evaluated exactly as written
// (-ffp-contract=off), so the results are the per-pixel definition's.
#include "imprint_kernels.h"
#include "imprint_simd.h"

#include <math.h>
#if defined(__AVX2__)
#include <immintrin.h>
#endif

// int32 scratch: the LL row's cell sums (U of both orders, R, G, B) by LL column, then
// the uint8 keys' running maxima by LL column (both orders).
long imprint_dwtdct_scratch_count(int across) { return across > 0 ? 7L * 4 * across : 0; }
// double scratch: the float keys' running maxima by LL column (both orders).
long imprint_dwtdct_fscratch_count(int across) { return across > 0 ? 2L * 4 * across : 0; }

// OpenCV's 8-bit COLOR_BGR2YUV U of one pixel, (c0, c1, c2) in the roles of (B, G, R):
// Y rounded first, then U = round(0.492111 (c0 - Y) + 128) saturated to 0...255.
static inline int32_t opencv_u8(int32_t c0, int32_t c1, int32_t c2) {
    const int32_t y = (c2 * 4899 + c1 * 9617 + c0 * 1868 + 8192) >> 14;
    const int32_t u = ((c0 - y) * 8061 + (128 << 14) + 8192) >> 14;
    return u < 0 ? 0 : (u > 255 ? 255 : u);
}

// Where a block row's pixels are: interleaved (`red` at the first pixel, `channels`
// bytes per pixel, R first) or planar (`red`, `green`, `blue` planes, `channels` 1); rows
// `stride` bytes apart either way.
typedef struct {
    const uint8_t *red, *green, *blue;
    long stride;
    int channels;
} pixel_rows;

// The 2x2 cell sums of LL columns first..<last of pixel rows `top` and `top` + 1, pixel by
// pixel: U of both orders and the channel sums.
static void cells_scalar(const pixel_rows *rows, int top, int first, int last,
                         int32_t *u_bgr, int32_t *u_rgb, int32_t *r, int32_t *g, int32_t *b) {
    const int step = rows->channels;
    for (int column = first; column < last; column++) {
        int32_t sum_bgr = 0, sum_rgb = 0, sum_r = 0, sum_g = 0, sum_b = 0;
        for (int i = 0; i < 4; i++) {
            const long at = (long)(top + i / 2) * rows->stride + (long)(2 * column + (i & 1)) * step;
            const int32_t red = rows->red[at], green = rows->green[at], blue = rows->blue[at];
            sum_bgr += opencv_u8(blue, green, red);
            sum_rgb += opencv_u8(red, green, blue);
            sum_r += red;
            sum_g += green;
            sum_b += blue;
        }
        u_bgr[column] = sum_bgr;
        u_rgb[column] = sum_rgb;
        r[column] = sum_r;
        g[column] = sum_g;
        b[column] = sum_b;
    }
}

#if defined(__AVX2__)
// (c2 * 4899 + c1 * 9617 + c0 * 1868 + 8192) >> 14 for 16 pixels, from the pairs
// (c2, c1) and (c0, 1) multiplied and summed in 32 bits by vpmaddwd. unpacklo/hi and
// packs work within 128-bit lanes, so the result is back in pixel order.
static inline __m256i luma16(__m256i c2, __m256i c1, __m256i c0) {
    const __m256i weights_c2c1 = _mm256_set1_epi32(4899 | (9617 << 16));
    const __m256i weights_c0one = _mm256_set1_epi32(1868 | (8192 << 16));
    const __m256i one = _mm256_set1_epi16(1);
    const __m256i lo = _mm256_add_epi32(_mm256_madd_epi16(_mm256_unpacklo_epi16(c2, c1), weights_c2c1),
                                        _mm256_madd_epi16(_mm256_unpacklo_epi16(c0, one), weights_c0one));
    const __m256i hi = _mm256_add_epi32(_mm256_madd_epi16(_mm256_unpackhi_epi16(c2, c1), weights_c2c1),
                                        _mm256_madd_epi16(_mm256_unpackhi_epi16(c0, one), weights_c0one));
    return _mm256_packs_epi32(_mm256_srai_epi32(lo, 14), _mm256_srai_epi32(hi, 14));
}

// U = clamp(floor((8061 (c0 - Y) + 2^13) / 2^14) + 128, 0, 255), OpenCV's expression
// with its 128 << 14 taken out of the shift. vpmulhrsw by 2 * 8061 gives
// floor((2 * 8061 d + 2^14) / 2^15), the same integer, for every d in -255...255.
static inline __m256i chroma_u16(__m256i c0, __m256i y) {
    const __m256i u = _mm256_add_epi16(_mm256_mulhrs_epi16(_mm256_sub_epi16(c0, y), _mm256_set1_epi16(2 * 8061)),
                                       _mm256_set1_epi16(128));
    return _mm256_min_epi16(_mm256_max_epi16(u, _mm256_setzero_si256()), _mm256_set1_epi16(255));
}

// Adjacent 16-bit lanes summed into 32-bit lanes: the LL columns, in order.
static inline __m256i pair_sums(__m256i v) { return _mm256_madd_epi16(v, _mm256_set1_epi16(1)); }
#endif

#if defined(__AVX2__)
// 16 pixels of pixel row `row` from column `x` on, as 16-bit lanes.
static inline void load16(const pixel_rows *rows, int row, int x, __m256i *r, __m256i *g, __m256i *b) {
    const long at = (long)row * rows->stride + (long)x * rows->channels;
    if (rows->channels == 1) {
        *r = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(const void *)(rows->red + at)));
        *g = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(const void *)(rows->green + at)));
        *b = _mm256_cvtepu8_epi16(_mm_loadu_si128((const __m128i *)(const void *)(rows->blue + at)));
    } else {
        imprint_load16_rgb(rows->red + at, rows->channels, r, g, b);
    }
}
#endif

// The cell sums of one LL row (pixel rows `top` and `top` + 1) for `columns` LL columns.
static void ll_row_cells(const pixel_rows *rows, int top, int columns,
                         int32_t *u_bgr, int32_t *u_rgb, int32_t *r, int32_t *g, int32_t *b) {
    int column = 0;
#if defined(__AVX2__)
    // 8 LL columns (16 pixels of each row) per step; two rows' 16-bit sums stay below 2^9.
    for (; column + 8 <= columns; column += 8) {
        __m256i r0, g0, b0, r1, g1, b1;
        load16(rows, top, 2 * column, &r0, &g0, &b0);
        load16(rows, top + 1, 2 * column, &r1, &g1, &b1);
        // BGR: c0 = B, c2 = R. RGB given to the BGR routine: c0 = R, c2 = B.
        const __m256i ub = _mm256_add_epi16(chroma_u16(b0, luma16(r0, g0, b0)), chroma_u16(b1, luma16(r1, g1, b1)));
        const __m256i ur = _mm256_add_epi16(chroma_u16(r0, luma16(b0, g0, r0)), chroma_u16(r1, luma16(b1, g1, r1)));
        _mm256_storeu_si256((__m256i *)(void *)(u_bgr + column), pair_sums(ub));
        _mm256_storeu_si256((__m256i *)(void *)(u_rgb + column), pair_sums(ur));
        _mm256_storeu_si256((__m256i *)(void *)(r + column), pair_sums(_mm256_add_epi16(r0, r1)));
        _mm256_storeu_si256((__m256i *)(void *)(g + column), pair_sums(_mm256_add_epi16(g0, g1)));
        _mm256_storeu_si256((__m256i *)(void *)(b + column), pair_sums(_mm256_add_epi16(b0, b1)));
    }
#endif
    cells_scalar(rows, top, column, columns, u_bgr, u_rgb, r, g, b);
}

static void block_row(const pixel_rows *rows, int across, int32_t *scratch, double *fscratch, int32_t *out) {
    const int columns = 4 * across;
    int32_t *ub = scratch, *ur = ub + columns, *r = ur + columns, *g = r + columns, *b = g + columns;
    // Running maxima by LL column over the LL rows so far: uint8 keys (cell sums) and
    // float keys (|LL|), BGR order then RGB-as-BGR.
    int32_t *max_ub = b + columns, *max_ur = max_ub + columns;
    double *max_fb = fscratch, *max_fr = max_fb + columns;
    // The embedder's choice is the largest magnitude over positions 1...15 of the block's
    // 4 x 4 LL cells (DC, position 0, excluded). A maximum does not depend on the order it
    // is taken in, so it is kept per LL column as the LL rows come (elementwise, so the
    // loops vectorise), with each block's DC cell replaced by its neighbour in row 0, and
    // reduced over the block's 4 columns at the end. uint8 U is never negative, so
    // |LL| = sum / 2, and 256 |LL| = 128 sum exactly.
    for (int ll_row = 0; ll_row < 4; ll_row++) {
        ll_row_cells(rows, 2 * ll_row, columns, ub, ur, r, g, b);
        // The float keys' double expression, evaluated exactly as written (-ffp-contract=off).
        if (ll_row == 0) {
            for (int x = 0; x < columns; x++) {
                const double sr = (double)r[x], sg = (double)g[x], sb = (double)b[x];
                max_fb[x] = fabs((0.492111 * (sb - (0.299 * sr + 0.587 * sg + 0.114 * sb)) + 2) / 2);
                max_fr[x] = fabs((0.492111 * (sr - (0.299 * sb + 0.587 * sg + 0.114 * sr)) + 2) / 2);
                max_ub[x] = ub[x];
                max_ur[x] = ur[x];
            }
            for (int x = 0; x < columns; x += 4) {
                max_fb[x] = max_fb[x + 1];
                max_fr[x] = max_fr[x + 1];
                max_ub[x] = max_ub[x + 1];
                max_ur[x] = max_ur[x + 1];
            }
        } else {
            for (int x = 0; x < columns; x++) {
                const double sr = (double)r[x], sg = (double)g[x], sb = (double)b[x];
                const double vb = fabs((0.492111 * (sb - (0.299 * sr + 0.587 * sg + 0.114 * sb)) + 2) / 2);
                const double vr = fabs((0.492111 * (sr - (0.299 * sb + 0.587 * sg + 0.114 * sr)) + 2) / 2);
                max_fb[x] = vb > max_fb[x] ? vb : max_fb[x];
                max_fr[x] = vr > max_fr[x] ? vr : max_fr[x];
                max_ub[x] = ub[x] > max_ub[x] ? ub[x] : max_ub[x];
                max_ur[x] = ur[x] > max_ur[x] ? ur[x] : max_ur[x];
            }
        }
    }
    for (int order = 0; order < 2; order++) {
        const int32_t *mu = order == 0 ? max_ub : max_ur;
        const double *mf = order == 0 ? max_fb : max_fr;
        int32_t *uint8_out = out + (long)(2 * order) * across, *float_out = out + (long)(2 * order + 1) * across;
        for (int block = 0; block < across; block++) {
            const int32_t *u = mu + 4 * block;
            const double *f = mf + 4 * block;
            int32_t best = u[0];
            double fbest = f[0];
            for (int k = 1; k < 4; k++) {
                best = u[k] > best ? u[k] : best;
                fbest = f[k] > fbest ? f[k] : fbest;
            }
            uint8_out[block] = (int32_t)(((int64_t)best * 128) % 9216);
            float_out[block] = (int32_t)((int64_t)round(fbest * 256) % 9216);
        }
    }
}

void imprint_dwtdct_block_row(const uint8_t *row, long row_bytes, int channels, int across,
                              int32_t *scratch, double *fscratch, int32_t *out) {
    if (across <= 0 || (channels != 3 && channels != 4)) return;
    const pixel_rows rows = { row, row + 1, row + 2, row_bytes, channels };
    block_row(&rows, across, scratch, fscratch, out);
}

void imprint_dwtdct_block_row_planes(const uint8_t *red, const uint8_t *green, const uint8_t *blue, long stride,
                                     int across, int32_t *scratch, double *fscratch, int32_t *out) {
    if (across <= 0) return;
    const pixel_rows rows = { red, green, blue, stride, 1 };
    block_row(&rows, across, scratch, fscratch, out);
}

int imprint_planes_have_chroma(const uint8_t *red, const uint8_t *green, const uint8_t *blue, long stride, int width,
                               int count) {
    for (int row = 0; row < count; row++) {
        const uint8_t *r = red + (long)row * stride, *g = green + (long)row * stride, *b = blue + (long)row * stride;
        // An OR of differences over the row (vectorises), tested once per row.
        int differs = 0;
        for (int x = 0; x < width; x++) differs |= (r[x] ^ g[x]) | (r[x] ^ b[x]);
        if (differs) return 1;
    }
    return 0;
}
