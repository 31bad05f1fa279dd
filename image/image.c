/* image.c - the image analyzer's entry points: read, decode, measure. */
#define _POSIX_C_SOURCE 200809L
#include "image.h"
#include "decode.h"
#include "image_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The encoded file is read into a buffer kept between files (per thread),
 * for the same reason as the decode buffers: fresh megabytes fault in page
 * by page. Given back above 64 MiB. */
static _Thread_local char *file_buf;
static _Thread_local size_t file_cap;

static int read_file(const ks_input *in, char **buf, size_t *len, ks_record *r)
{
    int64_t cap = in->opt->max_file_bytes;
    if (in->size > cap)
        return ks_record_fail(r, KS_E_TOO_LARGE, "%lld bytes exceeds the cap of %lld bytes", (long long)in->size,
                              (long long)cap);
    size_t n = 0, want = (size_t)(in->size > 0 ? in->size : 0) + 1;
    for (;;) {
        if (n + 1 > file_cap || want > file_cap) {
            size_t nc = want > file_cap * 2 ? want : file_cap * 2;
            if ((int64_t)nc > cap + 1)
                nc = (size_t)cap + 1;
            if (nc <= n)
                return ks_record_fail(r, KS_E_TOO_LARGE, "more than %lld bytes", (long long)cap);
            file_buf = x_realloc(file_buf, nc);
            file_cap = nc;
        }
        ssize_t k = pread(in->fd, file_buf + n, file_cap - n, (off_t)n);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return ks_record_fail(r, errno == EISDIR ? KS_E_NOT_FILE : KS_E_IO, "read failed: %s", strerror(errno));
        }
        if (k == 0)
            break;
        n += (size_t)k;
        want = n + 1; /* the file grew or fstat lied: read on, up to cap */
    }
    *buf = file_buf;
    *len = n;
    return 0;
}

static void release_file(void)
{
    if (file_cap > ((size_t)64 << 20)) {
        x_free(file_buf);
        file_buf = NULL;
        file_cap = 0;
    }
}

const char *ks_image_lib_versions(void) { return ks_img_lib_versions(); }

int ks_image_analyze(const ks_input *in, ks_record *r)
{
    char *buf = NULL, err[300], note[64], crop[32];
    size_t len = 0;
    ks_img im;
    memset(&im, 0, sizeof im);
    int rc = read_file(in, &buf, &len, r);
    if (rc < 0)
        goto done;
    rc = ks_img_decode((const unsigned char *)buf, len, in->opt, &im, err, sizeof err);
    if (im.format)
        ks_record_set_info(r, KS_I_IMAGE_FORMAT, im.format);
    if (rc < 0) {
        rc = ks_record_fail(r, rc, "%s", err);
        goto done;
    }
    /* the encoded bytes are no longer needed: free before measuring */
    release_file();
    buf = NULL;
    r->feat[KS_F_IMAGE_WIDTH] = im.native_w;
    r->feat[KS_F_IMAGE_HEIGHT] = im.native_h;
    r->feat[KS_F_IMAGE_BPP] = 8.0 * (double)len / ((double)im.native_w * im.native_h);
    snprintf(note, sizeof note, "%d/%d", im.scale_num, im.scale_den);
    ks_record_set_info(r, KS_I_IMAGE_DECODE_SCALE, note);
    if (im.progressive >= 0)
        ks_record_set_info(r, KS_I_IMAGE_PROGRESSIVE, im.progressive ? "yes" : "no");
    if (im.subsampling)
        ks_record_set_info(r, KS_I_IMAGE_SUBSAMPLING, im.subsampling);
    if (im.note[0] || im.has_alpha) {
        char n2[200];
        snprintf(n2, sizeof n2, "%s%s%s", im.note, im.note[0] && im.has_alpha ? "; " : "",
                 im.has_alpha ? "alpha channel dropped" : "");
        ks_record_set_info(r, KS_I_IMAGE_DECODE_NOTE, n2);
    }
    rc = ks_image_measure(im.rgb, im.w, im.h, (size_t)im.w * 3, im.crop, im.crop_n, in->opt->image_short_side,
                          in->opt->thumbnails, r, crop, sizeof crop);
    if (rc == 0) {
        char cn[256];
        if (im.crop && im.crop_src && !strcmp(im.crop_src, "tap"))
            snprintf(cn, sizeof cn, "%s at 1/1 (native; luma blocks taken from the %s decode)", crop, note);
        else if (im.crop)
            snprintf(cn, sizeof cn, "%s at 1/1 (native; luma crop decoded apart from the %s image)", crop, note);
        else if (im.scale_num == im.scale_den)
            snprintf(cn, sizeof cn, "%s at 1/1 (native)", crop);
        else /* the partial decode failed: say so, and why */
            snprintf(cn, sizeof cn, "%s at %s (DCT-scaled, not native: %s)", crop, note, im.crop_note);
        ks_record_set_info(r, KS_I_IMAGE_SPECTRAL_CROP, cn);
    }
done:
    release_file();
    ks_img_free(&im);
    return rc;
}

int ks_image_analyze_rgb(const unsigned char *rgb, int w, int h, int stride, ks_record *r)
{
    ks_options o;
    char crop[32], cn[96];
    ks_options_default(&o);
    if (!rgb || w <= 0 || h <= 0 || stride < w * 3)
        return ks_record_fail(r, KS_E_USAGE, "bad pixel buffer: %dx%d, stride %d", w, h, stride);
    ks_record_set_info(r, KS_I_IMAGE_FORMAT, "rgb");
    r->feat[KS_F_IMAGE_WIDTH] = w;
    r->feat[KS_F_IMAGE_HEIGHT] = h;
    int rc = ks_image_measure(rgb, w, h, (size_t)stride, NULL, 0, o.image_short_side, o.thumbnails, r, crop,
                              sizeof crop);
    if (rc == 0) {
        snprintf(cn, sizeof cn, "%s at 1/1 (native)", crop);
        ks_record_set_info(r, KS_I_IMAGE_SPECTRAL_CROP, cn);
    }
    return rc;
}
