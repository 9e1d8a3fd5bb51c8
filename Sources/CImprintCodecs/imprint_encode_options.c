#include "imprint_codecs.h"

#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

// ITU-T T.81 Annex K tables K.1 and K.2 in natural order (the base tables jcparam.c scales).
static const unsigned int imprint_annex_k_luma[64] = {
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99};
static const unsigned int imprint_annex_k_chroma[64] = {
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
    24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99};

struct imprint_options_error {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char message[IMPRINT_CODEC_MESSAGE_LENGTH];
};

static void imprint_options_error_exit(j_common_ptr cinfo) {
    struct imprint_options_error *err = (struct imprint_options_error *)cinfo->err;
    char text[JMSG_LENGTH_MAX];
    (*cinfo->err->format_message)(cinfo, text);
    snprintf(err->message, sizeof err->message, "%s", text);
    longjmp(err->jump, 1);
}

static void imprint_options_output_message(j_common_ptr cinfo) { (void)cinfo; }

static int imprint_clamp_quality(int q) { return q < 1 ? 1 : (q > 100 ? 100 : q); }

int imprint_jpeg_encode_options(const uint8_t *pixels, int width, int height, int channels,
                                int luma_quality, int chroma_quality, int subsampling,
                                int progressive, int optimize_coding,
                                uint8_t **out, size_t *out_size, char *message) {
    *out = NULL;
    *out_size = 0;
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3) || subsampling < 0 || subsampling > 2) {
        if (message) snprintf(message, IMPRINT_CODEC_MESSAGE_LENGTH, "invalid image or options for JPEG encoding");
        return IMPRINT_CODEC_ERROR;
    }
    struct jpeg_compress_struct cinfo;
    struct imprint_options_error err;
    memset(&err, 0, sizeof err);
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = imprint_options_error_exit;
    err.base.output_message = imprint_options_output_message;
    unsigned char *volatile mem = NULL;
    jpeg_create_compress(&cinfo);
    if (setjmp(err.jump)) {
        jpeg_destroy_compress(&cinfo);
        free(mem);
        if (message) snprintf(message, IMPRINT_CODEC_MESSAGE_LENGTH, "%s", err.message);
        return IMPRINT_CODEC_ERROR;
    }
    unsigned char *buffer = NULL;
    unsigned long buffer_size = 0;
    jpeg_mem_dest(&cinfo, &buffer, &buffer_size);
    cinfo.image_width = (JDIMENSION)width;
    cinfo.image_height = (JDIMENSION)height;
    cinfo.input_components = channels;
    cinfo.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_add_quant_table(&cinfo, 0, imprint_annex_k_luma, jpeg_quality_scaling(imprint_clamp_quality(luma_quality)), TRUE);
    jpeg_add_quant_table(&cinfo, 1, imprint_annex_k_chroma, jpeg_quality_scaling(imprint_clamp_quality(chroma_quality)), TRUE);
    if (channels == 3) {
        cinfo.comp_info[0].h_samp_factor = subsampling == 2 ? 1 : 2;
        cinfo.comp_info[0].v_samp_factor = subsampling == 0 ? 2 : 1;
        cinfo.comp_info[1].h_samp_factor = cinfo.comp_info[1].v_samp_factor = 1;
        cinfo.comp_info[2].h_samp_factor = cinfo.comp_info[2].v_samp_factor = 1;
    }
    cinfo.optimize_coding = optimize_coding ? TRUE : FALSE;
    if (progressive) jpeg_simple_progression(&cinfo);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = (JSAMPROW)(pixels + (size_t)cinfo.next_scanline * (size_t)width * (size_t)channels);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    mem = buffer;
    jpeg_destroy_compress(&cinfo);
    *out = mem;
    *out_size = buffer_size;
    return IMPRINT_CODEC_OK;
}
