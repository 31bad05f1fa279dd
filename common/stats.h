/* stats.h - rank statistics and the small models the aggregator needs.
 *
 * Everything here works on plain arrays without NaN (callers drop NaN first and
 * report how many they dropped). Results are checked against python3-scipy in
 * tests/test_stats_scipy.c.
 *
 *     ks_mwu m;
 *     ks_mann_whitney(human, nh, ai, na, &m);   // m.p two-sided, m.auroc = P(ai > human)
 *     double lo, hi;
 *     ks_cliff_delta_ci(human, nh, ai, na, 1000, 0.95, &rng, &lo, &hi);
 */
#ifndef KITSCH_STATS_H
#define KITSCH_STATS_H

#include <stddef.h>
#include <stdint.h>
#include "kitsch.h"

/* Average ranks (1-based) of x into rank; returns the tie term sum(t^3 - t). */
double ks_rank_average(const double *x, size_t n, double *rank);

/* Standard normal upper tail P(Z > z), accurate in the far tail (erfc). */
double ks_norm_sf(double z);

/* Mann-Whitney U test, normal approximation with tie correction and
 * continuity correction (as scipy.stats.mannwhitneyu(a, b,
 * method="asymptotic")). u = U of a; auroc = P(b > a) + P(b == a)/2. */
typedef struct ks_mwu {
    double u;      /* U statistic of a (scipy's statistic) */
    double z;      /* signed: > 0 when b tends to be larger */
    double p;      /* two-sided */
    double auroc;  /* P(b > a) + 0.5 P(tie); 0.5 = no separation */
    double delta;  /* Cliff's delta of b vs a = 2*auroc - 1 */
} ks_mwu;
int ks_mann_whitney(const double *a, size_t na, const double *b, size_t nb, ks_mwu *out);

/* Wilcoxon signed-rank test of paired differences d (zeros dropped, "wilcox"
 * method; normal approximation with tie correction, no continuity correction:
 * scipy.stats.wilcoxon(d, method="approx")). t = min(W+, W-). */
typedef struct ks_wilcoxon {
    double t;      /* scipy's statistic */
    double wplus;  /* sum of ranks of positive differences */
    double z;      /* signed: > 0 when differences tend to be positive */
    double p;      /* two-sided */
    size_t n_used; /* nonzero differences */
} ks_wilcoxon;
int ks_wilcoxon_signed_rank(const double *d, size_t n, ks_wilcoxon *out);

/* Percentile-bootstrap CI of Cliff's delta (b vs a): resamples a and b
 * independently `reps` times (O(reps * (na+nb)) after one sort). */
int ks_cliff_delta_ci(const double *a, size_t na, const double *b, size_t nb, int reps,
                      double level, ks_rng *g, double *lo, double *hi);

/* Asymptotic 95 % (level) CI of Cliff's delta (b vs a) from DeLong's variance
 * of the AUROC (DeLong, DeLong & Clarke-Pearson 1988; placement values, ties
 * counted half), delta = 2 AUROC - 1, clipped to [-1, 1]. O(n log n): for
 * large groups where the bootstrap would cost reps x n. */
int ks_cliff_delta_ci_delong(const double *a, size_t na, const double *b, size_t nb, double level,
                             double *lo, double *hi);
/* Inverse standard normal CDF (Acklam's algorithm with one Newton step). */
double ks_norm_ppf(double p);

/* AUROC of scores for labels (1 = positive): P(score_pos > score_neg) with
 * ties counted half. NaN when a class is empty. */
double ks_auroc(const double *score, const int *label, size_t n);
/* ROC curve points (fpr, tpr), at most n+1 of them, from (0,0) to (1,1).
 * Returns the number of points written into fpr/tpr (each of size n+1). */
size_t ks_roc_curve(const double *score, const int *label, size_t n, double *fpr, double *tpr);

/* Benjamini-Hochberg adjusted q-values (NaN p stay NaN and are not counted). */
void ks_bh_adjust(const double *p, size_t n, double *q);

/* L2-regularised logistic regression on a row-major n x k matrix (already
 * standardised; NaN not allowed), Newton-Raphson. w has k+1 entries, w[k] is
 * the intercept (not penalised). Objective: sum logloss + lambda/2 |w|^2. */
int ks_logreg_fit(const double *x, const int *y, size_t n, size_t k, double lambda, double *w);
double ks_logreg_predict(const double *w, const double *xrow, size_t k); /* P(y=1) */

/* Grouped k-fold cross-validation of the above: rows with the same fold id
 * (e.g. derived from a pair id) are always held out together. Standardises
 * inside each training fold; NaN cells are imputed with the training mean.
 * oof receives out-of-fold probabilities; returns the CV AUROC (NaN if not
 * computable). */
double ks_logreg_cv(const double *x, const int *y, const int *fold, int kfolds, size_t n,
                    size_t k, double lambda, double *oof);

/* Standardise columns: mean/sd over non-NaN cells (sd with n-1). */
void ks_column_moments(const double *x, size_t n, size_t k, double *mean, double *sd);

/* Robust location/scale: median and MAD scaled by 1.4826 (consistent for the
 * normal). v is reordered. */
void ks_median_mad(double *v, size_t n, double *median, double *mad);

#endif
