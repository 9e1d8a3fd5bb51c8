// imprint's boundary to libjpeg-turbo and libpng. Both libraries report fatal errors by
// longjmp, which Swift cannot catch; these functions own the setjmp, turn every error
// into a return code and a message, and never exit the process.
#ifndef IMPRINT_CODECS_H
#define IMPRINT_CODECS_H

#include <stddef.h>
#include <stdint.h>

#define IMPRINT_CODEC_OK 0
#define IMPRINT_CODEC_ERROR (-1)
#define IMPRINT_CODEC_TOO_LARGE (-2)
#define IMPRINT_CODEC_NO_MEMORY (-3)
#define IMPRINT_CODEC_UNSUPPORTED (-4)
#define IMPRINT_CODEC_MESSAGE_LENGTH 200

typedef struct {
    // Dimensions of the full image, as the stream declares them.
    int image_width;
    int image_height;
    // Dimensions and channel count (1 luma, 3 RGB, 4 RGBA) of the pixels returned.
    int width;
    int height;
    int channels;
    uint8_t *pixels;  // width * height * channels bytes, row-major; free with imprint_image_free
    int warnings;     // recoverable problems (corrupt data the decoder worked around)
    char message[IMPRINT_CODEC_MESSAGE_LENGTH];  // the error, or the first warning
} imprint_image;

void imprint_image_free(imprint_image *image);

// Decodes a JPEG held in memory. scale_denom 1, 2, 4 or 8 uses libjpeg's DCT-domain
// scaling (decoding at 1/scale_denom size costs a fraction of a full decode).
// grayscale != 0 returns luma only. Images with more than max_pixels pixels (full size)
// are refused with IMPRINT_CODEC_TOO_LARGE after the header is read.
int imprint_jpeg_decode(const uint8_t *data, size_t size, int scale_denom, int grayscale,
                        uint64_t max_pixels, imprint_image *out);

// The same, choosing the chroma upsampling: fancy_upsampling != 0 is libjpeg's default
// smoothing filter; 0 replicates each chroma sample over the pixels it covers, which keeps
// each 2x2 block's chroma exactly as stored (what chroma-domain watermark decoding needs).
int imprint_jpeg_decode_upsampling(const uint8_t *data, size_t size, int scale_denom, int grayscale,
                                   int fancy_upsampling, uint64_t max_pixels, imprint_image *out);

// The size imprint_jpeg_decode_upsampling would return (out->width, height, channels,
// image_width, image_height; no pixels), from the header alone.
int imprint_jpeg_output_dimensions(const uint8_t *data, size_t size, int scale_denom, int grayscale,
                                   uint64_t max_pixels, imprint_image *out);

// imprint_jpeg_decode_upsampling into the caller's buffer of `capacity` bytes (at least
// width * height * channels from imprint_jpeg_output_dimensions); out->pixels stays NULL.
// With destination NULL it allocates as imprint_jpeg_decode_upsampling does.
int imprint_jpeg_decode_into(const uint8_t *data, size_t size, int scale_denom, int grayscale,
                             int fancy_upsampling, uint64_t max_pixels, uint8_t *destination, size_t capacity,
                             imprint_image *out);

// Receives `count` consecutive RGB rows of `width` * 3 bytes, the first being row `y0`
// of a `width` x `height` image, in order: 8 rows at a time (y0 a multiple of 8), fewer
// in the last strip. The rows are valid during the call only.
typedef void (*imprint_strip_sink)(void *context, const uint8_t *rows, int y0, int count, int width, int height);

// The same for three planes: `count` rows of `width` bytes each of red, green and blue,
// `stride` bytes apart within each plane.
typedef void (*imprint_planar_strip_sink)(void *context, const uint8_t *red, const uint8_t *green, const uint8_t *blue,
                                          int stride, int y0, int count, int width, int height);

// Decodes a YCbCr JPEG with 4:2:0 or 4:2:2 chroma once and writes two RGB images of
// width * height * 3 bytes (sizes from imprint_jpeg_output_dimensions; capacity is each
// buffer's): `smooth`, bit-identical to imprint_jpeg_decode_upsampling with fancy
// upsampling, and `replicated`, bit-identical to it without. Entropy decoding and the
// inverse DCT, most of a decode's cost, run once. With `replicated` NULL the replicated
// image is instead handed to `sink` (if any) in strips of 8 rows as three planes (its
// one reader, the watermark decoder, wants the channels apart), never held whole.
// `smooth_sink` (if any) is handed each strip of 8 rows of `smooth` as soon as they are
// written, while they are still in cache (the strip points into `smooth`). With `smooth`
// NULL the smooth image goes to `smooth_sink` only, likewise never held whole.
// Sinks are called between libjpeg's calls, never inside one, so its error handling
// never unwinds through a sink; on an error they may have seen some rows.
// Returns IMPRINT_CODEC_UNSUPPORTED for any other layout (grey, 4:4:4, CMYK, other
// sampling, under 6 pixels a side): decode those the usual way.
int imprint_jpeg_decode_both(const uint8_t *data, size_t size, uint64_t max_pixels, uint8_t *smooth,
                             uint8_t *replicated, size_t capacity, imprint_planar_strip_sink sink, void *sink_context,
                             imprint_strip_sink smooth_sink, void *smooth_context, imprint_image *out);

typedef struct {
    int components;
    int image_width;
    int image_height;
    int width_in_blocks[4];
    int height_in_blocks[4];
    int quant_table_index[4];
    uint16_t quant_tables[4][64];  // natural order
    int16_t *coefficients[4];      // width_in_blocks * height_in_blocks * 64, natural order per block
    char message[IMPRINT_CODEC_MESSAGE_LENGTH];
} imprint_jpeg_coefficients;

void imprint_jpeg_coefficients_free(imprint_jpeg_coefficients *out);

// Reads the quantised DCT coefficients (jpeg_read_coefficients) of up to 4 components.
int imprint_jpeg_read_coefficients(const uint8_t *data, size_t size, uint64_t max_pixels,
                                   imprint_jpeg_coefficients *out);

// Decodes a PNG held in memory to 8 bits per channel: palette and low bit depths are
// expanded, 16-bit samples keep their high byte, grey becomes RGB, tRNS becomes alpha.
// No gamma or colour-space conversion is applied (samples are returned as stored).
// channels is 3 (no alpha) or 4.
int imprint_png_decode(const uint8_t *data, size_t size, uint64_t max_pixels, imprint_image *out);

// Encodes 8-bit pixels (channels 1 or 3) as a baseline JPEG at `quality` (1-100) with
// 4:2:0 chroma subsampling, the IJG defaults. *out is malloc'd; free with imprint_buffer_free.
int imprint_jpeg_encode(const uint8_t *pixels, int width, int height, int channels, int quality,
                        int optimize_coding, uint8_t **out, size_t *out_size, char *message);

// Encodes like imprint_jpeg_encode with the choices a fixture or a normalised re-encode
// needs: separate luma and chroma IJG qualities (Annex K tables scaled as jcparam.c does),
// chroma subsampling (0 = 4:2:0, 1 = 4:2:2, 2 = 4:4:4), progressive scans and optimised
// Huffman tables. channels 1 or 3. *out is malloc'd; free with imprint_buffer_free.
int imprint_jpeg_encode_options(const uint8_t *pixels, int width, int height, int channels,
                                int luma_quality, int chroma_quality, int subsampling,
                                int progressive, int optimize_coding,
                                uint8_t **out, size_t *out_size, char *message);

// Encodes 8-bit pixels (channels 1, 2, 3 or 4) as a PNG. *out is malloc'd.
int imprint_png_encode(const uint8_t *pixels, int width, int height, int channels,
                       uint8_t **out, size_t *out_size, char *message);

void imprint_buffer_free(uint8_t *buffer);

// Library versions, for the record of which code decoded the evidence.
const char *imprint_libpng_version(void);
int imprint_libjpeg_version(void);

// Decoding needs full-size buffers of several to tens of megabytes per image. By default
// glibc maps each afresh and unmaps it when freed, so the kernel faults in and zeroes
// every page again for the next image. This keeps freed memory in the heap for reuse,
// large buffers included (glibc only; returns 1 when every setting was accepted, 0
// elsewhere).
int imprint_allocator_keep_large_buffers(void);

#endif
