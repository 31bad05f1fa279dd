/* aubio_glue.c - the only file of kitsch that touches aubio: the YIN pitch
 * tracker (de Cheveigne & Kawahara 2002, aubio's FFT implementation
 * "yinfast"), onset detection and beat tracking (Brossier 2006).
 *
 * Onsets and beats run aubio's own chain (phase vocoder, spectral
 * descriptor, peak picker, beat tracker) assembled from its parts, because
 * aubio_pvoc_do also computes the phase of every bin (one atan2f each),
 * which the "hfc" and "specflux" descriptors never read: that was 11 % of
 * the whole audio analysis. The assembly follows aubio 0.4.9's
 * aubio_onset_do and aubio_tempo_do step by step, with the parameters read
 * back from aubio's own objects, and gives the same onset and beat times to
 * the last bit (tests/test_audio_analyze.c compares it with aubio_onset_do
 * and aubio_tempo_do). The parts (peak picker, beat tracker) are aubio's
 * "unstable" API, hence AUBIO_UNSTABLE.
 */
#include "audio_int.h"

#define AUBIO_UNSTABLE 1
#include <aubio/aubio.h>
#include <stdlib.h>
#include <string.h>

/* aubio_priv.h's ROUND for single precision: floorf of (x + .5) computed
 * in double and converted back to float. */
static smpl_t aubio_round(smpl_t x) { return floorf((float)((double)x + .5)); }

/* aubio works on hop-sized blocks copied into an fvec. */
static void fill_hop(fvec_t *v, const float *x, size_t n, size_t pos, size_t hop)
{
    for (size_t i = 0; i < hop; i++)
        v->data[i] = pos + i < n ? (smpl_t)x[pos + i] : 0;
}

int ks_aubio_pitch(const float *x, size_t n, int rate, int buf, int hop, ks_pitch_stop stop, void *ctx,
                   ks_pitch_track *out)
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
    out->midi = x_calloc(nf, sizeof(float));
    out->conf = x_calloc(nf, sizeof(float));
    out->rms = x_malloc(nf * sizeof(float));
    out->t = x_malloc(nf * sizeof(double));
    out->hop_s = (double)hop / rate;
    out->n = nf;
    /* Frame i holds the last `buf` samples ending at (i+1)*hop, so its centre
     * lies buf/2 before that: this is the tracker's latency. */
    /* running energy of the same window (added hop, dropped hop), for all
     * frames before tracking, so that stop() can use it */
    double e = 0;
    for (size_t i = 0; i < nf; i++) {
        size_t pos = i * (size_t)hop;
        for (size_t k = pos; k < pos + (size_t)hop && k < n; k++)
            e += (double)x[k] * x[k];
        long drop = (long)pos - buf;
        for (long k = drop; k < drop + hop; k++)
            if (k >= 0 && (size_t)k < n)
                e -= (double)x[k] * x[k];
        out->rms[i] = (float)sqrt(fmax(e, 0) / buf);
        out->t[i] = ((double)(i + 1) * hop - buf / 2.0) / rate;
    }
    for (size_t i = 0; i < nf; i++) {
        fill_hop(in, x, n, i * (size_t)hop, (size_t)hop);
        aubio_pitch_do(p, in, o);
        out->midi[i] = (float)o->data[0];
        out->conf[i] = (float)aubio_pitch_get_confidence(p);
        out->tracked = i + 1;
        if (stop && stop(ctx, out, i))
            break;
    }
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

/* Magnitude-only phase vocoder: aubio_pvoc_do's framing (slide the last
 * win samples by hop, "hanningz" window, fvec_shift, aubio's FFT) and
 * aubio_fft_get_norm, without aubio_fft_get_phas. */
typedef struct magvoc {
    uint_t win, hop, end;
    fvec_t *data, *old, *w, *comp;
    aubio_fft_t *fft;
} magvoc;

static int magvoc_init(magvoc *m, uint_t win, uint_t hop)
{
    char wname[] = "hanningz";
    m->win = win;
    m->hop = hop;
    m->end = win > hop ? win - hop : 0;
    m->data = new_fvec(win);
    m->old = new_fvec(m->end ? m->end : 1);
    m->comp = new_fvec(win);
    m->w = new_aubio_window(wname, win);
    m->fft = new_aubio_fft(win);
    return m->data && m->old && m->comp && m->w && m->fft ? 0 : KS_E_INTERNAL;
}

static void magvoc_free(magvoc *m)
{
    if (m->data)
        del_fvec(m->data);
    if (m->old)
        del_fvec(m->old);
    if (m->comp)
        del_fvec(m->comp);
    if (m->w)
        del_fvec(m->w);
    if (m->fft)
        del_aubio_fft(m->fft);
}

static void magvoc_do(magvoc *m, const fvec_t *in, cvec_t *grain)
{
    smpl_t *d = m->data->data;
    memcpy(d, m->old->data, m->end * sizeof(smpl_t));
    memcpy(d + m->end, in->data, m->hop * sizeof(smpl_t));
    memcpy(m->old->data, d + m->hop, m->end * sizeof(smpl_t));
    fvec_weight(m->data, m->w);
    fvec_shift(m->data);
    aubio_fft_do_complex(m->fft, m->data, m->comp);
    aubio_fft_get_norm(m->comp, grain);
}

/* What aubio_onset_do and aubio_tempo_do both run on each hop: the
 * magnitude phase vocoder, a spectral descriptor and a peak picker; with
 * the input hop, the one-sample outputs and the times found so far, which
 * the reference paths (aubio's own objects) use as well. */
typedef struct chain {
    magvoc mv;
    aubio_specdesc_t *od;
    aubio_peakpicker_t *pp;
    cvec_t *grain;
    fvec_t *in, *out, *desc, *pick;
    double *t;
    size_t k, cap;
} chain;

static void chain_init(chain *c, uint_t hop)
{
    memset(c, 0, sizeof *c);
    c->in = new_fvec(hop);
    c->out = new_fvec(1);
    c->desc = new_fvec(1);
    c->pick = new_fvec(1);
    c->cap = 64;
    c->t = x_malloc(c->cap * sizeof(double));
}

/* the rebuilt path's parts, the peak picker set to the object's threshold */
static int chain_parts(chain *c, const char *method, uint_t buf, uint_t hop, smpl_t threshold)
{
    c->od = new_aubio_specdesc(method, buf);
    c->pp = new_aubio_peakpicker();
    c->grain = new_cvec(buf);
    if (!c->od || !c->pp || !c->grain || magvoc_init(&c->mv, buf, hop) < 0)
        return KS_E_INTERNAL;
    aubio_peakpicker_set_threshold(c->pp, threshold);
    return 0;
}

/* frees the chain and hands the times over (none after a failure) */
static int chain_end(chain *c, int rc, double **times, size_t *count)
{
    magvoc_free(&c->mv);
    if (c->grain)
        del_cvec(c->grain);
    if (c->pp)
        del_aubio_peakpicker(c->pp);
    if (c->od)
        del_aubio_specdesc(c->od);
    del_fvec(c->in);
    del_fvec(c->out);
    del_fvec(c->desc);
    del_fvec(c->pick);
    if (rc < 0) {
        x_free(c->t);
        c->t = NULL;
        c->k = 0;
    }
    *times = c->t;
    *count = c->k;
    return rc;
}

/* aubio's defaults at 44.1 kHz are 1024/512 (23 ms hop): keep those
 * durations at the analysis rate. reference: run aubio_onset_do itself. */
static int onsets(const float *x, size_t n, int rate, const char *method, double threshold, int reference,
                  double **times, size_t *count)
{
    uint_t hop = (uint_t)(rate / 43);
    hop = hop < 64 ? 64 : hop;
    uint_t buf = 2 * hop;
    aubio_onset_t *o = new_aubio_onset(method, buf, hop, (uint_t)rate);
    if (!o)
        return KS_E_INTERNAL;
    if (threshold > 0)
        aubio_onset_set_threshold(o, (smpl_t)threshold);
    aubio_onset_set_minioi_ms(o, 50);
    /* adaptive whitening needs the state inside the onset object */
    if (aubio_onset_get_awhitening(o))
        reference = 1;
    int rc = 0;
    chain c;
    chain_init(&c, hop);
    if (reference) {
        for (size_t pos = 0; pos < n; pos += hop) {
            fill_hop(c.in, x, n, pos, hop);
            aubio_onset_do(o, c.in, c.out);
            if (c.out->data[0] != 0)
                ks_push_double(&c.t, &c.k, &c.cap, aubio_onset_get_last_s(o));
        }
        goto done;
    }
    const smpl_t lambda = aubio_onset_get_compression(o), silence = aubio_onset_get_silence(o);
    const uint_t minioi = aubio_onset_get_minioi(o), delay = aubio_onset_get_delay(o);
    if ((rc = chain_parts(&c, method, buf, hop, aubio_onset_get_threshold(o))) < 0)
        goto done;
    uint_t total = 0, last = 0;
    for (size_t pos = 0; pos < n; pos += hop) {
        fvec_t *in = c.in;
        fill_hop(in, x, n, pos, hop);
        /* aubio_onset_do */
        magvoc_do(&c.mv, in, c.grain);
        if (lambda > 0)
            cvec_logmag(c.grain, lambda);
        aubio_specdesc_do(c.od, c.grain, c.desc);
        aubio_peakpicker_do(c.pp, c.desc, c.pick);
        smpl_t isonset = c.pick->data[0];
        if (isonset > 0.) {
            if (aubio_silence_detection(in, silence) == 1) {
                isonset = 0;
            } else {
                uint_t new_onset = total + (uint_t)aubio_round(isonset * hop);
                if (last + minioi < new_onset) {
                    if (last > 0 && delay > new_onset)
                        isonset = 0;
                    else
                        last = delay > new_onset ? delay : new_onset;
                } else {
                    isonset = 0;
                }
            }
        } else if (total <= delay && aubio_silence_detection(in, silence) == 0) {
            if (total == 0 || last + minioi < total) {
                isonset = (smpl_t)(delay / hop);
                last = total + delay;
            }
        }
        total += hop;
        if (isonset != 0) /* aubio_onset_get_last_s */
            ks_push_double(&c.t, &c.k, &c.cap, (smpl_t)(last - delay) / (smpl_t)rate);
    }
done:
    rc = chain_end(&c, rc, times, count);
    del_aubio_onset(o);
    return rc;
}

int ks_aubio_onsets(const float *x, size_t n, int rate, const char *method, double threshold, double **times,
                    size_t *count)
{
    return onsets(x, n, rate, method, threshold, 0, times, count);
}

int ks_aubio_onsets_ref(const float *x, size_t n, int rate, const char *method, double threshold, double **times,
                        size_t *count)
{
    return onsets(x, n, rate, method, threshold, 1, times, count);
}

/* aubio_tempo "default": spectral flux, peak picking, beat tracking over
 * ~6 s windows. reference: run aubio_tempo_do itself. */
static int beats(const float *x, size_t n, int rate, int reference, double **times, size_t *count, double *bpm)
{
    uint_t hop = (uint_t)(rate / 86);
    hop = hop < 64 ? 64 : hop;
    uint_t buf = 2 * hop;
    aubio_tempo_t *o = new_aubio_tempo("default", buf, hop, (uint_t)rate);
    if (!o)
        return KS_E_INTERNAL;
    int rc = 0;
    chain c;
    chain_init(&c, hop);
    aubio_beattracking_t *bt = NULL;
    fvec_t *dfframe = NULL, *bout = NULL;
    if (reference) {
        for (size_t pos = 0; pos < n; pos += hop) {
            fill_hop(c.in, x, n, pos, hop);
            aubio_tempo_do(o, c.in, c.out);
            if (c.out->data[0] != 0)
                ks_push_double(&c.t, &c.k, &c.cap, aubio_tempo_get_last_s(o));
        }
        *bpm = aubio_tempo_get_bpm(o);
        goto done;
    }
    /* new_aubio_tempo: observations of about 6 s */
    uint_t winlen = aubio_next_power_of_two((uint_t)(5.8 * rate / hop));
    if (winlen < 4)
        winlen = 4;
    const uint_t step = winlen / 4;
    const smpl_t silence = aubio_tempo_get_silence(o);
    const sint_t delay = (sint_t)aubio_tempo_get_delay(o);
    char flux[] = "specflux";
    bt = new_aubio_beattracking(winlen, hop, (uint_t)rate);
    dfframe = new_fvec(winlen);
    bout = new_fvec(step);
    if ((rc = chain_parts(&c, flux, buf, hop, aubio_tempo_get_threshold(o))) < 0)
        goto done;
    if (!bt || !dfframe || !bout) {
        rc = KS_E_INTERNAL;
        goto done;
    }
    sint_t blockpos = 0;
    uint_t total = 0, last_beat = 0;
    for (size_t pos = 0; pos < n; pos += hop) {
        fill_hop(c.in, x, n, pos, hop);
        /* aubio_tempo_do */
        magvoc_do(&c.mv, c.in, c.grain);
        aubio_specdesc_do(c.od, c.grain, c.desc);
        if (blockpos == (sint_t)step - 1) {
            aubio_beattracking_do(bt, dfframe, bout);
            memmove(dfframe->data, dfframe->data + step, (winlen - step) * sizeof(smpl_t));
            for (uint_t i = winlen - step; i < winlen; i++)
                dfframe->data[i] = 0.;
            blockpos = -1;
        }
        blockpos++;
        aubio_peakpicker_do(c.pp, c.desc, c.pick);
        dfframe->data[winlen - step + (uint_t)blockpos] = aubio_peakpicker_get_thresholded_input(c.pp)->data[0];
        smpl_t tactus = 0;
        for (uint_t i = 1; i < bout->data[0]; i++)
            if (blockpos == floorf(bout->data[i])) {
                tactus = bout->data[i] - floorf(bout->data[i]);
                if (aubio_silence_detection(c.in, silence) == 1)
                    tactus = 0;
                last_beat = total + (uint_t)aubio_round(tactus * hop);
            }
        total += hop;
        if (tactus != 0) /* aubio_tempo_get_last_s */
            ks_push_double(&c.t, &c.k, &c.cap, (last_beat + (uint_t)delay) / (smpl_t)rate);
    }
    *bpm = aubio_beattracking_get_bpm(bt);
done:
    if (bout)
        del_fvec(bout);
    if (dfframe)
        del_fvec(dfframe);
    if (bt)
        del_aubio_beattracking(bt);
    rc = chain_end(&c, rc, times, count);
    del_aubio_tempo(o);
    return rc;
}

int ks_aubio_beats(const float *x, size_t n, int rate, double **times, size_t *count, double *bpm)
{
    return beats(x, n, rate, 0, times, count, bpm);
}

int ks_aubio_beats_ref(const float *x, size_t n, int rate, double **times, size_t *count, double *bpm)
{
    return beats(x, n, rate, 1, times, count, bpm);
}

const char *ks_aubio_version(void)
{
#ifdef KS_AUBIO_VERSION
    return "aubio " KS_AUBIO_VERSION;
#else
    return "aubio";
#endif
}
