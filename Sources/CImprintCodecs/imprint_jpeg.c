#include "imprint_codecs.h"
#include "imprint_jpeg_internal.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <jerror.h>

static void imprint_jpeg_error_exit(j_common_ptr cinfo) {
    struct imprint_jpeg_error *err = (struct imprint_jpeg_error *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    snprintf(err->message, sizeof err->message, "%s", text);
    longjmp(err->jump, 1);
}

static void imprint_jpeg_emit_message(j_common_ptr cinfo, int level) {
    struct imprint_jpeg_error *err = (struct imprint_jpeg_error *)cinfo->err;
    if (level < 0) {  // a warning: corrupt data the decoder works around
        if (err->warnings == 0) {
            char text[JMSG_LENGTH_MAX];
            (*cinfo->err->format_message)(cinfo, text);
            snprintf(err->message, sizeof err->message, "%s", text);
        }
        err->warnings++;
        cinfo->err->num_warnings++;
    }
}

static void imprint_jpeg_output_message(j_common_ptr cinfo) { (void)cinfo; }

void imprint_jpeg_setup_errors(struct jpeg_decompress_struct *cinfo, struct imprint_jpeg_error *err) {
    memset(err, 0, sizeof *err);
    cinfo->err = jpeg_std_error(&err->base);
    err->base.error_exit = imprint_jpeg_error_exit;
    err->base.emit_message = imprint_jpeg_emit_message;
    err->base.output_message = imprint_jpeg_output_message;
}

// See imprint_jpeg_internal.h.
int imprint_jpeg_header_within_limit(struct jpeg_decompress_struct *cinfo, const uint8_t *data, size_t size,
                                     uint64_t max_pixels, int *width, int *height, char *message) {
    jpeg_mem_src(cinfo, data, (unsigned long)size);
    jpeg_read_header(cinfo, TRUE);
    *width = (int)cinfo->image_width;
    *height = (int)cinfo->image_height;
    if ((uint64_t)cinfo->image_width * (uint64_t)cinfo->image_height > max_pixels) {
        snprintf(message, IMPRINT_CODEC_MESSAGE_LENGTH, "%u x %u pixels exceeds the limit of %llu pixels",
                 cinfo->image_width, cinfo->image_height, (unsigned long long)max_pixels);
        return 0;
    }
    return 1;
}

void imprint_image_free(imprint_image *image) {
    if (image && image->pixels) {
        free(image->pixels);
        image->pixels = NULL;
    }
}

// CMYK/YCCK JPEGs converted to RGB exactly as Pillow does (the reference decode of the
// perceptual-hash goldens). Pillow reads every 4-channel JPEG with rawmode "CMYK;I",
// i.e. it always assumes Adobe polarity (stored value = 255 - ink), whether or not an
// Adobe APP14 marker is present, then converts with
//   R = nk - round(C_ink * nk / 255), nk = 255 - K_ink  (same for G, B)
// where round(a*b/255) is the exact integer form ((t >> 8) + t) >> 8, t = a*b + 128.
// In stored (non-inverted) values: R = Kst - round((255 - Cst) * Kst / 255).
static inline int imprint_muldiv255(int a, int b) {
    int t = a * b + 128;
    return ((t >> 8) + t) >> 8;
}

static void cmyk_to_rgb(const uint8_t *cmyk, uint8_t *rgb, int pixels) {
    for (int i = 0; i < pixels; i++) {
        int nk = cmyk[4 * i + 3];  // 255 - K_ink, with K_ink = 255 - stored K
        for (int ch = 0; ch < 3; ch++) {
            int ink = 255 - cmyk[4 * i + ch];
            int v = nk - imprint_muldiv255(ink, nk);
            rgb[3 * i + ch] = (uint8_t)(v < 0 ? 0 : (v > 255 ? 255 : v));
        }
    }
}

int imprint_jpeg_decode(const uint8_t *data, size_t size, int scale_denom, int grayscale,
                        uint64_t max_pixels, imprint_image *out) {
    return imprint_jpeg_decode_upsampling(data, size, scale_denom, grayscale, 1, max_pixels, out);
}

// Chooses the output colour space, scale and upsampling after the header is read.
static void imprint_jpeg_configure(struct jpeg_decompress_struct *cinfo, int scale_denom, int grayscale,
                                   int fancy_upsampling) {
    int is_cmyk = cinfo->jpeg_color_space == JCS_CMYK || cinfo->jpeg_color_space == JCS_YCCK;
    if (is_cmyk) {
        // libjpeg cannot convert CMYK to RGB or grayscale; decode CMYK and convert here.
        cinfo->out_color_space = JCS_CMYK;
    } else {
        cinfo->out_color_space = grayscale ? JCS_GRAYSCALE : JCS_RGB;
    }
    cinfo->scale_num = 1;
    cinfo->scale_denom = (scale_denom == 2 || scale_denom == 4 || scale_denom == 8) ? (unsigned)scale_denom : 1;
    // Accurate integer IDCT and, unless asked otherwise, fancy (smoothing) upsampling of
    // subsampled chroma: libjpeg's defaults, as djpeg uses. Without it each chroma sample
    // is replicated over the pixels it covers (djpeg -nosmooth).
    cinfo->do_fancy_upsampling = fancy_upsampling ? TRUE : FALSE;
}

int imprint_jpeg_output_dimensions(const uint8_t *data, size_t size, int scale_denom, int grayscale,
                                   uint64_t max_pixels, imprint_image *out) {
    memset(out, 0, sizeof *out);
    struct jpeg_decompress_struct cinfo;
    struct imprint_jpeg_error err;
    imprint_jpeg_setup_errors(&cinfo, &err);
    jpeg_create_decompress(&cinfo);
    if (setjmp(err.jump)) {
        snprintf(out->message, sizeof out->message, "%s", err.message);
        jpeg_destroy_decompress(&cinfo);
        return IMPRINT_CODEC_ERROR;
    }
    if (!imprint_jpeg_header_within_limit(&cinfo, data, size, max_pixels, &out->image_width, &out->image_height,
                                          out->message)) {
        jpeg_destroy_decompress(&cinfo);
        return IMPRINT_CODEC_TOO_LARGE;
    }
    imprint_jpeg_configure(&cinfo, scale_denom, grayscale, 1);
    jpeg_calc_output_dimensions(&cinfo);
    out->width = (int)cinfo.output_width;
    out->height = (int)cinfo.output_height;
    out->channels = grayscale ? 1 : 3;
    jpeg_destroy_decompress(&cinfo);
    return IMPRINT_CODEC_OK;
}

int imprint_jpeg_decode_upsampling(const uint8_t *data, size_t size, int scale_denom, int grayscale,
                                   int fancy_upsampling, uint64_t max_pixels, imprint_image *out) {
    return imprint_jpeg_decode_into(data, size, scale_denom, grayscale, fancy_upsampling, max_pixels, NULL, 0, out);
}

int imprint_jpeg_decode_into(const uint8_t *data, size_t size, int scale_denom, int grayscale,
                             int fancy_upsampling, uint64_t max_pixels, uint8_t *destination, size_t capacity,
                             imprint_image *out) {
    memset(out, 0, sizeof *out);
    struct jpeg_decompress_struct cinfo;
    struct imprint_jpeg_error err;
    // Everything touched after setjmp and read after longjmp must be volatile.
    uint8_t *volatile pixels = NULL;
    uint8_t *volatile cmyk_row = NULL;
    imprint_jpeg_setup_errors(&cinfo, &err);
    jpeg_create_decompress(&cinfo);
    if (setjmp(err.jump)) {
        free(pixels);
        free(cmyk_row);
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
    imprint_jpeg_configure(&cinfo, scale_denom, grayscale, fancy_upsampling);
    jpeg_start_decompress(&cinfo);
    int width = (int)cinfo.output_width, height = (int)cinfo.output_height;
    int channels = grayscale ? 1 : 3;
    size_t needed = (size_t)width * (size_t)height * (size_t)channels;
    if (destination) {
        // The caller's buffer (sized by imprint_jpeg_output_dimensions): no copy afterwards.
        if (capacity < needed) {
            jpeg_destroy_decompress(&cinfo);
            snprintf(out->message, sizeof out->message, "output buffer of %zu bytes is smaller than %zu", capacity, needed);
            return IMPRINT_CODEC_ERROR;
        }
    } else {
        pixels = malloc(needed + 1);
    }
    uint8_t *target = destination ? destination : pixels;
    if (!target) {
        jpeg_destroy_decompress(&cinfo);
        snprintf(out->message, sizeof out->message, "out of memory for %d x %d pixels", width, height);
        return IMPRINT_CODEC_NO_MEMORY;
    }
    if (cinfo.out_color_space == JCS_CMYK) {
        cmyk_row = malloc((size_t)width * 4);
        if (!cmyk_row) {
            free(pixels);
            jpeg_destroy_decompress(&cinfo);
            return IMPRINT_CODEC_NO_MEMORY;
        }
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        uint8_t *row = target + (size_t)cinfo.output_scanline * (size_t)width * (size_t)channels;
        if (cmyk_row) {
            JSAMPROW rows[1] = { cmyk_row };
            jpeg_read_scanlines(&cinfo, rows, 1);
            if (grayscale) {
                uint8_t rgb[3];
                for (int x = 0; x < width; x++) {
                    cmyk_to_rgb(cmyk_row + 4 * x, rgb, 1);
                    row[x] = (uint8_t)((rgb[0] * 299 + rgb[1] * 587 + rgb[2] * 114 + 500) / 1000);
                }
            } else {
                cmyk_to_rgb(cmyk_row, row, width);
            }
        } else {
            JSAMPROW rows[1] = { row };
            jpeg_read_scanlines(&cinfo, rows, 1);
        }
    }
    jpeg_finish_decompress(&cinfo);
    out->width = width;
    out->height = height;
    out->channels = channels;
    out->pixels = pixels;
    out->warnings = err.warnings;
    if (err.warnings) snprintf(out->message, sizeof out->message, "%s", err.message);
    free(cmyk_row);
    jpeg_destroy_decompress(&cinfo);
    return IMPRINT_CODEC_OK;
}

void imprint_jpeg_coefficients_free(imprint_jpeg_coefficients *out) {
    if (!out) return;
    for (int i = 0; i < 4; i++) {
        free(out->coefficients[i]);
        out->coefficients[i] = NULL;
    }
}

int imprint_jpeg_read_coefficients(const uint8_t *data, size_t size, uint64_t max_pixels,
                                   imprint_jpeg_coefficients *out) {
    memset(out, 0, sizeof *out);
    struct jpeg_decompress_struct cinfo;
    struct imprint_jpeg_error err;
    imprint_jpeg_setup_errors(&cinfo, &err);
    jpeg_create_decompress(&cinfo);
    if (setjmp(err.jump)) {
        imprint_jpeg_coefficients_free(out);
        snprintf(out->message, sizeof out->message, "%s", err.message);
        jpeg_destroy_decompress(&cinfo);
        return IMPRINT_CODEC_ERROR;
    }
    if (!imprint_jpeg_header_within_limit(&cinfo, data, size, max_pixels, &out->image_width, &out->image_height,
                                          out->message)) {
        jpeg_destroy_decompress(&cinfo);
        return IMPRINT_CODEC_TOO_LARGE;
    }
    jvirt_barray_ptr *arrays = jpeg_read_coefficients(&cinfo);
    int components = cinfo.num_components < 4 ? cinfo.num_components : 4;
    out->components = components;
    for (int c = 0; c < components; c++) {
        jpeg_component_info *info = &cinfo.comp_info[c];
        int wb = (int)info->width_in_blocks, hb = (int)info->height_in_blocks;
        out->width_in_blocks[c] = wb;
        out->height_in_blocks[c] = hb;
        out->quant_table_index[c] = info->quant_tbl_no;
        if (info->quant_table) {
            // quantval is stored in natural order in libjpeg's component tables.
            for (int k = 0; k < 64; k++) out->quant_tables[c][k] = info->quant_table->quantval[k];
        }
        int16_t *coefficients = malloc((size_t)wb * (size_t)hb * 64 * sizeof(int16_t) + 1);
        if (!coefficients) {
            imprint_jpeg_coefficients_free(out);
            jpeg_destroy_decompress(&cinfo);
            return IMPRINT_CODEC_NO_MEMORY;
        }
        out->coefficients[c] = coefficients;
        for (int by = 0; by < hb; by++) {
            JBLOCKARRAY rows = (*cinfo.mem->access_virt_barray)((j_common_ptr)&cinfo, arrays[c], (JDIMENSION)by, 1, FALSE);
            for (int bx = 0; bx < wb; bx++) {
                memcpy(coefficients + ((size_t)by * wb + bx) * 64, rows[0][bx], 64 * sizeof(int16_t));
            }
        }
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return IMPRINT_CODEC_OK;
}

int imprint_libjpeg_version(void) {
#ifdef LIBJPEG_TURBO_VERSION_NUMBER
    return LIBJPEG_TURBO_VERSION_NUMBER;
#else
    return JPEG_LIB_VERSION;
#endif
}
