/* ppm.h - a bounded-order PPM model (Prediction by Partial Match) over small
 * integer symbols (MIDI pitches 0..127), as used by IDyOM for melodic
 * expectation (Cleary & Witten 1984; Moffat 1990; Pearce 2005).
 *
 *     ks_ppm_params p = {.order = 3, .escape = KS_PPM_ESCAPE_C, .interpolate = 1};
 *     ks_ppm *m = ks_ppm_new(&p);
 *     ks_ppm_add_sequence(m, seq, n);            // train (a long-term model)
 *     double dist[KS_PPM_NSYM];
 *     ks_ppm_predict(m, hist, nhist, alpha, nalpha, dist); // P(next | hist)
 *     ks_ppm_del(m);
 *
 * A short-term model is trained while it predicts: predict symbol i from
 * seq[0..i), then ks_ppm_update(m, seq, i, seq[i]).
 */
#ifndef KITSCH_PPM_H
#define KITSCH_PPM_H

#include <stddef.h>
#include <stdint.h>

#define KS_PPM_NSYM 128      /* symbols are 0..127 (MIDI pitch numbers) */
#define KS_PPM_MAX_ORDER 16  /* contexts of at most this many symbols */

enum ks_ppm_escape {
    KS_PPM_ESCAPE_C = 0,   /* Moffat 1990: escape weight = distinct symbols */
    KS_PPM_ESCAPE_X = 1,   /* Witten & Bell 1991: symbols seen once, + 1 */
    KS_PPM_ESCAPE_A = 2    /* Cleary & Witten 1984: escape weight = 1 */
};

enum ks_ppm_ux {
    KS_PPM_UX_NONE = 0,   /* every order counts every symbol */
    KS_PPM_UX_MOFFAT = 1, /* Moffat 1990: count only down to the highest order that had seen it */
    KS_PPM_UX_IDYOM = 2   /* IDyOM's (ppm-star.lisp) update-excluded counts, for a model that
                           * learns one sequence as it predicts it (a short-term model) */
};

typedef struct ks_ppm_params {
    int order;            /* order bound, 0..KS_PPM_MAX_ORDER */
    int escape;           /* enum ks_ppm_escape */
    int interpolate;      /* 1: blend all orders (IDyOM "mixtures"); 0: back off with full exclusion */
    int update_exclusion; /* enum ks_ppm_ux */
    int deterministic;    /* 1: PPM* state selection, start at the shortest deterministic
                           * context (Cleary & Teahan 1997; IDyOM with no order bound) */
} ks_ppm_params;

typedef struct ks_ppm ks_ppm;

ks_ppm *ks_ppm_new(const ks_ppm_params *p);
void ks_ppm_del(ks_ppm *m);
const ks_ppm_params *ks_ppm_get_params(const ks_ppm *m);

/* Count symbol sym after the context hist[0..nhist) (only the last `order`
 * symbols matter). Symbols outside 0..127 are ignored. */
void ks_ppm_update(ks_ppm *m, const int *hist, size_t nhist, int sym);
/* Count every symbol of a sequence (each after its own prefix). */
void ks_ppm_add_sequence(ks_ppm *m, const int *seq, size_t n);

/* Predictive distribution over the alphabet alpha[0..nalpha) (distinct
 * symbols) after the context hist[0..nhist): dist[k] = P(alpha[k]). Sums to
 * 1; every entry > 0 (the order -1 model is uniform over the alphabet).
 * Symbols the model saw that are not in alpha are ignored, as IDyOM does. */
void ks_ppm_predict(const ks_ppm *m, const int *hist, size_t nhist,
                    const int *alpha, size_t nalpha, double *dist);

/* Symbols seen at order 0 (the model's own alphabet): fills seen[0..127]
 * with 0/1 and returns how many. */
int ks_ppm_symbols(const ks_ppm *m, unsigned char seen[KS_PPM_NSYM]);
size_t ks_ppm_nodes(const ks_ppm *m);
/* Order-0 counts: c[s] = how often symbol s was counted (0..127). */
void ks_ppm_unigram(const ks_ppm *m, double c[KS_PPM_NSYM]);

/* Serialisation of the counts (for a long-term model compiled into the
 * binary): a pre-order walk of the count trie as triples
 * (symbol, count, number of children), root first (its symbol and count
 * are 0). ks_ppm_export returns a malloc'ed array of 3*nodes values. */
uint32_t *ks_ppm_export(const ks_ppm *m, size_t *nvalues);
/* Rebuild a model from such an array; returns NULL if it is malformed. */
ks_ppm *ks_ppm_import(const ks_ppm_params *p, const uint32_t *v, size_t nvalues);

#endif
