/* melody.h - melodic entropy and information content of a note sequence,
 * shared by the audio analyzer (notes transcribed from a recording) and
 * `kitsch melody` (notes read from MIDI or ABC).
 *
 *     ks_note notes[] = {{0.0, 0.5, 60, 1.0}, {0.5, 0.5, 62, 1.0}, ...};
 *     ks_melody_measure(notes, n, r);   // fills the audio melody features
 */
#ifndef KITSCH_MELODY_H
#define KITSCH_MELODY_H

#include "kitsch.h"

typedef struct ks_note {
    double onset_s;  /* seconds from the start */
    double dur_s;    /* seconds */
    int pitch;       /* MIDI note number, 60 = middle C */
    double conf;     /* 0..1 transcription confidence (1 for symbolic input) */
} ks_note;

/* Fill the melodic features of r (pitch-class entropy, interval entropy,
 * conditional interval entropy, PPM information content, predictive entropy,
 * high-IC share) from n notes. Fewer than a handful of notes leaves them NaN.
 * Returns 0 or a negative KS_E_* code. */
int ks_melody_measure(const ks_note *notes, size_t n, ks_record *r);

/* ---- the model behind the information-content features (additive API for
 * `kitsch melody` and the evaluation; ks_melody_measure uses the defaults) */
#include "ppm.h"

enum ks_melody_combine { KS_MELODY_GEOMETRIC = 0, KS_MELODY_ARITHMETIC = 1 };

typedef struct ks_melody_cfg {
    ks_ppm_params ltm, stm;  /* long-term (corpus) and short-term (this piece) PPM */
    int use_ltm, use_stm;
    int ltm_plus;            /* the long-term model also learns each piece (IDyOM "LTM+") */
    int combine;             /* enum ks_melody_combine */
    double bias;             /* b in the entropy weight w = H_rel^-b */
} ks_melody_cfg;

void ks_melody_cfg_default(ks_melody_cfg *c);

/* Information content ic[i] = -log2 P(seq[i] | seq[0..i)) and the entropy
 * h[i] of the predictive distribution, for MIDI pitches seq[0..n) that are
 * all in alpha[0..nalpha). ltm may be NULL (short-term model only); with
 * cfg->ltm_plus the piece is added to it. */
void ks_melody_ic(const int *seq, size_t n, ks_ppm *ltm, const int *alpha, size_t nalpha,
                  const ks_melody_cfg *cfg, double *ic, double *h);

/* k-fold cross-validation as in Pearce (2005): piece i is in fold i % folds;
 * the long-term model of a fold is trained on the other folds; the alphabet
 * is every pitch of the dataset. Outputs: mean IC over all notes, mean of
 * the per-piece mean IC, and mean predictive entropy over all notes. */
int ks_melody_crossval(const int *const *seqs, const size_t *lens, size_t nseq, int folds,
                       const ks_melody_cfg *cfg, double *ic_notes, double *ic_pieces, double *h_notes);

/* The long-term model shipped in the binary (counts derived from the Essen
 * collection without kinder0, see eval/build_melody_model.sh), or NULL when
 * the build has none. *desc (may be NULL) gets a one-line description and
 * *median_pitch the corpus median MIDI pitch. */
ks_ppm *ks_melody_ltm_builtin(const ks_melody_cfg *cfg, const char **desc, double *median_pitch);

/* Train a long-term model on seqs and write it as C source (the format of
 * audio/essen_ltm.inc) to path. Returns 0 or a negative KS_E_*. */
int ks_melody_write_ltm(const char *path, const int *const *seqs, const size_t *lens, size_t nseq,
                        const ks_melody_cfg *cfg, const char *desc);

/* Smallest number of notes for which the melodic features are measured. */
#define KS_MELODY_MIN_NOTES 8
/* The information-content features use at most this many (first) notes. */
#define KS_MELODY_MAX_IC_NOTES 20000
/* IC above this many bits counts as a surprising ("high-IC") note. */
#define KS_MELODY_HIGH_IC 4.0

#endif
