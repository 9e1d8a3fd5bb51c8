// scripts/check-decode-both.sh: imprint_jpeg_decode_both under the sanitizers. Every file
// given, plus truncations and byte flips of it, is decoded both ways; wherever both succeed
// the one-pass pair must equal libjpeg's own decodes, in each of its three modes (both
// images held; smooth held and replicated in strips; both in strips only).
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "imprint_codecs.h"
#include "imprint_jpeg_internal.h"

// The one-pass decode's colour conversions (interleaved, and planar with each chroma
// sample over two pixels) against the plain JFIF formula (libjpeg's tables), for every
// Y, Cb and Cr, in rows long enough for the vector path and its tail.
static long check_conversion(void) {
    enum { N = 256 * 16 + 5 };
    static uint8_t luma[N], cb[N], cr[N], out[3 * N], planes[3 * N];
    const int cr_r = 91881, cb_b = 116130, cr_g = -46802, cb_g = -22554;
    long bad = 0;
    for (int b = 0; b < 256; b++) {
        for (int r = 0; r < 256; r++) {
            for (int x = 0; x < N; x++) {
                luma[x] = (uint8_t)(x / 16);
                cb[x] = (uint8_t)b;
                cr[x] = (uint8_t)((r + x * 17) & 255);
            }
            imprint_ycc_row_to_rgb(luma, cb, cr, N, out);
            // The replicated planes read chroma sample x / 2: the same values, since
            // sample x / 2 of this row is sample x of a row of half as many.
            imprint_ycc_row_replicated_to_planes(luma, cb, cr, N, planes, planes + N, planes + 2 * N);
            for (int x = 0; x < N; x++) {
                int y = luma[x], u = cb[x] - 128, v = cr[x] - 128;
                int rgb[3] = { y + ((cr_r * v + 32768) >> 16), y + ((cb_g * u + 32768 + cr_g * v) >> 16),
                               y + ((cb_b * u + 32768) >> 16) };
                int uh = cb[x / 2] - 128, vh = cr[x / 2] - 128;
                int replicated[3] = { y + ((cr_r * vh + 32768) >> 16), y + ((cb_g * uh + 32768 + cr_g * vh) >> 16),
                                      y + ((cb_b * uh + 32768) >> 16) };
                for (int c = 0; c < 3; c++) {
                    int expected = rgb[c] < 0 ? 0 : (rgb[c] > 255 ? 255 : rgb[c]);
                    if (out[3 * x + c] != expected) bad++;
                    expected = replicated[c] < 0 ? 0 : (replicated[c] > 255 ? 255 : replicated[c]);
                    if (planes[c * N + x] != expected) bad++;
                }
            }
        }
    }
    return bad;
}

// The strip mode must hand over exactly the replicated image's rows, in order.
typedef struct {
    const uint8_t *expected;
    int next_row;
    int bad;
} strip_check;

static void compare_strip(void *context, const uint8_t *rows, int y0, int count, int width, int height) {
    strip_check *c = context;
    if (y0 != c->next_row || y0 % 8 != 0 || count < 1 || count > 8 || y0 + count > height ||
        memcmp(rows, c->expected + (size_t)y0 * (size_t)width * 3, (size_t)count * (size_t)width * 3) != 0) c->bad = 1;
    c->next_row = y0 + count;
}

// The replicated strips come as planes: each row must be the replicated image's row.
static void compare_planar_strip(void *context, const uint8_t *red, const uint8_t *green, const uint8_t *blue, int stride,
                                 int y0, int count, int width, int height) {
    strip_check *c = context;
    if (y0 != c->next_row || y0 % 8 != 0 || count < 1 || count > 8 || y0 + count > height || stride < width) c->bad = 1;
    for (int r = 0; r < count && !c->bad; r++) {
        const uint8_t *expected = c->expected + (size_t)(y0 + r) * (size_t)width * 3;
        for (int x = 0; x < width; x++) {
            const size_t at = (size_t)r * (size_t)stride + (size_t)x;
            if (red[at] != expected[3 * x] || green[at] != expected[3 * x + 1] || blue[at] != expected[3 * x + 2]) {
                c->bad = 1;
                break;
            }
        }
    }
    c->next_row = y0 + count;
}

static int check(const uint8_t *data, size_t size) {
    imprint_image info;
    if (imprint_jpeg_output_dimensions(data, size, 1, 0, 4000000, &info) != IMPRINT_CODEC_OK) return 0;
    size_t count = (size_t)info.width * info.height * 3;
    if (count == 0) return 0;
    uint8_t *smooth = malloc(count), *replicated = malloc(count);
    imprint_image out;
    int status = imprint_jpeg_decode_both(data, size, 4000000, smooth, replicated, count, NULL, NULL, NULL, NULL, &out);
    int bad = 0;
    if (status == IMPRINT_CODEC_OK) {
        imprint_image a, b;
        if (imprint_jpeg_decode_upsampling(data, size, 1, 0, 1, 4000000, &a) == IMPRINT_CODEC_OK &&
            imprint_jpeg_decode_upsampling(data, size, 1, 0, 0, 4000000, &b) == IMPRINT_CODEC_OK) {
            if (memcmp(a.pixels, smooth, count) != 0 || memcmp(b.pixels, replicated, count) != 0) bad = 1;
        }
        // Strip mode: the same smooth image, also in strips, the replicated one in strips.
        strip_check c = { replicated, 0, 0 }, s = { smooth, 0, 0 };
        uint8_t *smooth2 = malloc(count);
        if (imprint_jpeg_decode_both(data, size, 4000000, smooth2, NULL, count, compare_planar_strip, &c, compare_strip, &s, &out) !=
                IMPRINT_CODEC_OK ||
            c.bad || c.next_row != (int)out.height || s.bad || s.next_row != (int)out.height ||
            memcmp(smooth2, smooth, count) != 0) bad = 1;
        free(smooth2);
        // Strips only: neither image held, both handed over in strips.
        strip_check c2 = { replicated, 0, 0 }, s2 = { smooth, 0, 0 };
        if (imprint_jpeg_decode_both(data, size, 4000000, NULL, NULL, count, compare_planar_strip, &c2, compare_strip, &s2, &out) !=
                IMPRINT_CODEC_OK ||
            c2.bad || c2.next_row != (int)out.height || s2.bad || s2.next_row != (int)out.height) bad = 1;
        imprint_image_free(&a);
        imprint_image_free(&b);
    }
    free(smooth);
    free(replicated);
    return bad;
}

int main(int argc, char **argv) {
    long conversion = check_conversion();
    printf("colour conversion: %ld mismatches over every Y, Cb, Cr\n", conversion);
    int failures = conversion != 0, runs = 0;
    unsigned seed = 1;
    for (int f = 1; f < argc; f++) {
        FILE *file = fopen(argv[f], "rb");
        if (!file) continue;
        fseek(file, 0, SEEK_END);
        long size = ftell(file);
        fseek(file, 0, SEEK_SET);
        uint8_t *data = malloc((size_t)size);
        if (fread(data, 1, (size_t)size, file) != (size_t)size) { fclose(file); free(data); continue; }
        fclose(file);
        failures += check(data, (size_t)size);
        runs++;
        for (int t = 1; t <= 4; t++) { failures += check(data, (size_t)(size * t / 5)); runs++; }
        uint8_t *copy = malloc((size_t)size);
        for (int m = 0; m < 6; m++) {
            memcpy(copy, data, (size_t)size);
            for (int k = 0; k < 4; k++) {
                seed = seed * 1103515245u + 12345u;
                copy[(seed >> 4) % (unsigned long)size] ^= (uint8_t)(seed >> 24);
            }
            failures += check(copy, (size_t)size);
            runs++;
        }
        free(copy);
        free(data);
    }
    printf("%d decodes, %d mismatches\n", runs, failures);
    return failures != 0;
}
