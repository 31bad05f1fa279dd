/* transcribe.c - notes from a recording.
 *
 * Two paths, and the record says which one ran (audio.melody_path):
 *  - monophonic: aubio's YIN pitch track (de Cheveigne & Kawahara 2002, the
 *    FFT implementation "yinfast"; yinfft's confidence is stuck at 0 for
 *    mid-range notes in aubio 0.4.9, aubio issue #167, and the confidence
 *    is what tells a solo line from a mix), used when >= 85 % of sounding
 *    frames carry a confident single pitch (solo voice/instrument);
 *  - predominant: for songs with accompaniment, a harmonic-summation salience
 *    function on the FFTW spectrum (Klapuri 2006; Salamon & Gomez 2012 use
 *    the same principle), band-limited to 82 Hz..5 kHz and spectrally
 *    compressed, whose peaks are tracked into one continuous melody
 *    contour by a Viterbi path (Salamon & Gomez 2012's contour idea).
 * Both then go through the same note segmentation: global tuning offset
 * removed, semitone rounding, subharmonic excursions at note changes given
 * to the next note, a 5-frame mode filter (median-like for categorical
 * pitch), minimum note duration, splitting of repeated same-pitch notes at
 * detected onsets that carry an energy rise or (YIN path) a periodicity
 * drop, and onset refinement to the nearest detected
 * onset (aubio's high-frequency-content onsets plus energy valleys followed by a rise,
 * for soft attacks). The pitch tracker's latency (half its window) is
 * compensated in aubio_glue.c; a pitch-change boundary with no attack near it
 * is moved 50 ms earlier (a soft attack wins the window only once it has
 * built up over the previous note's tail).
 */
#include "audio_int.h"
#include "stats.h"

#include <stdlib.h>
#include <string.h>

#define PT_BUF 1024  /* 46 ms at 22.05 kHz, as aubiopitch's 2048 at 44.1 kHz */
#define PT_HOP 256
#define MIN_NOTE_S 0.07
#define MODE_W 2          /* half window of the mode filter, frames */
#define GATE_DB 35.0      /* frames this far below the loudest are silence */

/* Remove a global tuning offset (circular mean of the fractional parts of
 * voiced pitches), so a recording tuned to A=435 Hz rounds like one at 440.
 * Two guards, because a wrong offset shifts every note's rounding:
 *  - each frame counts with its pitch averaged over TUNE_HALF frames either
 *    side (+-93 ms: one cycle of a 5.5 Hz vibrato), and only inside one note
 *    (all voiced, range <= 2 semitones). A sung vibrato of +-40..50 cents
 *    spreads the raw fractions to its turning points, their mean cosine
 *    falls below 0, and the raw estimate jumped to half a semitone: every
 *    note became a trill of two semitones (tests/test_audio_analyze.c).
 *  - the mean direction has a prior at A=440 Hz (no offset): TUNE_PRIOR
 *    pseudo-frames at fraction 0 per counted frame, the conjugate (von
 *    Mises) prior on a circular mean (Mardia & Jupp 2000, "Directional
 *    Statistics", sec. 12.4). A clear tuning (mean resultant length 0.6-0.9
 *    on a solo) still moves the estimate; a spread one (0.2-0.4 in a dense
 *    mix, where it followed the accompaniment, and a neural codec moved it:
 *    real decoder-pair clips vs their encodec6 versions +0.24 vs -0.48,
 *    +0.29 vs -0.49, 0.00 vs -0.29 semitone) stays near 0.
 * Chosen on material that is not the decoder pairs (eval/build_tuning.sh:
 * 29 excerpts of AI songs and Debian game music through opus 16k, opus 8k
 * and mp3 32k, melodic-feature change; and note F1 on the accompanied Essen
 * renderings of eval/build_contour_costs.sh): prior 0 and 0.1 worse on the
 * mp3 copies (melodic change 6.5 % and 5.8 % vs 5.4 %), 0.2-0.3 equal
 * (0.25 taken, the middle), 0.5 and more lose F1 (0.724 -> 0.720); the
 * averaging changes neither there. With no frame inside a long enough note
 * the offset is 0. */
#ifndef TUNE_PRIOR
#define TUNE_PRIOR 0.25
#endif
#ifndef TUNE_HALF
#define TUNE_HALF 8
#endif
static double tuning_offset(const float *midi, size_t n)
{
    double s = 0, c = 0;
    size_t nv = 0;
    for (size_t i = TUNE_HALF; i + TUNE_HALF < n; i++) {
        if (midi[i] <= 0)
            continue;
        double sum = 0, lo = midi[i], hi = midi[i];
        for (size_t k = i - TUNE_HALF; k <= i + TUNE_HALF; k++) {
            sum += midi[k];
            lo = midi[k] < lo ? midi[k] : lo;
            hi = midi[k] > hi ? midi[k] : hi;
        }
        if (lo <= 0 || hi - lo > 2)
            continue;
        double v = sum / (2 * TUNE_HALF + 1), a = 2 * KS_PI * (v - floor(v));
        s += sin(a);
        c += cos(a);
        nv++;
    }
    c += TUNE_PRIOR * (double)nv;
    if (nv == 0)
        return 0;
    return atan2(s, c) / (2 * KS_PI);
}

/* Frame pitches (float MIDI, 0 unvoiced) -> notes. */
/* Energy rise at an onset: the loudest frame in the 60 ms after over the
 * quietest in the 60 ms before. A re-articulated note dips and rises;
 * vibrato and tremolo inside a held note barely do. */
static double rise_at(const float *rms, const double *t, size_t n, double hop_s, double at)
{
    if (n == 0)
        return 0;
    long c = lround((at - t[0]) / hop_s);
    long w = lround(0.06 / hop_s);
    float lo = INFINITY, hi = 0;
    for (long k = c - w; k <= c + w; k++) {
        if (k < 0 || (size_t)k >= n)
            continue;
        if (k <= c && rms[k] < lo)
            lo = rms[k];
        if (k >= c && rms[k] > hi)
            hi = rms[k];
    }
    return lo > 0 && isfinite(lo) ? hi / lo : 0;
}

/* Drop of the pitch tracker's periodicity at an onset: the highest YIN
 * confidence 40..150 ms before it minus the lowest in the 90 ms around it.
 * Striking a note again is a noisy transient that breaks the periodicity
 * for a few frames even when the energy hardly rises (a piano key struck
 * while its string still rings: x1.0..1.3 on FluidR3's piano); vibrato and
 * tremolo inside a held note keep it (<= 0.025 on the flute's held notes).
 * Only frames from lo on (the current note's run) count, so a more periodic
 * previous note does not pass for a drop. */
static double periodicity_dip(const float *conf, const double *t, size_t lo, size_t n, double hop_s, double at)
{
    if (n == 0)
        return 0;
    long a = lround((at - 0.15 - t[0]) / hop_s), b = lround((at - 0.04 - t[0]) / hop_s);
    long c = lround((at - 0.02 - t[0]) / hop_s), d = lround((at + 0.07 - t[0]) / hop_s);
    float before = 0, after = 1;
    for (long k = a; k <= d; k++) {
        if (k < (long)lo || (size_t)k >= n)
            continue;
        if (k <= b && conf[k] > before)
            before = conf[k];
        if (k >= c && conf[k] < after)
            after = conf[k];
    }
    return (double)before - (double)after;
}

/* Tuned on three Essen tunes rendered with piano and flute (fluidsynth);
 * eval/audio_transcription.sh measures other tunes. The advance was 35 ms;
 * with subharmonic excursions given to the next note, flute onsets at pitch
 * changes still came a median 26..30 ms late on 15 other tunes, and 50 ms
 * raised flute F1 there (0.717 -> 0.722) and on the eval tunes
 * (0.710 -> 0.721), piano unchanged or better. */
/* split_rise was 1.3: the flute soundfont's tremolo rose that much inside
 * held notes and split them (821 notes for 630 on 20 Essen tunes no eval
 * uses). On those tunes flute F1 goes 0.677 (x1.3) 0.720 (x1.5) 0.753
 * (x1.6) 0.756 (x1.8) 0.751 (x2.0), piano 0.983 -> 0.980; x1.8, the middle
 * of the plateau. A piano note struck again while it rings is still split
 * by the periodicity drop. */
static const double split_rise = 1.8;  /* onset splits a same-pitch run: energy x1.8 (5.1 dB) */
static const double advance = 0.050;   /* pitch-change boundary without an attack: 50 ms earlier */
static const double valley_rise = 1.3; /* energy valley counts as an attack: x1.3 rise */
static const double split_dip = 0.05;  /* or a periodicity drop of 0.05 (YIN path only) */

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Candidate note starts: the detected onsets plus the valleys of the frame
 * energy that are followed by a rise (soft attacks - flute, voice - that
 * spectral onset detectors miss). Sorted. */
static double *valleys(const float *rms, const double *t, size_t n, double hop_s, float gate, const double *on,
                       size_t non, size_t *count)
{
    size_t cap = non + 64, k = 0;
    double *v = x_malloc(cap * sizeof(double));
    for (size_t i = 0; i < non; i++)
        v[k++] = on[i];
    long w = lround(0.05 / hop_s), w2 = lround(0.12 / hop_s);
    for (size_t i = 1; i + 1 < n; i++) {
        int ismin = 1;
        for (long j = (long)i - w; j <= (long)i + w && ismin; j++)
            if (j >= 0 && (size_t)j < n && j != (long)i && rms[j] < rms[i])
                ismin = 0;
        if (!ismin)
            continue;
        float hi = 0;
        for (long j = (long)i; j <= (long)i + w2 && (size_t)j < n; j++)
            hi = rms[j] > hi ? rms[j] : hi;
        if (hi < gate || hi < valley_rise * rms[i])
            continue;
        if (k == cap) {
            cap *= 2;
            v = x_realloc(v, cap * sizeof(double));
        }
        v[k++] = t[i];
    }
    qsort(v, k, sizeof(double), cmp_d);
    *count = k;
    return v;
}

/* Subharmonic excursions at note changes. While the previous note still
 * sounds (a flute's release, a piano string ringing on) and the next one
 * builds up, the analysis window holds both, and YIN finds their common
 * period: a "too low" error (de Cheveigne & Kawahara 2002, sec. II.B) of an
 * octave or more (F4 -> A4 gives F2, G4 -> D4 gives G2). A stretch of
 * voiced frames at least SUB_DROP semitones below the note before it and
 * below the note after it, lasting at most SUB_MAX_S (one window plus the
 * overlap of the two notes; 0.14 s left piano excursions unmerged), is
 * where the next note began: it gets that note's pitch. Followed by
 * silence (a release), it gets the pitch of the note before. After a rest
 * nothing tells an excursion from a short low note, so it is left alone; a
 * melodic leap of an octave down and straight back up within 0.2 s is not
 * a folk or pop idiom. Measured on 15 Essen tunes other than those of
 * eval/audio_transcription.sh: piano note F1 0.892 -> 0.950, flute 0.689 ->
 * 0.718. */
#define SUB_DROP 11
#define SUB_MAX_S 0.20
static void fix_subharmonics(int *q, size_t n, double hop_s)
{
    size_t maxlen = (size_t)(SUB_MAX_S / hop_s + 0.5);
    for (size_t i = 0; i < n;) {
        int prev = i > 0 ? q[i - 1] : 0;
        if (q[i] <= 0 || prev <= 0 || prev - q[i] < SUB_DROP) {
            i++;
            continue;
        }
        /* the shortest stretch [i, f) that stays SUB_DROP below both
         * neighbours, q[f] being a voiced note above it or silence */
        size_t f = 0;
        int lo_max = 0;
        for (size_t e = i; e < n && q[e] > 0 && e - i < maxlen; e++) {
            lo_max = q[e] > lo_max ? q[e] : lo_max;
            if (prev - lo_max < SUB_DROP)
                break;
            if (e + 1 < n && (q[e + 1] <= 0 || q[e + 1] - lo_max >= SUB_DROP)) {
                f = e + 1;
                break;
            }
        }
        if (f) {
            int to = q[f] > 0 ? q[f] : prev;
            for (size_t k = i; k < f; k++)
                q[k] = to;
            i = f;
        } else {
            i++;
        }
    }
}

/* An attack at time `at` inside the same-pitch run starting at frame `run`.
 * yin_conf: the tracker's periodicity per frame (the monophonic path), or
 * NULL (the salience path has no such measure). */
static int attack_at(const float *rms, const float *yin_conf, const double *t, size_t run, size_t n, double hop_s,
                     double at)
{
    return rise_at(rms, t, n, hop_s, at) >= split_rise ||
           (yin_conf && periodicity_dip(yin_conf, t, run, n, hop_s, at) >= split_dip);
}

static void segment(const float *midi, const float *conf, const float *yin_conf, const float *rms, const double *t,
                    size_t n, double hop_s, const double *onsets, size_t non, ks_transcription *tr)
{
    double off = tuning_offset(midi, n);
    int *q = x_malloc((n ? n : 1) * sizeof(int)), *m = x_malloc((n ? n : 1) * sizeof(int));
    for (size_t i = 0; i < n; i++)
        q[i] = midi[i] > 0 ? (int)lround(midi[i] - off) : 0;
    fix_subharmonics(q, n, hop_s);
    /* mode filter: the most frequent value in the window (ties: the centre) */
    for (size_t i = 0; i < n; i++) {
        size_t a = i >= MODE_W ? i - MODE_W : 0, b = i + MODE_W < n ? i + MODE_W : n - 1;
        int best = q[i], bestc = 0;
        for (size_t j = a; j <= b; j++) {
            int cnt = 0;
            for (size_t k = a; k <= b; k++)
                cnt += q[k] == q[j];
            if (cnt > bestc || (cnt == bestc && q[j] == q[i])) {
                bestc = cnt;
                best = q[j];
            }
        }
        m[i] = best;
    }
    size_t cap = 64;
    tr->notes = x_malloc(cap * sizeof(ks_note));
    tr->n = 0;
    size_t oi = 0;
    for (size_t i = 0; i < n;) {
        if (m[i] <= 0) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && m[j] == m[i])
            j++;
        /* run [i, j) of one pitch: split at onsets well inside it */
        double start = t[i] - hop_s / 2, end = t[j - 1] + hop_s / 2;
        double seg_start = start;
        while (oi < non && onsets[oi] < start + MIN_NOTE_S)
            oi++;
        size_t ok = oi;
        for (;;) {
            double cut = end;
            while (ok < non && onsets[ok] < end - MIN_NOTE_S && !attack_at(rms, yin_conf, t, i, n, hop_s, onsets[ok]))
                ok++;
            if (ok < non && onsets[ok] < end - MIN_NOTE_S)
                cut = onsets[ok];
            if (cut - seg_start >= MIN_NOTE_S) {
                if (tr->n == cap) {
                    cap *= 2;
                    tr->notes = x_realloc(tr->notes, cap * sizeof(ks_note));
                }
                double cs = 0;
                size_t cn = 0;
                for (size_t k = i; k < j; k++)
                    if (t[k] >= seg_start && t[k] < cut) {
                        cs += conf[k];
                        cn++;
                    }
                ks_note *nt = &tr->notes[tr->n++];
                nt->onset_s = seg_start;
                nt->dur_s = cut - seg_start;
                nt->pitch = m[i];
                nt->conf = cn ? cs / cn : 0;
            }
            if (cut >= end)
                break;
            seg_start = cut;
            ok++;
        }
        i = j;
    }
    /* Onset refinement: the pitch track settles a few frames after the
     * attack; a detected onset shortly before (or just after) is the truth. */
    size_t k = 0;
    for (size_t i = 0; i < tr->n; i++) {
        ks_note *nt = &tr->notes[i];
        while (k < non && onsets[k] < nt->onset_s - 0.08)
            k++;
        double prev_start = i ? tr->notes[i - 1].onset_s + MIN_NOTE_S : -1;
        if (k < non && onsets[k] <= nt->onset_s + 0.03 && onsets[k] > prev_start) {
            nt->dur_s += nt->onset_s - onsets[k];
            nt->onset_s = onsets[k];
        } else if (nt->onset_s - advance > prev_start && nt->onset_s - advance >= 0) {
            /* No attack found: a soft attack (flute, voice) only wins the
             * analysis window once it has built up over the previous note's
             * tail or the silence before. */
            nt->onset_s -= advance;
            nt->dur_s += advance;
        }
    }
    x_free(q);
    x_free(m);
}

/* Harmonic-summation salience on a 20-cent grid, MIDI 40..84. */
#define SAL_LO 40
#define SAL_HI 84
#define SAL_RES 5
#define SAL_H 10
#define SAL_N 2048
#define SAL_K 5           /* melody candidates per frame: salience peaks */
/* Voicing threshold on the peak/mean salience ratio, relative to the piece
 * (Salamon & Gomez 2012, sec. II-C: keep contours whose mean salience is
 * above the mean minus nu standard deviations of all contours' mean
 * saliences, nu = 0.2 there): here the mean minus SAL_NU standard
 * deviations of the frames' top-peak ratios, never below SAL_FLOOR. Our
 * one Viterbi path holds mostly melodic frames, not all contours, so nu is
 * larger. The fixed ratio 1.6 sat above the typical top ratio of dense
 * mixes (real decoder-pair clips: mean 1.40-1.45, encodec6 versions
 * 1.37-1.38): 9-13 notes in 30 s, and 1-4 on the codec's version. Chosen
 * on the accompanied Essen renderings of eval/build_contour_costs.sh (mean
 * note F1: fixed 1.6 0.648; nu 0.5 0.369, 1.0 0.554, 1.5 0.662, 2.0 0.666,
 * 2.5 0.674 (floor 1.1) / 0.668 (floor 1.2), 3.0 0.668; a fixed 1.1 0.669,
 * 1.2 0.668, 1.4 0.661), then again with the octave step below (fixed 1.6
 * 0.710; nu 1.0 0.630, 1.25 0.704, 1.5 0.728, 1.75 0.724, 2.0 0.723, 2.25
 * 0.714, 2.5 0.711, 3.0 0.708): 1.75, inside the plateau and away from
 * the drop below 1.5. The threshold lands at 1.4-1.5 on three of those
 * renderings (top ratios 2.1-2.6 +- 0.4-0.6) and at 1.15-1.18 on three
 * real decoder-pair clips and their encodec6 versions.
 * SAL_NU < 0: the fixed SAL_VOICED (eval/ variants). */
#ifndef SAL_VOICED
#define SAL_VOICED 1.6
#endif
#ifndef SAL_NU
#define SAL_NU 1.75
#endif
#ifndef SAL_FLOOR
#define SAL_FLOOR 1.1     /* lowest threshold; also the lowest candidate ratio */
#endif
#define SAL_ALPHA 27.0    /* Hz, harmonic weight (Klapuri 2006) */
#define SAL_BETA 320.0    /* Hz */
/* Contour costs, in units of the log salience ratio a peak scores: a 12
 * semitone jump costs as much as a peak 2.6x higher gains, so the argmax
 * hopping to the bass or an accompaniment voice for a frame or two loses to
 * the melody continuing; a voicing change costs 0.15. Chosen, with
 * the voicing threshold, by eval/build_contour_costs.sh on accompanied renderings of
 * Essen tunes no eval uses (note F1 0.622 at jump 0.02, 0.648 at 0.08,
 * 0.639 at 0.16; voicing 1.3 and 1.9 worse), not on the decoder pairs,
 * which eval/audio_decoder_pairs.sh therefore measures held out. */
#ifndef SAL_JUMP /* eval/ scripts build variants (KS_EVAL_SAL_COSTS) */
#define SAL_JUMP 0.08     /* per semitone */
#endif
#ifndef SAL_SWITCH
#define SAL_SWITCH 0.15
#endif

/* The melody as a continuous contour, not a per-frame argmax: the argmax
 * jumps between the bass and the upper voice from one frame to the next,
 * and a codec that slightly rebalances them changes the transcribed
 * intervals. Salamon & Gomez 2012 ("Melody extraction from polyphonic music
 * signals using pitch contour characteristics", IEEE TASLP 20(6)) track
 * salience peaks into continuous pitch contours and keep the melodic ones;
 * here a Viterbi path over the top SAL_K salience peaks of each frame plus
 * an unvoiced state does the same tracking in one pass: a peak scores
 * log(its salience ratio / the voicing threshold), a pitch change costs in proportion
 * to its size in semitones, and entering or leaving the unvoiced state has
 * a fixed cost. cp/cr: per frame the candidates' pitch (MIDI, 0 = none)
 * and salience ratio; frames in steps of `step`. */
static void melody_path(const float *cp, const float *cr, size_t nf, size_t step, double voiced, float *midi,
                        float *conf)
{
    enum { S = SAL_K + 1 }; /* state SAL_K: unvoiced */
    size_t nt = (nf + step - 1) / step;
    if (nt == 0)
        return;
    unsigned char *bp = x_malloc(nt * S);
    double score[S], next[S];
    for (int k = 0; k < S; k++)
        score[k] = k == SAL_K ? 0 : -INFINITY;
    for (size_t t = 0; t < nt; t++) {
        const float *p = cp + t * step * SAL_K, *r = cr + t * step * SAL_K;
        for (int k = 0; k < S; k++) {
            double e;
            if (k == SAL_K)
                e = 0;
            else if (p[k] > 0)
                e = log(r[k] / voiced);
            else {
                next[k] = -INFINITY;
                bp[t * S + k] = SAL_K;
                continue;
            }
            double best = -INFINITY;
            int arg = SAL_K;
            for (int j = 0; j < S; j++) {
                if (score[j] == -INFINITY)
                    continue;
                double c;
                if (j == SAL_K && k == SAL_K)
                    c = 0;
                else if (j == SAL_K || k == SAL_K)
                    c = SAL_SWITCH;
                else
                    c = SAL_JUMP * fabs((double)p[k] - (t ? cp[(t - 1) * step * SAL_K + j] : 0));
                if (score[j] - c > best) {
                    best = score[j] - c;
                    arg = j;
                }
            }
            next[k] = best + e;
            bp[t * S + k] = (unsigned char)arg;
        }
        memcpy(score, next, sizeof score);
    }
    int k = SAL_K;
    for (int j = 0; j < S; j++)
        if (score[j] > score[k])
            k = j;
    for (size_t t = nt; t-- > 0;) {
        size_t i = t * step;
        const float *p = cp + i * SAL_K, *r = cr + i * SAL_K;
        if (k < SAL_K) {
            midi[i] = p[k];
            conf[i] = (float)fmin(1, (r[k] - voiced) / 1.4);
            if (conf[i] < 0)
                conf[i] = 0;
        }
        k = bp[t * S + k];
    }
    x_free(bp);
}

/* Octave errors. Where a chord root doubles the melody an octave down, that
 * candidate also collects the melody's even harmonics and outscores it, and
 * the path drops an octave for the note. Salamon & Gomez 2012 (sec. II-D)
 * remove, of two contours an octave apart, the one further from a smoothed
 * "melody pitch mean" of all contours (a 5 s mean, iterated 3 times). Here
 * the path's voiced runs of continuous pitch are the contours (the mean is
 * the path's, unweighted, as there is one contour per frame), and a
 * contour whose octave duplicate is among the frame candidates in at least
 * half its frames moves there (1) when the duplicate is nearer the path's
 * mean pitch over OCT_WIN_S around it (their rule), or (2) upward, when the
 * duplicate above scores at least OCT_KAPPA of the contour's salience: a
 * lone note's second-harmonic candidate scores far less than the note
 * itself, a melody note doubled below about as much. Rule (1) alone left
 * the test's octave errors (the path's mean is pulled down by them): on the
 * accompanied renderings of eval/build_contour_costs.sh, mean note F1 0.674
 * without this step, 0.675 with (1) alone; with (2), kappa 0.7 0.667, 0.8
 * 0.707, 0.9 0.711, 1.0 0.688, 1.1 0.680 ((2) alone at 0.9: 0.707). */
#ifndef OCT_WIN_S
#define OCT_WIN_S 5.0
#endif
#ifndef OCT_KAPPA
#define OCT_KAPPA 0.9
#endif
#ifndef OCT_PM
#define OCT_PM 1
#endif
#ifndef OCT_ITER
#define OCT_ITER 3
#endif
/* the candidate of frame candidates p within half a semitone of `want`, or -1 */
static int octave_partner(const float *p, float want)
{
    for (int k = 0; k < SAL_K; k++)
        if (p[k] > 0 && fabsf(p[k] - want) <= 0.5f)
            return k;
    return -1;
}
/* the candidate the path took (its pitch is copied from the candidate), or -1 */
static int path_cand(const float *p, float m)
{
    for (int k = 0; k < SAL_K; k++)
        if (p[k] == m)
            return k;
    return -1;
}

static void octave_fix(const float *cp, const float *cr, size_t nf, size_t step, double hop_s, float *midi)
{
    size_t nt = (nf + step - 1) / step;
    if (OCT_ITER <= 0 || nt == 0)
        return;
    double *cs = x_malloc((nt + 1) * sizeof(double)), *cn = x_malloc((nt + 1) * sizeof(double));
    long w = lround(OCT_WIN_S / 2 / (hop_s * (double)step));
    for (int it = 0; it < OCT_ITER; it++) {
        cs[0] = cn[0] = 0;
        for (size_t t = 0; t < nt; t++) {
            float m = midi[t * step];
            cs[t + 1] = cs[t] + (m > 0 ? m : 0);
            cn[t + 1] = cn[t] + (m > 0);
        }
        int moved = 0;
        for (size_t a = 0; a < nt;) {
            if (midi[a * step] <= 0) {
                a++;
                continue;
            }
            size_t b = a + 1;
            while (b < nt && midi[b * step] > 0 && fabsf(midi[b * step] - midi[(b - 1) * step]) < 0.7f)
                b++;
            /* contour [a, b): its mean pitch, the path's mean around it */
            size_t lo = a > (size_t)w ? a - (size_t)w : 0, hi = b + (size_t)w < nt ? b + (size_t)w : nt;
            double pm = cn[hi] - cn[lo] > 0 ? (cs[hi] - cs[lo]) / (cn[hi] - cn[lo]) : 0;
            double pc = (cs[b] - cs[a]) / (double)(b - a);
            for (int dir = -12; dir <= 12; dir += 24) {
                size_t have = 0;
                double ro = 0, rd = 0;
                for (size_t t = a; t < b; t++) {
                    const float *p = cp + t * step * SAL_K, *r = cr + t * step * SAL_K;
                    int k = octave_partner(p, midi[t * step] + (float)dir), j = path_cand(p, midi[t * step]);
                    have += k >= 0;
                    rd += k >= 0 ? r[k] : 0;
                    ro += j >= 0 ? r[j] : 0;
                }
                if (2 * have < b - a)
                    continue;
                int up = dir > 0 && OCT_KAPPA > 0 && rd >= OCT_KAPPA * ro;
                if (!up && (OCT_PM == 0 || fabs(pc + dir - pm) >= fabs(pc - pm)))
                    continue;
                for (size_t t = a; t < b; t++) {
                    const float *p = cp + t * step * SAL_K;
                    int q = octave_partner(p, midi[t * step] + (float)dir);
                    midi[t * step] = q >= 0 ? p[q] : midi[t * step] + (float)dir;
                }
                moved = 1;
                break;
            }
            a = b;
        }
        if (!moved)
            break;
    }
    x_free(cs);
    x_free(cn);
}

static void predominant(const float *x, size_t n, int rate, const float *rms, float gate, float *midi, float *conf,
                        size_t nf)
{
    ks_stft *s = ks_stft_new(SAL_N);
    int nb = SAL_N / 2 + 1;
    float *frame = x_malloc(SAL_N * sizeof(float)), *mag = x_malloc((size_t)nb * sizeof(float));
    int nc = (SAL_HI - SAL_LO) * SAL_RES + 1;
    /* bin index and weight of harmonic h of each candidate. The weight is
     * Klapuri's (2006, "Multiple fundamental frequency estimation by
     * summing harmonic amplitudes", ISMIR, eq. 3): g(f0, h) =
     * (f0 + SAL_ALPHA) / (h f0 + SAL_BETA), his published constants for a
     * 93 ms frame (SAL_N at 22.05 kHz). A fixed 0.8^h decay let a low
     * candidate win by collecting more harmonics below 5 kHz, the chord
     * tones and the melody among them: on accompanied recordings the
     * contour sat on the bass at the bottom of the range (median note MIDI
     * 40-44 on 6 of the 7 real decoder-pair clips). */
    int *bin = x_malloc((size_t)nc * SAL_H * sizeof(int));
    float *hw = x_malloc((size_t)nc * SAL_H * sizeof(float));
    double hz_per_bin = (double)rate / SAL_N;
    for (int c = 0; c < nc; c++) {
        double f0 = 440 * pow(2, (SAL_LO + (double)c / SAL_RES - 69) / 12);
        for (int h = 0; h < SAL_H; h++) {
            double f = f0 * (h + 1);
            bin[c * SAL_H + h] = f < 5000 ? (int)lround(f / hz_per_bin) : -1;
            hw[c * SAL_H + h] = (float)((f0 + SAL_ALPHA) / (f + SAL_BETA));
        }
    }
    /* the salience reads bins up to the highest harmonic's neighbour only:
     * compress just those (log1pf on the whole spectrum was 7 % of the
     * analysis) */
    int top = 0;
    for (int c = 0; c < nc * SAL_H; c++)
        if (bin[c] < nb - 1 && bin[c] + 2 > top)
            top = bin[c] + 2;
    float *sal = x_malloc((size_t)nc * sizeof(float));
    size_t nk = (nf ? nf : 1) * SAL_K;
    float *cp = x_calloc(nk, sizeof(float)), *cr = x_calloc(nk, sizeof(float));
    double *tops = x_malloc((nf ? nf : 1) * sizeof(double));
    size_t ntop = 0;
    for (size_t i = 0; i < nf; i++) {
        midi[i] = 0;
        conf[i] = 0;
        /* every other pitch frame (23 ms): the salience FFT is twice the
         * tracker's size, and notes are segmented at >= 70 ms anyway */
        if (i % 2 == 1 || rms[i] < gate)
            continue;
        /* centred on the pitch tracker's frame i */
        long end = (long)((i + 1) * PT_HOP) - PT_BUF / 2 + SAL_N / 2, beg = end - SAL_N;
        for (int k = 0; k < SAL_N; k++) {
            long p = beg + k;
            frame[k] = p >= 0 && (size_t)p < n ? x[p] : 0;
        }
        ks_stft_mag(s, frame, mag);
        float mx = 0;
        for (int k = 0; k < nb; k++)
            mx = mag[k] > mx ? mag[k] : mx;
        if (mx <= 0)
            continue;
        for (int k = 0; k < top; k++)
            mag[k] = log1pf(100.0f * mag[k] / mx);
        double tot = 0;
        float smax = 0; /* the frame's top salience, for the piece's voicing threshold */
        for (int c = 0; c < nc; c++) {
            float v = 0;
            for (int h = 0; h < SAL_H; h++) {
                int b = bin[c * SAL_H + h];
                if (b < 1 || b >= nb - 1)
                    break;
                float a = mag[b];
                a = mag[b - 1] > a ? mag[b - 1] : a;
                a = mag[b + 1] > a ? mag[b + 1] : a;
                v += hw[c * SAL_H + h] * a;
            }
            sal[c] = v;
            tot += v;
            smax = v > smax ? v : smax;
        }
        double mean = tot / nc;
        if (mean <= 0)
            continue;
        /* the SAL_K highest local maxima of the salience that stand out
         * from its average, by insertion into a short sorted list */
        float *p = cp + i * SAL_K, *r = cr + i * SAL_K;
        tops[ntop++] = smax / mean;
        for (int c = 0; c < nc; c++) {
            if ((c > 0 && sal[c - 1] >= sal[c]) || (c + 1 < nc && sal[c + 1] > sal[c]))
                continue;
            float ratio = (float)(sal[c] / mean);
            if (ratio <= (SAL_NU < 0 ? SAL_VOICED : SAL_FLOOR) || ratio <= r[SAL_K - 1])
                continue;
            int k = SAL_K - 1;
            while (k > 0 && r[k - 1] < ratio) {
                r[k] = r[k - 1];
                p[k] = p[k - 1];
                k--;
            }
            r[k] = ratio;
            p[k] = (float)(SAL_LO + (double)c / SAL_RES);
        }
    }
    double voiced = SAL_VOICED;
    if (SAL_NU >= 0 && ntop > 1) {
        double m, sd;
        ks_column_moments(tops, ntop, 1, &m, &sd);
        voiced = m - SAL_NU * sd;
        if (voiced < SAL_FLOOR)
            voiced = SAL_FLOOR;
    }
    x_free(tops);
    melody_path(cp, cr, nf, 2, voiced, midi, conf);
    octave_fix(cp, cr, nf, 2, (double)PT_HOP / rate, midi);
    for (size_t i = 1; i < nf; i += 2) {
        midi[i] = midi[i - 1];
        conf[i] = conf[i - 1];
    }
    x_free(cp);
    x_free(cr);
    x_free(sal);
    x_free(bin);
    x_free(hw);
    x_free(frame);
    x_free(mag);
    ks_stft_del(s);
}

/* Path decision while the pitch tracker runs. A frame is sounding when
 * its energy is within GATE_DB of the loudest; the monophonic path needs
 * >= 85 % of the sounding frames confident. Once that share cannot be
 * reached even if every sounding frame still to come were confident, the
 * path is the predominant one, which uses the frame energies but not the
 * pitch track: the tracker stops there (on songs after 20-80 % of the
 * frames; the tracker was 18 % of the whole analysis). A forced path
 * decides at once, except the monophonic one, which needs the track. */
typedef struct decider {
    float gate;
    size_t all_sounding;   /* sounding frames in the whole signal */
    size_t sounding, confident;
    int force_path;
} decider;

static int path_certain(void *ctx, const ks_pitch_track *pt, size_t i)
{
    decider *d = ctx;
    if (i == 0) {
        float mx = 0;
        for (size_t k = 0; k < pt->n; k++)
            mx = pt->rms[k] > mx ? pt->rms[k] : mx;
        d->gate = mx * (float)pow(10, -GATE_DB / 20);
        if (d->gate < 1e-4f)
            d->gate = 1e-4f;
        for (size_t k = 0; k < pt->n; k++)
            d->all_sounding += pt->rms[k] >= d->gate;
    }
    if (pt->rms[i] >= d->gate) {
        d->sounding++;
        d->confident += pt->conf[i] >= 0.8f && pt->midi[i] > 20 && pt->midi[i] < 110;
    }
    if (d->force_path >= 0)
        return d->force_path != KS_MELODY_MONO;
    size_t best = d->confident + (d->all_sounding - d->sounding);
    return d->all_sounding && (double)best / d->all_sounding < 0.85;
}

int ks_transcribe(const float *x, size_t n, int rate, const double *on, size_t non, int force_path,
                  ks_transcription *tr)
{

    memset(tr, 0, sizeof *tr);
    tr->conf = NAN;
    tr->voiced_share = NAN;
    ks_pitch_track pt;
    decider d = {0, 0, 0, 0, force_path};
    int rc = ks_aubio_pitch(x, n, rate, PT_BUF, PT_HOP, path_certain, &d, &pt);
    if (rc < 0)
        return rc;
    float gate = d.gate;
    size_t sounding = d.sounding, confident = d.confident;
    int path = force_path >= 0 ? force_path : KS_MELODY_PREDOMINANT;
    if (pt.tracked == pt.n) {
        tr->voiced_share = sounding ? (double)confident / sounding : NAN;
        if (force_path < 0 && sounding && tr->voiced_share >= 0.85)
            path = KS_MELODY_MONO;
    }
    tr->path = path;
    float *midi = x_malloc((pt.n ? pt.n : 1) * sizeof(float)), *cf = x_malloc((pt.n ? pt.n : 1) * sizeof(float));
    if (path == KS_MELODY_MONO) {
        for (size_t i = 0; i < pt.n; i++) {
            int ok = pt.rms[i] >= gate && pt.conf[i] >= 0.6f && pt.midi[i] > 20 && pt.midi[i] < 110;
            midi[i] = ok ? pt.midi[i] : 0;
            cf[i] = ok ? pt.conf[i] : 0;
        }
    } else {
        predominant(x, n, rate, pt.rms, gate, midi, cf, pt.n);
    }
    size_t nv = 0;
    double *cand = valleys(pt.rms, pt.t, pt.n, pt.hop_s, gate, on, non, &nv);
    segment(midi, cf, path == KS_MELODY_MONO ? pt.conf : NULL, pt.rms, pt.t, pt.n, pt.hop_s, cand, nv, tr);
    x_free(cand);
    x_free(midi);
    x_free(cf);
    if (tr->n) {
        double s = 0;
        for (size_t i = 0; i < tr->n; i++)
            s += tr->notes[i].conf;
        tr->conf = s / tr->n;
    }
    ks_pitch_track_free(&pt);
    return rc;
}

void ks_transcription_free(ks_transcription *t)
{
    if (!t)
        return;
    x_free(t->notes);
    t->notes = NULL;
    t->n = 0;
}
