/* shots.c - shot-boundary detection on a per-frame track: hard cuts, dissolves
 * and fades to/from black.
 *
 * Hard cuts: PySceneDetect's ContentDetector score (mean absolute HSV
 * difference of consecutive frames, threshold 27) combined with the
 * AdaptiveDetector ratio of that score to its +-2 neighbours (threshold 3,
 * minimum score 15) (Castellano, PySceneDetect documentation).
 * Dissolves: twin-threshold comparison (Zhang, Kankanhalli & Smoliar 1993,
 * "Automatic partitioning of full-motion video") on 16x9 thumbnails, with an
 * endpoint check: the first and last frames of the run must differ, the
 * frames between must lie on the straight line between them (a cross-fade is
 * a per-pixel linear blend), which rejects camera motion.
 * Fades: a blend whose run touches a frame darker than PySceneDetect
 * ThresholdDetector's level 12 (mean 0..255). */
#include "vinternal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ContentDetector / AdaptiveDetector defaults (PySceneDetect 0.6). */
#define CUT_CONTENT 27.0
#define CUT_ADAPT_MIN 15.0
#define CUT_ADAPT_RATIO 3.0
#define BLACK_LEVEL 12.0
/* Minimum spacing of two boundaries, seconds (PySceneDetect: 15 frames at
 * 30 fps = 0.5 s). */
#define MIN_SHOT_S 0.4

static double tiny_dist(const unsigned char *a, const unsigned char *b)
{
    int s = 0;
    for (int i = 0; i < KS_TINY_N; i++) s += abs((int)a[i] - (int)b[i]);
    return (double)s / KS_TINY_N;
}

/* Mean residual of the frames strictly between a and b from the straight line
 * a + alpha (b - a) (alpha fitted per frame), relative to |b - a|. A
 * cross-fade scores near 0, camera motion near 0.5 or more. */
static double blend_residual(const unsigned char *tiny, size_t a, size_t b)
{
    const unsigned char *A = tiny + a * KS_TINY_N, *B = tiny + b * KS_TINY_N;
    double dd = 0, dist = 0;
    for (int i = 0; i < KS_TINY_N; i++) {
        double d = (double)B[i] - A[i];
        dd += d * d;
        dist += fabs(d);
    }
    if (dd <= 0 || b <= a + 1) return NAN;
    double res = 0;
    size_t cnt = 0;
    for (size_t k = a + 1; k < b; k++) {
        const unsigned char *F = tiny + k * KS_TINY_N;
        double num = 0;
        for (int i = 0; i < KS_TINY_N; i++) num += ((double)F[i] - A[i]) * ((double)B[i] - A[i]);
        double al = num / dd;
        if (al < 0) al = 0;
        if (al > 1) al = 1;
        double r = 0;
        for (int i = 0; i < KS_TINY_N; i++) r += fabs((double)F[i] - (A[i] + al * ((double)B[i] - A[i])));
        res += r;
        cnt++;
    }
    return (res / (double)cnt) / dist;
}

/* Smallest mean distance between B and A shifted by up to +-2 x +-1 tiny
 * pixels (over the overlap). */
static double shifted_dist(const unsigned char *A, const unsigned char *B)
{
    double best = INFINITY;
    for (int sy = -1; sy <= 1; sy++)
        for (int sx = -2; sx <= 2; sx++) {
            if (!sx && !sy) continue;
            double acc = 0;
            int cnt = 0;
            for (int y = 0; y < KS_TINY_H; y++) {
                int ya = y + sy;
                if (ya < 0 || ya >= KS_TINY_H) continue;
                for (int x = 0; x < KS_TINY_W; x++) {
                    int xa = x + sx;
                    if (xa < 0 || xa >= KS_TINY_W) continue;
                    for (int c = 0; c < 3; c++)
                        acc += abs((int)A[(ya * KS_TINY_W + xa) * 3 + c] - (int)B[(y * KS_TINY_W + x) * 3 + c]);
                    cnt += 3;
                }
            }
            if (cnt && acc / cnt < best) best = acc / cnt;
        }
    return best;
}

/* Is frames s..e (s = last frame of the old picture, e = first of the new)
 * a linear blend? Returns the endpoint distance E, or -1. Checks: no single
 * jump dominates (that is a cut); the endpoints differ (E >= 12 on 0..255)
 * and the path is straight (E >= half the summed steps); every frame between
 * is close to a mix of the endpoints; for a dissolve (not a fade) the
 * endpoints differ in structure, not only in brightness (exposure change). */
static double blend_check(const ks_vtrack *k, const double *d, size_t s, size_t e, int fade)
{
    if (e < s + 2) return -1;
    double sum = 0, mx = 0;
    for (size_t q = s + 1; q <= e; q++) { sum += d[q]; if (d[q] > mx) mx = d[q]; }
    if (mx >= 0.5 * sum) return -1;
    const unsigned char *A = k->tiny + s * KS_TINY_N, *B = k->tiny + e * KS_TINY_N;
    double E = tiny_dist(A, B);
    if (E < 12.0 || E < 0.5 * sum) return -1;
    double res = blend_residual(k->tiny, s, e);
    if (!(res < 0.3)) return -1;
    /* A pan over a smooth picture (sky, gradient) also changes every pixel
     * linearly: if shifting the first frame by a pixel or two explains the
     * last one, it is motion, not a blend. */
    if (shifted_dist(A, B) < 0.5 * E) return -1;
    if (!fade) {
        double ma[3] = { 0, 0, 0 }, mb[3] = { 0, 0, 0 }, st = 0;
        for (int i = 0; i < KS_TINY_N; i++) { ma[i % 3] += A[i]; mb[i % 3] += B[i]; }
        for (int c = 0; c < 3; c++) { ma[c] /= KS_TINY_W * KS_TINY_H; mb[c] /= KS_TINY_W * KS_TINY_H; }
        for (int i = 0; i < KS_TINY_N; i++) st += fabs((B[i] - mb[i % 3]) - (A[i] - ma[i % 3]));
        if (st / KS_TINY_N < 8.0) return -1;
    }
    return E;
}

static int cmp_trans(const void *a, const void *b)
{
    const ks_vtrans *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

static double median_of(const double *v, size_t n, double *scratch)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) if (!isnan(v[i])) scratch[m++] = v[i];
    if (!m) return NAN;
    return ks_median(scratch, m);
}

size_t ks_vshots_detect(const ks_vtrack *k, double fps, ks_vtrans **out)
{
    size_t n = k->n, nt = 0, cap = 16;
    ks_vtrans *tr = x_malloc(cap * sizeof *tr);
    *out = NULL;
    if (n < 3) { x_free(tr); return 0; }
    if (!(fps > 0)) {
        double span = k->t[n - 1] - k->t[0];
        fps = span > 0 ? (double)(n - 1) / span : 25.0;
    }
    double *d = x_malloc(n * sizeof *d);
    double *tl = x_malloc(n * sizeof *tl);
    double *scratch = x_malloc(n * sizeof *scratch);
    unsigned char *is_grad = x_calloc(n, 1);
    d[0] = NAN;
    for (size_t i = 1; i < n; i++) d[i] = tiny_dist(k->tiny + (i - 1) * KS_TINY_N, k->tiny + i * KS_TINY_N);

    /* Low threshold of the twin-threshold scheme: above the local level of
     * frame-to-frame change (camera motion, noise), so it adapts to the frame
     * rate: at 8 fps the same motion moves 3x more per frame. */
    size_t W = (size_t)(2.0 * fps + 0.5);
    if (W < 8) W = 8;
    for (size_t i = 0; i < n; i++) {
        size_t lo = i > W ? i - W : 0, hi = i + W + 1 < n ? i + W + 1 : n;
        double med = median_of(d + lo, hi - lo, scratch);
        double t = 3.0 * (isnan(med) ? 0 : med);
        tl[i] = t > 1.5 ? t : 1.5;
    }

    /* ---- gradual transitions: runs above the low threshold ---- */
    for (size_t i = 1; i < n;) {
        if (!(d[i] > tl[i])) { i++; continue; }
        size_t a = i, b = i;
        size_t j = i + 1;
        while (j < n) {
            if (d[j] > tl[j]) { b = j; j++; continue; }
            /* tolerate one quiet frame inside (duplicated frames). */
            if (j + 1 < n && d[j + 1] > tl[j + 1]) { j++; continue; }
            break;
        }
        i = b + 1;
        size_t len = b - a + 1;
        if (len < 3 || (double)len > 4.0 * fps) continue;
        size_t s0 = a - 1, e0 = b;
        double E = blend_check(k, d, s0, e0, 0);
        int kind = KS_TR_DISSOLVE;
        if (E >= 0) {
            /* A slow dissolve over a still picture changes the thumbnail by
             * about the same small step every frame, and the low threshold
             * only catches the steepest part of it (testvideo.mp4 frames
             * 529-558: steps of 1.3-1.6 against a floor of 1.5, found as
             * 529-537). Follow the steady change on both sides while it stays
             * above half the low threshold, and keep the longer run if it is
             * still one straight blend. The steps must stay like the run's
             * own: at least half its median step (camera motion after the
             * blend is smaller), at most its largest (a cut next to it). */
            double big = 0, med;
            size_t nr = 0;
            for (size_t q = s0 + 1; q <= e0; q++) { scratch[nr++] = d[q]; if (d[q] > big) big = d[q]; }
            med = ks_median(scratch, nr);
            size_t s1 = s0, e1 = e0;
#define STEADY(q) (d[q] > 0.5 * tl[q] && d[q] >= 0.5 * med && d[q] <= big)
            while (s1 > 0 && STEADY(s1) && !is_grad[s1 - 1]) s1--;
            while (e1 + 1 < n && STEADY(e1 + 1)) e1++;
#undef STEADY
            if ((s1 < s0 || e1 > e0) && (double)(e1 - s1) <= 4.0 * fps) {
                double E1 = blend_check(k, d, s1, e1, 0);
                if (E1 >= 0) { s0 = s1; e0 = e1; E = E1; i = e1 + 1; }
            }
        }
        if (E < 0) {
            /* fade out and in through a dark frame: A -> black -> B is two
             * blends, split at the darkest frame */
            size_t m = s0;
            for (size_t q = s0; q <= e0; q++) if (k->luma_mean[q] < k->luma_mean[m]) m = q;
            double lo_end = k->luma_mean[s0] < k->luma_mean[e0] ? k->luma_mean[s0] : k->luma_mean[e0];
            if (m > s0 && m < e0 && (k->luma_mean[m] < BLACK_LEVEL || k->luma_mean[m] < 0.35 * lo_end)) {
                double e1 = blend_check(k, d, s0, m, 1), e2 = blend_check(k, d, m, e0, 1);
                if (e1 >= 0 && e2 >= 0) { E = e1 > e2 ? e1 : e2; kind = KS_TR_FADE; }
                else if (e1 >= 0) { E = e1; e0 = m; kind = KS_TR_FADE; }
                else if (e2 >= 0) { E = e2; s0 = m; kind = KS_TR_FADE; }
            }
        }
        if (E < 0) continue;
        for (size_t q = s0; q <= e0; q++) if (k->luma_mean[q] < BLACK_LEVEL) kind = KS_TR_FADE;
        if (kind == KS_TR_FADE) {
            /* which side is black: the darkest frame at an end of the run */
            size_t m = s0;
            for (size_t q = s0; q <= e0; q++) if (k->luma_mean[q] < k->luma_mean[m]) m = q;
            if (m == s0) kind = KS_TR_FADE_IN;
            else if (m == e0) kind = KS_TR_FADE_OUT;
        }
        if (nt == cap) { cap *= 2; tr = x_realloc(tr, cap * sizeof *tr); }
        tr[nt].start = s0; tr[nt].end = e0; tr[nt].kind = kind; tr[nt].score = E;
        nt++;
        for (size_t q = s0; q <= e0; q++) is_grad[q] = 1;
    }

    /* A fade to or from black is a blend with a black frame: the loop above
     * finds it; a hard cut to or from black is a cut below. What is left: a
     * black stretch inside the clip (not at its start or end) that no
     * transition touches, e.g. slow fades in a clip that fades all the time
     * (the local threshold rises with them): one fade through black
     * (PySceneDetect's ThresholdDetector places its cut in the middle). */
    for (size_t i = 0; i + 1 < n;) {
        if (!(k->luma_mean[i] < BLACK_LEVEL)) { i++; continue; }
        size_t a = i, b = i;
        while (b + 1 < n && k->luma_mean[b + 1] < BLACK_LEVEL) b++;
        i = b + 1;
        if (b + 1 >= n) break;                    /* black tail */
        if (a == 0) continue;                     /* black leader */
        int touched = 0;
        for (size_t q = a - 1; q <= b + 1; q++) if (is_grad[q]) touched = 1;
        if (touched) continue;
        if (nt == cap) { cap *= 2; tr = x_realloc(tr, cap * sizeof *tr); }
        tr[nt].start = a - 1; tr[nt].end = b + 1; tr[nt].kind = KS_TR_FADE; tr[nt].score = 0;
        nt++;
        for (size_t q = a - 1; q <= b + 1; q++) is_grad[q] = 1;
    }

    /* ---- hard cuts ---- */
    for (size_t i = 1; i < n; i++) {
        double c = k->content[i];
        if (isnan(c) || c < CUT_ADAPT_MIN) continue;
        if (is_grad[i] || is_grad[i - 1]) continue;
        double s = 0;
        int m = 0;
        for (size_t q = (i >= 3 ? i - 2 : 1); q <= i + 2 && q < n; q++)
            if (q != i && !isnan(k->content[q])) { s += k->content[q]; m++; }
        double ratio = m ? c / (s / m + 1e-3) : INFINITY;
        int cut = (c >= CUT_CONTENT && ratio >= 1.5) || ratio >= CUT_ADAPT_RATIO;
        /* A change that drifts in over several frames is not a cut: the
         * thumbnail must jump now, not just keep moving. */
        if (cut && !(d[i] > tl[i])) cut = 0;
        if (!cut) continue;
        /* both sides black: inside a fade, not a cut */
        if (k->luma_mean[i] < BLACK_LEVEL && k->luma_mean[i - 1] < BLACK_LEVEL) continue;
        if (nt == cap) { cap *= 2; tr = x_realloc(tr, cap * sizeof *tr); }
        tr[nt].start = i; tr[nt].end = i; tr[nt].kind = KS_TR_CUT; tr[nt].score = c;
        nt++;
    }
    qsort(tr, nt, sizeof *tr, cmp_trans);

    /* ---- minimum shot length: drop the weaker of two boundaries closer
     * than MIN_SHOT_S (flashes, strobes) ---- */
    size_t m = 0;
    for (size_t q = 0; q < nt; q++) {
        if (m > 0) {
            ks_vtrans *p = &tr[m - 1];
            double gap = k->t[tr[q].start] - k->t[p->end];
            if (gap < MIN_SHOT_S) {
                /* a gradual transition outranks a cut next to it */
                int keep_new = (tr[q].kind != KS_TR_CUT && p->kind == KS_TR_CUT) ||
                               (tr[q].kind == p->kind && tr[q].score > p->score);
                if (keep_new) *p = tr[q];
                continue;
            }
        }
        tr[m++] = tr[q];
    }
    nt = m;
    x_free(d); x_free(tl); x_free(scratch); x_free(is_grad);
    if (!nt) { x_free(tr); tr = NULL; }
    *out = tr;
    return nt;
}
