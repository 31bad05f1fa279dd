/* loudness.c - the only file of kitsch that touches libebur128.
 *
 * EBU R 128 / ITU-R BS.1770-4 loudness measured on the decoded signal at its
 * own rate and channel count (downmixing first would change the value by up
 * to 3 LU): integrated loudness, loudness range (EBU Tech 3342), the spread of
 * short-term (3 s) loudness, and the peak-to-loudness ratio (sample peak;
 * true peak would need 4x oversampling and cost more than the whole analysis).
 *
 * The short-term loudness is sampled every 100 ms. Asking libebur128 for it
 * (ebur128_loudness_shortterm) sums the squares of the last 3 s of filtered
 * samples each time, i.e. 30 passes over the signal, which cost more than the
 * decoding itself. The 3 s energy is the mean of the thirty 100 ms energies in
 * it, so each 100 ms block's energy is read once (ebur128_loudness_window over
 * 100 ms, back from LUFS to energy) and the 3 s value is summed from them:
 * the same number up to rounding (1e-13 LU) at rates divisible by 10, where
 * libebur128's 100 ms is exactly rate/10 frames.
 *
 * For the same reason the gates of the integrated loudness (400 ms blocks
 * every 100 ms, BS.1770-4) and of the loudness range (3 s blocks every
 * second, as libebur128 takes them; Tech 3342) are applied here to means of
 * those 100 ms energies: libebur128's MODE_I and MODE_LRA re-sum 400 ms and
 * 3 s of samples per block, 7 more passes (8 % of the whole analysis).
 * libebur128 still does the K-weighting, the channel weights, the block
 * energies and the sample peak; the gating follows its
 * ebur128_gated_loudness and ebur128_loudness_range_multiple (version
 * 1.2.6) to the summation order, and the tests compare both values with
 * libebur128's own (ks_loud_new_ref).
 */
#include "audio_int.h"

#include <ebur128.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ks_loud {
    ebur128_state *st;
    int channels, rate, failed;
    size_t frames, since_st; /* frames fed; frames since the last short-term read */
    double *stl;             /* short-term loudness every 100 ms */
    size_t nst, capst;
    double e100[30];         /* energy of the last thirty 100 ms blocks (ring) */
    size_t n100;             /* 100 ms blocks seen */
    int reference;           /* integrated loudness and LRA from libebur128 itself */
    double *gz, *sz;         /* energies of the 400 ms and (1 Hz) 3 s blocks above -70 LUFS */
    size_t ngz, capgz, nsz, capsz;
};

/* libebur128's absolute gate: -70 LUFS as energy */
static double abs_gate(void) { return pow(10.0, (-70.0 + 0.691) / 10.0); }

/* BS.1770 loudness of a mean-square energy and back (libebur128's formula). */
static double energy_of(double lufs) { return isfinite(lufs) ? pow(10, (lufs + 0.691) / 10) : 0; }

ks_loud *ks_loud_new(void) { return x_calloc(1, sizeof(ks_loud)); }

ks_loud *ks_loud_new_ref(void)
{
    ks_loud *l = ks_loud_new();
    l->reference = 1;
    return l;
}

void ks_loud_del(ks_loud *l)
{
    if (!l)
        return;
    if (l->st)
        ebur128_destroy(&l->st);
    x_free(l->stl);
    x_free(l->gz);
    x_free(l->sz);
    x_free(l);
}

void ks_loud_sink(void *ctx, const float *x, size_t frames, int channels, int rate)
{
    ks_loud *l = ctx;
    if (l->failed)
        return;
    if (!l->st) {
        l->st = ebur128_init((unsigned)channels, (unsigned long)rate,
                             l->reference ? EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_S | EBUR128_MODE_SAMPLE_PEAK
                                          : EBUR128_MODE_M | EBUR128_MODE_SAMPLE_PEAK);
        if (!l->st) {
            l->failed = 1;
            return;
        }
        l->channels = channels;
        l->rate = rate;
    }
    /* Feed in 100 ms steps so that the short-term loudness can be sampled on
     * the same 10 Hz grid as EBU Tech 3342 uses for the loudness range. */
    size_t step = (size_t)rate / 10;
    while (frames > 0) {
        size_t k = step - l->since_st;
        if (k > frames)
            k = frames;
        if (ebur128_add_frames_float(l->st, x, k) != EBUR128_SUCCESS) {
            l->failed = 1;
            return;
        }
        x += k * (size_t)channels;
        frames -= k;
        l->frames += k;
        l->since_st += k;
        if (l->since_st == step) {
            l->since_st = 0;
            double b;
            if (ebur128_loudness_window(l->st, 100, &b) != EBUR128_SUCCESS) {
                l->failed = 1;
                return;
            }
            l->e100[l->n100++ % 30] = energy_of(b);
            size_t j = l->n100 - 1; /* this block */
            if (j >= 3) {
                /* the 400 ms gating block ending here */
                double z = 0;
                for (size_t q = j - 3; q <= j; q++)
                    z += l->e100[q % 30];
                z /= 4;
                if (z >= abs_gate())
                    ks_push_double(&l->gz, &l->ngz, &l->capgz, z);
            }
            if (l->frames >= (size_t)rate * 3 && l->n100 >= 30) {
                double e = 0;
                for (int q = 0; q < 30; q++)
                    e += l->e100[q];
                e /= 30;
                /* libebur128 keeps a 3 s block for the range every second,
                 * the first at 3 s */
                if ((j - 29) % 10 == 0 && e >= abs_gate())
                    ks_push_double(&l->sz, &l->nsz, &l->capsz, e);
                double s = e > 0 ? 10 * log10(e) - 0.691 : -HUGE_VAL;
                ks_push_double(&l->stl, &l->nst, &l->capst, s);
            }
        }
    }
}

static double energy_to_loudness(double e) { return 10 * (log(e) / log(10.0)) - 0.691; }

/* BS.1770-4 integrated loudness of the blocks above the absolute gate:
 * relative gate 10 LU below their mean energy (ebur128_gated_loudness). */
static double gated_loudness(const double *z, size_t n)
{
    if (!n)
        return NAN;
    double rel = 0, sum = 0;
    for (size_t i = 0; i < n; i++)
        rel += z[i];
    rel /= (double)n;
    rel *= pow(10.0, -10.0 / 10.0);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (z[i] >= rel) {
            k++;
            sum += z[i];
        }
    if (!k)
        return NAN;
    return energy_to_loudness(sum / (double)k);
}

/* EBU Tech 3342 loudness range of the 3 s blocks above the absolute gate:
 * relative gate 20 LU below their mean, then the 10th to 95th percentile
 * (ebur128_loudness_range_multiple: sorted, nearest rank). */
static double loudness_range(const double *z, size_t n)
{
    if (!n)
        return 0.0;
    double *v = x_malloc(n * sizeof(double));
    memcpy(v, z, n * sizeof(double));
    qsort(v, n, sizeof(double), ks_cmp_double);
    double power = 0;
    for (size_t i = 0; i < n; i++)
        power += v[i];
    power /= (double)n;
    double gate = pow(10.0, -20.0 / 10.0) * power;
    size_t j = 0;
    while (j < n && v[j] < gate)
        j++;
    double lra = 0.0;
    size_t m = n - j;
    if (m) {
        double hi = v[j + (size_t)((m - 1) * 0.95 + 0.5)], lo = v[j + (size_t)((m - 1) * 0.1 + 0.5)];
        lra = energy_to_loudness(hi) - energy_to_loudness(lo);
    }
    x_free(v);
    return lra;
}

int ks_loud_result_get(ks_loud *l, ks_loud_result *res)
{
    res->integrated = res->lra = res->st_sd = res->peak_dbfs = res->plr = NAN;
    if (!l->st || l->failed)
        return KS_E_INTERNAL;
    double v;
    if (l->reference) {
        if (ebur128_loudness_global(l->st, &v) == EBUR128_SUCCESS && isfinite(v))
            res->integrated = v;
        if (ebur128_loudness_range(l->st, &v) == EBUR128_SUCCESS && isfinite(v))
            res->lra = v;
    } else {
        res->integrated = gated_loudness(l->gz, l->ngz);
        res->lra = loudness_range(l->sz, l->nsz);
    }
    double peak = 0;
    for (int c = 0; c < l->channels; c++) {
        double p;
        if (ebur128_sample_peak(l->st, (unsigned)c, &p) == EBUR128_SUCCESS && p > peak)
            peak = p;
    }
    if (peak > 0)
        res->peak_dbfs = 20 * log10(peak);
    if (isfinite(res->integrated) && isfinite(res->peak_dbfs))
        res->plr = res->peak_dbfs - res->integrated;
    /* Short-term spread over the blocks above the absolute gate (-70 LUFS)
     * and the relative gate (-20 LU below their mean), as for LRA. */
    if (l->nst >= 2 && isfinite(res->integrated)) {
        double sum = 0;
        size_t k = 0;
        for (size_t i = 0; i < l->nst; i++)
            if (l->stl[i] > -70) {
                sum += pow(10, l->stl[i] / 10);
                k++;
            }
        if (k >= 2) {
            double gate = 10 * log10(sum / k) - 20;
            double m = 0, m2 = 0;
            size_t j = 0;
            for (size_t i = 0; i < l->nst; i++)
                if (l->stl[i] > -70 && l->stl[i] > gate) {
                    m += l->stl[i];
                    j++;
                }
            if (j >= 2) {
                m /= j;
                for (size_t i = 0; i < l->nst; i++)
                    if (l->stl[i] > -70 && l->stl[i] > gate)
                        m2 += (l->stl[i] - m) * (l->stl[i] - m);
                res->st_sd = sqrt(m2 / (j - 1));
            }
        }
    }
    return 0;
}

const char *ks_loud_version(void)
{
    static char buf[32];
    int a, b, c;
    ebur128_get_version(&a, &b, &c);
    snprintf(buf, sizeof buf, "libebur128 %d.%d.%d", a, b, c);
    return buf;
}
