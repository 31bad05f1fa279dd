/* rhythm.c - shot-rhythm statistics from a list of shot lengths. Every
 * statistic needs a minimum number of shots and is NaN below it: a single
 * AI clip has one shot and no editing rhythm at all. */
#include "vinternal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define KS_PI 3.14159265358979323846

static double mean_of(const double *v, size_t n)
{
    double s = 0;
    for (size_t i = 0; i < n; i++) s += v[i];
    return s / (double)n;
}

/* Normalised entropy of log2 shot lengths in half-octave bins from 1/8 s to
 * 128 s (Shannon 1948), divided by its maximum for n shots. */
static double log_entropy(const double *len, size_t n)
{
    enum { K = 20 };
    double h[K] = { 0 };
    for (size_t i = 0; i < n; i++) {
        double l = log2(len[i] > 1e-3 ? len[i] : 1e-3);
        int b = (int)floor((l + 3.0) * 2.0);
        if (b < 0) b = 0;
        if (b >= K) b = K - 1;
        h[b] += 1;
    }
    double H = 0;
    for (int b = 0; b < K; b++)
        if (h[b] > 0) { double p = h[b] / (double)n; H -= p * log(p); }
    double hmax = log((double)(n < K ? n : K));
    return hmax > 0 ? H / hmax : NAN;
}

/* normalised Pairwise Variability Index (Grabe & Low 2002), on shot
 * lengths: 100/(m-1) sum |d_k - d_k+1| / ((d_k + d_k+1)/2). */
static double npvi(const double *len, size_t n)
{
    double s = 0;
    for (size_t i = 0; i + 1 < n; i++) {
        double m = (len[i] + len[i + 1]) / 2;
        if (m > 0) s += fabs(len[i] - len[i + 1]) / m;
    }
    return 100.0 * s / (double)(n - 1);
}

/* Share of shots whose length is a whole multiple (1..4) of the modal
 * length, within tol: generators and templated edits emit fixed lengths. */
static double quantisation(const double *len, size_t n, double tol, double *mode_out)
{
    size_t best = 0, bestc = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = 0;
        for (size_t j = 0; j < n; j++) if (fabs(len[j] - len[i]) <= tol) c++;
        if (c > bestc || (c == bestc && len[i] < len[best])) { bestc = c; best = i; }
    }
    /* the mode is the mean of the lengths that agree with it */
    double mode = 0;
    size_t c = 0;
    for (size_t j = 0; j < n; j++) if (fabs(len[j] - len[best]) <= tol) { mode += len[j]; c++; }
    mode /= (double)c;
    *mode_out = mode;
    size_t q = 0;
    for (size_t j = 0; j < n; j++) {
        double k = floor(len[j] / mode + 0.5);
        if (k >= 1 && k <= 4 && fabs(len[j] - k * mode) <= tol * k) q++;
    }
    return (double)q / (double)n;
}

/* Lag-1 autocorrelation of the shot-length sequence (Cutting, DeLong &
 * Nothelfer 2010). */
static double ac1(const double *len, size_t n)
{
    double m = mean_of(len, n), num = 0, den = 0;
    for (size_t i = 0; i < n; i++) den += (len[i] - m) * (len[i] - m);
    for (size_t i = 0; i + 1 < n; i++) num += (len[i] - m) * (len[i + 1] - m);
    return den > 0 ? num / den : NAN;
}

/* Slope of log power vs log frequency of the shot-length sequence (Cutting,
 * DeLong & Nothelfer 2010: Hollywood films approach 1/f, slope -1; a
 * shuffled or metronomic edit is flat, slope 0). */
static double spectral_slope(const double *len, size_t n)
{
    double m = mean_of(len, n);
    size_t K = n / 2;
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    size_t cnt = 0;
    for (size_t k = 1; k <= K; k++) {
        double re = 0, im = 0;
        for (size_t j = 0; j < n; j++) {
            double a = -2 * KS_PI * (double)(j * k % n) / (double)n;
            re += (len[j] - m) * cos(a);
            im += (len[j] - m) * sin(a);
        }
        double p = re * re + im * im;
        if (!(p > 0)) continue;
        double x = log10((double)k / (double)n), y = log10(p);
        sx += x; sy += y; sxx += x * x; sxy += x * y; cnt++;
    }
    if (cnt < 3) return NAN;
    double den = (double)cnt * sxx - sx * sx;
    return den > 0 ? ((double)cnt * sxy - sx * sy) / den : NAN;
}

/* Periodicity of the cut train: for each candidate period (every observed
 * interval between consecutive cuts), the share of cuts followed by another
 * cut one period later (within tol); the best candidate's share. A
 * metronomic edit scores 1. */
static double periodicity(const double *len, size_t n, double tol)
{
    size_t m = n - 1; /* cuts between the n shots */
    double *c = x_malloc(m * sizeof *c);
    double t = 0;
    for (size_t i = 0; i < m; i++) { t += len[i]; c[i] = t; }
    double best = 0;
    for (size_t q = 1; q < m && q < 400; q++) {
        double tau = c[q] - c[q - 1];
        if (tau < 0.3) continue;
        size_t tested = 0, hit = 0;
        for (size_t i = 0; i < m; i++) {
            double want = c[i] + tau;
            if (want > c[m - 1] + tol) break;
            tested++;
            for (size_t j = i + 1; j < m && c[j] <= want + tol; j++)
                if (fabs(c[j] - want) <= tol) { hit++; break; }
        }
        if (tested >= 4) {
            double s = (double)hit / (double)tested;
            if (s > best) best = s;
        }
    }
    x_free(c);
    return best;
}

void ks_vrhythm_compute(const double *len, size_t n, double tol, ks_vrhythm *o)
{
    o->asl = o->median = o->cv = o->entropy = o->npvi = o->quant = NAN;
    o->ac1 = o->slope = o->periodicity = NAN;
    if (n < KS_RHY_MIN_BASIC) return;
    double *tmp = x_malloc(n * sizeof *tmp);
    memcpy(tmp, len, n * sizeof *tmp);
    /* Average shot length and median (Salt 1974; Cutting et al. 2010). */
    o->asl = mean_of(len, n);
    o->median = ks_median(tmp, n);
    x_free(tmp);
    if (n >= KS_RHY_MIN_SHAPE) {
        double v = 0;
        for (size_t i = 0; i < n; i++) v += (len[i] - o->asl) * (len[i] - o->asl);
        o->cv = sqrt(v / (double)(n - 1)) / o->asl;
        o->entropy = log_entropy(len, n);
        o->npvi = npvi(len, n);
        double mode;
        o->quant = quantisation(len, n, tol, &mode);
    }
    if (n >= KS_RHY_MIN_CUTTING) {
        o->ac1 = ac1(len, n);
        o->slope = spectral_slope(len, n);
    }
    if (n >= 9) o->periodicity = periodicity(len, n, tol);
}
