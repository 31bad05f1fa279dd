/* analyze.c - per-image measures of palette, composition and complexity.
 *
 * Pipeline: decode (decode.c) -> "analysis image" = decoded pixels
 * area-resampled so the short side is at most opt->image_short_side (so
 * edge, layout and contrast measures mean the same thing for a 128 px icon
 * and a 5K wallpaper) -> OKLab planes -> measures. The spectral measures
 * use a native-resolution centre crop: of the decoded pixels before
 * resampling, or for a DCT-scaled JPEG the luma crop the decoder made at
 * scale 1/1 (see image.spectral_crop). */
#define _POSIX_C_SOURCE 200809L
#include "image.h"
#include "decode.h"
#include "image_internal.h"

#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAL_K 6
#define KS_PI 3.14159265358979323846
#define EDGE_THRESHOLD 0.05 /* Sobel response normalised to step height */

/* ---- scratch memory ----
 * A worker analyses file after file; fresh multi-megabyte buffers cost a
 * page fault per 4 KiB each time (a fifth of the run time in bench/image.sh),
 * so the analysis planes live in one grow-only per-thread block, given back
 * when a very large image made it bigger than 64 MiB. */
static _Thread_local unsigned char *scratch;
static _Thread_local size_t scratch_cap;

static void *scratch_get(size_t n)
{
    if (n > scratch_cap) {
        x_free(scratch);
        scratch = x_malloc(n);
        scratch_cap = n;
    }
    return scratch;
}

static void scratch_trim(void)
{
    if (scratch_cap > ((size_t)64 << 20)) {
        x_free(scratch);
        scratch = NULL;
        scratch_cap = 0;
    }
}

/* ---- colour ---- */

static float srgb_lin[256];
static int srgb_ready;

static void srgb_init(void)
{
    if (srgb_ready)
        return;
    for (int i = 0; i < 256; i++) {
        double c = i / 255.0;
        srgb_lin[i] = (float)(c <= 0.04045 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4));
    }
    srgb_ready = 1;
}

/* Cube root for x in [0, 1]: a bit-level first guess refined by Newton
 * steps to float precision (libm's cbrtf was 10% of the analysis time). */
static inline float cbrt01(float x)
{
    if (x <= 0)
        return 0;
    union { float f; uint32_t u; } v = {x};
    v.u = v.u / 3 + 709921077u;
    float y = v.f;
    /* Halley steps: cubic convergence, 1e-3 -> 1e-9 relative */
    float y3 = y * y * y;
    y = y * (y3 + 2 * x) / (2 * y3 + x);
    y3 = y * y * y;
    y = y * (y3 + 2 * x) / (2 * y3 + x);
    return y;
}

/* OKLab (Ottosson 2020) from 8-bit sRGB. */
void ks_oklab(const unsigned char *p, float *L, float *a, float *b)
{
    srgb_init();
    float r = srgb_lin[p[0]], g = srgb_lin[p[1]], bl = srgb_lin[p[2]];
    float l = cbrt01(0.4122214708f * r + 0.5363325363f * g + 0.0514459929f * bl);
    float m = cbrt01(0.2119034982f * r + 0.6806995451f * g + 0.1073969566f * bl);
    float s = cbrt01(0.0883024619f * r + 0.2817188376f * g + 0.6299787005f * bl);
    *L = 0.2104542553f * l + 0.7936177850f * m - 0.0040720468f * s;
    *a = 1.9779984951f * l - 2.4285922050f * m + 0.4505937099f * s;
    *b = 0.0259040371f * l + 0.7827717662f * m - 0.8086757660f * s;
}

/* HSV hue in degrees [0,360), saturation and value in [0,1]. */
static void hsv(const unsigned char *p, double *h, double *s, double *v)
{
    int r = p[0], g = p[1], b = p[2];
    int mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
    int mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
    double d = mx - mn;
    *v = mx / 255.0;
    *s = mx ? d / mx : 0;
    if (d == 0) {
        *h = 0;
        return;
    }
    double hh;
    if (mx == r)
        hh = (g - b) / d; /* in (-1, 1]; negative wraps below */
    else if (mx == g)
        hh = (b - r) / d + 2;
    else
        hh = (r - g) / d + 4;
    hh *= 60;
    if (hh < 0)
        hh += 360;
    *h = hh;
}

/* ---- resampling: area average, 8-bit RGB ---- */

static void resample_rgb(const unsigned char *src, int sw, int sh, size_t sstride, unsigned char *dst, int dw, int dh)
{
    int *x0 = x_malloc((size_t)(dw + 1) * sizeof *x0);
    for (int x = 0; x <= dw; x++)
        x0[x] = (int)((long long)x * sw / dw);
    for (int y = 0; y < dh; y++) {
        int y0 = (int)((long long)y * sh / dh), y1 = (int)((long long)(y + 1) * sh / dh);
        if (y1 <= y0)
            y1 = y0 + 1;
        for (int x = 0; x < dw; x++) {
            int xa = x0[x], xb = x0[x + 1] > xa ? x0[x + 1] : xa + 1;
            unsigned long acc[3] = {0, 0, 0};
            for (int yy = y0; yy < y1; yy++) {
                const unsigned char *p = src + (size_t)yy * sstride + (size_t)xa * 3;
                for (int xx = xa; xx < xb; xx++, p += 3) {
                    acc[0] += p[0];
                    acc[1] += p[1];
                    acc[2] += p[2];
                }
            }
            unsigned long n = (unsigned long)(y1 - y0) * (unsigned long)(xb - xa);
            unsigned char *q = dst + ((size_t)y * dw + x) * 3;
            for (int c = 0; c < 3; c++)
                q[c] = (unsigned char)((acc[c] + n / 2) / n);
        }
    }
    x_free(x0);
}

static void resample_plane(const float *src, int sw, int sh, float *dst, int dw, int dh)
{
    for (int y = 0; y < dh; y++) {
        int y0 = (int)((long long)y * sh / dh), y1 = (int)((long long)(y + 1) * sh / dh);
        if (y1 <= y0)
            y1 = y0 + 1;
        for (int x = 0; x < dw; x++) {
            int xa = (int)((long long)x * sw / dw), xb = (int)((long long)(x + 1) * sw / dw);
            if (xb <= xa)
                xb = xa + 1;
            double acc = 0;
            for (int yy = y0; yy < y1; yy++)
                for (int xx = xa; xx < xb; xx++)
                    acc += src[(size_t)yy * sw + xx];
            dst[(size_t)y * dw + x] = (float)(acc / ((double)(y1 - y0) * (xb - xa)));
        }
    }
}

/* ---- FFT (radix 2, in place) for the spectral measures ---- */

static void fft(double *re, double *im, int n, const double *cs, const double *sn)
{
    /* cs/sn: cos and sin of -2 pi k / n for k < n/2 (precomputed once) */
    for (int i = 1, j = 0; i < n; i++) {
        int bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            double t = re[i]; re[i] = re[j]; re[j] = t;
            t = im[i]; im[i] = im[j]; im[j] = t;
        }
    }
    for (int len = 2; len <= n; len <<= 1) {
        int step = n / len;
        for (int i = 0; i < n; i += len)
            for (int k = 0; k < len / 2; k++) {
                double wr = cs[k * step], wi = sn[k * step];
                double ur = re[i + k], ui = im[i + k];
                double vr = re[i + k + len / 2] * wr - im[i + k + len / 2] * wi;
                double vi = re[i + k + len / 2] * wi + im[i + k + len / 2] * wr;
                re[i + k] = ur + vr; im[i + k] = ui + vi;
                re[i + k + len / 2] = ur - vr; im[i + k + len / 2] = ui - vi;
            }
    }
}

/* Radially averaged power spectrum of an N x N centre crop of the decoded
 * pixels (van der Schaaf & van Hateren 1996): slope of log power against log
 * frequency, and the share of power in the top octave (Durall et al. 2020).
 * Luma is Rec.601 on gamma-encoded values, mean removed, Hann windowed.
 * px: RGB8 (bpp 3) or luma already (bpp 1, the JPEG decoder's Y crop). */
static void spectral(const unsigned char *px, int bpp, int w, int h, size_t stride, double *slope, double *top,
                     int *n_out)
{
    *slope = *top = NAN;
    int n = 1;
    while (n * 2 <= w && n * 2 <= h && n * 2 <= 256)
        n *= 2;
    *n_out = n;
    if (n < 32)
        return;
    int ox = (w - n) / 2, oy = (h - n) / 2;
    double *re = scratch_get(2 * (size_t)n * n * sizeof *re), *im = re + (size_t)n * n;
    memset(im, 0, (size_t)n * n * sizeof *im);
    /* window, twiddles and ring table depend on n only: made once per n */
    static _Thread_local int tab_n;
    static _Thread_local double *wv, *cs, *sn;
    static _Thread_local int *ring;
    int half = n / 2, r2max = 2 * half * half;
    if (tab_n != n) {
        x_free(wv);
        x_free(ring);
        wv = x_malloc((size_t)n * 2 * sizeof *wv); /* window, cos, sin */
        cs = wv + n;
        sn = wv + n + n / 2;
        for (int i = 0; i < n; i++)
            wv[i] = 0.5 - 0.5 * cos(2 * KS_PI * i / (n - 1));
        for (int k = 0; k < n / 2; k++) {
            cs[k] = cos(-2 * KS_PI * k / n);
            sn[k] = sin(-2 * KS_PI * k / n);
        }
        /* ring of each squared radius, looked up instead of sqrt per bin */
        ring = x_malloc(((size_t)r2max + 1) * sizeof *ring);
        for (int q = 0; q <= r2max; q++)
            ring[q] = (int)lround(sqrt((double)q));
        tab_n = n;
    }
    double mean = 0, m2 = 0;
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++) {
            const unsigned char *p = px + (size_t)(oy + y) * stride + (size_t)(ox + x) * (size_t)bpp;
            double v = (bpp == 1 ? p[0] : 0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]) / 255.0;
            re[(size_t)y * n + x] = v;
            mean += v;
            m2 += v * v;
        }
    mean /= (double)n * n;
    /* a flat crop has no spectrum to speak of (only rounding noise) */
    if (m2 / ((double)n * n) - mean * mean < 1e-10)
        return;
    for (int y = 0; y < n; y++)
        for (int x = 0; x < n; x++)
            re[(size_t)y * n + x] = (re[(size_t)y * n + x] - mean) * wv[x] * wv[y];
    for (int y = 0; y < n; y++)
        fft(re + (size_t)y * n, im + (size_t)y * n, n, cs, sn);
    /* columns: transpose (in 16x16 blocks, cache-friendly) and transform the
     * rows again; the radial average is symmetric in kx and ky, so the
     * spectrum can stay transposed */
    for (int by = 0; by < n; by += 16)
        for (int bx = by; bx < n; bx += 16)
            for (int y = by; y < by + 16 && y < n; y++)
                for (int x = (bx == by ? y + 1 : bx); x < bx + 16 && x < n; x++) {
                    size_t a = (size_t)y * n + x, b = (size_t)x * n + y;
                    double t = re[a]; re[a] = re[b]; re[b] = t;
                    t = im[a]; im[a] = im[b]; im[b] = t;
                }
    for (int y = 0; y < n; y++)
        fft(re + (size_t)y * n, im + (size_t)y * n, n, cs, sn);
    double *pw = x_calloc((size_t)half + 1, sizeof *pw);
    int *cnt = x_calloc((size_t)half + 1, sizeof *cnt);
    for (int y = 0; y < n; y++) {
        int ky = y < half ? y : y - n;
        for (int x = 0; x < n; x++) {
            int kx = x < half ? x : x - n;
            int r = ring[kx * kx + ky * ky];
            if (r < 1 || r > half)
                continue;
            const double a = re[(size_t)y * n + x], b = im[(size_t)y * n + x];
            pw[r] += a * a + b * b;
            cnt[r]++;
        }
    }
    double tot = 0, hi = 0;
    for (int r = 1; r <= half; r++) {
        tot += pw[r];
        if (r >= half / 2)
            hi += pw[r];
    }
    if (tot > 0) {
        *top = hi / tot;
        /* Weighted least squares with weight 1/r: equal weight per octave,
         * so the many high-frequency rings do not dominate the fit. */
        double sw = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int r = 2; r <= half; r++) {
            if (cnt[r] == 0 || pw[r] <= 0)
                continue;
            double xv = log((double)r), yv = log(pw[r] / cnt[r]), wt = 1.0 / r;
            sw += wt; sx += wt * xv; sy += wt * yv; sxx += wt * xv * xv; sxy += wt * xv * yv;
        }
        double den = sw * sxx - sx * sx;
        if (sw > 0 && den > 0)
            *slope = (sw * sxy - sx * sy) / den;
    }
    x_free(pw); x_free(cnt);
}

/* ---- palette: k-means in OKLab ---- */

/* Lloyd's k-means with k-means++ seeding from a fixed seed: the same pixels
 * always give the same palette (issue 5: deterministic run to run). */
static void palette(const float *L, const float *A, const float *B, int w, int h, double out[PAL_K * 4], double *entropy)
{
    int step = 1;
    while ((long long)(w / step) * (h / step) > 4096)
        step++;
    int ns = 0, cap = (w / step + 1) * (h / step + 1);
    float (*pt)[3] = x_malloc((size_t)cap * sizeof *pt);
    for (int y = step / 2; y < h; y += step)
        for (int x = step / 2; x < w; x += step) {
            size_t i = (size_t)y * w + x;
            pt[ns][0] = L[i]; pt[ns][1] = A[i]; pt[ns][2] = B[i];
            ns++;
        }
    double c[PAL_K][3];
    int k = 0;
    double *d2 = x_malloc((size_t)ns * sizeof *d2);
    int *as = x_calloc((size_t)ns, sizeof *as);
    ks_rng g;
    ks_rng_seed(&g, 0x70616c65747465ull);
    size_t first = ks_rng_below(&g, (size_t)ns);
    for (int j = 0; j < 3; j++)
        c[0][j] = pt[first][j];
    k = 1;
    for (int i = 0; i < ns; i++)
        d2[i] = DBL_MAX;
    while (k < PAL_K) {
        double tot = 0;
        for (int i = 0; i < ns; i++) {
            double dd = 0;
            for (int j = 0; j < 3; j++)
                dd += (pt[i][j] - c[k - 1][j]) * (pt[i][j] - c[k - 1][j]);
            if (dd < d2[i])
                d2[i] = dd;
            tot += d2[i];
        }
        if (tot <= 1e-12) /* fewer distinct colours than k */
            break;
        double u = ks_rng_uniform(&g) * tot, acc = 0;
        int pick = ns - 1;
        for (int i = 0; i < ns; i++) {
            acc += d2[i];
            if (acc > u) {
                pick = i;
                break;
            }
        }
        for (int j = 0; j < 3; j++)
            c[k][j] = pt[pick][j];
        k++;
    }
    int cnt[PAL_K];
    for (int it = 0; it < 30; it++) {
        int changed = 0;
        double sum[PAL_K][3] = {{0}};
        memset(cnt, 0, sizeof cnt);
        for (int i = 0; i < ns; i++) {
            int best = 0;
            double bd = DBL_MAX;
            for (int q = 0; q < k; q++) {
                double dd = 0;
                for (int j = 0; j < 3; j++)
                    dd += (pt[i][j] - c[q][j]) * (pt[i][j] - c[q][j]);
                if (dd < bd) {
                    bd = dd;
                    best = q;
                }
            }
            if (as[i] != best || it == 0)
                changed++;
            as[i] = best;
            cnt[best]++;
            for (int j = 0; j < 3; j++)
                sum[best][j] += pt[i][j];
        }
        for (int q = 0; q < k; q++)
            if (cnt[q])
                for (int j = 0; j < 3; j++)
                    c[q][j] = sum[q][j] / cnt[q];
        /* converged: fewer than 0.1% of the samples moved */
        if (it > 0 && changed * 1000 <= ns)
            break;
    }
    /* heaviest first; ties by lightness so the order is total */
    int ord[PAL_K];
    for (int q = 0; q < k; q++)
        ord[q] = q;
    for (int a = 0; a < k; a++)
        for (int b = a + 1; b < k; b++)
            if (cnt[ord[b]] > cnt[ord[a]] || (cnt[ord[b]] == cnt[ord[a]] && c[ord[b]][0] > c[ord[a]][0])) {
                int t = ord[a]; ord[a] = ord[b]; ord[b] = t;
            }
    memset(out, 0, PAL_K * 4 * sizeof *out);
    double e = 0;
    for (int q = 0; q < k; q++) {
        double wq = (double)cnt[ord[q]] / ns;
        out[q * 4 + 0] = c[ord[q]][0];
        out[q * 4 + 1] = c[ord[q]][1];
        out[q * 4 + 2] = c[ord[q]][2];
        out[q * 4 + 3] = wq;
        if (wq > 0)
            e -= wq * log2(wq);
    }
    *entropy = e;
    x_free(pt); x_free(d2); x_free(as);
}

/* ---- hue harmony (Cohen-Or et al. 2006, templates of Matsuda 1995) ---- */

static double harmony_dev(const double hist[180], double wsum)
{
    /* sector centres (relative to the rotation) and widths, degrees */
    static const struct { int n; double c[2], w[2]; } T[7] = {
        {1, {0, 0}, {18, 0}},      /* i */
        {1, {0, 0}, {93.6, 0}},    /* V */
        {2, {0, 90}, {18, 79.2}},  /* L */
        {2, {0, 180}, {18, 18}},   /* I */
        {1, {0, 0}, {180, 0}},     /* T */
        {2, {0, 180}, {93.6, 18}}, /* Y */
        {2, {0, 180}, {93.6, 93.6}}/* X */
    };
    if (!(wsum > 0))
        return NAN;
    double best = DBL_MAX;
    for (int t = 0; t < 7; t++)
        for (int al = 0; al < 360; al += 2) {
            double acc = 0;
            for (int b = 0; b < 180 && acc < best * wsum; b++) {
                if (hist[b] == 0)
                    continue;
                int hue = b * 2 + 1;
                double dmin = DBL_MAX;
                for (int s = 0; s < T[t].n; s++) {
                    double d = abs((hue - al - (int)T[t].c[s] + 900) % 360 - 180);
                    d = d <= T[t].w[s] / 2 ? 0 : d - T[t].w[s] / 2;
                    if (d < dmin)
                        dmin = d;
                }
                acc += dmin * hist[b];
            }
            if (acc / wsum < best)
                best = acc / wsum;
        }
    return best;
}

/* ---- the measures ---- */

int ks_image_measure(const unsigned char *rgb, int w, int h, size_t stride, const unsigned char *luma_crop,
                     int crop_n, int short_side, int thumbs, ks_record *r, char *crop_note, size_t crop_len)
{
    if (w < 8 || h < 8)
        return ks_record_fail(r, KS_E_TOO_SHORT, "image is %dx%d; at least 8x8 pixels are needed", w, h);
    if (short_side < 8)
        short_side = 8;
    /* spectral measures on the native-resolution luma crop when the decoder
     * made one, else on the pixels as given (before resampling) */
    double slope, top;
    int cn = 0;
    if (luma_crop && crop_n > 0)
        spectral(luma_crop, 1, crop_n, crop_n, (size_t)crop_n, &slope, &top, &cn);
    else
        spectral(rgb, 3, w, h, stride, &slope, &top, &cn);
    r->feat[KS_F_IMAGE_SPECTRAL_SLOPE] = slope;
    r->feat[KS_F_IMAGE_TOP_OCTAVE_SHARE] = top;
    if (crop_note)
        snprintf(crop_note, crop_len, "%dx%d", cn, cn);

    /* the analysis image */
    int W = w, H = h;
    int ss = w < h ? w : h;
    if (ss > short_side) {
        double f = (double)short_side / ss;
        W = (int)lround(w * f);
        H = (int)lround(h * f);
        if (W < 1) W = 1;
        if (H < 1) H = 1;
    }
    size_t npx = (size_t)W * H;
    /* planes L, A, B, E (floats), then the RGB analysis image */
    float *L = scratch_get(npx * (4 * sizeof(float) + 3));
    float *A = L + npx, *B = L + 2 * npx, *E = L + 3 * npx;
    unsigned char *img = (unsigned char *)(L + 4 * npx);
    if (W == w && H == h) {
        for (int y = 0; y < h; y++)
            memcpy(img + (size_t)y * w * 3, rgb + (size_t)y * stride, (size_t)w * 3);
    } else {
        resample_rgb(rgb, w, h, stride, img, W, H);
    }
    memset(E, 0, npx * sizeof *E);
    /* hue statistics on a 2x2-strided sample of large analysis images: the
     * histograms are stable at 26k pixels and HSV is a third of the loop */
    int hstep = npx > 65536 ? 2 : 1;

    /* Hasler & Suesstrunk 2003, on gamma-encoded 8-bit RGB as published */
    /* exact integer sums: rg = R-G, yb2 = 2*yb = R+G-2B */
    int64_t srg = 0, srg2 = 0, syb = 0, syb2 = 0;
    double hue_hist[20] = {0}, harm[180] = {0}, harm_w = 0;
    double csum = 0, lsum = 0, lsum2 = 0;
    enum { CB = 2000 };
    int *chist = x_calloc(CB, sizeof *chist);
    for (size_t i = 0; i < npx; i++) {
        const unsigned char *p = img + i * 3;
        int64_t rg = (int64_t)p[0] - p[1], yb2 = (int64_t)p[0] + p[1] - 2 * (int64_t)p[2];
        srg += rg; srg2 += rg * rg; syb += yb2; syb2 += yb2 * yb2;
        ks_oklab(p, &L[i], &A[i], &B[i]);
        double C = sqrt((double)A[i] * A[i] + (double)B[i] * B[i]);
        csum += C;
        int cb = (int)(C / 0.5 * CB);
        chist[cb < CB ? cb : CB - 1]++;
        lsum += L[i]; lsum2 += (double)L[i] * L[i];
        if (hstep > 1 && (((i / (size_t)W) | (i % (size_t)W)) & 1))
            continue;
        double hh, s, v;
        hsv(p, &hh, &s, &v);
        /* Ke et al. 2006: only reasonably saturated, not too dark or bright */
        if (s > 0.2 && v > 0.15 && v < 0.95)
            hue_hist[(int)(hh / 18) % 20]++;
        int hb = (int)(hh / 2) % 180;
        harm[hb] += s;
        harm_w += s;
    }
    double nn = (double)npx;
    double mrg = (double)srg / nn, myb = (double)syb / (2 * nn);
    double vrg = (double)srg2 / nn - mrg * mrg, vyb = (double)syb2 / (4 * nn) - myb * myb;
    r->feat[KS_F_IMAGE_COLORFULNESS] = sqrt(fmax(0, vrg + vyb)) + 0.3 * sqrt(mrg * mrg + myb * myb);
    r->feat[KS_F_IMAGE_CHROMA_MEAN] = csum / nn;
    {
        double target = 0.95 * nn, acc = 0;
        for (int b = 0; b < CB; b++) {
            if (acc + chist[b] >= target) {
                double frac = chist[b] ? (target - acc) / chist[b] : 0;
                r->feat[KS_F_IMAGE_CHROMA_P95] = (b + frac) * 0.5 / CB;
                break;
            }
            acc += chist[b];
        }
    }
    double lm = lsum / nn;
    r->feat[KS_F_IMAGE_L_CONTRAST] = sqrt(fmax(0, lsum2 / nn - lm * lm));
    {
        double mx = 0;
        int nh = 0;
        for (int b = 0; b < 20; b++)
            mx = fmax(mx, hue_hist[b]);
        for (int b = 0; b < 20; b++)
            if (mx > 0 && hue_hist[b] > 0.05 * mx)
                nh++;
        r->feat[KS_F_IMAGE_HUE_COUNT] = nh;
    }
    /* a grey image fits every template: harmony is undefined, not perfect */
    r->feat[KS_F_IMAGE_HARMONY_DEV] = harm_w > 1e-3 * nn / (hstep * hstep) ? harmony_dev(harm, harm_w) : NAN;

    double pal[PAL_K * 4], pent;
    palette(L, A, B, W, H, pal, &pent);
    r->feat[KS_F_IMAGE_PALETTE_ENTROPY] = pent;
    ks_record_set_desc(r, KS_D_IMAGE_PALETTE, pal, PAL_K * 4);

    /* Sobel on OKLab L, normalised so a unit step reads 1 */
    double esum = 0, ex = 0, ey = 0;
    size_t nedge = 0;
    for (int y = 1; y < H - 1; y++)
        for (int x = 1; x < W - 1; x++) {
            const float *p = L + (size_t)y * W + x;
            double gx = (p[-W + 1] + 2 * p[1] + p[W + 1]) - (p[-W - 1] + 2 * p[-1] + p[W - 1]);
            double gy = (p[W - 1] + 2 * p[W] + p[W + 1]) - (p[-W - 1] + 2 * p[-W] + p[-W + 1]);
            double m = sqrt(gx * gx + gy * gy) / 4;
            E[(size_t)y * W + x] = (float)m;
            if (m > EDGE_THRESHOLD)
                nedge++;
            esum += m;
            ex += m * (x + 0.5) / W;
            ey += m * (y + 0.5) / H;
        }
    r->feat[KS_F_IMAGE_EDGE_DENSITY] = (double)nedge / ((double)(W - 2) * (H - 2));
    double cxy[2] = {NAN, NAN};
    if (esum > 1e-9) {
        double cx = ex / esum, cy = ey / esum, sp = 0, th = 0;
        cxy[0] = cx;
        cxy[1] = cy;
        r->feat[KS_F_IMAGE_EDGE_CENTROID_DIST] = sqrt((cx - 0.5) * (cx - 0.5) + (cy - 0.5) * (cy - 0.5)) / sqrt(0.5);
        double *px = x_calloc((size_t)W, sizeof *px), *py = x_calloc((size_t)H, sizeof *py);
        /* Liu et al. 2010: power points at the thirds intersections; a
         * pixel is in a window when both its column and row are */
        unsigned char *tx = x_calloc((size_t)W + (size_t)H, 1), *ty = tx + W;
        for (int x = 0; x < W; x++) {
            double u = (x + 0.5) / W;
            tx[x] = fabs(u - 1.0 / 3) <= 1.0 / 12 || fabs(u - 2.0 / 3) <= 1.0 / 12;
        }
        for (int y = 0; y < H; y++) {
            double v = (y + 0.5) / H;
            ty[y] = fabs(v - 1.0 / 3) <= 1.0 / 12 || fabs(v - 2.0 / 3) <= 1.0 / 12;
        }
        for (int y = 1; y < H - 1; y++)
            for (int x = 1; x < W - 1; x++) {
                double m = E[(size_t)y * W + x];
                if (m == 0)
                    continue;
                double u = (x + 0.5) / W, v = (y + 0.5) / H;
                sp += m * ((u - cx) * (u - cx) + (v - cy) * (v - cy));
                px[x] += m;
                py[y] += m;
                if (tx[x] && ty[y])
                    th += m;
            }
        x_free(tx);
        /* uniform energy over the unit square: E[d^2] = 1/6 */
        r->feat[KS_F_IMAGE_EDGE_SPREAD] = sqrt(sp / esum) / sqrt(1.0 / 6);
        r->feat[KS_F_IMAGE_THIRDS_ENERGY] = th / esum;
        /* Ke et al. 2006: 98% of the energy per axis, 1% cut at each end */
        double fx = 0, fy = 0;
        for (int axis = 0; axis < 2; axis++) {
            double *pr = axis ? py : px;
            int n = axis ? H : W, lo = 0, hi = n - 1;
            double acc = 0;
            for (lo = 0; lo < n; lo++) {
                acc += pr[lo];
                if (acc > 0.01 * esum)
                    break;
            }
            acc = 0;
            for (hi = n - 1; hi >= 0; hi--) {
                acc += pr[hi];
                if (acc > 0.01 * esum)
                    break;
            }
            double f = hi >= lo ? (double)(hi - lo + 1) / n : 1.0 / n;
            if (axis)
                fy = f;
            else
                fx = f;
        }
        r->feat[KS_F_IMAGE_SUBJECT_BOX] = fx * fy;
        x_free(px);
        x_free(py);
    }
    ks_record_set_desc(r, KS_D_IMAGE_CENTROID, cxy, 2);

    /* 4x4 layout grid */
    {
        double grid[64] = {0};
        int gc[16] = {0};
        int *colx = x_malloc((size_t)W * sizeof *colx);
        for (int x = 0; x < W; x++)
            colx[x] = x * 4 / W;
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                int cell = (y * 4 / H) * 4 + colx[x];
                size_t i = (size_t)y * W + x;
                grid[cell * 4 + 0] += L[i];
                grid[cell * 4 + 1] += A[i];
                grid[cell * 4 + 2] += B[i];
                grid[cell * 4 + 3] += E[i];
                gc[cell]++;
            }
        x_free(colx);
        for (int c = 0; c < 16; c++)
            for (int j = 0; j < 4; j++)
                grid[c * 4 + j] = gc[c] ? grid[c * 4 + j] / gc[c] : 0;
        ks_record_set_desc(r, KS_D_IMAGE_LAYOUT, grid, 64);
    }

    /* left-right symmetry on a 64x64 grid (tolerates small misalignment) */
    {
        float g64[64 * 64];
        resample_plane(L, W, H, g64, 64, 64);
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0, n = 64 * 64;
        for (int y = 0; y < 64; y++)
            for (int x = 0; x < 64; x++) {
                double a = g64[y * 64 + x], b = g64[y * 64 + 63 - x];
                sa += a; sb += b; saa += a * a; sbb += b * b; sab += a * b;
            }
        double va = saa / n - (sa / n) * (sa / n), vb = sbb / n - (sb / n) * (sb / n);
        r->feat[KS_F_IMAGE_SYMMETRY_LR] = va > 1e-10 && vb > 1e-10 ? (sab / n - sa / n * sb / n) / sqrt(va * vb) : NAN;
    }

    /* dHash (Krawetz 2013): 9x8 grey, 1 where a pixel is brighter than its right neighbour */
    {
        float d[9 * 8];
        resample_plane(L, W, H, d, 9, 8);
        uint64_t hsh = 0;
        for (int y = 0; y < 8; y++)
            for (int x = 0; x < 8; x++)
                hsh = hsh << 1 | (uint64_t)(d[y * 9 + x] > d[y * 9 + x + 1]);
        double hv[2] = {(double)(hsh >> 32), (double)(hsh & 0xffffffffu)};
        ks_record_set_desc(r, KS_D_IMAGE_DHASH, hv, 2);
    }

    /* redundancy of the lightness picture */
    {
        unsigned char *l8 = x_malloc(npx);
        for (size_t i = 0; i < npx; i++) {
            double v = L[i] * 255.0;
            l8[i] = (unsigned char)(v < 0 ? 0 : v > 255 ? 255 : lround(v));
        }
        size_t z = ks_deflate_size(l8, npx, 1);
        r->feat[KS_F_IMAGE_DEFLATE_RATIO] = z ? (double)npx / z : NAN;
        x_free(l8);
    }

    if (thumbs) {
        int tw = W >= H ? 32 : (int)lround(32.0 * W / H), th = H >= W ? 32 : (int)lround(32.0 * H / W);
        if (tw > W) tw = W;
        if (th > H) th = H;
        if (tw < 1) tw = 1;
        if (th < 1) th = 1;
        unsigned char *t = x_malloc((size_t)tw * th * 3);
        resample_rgb(img, W, H, (size_t)W * 3, t, tw, th);
        double *tv = x_malloc(((size_t)tw * th * 3 + 2) * sizeof *tv);
        tv[0] = tw;
        tv[1] = th;
        for (size_t i = 0; i < (size_t)tw * th * 3; i++)
            tv[2 + i] = t[i];
        ks_record_set_desc(r, KS_D_IMAGE_THUMB, tv, (size_t)tw * th * 3 + 2);
        x_free(t);
        x_free(tv);
    }

    x_free(chist);
    scratch_trim();
    return 0;
}
