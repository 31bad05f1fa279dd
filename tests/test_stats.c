/* test_stats.c - hand-checked values and directions for common/stats.c. */
#include "ktest.h"
#include "stats.h"
#include <stdlib.h>

int main(void)
{
    /* ranks with ties: 10 20 20 30 -> 1 2.5 2.5 4; tie term 2^3-2 = 6 */
    double x[] = {20, 10, 30, 20}, r[4];
    KT_NEAR(6.0, ks_rank_average(x, 4, r), 0);
    KT_NEAR(2.5, r[0], 0); KT_NEAR(1.0, r[1], 0); KT_NEAR(4.0, r[2], 0); KT_NEAR(2.5, r[3], 0);

    /* complete separation: AUROC 1, delta 1, U of a = 0 */
    double a[] = {1, 2, 3}, b[] = {4, 5, 6, 7};
    ks_mwu m;
    ks_mann_whitney(a, 3, b, 4, &m);
    KT_NEAR(0.0, m.u, 0); KT_NEAR(1.0, m.auroc, 0); KT_NEAR(1.0, m.delta, 0);
    KT_TRUE(m.z > 0);
    /* hand: mu=6, s=sqrt(12/12*8)=2.828427, z=(12-6-0.5)/s=1.944544, p=2*sf */
    KT_NEAR(2 * ks_norm_sf(5.5 / sqrt(8.0)), m.p, 1e-15);
    /* one tie across groups: a={1,2}, b={2,3}: P(b>a)=3/4 + 0.5*1/4 = 0.875 */
    double a2[] = {1, 2}, b2[] = {2, 3};
    ks_mann_whitney(a2, 2, b2, 2, &m);
    KT_NEAR(0.875, m.auroc, 1e-15);

    /* Wilcoxon: d = {1,-2,3,4,0}: zero dropped, ranks 1,2,3,4, W+=8, W-=2 */
    double d[] = {1, -2, 3, 4, 0};
    ks_wilcoxon w;
    ks_wilcoxon_signed_rank(d, 5, &w);
    KT_EQ_INT(4, w.n_used); KT_NEAR(2.0, w.t, 0); KT_NEAR(8.0, w.wplus, 0);
    KT_TRUE(w.z > 0);

    /* BH: p = .01 .04 .03 .5 (m=4): sorted .01 .03 .04 .5 -> .04 .053333 .053333 .5 */
    double p[] = {0.01, 0.04, 0.03, 0.5, NAN}, q[5];
    ks_bh_adjust(p, 5, q);
    KT_NEAR(0.04, q[0], 1e-15); KT_NEAR(0.16 / 3, q[1], 1e-15); KT_NEAR(0.16 / 3, q[2], 1e-15);
    KT_NEAR(0.5, q[3], 1e-15); KT_NAN(q[4]);

    /* ROC: perfect ranking passes through (0,1) */
    double sc[] = {0.1, 0.2, 0.8, 0.9};
    int lb[] = {0, 0, 1, 1};
    double fpr[5], tpr[5];
    size_t np = ks_roc_curve(sc, lb, 4, fpr, tpr);
    KT_EQ_INT(5, np);
    KT_NEAR(0.0, fpr[2], 0); KT_NEAR(1.0, tpr[2], 0);
    KT_NEAR(1.0, ks_auroc(sc, lb, 4), 0);

    /* bootstrap CI of delta brackets the point estimate and is deterministic */
    ks_rng g;
    double A[60], B[60], lo, hi, lo2, hi2;
    ks_rng_seed(&g, 7);
    for (int i = 0; i < 60; i++) { A[i] = ks_rng_uniform(&g); B[i] = ks_rng_uniform(&g) + 0.3; }
    ks_mann_whitney(A, 60, B, 60, &m);
    ks_rng_seed(&g, 1);
    ks_cliff_delta_ci(A, 60, B, 60, 1000, 0.95, &g, &lo, &hi);
    ks_rng_seed(&g, 1);
    ks_cliff_delta_ci(A, 60, B, 60, 1000, 0.95, &g, &lo2, &hi2);
    KT_TRUE(lo < m.delta && m.delta < hi);
    KT_TRUE(hi - lo < 0.5 && hi - lo > 0.05);
    KT_NEAR(lo, lo2, 0); KT_NEAR(hi, hi2, 0);

    /* DeLong's asymptotic CI agrees with the bootstrap on moderate n */
    double dlo, dhi;
    ks_cliff_delta_ci_delong(A, 60, B, 60, 0.95, &dlo, &dhi);
    KT_TRUE(dlo < m.delta && m.delta < dhi);
    KT_NEAR(lo, dlo, 0.06);
    KT_NEAR(hi, dhi, 0.06);
    KT_NEAR(1.959963984540054, ks_norm_ppf(0.975), 1e-14);
    KT_NEAR(-3.090232306167813, ks_norm_ppf(0.001), 1e-13);

    /* logistic regression: a feature that separates gets a positive weight,
     * CV AUROC high; a noise feature gets CV AUROC near 0.5 */
    enum { N = 200 };
    double X[N * 2];
    int y[N], fold[N];
    double oof[N], wts[3];
    for (int i = 0; i < N; i++) {
        y[i] = i % 2;
        X[i * 2] = ks_rng_uniform(&g) + (y[i] ? 0.8 : 0);
        X[i * 2 + 1] = ks_rng_uniform(&g);
        fold[i] = (i / 2) % 5; /* pairs held out together */
    }
    KT_EQ_INT(0, ks_logreg_fit(X, y, N, 2, 1.0, wts));
    KT_TRUE(wts[0] > 1.0);
    KT_TRUE(fabs(wts[1]) < wts[0] / 3);
    double auc = ks_logreg_cv(X, y, fold, 5, N, 2, 1.0, oof);
    KT_TRUE(auc > 0.9);
    double Xn[N];
    for (int i = 0; i < N; i++) Xn[i] = X[i * 2 + 1];
    double aucn = ks_logreg_cv(Xn, y, fold, 5, N, 1, 1.0, oof);
    KT_TRUE(aucn < 0.65);

    double v[] = {1, 2, 3, 4, 100}, med, mad;
    ks_median_mad(v, 5, &med, &mad);
    KT_NEAR(3.0, med, 0); KT_NEAR(1.4826, mad, 1e-12);
    return kt_done();
}
