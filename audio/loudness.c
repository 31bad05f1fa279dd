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
 */
#include "audio_int.h"

#include <ebur128.h>
#include <stdio.h>
#include <string.h>

struct ks_loud {
    ebur128_state *st;
    int channels, rate, failed;
    size_t frames, since_st; /* frames fed; frames since the last short-term read */
    double *stl;             /* short-term loudness every 100 ms */
    size_t nst, capst;
    double e100[30];         /* energy of the last thirty 100 ms blocks (ring) */
    size_t n100;             /* 100 ms blocks seen */
};

/* BS.1770 loudness of a mean-square energy and back (libebur128's formula). */
static double energy_of(double lufs) { return isfinite(lufs) ? pow(10, (lufs + 0.691) / 10) : 0; }

ks_loud *ks_loud_new(void) { return x_calloc(1, sizeof(ks_loud)); }

void ks_loud_del(ks_loud *l)
{
    if (!l)
        return;
    if (l->st)
        ebur128_destroy(&l->st);
    x_free(l->stl);
    x_free(l);
}

void ks_loud_sink(void *ctx, const float *x, size_t frames, int channels, int rate)
{
    ks_loud *l = ctx;
    if (l->failed)
        return;
    if (!l->st) {
        l->st = ebur128_init((unsigned)channels, (unsigned long)rate,
                             EBUR128_MODE_I | EBUR128_MODE_LRA | EBUR128_MODE_S | EBUR128_MODE_SAMPLE_PEAK);
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
            if (l->frames >= (size_t)rate * 3 && l->n100 >= 30) {
                double e = 0;
                for (int j = 0; j < 30; j++)
                    e += l->e100[j];
                e /= 30;
                double s = e > 0 ? 10 * log10(e) - 0.691 : -HUGE_VAL;
                if (l->nst == l->capst) {
                    l->capst = l->capst ? 2 * l->capst : 256;
                    l->stl = x_realloc(l->stl, l->capst * sizeof(double));
                }
                l->stl[l->nst++] = s;
            }
        }
    }
}

int ks_loud_result_get(ks_loud *l, ks_loud_result *res)
{
    res->integrated = res->lra = res->st_sd = res->peak_dbfs = res->plr = NAN;
    if (!l->st || l->failed)
        return KS_E_INTERNAL;
    double v;
    if (ebur128_loudness_global(l->st, &v) == EBUR128_SUCCESS && isfinite(v))
        res->integrated = v;
    if (ebur128_loudness_range(l->st, &v) == EBUR128_SUCCESS && isfinite(v))
        res->lra = v;
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
