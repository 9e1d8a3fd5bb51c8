#include "imprint_codecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <png.h>

struct imprint_encode_error {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char message[IMPRINT_CODEC_MESSAGE_LENGTH];
};

static void imprint_encode_error_exit(j_common_ptr cinfo) {
    struct imprint_encode_error *err = (struct imprint_encode_error *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    snprintf(err->message, sizeof err->message, "%s", text);
    longjmp(err->jump, 1);
}

static void imprint_encode_output_message(j_common_ptr cinfo) { (void)cinfo; }

int imprint_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, int quality,
                        int optimize_coding, uint8_t **out, size_t *out_size, char *message) {
    *out = NULL;
    *out_size = 0;
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3)) {
        if (message) snprintf(message, IMPRINT_CODEC_MESSAGE_LENGTH, "invalid image for JPEG encoding");
        return IMPRINT_CODEC_ERROR;
    }
    struct jpeg_compress_struct cinfo;
    struct imprint_encode_error err;
    memset(&err, 0, sizeof err);
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = imprint_encode_error_exit;
    err.base.output_message = imprint_encode_output_message;
    unsigned char *volatile buffer = NULL;
    unsigned long volatile buffer_size = 0;
    jpeg_create_compress(&cinfo);
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(buffer);
        if (message) snprintf(message, IMPRINT_CODEC_MESSAGE_LENGTH, "%s", err.message);
        return IMPRINT_CODEC_ERROR;
    }
    unsigned char *mem = NULL;
    unsigned long mem_size = 0;
    jpeg_mem_dest(&cinfo, &mem, &mem_size);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality < 1 ? 1 : (quality > 100 ? 100 : quality), TRUE);
    cinfo.optimize_coding = optimize_coding ? TRUE : FALSE;
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * (size_t)width * (size_t)channels);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    buffer = mem;
    buffer_size = mem_size;
    jpeg_destroy_compress(&cinfo);
    *out = buffer;
    *out_size = buffer_size;
    return IMPRINT_CODEC_OK;
}

int imprint_png_encode(const uint8_t *pixels, int width, int height, int channels,
                       uint8_t **out, size_t *out_size, char *message) {
    *out = NULL;
    *out_size = 0;
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    image.width = (png_uint_32)width;
    image.height = (png_uint_32)height;
    switch (channels) {
    case 1: image.format = PNG_FORMAT_GRAY; break;
    case 2: image.format = PNG_FORMAT_GA; break;
    case 3: image.format = PNG_FORMAT_RGB; break;
    case 4: image.format = PNG_FORMAT_RGBA; break;
    default:
        if (message) snprintf(message, IMPRINT_CODEC_MESSAGE_LENGTH, "invalid channel count %d", channels);
        return IMPRINT_CODEC_ERROR;
    }
    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&image, NULL, &size, 0, pixels, 0, NULL)) {
        if (message) snprintf(message, IMPRINT_CODEC_MESSAGE_LENGTH, "%s", image.message);
        return IMPRINT_CODEC_ERROR;
    }
    uint8_t *buffer = malloc(size + 1);
    if (!buffer) return IMPRINT_CODEC_NO_MEMORY;
    if (!png_image_write_to_memory(&image, buffer, &size, 0, pixels, 0, NULL)) {
        free(buffer);
        if (message) snprintf(message, IMPRINT_CODEC_MESSAGE_LENGTH, "%s", image.message);
        return IMPRINT_CODEC_ERROR;
    }
    *out = buffer;
    *out_size = size;
    return IMPRINT_CODEC_OK;
}

void imprint_buffer_free(uint8_t *buffer) { free(buffer); }
