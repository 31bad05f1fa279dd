/* measure.c - per-frame measurements on the small RGB working frame: the HSV
 * content score for hard cuts, a 16x9 thumbnail for gradual transitions, mean
 * luma for fades, and global motion by phase correlation on 64x32 luma. */
#include "vinternal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KS_PI 3.14159265358979323846
/* fixed-point shift of OpenCV's HSV conversion */
#define HSV_SHIFT 12

void ks_vtrack_init(ks_vtrack *k) { memset(k, 0, sizeof *k); }

void ks_vtrack_free(ks_vtrack *k)
{
    if (!k) return;
    x_free(k->t); x_free(k->content); x_free(k->luma_mean); x_free(k->energy);
    x_free(k->dx); x_free(k->dy); x_free(k->zoom); x_free(k->peak); x_free(k->tiny);
    memset(k, 0, sizeof *k);
}

static void track_grow(ks_vtrack *k)
{
    if (k->n < k->cap) return;
    size_t c = k->cap ? k->cap * 2 : 1024;
    k->t = x_realloc(k->t, c * sizeof *k->t);
    k->content = x_realloc(k->content, c * sizeof *k->content);
    k->luma_mean = x_realloc(k->luma_mean, c * sizeof *k->luma_mean);
    k->energy = x_realloc(k->energy, c * sizeof *k->energy);
    k->dx = x_realloc(k->dx, c * sizeof *k->dx);
    k->dy = x_realloc(k->dy, c * sizeof *k->dy);
    k->zoom = x_realloc(k->zoom, c * sizeof *k->zoom);
    k->peak = x_realloc(k->peak, c * sizeof *k->peak);
    k->tiny = x_realloc(k->tiny, c * KS_TINY_N);
    k->cap = c;
}

/* ---- FFT (iterative radix 2) ---- */
void ks_vfft(double *re, double *im, size_t n, int inverse)
{
    for (size_t i = 1, j = 0; i < n; i++) {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) {
            double t = re[i]; re[i] = re[j]; re[j] = t;
            t = im[i]; im[i] = im[j]; im[j] = t;
        }
    }
    /* twiddles for n <= 64 (the only sizes used), computed once */
    static double tw_c[64], tw_s[64];
    static int tw_ready;
    if (!tw_ready) {
        for (int i = 0; i < 64; i++) { tw_c[i] = cos(2 * KS_PI * i / 64.0); tw_s[i] = sin(2 * KS_PI * i / 64.0); }
        tw_ready = 1;
    }
    for (size_t len = 2; len <= n; len <<= 1) {
        size_t step = 64 / len;
        for (size_t i = 0; i < n; i += len) {
            for (size_t j = 0; j < len / 2; j++) {
                double cr, ci;
                if (n <= 64) { cr = tw_c[j * step]; ci = (inverse ? 1 : -1) * tw_s[j * step]; }
                else { double ang = 2 * KS_PI * (double)j / (double)len; cr = cos(ang); ci = (inverse ? 1 : -1) * sin(ang); }
                size_t a = i + j, b = i + j + len / 2;
                double xr = re[b] * cr - im[b] * ci, xi = re[b] * ci + im[b] * cr;
                re[b] = re[a] - xr; im[b] = im[a] - xi;
                re[a] += xr; im[a] += xi;
            }
        }
    }
    if (inverse)
        for (size_t i = 0; i < n; i++) { re[i] /= (double)n; im[i] /= (double)n; }
}

/* 2-D FFT of a w x h block (row-major), w and h powers of two. */
static void fft2(double *re, double *im, int w, int h, int inverse, double *tr, double *ti)
{
    for (int y = 0; y < h; y++) ks_vfft(re + (size_t)y * w, im + (size_t)y * w, (size_t)w, inverse);
    for (int x = 0; x < w; x++) {
        for (int y = 0; y < h; y++) { tr[y] = re[(size_t)y * w + x]; ti[y] = im[(size_t)y * w + x]; }
        ks_vfft(tr, ti, (size_t)h, inverse);
        for (int y = 0; y < h; y++) { re[(size_t)y * w + x] = tr[y]; im[(size_t)y * w + x] = ti[y]; }
    }
}

/* Phase-correlation block: keeps the previous frame's spectrum. */
typedef struct pc_block {
    int w, h;
    double *pr, *pi;     /* previous spectrum */
    double *cr, *ci;     /* current spectrum */
    double *win;         /* Hann window */
    int have_prev;
} pc_block;

static void pc_init(pc_block *b, int w, int h)
{
    b->w = w; b->h = h;
    size_t n = (size_t)w * h;
    b->pr = x_calloc(n, sizeof(double)); b->pi = x_calloc(n, sizeof(double));
    b->cr = x_calloc(n, sizeof(double)); b->ci = x_calloc(n, sizeof(double));
    b->win = x_malloc(n * sizeof(double));
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            b->win[(size_t)y * w + x] = (0.5 - 0.5 * cos(2 * KS_PI * (x + 0.5) / w)) *
                                        (0.5 - 0.5 * cos(2 * KS_PI * (y + 0.5) / h));
    b->have_prev = 0;
}

static void pc_free(pc_block *b)
{
    x_free(b->pr); x_free(b->pi); x_free(b->cr); x_free(b->ci); x_free(b->win);
}

/* Sub-pixel offset of a phase-correlation peak from its value c0 and its
 * neighbours cm (at -1) and cp (at +1): Foroosh, Zerubia & Berthod 2002
 * (the correlation of a shifted image is a sampled sinc, so the offset is
 * c1 / (c1 + c0) towards the larger neighbour c1). A parabola fit would be
 * biased towards whole pixels. */
static double subpix(double cm, double c0, double cp)
{
    double c1 = cp > cm ? cp : cm, s = cp > cm ? 1.0 : -1.0;
    if (!(c1 > 0) || !(c0 > 0)) return 0;
    return s * c1 / (c1 + c0);
}

/* Load block (x0,y0,w,h) of a luma plane (stride ls), window it, transform,
 * and correlate with the previous one. Returns 1 with the shift of the
 * content (current relative to previous, pixels) and the peak height, 0 if
 * there was no previous frame. */
static int pc_do(pc_block *b, const float *luma, int ls, int x0, int y0,
                 double *sx, double *sy, double *peak, double *tr, double *ti)
{
    int w = b->w, h = b->h;
    size_t n = (size_t)w * h;
    double mean = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) mean += luma[(size_t)(y0 + y) * ls + x0 + x];
    mean /= (double)n;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            size_t i = (size_t)y * w + x;
            b->cr[i] = (luma[(size_t)(y0 + y) * ls + x0 + x] - mean) * b->win[i];
            b->ci[i] = 0;
        }
    fft2(b->cr, b->ci, w, h, 0, tr, ti);
    int ok = b->have_prev;
    if (ok) {
        /* Cross-power spectrum prev * conj(cur), normalised: the inverse
         * transform peaks at the displacement of prev relative to cur. */
        double *xr = x_malloc(n * sizeof(double)), *xi = x_malloc(n * sizeof(double));
        for (size_t i = 0; i < n; i++) {
            double re = b->pr[i] * b->cr[i] + b->pi[i] * b->ci[i];
            double im = b->pi[i] * b->cr[i] - b->pr[i] * b->ci[i];
            double m = sqrt(re * re + im * im);
            if (m > 1e-9) { xr[i] = re / m; xi[i] = im / m; } else { xr[i] = 0; xi[i] = 0; }
        }
        fft2(xr, xi, w, h, 1, tr, ti);
        size_t best = 0;
        for (size_t i = 1; i < n; i++) if (xr[i] > xr[best]) best = i;
        int bx = (int)(best % (size_t)w), by = (int)(best / (size_t)w);
        double ox = subpix(xr[(size_t)by * w + (bx + w - 1) % w], xr[best], xr[(size_t)by * w + (bx + 1) % w]);
        double oy = subpix(xr[(size_t)((by + h - 1) % h) * w + bx], xr[best], xr[(size_t)((by + 1) % h) * w + bx]);
        double px = bx + ox, py = by + oy;
        if (px > w / 2.0) px -= w;
        if (py > h / 2.0) py -= h;
        /* peak at +d means prev(x) ~ cur(x - d)... i.e. prev is cur shifted
         * by d; the content moved by -d from prev to cur. */
        *sx = -px; *sy = -py;
        *peak = xr[best];
        x_free(xr); x_free(xi);
    }
    double *t;
    t = b->pr; b->pr = b->cr; b->cr = t;
    t = b->pi; b->pi = b->ci; b->ci = t;
    b->have_prev = 1;
    return ok;
}

struct ks_vmeasure {
    int w, h;
    unsigned char *hsv, *prev_hsv;  /* 3 planes of w*h */
    int have_prev;
    float *luma, *prev_luma;        /* KS_LUMA_W x KS_LUMA_H */
    int *colbin_l, *rowbin_l, *colbin_t, *rowbin_t;
    int colstart_l[KS_LUMA_W + 1], colstart_t[KS_TINY_W + 1]; /* first column of each bin */
    float *cnt_l, *cnt_t;
    pc_block whole, quad[4];
    int sdiv[256], hdiv[256];       /* OpenCV's HSV division tables */
    int *yrow;                      /* luma x 256 of one row */
    uint32_t *lsum, *tsum;          /* bin sums: luma, tiny RGB */
    double *tr, *ti;
};

static void make_bins(int *bin, int src, int dst)
{
    for (int i = 0; i < src; i++) {
        int b = (int)((int64_t)i * dst / src);
        bin[i] = b < dst ? b : dst - 1;
    }
}

ks_vmeasure *ks_vmeasure_new(int w, int h)
{
    ks_vmeasure *m = x_calloc(1, sizeof *m);
    m->w = w; m->h = h;
    size_t n = (size_t)w * h;
    m->hsv = x_malloc(3 * n);
    m->prev_hsv = x_malloc(3 * n);
    m->luma = x_calloc(KS_LUMA_W * KS_LUMA_H, sizeof(float));
    m->prev_luma = x_calloc(KS_LUMA_W * KS_LUMA_H, sizeof(float));
    m->colbin_l = x_malloc((size_t)w * sizeof(int)); m->rowbin_l = x_malloc((size_t)h * sizeof(int));
    m->colbin_t = x_malloc((size_t)w * sizeof(int)); m->rowbin_t = x_malloc((size_t)h * sizeof(int));
    make_bins(m->colbin_l, w, KS_LUMA_W); make_bins(m->rowbin_l, h, KS_LUMA_H);
    make_bins(m->colbin_t, w, KS_TINY_W); make_bins(m->rowbin_t, h, KS_TINY_H);
    for (int b = 0, x = 0; b <= KS_LUMA_W; b++) {
        while (x < w && m->colbin_l[x] < b) x++;
        m->colstart_l[b] = x;
    }
    for (int b = 0, x = 0; b <= KS_TINY_W; b++) {
        while (x < w && m->colbin_t[x] < b) x++;
        m->colstart_t[b] = x;
    }
    m->cnt_l = x_calloc(KS_LUMA_W * KS_LUMA_H, sizeof(float));
    m->cnt_t = x_calloc(KS_TINY_W * KS_TINY_H, sizeof(float));
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            m->cnt_l[m->rowbin_l[y] * KS_LUMA_W + m->colbin_l[x]] += 1;
            m->cnt_t[m->rowbin_t[y] * KS_TINY_W + m->colbin_t[x]] += 1;
        }
    m->yrow = x_malloc((size_t)w * sizeof(int));
    m->lsum = x_malloc(KS_LUMA_W * KS_LUMA_H * sizeof(uint32_t));
    m->tsum = x_malloc(KS_TINY_W * KS_TINY_H * 3 * sizeof(uint32_t));
    /* OpenCV RGB2HSV_b: sdiv = round((255 << 12) / v), hdiv = round((180 << 12) / (6 d)) */
    m->sdiv[0] = m->hdiv[0] = 0;
    for (int i = 1; i < 256; i++) {
        m->sdiv[i] = (int)lrint((255 << HSV_SHIFT) / (double)i);
        m->hdiv[i] = (int)lrint((180 << HSV_SHIFT) / (6.0 * i));
    }
    pc_init(&m->whole, KS_LUMA_W, KS_LUMA_H);
    for (int q = 0; q < 4; q++) pc_init(&m->quad[q], KS_LUMA_W / 2, KS_LUMA_H / 2);
    m->tr = x_malloc(KS_LUMA_W * sizeof(double));
    m->ti = x_malloc(KS_LUMA_W * sizeof(double));
    return m;
}

void ks_vmeasure_del(ks_vmeasure *m)
{
    if (!m) return;
    x_free(m->hsv); x_free(m->prev_hsv);
    x_free(m->luma); x_free(m->prev_luma);
    x_free(m->colbin_l); x_free(m->rowbin_l); x_free(m->colbin_t); x_free(m->rowbin_t);
    x_free(m->cnt_l); x_free(m->cnt_t);
    x_free(m->yrow); x_free(m->lsum); x_free(m->tsum);
    pc_free(&m->whole);
    for (int q = 0; q < 4; q++) pc_free(&m->quad[q]);
    x_free(m->tr); x_free(m->ti);
    x_free(m);
}

/* One row of OpenCV's 8-bit RGB -> HSV (cvtColor, H in 0..179), as
 * PySceneDetect's ContentDetector computes it: OpenCV's integer formula and
 * division tables, so content scores are its own; branch-free. Also the
 * BT.601 luma x 256 of each pixel. */
static void hsv_row(const unsigned char *restrict p, int w, const int *restrict sdiv,
                    const int *restrict hdiv, unsigned char *restrict H, unsigned char *restrict S,
                    unsigned char *restrict V, int *restrict Y)
{
    for (int x = 0; x < w; x++, p += 3) {
        int r = p[0], g = p[1], b = p[2];
        int v = r > g ? r : g;
        v = v > b ? v : b;
        int vmin = r < g ? r : g;
        vmin = vmin < b ? vmin : b;
        int diff = v - vmin;
        int vr = v == r ? -1 : 0, vg = v == g ? -1 : 0;
        int s = (diff * sdiv[v] + (1 << (HSV_SHIFT - 1))) >> HSV_SHIFT;
        int h = (vr & (g - b)) + (~vr & ((vg & (b - r + 2 * diff)) + (~vg & (r - g + 4 * diff))));
        h = (h * hdiv[diff] + (1 << (HSV_SHIFT - 1))) >> HSV_SHIFT;
        h += h < 0 ? 180 : 0;
        H[x] = (unsigned char)h;
        S[x] = (unsigned char)s;
        V[x] = (unsigned char)v;
        Y[x] = 77 * r + 150 * g + 29 * b;
    }
}

/* Sum of |a - b| over n bytes (a SAD loop compilers vectorise). */
static uint64_t sad_u8(const unsigned char *restrict a, const unsigned char *restrict b, size_t n)
{
    uint64_t total = 0;
    while (n) {
        /* 32-bit partial sums: at most 255 x 2^24 per block */
        size_t m = n < (1u << 24) ? n : (1u << 24);
        uint32_t acc = 0;
        for (size_t i = 0; i < m; i++) acc += (uint32_t)abs((int)a[i] - (int)b[i]);
        total += acc;
        a += m; b += m; n -= m;
    }
    return total;
}

void ks_vmeasure_do(ks_vmeasure *m, const unsigned char *rgb, int stride, double t, ks_vtrack *k)
{
    int w = m->w, h = m->h;
    size_t n = (size_t)w * h;
    unsigned char *H = m->hsv, *S = m->hsv + n, *V = m->hsv + 2 * n;
    uint64_t ysum = 0;
    float *lacc = m->luma;
    uint32_t *lsum = m->lsum, *tsum = m->tsum;
    int *yrow = m->yrow;
    memset(lsum, 0, KS_LUMA_W * KS_LUMA_H * sizeof *lsum);
    memset(tsum, 0, KS_TINY_W * KS_TINY_H * 3 * sizeof *tsum);
    for (int y = 0; y < h; y++) {
        const unsigned char *p = rgb + (size_t)y * stride;
        size_t row = (size_t)y * w;
        hsv_row(p, w, m->sdiv, m->hdiv, H + row, S + row, V + row, yrow);
        uint32_t *ls = lsum + m->rowbin_l[y] * KS_LUMA_W, *ts = tsum + 3 * m->rowbin_t[y] * KS_TINY_W;
        /* bins are runs of columns: sum each run in registers */
        for (int b = 0; b < KS_LUMA_W; b++) {
            uint32_t q = 0;
            for (int x = m->colstart_l[b]; x < m->colstart_l[b + 1]; x++) q += (uint32_t)yrow[x];
            ls[b] += q;
            ysum += q;
        }
        for (int b = 0; b < KS_TINY_W; b++) {
            uint32_t q0 = 0, q1 = 0, q2 = 0;
            for (int x = m->colstart_t[b]; x < m->colstart_t[b + 1]; x++) {
                q0 += p[3 * x]; q1 += p[3 * x + 1]; q2 += p[3 * x + 2];
            }
            ts[3 * b] += q0; ts[3 * b + 1] += q1; ts[3 * b + 2] += q2;
        }
    }
    for (int i = 0; i < KS_LUMA_W * KS_LUMA_H; i++) lacc[i] = (float)lsum[i] / 256.0f / m->cnt_l[i];

    track_grow(k);
    size_t j = k->n;
    k->t[j] = t;
    k->luma_mean[j] = (float)((double)ysum / 256.0 / (double)n);
    unsigned char *tiny = k->tiny + j * KS_TINY_N;
    for (int i = 0; i < KS_TINY_W * KS_TINY_H; i++)
        for (int c = 0; c < 3; c++) {
            double v = tsum[3 * i + c] / m->cnt_t[i];
            tiny[3 * i + c] = (unsigned char)(v + 0.5);
        }
    if (m->have_prev) {
        /* PySceneDetect ContentDetector: mean absolute difference of each
         * HSV channel between consecutive frames, averaged over channels. */
        uint64_t sad = sad_u8(m->prev_hsv, m->hsv, 3 * n);
        k->content[j] = (float)((double)sad / (3.0 * (double)n));
        double e = 0;
        for (int i = 0; i < KS_LUMA_W * KS_LUMA_H; i++) e += fabs(lacc[i] - m->prev_luma[i]);
        k->energy[j] = (float)(e / (KS_LUMA_W * KS_LUMA_H));
    } else {
        k->content[j] = NAN;
        k->energy[j] = NAN;
    }
    double sx = 0, sy = 0, pk = 0;
    if (pc_do(&m->whole, lacc, KS_LUMA_W, 0, 0, &sx, &sy, &pk, m->tr, m->ti)) {
        k->dx[j] = (float)(sx / KS_LUMA_W);
        k->dy[j] = (float)(sy / KS_LUMA_H);
        k->peak[j] = (float)pk;
        double qx[4], qy[4], qp;
        int qw = KS_LUMA_W / 2, qh = KS_LUMA_H / 2;
        for (int q = 0; q < 4; q++)
            pc_do(&m->quad[q], lacc, KS_LUMA_W, (q & 1) * qw, (q >> 1) * qh, &qx[q], &qy[q], &qp, m->tr, m->ti);
        /* A zoom by factor s moves a point at offset p from the centre by
         * (s-1)p: quadrant centres sit at +-qw/2, +-qh/2. */
        double zx = ((qx[1] + qx[3]) - (qx[0] + qx[2])) / 2.0 / qw;
        double zy = ((qy[2] + qy[3]) - (qy[0] + qy[1])) / 2.0 / qh;
        k->zoom[j] = (float)((zx + zy) / 2.0);
    } else {
        for (int q = 0; q < 4; q++) {
            double a, b, c;
            pc_do(&m->quad[q], lacc, KS_LUMA_W, (q & 1) * (KS_LUMA_W / 2), (q >> 1) * (KS_LUMA_H / 2), &a, &b, &c, m->tr, m->ti);
        }
        k->dx[j] = k->dy[j] = k->zoom[j] = k->peak[j] = NAN;
    }
    k->n++;
    unsigned char *tmp = m->prev_hsv; m->prev_hsv = m->hsv; m->hsv = tmp;
    float *tl = m->prev_luma; m->prev_luma = m->luma; m->luma = tl;
    m->have_prev = 1;
}
