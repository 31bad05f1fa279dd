/* structure.c - repetition and sectional change from a self-similarity
 * matrix (Foote 1999/2000; Paulus, Mueller & Klapuri 2010 review).
 *
 * Features per beat segment: chroma and timbre, each mean-centred over the
 * song (without centring every pair of bars of a song looks alike and the
 * maximum similarity saturates near 0.95) and scaled to unit norm. A bar is
 * four beats; bar vectors concatenate their beats. Repetition share = share
 * of bars whose best match at least 4 bars away has cosine >= 0.5. Novelty =
 * Foote's checkerboard kernel (16 beats) along the beat SSM; peaks/minute.
 */
#include "audio_int.h"

#include <stdlib.h>
#include <string.h>

#define DIM (12 + KS_NTIMBRE)
#define BAR 4
#define STRONG 0.5
#define KHALF 8

static void unit(double *v, int n)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += v[i] * v[i];
    s = sqrt(s);
    for (int i = 0; i < n; i++)
        v[i] = s > 0 ? v[i] / s : 0;
}

void ks_structure_compute(const ks_spec *sp, const ks_harmony *h, double dur, ks_structure *out)
{
    out->repetition_share = out->novelty_per_min = NAN;
    out->nbars = 0;
    size_t ns = h->nseg;
    if (ns < 16 || !h->seg)
        return;
    double *f = x_calloc(ns * DIM, sizeof(double));
    double mean[DIM] = {0};
    for (size_t s = 0; s < ns; s++) {
        size_t a = (size_t)fmax(0, floor(h->seg[s] / sp->frame_s + 0.5));
        size_t b = (size_t)fmax(0, floor(h->seg[s + 1] / sp->frame_s + 0.5));
        if (b > sp->nframes)
            b = sp->nframes;
        for (int k = 0; k < 12; k++)
            f[s * DIM + (size_t)k] = h->seg_chroma[s * 12 + (size_t)k];
        for (size_t i = a; i < b; i++)
            for (int k = 0; k < KS_NTIMBRE; k++)
                f[s * DIM + 12 + (size_t)k] += sp->timbre[i * KS_NTIMBRE + (size_t)k] / (double)(b - a);
        for (int k = 0; k < DIM; k++)
            mean[k] += f[s * DIM + (size_t)k] / (double)ns;
    }
    for (size_t s = 0; s < ns; s++) {
        double *v = f + s * DIM;
        for (int k = 0; k < DIM; k++)
            v[k] -= mean[k];
        unit(v, 12);
        unit(v + 12, KS_NTIMBRE);
        for (int k = 0; k < DIM; k++)
            v[k] *= sqrt(0.5);
    }
    /* bars */
    size_t nbar = ns / BAR;
    out->nbars = nbar;
    if (nbar >= 10) {
        size_t strong = 0;
        for (size_t i = 0; i < nbar; i++) {
            double best = -2;
            for (size_t j = 0; j < nbar; j++) {
                if ((i > j ? i - j : j - i) < 4)
                    continue;
                double d = 0;
                for (size_t k = 0; k < BAR * DIM; k++)
                    d += f[i * BAR * DIM + k] * f[j * BAR * DIM + k];
                d /= BAR;
                best = d > best ? d : best;
            }
            strong += best >= STRONG;
        }
        out->repetition_share = (double)strong / (double)nbar;
    }
    /* novelty along the beat diagonal */
    if (ns >= 4 * KHALF && dur > 0) {
        double *nov = x_calloc(ns, sizeof(double));
        for (size_t c = KHALF; c + KHALF <= ns; c++) {
            double v = 0;
            for (int a = -KHALF; a < KHALF; a++)
                for (int b = -KHALF; b < KHALF; b++) {
                    const double *x = f + (c + (size_t)(long)a) * DIM, *y = f + (c + (size_t)(long)b) * DIM;
                    double d = 0;
                    for (int k = 0; k < DIM; k++)
                        d += x[k] * y[k];
                    int sign = (a < 0) == (b < 0) ? 1 : -1;
                    double ga = (a + 0.5) / KHALF, gb = (b + 0.5) / KHALF;
                    v += sign * d * exp(-2 * (ga * ga + gb * gb));
                }
            nov[c] = v;
        }
        double m = 0, m2 = 0;
        size_t k = 0;
        for (size_t c = KHALF; c + KHALF <= ns; c++) {
            m += nov[c];
            k++;
        }
        m /= k;
        for (size_t c = KHALF; c + KHALF <= ns; c++)
            m2 += (nov[c] - m) * (nov[c] - m);
        double sd = sqrt(m2 / k), thr = m + sd;
        size_t peaks = 0;
        for (size_t c = KHALF; c + KHALF <= ns; c++) {
            if (nov[c] < thr)
                continue;
            int ismax = 1;
            for (size_t d = c >= KHALF ? c - KHALF : 0; d <= c + KHALF && d < ns; d++)
                if (d != c && nov[d] > nov[c])
                    ismax = 0;
            peaks += ismax;
        }
        out->novelty_per_min = (double)peaks / (dur / 60);
        x_free(nov);
    }
    x_free(f);
}
