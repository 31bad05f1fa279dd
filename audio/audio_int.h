/* audio_int.h - internal interfaces of the audio analyzer (not public).
 *
 * Each third-party library sits behind exactly one file:
 *   decode.c      libsndfile, libavformat/libavcodec/libswresample
 *   fft.c         FFTW (single precision)
 *   aubio_glue.c  aubio (pitch, onsets, beats)
 *   loudness.c    libebur128
 * The measures (transcribe.c, harmony.c, rhythm.c, structure.c) only see
 * plain float arrays through these functions.
 */
#ifndef KITSCH_AUDIO_INT_H
#define KITSCH_AUDIO_INT_H

#include "kitsch.h"
#include "melody.h"

#define KS_PI 3.14159265358979323846

/* ---- decode.c ---- */

/* Called with every decoded block at the source rate and channel count,
 * before downmixing (loudness must be measured on the original channels). */
typedef void (*ks_pcm_sink)(void *ctx, const float *interleaved, size_t frames, int channels, int rate);

typedef struct ks_pcm {
    float *x;            /* mono, at rate */
    size_t n;
    int rate;
    int src_rate;
    int src_channels;
    double src_seconds;  /* decoded seconds (after the duration cap) */
    int truncated;       /* 1: stopped at max_seconds */
    char decoder[96];    /* "libsndfile (MPEG Layer 3)" or "ffmpeg (aac)" */
} ks_pcm;

/* Decode in->fd to mono float at out_rate. Caps: channels, rate, duration.
 * Returns 0 or KS_E_* with a message (including the library's own error
 * string) in err. */
int ks_audio_decode(const ks_input *in, int out_rate, double max_seconds, ks_pcm_sink sink, void *sink_ctx,
                    ks_pcm *out, char *err, size_t errlen);
void ks_pcm_free(ks_pcm *p);
const char *ks_decode_versions(void);

/* ---- fft.c ---- */
typedef struct ks_stft ks_stft;
ks_stft *ks_stft_new(int nfft);
void ks_stft_del(ks_stft *s);
/* Hann-windowed magnitude spectrum of nfft samples into mag[nfft/2+1]. */
void ks_stft_mag(ks_stft *s, const float *frame, float *mag);
const char *ks_fft_version(void);

/* ---- aubio_glue.c ---- */
/* Pitch track (yinfast). Frame i describes the window centred on
 * times[i] (latency already compensated). midi[i] = 0 when unvoiced. */
typedef struct ks_pitch_track {
    float *midi, *conf, *rms;
    double *t;
    size_t n;
    size_t tracked;  /* frames [0, tracked) went through the tracker */
    double hop_s;
} ks_pitch_track;
/* Called after frame i is tracked (rms and t of all n frames are there
 * from the start); nonzero stops the tracker, the frames after i keep
 * midi = conf = 0. NULL tracks every frame. */
typedef int (*ks_pitch_stop)(void *ctx, const ks_pitch_track *pt, size_t i);
int ks_aubio_pitch(const float *x, size_t n, int rate, int buf, int hop, ks_pitch_stop stop, void *ctx,
                   ks_pitch_track *out);
void ks_pitch_track_free(ks_pitch_track *p);
/* Onset times in seconds (aubio's own delay compensated). */
int ks_aubio_onsets(const float *x, size_t n, int rate, const char *method, double threshold, double **times,
                    size_t *count);
/* Beat times in seconds and aubio's final tempo estimate. */
int ks_aubio_beats(const float *x, size_t n, int rate, double **times, size_t *count, double *bpm);
/* The same through aubio_onset_do and aubio_tempo_do themselves (which also
 * compute the unused phase spectrum): the reference for the tests. */
int ks_aubio_onsets_ref(const float *x, size_t n, int rate, const char *method, double threshold, double **times,
                        size_t *count);
int ks_aubio_beats_ref(const float *x, size_t n, int rate, double **times, size_t *count, double *bpm);
const char *ks_aubio_version(void);

/* ---- loudness.c ---- */
typedef struct ks_loud ks_loud;
ks_loud *ks_loud_new(void);
/* The same with libebur128's own gating (MODE_I, MODE_LRA): the reference
 * for the tests. */
ks_loud *ks_loud_new_ref(void);
void ks_loud_del(ks_loud *l);
void ks_loud_sink(void *ctx, const float *interleaved, size_t frames, int channels, int rate);
typedef struct ks_loud_result {
    double integrated, lra, st_sd, peak_dbfs, plr;
} ks_loud_result;
int ks_loud_result_get(ks_loud *l, ks_loud_result *res);
const char *ks_loud_version(void);

/* ---- analysis shared between the measures ---- */

/* Frame-level spectral features of the analysis signal (spectral.c):
 * computed on the fly so that a 20-minute file never holds a spectrogram. */
#define KS_NTIMBRE 12
typedef struct ks_spec {
    int nfft, hop, rate;
    size_t nframes;
    double frame_s;   /* hop in seconds; frame i is centred on i*frame_s */
    float *chroma;    /* nframes x 12, energy per pitch class (C=0), 65 Hz..2.1 kHz */
    float *timbre;    /* nframes x KS_NTIMBRE, cepstral coefficients 1..12 of log band energies */
    float *energy;    /* nframes, mean square */
} ks_spec;
void ks_spec_compute(const float *x, size_t n, int rate, int nfft, int hop, ks_spec *s);
void ks_spec_free(ks_spec *s);

/* transcribe.c */
enum { KS_MELODY_MONO = 0, KS_MELODY_PREDOMINANT = 1 };
typedef struct ks_transcription {
    ks_note *notes;
    size_t n;
    int path;          /* KS_MELODY_* */
    double conf;       /* mean note confidence, NaN with no notes */
    double voiced_share; /* confident share of the sounding pitch frames; NaN when the
                            tracker stopped early (the predominant path was certain) */
} ks_transcription;
/* force_path: -1 decide automatically, else KS_MELODY_*. */
int ks_transcribe(const float *x, size_t n, int rate, const double *onsets, size_t nonsets, int force_path,
                  ks_transcription *t);
void ks_transcription_free(ks_transcription *t);

/* harmony.c: chroma per STFT frame, key, beat-synchronous chords. */
typedef struct ks_harmony {
    double profile[12];     /* mean normalised chroma, absolute pitch classes */
    double *seg;            /* nseg+1 segment boundaries (beats, or 0.5 s steps without beats) */
    float *seg_chroma;      /* nseg x 12, L2-normalised */
    int *chords;            /* nseg: 0..11 major root, 12..23 minor root, -1 no chord */
    size_t nseg;
    int beat_sync;          /* 1: segments are beats */
    int key;                /* 0..11 major tonic, 12..23 minor tonic, -1 none */
    double key_clarity, key_margin;
    double chord_trans_entropy, chord_change_rate, chord_lz;
    double bigrams[48];     /* shares of chord changes by (root interval, quality pair) */
    double n_changes;
} ks_harmony;
void ks_harmony_compute(const ks_spec *spec, const double *beats, size_t nbeats, ks_harmony *h);
void ks_harmony_free(ks_harmony *h);
extern const char *const ks_key_names[24];

/* rhythm.c */
typedef struct ks_rhythm {
    double tempo_bpm, tempo_cv, tempo_drift, ioi_entropy, npvi, onset_rate;
} ks_rhythm;
void ks_rhythm_compute(const double *beats, size_t nbeats, double bpm, const double *onsets, size_t nonsets,
                       const ks_note *notes, size_t nnotes, double duration_s, ks_rhythm *out);

/* structure.c */
typedef struct ks_structure {
    double repetition_share, novelty_per_min;
    size_t nbars;
} ks_structure;
void ks_structure_compute(const ks_spec *spec, const ks_harmony *h, double duration_s, ks_structure *out);

/* Small numeric helpers shared by the measures (audio.c). */
double ks_entropy_bits(const double *counts, size_t k);
double ks_lz76_complexity(const int *s, size_t n, int alphabet);

/* Append x to a growing array of doubles (onset and beat times, loudness
 * blocks). */
static inline void ks_push_double(double **v, size_t *n, size_t *cap, double x)
{
    if (*n == *cap) {
        *cap = *cap ? 2 * *cap : 256;
        *v = x_realloc(*v, *cap * sizeof **v);
    }
    (*v)[(*n)++] = x;
}

#endif
