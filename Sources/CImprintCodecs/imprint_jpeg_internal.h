// Shared by the JPEG decoding files of this target only (not part of the module's API).
#ifndef IMPRINT_JPEG_INTERNAL_H
#define IMPRINT_JPEG_INTERNAL_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <jpeglib.h>

#include "imprint_codecs.h"

// libjpeg's error manager with the setjmp target, the warning count and the first message.
struct imprint_jpeg_error {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    int warnings;
    char message[IMPRINT_CODEC_MESSAGE_LENGTH];
};

void imprint_jpeg_setup_errors(struct jpeg_decompress_struct *cinfo, struct imprint_jpeg_error *err);

// Reads the header and applies the pixel limit before anything is allocated for pixels.
// Returns 0 (with the reason in `message`) when the image is over the limit. A damaged
// header longjmps to the caller's handler, which holds the setjmp.
int imprint_jpeg_header_within_limit(struct jpeg_decompress_struct *cinfo, const uint8_t *data, size_t size,
                                     uint64_t max_pixels, int *width, int *height, char *message);

// JFIF YCbCr to RGB of `count` pixels into interleaved RGB, libjpeg's arithmetic
// (imprint_jpeg_both.c; scripts/check-decode-both.sh compares it with the plain formula
// for every Y, Cb and Cr).
void imprint_ycc_row_to_rgb(const uint8_t *luma, const uint8_t *cb, const uint8_t *cr, int count, uint8_t *out);
// The same with chroma sample x / 2 for pixel x, into three planes (the replicated image).
void imprint_ycc_row_replicated_to_planes(const uint8_t *luma, const uint8_t *cb, const uint8_t *cr, int count,
                                          uint8_t *red, uint8_t *green, uint8_t *blue);

#endif
