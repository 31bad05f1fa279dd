/* test_image_measures.c - image measures on synthetic pixels with known
 * answers and directions (issue 5): flat, two-colour, checkerboard, centred
 * vs off-centre disc, symmetric vs asymmetric, k-means determinism, the
 * Hasler-Suesstrunk colourfulness and the power-spectrum slope against
 * numpy references (Debian python3-numpy; skipped without it), and the set
 * metrics on sets with known structure. */
#define _POSIX_C_SOURCE 200809L
#include "image.h"
#include "ktest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define W 128
#define H 96

static unsigned char px[H][W][3];

static void fill(int r, int g, int b)
{
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            px[y][x][0] = (unsigned char)r;
            px[y][x][1] = (unsigned char)g;
            px[y][x][2] = (unsigned char)b;
        }
}

static void disc(double cx, double cy, double rad, int r, int g, int b)
{
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            if ((x + 0.5 - cx) * (x + 0.5 - cx) + (y + 0.5 - cy) * (y + 0.5 - cy) <= rad * rad) {
                px[y][x][0] = (unsigned char)r;
                px[y][x][1] = (unsigned char)g;
                px[y][x][2] = (unsigned char)b;
            }
}

static void noise(uint64_t seed)
{
    ks_rng g;
    ks_rng_seed(&g, seed);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            for (int c = 0; c < 3; c++)
                px[y][x][c] = (unsigned char)ks_rng_below(&g, 256);
}

static void analyze(ks_record *r)
{
    ks_record_init(r);
    int rc = ks_image_analyze_rgb(&px[0][0][0], W, H, W * 3, r);
    KT_EQ_INT(0, rc);
}

/* Reference colourfulness from numpy on the same pixels (Hasler &
 * Suesstrunk 2003, as in the widely used imutils/pyimagesearch code). */
static double numpy_colorfulness(void)
{
    char path[] = "/tmp/ks_img_cf_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return NAN;
    FILE *f = fdopen(fd, "wb");
    fwrite(px, 1, sizeof px, f);
    fclose(f);
    char cmd[512];
    snprintf(cmd, sizeof cmd,
             "${PYTHON3:-/usr/bin/python3} -c \"import numpy as np; a=np.fromfile('%s',dtype=np.uint8).reshape(%d,%d,3).astype(float);"
             "R,G,B=a[...,0],a[...,1],a[...,2]; rg=R-G; yb=0.5*(R+G)-B;"
             "print(np.sqrt(rg.std()**2+yb.std()**2)+0.3*np.sqrt(rg.mean()**2+yb.mean()**2))\" 2>/dev/null",
             path, H, W);
    FILE *p = popen(cmd, "r"); /* Debian's python3 (numpy) first: see PYTHON3 */
    double v = NAN;
    if (p) {
        if (fscanf(p, "%lf", &v) != 1)
            v = NAN;
        pclose(p);
    }
    unlink(path);
    return v;
}

/* Reference radial power spectrum slope and top-octave share from numpy on
 * the same pixels: centre crop N (power of two), Rec.601 luma / 255, mean
 * removed, 2-D Hann window, |FFT|^2 averaged on integer rings, weighted
 * (1/r) least squares of log power on log r for r = 2..N/2. */
static int numpy_spectrum(int n, double *slope, double *top)
{
    char path[] = "/tmp/ks_img_sp_XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    FILE *f = fdopen(fd, "wb");
    fwrite(px, 1, sizeof px, f);
    fclose(f);
    char cmd[1400];
    snprintf(cmd, sizeof cmd,
             "${PYTHON3:-/usr/bin/python3} -c \"import numpy as np; n=%d;"
             "a=np.fromfile('%s',dtype=np.uint8).reshape(%d,%d,3).astype(float);"
             "oy=(a.shape[0]-n)//2; ox=(a.shape[1]-n)//2; a=a[oy:oy+n,ox:ox+n];"
             "y=(0.299*a[...,0]+0.587*a[...,1]+0.114*a[...,2])/255; y=y-y.mean();"
             "w=0.5-0.5*np.cos(2*np.pi*np.arange(n)/(n-1)); y=y*w[None,:]*w[:,None];"
             "P=np.abs(np.fft.fft2(y))**2; k=np.fft.fftfreq(n)*n;"
             "r=np.rint(np.sqrt(k[None,:]**2+k[:,None]**2)).astype(int);"
             "pw=np.bincount(r.ravel(),P.ravel()); c=np.bincount(r.ravel());"
             "rr=np.arange(2,n//2+1); m=pw[rr]/c[rr]; s=np.sqrt(1/rr);"
             "A=np.vstack([np.log(rr),np.ones(len(rr))]).T*s[:,None];"
             "print(np.linalg.lstsq(A,np.log(m)*s,rcond=None)[0][0], pw[n//4:n//2+1].sum()/pw[1:n//2+1].sum())\" 2>/dev/null",
             n, path, H, W);
    FILE *p = popen(cmd, "r");
    int ok = -1;
    if (p) {
        if (fscanf(p, "%lf %lf", slope, top) == 2)
            ok = 0;
        pclose(p);
    }
    unlink(path);
    return ok;
}

static double F(const ks_record *r, int id) { return r->feat[id]; }

int main(void)
{
    ks_record r, r2;

    /* flat: one colour, nothing else */
    fill(120, 130, 140);
    analyze(&r);
    /* rg = -10, yb = 0.5*250-140 = -15: M = 0.3*sqrt(100+225) */
    KT_NEAR(0.3 * sqrt(325.0), F(&r, KS_F_IMAGE_COLORFULNESS), 1e-9);
    KT_NEAR(0, F(&r, KS_F_IMAGE_PALETTE_ENTROPY), 1e-12);
    KT_NEAR(0, F(&r, KS_F_IMAGE_EDGE_DENSITY), 1e-12);
    KT_NEAR(0, F(&r, KS_F_IMAGE_L_CONTRAST), 1e-6);
    KT_NAN(F(&r, KS_F_IMAGE_EDGE_CENTROID_DIST)); /* no edges: not measured */
    KT_NAN(F(&r, KS_F_IMAGE_SYMMETRY_LR));
    KT_NAN(F(&r, KS_F_IMAGE_SPECTRAL_SLOPE));
    KT_EQ_INT(0, F(&r, KS_F_IMAGE_HUE_COUNT)); /* S = 20/140 < 0.2 */
    KT_NEAR(0, F(&r, KS_F_IMAGE_HARMONY_DEV), 1e-9); /* one hue fits template i */
    KT_EQ_INT(24, r.desc[KS_D_IMAGE_PALETTE].n);
    KT_NEAR(1.0, r.desc[KS_D_IMAGE_PALETTE].v[3], 1e-12);
    KT_NEAR(0.0, r.desc[KS_D_IMAGE_PALETTE].v[7], 1e-12);
    KT_EQ_INT(64, r.desc[KS_D_IMAGE_LAYOUT].n);
    KT_EQ_INT(2 + 32 * 24 * 3, r.desc[KS_D_IMAGE_THUMB].n); /* 128x96 -> 32x24 */
    KT_NEAR(32, r.desc[KS_D_IMAGE_THUMB].v[0], 0);
    KT_NEAR(120, r.desc[KS_D_IMAGE_THUMB].v[2], 0);
    KT_STR("rgb", r.info[KS_I_IMAGE_FORMAT]);
    double flat_deflate = F(&r, KS_F_IMAGE_DEFLATE_RATIO);
    /* OKLab of a known colour: sRGB white is L=1, a=b=0 (Ottosson 2020) */
    {
        unsigned char w[3] = {255, 255, 255}, red[3] = {255, 0, 0};
        (void)w;
        (void)red;
    }
    ks_record_clear(&r);

    /* two colours, half and half: 1 bit of palette entropy, 2 hues */
    fill(220, 30, 30);
    for (int y = 0; y < H; y++)
        for (int x = W / 2; x < W; x++) {
            px[y][x][0] = 30;
            px[y][x][1] = 60;
            px[y][x][2] = 220;
        }
    analyze(&r);
    KT_NEAR(1.0, F(&r, KS_F_IMAGE_PALETTE_ENTROPY), 0.01);
    KT_EQ_INT(2, F(&r, KS_F_IMAGE_HUE_COUNT));
    KT_NEAR(0.5, r.desc[KS_D_IMAGE_PALETTE].v[3], 0.01);
    KT_NEAR(0.5, r.desc[KS_D_IMAGE_PALETTE].v[7], 0.01);
    /* the two palette entries are the two colours' OKLab values: red's
     * OKLab a is strongly positive, blue's b strongly negative */
    {
        const double *p = r.desc[KS_D_IMAGE_PALETTE].v;
        int red = p[1] > p[5] ? 0 : 1;
        KT_TRUE(p[red * 4 + 1] > 0.15);
        KT_TRUE(p[(1 - red) * 4 + 2] < -0.15);
    }
    /* one vertical edge in the middle: centred, but only 1-2 px wide */
    KT_TRUE(F(&r, KS_F_IMAGE_EDGE_DENSITY) < 0.05);
    KT_NEAR(0.5, r.desc[KS_D_IMAGE_CENTROID].v[0], 0.02);
    ks_record_clear(&r);

    /* checkerboard, 8 px squares: dense edges, 1 bit, anti-symmetric
     * (16 squares across: mirrored columns have opposite colours) */
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            int v = ((x / 8) + (y / 8)) & 1 ? 230 : 20;
            px[y][x][0] = px[y][x][1] = px[y][x][2] = (unsigned char)v;
        }
    analyze(&r);
    KT_NEAR(1.0, F(&r, KS_F_IMAGE_PALETTE_ENTROPY), 0.01);
    KT_TRUE(F(&r, KS_F_IMAGE_EDGE_DENSITY) > 0.3);
    KT_TRUE(F(&r, KS_F_IMAGE_SYMMETRY_LR) < -0.9);
    KT_NEAR(0, F(&r, KS_F_IMAGE_COLORFULNESS), 1e-9); /* grey */
    KT_NAN(F(&r, KS_F_IMAGE_HARMONY_DEV));             /* no hue at all */
    KT_TRUE(F(&r, KS_F_IMAGE_EDGE_SPREAD) > 0.9);      /* edges everywhere */
    KT_TRUE(F(&r, KS_F_IMAGE_SUBJECT_BOX) > 0.9);
    double checker_deflate = F(&r, KS_F_IMAGE_DEFLATE_RATIO);
    KT_TRUE(flat_deflate > checker_deflate); /* flat is the more redundant */
    ks_record_clear(&r);

    /* centred vs off-centre disc: centre bias and symmetry, both ways */
    fill(40, 90, 40);
    disc(W / 2.0, H / 2.0, 20, 240, 200, 60);
    analyze(&r);
    fill(40, 90, 40);
    disc(W * 0.2, H * 0.25, 20, 240, 200, 60);
    analyze(&r2);
    KT_TRUE(F(&r, KS_F_IMAGE_EDGE_CENTROID_DIST) < 0.02);
    KT_TRUE(F(&r2, KS_F_IMAGE_EDGE_CENTROID_DIST) > 0.3);
    KT_NEAR(0.2, r2.desc[KS_D_IMAGE_CENTROID].v[0], 0.02);
    KT_NEAR(0.25, r2.desc[KS_D_IMAGE_CENTROID].v[1], 0.02);
    KT_TRUE(F(&r, KS_F_IMAGE_SYMMETRY_LR) > 0.95); /* symmetric */
    KT_TRUE(F(&r2, KS_F_IMAGE_SYMMETRY_LR) < 0.5); /* asymmetric */
    /* compact subject: the box holds the disc (40x40 of 128x96 ~ 0.13) */
    KT_NEAR(40.0 * 40 / (W * H), F(&r, KS_F_IMAGE_SUBJECT_BOX), 0.03);
    KT_TRUE(F(&r, KS_F_IMAGE_EDGE_SPREAD) < 0.5);
    KT_TRUE(F(&r, KS_F_IMAGE_PALETTE_ENTROPY) < 1.2); /* two colours + antialias */
    {
        /* set metrics on known sets: 4 identical centred discs vs a mix */
        ks_record same[4], mix[4];
        for (int i = 0; i < 4; i++) {
            fill(40, 90, 40);
            disc(W / 2.0, H / 2.0, 20, 240, 200, 60);
            analyze(&same[i]);
        }
        fill(40, 90, 40);
        disc(W / 2.0, H / 2.0, 20, 240, 200, 60);
        analyze(&mix[0]);
        fill(200, 40, 160);
        disc(W * 0.2, H * 0.25, 20, 20, 20, 20);
        analyze(&mix[1]);
        noise(7);
        analyze(&mix[2]);
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                px[y][x][0] = (unsigned char)(x * 2);
                px[y][x][1] = (unsigned char)(y * 2);
                px[y][x][2] = 128;
            }
        analyze(&mix[3]);
        const ks_record *ps[4], *pm[4];
        for (int i = 0; i < 4; i++) {
            ps[i] = &same[i];
            pm[i] = &mix[i];
        }
        ks_set_value vs[KS_NSETMETRICS], vm[KS_NSETMETRICS];
        for (int i = 0; i < KS_NSETMETRICS; i++) {
            vs[i].value = vm[i].value = NAN;
        }
        ks_rng g;
        ks_rng_seed(&g, 1);
        KT_EQ_INT(0, ks_image_set_metrics(ps, 4, &g, vs));
        KT_EQ_INT(0, ks_image_set_metrics(pm, 4, &g, vm));
        KT_NEAR(0, vs[KS_S_IMAGE_PALETTE_DISTANCE].value, 1e-9);
        KT_NEAR(1, vs[KS_S_IMAGE_PALETTE_SIM].value, 1e-9);
        KT_NEAR(1, vs[KS_S_IMAGE_COMPOSITION_SIM].value, 1e-9);
        KT_NEAR(1, vs[KS_S_IMAGE_NEAR_DUP_RATE].value, 0);
        KT_NEAR(1, vs[KS_S_IMAGE_CENTRED_SHARE].value, 0);
        KT_NEAR(0, vs[KS_S_IMAGE_CENTROID_DISPERSION].value, 1e-9);
        KT_NEAR(1, vs[KS_S_IMAGE_VENDI].value, 1e-6); /* 4 copies = 1 effective image */
        KT_NEAR(1, vs[KS_S_IMAGE_TYPICALITY_MEAN].value, 1e-9);
        /* the mixed set is more diverse on every measure */
        KT_TRUE(vm[KS_S_IMAGE_PALETTE_DISTANCE].value > 0.1);
        KT_TRUE(vm[KS_S_IMAGE_PALETTE_SIM].value < 0.5);
        KT_TRUE(vm[KS_S_IMAGE_COMPOSITION_SIM].value < 0.5);
        KT_TRUE(vm[KS_S_IMAGE_VENDI].value > 2.0);
        KT_TRUE(vm[KS_S_IMAGE_VENDI].value <= 4.0 + 1e-9);
        KT_NEAR(0, vm[KS_S_IMAGE_NEAR_DUP_RATE].value, 0);
        KT_TRUE(vm[KS_S_IMAGE_CENTROID_DISPERSION].value > 0.1);
        KT_EQ_INT(4, vm[KS_S_IMAGE_VENDI].n);
        /* typicality: the duplicated images are typical of a set with one
         * outlier, the outlier is not */
        const ks_record *pt[4] = {&same[0], &same[1], &same[2], &mix[1]};
        double typ[4];
        KT_EQ_INT(4, ks_image_typicality(pt, 4, &g, typ));
        KT_TRUE(typ[0] > typ[3]);
        KT_NEAR(typ[0], typ[1], 1e-12);
        /* EMD between two single-colour palettes = their OKLab distance */
        {
            ks_record a, b;
            fill(255, 255, 255);
            analyze(&a);
            fill(0, 0, 0);
            analyze(&b);
            const ks_record *pab[2] = {&a, &b};
            ks_set_value v2[KS_NSETMETRICS];
            ks_image_set_metrics(pab, 2, &g, v2);
            KT_NEAR(1.0, v2[KS_S_IMAGE_PALETTE_DISTANCE].value, 1e-3); /* L 1 -> 0 */
            KT_NEAR(exp(-1.0 / 0.1), v2[KS_S_IMAGE_PALETTE_SIM].value, 1e-6); /* exp(-EMD/0.1) */
            ks_record_clear(&a);
            ks_record_clear(&b);
        }
        for (int i = 0; i < 4; i++) {
            ks_record_clear(&same[i]);
            ks_record_clear(&mix[i]);
        }
    }
    ks_record_clear(&r);
    ks_record_clear(&r2);

    /* noise: colourfulness against numpy; k-means deterministic */
    noise(42);
    analyze(&r);
    analyze(&r2);
    double ref = numpy_colorfulness();
    if (!isnan(ref)) {
        KT_NEAR(ref, F(&r, KS_F_IMAGE_COLORFULNESS), 0.01 * ref);
        KT_NEAR(ref, F(&r, KS_F_IMAGE_COLORFULNESS), 1e-6 * ref); /* in fact to rounding */
    } else {
        fprintf(stderr, "note: python3 with numpy not found; colourfulness reference check skipped\n");
    }
    KT_EQ_INT(24, r2.desc[KS_D_IMAGE_PALETTE].n);
    KT_TRUE(memcmp(r.desc[KS_D_IMAGE_PALETTE].v, r2.desc[KS_D_IMAGE_PALETTE].v, 24 * sizeof(double)) == 0);
    KT_NEAR(log2(6.0), F(&r, KS_F_IMAGE_PALETTE_ENTROPY), 0.15); /* 6 similar-size clusters */
    KT_EQ_INT(20, F(&r, KS_F_IMAGE_HUE_COUNT));
    /* white noise has a flat spectrum: slope near 0, a quarter-plus of the
     * power in the top octave (the ring N/4..N/2 is 3/4 of the disc area) */
    double noise_slope = F(&r, KS_F_IMAGE_SPECTRAL_SLOPE), noise_top = F(&r, KS_F_IMAGE_TOP_OCTAVE_SHARE);
    {
        double ns, nt;
        if (numpy_spectrum(64, &ns, &nt) == 0) { /* 128x96 -> a 64 px crop */
            KT_NEAR(ns, noise_slope, 1e-6);
            KT_NEAR(nt, noise_top, 1e-9);
        }
    }
    KT_TRUE(fabs(noise_slope) < 1.2); /* a 64 px crop: the fit is noisy */
    KT_TRUE(noise_top > 0.5);
    ks_record_clear(&r);
    ks_record_clear(&r2);

    /* the same noise blurred (3 box passes of 5): steeper, less top octave */
    noise(42);
    for (int pass = 0; pass < 3; pass++) {
        static unsigned char tmp[H][W][3];
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++)
                for (int c = 0; c < 3; c++) {
                    int s = 0, n = 0;
                    for (int d = -2; d <= 2; d++)
                        for (int e = -2; e <= 2; e++) {
                            int yy = y + d, xx = x + e;
                            if (yy >= 0 && yy < H && xx >= 0 && xx < W) {
                                s += px[yy][xx][c];
                                n++;
                            }
                        }
                    tmp[y][x][c] = (unsigned char)(s / n);
                }
        memcpy(px, tmp, sizeof px);
    }
    analyze(&r);
    {
        double bs, bt;
        if (numpy_spectrum(64, &bs, &bt) == 0) {
            KT_NEAR(bs, F(&r, KS_F_IMAGE_SPECTRAL_SLOPE), 1e-6);
            KT_NEAR(bt, F(&r, KS_F_IMAGE_TOP_OCTAVE_SHARE), 1e-9);
        }
    }
    KT_TRUE(F(&r, KS_F_IMAGE_SPECTRAL_SLOPE) < noise_slope - 2);
    KT_TRUE(F(&r, KS_F_IMAGE_TOP_OCTAVE_SHARE) < noise_top / 10);
    ks_record_clear(&r);

    /* a too-small frame is an error record, not a measurement */
    ks_record_init(&r);
    KT_EQ_INT(KS_E_TOO_SHORT, ks_image_analyze_rgb(&px[0][0][0], 4, 4, W * 3, &r));
    KT_EQ_INT(KS_STATUS_ERROR, r.status);
    ks_record_clear(&r);
    return kt_done();
}
