#include "imprint_codecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <png.h>

struct imprint_png_source {
    const uint8_t *data;
    size_t size;
    size_t offset;
};

struct imprint_png_errors {
    jmp_buf jump;
    int warnings;
    char message[IMPRINT_CODEC_MESSAGE_LENGTH];
};

static void imprint_png_read(png_structp png, png_bytep out, png_size_t length) {
    struct imprint_png_source *source = png_get_io_ptr(png);
    if (length > source->size - source->offset) {
        png_error(png, "unexpected end of file");
    }
    memcpy(out, source->data + source->offset, length);
    source->offset += length;
}

static void imprint_png_error(png_structp png, png_const_charp message) {
    struct imprint_png_errors *errors = png_get_error_ptr(png);
    snprintf(errors->message, sizeof errors->message, "%s", message);
    longjmp(errors->jump, 1);
}

static void imprint_png_warning(png_structp png, png_const_charp message) {
    struct imprint_png_errors *errors = png_get_error_ptr(png);
    if (errors->warnings == 0) snprintf(errors->message, sizeof errors->message, "%s", message);
    errors->warnings++;
}

int imprint_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels, imprint_image *out) {
    memset(out, 0, sizeof *out);
    struct imprint_png_errors errors;
    memset(&errors, 0, sizeof errors);
    struct imprint_png_source source = { data, size, 0 };
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &errors, imprint_png_error, imprint_png_warning);
    if (!png) return IMPRINT_CODEC_NO_MEMORY;
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return IMPRINT_CODEC_NO_MEMORY;
    }
    uint8_t *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    if (setjmp(errors.jump)) {
        free(pixels);
        free(rows);
        snprintf(out->message, sizeof out->message, "%s", errors.message);
        out->warnings = errors.warnings;
        png_destroy_read_struct(&png, &info, NULL);
        return IMPRINT_CODEC_ERROR;
    }
    // Text and other ancillary chunks are parsed by imprint itself, with its own limits;
    // libpng only needs the pixels. A CRC error in a critical chunk is an error, in an
    // ancillary chunk a warning (the chunk is dropped). The critical action comes first.
    png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_WARN_DISCARD);
    // Every chunk but IHDR, PLTE, tRNS, IDAT and IEND is skipped unread (a negative count
    // means exactly that set): none changes the pixels imprint asks for (no gamma, shift
    // or background transform is set), and libpng would otherwise allocate a text or
    // profile chunk's declared length before reading it, up to 2 GiB for a 200-byte file.
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, NULL, -1);
    png_set_user_limits(png, 1000000, 1000000);
    png_set_chunk_malloc_max(png, 64 * 1024 * 1024);
    png_set_read_fn(png, &source, imprint_png_read);
    png_read_info(png, info);
    png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
    out->image_width = (int)width;
    out->image_height = (int)height;
    if ((uint64_t)width * (uint64_t)height > max_pixels) {
        snprintf(out->message, sizeof out->message, "%u x %u pixels exceeds the limit of %llu pixels",
                 width, height, (unsigned long long)max_pixels);
        png_destroy_read_struct(&png, &info, NULL);
        return IMPRINT_CODEC_TOO_LARGE;
    }
    int color_type = png_get_color_type(png, info);
    int bit_depth = png_get_bit_depth(png, info);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    if (bit_depth == 16) png_set_strip_16(png);
    if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);
    int channels = png_get_channels(png, info);
    if (channels != 3 && channels != 4) png_error(png, "unexpected channel count after conversion");
    size_t stride = (size_t)width * (size_t)channels;
    pixels = malloc(stride * (size_t)height + 1);
    rows = malloc(sizeof(png_bytep) * (size_t)height + 1);
    if (!pixels || !rows) png_error(png, "out of memory for the decoded image");
    for (png_uint_32 y = 0; y < height; y++) rows[y] = pixels + stride * y;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    out->width = (int)width;
    out->height = (int)height;
    out->channels = channels;
    out->pixels = pixels;
    out->warnings = errors.warnings;
    if (errors.warnings) snprintf(out->message, sizeof out->message, "%s", errors.message);
    free(rows);
    png_destroy_read_struct(&png, &info, NULL);
    return IMPRINT_CODEC_OK;
}

const char *imprint_libpng_version(void) { return png_get_libpng_ver(NULL); }
