/* decode.c - the one file that touches libjpeg-turbo (TurboJPEG API for
 * JPEG headers, its libjpeg API for the decode and the native-resolution
 * luma crop), libwebp and stb_image. Everything else in image/ sees 8-bit RGB pixels.
 *
 * Safety (issue 8): the format is chosen from magic bytes, never from the
 * file name; declared dimensions are checked against the pixel budget before
 * any pixel memory exists; stb_image is compiled with an allow-list of
 * formats (no GIF: animated decompression bombs) and its allocations go
 * through a capped allocator, so a zlib bomb inside a small PNG fails instead
 * of growing to gigabytes. */
#define _POSIX_C_SOURCE 200809L
#include "decode.h"

#include <limits.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <turbojpeg.h>
#include <webp/decode.h>
#include <jconfig.h>
#include <jpeglib.h>
#include <math.h>

/* ---- stb_image: compiled here, from Debian's libstb-dev header ---- */

/* Allocation cap for stb_image, set per decode from the pixel budget. stb
 * checks every allocation for NULL and turns it into "outofmem". */
static size_t stb_cap;
static void *stb_malloc(size_t n) { return n > stb_cap ? NULL : malloc(n ? n : 1); }
static void *stb_realloc(void *p, size_t n) { return n > stb_cap ? NULL : realloc(p, n ? n : 1); }

#define STBI_NO_STDIO
#define STBI_ONLY_PNG
#define STBI_ONLY_BMP
#define STBI_ONLY_TGA
#define STBI_ONLY_PNM
#define STBI_ONLY_PSD
#define STBI_ONLY_HDR
#define STBI_NO_GIF
#define STBI_MAX_DIMENSIONS (1 << 16)
#define STBI_MALLOC(sz) stb_malloc(sz)
#define STBI_REALLOC(p, newsz) stb_realloc(p, newsz)
#define STBI_FREE(p) free(p)
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
#pragma GCC diagnostic ignored "-Wmissing-prototypes"
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wpedantic"
#pragma GCC diagnostic ignored "-Wimplicit-fallthrough"
#pragma GCC diagnostic ignored "-Wdouble-promotion"
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wunused-but-set-variable"
#endif
#include <stb/stb_image.h>
#if defined(__GNUC__)
#pragma GCC diagnostic pop
/* stb declares static helpers it never defines (thread variants); that is
 * reported at the end of the file, after the pop. */
#pragma GCC diagnostic ignored "-Wunused-function"
#endif

#define KS_STR2(x) #x
#define KS_STR(x) KS_STR2(x)

const char *ks_img_lib_versions(void)
{
    static char buf[128];
    int v = WebPGetDecoderVersion();
    snprintf(buf, sizeof buf, "libjpeg-turbo %s (TurboJPEG), libwebp %d.%d.%d, stb_image 2.27",
             KS_STR(LIBJPEG_TURBO_VERSION), (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
    return buf;
}

/* JPEG output buffer kept between files (per thread): a worker decodes file
 * after file, and a fresh multi-megabyte buffer costs a page fault per 4 KiB
 * each time. Given back when a huge image made it larger than 64 MiB. */
static _Thread_local unsigned char *jpeg_buf;
static _Thread_local size_t jpeg_cap;

static unsigned char *jpeg_out(size_t n)
{
    if (n > jpeg_cap) {
        x_free(jpeg_buf);
        jpeg_buf = x_malloc(n);
        jpeg_cap = n;
    }
    return jpeg_buf;
}

void ks_img_free(ks_img *im)
{
    if (!im)
        return;
    if (im->rgb && im->rgb == jpeg_buf) {
        if (jpeg_cap > ((size_t)64 << 20)) {
            x_free(jpeg_buf);
            jpeg_buf = NULL;
            jpeg_cap = 0;
        }
    } else {
        x_free(im->rgb);
    }
    im->rgb = NULL;
    x_free(im->crop);
    im->crop = NULL;
}

static int over_budget(long long w, long long h, const ks_options *opt)
{
    /* divide, not multiply: a PNG header declares up to 2^31 x 2^31 */
    return w <= 0 || h <= 0 || w > opt->max_image_pixels / h;
}

/* Declared dimensions: zero or negative is a corrupt header ("decode"),
 * more than the pixel budget is a limit ("limit"); 0 when acceptable. */
static int check_dims(const char *fmt, long long w, long long h, const ks_options *opt, char *err, size_t errlen)
{
    if (w <= 0 || h <= 0)
        return ks_errf(err, errlen, KS_E_DECODE, "%s: header declares %lldx%lld pixels", fmt, w, h);
    if (over_budget(w, h, opt))
        return ks_errf(err, errlen, KS_E_LIMIT, "%s: declared %lldx%lld pixels exceed the pixel budget of %lld", fmt, w,
                    h, (long long)opt->max_image_pixels);
    return 0;
}

/* stb_image decodes a BMP whose pixel array is cut short without complaint
 * (the missing rows come out black). For uncompressed BMPs the header says
 * exactly how many bytes the pixels need, so a short file is "truncated". */
static int bmp_truncated(const unsigned char *b, size_t len)
{
    if (len < 34)
        return 1;
    uint32_t off = (uint32_t)b[10] | (uint32_t)b[11] << 8 | (uint32_t)b[12] << 16 | (uint32_t)b[13] << 24;
    int32_t w = (int32_t)((uint32_t)b[18] | (uint32_t)b[19] << 8 | (uint32_t)b[20] << 16 | (uint32_t)b[21] << 24);
    int32_t h = (int32_t)((uint32_t)b[22] | (uint32_t)b[23] << 8 | (uint32_t)b[24] << 16 | (uint32_t)b[25] << 24);
    unsigned bpp = (unsigned)b[28] | (unsigned)b[29] << 8;
    uint32_t comp = (uint32_t)b[30] | (uint32_t)b[31] << 8 | (uint32_t)b[32] << 16 | (uint32_t)b[33] << 24;
    if ((comp != 0 && comp != 3) || w <= 0 || h == 0 || bpp == 0 || bpp > 32)
        return 0; /* compressed or odd: stb's own checks decide */
    long long ah = h < 0 ? -(long long)h : h;
    long long row = (((long long)w * bpp + 31) / 32) * 4;
    return (long long)off + row * ah > (long long)len;
}

/* ---- JPEG ---- */

/* TurboJPEG 2.1 reports neither the progressive flag nor SOF type: walk the
 * markers up to the first SOFn ourselves (bounded by the buffer). */
static int jpeg_progressive(const unsigned char *b, size_t n)
{
    size_t i = 2;
    while (i + 4 <= n) {
        if (b[i] != 0xFF) {
            i++;
            continue;
        }
        unsigned m = b[i + 1];
        if (m == 0xFF) {
            i++;
            continue;
        }
        if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
            i += 2;
            continue;
        }
        if ((m >= 0xC0 && m <= 0xCF) && m != 0xC4 && m != 0xC8 && m != 0xCC)
            return m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE;
        size_t len = (size_t)b[i + 2] << 8 | b[i + 3];
        if (len < 2)
            return -1;
        i += 2 + len;
    }
    return -1;
}

static const char *subsamp_name(int s)
{
    switch (s) {
    case TJSAMP_444: return "4:4:4";
    case TJSAMP_422: return "4:2:2";
    case TJSAMP_420: return "4:2:0";
    case TJSAMP_GRAY: return "gray";
    case TJSAMP_440: return "4:4:0";
    case TJSAMP_411: return "4:1:1";
    default: return "unknown";
    }
}

/* ---- JPEG: decode (libjpeg API) with a native-resolution luma tap ----
 *
 * The spectral measures need a native-resolution centre crop (issue 5): a
 * 1/4- or 1/8-scale decode has no power above its new Nyquist limit, so
 * slope and top-octave share would describe the scaler, not the picture.
 * A second, partial decode costs another entropy decode of the rows above
 * the crop (the whole file for progressive and other multi-scan JPEGs):
 * measured at 0.9x a 1/8 decode, it took bench/image.sh from 0.76x to 0.46x
 * of the decode-only loop. But the scaled decode entropy-decodes every
 * coefficient anyway, so the luma blocks of the crop are taken from it as
 * they pass: the IDCT method of component 0 is wrapped (cinfo->idct, from
 * jpegint.h, set by jpeg_start_decompress and not changed after) and the
 * wrapper also runs a full 8x8 inverse DCT for the blocks inside the crop.
 * The block's row is the iMCU row (cinfo->output_iMCU_row) plus its offset
 * in the row buffer; libjpeg-turbo 2.1 runs the IDCT of each iMCU row from
 * its top block row, so the first call of a row marks the buffer's base.
 * The wrapper counts the blocks it filled; any other count, a JPEG whose
 * component 0 is not full-resolution luma, or a sequential JPEG decoded at
 * 1/8 (whose AC coefficients libjpeg never decodes) falls back to the
 * partial decode (ks_img_jpeg_partial_crop), so an internal change in a
 * later libjpeg-turbo costs speed, not correctness. On the 154 JPEGs of
 * plasma-workspace-wallpapers (27 progressive) the tap equals the partial
 * decode to 1 grey level (IDCT rounding); tests/test_image_decode.c checks
 * it on 4:4:4 and 4:2:0 files. */
#include <jerror.h>
#include <jpegint.h>

#if JPEG_LIB_VERSION >= 70
#define KS_DCT_H(c) ((c)->DCT_h_scaled_size)
#define KS_DCT_V(c) ((c)->DCT_v_scaled_size)
#else
#define KS_DCT_H(c) ((c)->DCT_scaled_size)
#define KS_DCT_V(c) ((c)->DCT_scaled_size)
#endif

typedef struct jpeg_dec {
    struct jpeg_error_mgr pub; /* first: cinfo->err points here */
    jmp_buf jb;
    char msg[JMSG_LENGTH_MAX]; /* the fatal error, or the first warning */
    int warned;
    /* the luma tap (cinfo->client_data points to this struct) */
    inverse_DCT_method_ptr idct0;
    JDIMENSION imcu;
    JSAMPARRAY base;
    int bx0, by0, nb, n;
    unsigned char *crop;
    long filled;
} jpeg_dec;

static void dec_error_exit(j_common_ptr c)
{
    jpeg_dec *d = (jpeg_dec *)(void *)c->err;
    (*c->err->format_message)(c, d->msg);
    longjmp(d->jb, 1);
}

/* libjpeg prints warnings to stderr by default; library code never prints.
 * Keep the first one (as TurboJPEG does) for the record. */
static void dec_emit_message(j_common_ptr c, int level)
{
    jpeg_dec *d = (jpeg_dec *)(void *)c->err;
    if (level >= 0)
        return; /* trace messages */
    if (!d->warned)
        (*c->err->format_message)(c, d->msg);
    d->warned = 1;
    c->err->num_warnings++;
}

/* TJFLAG_LIMITSCANS, as TurboJPEG 2.1 does it: refuse progressive files with
 * more than 500 scans (a CPU bomb) */
static void dec_scan_limit(j_common_ptr c)
{
    if (c->is_decompressor && ((j_decompress_ptr)c)->input_scan_number > 500) {
        jpeg_dec *d = (jpeg_dec *)(void *)c->err;
        snprintf(d->msg, sizeof d->msg, "progressive JPEG image has more than 500 scans");
        longjmp(d->jb, 1);
    }
}

static void dec_init(struct jpeg_decompress_struct *ci, jpeg_dec *d)
{
    memset(ci, 0, sizeof *ci);
    memset(d, 0, sizeof *d);
    ci->err = jpeg_std_error(&d->pub);
    d->pub.error_exit = dec_error_exit;
    d->pub.emit_message = dec_emit_message;
}

/* out[x] = init + sum over j of a[j * astride] * rows[j * 8 + x], x = 0..7,
 * the terms added in j order: one pass of the separable IDCT (rows: a =
 * the row's coefficients, rows = the basis; columns: a = the basis at y,
 * rows = the first pass's output). x innermost, so the loop vectorises. */
static void idct_row(double *restrict out, double init, const double *a, int astride, const double *restrict rows)
{
    for (int x = 0; x < 8; x++)
        out[x] = init;
    for (int j = 0; j < 8; j++)
        for (int x = 0; x < 8; x++)
            out[x] += a[j * astride] * rows[j * 8 + x];
}

/* 8x8 inverse DCT (JPEG's, ITU T.81 A.3.3) of one dequantised block, level
 * shift +128, rounded and clamped, into dst (rows stride bytes apart) */
static void idct8(const JCOEF *coef, const UINT16 *q, unsigned char *dst, int stride)
{
    /* cs[u][x] = C(u)/2 cos((2x+1)u pi/16). Each output sums its terms in
     * u (then v) order, so the values are those of the textbook double loop. */
    static _Thread_local double cs[8][8];
    static _Thread_local int ready;
    if (!ready) {
        for (int x = 0; x < 8; x++)
            for (int u = 0; u < 8; u++)
                cs[u][x] = (u ? 0.5 : 0.5 / sqrt(2.0)) * cos((2 * x + 1) * u * 3.14159265358979323846 / 16);
        ready = 1;
    }
    double f[64], t[64], o[64];
    for (int k = 0; k < 64; k++) /* coefficients and steps in natural order */
        f[k] = (double)coef[k] * q[k];
    for (int v = 0; v < 8; v++) /* rows of coefficients -> horizontal pixels */
        idct_row(t + v * 8, 0, f + v * 8, 1, &cs[0][0]);
    for (int y = 0; y < 8; y++) /* then columns -> vertical pixels, +128 */
        idct_row(o + y * 8, 128, &cs[0][y], 8, t);
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 8; x++)
            dst[(size_t)y * (size_t)stride + (size_t)x] = ks_u8_round(o[y * 8 + x]);
}

static void idct_tap(j_decompress_ptr ci, jpeg_component_info *comp, JCOEFPTR coef, JSAMPARRAY out,
                     JDIMENSION col)
{
    jpeg_dec *d = ci->client_data;
    d->idct0(ci, comp, coef, out, col);
    if (ci->output_iMCU_row != d->imcu || !d->base) { /* first block of an iMCU row */
        d->imcu = ci->output_iMCU_row;
        d->base = out;
    }
    long by = (long)ci->output_iMCU_row * comp->v_samp_factor + (long)((out - d->base) / KS_DCT_V(comp));
    long bx = (long)(col / (JDIMENSION)KS_DCT_H(comp));
    if (by < d->by0 || by >= d->by0 + d->nb || bx < d->bx0 || bx >= d->bx0 + d->nb || !comp->quant_table)
        return;
    idct8(coef, comp->quant_table->quantval,
          d->crop + (size_t)(by - d->by0) * 8 * (size_t)d->n + (size_t)(bx - d->bx0) * 8, d->n);
    d->filled++;
}

/* side of the centre crop: the largest power of two <= both sides and the cap */
static int crop_side(int w, int h)
{
    int n = 1;
    while (n * 2 <= w && n * 2 <= h && n * 2 <= KS_IMG_CROP_MAX)
        n *= 2;
    return n;
}

/* The fallback: a second, partial decode of the luma at scale 1/1 (libjpeg
 * API; TurboJPEG 2.1.5 has no cropping region). jpeg_skip_scanlines skips
 * the rows above the crop (entropy decoding only), jpeg_crop_scanline limits
 * the IDCT to its columns, decoding stops after its last row; JCS_GRAYSCALE
 * transforms only the luma (JFIF's Y is the Rec.601 luma of the spectral
 * measures). Runs after the scaled decode refused scan bombs. A failure
 * leaves im->crop NULL and says why. */
void ks_img_jpeg_partial_crop(const unsigned char *buf, size_t len, int w, int h, ks_img *im)
{
    int n = crop_side(w, h);
    struct jpeg_decompress_struct ci;
    jpeg_dec e;
    /* changed between setjmp and longjmp: volatile, or lost on the jump */
    unsigned char *volatile row = NULL, *volatile out = NULL;
    dec_init(&ci, &e);
    if (setjmp(e.jb)) {
        snprintf(im->crop_note, sizeof im->crop_note, "libjpeg crop: %.80s", e.msg);
        goto done;
    }
    jpeg_create_decompress(&ci);
    jpeg_mem_src(&ci, buf, (unsigned long)len);
    jpeg_read_header(&ci, TRUE);
    ci.out_color_space = JCS_GRAYSCALE;
    ci.scale_num = ci.scale_denom = 1;
    ci.do_fancy_upsampling = FALSE;
    jpeg_start_decompress(&ci);
    if ((int)ci.output_width != w || (int)ci.output_height != h || ci.output_components != 1) {
        snprintf(im->crop_note, sizeof im->crop_note, "libjpeg crop: decoder reports %ux%ux%d, header %dx%d",
                 ci.output_width, ci.output_height, ci.output_components, w, h);
        goto done;
    }
    /* block-aligned origin, as the tap's: within 7 px of the centre */
    JDIMENSION x0 = (JDIMENSION)((w - n) / 2 / 8 * 8), xo = x0, cw = (JDIMENSION)n;
    jpeg_crop_scanline(&ci, &xo, &cw); /* xo moves left to an iMCU edge */
    JDIMENSION y0 = (JDIMENSION)((h - n) / 2 / 8 * 8);
    if (y0 > 0 && jpeg_skip_scanlines(&ci, y0) != y0) {
        snprintf(im->crop_note, sizeof im->crop_note, "libjpeg crop: could not skip to row %u", y0);
        goto done;
    }
    row = x_malloc(cw);
    out = x_malloc((size_t)n * (size_t)n);
    for (int y = 0; y < n; y++) {
        JSAMPROW rp = row;
        if (jpeg_read_scanlines(&ci, &rp, 1) != 1) {
            snprintf(im->crop_note, sizeof im->crop_note, "libjpeg crop: no data at row %u", y0 + (unsigned)y);
            goto done;
        }
        memcpy(out + (size_t)y * (size_t)n, row + (x0 - xo), (size_t)n);
    }
    im->crop = out;
    im->crop_n = n;
    im->crop_src = "partial";
    out = NULL;
done:
    /* the rows below the crop are never decoded: destroy, not finish */
    jpeg_destroy_decompress(&ci);
    x_free(row);
    x_free(out);
}

static int decode_jpeg(const unsigned char *buf, size_t len, const ks_options *opt, ks_img *im, char *err,
                       size_t errlen)
{
    int w = 0, h = 0, ss = 0, cs = 0, nsf = 0;
    volatile int rc = 0; /* set after setjmp: volatile, or lost on the jump */
    /* TurboJPEG reads the header (sampling names, colour space); one handle
     * per thread, kept between files as TurboJPEG intends */
    static _Thread_local tjhandle tj;
    if (!tj && !(tj = tjInitDecompress()))
        return ks_errf(err, errlen, KS_E_INTERNAL, "TurboJPEG: %s", tjGetErrorStr2(NULL));
    if (len > ULONG_MAX || tjDecompressHeader3(tj, buf, (unsigned long)len, &w, &h, &ss, &cs) != 0)
        return ks_errf(err, errlen, KS_E_DECODE, "TurboJPEG header: %s", tjGetErrorStr2(tj));
    int drc = check_dims("jpeg", w, h, opt, err, errlen);
    if (drc < 0)
        return drc;
    if (cs == TJCS_CMYK || cs == TJCS_YCCK)
        return ks_errf(err, errlen, KS_E_FORMAT, "CMYK/YCCK JPEG is not supported");
    im->native_w = w;
    im->native_h = h;
    im->format = "jpeg";
    im->subsampling = subsamp_name(ss);
    im->progressive = jpeg_progressive(buf, len);
    /* DCT-domain scaling: the smallest factor whose short side still reaches
     * the target (issue 5: 1.3-2.2x faster than a full decode). */
    tjscalingfactor *sf = tjGetScalingFactors(&nsf), best = {1, 1};
    int shortside = w < h ? w : h;
    for (int i = 0; i < nsf; i++) {
        if (sf[i].num * best.denom >= best.num * sf[i].denom) /* not smaller than best */
            continue;
        if (TJSCALED(shortside, sf[i]) >= opt->image_short_side)
            best = sf[i];
    }
    im->scale_num = best.num;
    im->scale_den = best.denom;
    im->w = TJSCALED(w, best);
    im->h = TJSCALED(h, best);
    im->rgb = jpeg_out((size_t)im->w * (size_t)im->h * 3);

    /* the decode itself: libjpeg API with the settings tjDecompress2 makes
     * for TJPF_RGB | TJFLAG_LIMITSCANS | TJFLAG_FASTUPSAMPLE (FASTUPSAMPLE:
     * nearest-neighbour chroma; the analysis image is area-averaged
     * afterwards, so fancy upsampling buys nothing) */
    struct jpeg_decompress_struct ci;
    struct jpeg_progress_mgr prog;
    jpeg_dec d;
    int scaled = best.num != best.denom, tap = 0;
    dec_init(&ci, &d);
    memset(&prog, 0, sizeof prog);
    if (setjmp(d.jb)) {
        rc = ks_errf(err, errlen, KS_E_DECODE, "libjpeg-turbo: %s", d.msg);
        goto done;
    }
    jpeg_create_decompress(&ci);
    prog.progress_monitor = dec_scan_limit;
    ci.progress = &prog;
    jpeg_mem_src(&ci, buf, (unsigned long)len);
    jpeg_read_header(&ci, TRUE);
    ci.out_color_space = JCS_EXT_RGB;
    ci.scale_num = (unsigned)best.num;
    ci.scale_denom = (unsigned)best.denom;
    ci.do_fancy_upsampling = FALSE;
    jpeg_start_decompress(&ci);
    if ((int)ci.output_width != im->w || (int)ci.output_height != im->h || ci.output_components != 3) {
        rc = ks_errf(err, errlen, KS_E_INTERNAL, "libjpeg-turbo: decodes to %ux%ux%d, expected %dx%dx3",
                     ci.output_width, ci.output_height, ci.output_components, im->w, im->h);
        goto done;
    }
    /* the luma tap, where component 0 is full-resolution luma and its AC
     * coefficients are decoded: a sequential decode at 1/8 (DCT size 1)
     * skips them in the entropy decoder (jdhuff.c: "we don't need the ACs
     * if producing a 1/8th-size image"); a progressive one keeps them all */
    tap = scaled && (ci.jpeg_color_space == JCS_YCbCr || ci.jpeg_color_space == JCS_GRAYSCALE) &&
          ci.comp_info[0].h_samp_factor == ci.max_h_samp_factor &&
          ci.comp_info[0].v_samp_factor == ci.max_v_samp_factor && ci.idct && ci.idct->inverse_DCT[0] &&
          (KS_DCT_H(&ci.comp_info[0]) > 1 || ci.progressive_mode);
    if (tap) {
        d.n = crop_side(w, h);
        d.nb = d.n / 8;
        d.bx0 = (w - d.n) / 2 / 8; /* block-aligned: within 7 px of the centre */
        d.by0 = (h - d.n) / 2 / 8;
        d.imcu = (JDIMENSION)-1;
        /* freed by ks_img_free, also after a longjmp */
        d.crop = im->crop = x_malloc((size_t)d.n * (size_t)d.n);
        d.idct0 = ci.idct->inverse_DCT[0];
        ci.idct->inverse_DCT[0] = idct_tap;
        ci.client_data = &d;
    }
    while (ci.output_scanline < ci.output_height) {
        JSAMPROW rows[16];
        int k = 0;
        for (; k < 16 && ci.output_scanline + (JDIMENSION)k < ci.output_height; k++)
            rows[k] = im->rgb + (size_t)(ci.output_scanline + (JDIMENSION)k) * (size_t)im->w * 3;
        if (jpeg_read_scanlines(&ci, rows, (JDIMENSION)k) == 0)
            break;
    }
    jpeg_finish_decompress(&ci);
    if (d.warned) {
        /* libjpeg fills missing data with grey and calls it a warning; for
         * a measurement that is a wrong image, not a small flaw. */
        if (strstr(d.msg, "Premature end") || strstr(d.msg, "premature end")) {
            rc = ks_errf(err, errlen, KS_E_TRUNCATED, "libjpeg-turbo: %s", d.msg);
            goto done;
        }
        snprintf(im->note, sizeof im->note, "libjpeg-turbo warning: %.130s", d.msg);
    }
    if (tap && d.filled == (long)d.nb * d.nb) {
        im->crop_n = d.n;
        im->crop_src = "tap";
    } else if (scaled) {
        x_free(im->crop);
        im->crop = NULL;
        ks_img_jpeg_partial_crop(buf, len, w, h, im);
    }
done:
    jpeg_destroy_decompress(&ci);
    return rc;
}

/* ---- WebP ---- */

static int decode_webp(const unsigned char *buf, size_t len, const ks_options *opt, ks_img *im, char *err,
                       size_t errlen)
{
    WebPBitstreamFeatures f;
    VP8StatusCode st = WebPGetFeatures(buf, len, &f);
    if (st != VP8_STATUS_OK)
        return ks_errf(err, errlen, st == VP8_STATUS_NOT_ENOUGH_DATA ? KS_E_TRUNCATED : KS_E_DECODE,
                    "libwebp: WebPGetFeatures failed, VP8 status %d", (int)st);
    if (f.has_animation)
        return ks_errf(err, errlen, KS_E_FORMAT, "animated WebP is not supported");
    {
        int drc = check_dims("webp", f.width, f.height, opt, err, errlen);
        if (drc < 0)
            return drc;
    }
    im->format = "webp";
    im->native_w = im->w = f.width;
    im->native_h = im->h = f.height;
    im->scale_num = im->scale_den = 1;
    im->has_alpha = f.has_alpha != 0;
    size_t n = (size_t)f.width * (size_t)f.height * 3;
    im->rgb = x_malloc(n);
    if (!WebPDecodeRGBInto(buf, len, im->rgb, n, f.width * 3)) {
        x_free(im->rgb);
        im->rgb = NULL;
        /* WebPDecodeRGBInto gives no status; ask the incremental-free path. */
        WebPDecoderConfig cfg;
        WebPInitDecoderConfig(&cfg);
        cfg.output.colorspace = MODE_RGB;
        st = WebPDecode(buf, len, &cfg);
        WebPFreeDecBuffer(&cfg.output);
        return ks_errf(err, errlen, st == VP8_STATUS_NOT_ENOUGH_DATA ? KS_E_TRUNCATED : KS_E_DECODE,
                    "libwebp: decode failed, VP8 status %d", (int)st);
    }
    return 0;
}

/* ---- stb_image formats ---- */

/* The width, height and maxval of a P5/P6 header, skipped over as
 * stb__pnm_info does (blanks, '#' comments to end of line): 0 if one of them
 * would overflow stb's int accumulator. */
static int pnm_header_ok(const unsigned char *b, size_t len)
{
    size_t i = 2;
    for (int field = 0; field < 3; field++) {
        for (;;) {
            while (i < len && (b[i] == ' ' || (b[i] >= '\t' && b[i] <= '\r')))
                i++;
            if (i >= len || b[i] != '#')
                break;
            while (i < len && b[i] != '\n' && b[i] != '\r')
                i++;
        }
        long long v = 0;
        for (; i < len && b[i] >= '0' && b[i] <= '9'; i++) {
            v = v * 10 + (b[i] - '0');
            if (v > INT_MAX)
                return 0;
        }
    }
    return 1;
}

static int decode_stb(const unsigned char *buf, size_t len, const char *fmt, const ks_options *opt, ks_img *im,
                      char *err, size_t errlen)
{
    int w = 0, h = 0, comp = 0;
    if (len > INT_MAX)
        return ks_errf(err, errlen, KS_E_LIMIT, "%s: file too large for stb_image", fmt);
    /* stb refuses huge PNG headers with a generic reason; read the IHDR
     * size ourselves so a 60000x60000 header is reported as a limit */
    if (!strcmp(fmt, "png") && len >= 24 && !memcmp(buf + 12, "IHDR", 4)) {
        long long pw = (long long)buf[16] << 24 | buf[17] << 16 | buf[18] << 8 | buf[19];
        long long ph = (long long)buf[20] << 24 | buf[21] << 16 | buf[22] << 8 | buf[23];
        int drc = check_dims("png", pw, ph, opt, err, errlen);
        if (drc < 0)
            return drc;
    }
    /* stb_image copies a zero-length first IDAT from a NULL buffer
     * (undefined behaviour, caught by UBSan): walk the chunk list (bounded
     * by the file) and refuse that case before stb sees it */
    if (!strcmp(fmt, "png")) {
        size_t off = 8;
        while (off + 8 <= len) {
            size_t clen = (size_t)buf[off] << 24 | (size_t)buf[off + 1] << 16 | (size_t)buf[off + 2] << 8 | buf[off + 3];
            if (!memcmp(buf + off + 4, "IDAT", 4)) {
                if (clen == 0)
                    return ks_errf(err, errlen, KS_E_DECODE, "png: empty IDAT chunk before any image data");
                break;
            }
            if (clen > len - off - 8)
                break; /* truncated: let stb report it */
            off += clen + 12;
        }
    }
    /* stb_image's PNM reader accumulates header numbers in an int with no
     * overflow check (undefined behaviour; fuzz_image finding): read the
     * three numbers as stb will, and refuse one that would overflow. */
    if (!strcmp(fmt, "pnm") && !pnm_header_ok(buf, len))
        return ks_errf(err, errlen, KS_E_DECODE, "pnm: a header number is too large");
    if (!stbi_info_from_memory(buf, (int)len, &w, &h, &comp))
        return ks_errf(err, errlen, KS_E_DECODE, "stb_image (%s header): %s", fmt, stbi_failure_reason());
    int drc = check_dims(fmt, w, h, opt, err, errlen);
    if (drc < 0)
        return drc;
    if (!strcmp(fmt, "bmp") && bmp_truncated(buf, len))
        return ks_errf(err, errlen, KS_E_TRUNCATED, "bmp: the file ends before the %dx%d pixel array it declares", w, h);
    /* Room for stb's own buffers: decoded 4-channel 16-bit rows, the zlib
     * output with filter bytes, and slack; anything bigger is a bomb. */
    stb_cap = (size_t)w * (size_t)h * 8 + (size_t)h * 8 + len + (16u << 20);
    int gw = 0, gh = 0, gc = 0;
    unsigned char *px = stbi_load_from_memory(buf, (int)len, &gw, &gh, &gc, 3);
    if (!px) {
        const char *why = stbi_failure_reason();
        /* stb's short reasons: "outofdata" means the stream ended early. */
        int code = why && strstr(why, "outofdata") ? KS_E_TRUNCATED : KS_E_DECODE;
        /* Our capped allocator refused: the stream expands beyond what the
         * declared size needs (a zlib bomb). */
        if (why && strstr(why, "outofmem"))
            code = KS_E_LIMIT;
        snprintf(err, errlen, "stb_image (%s): %s", fmt, why ? why : "unknown error");
        return code;
    }
    im->format = fmt;
    im->native_w = im->w = gw;
    im->native_h = im->h = gh;
    im->scale_num = im->scale_den = 1;
    im->has_alpha = gc == 2 || gc == 4;
    /* stb allocates with malloc (STBI_MALLOC above) and x_free is free():
     * keep its buffer instead of copying a possibly 300 MB image */
    im->rgb = px;
    return 0;
}

/* ---- dispatch on magic bytes ---- */

int ks_img_decode(const unsigned char *buf, size_t len, const ks_options *opt, ks_img *im, char *err,
                  size_t errlen)
{
    memset(im, 0, sizeof *im);
    im->progressive = -1;
    err[0] = '\0';
    if (len == 0)
        return ks_errf(err, errlen, KS_E_EMPTY, "empty file");
    if (len >= 3 && buf[0] == 0xFF && buf[1] == 0xD8 && buf[2] == 0xFF)
        return decode_jpeg(buf, len, opt, im, err, errlen);
    if (len >= 12 && !memcmp(buf, "RIFF", 4) && !memcmp(buf + 8, "WEBP", 4))
        return decode_webp(buf, len, opt, im, err, errlen);
    if (len >= 6 && (!memcmp(buf, "GIF87a", 6) || !memcmp(buf, "GIF89a", 6)))
        return ks_errf(err, errlen, KS_E_FORMAT,
                    "GIF is not supported (animated GIFs are decompression bombs; convert to PNG)");
    if (len >= 8 && !memcmp(buf, "\x89PNG\r\n\x1a\n", 8))
        return decode_stb(buf, len, "png", opt, im, err, errlen);
    if (len >= 2 && buf[0] == 'B' && buf[1] == 'M')
        return decode_stb(buf, len, "bmp", opt, im, err, errlen);
    if (len >= 4 && !memcmp(buf, "8BPS", 4))
        return decode_stb(buf, len, "psd", opt, im, err, errlen);
    if (len >= 2 && buf[0] == 'P' && (buf[1] == '5' || buf[1] == '6'))
        return decode_stb(buf, len, "pnm", opt, im, err, errlen);
    if (len >= 2 && buf[0] == '#' && buf[1] == '?')
        return decode_stb(buf, len, "hdr", opt, im, err, errlen);
    /* TGA has no magic: accept it only if stb's TGA header test passes. */
    {
        int w, h, c;
        if (len <= INT_MAX && stbi_info_from_memory(buf, (int)len, &w, &h, &c))
            return decode_stb(buf, len, "tga", opt, im, err, errlen);
    }
    return ks_errf(err, errlen, KS_E_FORMAT, "unknown image format (magic bytes match no supported decoder)");
}
