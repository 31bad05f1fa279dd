/* test_audio_analyze.c - the audio analyzer on signals generated here:
 * decode paths and caps, loudness against the BS.1770 reference value,
 * loudness gating and onsets and beats against libebur128's and aubio's
 * own,
 * transcription of a synthetic melody, directions (repetition, predictable
 * melody), errors, set metrics and the small numeric helpers. */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audio.h"
#include "audio_int.h"
#include "ktest.h"

static char dir[256];

static void put16(FILE *f, unsigned v) { fputc((int)(v & 255), f); fputc((int)(v >> 8), f); }
static void put32(FILE *f, uint32_t v) { put16(f, v & 0xffff); put16(f, v >> 16); }

/* WAV writer: fmt 1 = 16-bit PCM, 3 = 32-bit float; x interleaved. */
static void write_wav(const char *path, const float *x, size_t frames, int ch, int rate, int fmt)
{
    FILE *f = fopen(path, "wb");
    int bps = fmt == 1 ? 2 : 4;
    uint32_t data = (uint32_t)(frames * (size_t)ch * (size_t)bps);
    fwrite("RIFF", 1, 4, f); put32(f, 36 + data); fwrite("WAVEfmt ", 1, 8, f);
    put32(f, 16); put16(f, (unsigned)fmt); put16(f, (unsigned)ch); put32(f, (uint32_t)rate);
    put32(f, (uint32_t)(rate * ch * bps)); put16(f, (unsigned)(ch * bps)); put16(f, (unsigned)(bps * 8));
    fwrite("data", 1, 4, f); put32(f, data);
    for (size_t i = 0; i < frames * (size_t)ch; i++) {
        if (fmt == 1) {
            float v = x[i] > 1 ? 1 : x[i] < -1 ? -1 : x[i];
            int16_t s = (int16_t)lrintf(v * 32767);
            put16(f, (uint16_t)s);
        } else {
            uint32_t u;
            memcpy(&u, &x[i], 4);
            put32(f, u);
        }
    }
    fclose(f);
}

static int analyze(const char *path, ks_options *o, ks_record *r, ks_audio_extra *x)
{
    ks_input in;
    memset(&in, 0, sizeof in);
    in.path = path;
    in.fd = open(path, O_RDONLY);
    struct stat st;
    fstat(in.fd, &st);
    in.size = st.st_size;
    in.opt = o;
    ks_record_init(r);
    int rc = ks_audio_analyze_ex(&in, r, x);
    close(in.fd);
    return rc;
}

/* A harmonic tone with a fast attack and exponential decay. */
static void tone(float *x, size_t n, int rate, double t0, double dur, int midi, double amp)
{
    double f = 440 * pow(2, (midi - 69) / 12.0);
    size_t a = (size_t)(t0 * rate), b = a + (size_t)(dur * rate);
    for (size_t i = a; i < b && i < n; i++) {
        double t = (double)(i - a) / rate;
        double env = fmin(1, t / 0.005) * exp(-t * 2.5) * fmin(1, (dur - t) / 0.01);
        double s = 0;
        for (int h = 1; h <= 6; h++)
            s += sin(2 * KS_PI * f * h * t) / h;
        x[i] += (float)(amp * env * s);
    }
}

static void path_of(char *buf, size_t len, const char *name) { snprintf(buf, len, "%s/%s", dir, name); }

static void test_helpers(void)
{
    double c4[4] = {1, 1, 1, 1};
    KT_NEAR(2.0, ks_entropy_bits(c4, 4), 1e-12);
    double c1[3] = {0, 5, 0};
    KT_NEAR(0.0, ks_entropy_bits(c1, 3), 1e-12);
    /* Kaspar & Schuster 1987's example: 0001101001000101 -> c = 6 */
    int s[16] = {0, 0, 0, 1, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 1};
    KT_NEAR(6.0 * 4 / 16, ks_lz76_complexity(s, 16, 2), 1e-12);
    int same[16] = {0};
    KT_TRUE(ks_lz76_complexity(same, 16, 2) < ks_lz76_complexity(s, 16, 2));
}

static void test_sine_loudness(void)
{
    /* BS.1770: a 997 Hz sine at 0 dBFS in one channel reads -3.01 LKFS;
     * amplitude 0.5 is 6.02 dB lower. Stereo with the same signal in both
     * channels adds 3.01 dB (channels are summed in power). */
    int rate = 44100;
    size_t n = (size_t)rate * 6;
    float *m = x_malloc(n * sizeof(float)), *st = x_malloc(2 * n * sizeof(float));
    for (size_t i = 0; i < n; i++) {
        m[i] = (float)(0.5 * sin(2 * KS_PI * 997 * (double)i / rate));
        st[2 * i] = st[2 * i + 1] = m[i];
    }
    char p[300];
    ks_options o;
    ks_options_default(&o);
    ks_record r;
    path_of(p, sizeof p, "sine_mono.wav");
    write_wav(p, m, n, 1, rate, 3);
    KT_EQ_INT(0, analyze(p, &o, &r, NULL));
    KT_NEAR(-9.03, r.feat[KS_F_AUDIO_LOUDNESS], 0.05);
    KT_NEAR(6.0, r.feat[KS_F_AUDIO_DURATION], 0.01);
    KT_NEAR(0.0, r.feat[KS_F_AUDIO_LRA], 0.1);      /* steady tone: no range */
    KT_NEAR(-6.02 + 9.03, r.feat[KS_F_AUDIO_PLR], 0.05);
    KT_TRUE(r.info[KS_I_AUDIO_DECODER] && strstr(r.info[KS_I_AUDIO_DECODER], "libsndfile"));
    ks_record_clear(&r);
    path_of(p, sizeof p, "sine_stereo.wav");
    write_wav(p, st, n, 2, rate, 1);
    KT_EQ_INT(0, analyze(p, &o, &r, NULL));
    KT_NEAR(-9.03 + 3.01, r.feat[KS_F_AUDIO_LOUDNESS], 0.05);
    ks_record_clear(&r);
    /* duration cap: analyse 2 of the 6 seconds, and say so */
    o.max_audio_seconds = 2;
    KT_EQ_INT(0, analyze(p, &o, &r, NULL));
    KT_NEAR(2.0, r.feat[KS_F_AUDIO_DURATION], 0.01);
    KT_TRUE(r.info[KS_I_AUDIO_DECODER] && strstr(r.info[KS_I_AUDIO_DECODER], "truncated"));
    ks_record_clear(&r);
    x_free(m);
    x_free(st);
}

/* Integrated loudness and LRA are gated in loudness.c from 100 ms block
 * energies: they must equal libebur128's own gating (MODE_I, MODE_LRA) up to
 * rounding, on a signal whose level steps through 40 dB with quiet gaps,
 * fed in uneven pieces, in stereo at 48 kHz and in mono at 44.1 kHz. */
static void test_loudness_gating(void)
{
    for (int pass = 0; pass < 2; pass++) {
        int rate = pass ? 44100 : 48000, ch = pass ? 1 : 2;
        size_t n = (size_t)rate * 25;
        float *x = x_malloc(n * (size_t)ch * sizeof(float));
        for (size_t i = 0; i < n; i++) {
            double t = (double)i / rate, sec = floor(t);
            double amp = fmod(sec, 7) == 3 ? 0.0001 : 0.9 * pow(10, -(fmod(sec * 13, 40)) / 20);
            for (int c = 0; c < ch; c++)
                x[i * (size_t)ch + (size_t)c] = (float)(amp * sin(2 * KS_PI * (220 + 110 * c) * t));
        }
        ks_loud *a = ks_loud_new(), *b = ks_loud_new_ref();
        for (size_t pos = 0, k = 1000; pos < n; pos += k, k = k * 7 % 9973 + 100) {
            size_t m = pos + k > n ? n - pos : k;
            ks_loud_sink(a, x + pos * (size_t)ch, m, ch, rate);
            ks_loud_sink(b, x + pos * (size_t)ch, m, ch, rate);
        }
        ks_loud_result ra, rb;
        KT_EQ_INT(0, ks_loud_result_get(a, &ra));
        KT_EQ_INT(0, ks_loud_result_get(b, &rb));
        KT_TRUE(rb.lra > 10);
        KT_NEAR(rb.integrated, ra.integrated, 1e-9);
        KT_NEAR(rb.lra, ra.lra, 1e-9);
        KT_NEAR(rb.st_sd, ra.st_sd, 1e-9);
        KT_NEAR(rb.plr, ra.plr, 1e-9);
        ks_loud_del(a);
        ks_loud_del(b);
        x_free(x);
    }
}

/* Onsets and beats come from aubio's parts assembled without the phase
 * spectrum (aubio_glue.c): they must equal aubio_onset_do/aubio_tempo_do's
 * to the last bit, on a signal that starts at once (the start-of-file rule)
 * and on one with silence, soft notes and a drum grid with a gap. */
static void same_events(const float *x, size_t n, int rate)
{
    double *a = NULL, *b = NULL, bpm_a = 0, bpm_b = -1;
    size_t na = 0, nb = 0;
    KT_EQ_INT(0, ks_aubio_onsets(x, n, rate, "hfc", 0, &a, &na));
    KT_EQ_INT(0, ks_aubio_onsets_ref(x, n, rate, "hfc", 0, &b, &nb));
    KT_TRUE(na >= 8);
    KT_EQ_INT(nb, na);
    size_t same = 0;
    for (size_t i = 0; i < na && i < nb; i++)
        same += a[i] == b[i];
    KT_EQ_INT(na, same);
    x_free(a);
    x_free(b);
    KT_EQ_INT(0, ks_aubio_beats(x, n, rate, &a, &na, &bpm_a));
    KT_EQ_INT(0, ks_aubio_beats_ref(x, n, rate, &b, &nb, &bpm_b));
    KT_TRUE(na >= 8);
    KT_EQ_INT(nb, na);
    same = 0;
    for (size_t i = 0; i < na && i < nb; i++)
        same += a[i] == b[i];
    KT_EQ_INT(na, same);
    KT_TRUE(bpm_a == bpm_b);
    x_free(a);
    x_free(b);
}

static void test_aubio_assembly(void)
{
    int rate = 22050;
    size_t n = (size_t)rate * 20;
    float *x = x_calloc(n, sizeof(float));
    uint32_t g = 12345;
    for (int k = 0; k < 40; k++) {
        double t = 0.5 * k;
        if (t >= 9 && t < 11)
            continue; /* a break */
        for (size_t i = (size_t)(t * rate), e = i + (size_t)(0.03 * rate); i < e && i < n; i++) {
            g = g * 1664525u + 1013904223u;
            x[i] += (float)(0.4 * ((double)(g >> 8) / 8388608.0 - 1) * exp(-(double)(i - (size_t)(t * rate)) / (0.008 * rate)));
        }
    }
    for (int k = 0; k < 30; k++)
        tone(x, n, rate, 0.31 * k + (k % 3) * 0.07, 0.25, 55 + (k * 7) % 19, k % 4 ? 0.2 : 0.03);
    same_events(x, n, rate);
    for (size_t i = 0; i < (size_t)(0.4 * rate); i++)
        x[i] = 0;
    same_events(x, n, rate);
    x_free(x);
}

/* A 16-note melody; `repeat` times the same 4-bar phrase or a varied line. */
static const int phrase[16] = {60, 62, 64, 65, 67, 65, 64, 62, 60, 64, 67, 72, 67, 64, 62, 60};
static const int varied[64] = {60, 62, 64, 65, 67, 65, 64, 62, 60, 64, 67, 72, 67, 64, 62, 60,
                               61, 66, 70, 63, 68, 59, 71, 64, 69, 58, 65, 73, 62, 67, 60, 70,
                               63, 57, 66, 72, 61, 68, 64, 59, 71, 65, 62, 69, 74, 60, 67, 63,
                               58, 66, 61, 70, 64, 72, 59, 68, 65, 62, 71, 60, 67, 63, 69, 66};

static void make_melody(const char *name, const int *notes, size_t nn, double step, char *p, size_t plen)
{
    int rate = 22050;
    size_t n = (size_t)((double)nn * step * rate) + rate;
    float *x = x_calloc(n, sizeof(float));
    for (size_t i = 0; i < nn; i++)
        tone(x, n, rate, 0.25 + (double)i * step, step * 0.9, notes[i], 0.3);
    path_of(p, plen, name);
    write_wav(p, x, n, 1, rate, 1);
    x_free(x);
}

static void test_melody(void)
{
    char p[300];
    int seq[64];
    for (int i = 0; i < 64; i++)
        seq[i] = phrase[i % 16];
    make_melody("repeated.wav", seq, 64, 0.5, p, sizeof p);
    ks_options o;
    ks_options_default(&o);
    ks_record rr, rv;
    ks_audio_extra x;
    KT_EQ_INT(0, analyze(p, &o, &rr, &x));
    /* transcription: every note, exact pitch, onset within 50 ms */
    KT_EQ_INT(64, x.nnotes);
    size_t good = 0;
    for (size_t i = 0; i < x.nnotes && i < 64; i++)
        good += x.notes[i].pitch == seq[i] && fabs(x.notes[i].onset_s - (0.25 + 0.5 * (double)i)) <= 0.05;
    KT_TRUE(good >= 62);
    KT_STR("monophonic (aubio YIN)", rr.info[KS_I_AUDIO_MELODY_PATH]);
    KT_TRUE(rr.feat[KS_F_AUDIO_TRANSCRIPTION_CONF] > 0.8);
    KT_NEAR(64 / rr.feat[KS_F_AUDIO_DURATION], rr.feat[KS_F_AUDIO_NOTES_PER_S], 1e-9);
    /* isochronous notes: nPVI near 0; a beat grid at 120 bpm */
    KT_TRUE(rr.feat[KS_F_AUDIO_NPVI] < 5);
    KT_NEAR(120, rr.feat[KS_F_AUDIO_TEMPO_BPM], 3);
    KT_TRUE(rr.feat[KS_F_AUDIO_TEMPO_CV] < 0.1);
    /* C major scale material: key C major, clear */
    KT_STR("C major", rr.info[KS_I_AUDIO_KEY] ? (rr.info[KS_I_AUDIO_KEY][7] = 0, rr.info[KS_I_AUDIO_KEY]) : "");
    KT_TRUE(rr.feat[KS_F_AUDIO_KEY_CLARITY] > 0.7);
    KT_EQ_INT(12, rr.desc[KS_D_AUDIO_PC_HIST].n);
    ks_audio_extra_free(&x);

    make_melody("varied.wav", varied, 64, 0.5, p, sizeof p);
    KT_EQ_INT(0, analyze(p, &o, &rv, &x));
    KT_TRUE(x.nnotes >= 60 && x.nnotes <= 66);
    /* direction: the repeated phrase is more kitsch on every facet we have */
    KT_TRUE(rr.feat[KS_F_AUDIO_REPETITION_SHARE] > rv.feat[KS_F_AUDIO_REPETITION_SHARE]);
    KT_TRUE(rr.feat[KS_F_AUDIO_KEY_CLARITY] > rv.feat[KS_F_AUDIO_KEY_CLARITY]);
    KT_TRUE(rr.feat[KS_F_AUDIO_MELODY_PC_ENTROPY] < rv.feat[KS_F_AUDIO_MELODY_PC_ENTROPY]);
    KT_TRUE(rr.feat[KS_F_AUDIO_MELODY_IC] < rv.feat[KS_F_AUDIO_MELODY_IC]);
    KT_TRUE(rr.feat[KS_F_AUDIO_CHORD_LZ] < rv.feat[KS_F_AUDIO_CHORD_LZ]);
    ks_audio_extra_free(&x);

    /* set metrics: a record against itself is perfectly similar */
    const ks_record *two[3] = {&rr, &rr, &rv};
    ks_set_value sv[KS_NSETMETRICS];
    for (int i = 0; i < KS_NSETMETRICS; i++)
        sv[i].value = NAN;
    ks_rng g;
    ks_rng_seed(&g, 1);
    KT_EQ_INT(0, ks_audio_set_metrics(two, 2, &g, sv));
    KT_NEAR(1.0, sv[KS_S_AUDIO_PC_SIMILARITY].value, 1e-9);
    KT_EQ_INT(1, sv[KS_S_AUDIO_PC_SIMILARITY].n);
    KT_EQ_INT(0, ks_audio_set_metrics(two, 3, &g, sv));
    KT_TRUE(sv[KS_S_AUDIO_PC_SIMILARITY].value < 1.0);
    KT_EQ_INT(3, sv[KS_S_AUDIO_PC_SIMILARITY].n);
    ks_record_clear(&rr);
    ks_record_clear(&rv);
}

/* The analyzer's own onsets, then the transcription on the given path. */
static void transcribe_path(const float *x, size_t n, int rate, int path, ks_transcription *tr)
{
    double *on = NULL;
    size_t non = 0;
    KT_EQ_INT(0, ks_aubio_onsets(x, n, rate, "hfc", 0, &on, &non));
    KT_EQ_INT(0, ks_transcribe(x, n, rate, on, non, path, tr));
    x_free(on);
}

/* The predominant path on a melody over a louder bass and chords: the
 * contour must follow the melody, not the bass (a fixed 0.8^h harmonic
 * weighting let the low candidates win by collecting more harmonics: the
 * notes sat at the bottom of the range, MIDI 40-47). Forced path, the
 * analyzer's own onsets. */
static void test_predominant(void)
{
    int rate = 22050, nn = 32;
    double step = 0.5;
    size_t n = (size_t)((double)nn * step * rate) + rate;
    float *x = x_calloc(n, sizeof(float));
    for (int i = 0; i < nn; i++) {
        int m = varied[i];
        tone(x, n, rate, 0.25 + i * step, step * 0.9, m, 0.3);
        if (i % 2 == 0) { /* every bar of two notes: bass on the melody's pitch class, and a triad */
            tone(x, n, rate, 0.25 + i * step, 2 * step * 0.95, 36 + m % 12, 0.5);
            for (int k = 0; k < 3; k++)
                tone(x, n, rate, 0.25 + i * step, 2 * step * 0.95, 48 + m % 12 + (int[]){0, 4, 7}[k], 0.2);
        }
    }
    ks_transcription tr;
    transcribe_path(x, n, rate, KS_MELODY_PREDOMINANT, &tr);
    KT_EQ_INT(KS_MELODY_PREDOMINANT, tr.path);
    int exact = 0, pc = 0, bass = 0;
    for (size_t j = 0; j < tr.n; j++) {
        int i = (int)lround((tr.notes[j].onset_s - 0.25) / step);
        if (i < 0 || i >= nn || fabs(tr.notes[j].onset_s - (0.25 + i * step)) > 0.05)
            continue;
        exact += tr.notes[j].pitch == varied[i];
        pc += tr.notes[j].pitch % 12 == varied[i] % 12;
        bass += tr.notes[j].pitch < 48;
    }
    KT_TRUE(tr.n >= 28 && tr.n <= 38);
    KT_TRUE(bass <= 1);
    KT_TRUE(pc >= 28); /* the melody's pitch class at the right time: 7 notes in 8 */
    /* Where the triad's root doubles the melody an octave down, that
     * candidate also collects the melody's harmonics and the path took it:
     * 16 of 32 notes exact before the octave-duplicate step of
     * transcribe.c (after Salamon & Gomez 2012), 29 with it (27 at
     * voicing nu 2.5). */
    KT_TRUE(exact >= 24);
    ks_transcription_free(&tr);
    x_free(x);
}

/* A sung vibrato wide enough to spread the pitch over most of a semitone:
 * +-45 cents at 5.5 Hz (singers: +-50..100 cents, Sundberg 1987, "The
 * Science of the Singing Voice"). The frame pitches' fractional parts pile
 * up at the turning points, their mean cosine is below 0, and a tuning
 * offset taken from the raw frames was half a semitone: each note came out
 * as a trill of two semitones (32 right, 32 wrong of 64 notes). Also at
 * A=435 Hz (-19 cents) and -35 cents, where the offset must still follow
 * the tuning (transcribe.c: tuning_offset). Returns the notes with the
 * right pitch at the right time, minus those without. */
static int vib_score(double cents_off, double vib)
{
    int rate = 22050;
    size_t n = (size_t)(8.5 * rate);
    float *x = x_calloc(n, sizeof(float));
    for (int i = 0; i < 16; i++) {
        double f0 = 440 * pow(2, (phrase[i] - 69 + cents_off / 100) / 12.0), ph = 0;
        size_t a = (size_t)((0.25 + 0.5 * i) * rate), len = (size_t)(0.45 * rate);
        for (size_t k = 0; k < len && a + k < n; k++) {
            double t = (double)k / rate;
            double env = fmin(1, t / 0.03) * fmin(1, (0.45 - t) / 0.03);
            ph += 2 * KS_PI * f0 * pow(2, vib / 1200 * sin(2 * KS_PI * 5.5 * t)) / rate;
            double s = 0;
            for (int h = 1; h <= 6; h++)
                s += sin(h * ph) / h;
            x[a + k] += (float)(0.3 * env * s);
        }
    }
    ks_transcription tr;
    transcribe_path(x, n, rate, KS_MELODY_MONO, &tr);
    int score = 0;
    for (size_t j = 0; j < tr.n; j++) {
        int i = (int)lround((tr.notes[j].onset_s - 0.25) / 0.5);
        score += i >= 0 && i < 16 && tr.notes[j].pitch == phrase[i] ? 1 : -1;
    }
    ks_transcription_free(&tr);
    x_free(x);
    return score;
}

static void test_tuning(void)
{
    KT_EQ_INT(16, vib_score(0, 0));
    KT_EQ_INT(16, vib_score(-19, 0));
    KT_EQ_INT(16, vib_score(0, 45));
    KT_EQ_INT(16, vib_score(-19, 45));
    KT_EQ_INT(16, vib_score(-35, 45));
}

static void test_errors(void)
{
    char p[300];
    ks_options o;
    ks_options_default(&o);
    ks_record r;
    FILE *f;
    path_of(p, sizeof p, "empty.wav");
    f = fopen(p, "wb");
    fclose(f);
    KT_EQ_INT(KS_E_EMPTY, analyze(p, &o, &r, NULL));
    ks_record_clear(&r);
    path_of(p, sizeof p, "text.mp3");
    f = fopen(p, "wb");
    fputs("this is not audio at all, just some words in a file\n", f);
    fclose(f);
    KT_EQ_INT(KS_E_FORMAT, analyze(p, &o, &r, NULL));
    KT_EQ_INT(KS_STATUS_ERROR, r.status);
    KT_TRUE(strstr(r.err_msg, "libsndfile") != NULL && strstr(r.err_msg, "ffmpeg") != NULL);
    ks_record_clear(&r);
    /* NaN samples in a float WAV */
    size_t n = 44100 * 2;
    float *x = x_calloc(n, sizeof(float));
    for (size_t i = 0; i < n; i++)
        x[i] = (float)sin((double)i * 0.05);
    x[n / 2] = NAN;
    path_of(p, sizeof p, "nan.wav");
    write_wav(p, x, n, 1, 44100, 3);
    KT_EQ_INT(KS_E_BAD_VALUE, analyze(p, &o, &r, NULL));
    ks_record_clear(&r);
    x[n / 2] = INFINITY;
    write_wav(p, x, n, 1, 44100, 3);
    KT_EQ_INT(KS_E_BAD_VALUE, analyze(p, &o, &r, NULL));
    ks_record_clear(&r);
    /* too short */
    path_of(p, sizeof p, "short.wav");
    write_wav(p, x, 8000, 1, 44100, 1);
    KT_EQ_INT(KS_E_TOO_SHORT, analyze(p, &o, &r, NULL));
    ks_record_clear(&r);
    /* 40 channels: over the cap */
    float *many = x_calloc(44100 * 40, sizeof(float));
    path_of(p, sizeof p, "many.wav");
    write_wav(p, many, 44100, 40, 44100, 1);
    KT_EQ_INT(KS_E_LIMIT, analyze(p, &o, &r, NULL));
    ks_record_clear(&r);
    /* truncated file: the header promises more data than there is */
    path_of(p, sizeof p, "cut.wav");
    write_wav(p, x, n, 1, 44100, 1);
    KT_EQ_INT(0, truncate(p, 44 + 44100 * 2 * 3 / 2));
    KT_EQ_INT(0, analyze(p, &o, &r, NULL));
    KT_NEAR(1.5, r.feat[KS_F_AUDIO_DURATION], 0.01);
    ks_record_clear(&r);
    /* silence: decodes, but nothing melodic or tonal to measure */
    memset(x, 0, n * sizeof(float));
    path_of(p, sizeof p, "silence.wav");
    write_wav(p, x, n, 1, 44100, 1);
    KT_EQ_INT(0, analyze(p, &o, &r, NULL));
    KT_NAN(r.feat[KS_F_AUDIO_KEY_CLARITY]);
    KT_NAN(r.feat[KS_F_AUDIO_LOUDNESS]);
    KT_NAN(r.feat[KS_F_AUDIO_MELODY_IC]);
    ks_record_clear(&r);
    x_free(many);
    x_free(x);
}

int main(void)
{
    snprintf(dir, sizeof dir, "%s/ks_audio_XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(dir))
        return 1;
    test_helpers();
    test_sine_loudness();
    test_loudness_gating();
    test_aubio_assembly();
    test_melody();
    test_predominant();
    test_tuning();
    test_errors();
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (getenv("KS_KEEP")) { fprintf(stderr, "kept %s\n", dir); return kt_done(); }
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", dir);
    return kt_done();
}
