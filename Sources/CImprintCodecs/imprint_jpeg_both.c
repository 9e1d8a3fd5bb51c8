// One JPEG decode, two colour images: see imprint_jpeg_decode_both in imprint_codecs.h.
//
// The expensive part of decoding (entropy decoding and the inverse DCT) runs once, into
// Y, Cb and Cr planes (libjpeg's raw-data output) a few rows at a time. Both upsamplings
// and the YCbCr to RGB conversion are done here as the rows arrive, following the arithmetic libjpeg-turbo
// documents and uses for them (JFIF conversion in 16-bit fixed point, "fancy" triangle
// upsampling with alternating rounding biases), so each image is bit-identical to what
// a separate libjpeg decode with that upsampling gives. The tests compare both, pixel for
// pixel, with libjpeg's own decodes.
#include <limits.h>
#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>

#include "imprint_codecs.h"
#include "imprint_jpeg_internal.h"

enum { SCALE_BITS = 16, ONE_HALF = 1 << (SCALE_BITS - 1) };
#define FIXED(x) ((int)((x) * (1L << SCALE_BITS) + 0.5))

// JFIF YCbCr to RGB in 16-bit fixed point, the arithmetic libjpeg tabulates per chroma
// value (R = Y + round(1.402 Cr), G = Y + ((-0.34414 Cb - 0.71414 Cr + 1/2) >> 16),
// B = Y + round(1.772 Cb), clamped), computed here without tables so that the loop
// vectorises. Integer sums are exact, so the values equal the tables'.
#if defined(__AVX2__)
#include <immintrin.h>

// The same conversion for 16 pixels in 16-bit lanes: R and G in the low and high halves
// of `rg`, B in the low half of `bb`, in pixel order. The constants over 2^15 are split
// so that every product fits vpmulhw / vpmaddwd, the way libjpeg-turbo's own SIMD
// conversion does it, with integer identities that keep every value exact
// (u = Cb - 128, v = Cr - 128):
//   (91881 v + 2^15) >> 16  = v + ((mulhi(2v, 26345) + 1) >> 1)         [1.402 = 1 + 0.402]
//   (116130 u + 2^15) >> 16 = 2u + ((mulhi(2u, -14942) + 1) >> 1)       [1.772 = 2 - 0.228]
//   (-22554 u - 46802 v + 2^15) >> 16 = ((-22554 u + 18734 v + 2^15) >> 16) - v
// where mulhi(a, b) = floor(a b / 2^16) and (floor(x) + 1) >> 1 = floor((x + 1) / 2).
static inline void ycc16_convert(__m128i luma, __m128i cb, __m128i cr, __m256i *rg, __m256i *bb) {
    const __m256i y = _mm256_cvtepu8_epi16(luma);
    const __m256i bias = _mm256_set1_epi16(128), one = _mm256_set1_epi16(1);
    const __m256i u = _mm256_sub_epi16(_mm256_cvtepu8_epi16(cb), bias);
    const __m256i v = _mm256_sub_epi16(_mm256_cvtepu8_epi16(cr), bias);
    const __m256i r_term = _mm256_add_epi16(
        v, _mm256_srai_epi16(_mm256_add_epi16(_mm256_mulhi_epi16(_mm256_add_epi16(v, v), _mm256_set1_epi16(26345)), one), 1));
    const __m256i b_term = _mm256_add_epi16(
        _mm256_add_epi16(u, u),
        _mm256_srai_epi16(_mm256_add_epi16(_mm256_mulhi_epi16(_mm256_add_epi16(u, u), _mm256_set1_epi16(-14942)), one), 1));
    const __m256i weights = _mm256_set1_epi32((int)((uint32_t)(uint16_t)-22554 | ((uint32_t)18734 << 16)));
    const __m256i half = _mm256_set1_epi32(1 << 15);
    const __m256i g_lo = _mm256_srai_epi32(_mm256_add_epi32(_mm256_madd_epi16(_mm256_unpacklo_epi16(u, v), weights), half), 16);
    const __m256i g_hi = _mm256_srai_epi32(_mm256_add_epi32(_mm256_madd_epi16(_mm256_unpackhi_epi16(u, v), weights), half), 16);
    const __m256i g_term = _mm256_sub_epi16(_mm256_packs_epi32(g_lo, g_hi), v);
    // Saturating packs clamp to 0...255; the permute undoes packus's per-lane order.
    *rg = _mm256_permute4x64_epi64(_mm256_packus_epi16(_mm256_add_epi16(y, r_term), _mm256_add_epi16(y, g_term)), 0xD8);
    *bb = _mm256_permute4x64_epi64(_mm256_packus_epi16(_mm256_add_epi16(y, b_term), _mm256_setzero_si256()), 0xD8);
}

static inline __m128i load16(const uint8_t *p) { return _mm_loadu_si128((const __m128i *)(const void *)p); }

// 16 pixels into 48 interleaved RGB bytes.
static inline void ycc16_to_rgb(const uint8_t *luma, const uint8_t *cb, const uint8_t *cr, uint8_t *out) {
    __m256i rg, bb;
    ycc16_convert(load16(luma), load16(cb), load16(cr), &rg, &bb);
    const __m128i r = _mm256_castsi256_si128(rg), g = _mm256_extracti128_si256(rg, 1), b = _mm256_castsi256_si128(bb);
    // Interleave: output byte 3k + c is channel c of pixel k.
    const __m128i o0 = _mm_or_si128(_mm_or_si128(
        _mm_shuffle_epi8(r, _mm_setr_epi8(0, -1, -1, 1, -1, -1, 2, -1, -1, 3, -1, -1, 4, -1, -1, 5)),
        _mm_shuffle_epi8(g, _mm_setr_epi8(-1, 0, -1, -1, 1, -1, -1, 2, -1, -1, 3, -1, -1, 4, -1, -1))),
        _mm_shuffle_epi8(b, _mm_setr_epi8(-1, -1, 0, -1, -1, 1, -1, -1, 2, -1, -1, 3, -1, -1, 4, -1)));
    const __m128i o1 = _mm_or_si128(_mm_or_si128(
        _mm_shuffle_epi8(r, _mm_setr_epi8(-1, -1, 6, -1, -1, 7, -1, -1, 8, -1, -1, 9, -1, -1, 10, -1)),
        _mm_shuffle_epi8(g, _mm_setr_epi8(5, -1, -1, 6, -1, -1, 7, -1, -1, 8, -1, -1, 9, -1, -1, 10))),
        _mm_shuffle_epi8(b, _mm_setr_epi8(-1, 5, -1, -1, 6, -1, -1, 7, -1, -1, 8, -1, -1, 9, -1, -1)));
    const __m128i o2 = _mm_or_si128(_mm_or_si128(
        _mm_shuffle_epi8(r, _mm_setr_epi8(-1, 11, -1, -1, 12, -1, -1, 13, -1, -1, 14, -1, -1, 15, -1, -1)),
        _mm_shuffle_epi8(g, _mm_setr_epi8(-1, -1, 11, -1, -1, 12, -1, -1, 13, -1, -1, 14, -1, -1, 15, -1))),
        _mm_shuffle_epi8(b, _mm_setr_epi8(10, -1, -1, 11, -1, -1, 12, -1, -1, 13, -1, -1, 14, -1, -1, 15)));
    _mm_storeu_si128((__m128i *)(void *)out, o0);
    _mm_storeu_si128((__m128i *)(void *)(out + 16), o1);
    _mm_storeu_si128((__m128i *)(void *)(out + 32), o2);
}

// 16 pixels from 8 chroma samples each replicated over two pixels, into three planes.
static inline void ycc16_replicated_to_planes(const uint8_t *luma, const uint8_t *cb, const uint8_t *cr,
                                              uint8_t *red, uint8_t *green, uint8_t *blue) {
    const __m128i cb8 = _mm_loadl_epi64((const __m128i *)(const void *)cb);
    const __m128i cr8 = _mm_loadl_epi64((const __m128i *)(const void *)cr);
    __m256i rg, bb;
    ycc16_convert(load16(luma), _mm_unpacklo_epi8(cb8, cb8), _mm_unpacklo_epi8(cr8, cr8), &rg, &bb);
    _mm_storeu_si128((__m128i *)(void *)red, _mm256_castsi256_si128(rg));
    _mm_storeu_si128((__m128i *)(void *)green, _mm256_extracti128_si256(rg, 1));
    _mm_storeu_si128((__m128i *)(void *)blue, _mm256_castsi256_si128(bb));
}
#endif

// One pixel's JFIF conversion, the scalar form of ycc16_convert.
static inline void ycc_pixel(int y, int cb, int cr, uint8_t *r, uint8_t *g, uint8_t *b) {
    const int cr_r = FIXED(1.40200), cb_b = FIXED(1.77200), cr_g = -FIXED(0.71414), cb_g = -FIXED(0.34414);
    const int u = cb - 128, v = cr - 128;
    const int red = y + ((cr_r * v + ONE_HALF) >> SCALE_BITS);
    const int green = y + ((cb_g * u + ONE_HALF + cr_g * v) >> SCALE_BITS);
    const int blue = y + ((cb_b * u + ONE_HALF) >> SCALE_BITS);
    *r = (uint8_t)(red < 0 ? 0 : (red > 255 ? 255 : red));
    *g = (uint8_t)(green < 0 ? 0 : (green > 255 ? 255 : green));
    *b = (uint8_t)(blue < 0 ? 0 : (blue > 255 ? 255 : blue));
}

void imprint_ycc_row_to_rgb(const uint8_t *restrict luma, const uint8_t *restrict cb, const uint8_t *restrict cr,
                            int count, uint8_t *restrict out) {
    int x = 0;
#if defined(__AVX2__)
    for (; x + 16 <= count; x += 16) ycc16_to_rgb(luma + x, cb + x, cr + x, out + 3 * x);
#endif
    for (; x < count; x++) ycc_pixel(luma[x], cb[x], cr[x], out + 3 * x, out + 3 * x + 1, out + 3 * x + 2);
}

// The replicated image's row as three planes: pixel x takes chroma sample x / 2. The
// pixels are those of replicate_row followed by imprint_ycc_row_to_rgb, without the
// doubled chroma rows or the interleaving (the reader wants the channels apart).
void imprint_ycc_row_replicated_to_planes(const uint8_t *restrict luma, const uint8_t *restrict cb,
                                          const uint8_t *restrict cr, int count, uint8_t *restrict red,
                                          uint8_t *restrict green, uint8_t *restrict blue) {
    int x = 0;
#if defined(__AVX2__)
    for (; x + 16 <= count; x += 16) ycc16_replicated_to_planes(luma + x, cb + x / 2, cr + x / 2, red + x, green + x, blue + x);
#endif
    for (; x < count; x++) ycc_pixel(luma[x], cb[x / 2], cr[x / 2], red + x, green + x, blue + x);
}

// libjpeg's "fancy" h2v2 upsampling of one output row: column sums weighted 3:1 between
// the nearer and the farther chroma row, then each output pixel 3:1 between its own and
// the neighbouring column sum, with rounding biases 8 and 7 alternating; the outer
// pixels use their own column sum alone. `sums` holds `count` (>= 3) ints.
static void fancy_row_h2v2(const uint8_t *restrict near, const uint8_t *restrict far, int count,
                           int16_t *restrict sums, uint8_t *restrict even, uint8_t *restrict odd,
                           uint8_t *restrict out) {
    for (int c = 0; c < count; c++) sums[c] = (int16_t)(near[c] * 3 + far[c]);
    // Even and odd outputs as separate unit-stride loops, then interleaved: written this
    // way the compiler vectorises all three. Sums stay below 2^12, so 16 bits suffice.
    even[0] = (uint8_t)((sums[0] * 4 + 8) >> 4);
    for (int c = 1; c < count; c++) even[c] = (uint8_t)((sums[c] * 3 + sums[c - 1] + 8) >> 4);
    for (int c = 0; c < count - 1; c++) odd[c] = (uint8_t)((sums[c] * 3 + sums[c + 1] + 7) >> 4);
    odd[count - 1] = (uint8_t)((sums[count - 1] * 4 + 7) >> 4);
    for (int c = 0; c < count; c++) {
        out[2 * c] = even[c];
        out[2 * c + 1] = odd[c];
    }
}

// libjpeg's "fancy" h2v1 upsampling: 3:1 between a sample and its neighbour, biases 1
// and 2; the outer pixels are the outer samples. `count` >= 3.
static void fancy_row_h2v1(const uint8_t *restrict in, int count, uint8_t *restrict out) {
    out[0] = in[0];
    out[1] = (uint8_t)((in[0] * 3 + in[1] + 2) >> 2);
    for (int c = 1; c < count - 1; c++) {
        out[2 * c] = (uint8_t)((in[c] * 3 + in[c - 1] + 1) >> 2);
        out[2 * c + 1] = (uint8_t)((in[c] * 3 + in[c + 1] + 2) >> 2);
    }
    out[2 * (count - 1)] = (uint8_t)((in[count - 1] * 3 + in[count - 2] + 1) >> 2);
    out[2 * (count - 1) + 1] = in[count - 1];
}

// Each chroma sample over the two pixels it covers.
static void replicate_row(const uint8_t *restrict in, int count, uint8_t *restrict out) {
    for (int c = 0; c < count; c++) {
        out[2 * c] = in[c];
        out[2 * c + 1] = in[c];
    }
}

int imprint_jpeg_decode_both(const uint8_t *data, size_t size, uint64_t max_pixels, uint8_t *smooth,
                             uint8_t *replicated, size_t capacity, imprint_planar_strip_sink sink, void *sink_context,
                             imprint_strip_sink smooth_sink, void *smooth_context, imprint_image *out) {
    memset(out, 0, sizeof *out);
    struct jpeg_decompress_struct cinfo;
    struct imprint_jpeg_error err;
    uint8_t *volatile planes[3] = { NULL, NULL, NULL };
    uint8_t *volatile rows = NULL;
    imprint_jpeg_setup_errors(&cinfo, &err);
    jpeg_create_decompress(&cinfo);
    if (setjmp(err.jump)) {
        for (int c = 0; c < 3; c++) free(planes[c]);
        free(rows);
        snprintf(out->message, sizeof out->message, "%s", err.message);
        out->warnings = err.warnings;
        jpeg_destroy_decompress(&cinfo);
        return IMPRINT_CODEC_ERROR;
    }
    if (!imprint_jpeg_header_within_limit(&cinfo, data, size, max_pixels, &out->image_width, &out->image_height,
                                          out->message)) {
        jpeg_destroy_decompress(&cinfo);
        return IMPRINT_CODEC_TOO_LARGE;
    }
    // Handled: YCbCr with Y 2x1 or 2x2 and both chroma components 1x1 (4:2:2, 4:2:0),
    // at least 3 chroma samples across and down. Anything else is the caller's to decode
    // the usual way.
    jpeg_component_info *comp = cinfo.comp_info;
    int v = cinfo.num_components == 3 ? comp[0].v_samp_factor : 0;
    if (cinfo.jpeg_color_space != JCS_YCbCr || cinfo.num_components != 3 || comp[0].h_samp_factor != 2 ||
        (v != 1 && v != 2) || comp[1].h_samp_factor != 1 || comp[1].v_samp_factor != 1 ||
        comp[2].h_samp_factor != 1 || comp[2].v_samp_factor != 1 || cinfo.image_width < 6 ||
        cinfo.image_height < 6) {
        jpeg_destroy_decompress(&cinfo);
        return IMPRINT_CODEC_UNSUPPORTED;
    }
    cinfo.raw_data_out = TRUE;
    cinfo.out_color_space = JCS_YCbCr;
    cinfo.scale_num = 1;
    cinfo.scale_denom = 1;
    jpeg_start_decompress(&cinfo);
    int width = (int)cinfo.output_width, height = (int)cinfo.output_height;
    size_t needed = (size_t)width * (size_t)height * 3;
    if ((smooth || replicated) && capacity < needed) {
        jpeg_destroy_decompress(&cinfo);
        snprintf(out->message, sizeof out->message, "output buffers of %zu bytes are smaller than %zu", capacity, needed);
        return IMPRINT_CODEC_ERROR;
    }
    // The planes as rings of three iMCU rows each (padded to whole MCUs: the raw output
    // writes dummy blocks too). Output rows are converted as soon as the chroma rows they
    // read (their own and, for fancy 4:2:0, the one above or below) have been decoded,
    // so the planes stay in cache instead of the whole image going out to memory first.
    int mcus_across = (width + 2 * DCTSIZE - 1) / (2 * DCTSIZE);
    size_t stride[3], ring_rows[3];
    for (int c = 0; c < 3; c++) {
        stride[c] = (size_t)mcus_across * (size_t)comp[c].h_samp_factor * DCTSIZE + DCTSIZE;
        ring_rows[c] = (size_t)comp[c].v_samp_factor * DCTSIZE;
        planes[c] = malloc(stride[c] * ring_rows[c] * 3);
        if (!planes[c]) {
            for (int k = 0; k < 3; k++) free(planes[k]);
            jpeg_destroy_decompress(&cinfo);
            snprintf(out->message, sizeof out->message, "out of memory for %d x %d pixels", width, height);
            return IMPRINT_CODEC_NO_MEMORY;
        }
    }
    int chroma_width = (width + 1) / 2;
    int chroma_height = v == 2 ? (height + 1) / 2 : height;
    // Four upsampled chroma rows (smooth Cb, Cr; replicated Cb, Cr), the column sums and,
    // for each image that goes to its sink only, a strip of 8 of its rows (the replicated
    // image's as three planes).
    size_t row_bytes = (size_t)chroma_width * 2 + 16;
    size_t strip_bytes = (size_t)width * 3 * 8;
    size_t strips = (replicated ? 0 : 1) + (smooth ? 0 : 1);
    rows = malloc(row_bytes * 4 + (size_t)chroma_width * (sizeof(int16_t) + 2) + 64 + strip_bytes * strips);
    if (!rows) {
        for (int c = 0; c < 3; c++) free(planes[c]);
        jpeg_destroy_decompress(&cinfo);
        return IMPRINT_CODEC_NO_MEMORY;
    }
    uint8_t *cb_up = rows, *cr_up = rows + row_bytes, *cb_rep = rows + 2 * row_bytes, *cr_rep = rows + 3 * row_bytes;
    int16_t *sums = (int16_t *)(void *)(rows + 4 * row_bytes);
    uint8_t *even = rows + 4 * row_bytes + (size_t)chroma_width * sizeof(int16_t) + 16;
    uint8_t *odd = even + chroma_width + 16;
    uint8_t *strip = odd + chroma_width + 16;
    uint8_t *smooth_strip = strip + (replicated ? 0 : strip_bytes);
    int smooth_wanted = smooth || smooth_sink;
    int lines = v * DCTSIZE;
    JSAMPROW y_rows[2 * DCTSIZE], cb_rows[DCTSIZE], cr_rows[DCTSIZE];
    JSAMPARRAY image[3] = { y_rows, cb_rows, cr_rows };
    int y = 0;  // the next output row to convert
    JDIMENSION imcu = 0;
    for (;;) {
        int decoded = cinfo.output_scanline < cinfo.output_height && imcu < cinfo.total_iMCU_rows;
        if (decoded) {
            size_t slot = imcu % 3;
            for (int r = 0; r < lines; r++) y_rows[r] = planes[0] + (slot * ring_rows[0] + (size_t)r) * stride[0];
            for (int r = 0; r < DCTSIZE; r++) {
                cb_rows[r] = planes[1] + (slot * ring_rows[1] + (size_t)r) * stride[1];
                cr_rows[r] = planes[2] + (slot * ring_rows[2] + (size_t)r) * stride[2];
            }
            if (jpeg_read_raw_data(&cinfo, image, (JDIMENSION)lines) == 0) {
                for (int c = 0; c < 3; c++) free(planes[c]);
                free(rows);
                jpeg_destroy_decompress(&cinfo);
                snprintf(out->message, sizeof out->message, "the decoder returned no rows");
                return IMPRINT_CODEC_ERROR;
            }
            imcu++;
        }
        // Rows whose luma and chroma rows (including the neighbour) are decoded: iMCU rows
        // 0..<imcu, or every row once the decode is complete.
        for (; y < height; y++) {
            int i = v == 2 ? y / 2 : y;
            // The nearer chroma row weighs 3, the row above (even output rows) or below
            // (odd rows) 1; at the image's top and bottom edges the row itself.
            int j = v == 2 ? ((y % 2 == 0) ? (i > 0 ? i - 1 : 0) : (i + 1 < chroma_height ? i + 1 : chroma_height - 1)) : i;
            if (decoded && ((y / lines) >= (int)imcu || (j / DCTSIZE) >= (int)imcu)) break;
            const uint8_t *luma = planes[0] + (((size_t)(y / lines) % 3) * ring_rows[0] + (size_t)(y % lines)) * stride[0];
            const uint8_t *cb = planes[1] + (((size_t)(i / DCTSIZE) % 3) * ring_rows[1] + (size_t)(i % DCTSIZE)) * stride[1];
            const uint8_t *cr = planes[2] + (((size_t)(i / DCTSIZE) % 3) * ring_rows[2] + (size_t)(i % DCTSIZE)) * stride[2];
            if (smooth_wanted) {
                if (v == 2) {
                    size_t far = ((size_t)(j / DCTSIZE) % 3) * DCTSIZE + (size_t)(j % DCTSIZE);
                    fancy_row_h2v2(cb, planes[1] + far * stride[1], chroma_width, sums, even, odd, cb_up);
                    fancy_row_h2v2(cr, planes[2] + far * stride[2], chroma_width, sums, even, odd, cr_up);
                } else {
                    fancy_row_h2v1(cb, chroma_width, cb_up);
                    fancy_row_h2v1(cr, chroma_width, cr_up);
                }
                uint8_t *first = smooth ? smooth + (size_t)(y - y % 8) * (size_t)width * 3 : smooth_strip;
                imprint_ycc_row_to_rgb(luma, cb_up, cr_up, width, first + (size_t)(y % 8) * (size_t)width * 3);
                if (smooth_sink && (y % 8 == 7 || y == height - 1)) smooth_sink(smooth_context, first, y - y % 8, y % 8 + 1, width, height);
            }
            if (replicated) {
                replicate_row(cb, chroma_width, cb_rep);
                replicate_row(cr, chroma_width, cr_rep);
                imprint_ycc_row_to_rgb(luma, cb_rep, cr_rep, width, replicated + (size_t)y * (size_t)width * 3);
            } else if (sink) {
                // The strip's three planes of 8 rows each.
                size_t plane = (size_t)width * 8;
                uint8_t *red = strip + (size_t)(y % 8) * (size_t)width;
                imprint_ycc_row_replicated_to_planes(luma, cb, cr, width, red, red + plane, red + 2 * plane);
                if (y % 8 == 7 || y == height - 1) {
                    sink(sink_context, strip, strip + plane, strip + 2 * plane, width, y - y % 8, y % 8 + 1, width, height);
                }
            }
        }
        if (!decoded) break;
    }
    jpeg_finish_decompress(&cinfo);
    free(rows);
    for (int c = 0; c < 3; c++) free(planes[c]);
    out->width = width;
    out->height = height;
    out->channels = 3;
    out->warnings = err.warnings;
    if (err.warnings) snprintf(out->message, sizeof out->message, "%s", err.message);
    jpeg_destroy_decompress(&cinfo);
    return IMPRINT_CODEC_OK;
}
