#define _POSIX_C_SOURCE 200809L
/* audio.c - the audio analyzer: decode once, then melody, harmony, rhythm,
 * loudness and structure from the same mono signal (loudness from the
 * original channels during decoding). */
#include "audio.h"
#include "midi.h"
#include "audio_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

double ks_entropy_bits(const double *c, size_t k)
{
    double tot = 0, h = 0;
    for (size_t i = 0; i < k; i++)
        tot += c[i];
    if (tot <= 0)
        return NAN;
    for (size_t i = 0; i < k; i++)
        if (c[i] > 0)
            h -= c[i] / tot * log2(c[i] / tot);
    return h + 0.0; /* no -0 */
}

/* Lempel-Ziv 1976 complexity by the Kaspar & Schuster (1987) scan,
 * normalised by its asymptotic value for a random string, n / log_a(n). */
double ks_lz76_complexity(const int *s, size_t n, int alphabet)
{
    if (n < 2)
        return NAN;
    size_t i = 0, k = 1, l = 1, kmax = 1, c = 1;
    for (;;) {
        if (s[i + k - 1] == s[l + k - 1]) {
            k++;
            if (l + k > n) {
                c++;
                break;
            }
        } else {
            if (k > kmax)
                kmax = k;
            i++;
            if (i == l) {
                c++;
                l += kmax;
                if (l + 1 > n)
                    break;
                i = 0;
                k = 1;
                kmax = 1;
            } else {
                k = 1;
            }
        }
    }
    return (double)c * (log((double)n) / log((double)alphabet)) / (double)n;
}

/* aubio's tracker drops beats where the onset function is flat (held notes,
 * breaks): fill a gap that spans a whole number of median beat periods with
 * evenly spaced beats, so that beat-synchronous chroma and bars stay on the
 * grid. Gaps that are not near a multiple are left alone. */
static void fill_beats(double **beats, size_t *nb)
{
    size_t n = *nb;
    if (n < 4)
        return;
    double *ibi = x_malloc((n - 1) * sizeof(double));
    for (size_t i = 0; i + 1 < n; i++)
        ibi[i] = (*beats)[i + 1] - (*beats)[i];
    double period = ks_median(ibi, n - 1);
    x_free(ibi);
    if (!(period > 0))
        return;
    size_t cap = n, k = 0;
    double *out = x_malloc(cap * sizeof(double));
    for (size_t i = 0; i < n; i++) {
        if (i > 0) {
            double gap = (*beats)[i] - (*beats)[i - 1];
            double m = round(gap / period);
            if (m >= 2 && m <= 64 && fabs(gap - m * period) < 0.3 * period)
                for (int j = 1; j < (int)m; j++) {
                    if (k == cap) {
                        cap *= 2;
                        out = x_realloc(out, cap * sizeof(double));
                    }
                    out[k++] = (*beats)[i - 1] + gap * j / m;
                }
        }
        if (k == cap) {
            cap *= 2;
            out = x_realloc(out, cap * sizeof(double));
        }
        out[k++] = (*beats)[i];
    }
    x_free(*beats);
    *beats = out;
    *nb = k;
}

void ks_audio_extra_free(ks_audio_extra *x)
{
    if (!x)
        return;
    x_free(x->beats);
    x_free(x->notes);
    memset(x, 0, sizeof *x);
}

int ks_audio_analyze_ex(const ks_input *in, ks_record *r, ks_audio_extra *extra)
{
    int rc = 0;
    char err[512];
    ks_pcm pcm;
    ks_spec sp;
    ks_harmony h;
    ks_transcription tr;
    memset(&sp, 0, sizeof sp);
    memset(&h, 0, sizeof h);
    memset(&tr, 0, sizeof tr);
    double *on = NULL, *beats = NULL;
    size_t non = 0, nb = 0;
    if (extra)
        memset(extra, 0, sizeof *extra);
    ks_loud *loud = ks_loud_new();
    int rate = in->opt->audio_rate;
    rc = ks_audio_decode(in, rate, in->opt->max_audio_seconds, ks_loud_sink, loud, &pcm, err, sizeof err);
    if (rc < 0) {
        ks_record_fail(r, rc, "%s", err);
        goto done;
    }
    double dur = (double)pcm.n / rate;
    {
        char d[192];
        snprintf(d, sizeof d, "%s, %d Hz, %d ch%s", pcm.decoder, pcm.src_rate, pcm.src_channels,
                 pcm.truncated ? ", truncated at the duration cap" : "");
        ks_record_set_info(r, KS_I_AUDIO_DECODER, d);
    }
    if (in->extend_deadline)
        in->extend_deadline(in->deadline_ctx, dur);
    if (dur < 1.0) {
        rc = ks_record_fail(r, KS_E_TOO_SHORT, "%.3f s of audio; at least 1 s is needed", dur);
        goto done;
    }
    r->feat[KS_F_AUDIO_DURATION] = dur;

    /* loudness (measured while decoding) */
    ks_loud_result lr;
    if (ks_loud_result_get(loud, &lr) == 0) {
        r->feat[KS_F_AUDIO_LOUDNESS] = lr.integrated;
        r->feat[KS_F_AUDIO_LRA] = lr.lra;
        r->feat[KS_F_AUDIO_ST_LOUDNESS_SD] = lr.st_sd;
        r->feat[KS_F_AUDIO_PLR] = lr.plr;
    }

    /* events: onsets and beats */
    double bpm = NAN;
    if ((rc = ks_aubio_onsets(pcm.x, pcm.n, rate, "hfc", 0, &on, &non)) < 0 ||
        (rc = ks_aubio_beats(pcm.x, pcm.n, rate, &beats, &nb, &bpm)) < 0) {
        ks_record_fail(r, rc, "aubio: cannot create the onset or tempo detector at %d Hz", rate);
        goto done;
    }

    fill_beats(&beats, &nb);

    /* spectral frames: ~186 ms windows, ~46 ms hop */
    int nfft = 1;
    while (nfft < rate / 5)
        nfft *= 2;
    ks_spec_compute(pcm.x, pcm.n, rate, nfft, nfft / 4, &sp);

    /* harmony and structure */
    ks_harmony_compute(&sp, beats, nb, &h);
    r->feat[KS_F_AUDIO_KEY_CLARITY] = h.key_clarity;
    r->feat[KS_F_AUDIO_KEY_MARGIN] = h.key_margin;
    r->feat[KS_F_AUDIO_CHORD_TRANS_ENTROPY] = h.chord_trans_entropy;
    r->feat[KS_F_AUDIO_CHORD_CHANGE_RATE] = h.chord_change_rate;
    r->feat[KS_F_AUDIO_CHORD_LZ] = h.chord_lz;
    if (h.key >= 0) {
        double pc[12];
        for (int k = 0; k < 12; k++)
            pc[k] = h.profile[(k + h.key % 12) % 12];
        ks_record_set_desc(r, KS_D_AUDIO_PC_HIST, pc, 12);
        char kb[96];
        snprintf(kb, sizeof kb, "%s (%s chords)", ks_key_names[h.key], h.beat_sync ? "beat-synchronous" : "0.5 s");
        ks_record_set_info(r, KS_I_AUDIO_KEY, kb);
    }
    if (h.n_changes >= 4)
        ks_record_set_desc(r, KS_D_AUDIO_CHORD_BIGRAMS, h.bigrams, 48);
    ks_structure st;
    ks_structure_compute(&sp, &h, dur, &st);
    r->feat[KS_F_AUDIO_REPETITION_SHARE] = st.repetition_share;
    r->feat[KS_F_AUDIO_NOVELTY_PER_MIN] = st.novelty_per_min;

    /* melody */
    rc = ks_transcribe(pcm.x, pcm.n, rate, on, non, -1, &tr);
    if (rc < 0) {
        ks_record_fail(r, rc, "aubio: cannot create the YIN pitch tracker at %d Hz", rate);
        goto done;
    }
    ks_record_set_info(r, KS_I_AUDIO_MELODY_PATH,
                       tr.path == KS_MELODY_MONO ? "monophonic (aubio YIN)"
                                                 : "predominant (harmonic salience on FFTW spectrum)");
    r->feat[KS_F_AUDIO_TRANSCRIPTION_CONF] = tr.conf;
    r->feat[KS_F_AUDIO_NOTES_PER_S] = (double)tr.n / dur;
    rc = ks_melody_measure(tr.notes, tr.n, r);
    if (rc < 0) {
        ks_record_fail(r, rc, "melodic measures failed");
        goto done;
    }

    /* rhythm */
    ks_rhythm rh;
    ks_rhythm_compute(beats, nb, bpm, on, non, tr.notes, tr.n, dur, &rh);
    r->feat[KS_F_AUDIO_TEMPO_BPM] = rh.tempo_bpm;
    r->feat[KS_F_AUDIO_TEMPO_CV] = rh.tempo_cv;
    r->feat[KS_F_AUDIO_TEMPO_DRIFT] = rh.tempo_drift;
    r->feat[KS_F_AUDIO_IOI_ENTROPY] = rh.ioi_entropy;
    r->feat[KS_F_AUDIO_NPVI] = rh.npvi;
    r->feat[KS_F_AUDIO_ONSET_RATE] = rh.onset_rate;

    if (extra) {
        extra->beats = beats;
        extra->nbeats = nb;
        beats = NULL;
        extra->notes = tr.notes;
        extra->nnotes = tr.n;
        tr.notes = NULL;
        tr.n = 0;
        extra->melody_path = tr.path;
    }
done:
    ks_transcription_free(&tr);
    ks_harmony_free(&h);
    ks_spec_free(&sp);
    x_free(on);
    x_free(beats);
    ks_pcm_free(&pcm);
    ks_loud_del(loud);
    return rc < 0 ? rc : 0;
}

/* Symbolic inputs reach the audio modality too: a Standard MIDI File has
 * exact notes, so it goes to the MIDI reader instead of a decoder; ABC text
 * needs abc2midi, which a sandboxed worker may not run, so it is refused
 * with the command that handles it. */
int ks_audio_analyze(const ks_input *in, ks_record *r)
{
    unsigned char head[4];
    ssize_t k = pread(in->fd, head, sizeof head, 0);
    if (k == 4 && memcmp(head, "MThd", 4) == 0)
        return ks_midi_analyze(in, r);
    const char *dot = strrchr(in->path, '.');
    if (dot && (strcmp(dot, ".abc") == 0 || strcmp(dot, ".ABC") == 0))
        return ks_record_fail(r, KS_E_FORMAT, "ABC notation is symbolic: use `kitsch melody %s`", in->path);
    return ks_audio_analyze_ex(in, r, NULL);
}

const char *ks_audio_lib_versions(void)
{
    static char buf[512];
    snprintf(buf, sizeof buf, "%s, %s, %s, %s", ks_decode_versions(), ks_fft_version(), ks_aubio_version(),
             ks_loud_version());
    return buf;
}

/* ---- set metrics ---- */

static double cosine(const double *a, const double *b, size_t n, int centre)
{
    double ma = 0, mb = 0;
    if (centre) {
        for (size_t i = 0; i < n; i++) {
            ma += a[i];
            mb += b[i];
        }
        ma /= (double)n;
        mb /= (double)n;
    }
    double ab = 0, aa = 0, bb = 0;
    for (size_t i = 0; i < n; i++) {
        ab += (a[i] - ma) * (b[i] - mb);
        aa += (a[i] - ma) * (a[i] - ma);
        bb += (b[i] - mb) * (b[i] - mb);
    }
    return aa > 0 && bb > 0 ? ab / sqrt(aa * bb) : NAN;
}

#define MAX_PAIRS 5000

/* Mean pairwise similarity of one descriptor over the records that carry it;
 * all pairs up to MAX_PAIRS, else MAX_PAIRS pairs drawn at random. */
static void pair_mean(const ks_record *const *recs, size_t n, struct ks_rng *g, int desc, size_t len, int centre,
                      ks_set_value *out)
{
    const double **v = x_malloc((n ? n : 1) * sizeof(double *));
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (recs[i]->desc[desc].n == len)
            v[m++] = recs[i]->desc[desc].v;
    out->value = NAN;
    out->n = 0;
    out->note[0] = '\0';
    if (m >= 2) {
        double total = (double)m * (double)(m - 1) / 2, s = 0;
        int64_t k = 0;
        if (total <= MAX_PAIRS) {
            for (size_t i = 0; i < m; i++)
                for (size_t j = i + 1; j < m; j++) {
                    double c = cosine(v[i], v[j], len, centre);
                    if (isfinite(c)) {
                        s += c;
                        k++;
                    }
                }
        } else {
            for (int t = 0; t < MAX_PAIRS; t++) {
                size_t i = ks_rng_below(g, m), j = ks_rng_below(g, m - 1);
                if (j >= i)
                    j++;
                double c = cosine(v[i], v[j], len, centre);
                if (isfinite(c)) {
                    s += c;
                    k++;
                }
            }
            snprintf(out->note, sizeof out->note, "pairs sampled: %d of %.0f", MAX_PAIRS, total);
        }
        if (k) {
            out->value = s / (double)k;
            out->n = k;
        }
    }
    if (m < n && out->note[0] == '\0')
        snprintf(out->note, sizeof out->note, "%zu of %zu records carry the descriptor", m, n);
    x_free(v);
}

int ks_audio_set_metrics(const ks_record *const *recs, size_t n, struct ks_rng *g, ks_set_value *out)
{
    /* pitch-class profiles share a large constant part: compare them
     * mean-centred (Pearson), chord-change profiles as they are */
    pair_mean(recs, n, g, KS_D_AUDIO_PC_HIST, 12, 1, &out[KS_S_AUDIO_PC_SIMILARITY]);
    pair_mean(recs, n, g, KS_D_AUDIO_CHORD_BIGRAMS, 48, 0, &out[KS_S_AUDIO_CHORD_SIMILARITY]);
    return 0;
}
