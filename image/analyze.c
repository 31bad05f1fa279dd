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
 * steps to float precision (libm's cbrtf was 10% of the analysis time).
 * Branch-free, so a loop over pixels vectorises (x <= 0 is selected at the
 * end). */
static inline float cbrt01(float x)
{
    uint32_t u, y_bits;
    float y;
    memcpy(&u, &x, sizeof u);
    y_bits = u / 3 + 709921077u;
    memcpy(&y, &y_bits, sizeof y);
    /* Halley steps: cubic convergence, 1e-3 -> 1e-9 relative */
    float y3 = y * y * y;
    y = y * (y3 + 2 * x) / (2 * y3 + x);
    y3 = y * y * y;
    y = y * (y3 + 2 * x) / (2 * y3 + x);
    /* 0 for x <= 0, chosen on the bits: a float compare may trap, so the
     * compiler would not turn it into a vector select */
    memcpy(&y_bits, &y, sizeof y_bits);
    y_bits &= -(uint32_t)((int32_t)u > 0);
    memcpy(&y, &y_bits, sizeof y);
    return y;
}

/* OKLab (Ottosson 2020) from 8-bit sRGB, n pixels into three planes: the
 * table look-ups and the LMS matrix in one loop, the cube roots and the
 * second matrix in a second one that vectorises. */
static void oklab_array(const unsigned char *px, size_t n, float *restrict L, float *restrict A, float *restrict B)
{
    srgb_init();
    for (size_t i = 0; i < n; i++) {
        float r = srgb_lin[px[3 * i]], g = srgb_lin[px[3 * i + 1]], bl = srgb_lin[px[3 * i + 2]];
        L[i] = 0.4122214708f * r + 0.5363325363f * g + 0.0514459929f * bl;
        A[i] = 0.2119034982f * r + 0.6806995451f * g + 0.1073969566f * bl;
        B[i] = 0.0883024619f * r + 0.2817188376f * g + 0.6299787005f * bl;
    }
    for (size_t i = 0; i < n; i++) {
        float l = cbrt01(L[i]), m = cbrt01(A[i]), s = cbrt01(B[i]);
        L[i] = 0.2104542553f * l + 0.7936177850f * m - 0.0040720468f * s;
        A[i] = 1.9779984951f * l - 2.4285922050f * m + 0.4505937099f * s;
        B[i] = 0.0259040371f * l + 0.7827717662f * m - 0.8086757660f * s;
    }
}

void ks_oklab(const unsigned char *p, float *L, float *a, float *b)
{
    oklab_array(p, 1, L, a, b);
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
    /* separable: the source rows of an output row are summed per column
     * (a loop the compiler vectorises), then each output pixel adds its
     * columns; integer sums, so the result is the direct 2-D average's */
    int *x0 = x_malloc((size_t)(dw + 1) * sizeof *x0);
    uint32_t *col = x_malloc((size_t)sw * 3 * sizeof *col);
    uint64_t rn = 0, rm = 0; /* the last area and its reciprocal */
    for (int x = 0; x <= dw; x++)
        x0[x] = (int)((long long)x * sw / dw);
    for (int y = 0; y < dh; y++) {
        int y0 = (int)((long long)y * sh / dh), y1 = (int)((long long)(y + 1) * sh / dh);
        if (y1 <= y0)
            y1 = y0 + 1;
        memset(col, 0, (size_t)sw * 3 * sizeof *col);
        for (int yy = y0; yy < y1; yy++) {
            const unsigned char *p = src + (size_t)yy * sstride;
            for (size_t i = 0; i < (size_t)sw * 3; i++)
                col[i] += p[i];
        }
        for (int x = 0; x < dw; x++) {
            int xa = x0[x], xb = x0[x + 1] > xa ? x0[x + 1] : xa + 1;
            uint64_t acc[3] = {0, 0, 0};
            for (int xx = xa; xx < xb; xx++) {
                acc[0] += col[(size_t)xx * 3];
                acc[1] += col[(size_t)xx * 3 + 1];
                acc[2] += col[(size_t)xx * 3 + 2];
            }
            uint64_t n = (uint64_t)(y1 - y0) * (uint64_t)(xb - xa);
            /* rounded division by n as a multiplication (the division was
             * the slowest line): with rm = ceil(2^32 / n), floor(a rm / 2^32)
             * is floor(a / n) for a < 256 n when n <= 4096 (Granlund &
             * Montgomery 1994: the error a (rm n - 2^32) stays below 2^32) */
            if (n != rn) {
                rn = n;
                rm = n <= 4096 ? ((UINT64_C(1) << 32) + n - 1) / n : 0;
            }
            unsigned char *q = dst + ((size_t)y * dw + x) * 3;
            for (int c = 0; c < 3; c++) {
                uint64_t v = acc[c] + n / 2;
                q[c] = (unsigned char)(rm ? (v * rm) >> 32 : v / n);
            }
        }
    }
    x_free(col);
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
    int half = n / 2, r2max = 2 * half * half, nc = half + 1;
    /* the windowed crop (n x n), then the row spectra's columns 0..n/2,
     * stored column by column (nc x n, real and imaginary parts) */
    double *re = scratch_get(((size_t)n * n + 2 * (size_t)nc * n + 2 * (size_t)n) * sizeof *re);
    double *cre = re + (size_t)n * n, *cim = cre + (size_t)nc * n, *zr = cim + (size_t)nc * n, *zi = zr + n;
    /* window, twiddles and ring table depend on n only: made once per n */
    static _Thread_local int tab_n;
    static _Thread_local double *wv, *cs, *sn;
    static _Thread_local int *ring;
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
    /* Rows: two real rows per complex FFT (z = a + i b gives
     * A[k] = (Z[k] + conj Z[n-k]) / 2, B[k] = (Z[k] - conj Z[n-k]) / 2i), and
     * only columns 0..n/2, since a real row's spectrum is conjugate
     * symmetric: half the transforms of a full complex 2-D FFT. */
    for (int y = 0; y < n; y += 2) {
        memcpy(zr, re + (size_t)y * n, (size_t)n * sizeof *zr);
        memcpy(zi, re + (size_t)(y + 1) * n, (size_t)n * sizeof *zi);
        fft(zr, zi, n, cs, sn);
        for (int k = 0; k < nc; k++) {
            int m = (n - k) & (n - 1);
            double ar = 0.5 * (zr[k] + zr[m]), ai = 0.5 * (zi[k] - zi[m]);
            double br = 0.5 * (zi[k] + zi[m]), bi = -0.5 * (zr[k] - zr[m]);
            cre[(size_t)k * n + y] = ar;
            cim[(size_t)k * n + y] = ai;
            cre[(size_t)k * n + y + 1] = br;
            cim[(size_t)k * n + y + 1] = bi;
        }
    }
    /* columns: transform each kept column along y */
    for (int k = 0; k < nc; k++)
        fft(cre + (size_t)k * n, cim + (size_t)k * n, n, cs, sn);
    /* radial average over the full spectrum: columns 1..n/2-1 stand for
     * themselves and their mirror images (-kx, -ky), equal in power */
    double *pw = x_calloc((size_t)half + 1, sizeof *pw);
    int *cnt = x_calloc((size_t)half + 1, sizeof *cnt);
    for (int k = 0; k < nc; k++) {
        int kx = k < half ? k : k - n, wgt = (k == 0 || k == half) ? 1 : 2;
        for (int y = 0; y < n; y++) {
            int ky = y < half ? y : y - n;
            int r = ring[kx * kx + ky * ky];
            if (r < 1 || r > half)
                continue;
            const double a = cre[(size_t)k * n + y], b = cim[(size_t)k * n + y];
            pw[r] += wgt * (a * a + b * b);
            cnt[r] += wgt;
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
    /* one short loop per quantity, each summing in pixel order: the single
     * fused loop kept its sums on the stack and divided by W per pixel */
    oklab_array(img, npx, L, A, B);
    for (size_t i = 0; i < npx; i++) {
        const unsigned char *p = img + i * 3;
        int64_t rg = (int64_t)p[0] - p[1], yb2 = (int64_t)p[0] + p[1] - 2 * (int64_t)p[2];
        srg += rg; srg2 += rg * rg; syb += yb2; syb2 += yb2 * yb2;
    }
    for (size_t i0 = 0; i0 < npx; i0 += 512) {
        /* chroma of a block of pixels first (vectorised square roots),
         * then the in-order sums and the histogram */
        double cblk[512];
        size_t nb = npx - i0 < 512 ? npx - i0 : 512;
        for (size_t j = 0; j < nb; j++)
            cblk[j] = sqrt((double)A[i0 + j] * A[i0 + j] + (double)B[i0 + j] * B[i0 + j]);
        for (size_t j = 0; j < nb; j++) {
            size_t i = i0 + j;
            double C = cblk[j];
            csum += C;
            int cb = (int)(C / 0.5 * CB);
            chist[cb < CB ? cb : CB - 1]++;
            lsum += L[i]; lsum2 += (double)L[i] * L[i];
        }
    }
    for (int y = 0; y < H; y += hstep)
        for (int x = 0; x < W; x += hstep) {
            double hh, s, v;
            hsv(img + ((size_t)y * W + x) * 3, &hh, &s, &v);
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
    /* pixel centres in [0,1], per column and row: no division per pixel */
    double *ux = x_malloc(((size_t)W + (size_t)H) * sizeof *ux), *vy = ux + W;
    for (int x = 0; x < W; x++)
        ux[x] = (x + 0.5) / W;
    for (int y = 0; y < H; y++)
        vy[y] = (y + 0.5) / H;
    double *mrow = x_malloc((size_t)W * sizeof *mrow);
    for (int y = 1; y < H - 1; y++) {
        /* the gradients of a row first (a loop that vectorises), then the
         * sums, which must add in order */
        for (int x = 1; x < W - 1; x++) {
            const float *p = L + (size_t)y * W + x;
            double gx = (p[-W + 1] + 2 * p[1] + p[W + 1]) - (p[-W - 1] + 2 * p[-1] + p[W - 1]);
            double gy = (p[W - 1] + 2 * p[W] + p[W + 1]) - (p[-W - 1] + 2 * p[-W] + p[-W + 1]);
            mrow[x] = sqrt(gx * gx + gy * gy) / 4;
            E[(size_t)y * W + x] = (float)mrow[x];
        }
        double erow = 0;
        for (int x = 1; x < W - 1; x++) {
            double m = mrow[x];
            nedge += m > EDGE_THRESHOLD;
            esum += m;
            ex += m * ux[x];
            erow += m;
        }
        ey += erow * vy[y];
    }
    x_free(mrow);
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
        for (int y = 1; y < H - 1; y++) {
            /* the row's energy in a local sum (py[y] in memory made each
             * addition wait for the last); zeros add exactly nothing */
            double v = vy[y], dv = (v - cy) * (v - cy), prow = 0;
            for (int x = 1; x < W - 1; x++) {
                double m = E[(size_t)y * W + x], u = ux[x];
                sp += m * ((u - cx) * (u - cx) + dv);
                px[x] += m;
                prow += m;
                if (tx[x] && ty[y])
                    th += m;
            }
            py[y] += prow;
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
    x_free(ux);

    /* 4x4 layout grid */
    {
        double grid[64] = {0};
        int gc[16] = {0};
        /* column x is in grid column x * 4 / W: the first x of each */
        int xs[5];
        for (int c = 0; c <= 4; c++)
            xs[c] = (int)(((long long)c * W + 3) / 4);
        for (int y = 0; y < H; y++)
            for (int c = 0; c < 4; c++) {
                /* one row's run of a cell summed locally, then added */
                int cell = (y * 4 / H) * 4 + c;
                double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                for (int x = xs[c]; x < xs[c + 1]; x++) {
                    size_t i = (size_t)y * W + x;
                    s0 += L[i];
                    s1 += A[i];
                    s2 += B[i];
                    s3 += E[i];
                }
                grid[cell * 4 + 0] += s0;
                grid[cell * 4 + 1] += s1;
                grid[cell * 4 + 2] += s2;
                grid[cell * 4 + 3] += s3;
                gc[cell] += xs[c + 1] - xs[c];
            }
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
        for (size_t i = 0; i < npx; i++)
            l8[i] = ks_u8_round(L[i] * 255.0);
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
