/* aubio_glue.c - the only file of kitsch that touches aubio: the YIN pitch
 * tracker (de Cheveigne & Kawahara 2002, aubio's FFT implementation
 * "yinfast"), onset detection and beat tracking (Brossier 2006). */
#include "audio_int.h"

#include <aubio/aubio.h>
#include <stdlib.h>
#include <string.h>

/* aubio works on hop-sized blocks copied into an fvec. */
static void fill_hop(fvec_t *v, const float *x, size_t n, size_t pos, size_t hop)
{
    for (size_t i = 0; i < hop; i++)
        v->data[i] = pos + i < n ? (smpl_t)x[pos + i] : 0;
}

int ks_aubio_pitch(const float *x, size_t n, int rate, int buf, int hop, ks_pitch_track *out)
{
    memset(out, 0, sizeof *out);
    aubio_pitch_t *p = new_aubio_pitch("yinfast", (uint_t)buf, (uint_t)hop, (uint_t)rate);
    if (!p)
        return KS_E_INTERNAL;
    aubio_pitch_set_unit(p, "midi");
    /* silence gating is done by the caller from the frame energy */
    aubio_pitch_set_silence(p, -90);
    fvec_t *in = new_fvec((uint_t)hop), *o = new_fvec(1);
    size_t nf = n / (size_t)hop + 1;
    out->midi = x_malloc(nf * sizeof(float));
    out->conf = x_malloc(nf * sizeof(float));
    out->rms = x_malloc(nf * sizeof(float));
    out->t = x_malloc(nf * sizeof(double));
    out->hop_s = (double)hop / rate;
    /* Frame i holds the last `buf` samples ending at (i+1)*hop, so its centre
     * lies buf/2 before that: this is the tracker's latency. */
    /* running energy of the same window (added hop, dropped hop) */
    double e = 0;
    for (size_t i = 0; i < nf; i++) {
        size_t pos = i * (size_t)hop;
        fill_hop(in, x, n, pos, (size_t)hop);
        aubio_pitch_do(p, in, o);
        for (size_t k = pos; k < pos + (size_t)hop && k < n; k++)
            e += (double)x[k] * x[k];
        long drop = (long)pos - buf;
        for (long k = drop; k < drop + hop; k++)
            if (k >= 0 && (size_t)k < n)
                e -= (double)x[k] * x[k];
        out->rms[i] = (float)sqrt(fmax(e, 0) / buf);
        out->midi[i] = (float)o->data[0];
        out->conf[i] = (float)aubio_pitch_get_confidence(p);
        out->t[i] = ((double)(i + 1) * hop - buf / 2.0) / rate;
    }
    out->n = nf;
    del_fvec(in);
    del_fvec(o);
    del_aubio_pitch(p);
    return 0;
}

void ks_pitch_track_free(ks_pitch_track *p)
{
    if (!p)
        return;
    x_free(p->midi);
    x_free(p->conf);
    x_free(p->rms);
    x_free(p->t);
    memset(p, 0, sizeof *p);
}

int ks_aubio_onsets(const float *x, size_t n, int rate, const char *method, double threshold, double **times,
                    size_t *count)
{
    /* aubio's defaults at 44.1 kHz are 1024/512 (23 ms hop): keep those
     * durations at the analysis rate. */
    uint_t hop = (uint_t)(rate / 43);
    hop = hop < 64 ? 64 : hop;
    uint_t buf = 2 * hop;
    aubio_onset_t *o = new_aubio_onset(method, buf, hop, (uint_t)rate);
    if (!o)
        return KS_E_INTERNAL;
    if (threshold > 0)
        aubio_onset_set_threshold(o, (smpl_t)threshold);
    aubio_onset_set_minioi_ms(o, 50);
    fvec_t *in = new_fvec(hop), *out = new_fvec(1);
    size_t cap = 64, k = 0;
    double *t = x_malloc(cap * sizeof(double));
    for (size_t pos = 0; pos < n; pos += hop) {
        fill_hop(in, x, n, pos, hop);
        aubio_onset_do(o, in, out);
        if (out->data[0] != 0) {
            if (k == cap) {
                cap *= 2;
                t = x_realloc(t, cap * sizeof(double));
            }
            t[k++] = aubio_onset_get_last_s(o);
        }
    }
    del_fvec(in);
    del_fvec(out);
    del_aubio_onset(o);
    *times = t;
    *count = k;
    return 0;
}

int ks_aubio_beats(const float *x, size_t n, int rate, double **times, size_t *count, double *bpm)
{
    uint_t hop = (uint_t)(rate / 86);
    hop = hop < 64 ? 64 : hop;
    uint_t buf = 2 * hop;
    aubio_tempo_t *o = new_aubio_tempo("default", buf, hop, (uint_t)rate);
    if (!o)
        return KS_E_INTERNAL;
    fvec_t *in = new_fvec(hop), *out = new_fvec(1);
    size_t cap = 64, k = 0;
    double *t = x_malloc(cap * sizeof(double));
    for (size_t pos = 0; pos < n; pos += hop) {
        fill_hop(in, x, n, pos, hop);
        aubio_tempo_do(o, in, out);
        if (out->data[0] != 0) {
            if (k == cap) {
                cap *= 2;
                t = x_realloc(t, cap * sizeof(double));
            }
            t[k++] = aubio_tempo_get_last_s(o);
        }
    }
    *bpm = aubio_tempo_get_bpm(o);
    del_fvec(in);
    del_fvec(out);
    del_aubio_tempo(o);
    *times = t;
    *count = k;
    return 0;
}

const char *ks_aubio_version(void)
{
#ifdef KS_AUBIO_VERSION
    return "aubio " KS_AUBIO_VERSION;
#else
    return "aubio";
#endif
}
