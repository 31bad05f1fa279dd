/* harmony.c - key clarity and chord statistics from chroma.
 *
 * Key: correlation of the song's mean chroma with the 24 Krumhansl-Kessler
 * key profiles (Krumhansl & Kessler 1982; Krumhansl 1990, the
 * Krumhansl-Schmuckler algorithm); clarity = best r, margin = best minus the
 * runner-up (Temperley 2007 discusses both as measures of tonal clarity).
 * Chords: binary major/minor triad templates matched to beat-synchronous
 * chroma (Fujishima 1999; Bello & Pickens 2005 for beat-synchronous chroma);
 * chord-transition entropy (conditional entropy of the next chord given the
 * current one over chord changes), chord change rate, and the Lempel-Ziv
 * complexity (Lempel & Ziv 1976) of the beat-level chord string.
 */
#include "audio_int.h"

#include <string.h>

const char *const ks_key_names[24] = {
    "C major", "C# major", "D major", "Eb major", "E major", "F major", "F# major", "G major", "Ab major",
    "A major", "Bb major", "B major", "C minor", "C# minor", "D minor", "Eb minor", "E minor", "F minor",
    "F# minor", "G minor", "G# minor", "A minor", "Bb minor", "B minor"};

static const double kk_major[12] = {6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88};
static const double kk_minor[12] = {6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17};

static double pearson(const double *a, const double *b, int n)
{
    double ma = 0, mb = 0, sab = 0, saa = 0, sbb = 0;
    for (int i = 0; i < n; i++) {
        ma += a[i];
        mb += b[i];
    }
    ma /= n;
    mb /= n;
    for (int i = 0; i < n; i++) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
    }
    return saa > 0 && sbb > 0 ? sab / sqrt(saa * sbb) : NAN;
}

/* key index 0..23 and the correlations of all 24 keys */
static int best_key(const double *prof, double *clarity, double *margin)
{
    double r[24];
    for (int k = 0; k < 24; k++) {
        double p[12];
        const double *t = k < 12 ? kk_major : kk_minor;
        for (int i = 0; i < 12; i++)
            p[(i + k) % 12] = t[i];
        r[k] = pearson(prof, p, 12);
    }
    int b = -1;
    for (int k = 0; k < 24; k++)
        if (isfinite(r[k]) && (b < 0 || r[k] > r[b]))
            b = k;
    *clarity = *margin = NAN;
    if (b < 0)
        return -1;
    double second = -2;
    for (int k = 0; k < 24; k++)
        if (k != b && isfinite(r[k]) && r[k] > second)
            second = r[k];
    *clarity = r[b];
    *margin = r[b] - second;
    return b;
}

void ks_harmony_compute(const ks_spec *sp, const double *beats, size_t nbeats, ks_harmony *h)
{
    memset(h, 0, sizeof *h);
    h->key = -1;
    h->key_clarity = h->key_margin = h->chord_trans_entropy = h->chord_change_rate = h->chord_lz = NAN;
    h->n_changes = 0;
    /* mean of per-frame normalised chroma over frames that carry energy */
    float emax = 0;
    for (size_t i = 0; i < sp->nframes; i++)
        emax = sp->energy[i] > emax ? sp->energy[i] : emax;
    float egate = emax * 1e-4f; /* -40 dB */
    size_t used = 0;
    for (size_t i = 0; i < sp->nframes; i++) {
        const float *c = sp->chroma + i * 12;
        double s = 0;
        for (int k = 0; k < 12; k++)
            s += c[k];
        if (sp->energy[i] <= egate || s <= 0)
            continue;
        for (int k = 0; k < 12; k++)
            h->profile[k] += c[k] / s;
        used++;
    }
    if (used < 10)
        return;
    for (int k = 0; k < 12; k++)
        h->profile[k] /= (double)used;
    h->key = best_key(h->profile, &h->key_clarity, &h->key_margin);

    /* segments: beats when the tracker found a usable grid, else 0.5 s */
    double dur = sp->nframes * sp->frame_s;
    if (nbeats >= 8) {
        h->nseg = nbeats - 1;
        h->seg = x_malloc((h->nseg + 1) * sizeof(double));
        memcpy(h->seg, beats, nbeats * sizeof(double));
        h->beat_sync = 1;
    } else {
        h->nseg = (size_t)(dur / 0.5);
        if (h->nseg < 2)
            return;
        h->seg = x_malloc((h->nseg + 1) * sizeof(double));
        for (size_t i = 0; i <= h->nseg; i++)
            h->seg[i] = 0.5 * (double)i;
    }
    h->seg_chroma = x_calloc(h->nseg * 12, sizeof(float));
    h->chords = x_malloc(h->nseg * sizeof(int));
    for (size_t s = 0; s < h->nseg; s++) {
        size_t a = (size_t)fmax(0, floor(h->seg[s] / sp->frame_s + 0.5));
        size_t b = (size_t)fmax(0, floor(h->seg[s + 1] / sp->frame_s + 0.5));
        if (b > sp->nframes)
            b = sp->nframes;
        double v[12] = {0}, e = 0;
        for (size_t i = a; i < b; i++) {
            for (int k = 0; k < 12; k++)
                v[k] += sp->chroma[i * 12 + (size_t)k];
            e += sp->energy[i];
        }
        double nrm = 0;
        for (int k = 0; k < 12; k++)
            nrm += v[k] * v[k];
        nrm = sqrt(nrm);
        h->chords[s] = -1;
        if (b <= a || nrm <= 0 || e / (double)(b - a) <= egate)
            continue;
        for (int k = 0; k < 12; k++)
            h->seg_chroma[s * 12 + (size_t)k] = (float)(v[k] / nrm);
        /* binary triad templates, each of norm sqrt(3) */
        double best = -1;
        for (int c = 0; c < 24; c++) {
            int r = c % 12, third = c < 12 ? 4 : 3;
            double sc = (v[r] + v[(r + third) % 12] + v[(r + 7) % 12]) / (nrm * sqrt(3.0));
            if (sc > best) {
                best = sc;
                h->chords[s] = c;
            }
        }
    }
    /* chord changes (consecutive equal chords merged, no-chord skipped) */
    double joint[24 * 24] = {0}, from[24] = {0};
    int prev = -1;
    size_t nch = 0, nvalid = 0;
    int *str = x_malloc(h->nseg * sizeof(int));
    for (size_t s = 0; s < h->nseg; s++) {
        int c = h->chords[s];
        if (c < 0)
            continue;
        str[nvalid++] = c;
        if (prev >= 0 && c != prev) {
            joint[prev * 24 + c] += 1;
            from[prev] += 1;
            int ri = ((c % 12) - (prev % 12) + 12) % 12;
            int qp = (prev >= 12) * 2 + (c >= 12);
            h->bigrams[ri * 4 + qp] += 1;
            nch++;
        }
        prev = c;
    }
    h->n_changes = (double)nch;
    if (nvalid >= 8) {
        h->chord_change_rate = (double)nch / (double)(nvalid - 1);
        h->chord_lz = ks_lz76_complexity(str, nvalid, 24);
    }
    if (nch >= 8) {
        /* H(next | current) = H(current, next) - H(current) */
        h->chord_trans_entropy = ks_entropy_bits(joint, 24 * 24) - ks_entropy_bits(from, 24);
    }
    for (int i = 0; nch && i < 48; i++)
        h->bigrams[i] /= (double)nch;
    x_free(str);
}

void ks_harmony_free(ks_harmony *h)
{
    if (!h)
        return;
    x_free(h->seg);
    x_free(h->seg_chroma);
    x_free(h->chords);
    memset(h, 0, sizeof *h);
}
