/* test_melody.c - PPM probabilities checked by hand, melodic entropies of
 * known melodies, direction checks (a repeated scale is more predictable than
 * a random melody), the MIDI reader on a file built here, cross-validation. */
#define _POSIX_C_SOURCE 200809L
#include "ktest.h"
#include "melody.h"
#include "midi.h"
#include "ppm.h"

#include <stdlib.h>
#include <unistd.h>

enum { A = 60, B = 62, C = 64 };

/* Train on A B A B, predict after A over {A, B, C}, order 1, escape C,
 * interpolated (IDyOM's estimator):
 *   order 1, context A: t(B)=2, n=2, d=1, w=2/3: P(B) += 2/3; esc = 1/3;
 *     excluded for order 0: {B}
 *   order 0: t(A)=2, t(B)=2, n (without B) = 2, d=2, w=1/2:
 *     P(A) += 1/3*1/2*2/2 = 1/6, P(B) += 1/6; esc = 1/6
 *   order -1: 1/(3 + 1 - 2) = 1/2 each: += 1/12
 *   A = 3/12, B = 11/12, C = 1/12, sum 15/12 -> 0.2, 0.7333, 0.0667. */
static void test_ppm_interpolated(void)
{
    ks_ppm_params p = {.order = 1, .escape = KS_PPM_ESCAPE_C, .interpolate = 1};
    ks_ppm *m = ks_ppm_new(&p);
    int seq[] = {A, B, A, B}, alpha[] = {A, B, C}, hist[] = {A};
    double d[3];
    ks_ppm_add_sequence(m, seq, 4);
    ks_ppm_predict(m, hist, 1, alpha, 3, d);
    KT_NEAR(3.0 / 15, d[0], 1e-12);
    KT_NEAR(11.0 / 15, d[1], 1e-12);
    KT_NEAR(1.0 / 15, d[2], 1e-12);
    /* Empty context: order 0 then -1. t(A)=t(B)=2, n=4, d=2, w=2/3:
     * A = B = 2/3*1/2 + 1/3*1/2 = 1/2... plus C = 1/3*1/2 = 1/6: sum 7/6. */
    ks_ppm_predict(m, hist, 0, alpha, 3, d);
    KT_NEAR((1.0 / 3 + 1.0 / 6) / (7.0 / 6), d[0], 1e-12);
    KT_NEAR((1.0 / 6) / (7.0 / 6), d[2], 1e-12);

    /* Export / import keeps every count. */
    size_t nv = 0;
    uint32_t *v = ks_ppm_export(m, &nv);
    KT_EQ_INT(3 * ks_ppm_nodes(m), nv);
    ks_ppm *m2 = ks_ppm_import(&p, v, nv);
    KT_TRUE(m2 != NULL);
    double d2[3];
    if (m2) {
        ks_ppm_predict(m2, hist, 1, alpha, 3, d2);
        KT_NEAR(3.0 / 15, d2[0], 1e-12);
        KT_NEAR(11.0 / 15, d2[1], 1e-12);
    }
    /* A malformed array is refused. */
    v[2] = 99;
    KT_TRUE(ks_ppm_import(&p, v, nv) == NULL);
    KT_TRUE(ks_ppm_import(&p, v, 2) == NULL);
    x_free(v);
    ks_ppm_del(m2);
    ks_ppm_del(m);
}

/* Classic PPM-C with full exclusion (Moffat 1990), same data:
 *   order 1: P(B) = 2/3, esc = 1/3; order 0 without B: t(A)=2, n=2, d=1:
 *   P(A) = 1/3*2/3 = 2/9, esc = 1/9; order -1 over {C}: P(C) = 1/9. */
static void test_ppm_backoff(void)
{
    ks_ppm_params p = {.order = 1, .escape = KS_PPM_ESCAPE_C, .interpolate = 0};
    ks_ppm *m = ks_ppm_new(&p);
    int seq[] = {A, B, A, B}, alpha[] = {A, B, C}, hist[] = {A};
    double d[3];
    ks_ppm_add_sequence(m, seq, 4);
    ks_ppm_predict(m, hist, 1, alpha, 3, d);
    KT_NEAR(2.0 / 9, d[0], 1e-12);
    KT_NEAR(2.0 / 3, d[1], 1e-12);
    KT_NEAR(1.0 / 9, d[2], 1e-12);
    ks_ppm_del(m);
}

/* IDyOM's update exclusion on a short-term model learning A B A, then
 * predicting the 4th note (order 1, escape C, interpolated).
 * Counts (full / update-excluded): A: 2/1 (the second A was predicted by
 * the longest context, so its excluded count did not grow), B: 1/1,
 * A->B: 1/1, B->A: 1/1. The longest match (A) is within the bound, so the
 * excluded counts are used:
 *   order 1 (A): t(B)=1, n=1, d=1, w=1/2: P(B) += 1/2; esc = 1/2
 *   order 0: t(A)=1, t(B)=1, n (without B) = 1, d=2, w=1/3:
 *     P(A) += 1/6, P(B) += 1/6; esc = 1/3
 *   order -1: 1/2 each: += 1/6
 *   A = 1/3, B = 5/6, C = 1/6, sum 4/3 -> 1/4, 5/8, 1/8.
 * Without update exclusion A's count is 2: order 0 n=2, w=1/2:
 *   A = 1/4+1/8, B = 1/2+1/8+1/8, C = 1/8, sum 5/4 -> 0.3, 0.6, 0.1. */
static void test_ppm_update_exclusion(void)
{
    int seq[] = {A, B, A}, alpha[] = {A, B, C};
    double d[3];
    for (int ux = 0; ux <= 2; ux += 2) {
        ks_ppm_params p = {.order = 1, .escape = KS_PPM_ESCAPE_C, .interpolate = 1, .update_exclusion = ux};
        ks_ppm *m = ks_ppm_new(&p);
        for (size_t i = 0; i < 3; i++)
            ks_ppm_update(m, seq, i, seq[i]);
        ks_ppm_predict(m, seq, 3, alpha, 3, d);
        KT_NEAR(ux ? 0.25 : 0.3, d[0], 1e-12);
        KT_NEAR(ux ? 0.625 : 0.6, d[1], 1e-12);
        KT_NEAR(ux ? 0.125 : 0.1, d[2], 1e-12);
        ks_ppm_del(m);
    }
    /* Escape X counts the symbols seen once, + 1: the model trained on
     * A A A B predicts after A with t(A)=2, t(B)=1: d = 1 + 1 = 2. */
    ks_ppm_params p = {.order = 1, .escape = KS_PPM_ESCAPE_X, .interpolate = 1};
    ks_ppm *m = ks_ppm_new(&p);
    int s2[] = {A, A, A, B}, h[] = {A};
    ks_ppm_add_sequence(m, s2, 4);
    ks_ppm_predict(m, h, 1, alpha, 3, d);
    /* order 1: n=3, w=3/5: A += 2/5, B += 1/5; esc 2/5; excluded {A,B}
     * order 0: t(A)=3, t(B)=1, n = 0 -> w = 0; order -1: 1/(3+1-2) = 1/2:
     * all += 1/5 -> A 3/5, B 2/5, C 1/5, sum 6/5. */
    KT_NEAR(0.5, d[0], 1e-12);
    KT_NEAR(1.0 / 3, d[1], 1e-12);
    KT_NEAR(1.0 / 6, d[2], 1e-12);
    ks_ppm_del(m);
}

/* PPM* state selection. Train A C A C A C B A C (order 2), predict after
 * B A over {A, B, C}. Context "B A" saw C once, context "A" saw C four
 * times: both are deterministic.
 *   from "B A" (bounded PPM): w = 1/2, P(C) += 1/2; "A" adds nothing (C is
 *   excluded, n = 0); order 0: t = A4 C4 B1, n = 5, d = 3, w = 5/8:
 *   A += 1/4, C += 1/4, B += 1/16; order -1 (u = 1): += 3/16 each
 *   -> C 15/26, A 7/26, B 4/26;
 *   from "A" (PPM*, the shortest deterministic context): w = 4/5,
 *   P(C) += 4/5; order 0: A += 1/10, C += 1/10, B += 1/40; order -1:
 *   += 3/40 each -> C 39/50, A 7/50, B 4/50. */
static void test_ppm_star(void)
{
    int seq[] = {A, C, A, C, A, C, B, A, C}, alpha[] = {A, B, C}, hist[] = {B, A};
    double d[3];
    for (int det = 0; det <= 1; det++) {
        ks_ppm_params p = {.order = 2, .escape = KS_PPM_ESCAPE_C, .interpolate = 1, .deterministic = det};
        ks_ppm *m = ks_ppm_new(&p);
        ks_ppm_add_sequence(m, seq, 9);
        ks_ppm_predict(m, hist, 2, alpha, 3, d);
        KT_NEAR(det ? 7.0 / 50 : 7.0 / 26, d[0], 1e-12);
        KT_NEAR(det ? 4.0 / 50 : 4.0 / 26, d[1], 1e-12);
        KT_NEAR(det ? 39.0 / 50 : 15.0 / 26, d[2], 1e-12);
        ks_ppm_del(m);
    }
}

static ks_note *notes_of(const int *p, size_t n)
{
    ks_note *v = x_malloc(n * sizeof *v);
    for (size_t i = 0; i < n; i++)
        v[i] = (ks_note){0.5 * (double)i, 0.5, p[i], 1.0};
    return v;
}

static void measure(const int *p, size_t n, ks_record *r)
{
    ks_note *v = notes_of(p, n);
    ks_record_init(r);
    KT_EQ_INT(0, ks_melody_measure(v, n, r));
    x_free(v);
}

static void test_entropies(void)
{
    /* C major scale up, C D E F G A B C: pitch classes 0 x2 and six others:
     * H = 2.75 bits; intervals 2 2 1 2 2 2 1: H(5/7, 2/7) = 0.86312;
     * H(I | previous I) = H(3,2,1 of 6) - H(5,1 of 6) = 0.80913, plus the
     * Miller-Madow terms (3 - 1 - (2 - 1)) / (2 * 6 * ln 2) = 0.12022. */
    int scale[] = {60, 62, 64, 65, 67, 69, 71, 72};
    ks_record r;
    measure(scale, 8, &r);
    KT_NEAR(8, r.feat[KS_F_AUDIO_MELODY_NOTES], 0);
    KT_NEAR(2.75, r.feat[KS_F_AUDIO_MELODY_PC_ENTROPY], 1e-12);
    KT_NEAR(0.863120568566631, r.feat[KS_F_AUDIO_MELODY_INTERVAL_ENTROPY], 1e-12);
    KT_NEAR(0.9293500821196377, r.feat[KS_F_AUDIO_MELODY_INTERVAL_COND_ENTROPY], 1e-12);
    KT_TRUE(isfinite(r.feat[KS_F_AUDIO_MELODY_IC]));
    KT_TRUE(r.info[KS_I_AUDIO_MELODY_MODEL] != NULL);
    ks_record_clear(&r);

    /* Too few notes: counted, nothing else measured. */
    measure(scale, 5, &r);
    KT_NEAR(5, r.feat[KS_F_AUDIO_MELODY_NOTES], 0);
    KT_NAN(r.feat[KS_F_AUDIO_MELODY_IC]);
    KT_NAN(r.feat[KS_F_AUDIO_MELODY_PC_ENTROPY]);
    ks_record_clear(&r);
}

static void test_directions(void)
{
    /* A scale repeated eight times vs. a random melody over two octaves. */
    enum { N = 64 };
    int rep[N], rnd[N], up[N], key[N];
    int scale[] = {60, 62, 64, 65, 67, 69, 71, 72};
    ks_rng g;
    ks_rng_seed(&g, 42);
    for (int i = 0; i < N; i++) {
        rep[i] = scale[i % 8];
        rnd[i] = 55 + (int)ks_rng_below(&g, 25);
        up[i] = rep[i] + 24;
        key[i] = rep[i] + 5;
    }
    ks_record a, b, c, k;
    measure(rep, N, &a);
    measure(rnd, N, &b);
    measure(up, N, &c);
    measure(key, N, &k);
    KT_TRUE(a.feat[KS_F_AUDIO_MELODY_IC] < b.feat[KS_F_AUDIO_MELODY_IC] - 1.0);
    KT_TRUE(a.feat[KS_F_AUDIO_MELODY_PRED_ENTROPY] < b.feat[KS_F_AUDIO_MELODY_PRED_ENTROPY]);
    KT_TRUE(a.feat[KS_F_AUDIO_MELODY_HIGH_IC_SHARE] < b.feat[KS_F_AUDIO_MELODY_HIGH_IC_SHARE]);
    KT_TRUE(a.feat[KS_F_AUDIO_MELODY_PC_ENTROPY] < b.feat[KS_F_AUDIO_MELODY_PC_ENTROPY]);
    KT_TRUE(a.feat[KS_F_AUDIO_MELODY_INTERVAL_ENTROPY] < b.feat[KS_F_AUDIO_MELODY_INTERVAL_ENTROPY]);
    KT_TRUE(a.feat[KS_F_AUDIO_MELODY_INTERVAL_COND_ENTROPY] < b.feat[KS_F_AUDIO_MELODY_INTERVAL_COND_ENTROPY]);
    /* A repeated scale is learnt as it goes: from the third pass on, notes
     * cost well under 1 bit (the first two passes cost 2-3 bits each, the
     * octave drop back to C about 8), so the mean is low. */
    KT_TRUE(a.feat[KS_F_AUDIO_MELODY_IC] < 1.5);
    /* Neither octaves nor keys change anything (the melody is aligned with
     * the corpus's pitch distribution first). */
    KT_NEAR(a.feat[KS_F_AUDIO_MELODY_IC], c.feat[KS_F_AUDIO_MELODY_IC], 1e-12);
    KT_NEAR(a.feat[KS_F_AUDIO_MELODY_IC], k.feat[KS_F_AUDIO_MELODY_IC], 1e-12);
    KT_NEAR(a.feat[KS_F_AUDIO_MELODY_PRED_ENTROPY], k.feat[KS_F_AUDIO_MELODY_PRED_ENTROPY], 1e-12);
    KT_NEAR(a.feat[KS_F_AUDIO_MELODY_PC_ENTROPY], c.feat[KS_F_AUDIO_MELODY_PC_ENTROPY], 1e-12);
    ks_record_clear(&a);
    ks_record_clear(&b);
    ks_record_clear(&c);
    ks_record_clear(&k);
}

static void test_crossval(void)
{
    /* Ten copies of one tune: the long-term model of the other folds knows
     * it, so it is far more predictable than ten random tunes. */
    enum { T = 10, L = 24 };
    int same[T][L], rnd[T][L];
    const int *ps[T], *pr[T];
    size_t lens[T];
    ks_rng g;
    ks_rng_seed(&g, 7);
    for (int t = 0; t < T; t++) {
        for (int i = 0; i < L; i++) {
            same[t][i] = 60 + (i * 5) % 12;
            rnd[t][i] = 60 + (int)ks_rng_below(&g, 12);
        }
        ps[t] = same[t];
        pr[t] = rnd[t];
        lens[t] = L;
    }
    ks_melody_cfg cfg;
    ks_melody_cfg_default(&cfg);
    double a1, a2, ah, b1, b2, bh;
    KT_EQ_INT(0, ks_melody_crossval(ps, lens, T, 5, &cfg, &a1, &a2, &ah));
    KT_EQ_INT(0, ks_melody_crossval(pr, lens, T, 5, &cfg, &b1, &b2, &bh));
    KT_NEAR(a1, a2, 1e-12); /* equal lengths: per-note = per-melody mean */
    KT_TRUE(a1 < 0.5);
    KT_TRUE(b1 > 3.0);      /* random over 12 pitches: near log2 12 = 3.58 */
    KT_TRUE(b1 < 4.0);
    KT_TRUE(ah < bh);
    KT_EQ_INT(KS_E_USAGE, ks_melody_crossval(ps, lens, T, 1, &cfg, &a1, &a2, &ah));
}

/* ---- a MIDI file built byte by byte ---- */
typedef struct buf {
    unsigned char b[1024];
    size_t n;
} buf;

static void put(buf *b, const unsigned char *p, size_t n)
{
    memcpy(b->b + b->n, p, n);
    b->n += n;
}

static void put32(buf *b, uint32_t v)
{
    unsigned char p[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8), (unsigned char)v};
    put(b, p, 4);
}

static void test_midi(void)
{
    /* Format 1, 480 ticks per quarter. Track 0: tempo 120 bpm, and 60 bpm
     * from tick 960. Track 1: E4 at 0 for 480 ticks (note-on, then running
     * status note-on velocity 0 as the off), a sysex, G4 at 960 for 480
     * ticks (60 bpm: 1 s), a chord C4+C5 at 1440 (skyline keeps C5), and a
     * drum hit on channel 10 (ignored). */
    static const unsigned char t0[] = {
        0x00, 0xFF, 0x51, 0x03, 0x07, 0xA1, 0x20,       /* 500000 us/q */
        0x87, 0x40, 0xFF, 0x51, 0x03, 0x0F, 0x42, 0x40, /* delta 960: 1000000 us/q */
        0x00, 0xFF, 0x2F, 0x00};
    static const unsigned char t1[] = {
        0x00, 0x90, 64, 100,              /* on E4 */
        0x83, 0x60, 64, 0,                /* running status: vel 0 = off, tick 480 */
        0x00, 0xF0, 0x03, 0x7E, 0x7F, 0xF7, /* sysex */
        0x83, 0x60, 0x90, 67, 90,         /* tick 960 on G4 */
        0x00, 0x99, 36, 100,              /* drum, channel 10 */
        0x83, 0x60, 0x80, 67, 0,          /* tick 1440 off G4 */
        0x00, 0x90, 60, 80,               /* chord */
        0x00, 72, 80,
        0x83, 0x60, 0x80, 60, 0,
        0x00, 72, 0,                      /* running status note-off */
        0x00, 0xFF, 0x2F, 0x00};
    buf b = {.n = 0};
    put(&b, (const unsigned char *)"MThd", 4);
    put32(&b, 6);
    static const unsigned char hd[] = {0, 1, 0, 2, 0x01, 0xE0};
    put(&b, hd, 6);
    put(&b, (const unsigned char *)"MTrk", 4);
    put32(&b, sizeof t0);
    put(&b, t0, sizeof t0);
    put(&b, (const unsigned char *)"MTrk", 4);
    put32(&b, sizeof t1);
    put(&b, t1, sizeof t1);

    ks_note *v = NULL;
    size_t n = 0;
    char err[160];
    KT_EQ_INT(0, ks_midi_read(b.b, b.n, -1, &v, &n, err, sizeof err));
    KT_EQ_INT(4, n);
    if (n == 4) {
        KT_EQ_INT(64, v[0].pitch);
        KT_NEAR(0.0, v[0].onset_s, 1e-12);
        KT_NEAR(0.5, v[0].dur_s, 1e-12);     /* 480 ticks at 120 bpm */
        KT_EQ_INT(67, v[1].pitch);
        KT_NEAR(1.0, v[1].onset_s, 1e-12);
        KT_NEAR(1.0, v[1].dur_s, 1e-12);     /* 480 ticks at 60 bpm */
        KT_EQ_INT(72, v[2].pitch);           /* chord sorted high first */
        KT_NEAR(2.0, v[2].onset_s, 1e-12);
        KT_EQ_INT(60, v[3].pitch);
        KT_EQ_INT(3, ks_midi_skyline(v, n));
        KT_EQ_INT(72, v[2].pitch);
    }
    x_free(v);
    /* The analyzer entry point on the same bytes, through a file. */
    {
        char path[] = "/tmp/test_melody_XXXXXX";
        int fd = mkstemp(path);
        KT_TRUE(fd >= 0);
        if (fd >= 0) {
            KT_EQ_INT((long long)b.n, (long long)write(fd, b.b, b.n));
            lseek(fd, 0, SEEK_SET);
            ks_options o;
            ks_options_default(&o);
            ks_input in = {.path = path, .fd = fd, .size = (int64_t)b.n, .opt = &o};
            ks_record r;
            ks_record_init(&r);
            /* three melody notes: too short to measure */
            KT_EQ_INT(KS_E_TOO_SHORT, ks_midi_analyze(&in, &r));
            KT_EQ_INT(KS_STATUS_ERROR, r.status);
            ks_record_clear(&r);
            close(fd);
            unlink(path);
        }
    }
    /* One channel only: the drums. */
    KT_EQ_INT(0, ks_midi_read(b.b, b.n, 9, &v, &n, err, sizeof err));
    KT_EQ_INT(1, n);
    x_free(v);
    /* Damaged files fail with a code and a message, never crash. */
    KT_EQ_INT(KS_E_FORMAT, ks_midi_read((const unsigned char *)"RIFF0000WAVEfmt ", 16, -1, &v, &n, err, sizeof err));
    unsigned char f2[1024];
    memcpy(f2, b.b, b.n);
    f2[9] = 2;
    KT_EQ_INT(KS_E_FORMAT, ks_midi_read(f2, b.n, -1, &v, &n, err, sizeof err));
    for (size_t cut = 14; cut < b.n; cut++) {
        int rc = ks_midi_read(b.b, cut, -1, &v, &n, err, sizeof err);
        KT_TRUE(rc == 0 || rc == KS_E_TRUNCATED || rc == KS_E_DECODE);
        x_free(v);
        v = NULL;
    }
}

/* A format-0 file playing pitches p[0..n) as quarter notes at 120 bpm. */
static size_t simple_midi(const int *p, size_t n, unsigned char *out)
{
    buf b = {.n = 0};
    unsigned char trk[1024];
    size_t t = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char on[] = {0x00, 0x90, (unsigned char)p[i], 100, 0x83, 0x60, 0x80, (unsigned char)p[i], 0};
        memcpy(trk + t, on, sizeof on);
        t += sizeof on;
    }
    static const unsigned char eot[] = {0x00, 0xFF, 0x2F, 0x00};
    memcpy(trk + t, eot, sizeof eot);
    t += sizeof eot;
    put(&b, (const unsigned char *)"MThd", 4);
    put32(&b, 6);
    static const unsigned char hd[] = {0, 0, 0, 1, 0x01, 0xE0};
    put(&b, hd, 6);
    put(&b, (const unsigned char *)"MTrk", 4);
    put32(&b, (uint32_t)t);
    put(&b, trk, t);
    memcpy(out, b.b, b.n);
    return b.n;
}

static void test_midi_analyze(void)
{
    int p[] = {67, 67, 69, 67, 72, 71, 67, 67, 69, 67, 74, 72, 67, 67, 79, 76, 72, 71, 69};
    size_t n = sizeof p / sizeof p[0];
    unsigned char bytes[1024];
    size_t len = simple_midi(p, n, bytes);
    char path[] = "/tmp/test_melody_XXXXXX";
    int fd = mkstemp(path);
    KT_TRUE(fd >= 0);
    if (fd < 0)
        return;
    KT_EQ_INT((long long)len, (long long)write(fd, bytes, len));
    lseek(fd, 0, SEEK_SET);
    ks_options o;
    ks_options_default(&o);
    ks_input in = {.path = path, .fd = fd, .size = (int64_t)len, .opt = &o};
    ks_record r, want;
    ks_record_init(&r);
    KT_EQ_INT(0, ks_midi_analyze(&in, &r));
    KT_EQ_INT(KS_STATUS_OK, r.status);
    measure(p, n, &want);
    KT_NEAR((double)n, r.feat[KS_F_AUDIO_MELODY_NOTES], 0);
    KT_NEAR(want.feat[KS_F_AUDIO_MELODY_IC], r.feat[KS_F_AUDIO_MELODY_IC], 1e-12);
    KT_NEAR(want.feat[KS_F_AUDIO_MELODY_INTERVAL_ENTROPY], r.feat[KS_F_AUDIO_MELODY_INTERVAL_ENTROPY], 1e-12);
    KT_TRUE(isfinite(r.feat[KS_F_AUDIO_MELODY_PRED_ENTROPY]));
    ks_record_clear(&r);
    ks_record_clear(&want);
    close(fd);
    unlink(path);
}

int main(void)
{
    test_ppm_interpolated();
    test_ppm_backoff();
    test_ppm_update_exclusion();
    test_ppm_star();
    test_entropies();
    test_directions();
    test_crossval();
    test_midi();
    test_midi_analyze();
    return kt_done();
}
