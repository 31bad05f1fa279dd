/* decode.h - image/decode.c turns an encoded image into 8-bit RGB pixels; it
 * is the only file of kitsch that touches libjpeg-turbo, libwebp and
 * stb_image (one library, one file: docs/DEVELOPING.md).
 *
 * Usage:
 *     ks_img im; char err[256];
 *     int rc = ks_img_decode(buf, len, opt, &im, err, sizeof err);
 *     if (rc < 0) return ks_record_fail(r, rc, "%s", err);
 *     ... im.rgb (im.w x im.h, stride im.w*3) ...
 *     ks_img_free(&im);
 */
#ifndef KITSCH_IMAGE_DECODE_H
#define KITSCH_IMAGE_DECODE_H

#include "kitsch.h"

/* side of the native-resolution spectral crop (a power of two) */
#define KS_IMG_CROP_MAX 256

/* v as a byte: clamped to 0..255, then rounded half up (for v >= 0 this is
 * lround's result) without the libm call, which kept the pixel loops of the
 * IDCT and the lightness plane from vectorising; clamped first, so the
 * conversion cannot overflow. */
static inline unsigned char ks_u8_round(double v)
{
    return (unsigned char)(int)((v < 0 ? 0 : v > 255 ? 255 : v) + 0.5);
}

typedef struct ks_img {
    unsigned char *rgb;   /* decoded pixels, RGB8, rows w*3 bytes apart */
    int w, h;             /* decoded size (after DCT-domain scaling) */
    int native_w, native_h;
    int scale_num, scale_den; /* DCT scale used: w = ceil(native_w*num/den) */
    const char *format;   /* "jpeg", "webp", "png", "bmp", "tga", "pnm", "psd", "hdr" */
    int progressive;      /* 1 progressive JPEG, 0 sequential, -1 not a JPEG */
    const char *subsampling; /* JPEG chroma subsampling ("4:2:0", ...), NULL otherwise */
    int has_alpha;        /* 1 when the file had an alpha channel (dropped) */
    char note[160];       /* decoder warnings that did not stop decoding, "" if none */
    /* JPEG decoded with DCT scaling: a native-resolution (scale 1/1) centre
     * crop of the luma (Y) plane, crop_n x crop_n bytes, for the spectral
     * measures; NULL when the decode is native already or the crop decode
     * failed (then crop_note says why). */
    unsigned char *crop;
    int crop_n;
    const char *crop_src; /* "tap": from the scaled decode's own coefficients; "partial": a second decode */
    char crop_note[96];
} ks_img;

/* Decode buf[0..len). The file is decoded with DCT scaling (JPEG) to the
 * smallest scale whose short side is >= opt->image_short_side, plus a
 * native-resolution centre crop of its luma (im->crop); other formats
 * decode at native size. Declared pixel counts above opt->max_image_pixels
 * are refused before any pixel memory is allocated. Returns 0, or KS_E_FORMAT
 * (unknown/unsupported, e.g. GIF), KS_E_LIMIT, KS_E_TRUNCATED, KS_E_DECODE
 * with the library's own message in err. */
int ks_img_decode(const unsigned char *buf, size_t len, const ks_options *opt, ks_img *im,
                  char *err, size_t errlen);
void ks_img_free(ks_img *im);
/* The native-resolution luma crop of a JPEG (w x h) by a second, partial
 * decode: the fallback when ks_img_decode cannot take the crop from its own
 * decode; exposed so tests can compare the two. Sets im->crop/crop_n, or
 * leaves im->crop NULL with the reason in im->crop_note. */
void ks_img_jpeg_partial_crop(const unsigned char *buf, size_t len, int w, int h, ks_img *im);
/* "libjpeg-turbo 2.1.5, libwebp 1.2.4, stb_image 2.x" */
const char *ks_img_lib_versions(void);

#endif
